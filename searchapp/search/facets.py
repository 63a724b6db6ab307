"""Facets as small classes: each turns masks and columns into values with counts and links.

Counting is disjunctive: a facet's counts take every other facet's selection
into account but not its own, so its other values stay visible and can be
added (OR within a facet, AND across facets).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from babel import Locale

from searchapp.indexing.columns import Columns, FacetColumn
from searchapp.search.params import SearchParams

_ENGLISH = Locale("en")


def language_label(code: str) -> str:
    return _ENGLISH.languages.get(code, code).capitalize() if code else code


class TermsFacet:
    """A facet over the values of one field (source, lang, person, place)."""

    MORE = 200

    def __init__(self, name: str, limit: int = 15, label=lambda v: v):
        self.name = name
        self.limit = limit
        self.label = label

    def selection(self, columns: Columns, params: SearchParams) -> np.ndarray | None:
        selected = params.filters.get(self.name)
        return columns.facets[self.name].docs_with(list(selected), columns.size) if selected else None

    def values(self, column: FacetColumn, mask: np.ndarray, params: SearchParams) -> list[dict]:
        counts = column.counts(mask)
        selected = params.filters.get(self.name, ())
        order = np.lexsort((np.arange(len(counts)), -counts))
        limit = self.MORE if self.name in params.more else self.limit
        shown = [i for i in order[:limit] if counts[i] > 0]
        shown += [column.ids[v] for v in selected if v in column.ids and column.ids[v] not in shown]
        values = [self._value(column.vocab[i], int(counts[i]), params) for i in shown]
        values += [self._value(v, 0, params) for v in selected if v not in column.ids]
        return values

    def _value(self, value: str, count: int, params: SearchParams) -> dict:
        return {
            "value": value,
            "label": self.label(value),
            "count": count,
            "selected": value in params.filters.get(self.name, ()),
            "url": params.toggled_url(self.name, value),
        }


TERMS_FACETS = [
    TermsFacet("source"),
    TermsFacet("lang", label=language_label),
    TermsFacet("person"),
    TermsFacet("place"),
]


@lru_cache(maxsize=50_000)
def _bucket(day: date, granularity: str) -> tuple[str, str, str]:
    """(value, first day, last day) of the bucket containing `day` (remembered: queries share days)."""
    if granularity == "year":
        return str(day.year), f"{day.year}-01-01", f"{day.year}-12-31"
    if granularity == "month":
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return day.strftime("%Y-%m"), day.replace(day=1).isoformat(), (nxt - timedelta(days=1)).isoformat()
    return day.isoformat(), day.isoformat(), day.isoformat()


class DateFacet:
    """A histogram of publication dates by year, month or day, whichever suits the span."""

    name = "date"

    @staticmethod
    def granularity(first: int, last: int) -> str:
        span = last - first
        return "year" if span > 3 * 366 else "month" if span > 62 else "day"

    def values(self, columns: Columns, mask: np.ndarray, params: SearchParams) -> dict:
        days = columns.day[mask]
        known = days[days >= 0]
        unknown = int(len(days) - len(known))
        lo, hi = params.range
        if len(known) == 0:
            return {"granularity": None, "buckets": [], "unknown": unknown}
        first = lo.toordinal() if lo else int(known.min())
        last = hi.toordinal() if hi else int(known.max())
        granularity = self.granularity(first, last)
        earliest = int(known.min())
        per_day = np.bincount(known - earliest)  # linear, where sorting the matches is not
        buckets: dict[str, dict] = {}
        for offset in np.flatnonzero(per_day).tolist():
            value, start, end = _bucket(date.fromordinal(earliest + offset), granularity)
            b = buckets.setdefault(value, {"value": value, "count": 0, "from": start, "to": end})
            b["count"] += int(per_day[offset])
        filled = []
        day = date.fromisoformat(next(iter(buckets.values()))["from"])
        end = date.fromordinal(earliest + len(per_day) - 1)
        while day <= end:  # every bucket from the first to the last, empty ones too
            value, start, stop = _bucket(day, granularity)
            b = buckets.get(value) or {"value": value, "count": 0, "from": start, "to": stop}
            b["url"] = params.range_url(b["from"], b["to"])
            filled.append(b)
            day = date.fromisoformat(stop) + timedelta(days=1)
        return {"granularity": granularity, "buckets": filled, "unknown": unknown}
