"""Publication dates found in an article's text, with their precision.

Metadata wins; this only runs when a document came without a date. Candidates
are found here (a date standing alone on a line, a dateline at the start of the
text, "Day N of the invasion"); dates inside sentences are events, not the
publication, and parsed by dateparser restricted to the document's
language. Dates after the document's arrival are refused; relative words ("yesterday",
"сегодня") are no evidence: the text gives no day they count from, and the day the document
arrived is not its publication. Time stamps without a year (comment
sidebars: "24.09 01:36") are never candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

from searchapp.text.analysis import is_cyrillic

INVASION_DAY_ONE = date(2022, 2, 24)
DATELINE_CHARS = 40
STANDALONE_MAX = 45
LEAD_LINES = 2  # the headline and lead, where "Day N of the invasion" dates the text

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|"
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
    "студзеня|лютага|сакавіка|красавіка|чэрвеня|ліпеня|жніўня|верасня|кастрычніка|лістапада|снежня|"
    "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia"
)
_CANDIDATE = re.compile(
    rf"\b(?:\d{{1,2}}\.?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}"          # 17 May 2023, 17 мая 2023
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # May 17, 2023
    r"|\d{4}-\d{2}-\d{2}"                                        # 2023-05-17
    r"|\d{1,2}[./]\d{1,2}[./]\d{4}"                              # 17.05.2023
    rf"|(?:{_MONTHS})\s+\d{{4}})\b",                              # May 2023
    re.IGNORECASE,
)
# "Published: ...", at the start of a line or after a separator (not "an earlier version published on").
_PUBLISHED = re.compile(r"(?:^|[|·•]\s*)(?:published|posted|опубликовано|опубліковано|апублікавана|opublikowano)"
                        r"(?:\s+on)?\s*:?\s*$", re.IGNORECASE)
_INVASION_DAY = re.compile(
    r"\bday\s+(\d{1,4})\s+of\s+(?:the\s+)?(?:full[- ]scale\s+|russian\s+)*(?:invasion|war)\b"
    r"|\b(\d{1,4})-?(?:й|ий|ый|і|th)?\s+день\s+(?:повномасштабного\s+|полномасштабного\s+)?"
    r"(?:вторгнення|вторжения|війни|войны|вайны)\b"
    r"|\b(\d{1,4})\.\s+dzień\s+(?:pełnoskalowej\s+)?(?:wojny|inwazji)\b",
    re.IGNORECASE,
)
_LANGS = {"en", "ru", "uk", "be", "pl"}


_CYRILLIC_LANGS = ("ru", "uk", "be")


@lru_cache(maxsize=16)
def _parser(lang: str, order: str) -> DateDataParser:
    languages = [lang] if lang in _LANGS else ["en"]
    return DateDataParser(languages=languages, settings={
        "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["year"], "RETURN_TIME_AS_PERIOD": False,
        "DATE_ORDER": order})


def _parse(candidate: str, lang: str, now: datetime) -> tuple[date, str] | None:
    """(date, precision) of one candidate string, or None."""
    # A date in Cyrillic is read in the Cyrillic languages, the text's own first (an English
    # report under "Минск, 12 марта 2024 года", a Russian one under "Київ, 5 травня 2023 року").
    tries = sorted(_CYRILLIC_LANGS, key=lambda other: other != lang) if is_cyrillic(candidate) else [lang]
    return next(filter(None, (_parse_in(candidate, other, now) for other in tries)), None)


def _parse_in(candidate: str, lang: str, now: datetime) -> tuple[date, str] | None:
    # 08.11.2022 is day first everywhere in this region; 11/08/2022 is American only in English.
    parser = _parser(lang, "MDY" if "/" in candidate and lang == "en" else "DMY")
    data = parser.get_date_data(candidate)
    if data is None or data.date_obj is None:
        return None
    found = data.date_obj.date()
    if found > now.date() or found.year < 1990:
        return None
    precision = data.period if data.period in ("day", "month", "year") else "day"
    return found, precision


def _as_string(found: date, precision: str) -> str:
    return {"day": found.isoformat(), "month": found.strftime("%Y-%m"), "year": str(found.year)}[precision]


def _standalone(line: str, match: re.Match) -> bool:
    """A date (with perhaps a weekday or time) that is the whole line; not a span of two dates
    (2 March 1931 - 30 August 2022)."""
    return (len(line) <= STANDALONE_MAX and len(line) - (match.end() - match.start()) <= 25
            and len(_CANDIDATE.findall(line)) == 1)


_DATELINE_PLACE = re.compile(r"^(?:[A-ZА-ЯЁІЇЄҐŁŚŻ][\w'’.-]*(?:\s+[\w'’.-]+){0,3},\s*)?$")
_DATELINE_END = re.compile(r"^\s*(?:[-–—:|(]|\(|$)")


def _is_dateline(line: str, match: re.Match) -> bool:
    """A date at the head of the text with at most a place before it and a dash or the end of
    the line after it ("MINSK, August 10, 2020 - ..."), not a sentence that starts with a date
    ("On July 17, 2014, ...", "3 stycznia 2023 roku ruszy ...")."""
    return (match.start() <= DATELINE_CHARS and _DATELINE_PLACE.match(line[: match.start()]) is not None
            and _DATELINE_END.match(line[match.end():]) is not None)


_YEAR_WORD = re.compile(r"^\s*(?:года|году|г\.|року|р\.|roku|r\.)?\s*$", re.IGNORECASE)


def is_dateline_only(line: str) -> bool:
    """A line that is a dateline and nothing else ("Минск, 12 марта 2024 года", "12.03.2024"): no
    title, though a text file's first line."""
    matches = list(_CANDIDATE.finditer(line))
    return (len(matches) == 1 and _DATELINE_PLACE.match(line[: matches[0].start()]) is not None
            and _YEAR_WORD.match(line[matches[0].end():]) is not None)


