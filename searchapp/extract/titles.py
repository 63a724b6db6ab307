"""Which first line of an uploaded text is its title: not a dateline, a byline or a rubric."""

from __future__ import annotations

import re

from searchapp.extract.dates import is_dateline_only

_BYLINE = re.compile(r"^(?:by|автор(?:ы|и)?:?|від|от|autor(?:zy)?:?)\s+(.+)$", re.IGNORECASE)
_CONNECTORS = {"and", "і", "й", "и", "та", "i", "&"}
BYLINE_MAX = 80
RUBRIC_WORDS = 3
_RUBRIC_PATH = re.compile(r"\s[|›>»/]\s")  # "Новини | Політика", "News › World"


def is_not_a_title(line: str) -> bool:
    """A dateline ("Минск, 12 марта 2024 года"), a byline ("By Anna Kovalenko", "Автор: ..."), or a
    rubric ("POLITICS", "Новини | Політика") standing where a title would."""
    line = line.strip()
    letters = [c for c in line if c.isalpha()]
    rubric = len(line.split()) <= RUBRIC_WORDS and len(letters) > 1 and all(c.isupper() for c in letters)
    match = _BYLINE.match(line) if len(line) <= BYLINE_MAX else None
    byline = match is not None and all(w[:1].isupper() or w in _CONNECTORS  # names only: "By Anna Kovalenko"
                                       for w in match.group(1).replace(",", " ").split())
    parts = _RUBRIC_PATH.split(line)
    path = len(parts) >= 2 and all(len(p.split()) <= 2 for p in parts)
    return bool(line) and (is_dateline_only(line) or byline or rubric or path)


def title_from_text(title: str, raw_text: str, max_lines: int = 3) -> tuple[str, str]:
    """(title, raw text) with the lines that are no title moved from the title into the text's head,
    the first line that is a title taking their place (at most `max_lines` are skipped)."""
    head: list[str] = []
    lines = raw_text.strip().split("\n")
    while len(head) < max_lines and is_not_a_title(title) and lines and lines[0].strip():
        head.append(title)
        title, lines = lines[0].strip(), lines[1:]
    return title[:300], "\n".join([*head, *lines]).strip()
