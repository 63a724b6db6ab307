"""The data behind each page, shared by the HTML page and its JSON twin."""

from __future__ import annotations

from typing import Any

from flask import abort, request

from searchapp.messages import Message
from searchapp.search import engine
from searchapp.search.params import SearchParams
from searchapp.web.services import services


def search_params() -> SearchParams:
    return SearchParams.from_args(request.args, max_query=services().config["MAX_QUERY_LENGTH"])


def search_data(params: SearchParams) -> dict[str, Any]:
    s = services()
    cfg = s.config
    return engine.search(s.index, params, names=s.names(), per_page=cfg["PER_PAGE"],
                         max_window=cfg["MAX_RESULT_WINDOW"], passages_per_hit=cfg["PASSAGES_PER_HIT"],
                         time_limit_ms=cfg["QUERY_TIME_LIMIT_MS"])


def document_data(doc_id: str) -> dict[str, Any]:
    s = services()
    q = request.args.get("q", "")[: s.config["MAX_QUERY_LENGTH"]]
    data = engine.document(s.store, s.index, doc_id, q, names=s.names())
    if data is None:
        abort(404, description=Message("No document with id '%(id)s'", id=doc_id))
    return data
