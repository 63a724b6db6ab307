"""The long-lived objects of one process: the document store and the index handle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from searchapp.docstore import DocStore
from searchapp.indexing.searchers import IndexHandle


@dataclass
class Services:
    store: DocStore
    index: IndexHandle
    config: dict[str, Any]

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Services:
        return cls(store=DocStore(config["DB"]), index=IndexHandle(config["INDEX_DIR"]), config=config)

    def close(self) -> None:
        self.index.close()
        self.store.close()


def services() -> Services:
    return current_app.extensions["searchapp"]
