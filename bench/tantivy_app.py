"""tantivy behind gunicorn: GET /api/search?<query string> answers as bench_tantivy.answer does,
as JSON (bench-only; the index directory comes from TANTIVY_INDEX)."""

from __future__ import annotations

import json
import os

import tantivy
from bench_tantivy import answer

_index = tantivy.Index.open(os.environ["TANTIVY_INDEX"])
_searcher = _index.searcher()


def application(environ: dict, start_response) -> list[bytes]:
    body = json.dumps(answer(_index, _searcher, environ.get("QUERY_STRING", "")), ensure_ascii=False).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
