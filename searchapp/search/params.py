"""SearchParams: everything a search URL can say, validated, and back to a URL.

| parameter | meaning |
| --- | --- |
| q | the query (syntax in the README) |
| person, place, source, lang | facet filters, repeatable: OR within one, AND across |
| from, to | date range, ISO: YYYY, YYYY-MM or YYYY-MM-DD (inclusive) |
| sort | relevance (default with a query), -date (newest first; default without), date |
| page | 1-based page number |
| expand | 1 (default) or 0: name-variant expansion on or off |
| more | facets (person, place, source, lang) to show in full rather than their top values |
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

from searchapp.messages import Message

FILTER_PARAMS = ("person", "place", "source", "lang")
SORTS = ("relevance", "date", "-date")
MAX_FILTER_VALUES = 50


class ParamError(ValueError):
    """A parameter a person can fix; the message says how (a %-template and its values)."""

    def __init__(self, template: str, **values: object):
        self.message = Message(template, **values)
        super().__init__(str(self.message))


def parse_date_bound(value: str, end: bool) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD as the first day (or, for `end`, the last day) it covers."""
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            y = int(parts[0])
            return date(y, 12, 31) if end else date(y, 1, 1)
        if len(parts) == 2 and len(parts[0]) == 4:
            y, m = int(parts[0]), int(parts[1])
            return date(y, m, calendar.monthrange(y, m)[1] if end else 1)
        if len(parts) == 3 and len(parts[0]) == 4:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        pass
    raise ParamError("'%(value)s' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2023-05-17", value=value)


_quote = lru_cache(maxsize=4096)(quote_plus)  # a page builds ~100 links from the same few values


def _url(path: str, args: list[tuple[str, str]]) -> str:
    return f"{path}?{'&'.join(f'{_quote(k)}={_quote(v)}' for k, v in args)}" if args else path


