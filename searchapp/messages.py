"""Messages a person reads, written in English and translated where they are shown.

Code below the web layer has no request and no locale, so it builds a `Message`: a string whose
value is the English text, which also keeps its template and values, so a page can show it in
the reader's language (`searchapp.web.i18n`). `N_` marks a constant for the message catalog.
The JSON API keeps the English text.
"""

from __future__ import annotations

from typing import Any


class Message(str):
    """English text that remembers its %-template and values."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Message:
        text = super().__new__(cls, template % values if values else template)
        text.template, text.values = template, values
        return text


def N_(text: str) -> str:  # noqa: N802 - the conventional name message extractors look for
    """Mark a constant for translation where it is shown."""
    return text
