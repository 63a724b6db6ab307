"""Import and reindex: files -> documents -> facts -> store -> index.

The store is written first (it is the source of truth), then the index;
documents are marked indexed only after the index commit that holds them.
An interrupted import leaves pending documents, which the next import or
reindex picks up.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import multiprocessing.pool
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from searchapp.docstore import SKIPPED, UPDATED, DocStore, simhash
from searchapp.extract import extract
from searchapp.indexing.writer import (
    IndexBusy,
    Indexer,
    Words,
    analyse,
    children_die_with_parent,
    index_damage,
    index_exists,
    open_index,
    replace_index_dir,
)
from searchapp.ingest.readers import read_paths
from searchapp.model import Document, ItemError
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry

Progress = Callable[[int], None]
COMMIT_EVERY = 40_000
# Imports write with Whoosh's multiprocess writer: each process builds its own segment, added to
# the index at commit without a merge (~1.5x the rate of one process on 2 cores). Each sorts its
# postings in memory up to POOL_MB (estimated) instead of pickling them to disk in runs, which
# made imports ~40% slower.
WRITER_PROCS = max(1, min(4, os.cpu_count() or 1))
POOL_MB = 1024
# A bulk import extracts and analyses documents in this many processes (forked with the name
# lookup), while this one stores them and feeds the writer: ~1.6x the rate on 2 cores.
EXTRACT_PROCS = max(1, min(8, os.cpu_count() or 1))


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    skipped: int = 0
    failed: list[ItemError] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "skipped": self.skipped,
                "failed": [{"where": e.where, "reason": e.reason} for e in self.failed]}


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _IndexFeed:
    """Feeds documents to one open writer and commits every `commit_every` documents.

    Large commits are not merged with earlier segments (Whoosh merges in
    Python, minutes at corpus size); small ones let Whoosh merge small segments.
    Documents are marked indexed in the store only once their commit is done.
    When another writer (an upload) waits for the lock, the feed commits early
    and lets it go first.
    """

    CHECK_EVERY = 25  # documents between looks for waiting writers

    def __init__(self, store: DocStore, index_dir: str | Path, commit_every: int,
                 on_indexed: Callable[[list[str]], object] | None = None):
        self.on_indexed = on_indexed
        self.store = store
        self.ix = open_index(index_dir)
        self.commit_every = commit_every
        self.indexer: Indexer | None = None
        self.pending: dict[str, Document] = {}  # by id: added to the open writer, not yet committed
        self.procs = 1  # processes of the next writer: more for bulk imports

    def add(self, doc: Document, replace: bool, words: Words | None = None) -> None:
        if replace and doc.id in self.pending:
            self.commit()  # its earlier version is in this writer, where a delete does not reach it
        if self.indexer is None:
            self.indexer = Indexer(self.ix, limitmb=POOL_MB, procs=self.procs)
        self.indexer.add(doc, replace=replace, words=words)
        self.pending[doc.id] = doc
        if len(self.pending) >= self.commit_every:
            self.commit()
        elif len(self.pending) % self.CHECK_EVERY == 0 and self.indexer.others_waiting():
            indexer = self.indexer
            self.commit()
            indexer.wait_for_turn()

    def commit(self) -> None:
        if self.indexer is None:
            return
        self.indexer.commit(merge=len(self.pending) < self.commit_every // 2)
        self.store.mark_indexed(self.pending.values())
        if self.on_indexed is not None:
            self.on_indexed(list(self.pending))
        self.indexer, self.pending = None, {}

    def cancel(self) -> None:
        if self.indexer is not None:
            self.indexer.cancel()
            self.indexer, self.pending = None, {}


def index_pending(store: DocStore, index_dir: str | Path, progress: Progress | None = None,
                  replace: bool = True, commit_every: int = COMMIT_EVERY, pending_only: bool = True) -> int:
    """Index every stored document not yet in the index (or, with `pending_only=False`, every
    stored document); returns how many. `replace=False` skips looking for earlier versions (for a
    fresh index)."""
    feed = _IndexFeed(store, index_dir, commit_every)
    done = 0
    try:
        for doc in store.iter_documents(pending_only=pending_only):
            feed.add(doc, replace)
            done += 1
            if progress and done % 1000 == 0:
                progress(1000)
        feed.commit()
    except BaseException:
        feed.cancel()
        raise
    if progress:
        progress(done % 1000)
    return done


_pool_names: list[NameIndex | None] = [None]  # the name lookup of an extraction process


@dataclass
class Prepared:
    """A document with its facts extracted, the people new to the registry, its words analysed
    and the SimHash of its text (for the store)."""

    doc: Document
    new_people: dict[str, str]
    words: Words
    simhash: int


def _prepared(doc: Document) -> Prepared:
    mentions = extract(doc, _pool_names[0])
    return Prepared(doc, mentions.new_people, analyse(doc), simhash(doc.text))


class _Preparer:
    """Extracts and analyses documents: in this process for a few, in forked processes (started
    at the first large batch, each with this process's name lookup) for a bulk import, where the
    next batch is prepared while this process stores and indexes the one before."""

    def __init__(self, names: NameIndex | None, large: int):
        self.names, self.large = names, large
        self.pool: multiprocessing.pool.Pool | None = None

    def start(self, docs: list[Document]) -> Callable[[], list[Prepared]]:
        """Begin preparing `docs`; returns what waits for the result."""
        if (len(docs) < self.large and self.pool is None) or EXTRACT_PROCS < 2:
            _pool_names[0] = self.names
            return lambda: [_prepared(doc) for doc in docs]
        if self.pool is None:
            _pool_names[0] = self.names
            children_die_with_parent()
            self.pool = multiprocessing.get_context("fork").Pool(EXTRACT_PROCS)
        return self.pool.map_async(_prepared, docs, chunksize=8).get

    def batches(self, chunks: Iterable[list]) -> Iterator[tuple[list, list[Prepared]]]:
        """Each chunk of items with its documents prepared, one chunk ahead."""
        ahead: tuple[list, Callable[[], list[Prepared]]] | None = None
        for chunk in chunks:
            started = chunk, self.start([item for item in chunk if not isinstance(item, ItemError)])
            if ahead is not None:
                yield ahead[0], ahead[1]()
            ahead = started
        if ahead is not None:
            yield ahead[0], ahead[1]()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool = None


def import_documents(items: Iterable[Document | ItemError], store: DocStore, index_dir: str | Path,
                     batch: int = 2000, progress: Progress | None = None, commit_every: int = COMMIT_EVERY,
                     registry: Registry | None = None, on_indexed: Callable[[list[str]], object] | None = None
                     ) -> ImportSummary:
    """Extract, store and index documents `batch` at a time, counting outcomes and errors.

    With a `registry`, people and places are resolved to its entities, and people it
    lacks are added to it (to the lookup of the next import)."""
    summary = ImportSummary()
    prepare = _Preparer(NameIndex.from_registry(registry) if registry is not None else None, large=batch)
    index_pending(store, index_dir)  # finish what an interrupted run left
    feed = _IndexFeed(store, index_dir, commit_every, on_indexed)
    try:
        for chunk, prepared in prepare.batches(_batches(items, batch)):
            summary.failed += [item for item in chunk if isinstance(item, ItemError)]
            docs: dict[str, Prepared] = {}
            new_people: dict[str, str] = {}
            for done in prepared:
                if done.doc.id in docs:  # the same id twice in a batch: the later one wins
                    summary.skipped += 1
                new_people.update(done.new_people)
                docs[done.doc.id] = done
            if registry is not None and new_people:
                registry.add_extracted(new_people)
            feed.procs = WRITER_PROCS if len(chunk) >= batch else 1  # a bulk import, or a few documents
            simhashes = {done.doc.text: done.simhash for done in docs.values()}
            for outcome, stored in store.put_many((done.doc for done in docs.values()), simhashes=simhashes):
                summary.count(outcome)
                if outcome != SKIPPED:
                    feed.add(stored, replace=outcome == UPDATED, words=docs[stored.id].words)
            if progress:
                progress(len(chunk))
        feed.commit()
    except BaseException:
        feed.cancel()
        raise
    finally:
        prepare.close()
    return summary


def import_paths(paths: list[str], store: DocStore, index_dir: str | Path, progress: Progress | None = None,
                 commit_every: int = COMMIT_EVERY, registry: Registry | None = None,
                 on_indexed: Callable[[list[str]], object] | None = None) -> ImportSummary:
    return import_documents(read_paths(paths), store, index_dir, progress=progress, commit_every=commit_every,
                            registry=registry, on_indexed=on_indexed)


def reindex(store: DocStore, index_dir: str | Path, progress: Progress | None = None,
            commit_every: int = COMMIT_EVERY) -> int:
    """Rebuild the index from the store beside the old one, then swap it in."""
    target = Path(index_dir)
    fresh = target.with_name(target.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    count = index_pending(store, fresh, progress, replace=False, commit_every=commit_every, pending_only=False)
    replace_index_dir(fresh, target)
    return count



def merge_entities(registry: Registry, store: DocStore, index_dir: str | Path, source: str, target: str) -> int:
    """Merge two entities in the registry, then move and reindex the documents that named the first."""
    registry.merge(source, target)
    moved = store.rename_entity(source, target)
    index_pending(store, index_dir)
    return moved


def delete_entity(registry: Registry, store: DocStore, index_dir: str | Path, entity_id: str) -> int:
    """Forget an entity (a wrong automatic one), take it off the documents naming it and reindex them."""
    registry.delete(entity_id)
    moved = store.rename_entity(entity_id, "")
    index_pending(store, index_dir)
    return moved


def ensure_index(store: DocStore, index_dir: str | Path, repair: bool = True) -> str:
    """Make sure there is an index that reads: create an empty one if there is none, and, with
    `repair`, rebuild a damaged one from the store and index what an interrupted run left pending
    (gunicorn's master does this before it starts workers; a worker only checks).

    Returns "ok", "created", "rebuilt", or "damaged" (found so and not repaired)."""
    path = Path(index_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".startup-lock"), "w") as lock:  # processes start together
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not index_exists(path):
            open_index(path)
            status = "created"
        elif index_damage(path) is None:
            status = "ok"
        elif not repair:
            return "damaged"
        else:
            shutil.rmtree(path, ignore_errors=True)
            reindex(store, path)
            return "rebuilt"
        if repair and store.count_pending():
            try:
                index_pending(store, path)
            except IndexBusy:  # an import holds the writer and will index them itself
                pass
        return status
