"""Facts extracted from a document: clean text, language, date, source, people and places.

Metadata given with a document (or by an archivist) always wins; extraction
fills what is missing. The raw text is kept; the clean text is what gets
indexed and shown.
"""

from __future__ import annotations

from datetime import UTC, datetime

from searchapp.extract.clean import clean_text
from searchapp.extract.dates import publication_date
from searchapp.extract.entities import Mentions, find_mentions
from searchapp.extract.language import detect_language
from searchapp.extract.sources import detect_source
from searchapp.model import SEARCHED_CHARS, Document
from searchapp.names.lookup import NameIndex


def extract(doc: Document, names: NameIndex | None = None, now: datetime | None = None) -> Mentions:
    """Fill in `doc`'s missing facts in place; returns the mentions (with people new to the registry)."""
    now = now or datetime.now(UTC)
    if not doc.raw_text:
        doc.raw_text = doc.text
    doc.text = clean_text(doc.raw_text) or doc.raw_text
    text = doc.searched_text  # bounded: a very long text costs no more than SEARCHED_CHARS
    if not doc.lang:
        doc.lang = detect_language(f"{doc.title}\n{text}")
    if not doc.date:
        doc.date = publication_date(text, doc.lang, now, doc.url)
    doc.source = detect_source(doc.source, doc.url, doc.raw_text[:SEARCHED_CHARS])
    mentions = Mentions()
    if not doc.people and not doc.places:
        find_mentions(doc.title, names, discover=False, mentions=mentions, lang=doc.lang, headline=True)
        find_mentions(text, names, mentions=mentions, lang=doc.lang)
        doc.people, doc.places = mentions.people, mentions.places
    return mentions


__all__ = ["extract", "Mentions"]
