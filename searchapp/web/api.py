"""The JSON API: twins of the reader pages, and the health check."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from searchapp.web.respond import as_json
from searchapp.web.services import services
from searchapp.web.views import document_data, search_data, search_params

bp = Blueprint("api", __name__)


@bp.get("/api/search")
def search() -> Response:
    return as_json(search_data(search_params()))


@bp.get("/api/doc/<path:doc_id>")
def document(doc_id: str) -> Response:
    return as_json(document_data(doc_id))


@bp.get("/api/aliases")
def aliases() -> Response:
    name = request.args.get("name", "").strip()
    if not name or len(name) > 200:
        abort(400, description="Give a name: /api/aliases?name=Lukashenka (at most 200 characters)")
    found = services().names().describe(name)
    if found is None:
        abort(404, description=f"No person or place is known by the name '{name}'")
    return as_json(found)


@bp.get("/healthz")
def healthz() -> Response:
    s = services()
    with s.index.snapshot() as snap:
        indexed = int(snap.columns.live.sum())
    stored, pending = s.store.count(), s.store.count_pending()
    return as_json({"ok": True, "documents": stored, "indexed": indexed, "pending": pending})
