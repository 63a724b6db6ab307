"""Strip the boilerplate of scraped pages from an article's text, line by line.

Removed: navigation bars (short items separated by | / · >), share and
subscribe widgets, "related articles" and "read also" lists, comment sections
(from their heading or first timestamped comment to the end), advertisement,
sponsored and copyright lines, photo credits. What remains is the article.
"""

from __future__ import annotations

import re

_WIDGET = re.compile(
    r"^(?:(?:share( this)?( article| story)?|udostępnij|поделиться|поділитися|падзяліцца|subscribe|sign up|"
    r"підписуйтесь|подписывайтесь|падпісвайцеся|subskrybuj|zapisz się|follow us|advertisement|реклама|"
    r"reklama|sponsored( content)?|most (read|popular)|популярное|популярне|najczęściej czytane|"
    r"log in to comment|sign in|войти|увійти|zaloguj|copyright|все права защищены|усі права захищені|"
    r"getty images|ap photo)(?!\w)|©|\(c\)|photo:|фото:|zdjęcie:|reuters/|"
    # "Updated: 12:30", never "Updated defence paper ..."
    r"(?:updated|обновлено|оновлено|aktualizacja)(?=\s*(?:[:\d]|on\b|at\b)))",
    re.IGNORECASE,
)
# Inside a line, after a sentence: "Related: Who is ...?", "Subscribe to our morning briefing."
_INLINE_BOILERPLATE = re.compile(
    r"(?<=[.!?…])\s+(?:(?:related|read (?:more|also)|see also|читайте (?:также|також)|czytaj (?:także|też)):"
    r"|(?:subscribe to|sign up (?:to|for)|підпишіться на|подпишитесь на|zapisz się na)\b)[^.!?…]*[.!?…]?",
    re.IGNORECASE)
WIDGET_MAX = 160  # a longer line that starts like a widget has the lead glued to it
_FIRST_SENTENCE = re.compile(r"[.!?](?=\s*[\"«“A-ZА-ЯЁІЇЄҐŁŚŻ])")
_SHARE_LIST = re.compile(r"^(share|поделиться|поділитися|udostępnij)[^.!?]*[:|·]", re.IGNORECASE)
_RELATED = re.compile(
    r"^(related( articles| stories)?|read (more|also)|see also|more on this|читайте (также|також)|"
    r"читати також|чытайце таксама|czytaj (także|też|więcej)|zobacz też|по теме|на тему|more:)\b",
    re.IGNORECASE,
)
_COMMENTS = re.compile(r"^(comments?|комментари[ийя]|коментар[іи]|каментар\w*|komentarze)\s*(\(\d+\)|:|$)",
                       re.IGNORECASE)
_TIMESTAMP = re.compile(r"\b\d{1,2}[.:]\d{2}\s+\d{1,2}:\d{2}\b|\b\d{1,2}:\d{2}\b")
_NAV_SEPARATORS = re.compile(r"\s[|/·>»–-]\s")
_LIST_ITEM = re.compile(r"^[-–•*]\s")


def is_navigation(line: str) -> bool:
    """Short items joined by separators: "Home | News | World | Sign in"."""
    parts = _NAV_SEPARATORS.split(line)
    return len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts)


_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def _is_comment(line: str) -> bool:
    """A comment line: a short author, a time stamp without a year, a short remark."""
    return (bool(_TIMESTAMP.search(line)) and not _YEAR.search(line) and len(line) < 200
            and not line.endswith((".", "»", "\"")))


_CHAPTER = re.compile(r"^\(?((?:\d{1,2}:)?\d{1,2}:\d{2})\)?\s*[-–—.]?\s*\w")


def _seconds(stamp: str) -> int:
    total = 0
    for part in stamp.split(":"):
        total = total * 60 + int(part)
    return total


def _chapter_lines(lines: list[str]) -> set[int]:
    """Lines of a video's or podcast's chapter list ("09:12 Так Путин ..."): two or more lines in
    a row that start with a time, the times rising. Text, not comment time stamps."""
    found: set[int] = set()
    run: list[tuple[int, int]] = []  # (line index, seconds)
    for i, line in enumerate([*lines, ""]):
        stripped = line.strip()
        if not stripped and i < len(lines):
            continue
        match = _CHAPTER.match(stripped)
        if match and (not run or _seconds(match.group(1)) > run[-1][1]):
            run.append((i, _seconds(match.group(1))))
            continue
        if len(run) >= 2:
            found.update(index for index, _ in run)
        run = [(i, _seconds(match.group(1)))] if match else []
    return found


def clean_text(text: str) -> str:
    """The article without its boilerplate lines (paragraph breaks kept)."""
    kept: list[str] = []
    in_list = False
    lines = text.split("\n")
    chapters = _chapter_lines(lines)
    for number, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            in_list = False
            kept.append("")
            continue
        if _COMMENTS.match(line):
            break  # comment sections run to the end of the page
        if _RELATED.match(line):
            in_list = True
            continue
        if in_list and (_LIST_ITEM.match(line) or len(line) < 80):
            continue
        in_list = False
        if _WIDGET.match(line) or _SHARE_LIST.match(line):
            if len(line) <= WIDGET_MAX:
                continue
            # "Follow us ... newsletter.Rishi Sunak makes ...": the widget's sentence goes, the lead stays
            end = _FIRST_SENTENCE.search(line)
            line = line[end.end():].strip() if end else line
        elif is_navigation(line):
            continue
        line = _INLINE_BOILERPLATE.sub("", line)
        if number not in chapters and _is_comment(line) and kept and _is_comment_context(kept):
            break
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _is_comment_context(kept: list[str]) -> bool:
    """A timestamped line ends the article only once there is an article before it."""
    return sum(len(line) for line in kept) > 200
