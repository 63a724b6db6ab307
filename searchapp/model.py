"""The values that flow through the pipeline: ingest -> extract -> index -> search."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_SPACE_RE = re.compile(r"\s+")


def content_hash(title: str, text: str) -> str:
    """Hash of the normalized title and text: equal for the same document re-imported."""
    norm = _SPACE_RE.sub(" ", f"{title}\n{text}").strip().casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass
class Document:
    """One document as imported: text, metadata and the original bytes."""

    id: str
    title: str
    text: str
    url: str = ""
    source: str = ""
    lang: str = ""
    date: str = ""  # "YYYY-MM-DD", "YYYY-MM" or "YYYY": the precision is the length
    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    raw_text: str = ""  # the text as read, boilerplate included (text is the cleaned article)
    original: bytes = b""
    original_name: str = ""
    added: str = ""  # ISO 8601 UTC, set by the store

    @property
    def date_precision(self) -> str:
        return {10: "day", 7: "month", 4: "year"}.get(len(self.date), "unknown")

    @property
    def hash(self) -> str:
        return content_hash(self.title, self.text)


class ItemError(Exception):
    """A document that could not be read, with a reason a person understands."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason
