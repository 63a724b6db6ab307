"""Batch search: many queries at once, hit counts and top results, as JSON or CSV (bounded)."""

from __future__ import annotations

import csv
import io
import time

from flask import Blueprint, Response, abort, request

from searchapp.saved import params_from
from searchapp.search import engine
from searchapp.search.params import ParamError
from searchapp.web.respond import as_json
from searchapp.web.services import services

bp = Blueprint("batch", __name__)
MAX_QUERIES = 100
MAX_TOP = 10
TIME_BUDGET_S = 10.0


def _queries() -> tuple[list[str | dict], int]:
    """The queries of a JSON body {"queries": [...], "top": n} or of an uploaded CSV (one per row)."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("queries"), list):
            abort(400, description='Send JSON {"queries": ["q=Kyiv&lang=uk", {"q": "Minsk"}, ...], "top": 3}')
        top = body.get("top", 3)
        queries = body["queries"]
    else:
        upload = request.files.get("file")
        if upload is None:
            abort(400, description="Send JSON, or a CSV file part 'file' with one query per row")
        text = upload.read().decode("utf-8-sig", errors="replace")
        queries = [row[0] for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
        top = request.form.get("top", "3")
    if not str(top).isascii() or not str(top).isdigit() or not 0 <= int(top) <= MAX_TOP:
        abort(400, description=f"'top' is a number from 0 to {MAX_TOP}")
    if not queries:
        abort(400, description="No queries given")
    if len(queries) > MAX_QUERIES:
        abort(413, description=f"At most {MAX_QUERIES} queries per batch (got {len(queries)})")
    return queries, int(top)


def _as_params(query: str | dict):
    """Plain text is a `q`; a string with '=' a query string; an object the parameters."""
    if isinstance(query, str) and "=" not in query:
        return params_from({"q": query})
    if not isinstance(query, (str, dict)):
        raise ParamError("each query is a string or an object of search parameters")
    return params_from(query)


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: one starting with =, +, -, @ (or a tab or return)
    would be read as a formula, so it gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@bp.post("/api/batch-search")
def batch_search() -> Response:
    queries, top = _queries()
    s = services()
    started = time.perf_counter()
    rows = []
    for query in queries:
        label = query if isinstance(query, str) else str(query)
        if time.perf_counter() - started > TIME_BUDGET_S:
            rows.append({"query": label, "error": "not run: the batch used up its time budget"})
            continue
        try:
            data = engine.search(s.index, _as_params(query), names=s.names(), per_page=max(top, 1),
                                 passages_per_hit=0)
        except ParamError as exc:
            rows.append({"query": label, "error": str(exc)})
            continue
        rows.append({"query": label, "total": data["total"],
                     "top": [{"id": r["id"], "title": r["title"], "date": r["date"], "source": r["source"]}
                             for r in data["results"][:top]]})
    if request.args.get("format") == "csv" or request.accept_mimetypes.best == "text/csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["query", "total", "error", *[f"top{i + 1}" for i in range(top)]])
        for row in rows:
            writer.writerow([_cell(v) for v in (row["query"], row.get("total", ""), row.get("error", ""),
                                                *[hit["id"] for hit in row.get("top", [])])])
        return Response(out.getvalue(), mimetype="text/csv")
    return as_json({"queries": len(rows), "took_ms": round((time.perf_counter() - started) * 1000, 1),
                    "results": rows})