def publication_date(text: str, lang: str, now: datetime, url: str = "") -> str:
    """The publication date found in `text` ("YYYY-MM-DD", "YYYY-MM", "YYYY"), or "" if none.
    A date in the document's URL (/2022/nov/16/) is a fact about it: text evidence more than a
    day away from it is refused."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    header, standalone = [], []
    for i, line in enumerate(lines):
        for match in _CANDIDATE.finditer(line):
            cue = _PUBLISHED.search(line[max(0, match.start() - 24) : match.start()])
            if cue or _standalone(line, match):
                standalone.append(match.group())
            elif i == 0 and _is_dateline(line, match):
                # a dateline: "MINSK, August 10, 2020 - ..."
                header.append(match.group())
    known = url_date(url)
    for when, precision in _candidates(header + standalone, lines, lang, now):  # parsed one at a time
        if when <= now.date() and (known is None or abs((when - known).days) <= 1 or precision != "day"
                                   and _as_string(known, precision) == _as_string(when, precision)):
            return _as_string(when, precision)
    return ""


def _candidates(dates: list[str], lines: list[str], lang: str, now: datetime) -> Iterator[tuple[date, str]]:
    """The candidate dates in order, then "Day 448 of the invasion" in the headline or lead, or as
    a line of its own (elsewhere it is an event: "she died on day 40 of the war")."""
    yield from filter(None, (_parse(candidate, lang, now) for candidate in dates))
    for i, line in enumerate(lines):
        day = _INVASION_DAY.search(line)
        n = int(next(g for g in day.groups() if g)) if day else 0
        if n >= 1 and (i < LEAD_LINES or len(line) <= STANDALONE_MAX):
            yield INVASION_DAY_ONE + timedelta(days=n - 1), "day"
            return


_URL_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_URL_DATE = re.compile(rf"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2]|{'|'.join(_URL_MONTHS)})[/-](\d\d?)(?=[/_.-]|$)",
                       re.IGNORECASE)


def url_date(url: str) -> date | None:
    """The day in a URL's path (/2022/11/16/, /2022/nov/16/, /2022-11-16), if it has one."""
    match = _URL_DATE.search(url.split("?")[0])
    if not match:
        return None
    year, month, day = match.groups()
    number = int(month) if month.isdigit() else _URL_MONTHS.index(month.lower()) + 1
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None
