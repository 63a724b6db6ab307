"""The archive's one write path: every change to documents, their index and the name registry.

Uploads (the form and the API, files or a JSON document), imports, corrections, deletions,
restores from the trash, entity merges and deletions, and reindexing all go through `Archive`,
which the web views and the command line both call. Each write stores first, then indexes,
then matches new documents against the saved queries; the limits (the size of one file) are
enforced here, whichever door a document comes in by. Nothing here knows of Flask.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from searchapp import pipeline, settings, uploads
from searchapp.docstore import DocStore
from searchapp.follower import Follower
from searchapp.indexing.searchers import IndexHandle
from searchapp.ingest.readers import document_from_record
from searchapp.messages import Message
from searchapp.model import Document, ItemError
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry
from searchapp.saved import SavedQueries, SavedQuery, percolate
from searchapp.search.engine import search
from searchapp.search.params import SearchParams

FIRST_MATCHES = 50  # a new saved query's feed starts with this many of its newest matches


@dataclass
class Archive:
    store: DocStore
    registry: Registry
    saved: SavedQueries
    index: IndexHandle  # this process's reader, to match new documents against saved queries
    index_dir: str | Path
    max_file_bytes: int
    names: Callable[[], NameIndex]  # the current name lookup
    commit_every: int = pipeline.COMMIT_EVERY
    _closers: list[Any] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: dict[str, Any], names: Callable[[], NameIndex] | None = None) -> Archive:
        """An archive over the store and index the settings name (for the command line)."""
        location = settings.store(config)
        registry = Registry(location)
        registry.ensure_seeded()
        archive = cls(store=DocStore(location), registry=registry, saved=SavedQueries(location),
                      index=IndexHandle(config["INDEX_DIR"]), index_dir=config["INDEX_DIR"],
                      max_file_bytes=config["MAX_FILE_MB"] * 1024 * 1024,
                      names=names or functools.cache(lambda: NameIndex.from_registry(registry)),
                      commit_every=config["IMPORT_COMMIT_EVERY"])
        archive._closers = [archive.store, archive.registry, archive.saved, archive.index]
        return archive

    def close(self) -> None:
        for resource in self._closers:
            resource.close()

    # Adding documents ----------------------------------------------------------------------
    def percolate(self, doc_ids: list[str]) -> None:
        """Match newly indexed documents against the saved queries."""
        if self.saved.all():
            percolate(self.saved, self.index, doc_ids, self.names())

    def upload(self, files: list[tuple[str, bytes]], overrides: dict[str, str], user: str) -> uploads.UploadBatch:
        """Files from an archivist (a ZIP's members each count): added, duplicates or refused."""
        fitting = [(name, data) for name, data in files if len(data) <= self.max_file_bytes]
        batch = uploads.upload(fitting, overrides, user, self.store, self.index_dir, self.registry, self.names(),
                               on_indexed=self.percolate)
        for name, data in files:
            if len(data) > self.max_file_bytes:
                reason = Message("larger than %(mb)d MB", mb=self.max_file_bytes // (1024 * 1024))
                batch.results.append(uploads.FileResult(name, uploads.FAILED, reason=reason, too_large=True))
                self.store.log_upload(user, name, uploads.FAILED, reason=reason)
        return batch

    def add_record(self, record: dict, raw: bytes, overrides: dict[str, str], user: str) -> uploads.UploadBatch:
        """One JSON document {"title", "text", ...} (the API's JSON upload)."""
        if len(raw) > self.max_file_bytes:
            return self.upload([("document.json", raw)], overrides, user)  # refused for its size
        doc = document_from_record(record, "document.json", raw)
        return uploads.upload([("document.json", doc)], overrides, user, self.store, self.index_dir, self.registry,
                              self.names(), on_indexed=self.percolate)

    def import_paths(self, paths: list[str], progress: pipeline.Progress | None = None) -> pipeline.ImportSummary:
        """Bulk import of files and folders (JSONL and single documents)."""
        return pipeline.import_paths(paths, self.store, self.index_dir, progress=progress,
                                     commit_every=self.commit_every, registry=self.registry,
                                     on_indexed=self.percolate)

    def save_query(self, user_id: int, name: str, params: SearchParams) -> SavedQuery:
        """A saved query, whose feed and first `since=last` list its newest matches from the start."""
        saved = self.saved.create(user_id, name, params)
        newest = search(self.index, replace(params, sort="-date", page=1), self.names(), per_page=FIRST_MATCHES,
                        passages_per_hit=0)["results"]
        self.saved.record_matches(saved.id, [r["id"] for r in reversed(newest)])  # recorded oldest first
        return saved

    # Changing documents ----------------------------------------------------------------------
    def correct(self, doc_id: str, form: dict[str, str]) -> Document:
        """An archivist's corrections (see `uploads.correct_document`); ItemError with a reason."""
        return uploads.correct_document(doc_id, form, self.store, self.index_dir, self.names())

    def delete(self, doc_id: str, user: str) -> bool:
        """Into the trash and out of search at once; False if there is no such document."""
        return uploads.delete_document(doc_id, user, self.store, self.index_dir)

    def restore(self, doc_id: str) -> Document | None:
        """Back from the trash, with its corrections, into search; None if it is not there."""
        doc = self.store.restore(doc_id)
        if doc is not None:
            pipeline.index_pending(self.store, self.index_dir)
        return doc

    def trash(self, keep_days: int) -> list[dict]:
        """What is in the trash, newest deletion first, with the days left before a purge (see
        `DocStore.trash`)."""
        return self.store.trash(keep_days)

    def purge_trash(self, older_than_days: int) -> int:
        """Forget for good the documents deleted more than `older_than_days` days ago; how many."""
        return self.store.purge_trash(older_than_days)

    def reindex(self, progress: pipeline.Progress | None = None) -> int:
        """Rebuild this machine's index from the store (noting the last change it holds, so that a
        node's follower goes on from there)."""
        return Follower(self.store, self.index_dir).rebuild(progress, self.commit_every)

    # The name registry ------------------------------------------------------------------------
    def merge_entities(self, source: str, target: str) -> int:
        return pipeline.merge_entities(self.registry, self.store, self.index_dir, source, target)

    def delete_entity(self, entity_id: str) -> int:
        return pipeline.delete_entity(self.registry, self.store, self.index_dir, entity_id)

    def add_spelling(self, entity_id: str, spelling: str) -> None:
        self.registry.add_spelling(entity_id, spelling)

    def split(self, entity_id: str, spelling: str, new_id: str = "") -> None:
        self.registry.split(entity_id, spelling, new_id)


__all__ = ["Archive", "ItemError"]
