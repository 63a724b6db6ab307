"""Reader pages: the search page and the document page (HTML)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request

from searchapp.search.params import SORTS, ParamError, SearchParams
from searchapp.web.respond import page
from searchapp.web.views import document_data, search_data, search_params

bp = Blueprint("reader", __name__)


@bp.get("/")
@bp.get("/search")
def search() -> Response:
    data, error = None, None
    params = SearchParams(q=request.args.get("q", "")[:1000])
    try:
        params = search_params()
        data = search_data(params)
    except ParamError as exc:
        error = str(exc)
    return page("search.html", {"data": data, "params": params, "error": error, "sorts": SORTS},
                json_path="/api/search", status=400 if error else 200)


@bp.get("/doc/<path:doc_id>")
def document(doc_id: str) -> Response:
    doc = document_data(doc_id)
    return page("document.html", {"doc": doc, "params": SearchParams(q=doc["q"])},
                json_path=f"/api/doc/{quote(doc_id, safe='')}")