class _QueryArgs(dict):
    """A parsed query string with the one method `from_args` reads (`getlist`), without Flask."""

    def __init__(self, query: str):
        super().__init__()
        for name, value in parse_qsl(query, keep_blank_values=True):
            self.setdefault(name, []).append(value)

    def getlist(self, name: str) -> list[str]:
        return self.get(name, [])


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: str = ""
    date_to: str = ""
    sort: str = ""
    page: int = 1
    expand: bool = True
    more: tuple[str, ...] = ()

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "-date")

    @property
    def range(self) -> tuple[date | None, date | None]:
        lo = parse_date_bound(self.date_from, end=False) if self.date_from else None
        hi = parse_date_bound(self.date_to, end=True) if self.date_to else None
        return lo, hi

    @classmethod
    def from_args(cls, args: Mapping, max_query: int = 1000) -> SearchParams:
        """Read request arguments (a MultiDict); raise ParamError with a helpful message."""
        def one(name: str) -> str:
            values = args.getlist(name)
            if len(values) > 1:
                raise ParamError("'%(name)s' may be given only once", name=name)
            return values[0].strip() if values else ""

        q = one("q")
        if len(q) > max_query:
            raise ParamError("The query is too long (%(length)d characters; at most %(limit)d)",
                             length=len(q), limit=max_query)
        if "\x00" in q:
            raise ParamError("The query contains a NUL character")
        filters = {}
        for name in FILTER_PARAMS:
            values = tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
            if len(values) > MAX_FILTER_VALUES:
                raise ParamError("Too many '%(name)s' values (at most %(limit)d)", name=name, limit=MAX_FILTER_VALUES)
            if values:
                filters[name] = values
        sort = one("sort")
        if sort and sort not in SORTS:
            raise ParamError("'sort' must be one of %(sorts)s", sorts=", ".join(SORTS))
        page_raw = one("page") or "1"
        if not page_raw.isascii() or not page_raw.isdigit() or not 1 <= int(page_raw) <= 100_000:
            raise ParamError("'page' must be a whole number from 1")
        expand_raw = one("expand") or "1"
        if expand_raw not in ("0", "1"):
            raise ParamError("'expand' must be 1 or 0")
        more = tuple(dict.fromkeys(m for m in args.getlist("more") if m in FILTER_PARAMS))
        params = cls(q=q, filters=filters, date_from=one("from"), date_to=one("to"), sort=sort,
                     page=int(page_raw), expand=expand_raw == "1", more=more)
        params.range  # noqa: B018 - validates the dates (a range that ends before it starts holds nothing)
        return params

    @classmethod
    def from_url(cls, url: str, max_query: int = 1000) -> SearchParams | None:
        """The search that a relative `/search?...` URL names, or None for anything else: an absolute or
        protocol-relative URL, another path (`/\\evil.example` too, which browsers read as `//`) or
        parameters that make no sense. Rebuilt with `url()`, it can only lead to this site's search page."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or parts.path != "/search":
            return None
        try:
            return cls.from_args(_QueryArgs(parts.query), max_query)
        except ValueError:  # a ParamError
            return None

    def to_args(self, filters: Mapping[str, tuple[str, ...]] | None = None, date_from: str | None = None,
                date_to: str | None = None, page: int | None = None) -> list[tuple[str, str]]:
        """The parameters as (name, value) pairs, defaults left out; arguments given replace fields."""
        filters = self.filters if filters is None else filters
        date_from = self.date_from if date_from is None else date_from
        date_to = self.date_to if date_to is None else date_to
        page = self.page if page is None else page
        args: list[tuple[str, str]] = []
        if self.q:
            args.append(("q", self.q))
        for name in FILTER_PARAMS:
            args.extend((name, v) for v in filters.get(name, ()))
        if date_from:
            args.append(("from", date_from))
        if date_to:
            args.append(("to", date_to))
        if self.sort:
            args.append(("sort", self.sort))
        if not self.expand:
            args.append(("expand", "0"))
        args.extend(("more", m) for m in self.more)
        if page != 1:
            args.append(("page", str(page)))
        return args

    def url(self, path: str = "/search") -> str:
        return _url(path, self.to_args())

    # New states, each a fresh first page.
    def _toggled_filters(self, name: str, value: str) -> dict[str, tuple[str, ...]]:
        current = self.filters.get(name, ())
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        filters = {k: v for k, v in self.filters.items() if k != name}
        if values:
            filters[name] = values
        return filters

    def toggled_url(self, name: str, value: str) -> str:
        """The URL with `value` of facet `name` selected, or unselected if it was."""
        return _url("/search", self.to_args(filters=self._toggled_filters(name, value), page=1))

    def range_url(self, date_from: str, date_to: str) -> str:
        """The URL of this search within dates `date_from` to `date_to` ('' for open)."""
        return _url("/search", self.to_args(date_from=date_from, date_to=date_to, page=1))

    def with_sort(self, sort: str) -> SearchParams:
        return replace(self, sort=sort, page=1)

    def with_more(self, facet: str) -> SearchParams:
        return replace(self, more=(*self.more, facet))

    def with_expand(self, expand: bool) -> SearchParams:
        return replace(self, expand=expand, page=1)

    def with_page(self, page: int) -> SearchParams:
        return replace(self, page=page)

    def document_url(self, doc_id: str) -> str:
        """The link from this search to document `doc_id`: the query, for highlights, and `back`, the URL
        of this search (filters, dates, sort, page...), when it says more than the query."""
        args = [("q", self.q)] if self.q else []
        back = self.url()
        if back != SearchParams(q=self.q).url():
            args.append(("back", back))
        return _url(f"/doc/{quote(doc_id, safe='/')}", args)

    def active_filters(self) -> list[dict]:
        """What narrows this search, each with the URL of this search without it (a first page): every
        facet value ({"name": facet, "value", "url"}), the date range ({"name": "range", "from", "to",
        "url"}) and expand=0 ({"name": "expand", "value": "0", "url"})."""
        active = [{"name": name, "value": value, "url": self.toggled_url(name, value)}
                  for name in FILTER_PARAMS for value in self.filters.get(name, ())]
        if self.date_from or self.date_to:
            active.append({"name": "range", "from": self.date_from, "to": self.date_to,
                           "url": self.range_url("", "")})
        if not self.expand:
            active.append({"name": "expand", "value": "0", "url": self.with_expand(True).url()})
        return active

    def unfiltered_url(self) -> str:
        """This search without any of its `active_filters` (the query, sort and `more` stay)."""
        return replace(self, filters={}, date_from="", date_to="", expand=True, page=1).url()

    def as_dict(self) -> dict:
        return {
            "q": self.q, "filters": {k: list(v) for k, v in self.filters.items()},
            "from": self.date_from, "to": self.date_to, "sort": self.effective_sort,
            "page": self.page, "expand": self.expand,
        }
