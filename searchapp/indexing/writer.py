"""The one way documents get into (and out of) the index.

`Indexer` wraps a Whoosh writer: it turns a Document into its document record
and passage records, replaces earlier versions, and commits or cancels as a
unit. Whoosh allows one writer per index across all processes; `Indexer`
waits up to `timeout` seconds for the lock instead of failing at once.
Segments are written uncompound: opening a searcher then costs about a
millisecond instead of copying postings into memory.

A long writer (an import) must not starve short ones (an upload): a writer that
finds the lock taken leaves a `WRITER_WANTED.*` file in the index directory
while it waits; the long writer sees it (`others_waiting`), commits what it has,
and waits for the file to go (`wait_for_turn`) before it takes the lock again.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import secrets
import shutil
import signal
import struct
import time
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import whoosh.codec.base
import whoosh.filedb.compound
import whoosh.filedb.filestore
from whoosh import index
from whoosh.index import FileIndex, LockError
from whoosh.index import IndexError as IndexError_
from whoosh.util import IDCHARS
from whoosh.writing import SegmentWriter

from searchapp.indexing import lean_postings  # noqa: F401  (installs the lean posting steps)
from searchapp.indexing.schema import DOC, PASSAGE, make_schema
from searchapp.ingest.passages import split_passages
from searchapp.model import Document
from searchapp.names.terms import NameTerms, name_terms
from searchapp.text.analysis import exact_terms, stem_terms

IndexBusy = LockError  # another process holds the one writer longer than we would wait
LOCK_TIMEOUT = 60.0
WANTED = "WRITER_WANTED."
TURN_TIMEOUT = 15.0  # how long a long writer lets waiting writers go first
PR_SET_PDEATHSIG = 1  # prctl(2), Linux


# What a damaged index raises when it is opened and read: Whoosh's own errors, missing or
# truncated files. Anything else (a bug, a full disk) is no reason to throw an index away.
DAMAGE = (IndexError_, FileNotFoundError, EOFError, struct.error, zlib.error, pickle.UnpicklingError)


def _unpredictable_name(size: int = 28) -> str:
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


# Whoosh names new segments and temporary files from the shared `random` module: after anything
# seeds it (a test framework, a library), two writers draw the same segment name and the second
# truncates the first's live files. Names come from the system's randomness instead.
for _module in (whoosh.codec.base, whoosh.filedb.filestore, whoosh.filedb.compound):
    _module.random_name = _unpredictable_name


def index_exists(path: str | Path) -> bool:
    return index.exists_in(Path(path))


def index_damage(path: str | Path) -> str | None:
    """Why the index at `path` cannot be read (None if it reads, or if there is none)."""
    if not index_exists(path):
        return None
    try:
        ix = index.open_dir(Path(path))
        with ix.searcher() as searcher:
            for leaf, _ in searcher.leaf_searchers():  # touch every segment's files
                reader = leaf.reader()
                if reader.doc_count_all():
                    list(reader.lexicon("kind"))
                    reader.stored_fields(0)
    except DAMAGE as exc:
        return f"{exc.__class__.__name__}: {exc}"
    return None


def open_index(path: str | Path) -> FileIndex:
    """Open the index at `path`, creating an empty one if there is none."""
    path = Path(path)
    if index.exists_in(path):
        return index.open_dir(path)
    path.mkdir(parents=True, exist_ok=True)
    return index.create_in(path, make_schema())


def replace_index_dir(new: Path, target: Path) -> None:
    """Put a freshly built index in place of the old one (readers reopen on their next request)."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def document_meta(doc: Document) -> dict:
    """The metadata stored with a document record and shown in results."""
    return {
        "id": doc.id, "title": doc.title, "url": doc.url, "source": doc.source, "lang": doc.lang,
        "date": doc.date, "people": doc.people, "places": doc.places, "added": doc.added,
        "version": doc.version,  # lets a node's follower skip a change its index already holds
    }


@dataclass
class Words:
    """A document's words as the index takes them: the costly part of indexing, which a bulk
    import does in several processes (see `pipeline`), apart from the record's metadata."""

    of: tuple[str, str, str, str]  # the (id, title, searched text, language) analysed
    title: list[str]
    text: list[str]
    exact: list[str]
    names: NameTerms
    passages: list[dict]

    def fit(self, doc: Document) -> bool:
        """Whether these are still `doc`'s words (an archivist's correction may have changed them)."""
        return self.of == _analysed(doc)


def _analysed(doc: Document) -> tuple[str, str, str, str]:
    return doc.id, doc.title, doc.searched_text, doc.lang


