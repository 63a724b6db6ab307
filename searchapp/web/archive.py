"""Archivists' pages: the name registry (look up a name, add a spelling, merge, split)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, get_flashed_messages, redirect, render_template, request, url_for

from searchapp.names.registry import RegistryError
from searchapp.pipeline import merge_entities
from searchapp.web.auth import archivist_required
from searchapp.web.services import services

bp = Blueprint("archive", __name__)


@bp.get("/names")
@archivist_required
def names() -> str:
    name = request.args.get("name", "").strip()[:200]
    found = services().names().describe(name) if name else None
    return render_template("names.html", name=name, found=found, messages=get_flashed_messages(with_categories=True))


@bp.post("/names")
@archivist_required
def edit_names() -> Response:
    s = services()
    form = request.form
    action, entity = form.get("action", ""), form.get("entity", "").strip()
    try:
        if action == "add":
            s.registry.add_spelling(entity, form.get("spelling", ""))
            flash(f"Added '{form.get('spelling', '').strip()}' to {entity}.", "ok")
        elif action == "merge":
            moved = merge_entities(s.registry, s.store, s.config["INDEX_DIR"], form.get("source", "").strip(), entity)
            flash(f"Merged {form.get('source', '').strip()} into {entity}; {moved} documents reindexed.", "ok")
        elif action == "split":
            s.registry.split(entity, form.get("spelling", "").strip(), form.get("new_id", "").strip())
            flash(f"Took '{form.get('spelling', '').strip()}' off {entity}.", "ok")
        else:
            flash("Unknown action.", "error")
    except RegistryError as exc:
        flash(str(exc), "error")
    return redirect(url_for("archive.names", name=form.get("name", "")))
