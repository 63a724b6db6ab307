"""The long-lived objects of one process: the store, the index handle, the name lookup, and
the archive (`searchapp.archive`), through which every write goes."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from searchapp import settings
from searchapp.accounts import Users
from searchapp.archive import Archive
from searchapp.docstore import DocStore
from searchapp.indexing.searchers import IndexHandle
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry
from searchapp.pipeline import ensure_index
from searchapp.saved import SavedQueries


@dataclass
class Services:
    store: DocStore
    index: IndexHandle
    registry: Registry
    users: Users
    saved: SavedQueries
    config: dict[str, Any]
    archive: Archive = field(init=False)
    _names: tuple[int, NameIndex, int] | None = None  # (edits version, lookup, newest extracted row)
    stop_following: threading.Event | None = None  # this process's follower of a shared store, if any

    def __post_init__(self) -> None:
        self.archive = Archive(store=self.store, registry=self.registry, saved=self.saved, index=self.index,
                               index_dir=self.config["INDEX_DIR"],
                               max_file_bytes=self.config["MAX_FILE_MB"] * 1024 * 1024, names=self.names,
                               commit_every=self.config["IMPORT_COMMIT_EVERY"])

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Services:
        location = settings.store(config)
        registry = Registry(location)
        registry.ensure_seeded()
        store = DocStore(location)
        # A worker only checks: repairing (rebuilding a damaged index, indexing what an interrupted
        # run left) is the master's job before it forks (`gunicorn_conf.on_starting`) or `reindex`'s.
        if ensure_index(store, config["INDEX_DIR"], repair=False) == "damaged":
            logging.getLogger("searchapp").error("the index at %s cannot be read; run 'searchapp reindex'",
                                                 config["INDEX_DIR"])
        return cls(store=store, index=IndexHandle(config["INDEX_DIR"]), registry=registry,
                   users=Users(location), saved=SavedQueries(location), config=config)

    def names(self) -> NameIndex:
        """The name lookup, up to date with the registry (changed by any process): people found
        in documents are added to it; archivists' edits and re-seeding rebuild it."""
        edits = self.registry.edits_version()
        if self._names is None or self._names[0] != edits:
            newest = self.registry.newest_extracted()
            self._names = (edits, NameIndex.from_registry(self.registry), newest)
        else:
            newest, added = self.registry.extracted_since(self._names[2])
            if added:
                self._names[1].add(added)
                self._names = (edits, self._names[1], newest)
        return self._names[1]

    def close(self) -> None:
        if self.stop_following is not None:
            self.stop_following.set()
        self.index.close()
        self.store.close()
        self.registry.close()
        self.users.close()
        self.saved.close()


def services() -> Services:
    return current_app.extensions["searchapp"]
