"""Archivists' pages: uploads, corrections, deletion and the trash, and the name registry (look up a
name, add a spelling, merge, split)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext, ngettext
from flask_login import current_user

from searchapp.extract.review import doubtful_entities
from searchapp.messages import Message
from searchapp.model import Document, ItemError
from searchapp.names.registry import RegistryError
from searchapp.uploads import OVERRIDES, CorrectionError, entity_line
from searchapp.web.auth import archivist_required
from searchapp.web.i18n import translate
from searchapp.web.services import services

bp = Blueprint("archive", __name__)


@bp.get("/upload")
@archivist_required
def upload_form() -> str:
    s = services()
    return render_template("upload.html", recent=s.store.recent_uploads(current_user.name), results=None,
                           max_file_mb=s.config["MAX_FILE_MB"])


@bp.post("/upload")
@archivist_required
def upload_files() -> Response:
    s = services()
    files = []
    for storage in request.files.getlist("file"):
        try:
            data = storage.read(s.archive.max_file_bytes + 1)  # enough to know it is too large
        finally:
            storage.close()  # large parts are spooled to temporary files
        files.append(((storage.filename or "upload").replace("/", "_")[:200], data))
    if not files:
        abort(400, description=Message("Choose at least one file to upload."))
    overrides = {key: request.form.get(key, "") for key in OVERRIDES}
    batch = s.archive.upload(files, overrides, current_user.name)
    status = 200 if batch.added or any(r.status == "duplicate" for r in batch.results) else 422
    body = render_template("upload.html", recent=s.store.recent_uploads(current_user.name),
                           results=batch.results, max_file_mb=s.config["MAX_FILE_MB"])
    return Response(body, status=status)


def _document_or_404(doc_id: str) -> Document:
    doc = services().store.get(doc_id)
    if doc is None:
        abort(404, description=Message("No document with id '%(id)s'", id=doc_id))
    return doc


def _doc_url(doc_id: str) -> str:
    return f"/doc/{quote(doc_id, safe='')}"


@bp.route("/doc/<path:doc_id>/edit", methods=["GET", "POST"])
@archivist_required
def edit(doc_id: str) -> Response | str:
    """The Correct form: prefilled from the document (people and places by name), or, after a
    refusal, with what was typed and one message per value or line refused (422)."""
    s = services()
    doc = _document_or_404(doc_id)
    errors: list[str] = []
    if request.method == "POST":
        try:
            s.archive.correct(doc_id, request.form.to_dict())
            flash(gettext("Saved. The corrected values replace what was extracted, and survive reindexing."), "ok")
            return redirect(_doc_url(doc_id))
        except ItemError as exc:
            fields = {"title": gettext("Title"), "date": gettext("Date"), "people": gettext("People"),
                      "places": gettext("Places")}
            errors = [f"{fields.get(p.where, p.where)}: {translate(p.reason)}"
                      for p in (exc.problems if isinstance(exc, CorrectionError) else [exc])]
        values = request.form.to_dict()
    else:
        names, lang = s.names(), str(get_locale())
        values = {"title": doc.title, "date": doc.date, "source": doc.source, "lang": doc.lang,
                  "people": "\n".join(entity_line(e, names, lang) for e in doc.people),
                  "places": "\n".join(entity_line(e, names, lang) for e in doc.places)}
    return Response(render_template("edit.html", doc=doc, values=values, errors=errors,
                                    corrected=s.store.corrections(doc_id)), status=422 if errors else 200)


@bp.get("/doc/<path:doc_id>/delete")
@archivist_required
def confirm_delete(doc_id: str) -> str:
    """Ask before deleting: the document's title and a form that deletes it (no script needed)."""
    return render_template("confirm_delete.html", doc=_document_or_404(doc_id),
                           days=services().config["TRASH_DAYS"])


@bp.post("/doc/<path:doc_id>/delete")
@archivist_required
def delete(doc_id: str) -> Response:
    s = services()
    if not s.archive.delete(doc_id, current_user.name):
        abort(404, description=Message("No document with id '%(id)s'", id=doc_id))
    flash(gettext("Deleted '%(id)s'. Its original stays in the trash for %(days)s days.", id=doc_id,
                  days=s.config["TRASH_DAYS"]), "ok")
    return redirect(url_for("archive.upload_form"))


@bp.get("/trash")
@archivist_required
def trash() -> str:
    """Deleted documents, with the days each has left before a purge forgets it."""
    s = services()
    return render_template("trash.html", items=s.archive.trash(s.config["TRASH_DAYS"]),
                           days=s.config["TRASH_DAYS"])


@bp.post("/trash/<path:doc_id>/restore")
@archivist_required
def restore(doc_id: str) -> Response:
    doc = services().archive.restore(doc_id)
    if doc is None:
        abort(404, description=Message("'%(id)s' is not in the trash", id=doc_id))
    flash(gettext("Restored “%(title)s”: it is back in the archive and in search.", title=doc.title), "ok")
    return redirect(url_for("archive.trash"))


@bp.post("/trash/purge")
@archivist_required
def purge() -> Response:
    s = services()
    count = s.archive.purge_trash(s.config["TRASH_DAYS"])
    flash(ngettext("Purged %(num)d document deleted more than %(days)s days ago.",
                   "Purged %(num)d documents deleted more than %(days)s days ago.", count,
                   days=s.config["TRASH_DAYS"]), "ok")
    return redirect(url_for("archive.trash"))


@bp.get("/names")
@archivist_required
def names() -> str:
    name = request.args.get("name", "").strip()[:200]
    found = services().names().describe(name) if name else None
    return render_template("names.html", name=name, found=found, doubts=doubtful_entities(services().names()))


@bp.post("/names")
@archivist_required
def edit_names() -> Response:
    s = services()
    form = request.form
    action, entity = form.get("action", ""), form.get("entity", "").strip()
    try:
        if action == "add":
            s.archive.add_spelling(entity, form.get("spelling", ""))
            flash(gettext("Added '%(spelling)s' to %(entity)s.", spelling=form.get("spelling", "").strip(),
                          entity=entity), "ok")
        elif action == "merge":
            moved = s.archive.merge_entities(form.get("source", "").strip(), entity)
            flash(gettext("Merged %(source)s into %(entity)s; %(count)s documents reindexed.",
                          source=form.get("source", "").strip(), entity=entity, count=moved), "ok")
        elif action == "delete":
            moved = s.archive.delete_entity(entity)
            flash(gettext("Deleted %(entity)s; %(count)s documents reindexed.", entity=entity, count=moved), "ok")
        elif action == "split":
            s.archive.split(entity, form.get("spelling", "").strip(), form.get("new_id", "").strip())
            flash(gettext("Took '%(spelling)s' off %(entity)s.", spelling=form.get("spelling", "").strip(),
                          entity=entity), "ok")
        else:
            flash(gettext("Unknown action."), "error")
    except RegistryError as exc:
        flash(str(exc), "error")
    return redirect(url_for("archive.names", name=form.get("name", "")))
