"""The JSON API: twins of the reader pages, and the health check."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask_login import current_user

from searchapp.follower import applied_change
from searchapp.model import ItemError
from searchapp.uploads import OVERRIDES
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


@bp.post("/api/documents")
def add_documents() -> Response:
    """Upload through the API: multipart `file` parts (with optional metadata fields) or one
    JSON document {"title", "text", ...}. Archivists only; the upload form's code path."""
    if not current_user.is_authenticated:
        abort(401, description="Send 'Authorization: Bearer <token>' with an archivist's token")
    if not current_user.is_archivist:
        abort(403, description="Only archivists add documents")
    archive = services().archive
    overrides = {key: request.form.get(key, "") for key in OVERRIDES}
    if request.is_json:
        record = request.get_json(silent=True)
        if not isinstance(record, dict) or not (record.get("title") or record.get("text")):
            abort(400, description='Send a JSON object with at least "title" and "text"')
        try:
            batch = archive.add_record(record, request.get_data(), overrides, current_user.name)
        except ItemError as exc:
            abort(422, description=exc.reason)
    else:
        files = [(f.filename or "upload", f.read(archive.max_file_bytes + 1)) for f in request.files.getlist("file")]
        if not files:
            abort(400, description="Send one or more 'file' parts, or a JSON document")
        batch = archive.upload(files, overrides, current_user.name)
    return as_json({"ok": batch.status < 400, "results": [r.as_dict() for r in batch.results]}, batch.status)


@bp.get("/api/suggest")
def suggest() -> Response:
    """Names for the search box's autocomplete: people and places starting with `prefix`."""
    if "prefix" not in request.args:
        abort(400, description="Give the start of a name: /api/suggest?prefix=Luk")
    prefix = request.args["prefix"][:100]
    return as_json({"prefix": prefix, "suggestions": services().names().complete(prefix)})


@bp.get("/healthz")
def healthz() -> Response:
    s = services()
    with s.index.snapshot() as snap:
        indexed = int(snap.columns.live.sum())
    stored, pending = s.store.count(), s.store.count_pending()
    health = {"ok": True, "documents": stored, "indexed": indexed, "pending": pending}
    if s.config["DATABASE_URL"]:  # a node of several: how far its index is behind the shared store
        store_change, index_change = s.store.last_change(), applied_change(s.config["INDEX_DIR"]) or 0
        health.update(store_change=store_change, index_change=index_change, lag=store_change - index_change)
    return as_json(health)
