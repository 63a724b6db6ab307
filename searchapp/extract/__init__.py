"""Facts extracted from a document's text, filling what its metadata left empty."""

from __future__ import annotations

from searchapp.extract.language import detect_language
from searchapp.model import Document


def complete(doc: Document) -> Document:
    """Fill in the facts a document's metadata did not give (today: its language)."""
    if not doc.lang:
        doc.lang = detect_language(f"{doc.title}\n{doc.text}")
    return doc
