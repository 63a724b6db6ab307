"""Per-process read access to the index: one searcher, reopened when the index changes.

A worker keeps its searcher between requests and checks, at the start of
each one, whether another process committed (`up_to_date`) or replaced the
index directory (a rebuild); then it opens a new searcher. Searchers are
never refreshed in place (`Searcher.refresh()` returns stale documents in
Whoosh 2.7.5) and never opened before a fork: the handle opens lazily.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import numpy as np
from whoosh import index
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from searchapp.indexing.columns import ColumnCache, Columns
from searchapp.indexing.postings import PostingsCache
from searchapp.indexing.writer import index_exists

_NO_DOCS = np.zeros(0, dtype=np.int64)


class IndexUnavailable(Exception):
    """There is no index to read (yet): it is being built, or the store was never indexed."""


@dataclass
class Snapshot:
    """A searcher, and the facet columns and postings cache that go with it."""

    searcher: Searcher
    columns: Columns
    postings: PostingsCache
    frequencies: dict[tuple[str, str], int] = field(default_factory=dict)
    lexicon: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    ids: dict[int, str] = field(default_factory=dict)
    # positional query -> (doc numbers checked, those that matched), sorted: positions, the
    # slowest reads, are read once per snapshot for a phrase or name sequence however often asked
    positions: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=OrderedDict)
    kept_ids: int = 0
    POSITION_IDS: ClassVar[int] = 2_000_000  # doc numbers kept in all (16 MB), the least recent dropped

    def read_positions(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """The doc numbers a positional query was checked for and those it matched (none yet:
        two empty arrays)."""
        found = self.positions.get(key)
        if found is None:
            return _NO_DOCS, _NO_DOCS
        with suppress(KeyError):  # (another thread may have dropped it meanwhile)
            self.positions.move_to_end(key)
        return found

    def keep_positions(self, key: str, checked: np.ndarray, matched: np.ndarray) -> None:
        """Remember what a positional query was checked for and matched (see `read_positions`)."""
        old = self.positions.pop(key, None)
        self.kept_ids += len(checked) + len(matched) - (len(old[0]) + len(old[1]) if old else 0)
        self.positions[key] = (checked, matched)
        while self.kept_ids > self.POSITION_IDS and len(self.positions) > 1:
            dropped = self.positions.popitem(last=False)[1]
            self.kept_ids -= len(dropped[0]) + len(dropped[1])

    def doc_id(self, docnum: int) -> str:
        """The document id of a document record (remembered)."""
        found = self.ids.get(docnum)
        if found is None:
            if len(self.ids) > 200_000:
                self.ids.clear()
            found = self.ids[docnum] = self.searcher.stored_fields(docnum)["doc_id"]
        return found

    def doc_frequency(self, fieldname: str, term: str) -> int:
        """How many records have `term` in `fieldname` (remembered: a snapshot never changes)."""
        key = (fieldname, term)
        found = self.frequencies.get(key)
        if found is None:
            if len(self.frequencies) > 100_000:
                self.frequencies.clear()
            found = self.frequencies[key] = self.searcher.doc_frequency(fieldname, term)
        return found

    def has_term(self, fieldname: str, term: str) -> bool:
        """Whether any document has `term` in `fieldname`."""
        return self.doc_frequency(fieldname, term) > 0

    def name_lexicon(self, skeleton: str) -> list[tuple[str, str]]:
        """(key, spelling) of the names written with these consonants (see `names.terms`)."""
        found = self.lexicon.get(skeleton)
        if found is None:
            if len(self.lexicon) > 20_000:
                self.lexicon.clear()
            found = []
            for term in self.searcher.reader().expand_prefix("namelex", skeleton + "|"):
                _, key, spelling = (term.decode("utf-8") if isinstance(term, bytes) else term).split("|")
                found.append((key, spelling))
            self.lexicon[skeleton] = found
        return found


class IndexHandle:
    """Opens the index at `path` on first use and keeps the newest snapshot of it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ix: FileIndex | None = None
        self._dir_id: tuple[int, int] | None = None
        self._snapshot: Snapshot | None = None
        self._cache = ColumnCache()
        self._postings = PostingsCache()
        self._pid = os.getpid()

    def _directory_id(self) -> tuple[int, int]:
        st = os.stat(self.path)
        return st.st_dev, st.st_ino

    def _current(self) -> Snapshot:
        if self._pid != os.getpid():  # forked: never reuse the parent's open files
            self._ix, self._snapshot, self._pid = None, None, os.getpid()
            self._cache, self._postings = ColumnCache(), PostingsCache()
        dir_id = self._directory_id() if self.path.exists() else None
        if self._ix is None or dir_id != self._dir_id:
            self._close_snapshot()
            if not index_exists(self.path):  # a reader never makes one: that races a rebuild's swap
                raise IndexUnavailable(f"there is no index at {self.path}")
            self._ix = index.open_dir(self.path)
            self._dir_id = self._directory_id()
        snap = self._snapshot
        if snap is None or not snap.searcher.up_to_date():
            self._close_snapshot()
            searcher = self._ix.searcher()
            snap = self._snapshot = Snapshot(searcher, self._cache.columns_for(searcher), self._postings)
        return snap

    def _close_snapshot(self) -> None:
        if self._snapshot is not None:
            self._snapshot.searcher.close()
            self._snapshot = None

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """The newest snapshot, held exclusively by this thread while in use."""
        with self._lock:
            yield self._current()

    def close(self) -> None:
        with self._lock:
            self._close_snapshot()
            self._ix = None
