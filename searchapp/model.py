"""The values that flow through the pipeline: ingest -> extract -> index -> search."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

# How much of a document's text is analysed, searched and shown: the longest item of the shared
# news corpus has 177,000 characters. The whole text is stored; beyond this it is not processed,
# so that any document within the upload limits costs a bounded time (about 10 s at most here).
SEARCHED_CHARS = 500_000


def content_hash(title: str, text: str) -> str:
    """Hash of the normalized title and text: equal for the same document re-imported."""
    norm = " ".join(f"{title}\n{text}".split()).casefold()  # the same as collapsing \s+, faster
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

    @property
    def version(self) -> str:
        """A digest of what is stored and indexed of this document: equal versions index alike."""
        fields = [self.title, self.text, self.url, self.source, self.lang, self.date, *self.people, "|", *self.places]
        return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()

    @property
    def searched_text(self) -> str:
        """The part of the text that is analysed and searched (all of it, up to SEARCHED_CHARS)."""
        if len(self.text) <= SEARCHED_CHARS:
            return self.text
        cut = max(self.text.rfind(sep, 0, SEARCHED_CHARS) for sep in ("\n", " "))
        return self.text[: cut if cut > SEARCHED_CHARS // 2 else SEARCHED_CHARS]

    @property
    def is_cut(self) -> bool:
        return len(self.text) > SEARCHED_CHARS


class ItemError(Exception):
    """A document that could not be read, with a reason a person understands."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason
