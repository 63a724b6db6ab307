"""Archivists' uploads: files in, each one added, found to be a duplicate, or refused with a reason.

Every file is read, checked and extracted before anything is written; the good documents
of a request are then stored and committed to the index together, so they are searchable
when the response goes out. If the index commit fails, they are taken out of the store
again: a failure leaves the archive as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from searchapp.docstore import DocStore
from searchapp.extract import extract
from searchapp.indexing.writer import Indexer, open_index
from searchapp.ingest.files import documents_from_upload
from searchapp.ingest.readers import normalize_date
from searchapp.messages import Message
from searchapp.model import SEARCHED_CHARS, Document, ItemError
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry
from searchapp.pipeline import index_pending
from searchapp.text.analysis import tokenize

log = logging.getLogger(__name__)

ADDED, DUPLICATE, FAILED = "added", "duplicate", "failed"
OVERRIDES = ("title", "date", "source", "url", "lang")


@dataclass
class FileResult:
    name: str
    status: str
    doc_id: str = ""
    title: str = ""
    reason: str = ""
    too_large: bool = False

    def as_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "id": self.doc_id, "title": self.title,
                "reason": self.reason}


@dataclass
class UploadBatch:
    results: list[FileResult] = field(default_factory=list)

    @property
    def added(self) -> list[FileResult]:
        return [r for r in self.results if r.status == ADDED]

    @property
    def status(self) -> int:
        """The HTTP status that says how it went: 201 something added, 200 only duplicates, 413
        only files too large, 422 nothing usable."""
        if self.added:
            return 201
        if any(r.status == DUPLICATE for r in self.results):
            return 200
        if self.results and all(r.too_large for r in self.results):
            return 413
        return 422


def _apply_overrides(doc: Document, overrides: dict[str, str]) -> None:
    for key in OVERRIDES:
        value = (overrides.get(key) or "").strip()
        if not value:
            continue
        if key == "date":
            date = normalize_date(value)
            if not date:
                raise ItemError(doc.original_name, Message("'%(value)s' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD",
                                                             value=value))
            doc.date = date
        elif key == "lang":
            doc.lang = value.lower()[:8]
        else:
            setattr(doc, key, value[:2000])


def upload(files: list[tuple[str, bytes | Document]], overrides: dict[str, str], user: str, store: DocStore,
           index_dir: str | Path, registry: Registry | None = None, names: NameIndex | None = None,
           on_indexed: Callable[[list[str]], object] | None = None) -> UploadBatch:
    """Add uploaded files to the archive; returns one result per file (per member of a ZIP).

    `on_indexed` gets the ids of the documents once they are searchable (saved queries)."""
    batch = UploadBatch()
    fresh: list[Document] = []
    seen_text: set[str] = set()
    new_people: dict[str, str] = {}
    for name, data in files:
        items = [data] if isinstance(data, Document) else documents_from_upload(data, name)
        for item in items:
            if isinstance(item, ItemError):
                batch.results.append(FileResult(item.where, FAILED, reason=item.reason))
                continue
            try:
                _apply_overrides(item, overrides)
            except ItemError as exc:
                batch.results.append(FileResult(item.original_name, FAILED, reason=exc.reason))
                continue
            try:
                new_people.update(extract(item, names).new_people)
            except Exception as exc:  # a bug or an odd input in extraction must not cost the batch
                batch.results.append(FileResult(item.original_name, FAILED,
                                                reason=Message("could not be processed (%(error)s)",
                                                               error=exc.__class__.__name__)))
                continue
            same = store.find_same_text(item)  # ids derive from the text, so this covers same-id too
            key = " ".join(item.text.casefold().split())
            if same or key in seen_text:
                batch.results.append(FileResult(item.original_name, DUPLICATE, same or "", item.title,
                                                reason=Message("the same text is already in the archive")))
                continue
            seen_text.add(key)
            fresh.append(item)
            batch.results.append(FileResult(item.original_name, ADDED, item.id, item.title,
                                            reason=_added_note(item, store.near_duplicates(item))))
    if fresh:
        _store_and_index(fresh, batch, store, index_dir)
        if on_indexed is not None and batch.added:
            on_indexed([r.doc_id for r in batch.added])
        if registry is not None and new_people and batch.added:
            registry.add_extracted(new_people)
    for r in batch.results:
        store.log_upload(user, r.name, r.status, r.doc_id, r.reason)
    return batch


def _added_note(doc: Document, near: list[str]) -> str:
    """What an archivist should know about a document that was added."""
    if doc.is_cut:
        n = f"{SEARCHED_CHARS:,}"
        if near:
            return Message("nearly the same text as %(ids)s; only its first %(n)s characters are searched",
                           ids=", ".join(near), n=n)
        return Message("only its first %(n)s characters are searched (the whole text is kept)", n=n)
    return Message("nearly the same text as %(ids)s", ids=", ".join(near)) if near else ""


def _store_and_index(docs: list[Document], batch: UploadBatch, store: DocStore, index_dir: str | Path) -> None:
    earlier = [d for d in (store.get(doc.id) for doc in docs) if d is not None]  # versions a new one replaces
    stored = [doc for _, doc in store.put_many(docs)]
    try:
        with Indexer(open_index(index_dir)) as indexer:
            for doc in stored:
                indexer.add(doc)  # a document sent again under its id replaces its earlier records
        store.mark_indexed(stored)
    except Exception as exc:  # the index is busy or broken: leave the archive as it was
        log.exception("indexing %d uploaded documents failed; the archive is left as it was", len(docs))
        store.remove([doc.id for doc in docs])
        if earlier:
            store.put_many(earlier)
            store.mark_indexed(earlier)  # the index still holds them: its commit did not happen
        for r in batch.results:
            if r.status == ADDED:
                r.status, r.reason = FAILED, Message("the index could not be written (%(error)s); try again",
                                                 error=f"{exc.__class__.__name__}: {exc}")


def delete_document(doc_id: str, user: str, store: DocStore, index_dir: str | Path) -> bool:
    """Move a document to the trash and out of search at once."""
    if not store.delete(doc_id, user):
        return False
    with Indexer(open_index(index_dir)) as indexer:
        indexer.delete(doc_id)
    return True


MAX_ENTITY_LINES = 200  # people or places a correction may list (each line is one name lookup)
_ENTITY_FIELDS = (("people", "person"), ("places", "place"))


class CorrectionError(ItemError):
    """Corrections refused: one ItemError (field, reason) per value or line that cannot be taken."""

    def __init__(self, problems: list[ItemError]):
        super().__init__(problems[0].where, "; ".join(p.reason for p in problems))
        self.problems = problems


def _named(line: str, names: NameIndex) -> tuple[str, ...]:
    """The entities a line of the Correct form names: itself if it is an id, else those the name
    lookup gives for it (any script, case forms; no guessing at misspellings)."""
    if line in names.entities:
        return (line,)
    match = names.match([w for w, _, _ in tokenize(line)], adjective_ok=True)
    return match.entity_ids if match else ()


def entity_line(entity_id: str, names: NameIndex, lang: str = "en") -> str:
    """How the Correct form writes an entity: its label in `lang` if that names it and nothing
    else of its kind (so that the form can be sent back unchanged), else its id."""
    entity = names.entities.get(entity_id)
    if entity is None:
        return entity_id
    label = entity.label(lang)
    same_kind = [e for e in _named(label, names) if names.entities[e].kind == entity.kind]
    return label if same_kind == [entity_id] else entity_id


def resolve_entities(text: str, kind: str, names: NameIndex, known: frozenset[str] = frozenset()
                     ) -> tuple[list[str], list[Message]]:
    """The entities of `kind` ("person" or "place") that the lines of `text` name, each once, and a
    message for each line that names none of that kind, or several. A line is an entity id, or a
    name in any script (Зеленського, Kyiv); ids in `known` (the document's own) are taken as they
    are, even when the lookup lacks them."""
    ids: list[str] = []
    problems: list[Message] = []
    lines = text.splitlines()
    if sum(1 for line in lines if line.strip()) > MAX_ENTITY_LINES:
        return [], [Message("at most %(n)d lines, one name each", n=MAX_ENTITY_LINES)]
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if line in known:
            ids.append(line)
            continue
        named = _named(line, names)
        right = [e for e in named if names.entities[e].kind == kind]
        shown = line[:100]
        if len(right) == 1:
            ids.append(right[0])
        elif right:
            listed = ", ".join(right[:8]) + (", …" if len(right) > 8 else "")
            problems.append(Message("line %(line)d: “%(text)s” could be %(ids)s; write the id of the one meant",
                                    line=number, text=shown, ids=listed))
        elif named and kind == "person":
            problems.append(Message("line %(line)d: “%(text)s” is a place, not a person", line=number, text=shown))
        elif named:
            problems.append(Message("line %(line)d: “%(text)s” is a person, not a place", line=number, text=shown))
        elif kind == "person":
            problems.append(Message("line %(line)d: no person is known as “%(text)s” (look it up under Names, "
                                    "or give an id)", line=number, text=shown))
        else:
            problems.append(Message("line %(line)d: no place is known as “%(text)s” (look it up under Names, "
                                    "or give an id)", line=number, text=shown))
    return list(dict.fromkeys(ids)), problems


def correct_document(doc_id: str, form: dict[str, str], store: DocStore, index_dir: str | Path,
                     names: NameIndex) -> Document:
    """Apply an archivist's corrections (title, date, source, lang, people, places) and reindex.

    People and places are given one per line, each as a name in any script or an entity id
    (`resolve_entities`). Raises CorrectionError with every value and line that cannot be
    taken (nothing is changed then), ItemError if there is no such document.
    """
    current = store.get(doc_id)
    if current is None:
        raise ItemError(doc_id, Message("No document with id '%(id)s'", id=doc_id))
    values: dict[str, object] = {}
    problems: list[ItemError] = []
    for key in ("title", "source", "lang"):
        if key in form:
            values[key] = form[key].strip()[:2000]
    if values.get("title") == "":
        problems.append(ItemError("title", Message("a document needs a title")))
    if "date" in form:
        raw = form["date"].strip()
        values["date"] = normalize_date(raw) if raw else ""
        if raw and not values["date"]:
            problems.append(ItemError("date", Message("'%(value)s' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD",
                                                      value=raw)))
    for key, kind in _ENTITY_FIELDS:
        if key in form:
            known = frozenset(getattr(current, key))
            values[key], wrong = resolve_entities(form[key], kind, names, known)
            problems += [ItemError(key, reason) for reason in wrong]
    if problems:
        raise CorrectionError(problems)
    doc = store.correct(doc_id, values)
    if doc is None:
        raise ItemError(doc_id, Message("No document with id '%(id)s'", id=doc_id))
    index_pending(store, index_dir)
    return doc
