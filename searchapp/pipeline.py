"""Import and reindex: files -> documents -> facts -> store -> index.

The store is written first (it is the source of truth), then the index;
documents are marked indexed only after the index commit that holds them.
An interrupted import leaves pending documents, which the next import or
reindex picks up.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from searchapp.docstore import ADDED, SKIPPED, UPDATED, DocStore
from searchapp.extract import complete
from searchapp.indexing.writer import Indexer, open_index, replace_index_dir
from searchapp.ingest.readers import read_paths
from searchapp.model import Document, ItemError

Progress = Callable[[int], None]


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


def index_pending(store: DocStore, index_dir: str | Path, batch: int = 2000, progress: Progress | None = None,
                  replace: bool = True) -> int:
    """Index every stored document not yet in the index; returns how many.

    `replace=False` skips looking for earlier versions (for a fresh index)."""
    ix = open_index(index_dir)
    done = 0
    for docs in _batches(store.iter_documents(pending_only=True), batch):
        with Indexer(ix) as indexer:
            for doc in docs:
                indexer.add(doc, replace=replace)
        store.mark_indexed(docs)
        done += len(docs)
        if progress:
            progress(len(docs))
    return done


def import_documents(items: Iterable[Document | ItemError], store: DocStore, index_dir: str | Path,
                     batch: int = 2000, progress: Progress | None = None) -> ImportSummary:
    """Store and index documents (and count errors), committing every `batch` items."""
    summary = ImportSummary()
    index_pending(store, index_dir, batch)  # finish what an interrupted run left
    ix = open_index(index_dir)
    for chunk in _batches(items, batch):
        docs: dict[str, Document] = {}
        for item in chunk:
            if isinstance(item, ItemError):
                summary.failed.append(item)
            else:
                if item.id in docs:  # the same id twice in a batch: the later one wins
                    summary.skipped += 1
                docs[item.id] = complete(item)
        outcomes = store.put_many(docs.values())
        changed = []
        for doc, outcome in zip(docs.values(), outcomes):
            summary.count(outcome)
            if outcome != SKIPPED:
                changed.append((doc, outcome))
        if changed:
            with Indexer(ix) as indexer:
                for doc, outcome in changed:
                    indexer.add(doc, replace=outcome == UPDATED)
            store.mark_indexed(doc for doc, _ in changed)
        if progress:
            progress(len(chunk))
    return summary


def import_paths(paths: list[str], store: DocStore, index_dir: str | Path, batch: int = 2000,
                 progress: Progress | None = None) -> ImportSummary:
    return import_documents(read_paths(paths), store, index_dir, batch, progress)


def reindex(store: DocStore, index_dir: str | Path, batch: int = 2000, progress: Progress | None = None) -> int:
    """Rebuild the index from the store beside the old one, then swap it in."""
    target = Path(index_dir)
    fresh = target.with_name(target.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    store.mark_all_pending()
    count = index_pending(store, fresh, batch, progress, replace=False)
    replace_index_dir(fresh, target)
    return count


__all__ = ["ADDED", "ImportSummary", "import_documents", "import_paths", "index_pending", "reindex"]