def analyse(doc: Document) -> Words:
    """The words of a document's title and passages, stemmed, exact and as names."""
    title_stems = stem_terms(doc.title, doc.lang)
    title_exact = exact_terms(doc.title)
    text_stems, text_exact = list(title_stems), list(title_exact)
    names = name_terms(doc.title, doc.lang, headline=True)
    passages: list[dict] = []
    for pos, body in enumerate(split_passages(doc.searched_text)):
        p_stems, p_exact = stem_terms(body, doc.lang), exact_terms(body)
        p_names = name_terms(body, doc.lang)
        names.positioned += [(len(text_exact) + i, term) for i, term in p_names.positioned]
        names.lexicon |= p_names.lexicon
        text_stems += p_stems
        text_exact += p_exact
        passages.append({"kind": PASSAGE, "doc_id": doc.id, "ptext": p_stems, "pexact": p_exact,
                         "pnames": p_names.encoded(), "pos": pos, "body": body, "lead": "1" if pos == 0 else None})
    return Words(_analysed(doc), title_stems, text_stems, text_exact, names, passages)


def index_records(doc: Document, words: Words | None = None) -> list[dict]:
    """The index records of a document: its passages, then the document record (from `words`
    analysed beforehand, if they are still the document's)."""
    if words is None or not words.fit(doc):
        words = analyse(doc)
    return [*words.passages, {
        "kind": DOC, "doc_id": doc.id, "title": words.title, "text": words.text, "exact": words.exact,
        "names": words.names.encoded(), "namelex": sorted(words.names.lexicon) or None,
        "meta": document_meta(doc),
        "source": [doc.source] if doc.source else None,
        "lang": [doc.lang] if doc.lang else None,
        "date": [doc.date] if doc.date else None,
        "person": doc.people or None,
        "place": doc.places or None,
    }]


_forks = {"die_with_parent": False}  # set once this process starts helper processes


def children_die_with_parent() -> None:
    """Processes this one forks from now on exit when it dies (say, kill -9), not linger."""
    _forks["die_with_parent"] = True


def _die_with_parent() -> None:
    """In a writer's subprocess: exit when the importing process dies (say, kill -9), not linger."""
    if _forks["die_with_parent"]:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


os.register_at_fork(after_in_child=_die_with_parent)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class Indexer:
    """A batch of index changes, committed together on exit (cancelled on an exception)."""

    def __init__(self, ix: FileIndex, timeout: float = LOCK_TIMEOUT, limitmb: int = 256, procs: int = 1):
        """`procs` > 1: a multiprocess writer (for imports), whose processes each add a segment."""
        self.folder = Path(ix.storage.folder)
        self.changes = 0  # documents added and deleted so far
        options = {"limitmb": limitmb, "compound": False}
        if procs > 1:
            options.update(procs=procs, multisegment=True)
            children_die_with_parent()
        try:
            self._writer: SegmentWriter = ix.writer(**options)
        except LockError:  # busy: say so, so that a long writer commits and lets us in
            wanted = self.folder / f"{WANTED}{os.getpid()}.{uuid.uuid4().hex}"
            wanted.touch()
            try:
                self._writer = ix.writer(timeout=timeout, delay=0.02, **options)
            finally:
                wanted.unlink(missing_ok=True)

    def others_waiting(self) -> bool:
        """Whether another writer is waiting for the lock. The marker of a process that died
        while it waited (killed, say) is removed, not waited for."""
        waiting = False
        for name in os.listdir(self.folder):
            if not name.startswith(WANTED):
                continue
            pid = name[len(WANTED):].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                (self.folder / name).unlink(missing_ok=True)
            else:
                waiting = True
        return waiting

    def wait_for_turn(self, limit: float = TURN_TIMEOUT) -> None:
        """After a commit, let the writers that were waiting take the lock first."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self.others_waiting():
            time.sleep(0.02)

    def add(self, doc: Document, replace: bool = True, words: Words | None = None) -> None:
        """Index a document and its passages (with its `words`, if analysed beforehand); `replace`
        removes an earlier version first."""
        self.changes += 1
        if replace:
            self._writer.delete_by_term("doc_id", doc.id)
        for record in index_records(doc, words):
            self._writer.add_document(**record)

    def delete(self, doc_id: str) -> None:
        self.changes += 1
        self._writer.delete_by_term("doc_id", doc_id)

    def indexed_versions(self, doc_ids: list[str]) -> dict[str, str]:
        """The version of each of these documents that the index holds (absent: none), read under
        the writer's lock, so that no other writer's merge removes a segment meanwhile."""
        searcher = self._writer.searcher()
        return {fields["doc_id"]: fields["meta"].get("version", "") for doc_id in doc_ids
                for fields in searcher.documents(doc_id=doc_id, kind=DOC)}

    def commit(self, merge: bool = True) -> None:
        """Commit; `merge=False` leaves earlier segments alone (for large batches). With nothing
        added or deleted, the lock is let go and the index left as it was."""
        if not self.changes:
            self._writer.cancel()
            return
        self._writer.commit(merge=merge)

    def cancel(self) -> None:
        self._writer.cancel()

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.cancel()
