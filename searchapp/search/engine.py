"""Run a search: one JSON-safe dict for the page and the API alike.

Flow: parse -> rewrite -> match (Whoosh, unscored, into a mask) -> filter
masks (facets, dates) -> facet counts (numpy) -> rank the page (Whoosh BM25,
or by date) -> passages and highlights for the page only.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np

from searchapp.docstore import DocStore
from searchapp.indexing.searchers import IndexHandle, Snapshot
from searchapp.messages import Message
from searchapp.model import SEARCHED_CHARS
from searchapp.names.lookup import NameIndex
from searchapp.search.evaluate import Evaluator
from searchapp.search.expand import Expansion, expand_names
from searchapp.search.facets import TERMS_FACETS, DateFacet
from searchapp.search.params import ParamError, SearchParams
from searchapp.search.parse import parse_query
from searchapp.search.rewrite import Compiled, Highlights, TooComplex, compile_query
from searchapp.search.snippets import best_passages, excerpt, highlight
from searchapp.search.suggest import did_you_mean

_DATE_FACET = DateFacet()


MAX_WORDS_WHEN_TOO_COMPLEX = 20


def _compile(snap: Snapshot, params: SearchParams, names: NameIndex | None) -> tuple[Compiled, list[Expansion]]:
    values = {name: {v.casefold(): v for v in snap.columns.facets[name].vocab} for name in ("source", "lang")}
    parsed = parse_query(params.q)
    expansions: list[Expansion] = []
    query = parsed.query
    if names is not None and params.expand:
        query, expansions = expand_names(query, names, snap)
    try:
        compiled = compile_query(query, values)
    except TooComplex as exc:  # search its first words rather than refuse it
        words = params.q.split()
        n = min(MAX_WORDS_WHEN_TOO_COMPLEX, len(words) // 2)
        if not n:
            raise
        compiled, expansions = _compile(snap, replace(params, q=" ".join(words[:n])), names)
        compiled.notices.append(Message("%(problem)s: its first %(n)d words were searched.", problem=exc.message, n=n))
    compiled.notices[:0] = parsed.notices
    return compiled, expansions


def _matching(snap: Snapshot, compiled: Compiled, deadline: float | None = None
              ) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """Mask of the live documents the query matches (all for an empty query), their scores, and
    whether the time limit cut phrase checks short (partial results)."""
    cols = snap.columns
    if compiled.documents is None:
        return cols.live.copy(), None, False
    evaluator = Evaluator(snap, deadline=deadline)
    scores = evaluator(compiled.documents)
    return (scores > 0) & cols.live, scores, evaluator.partial


def _in_range(snap: Snapshot, params: SearchParams) -> np.ndarray | None:
    lo, hi = params.range
    if lo is None and hi is None:
        return None
    day = snap.columns.day
    mask = day >= (lo.toordinal() if lo else 0)
    if hi:
        mask &= day <= hi.toordinal()
    return mask


def _rank(snap: Snapshot, scores: np.ndarray | None, final: np.ndarray, params: SearchParams,
          start: int, stop: int) -> list[tuple[int, float | None]]:
    """Doc numbers (and scores) of results start..stop, by relevance or by date."""
    docs = np.flatnonzero(final)
    if params.effective_sort == "relevance" and scores is not None:
        relevance = scores[docs]
        top = docs[np.lexsort((docs, -relevance))[:stop]] if len(docs) <= stop * 4 else None
        if top is None:
            cut = np.argpartition(-relevance, stop - 1)[:stop]
            top = docs[cut[np.lexsort((docs[cut], -relevance[cut]))]]
        return [(int(d), round(float(scores[d]), 3)) for d in top[start:stop]]
    days = snap.columns.day[docs].astype(np.int64)
    newest_first = params.effective_sort != "date"
    undated = days < 0  # last in both orders
    order = np.lexsort((docs, -days if newest_first else days, undated))
    return [(int(d), None) for d in docs[order[start:stop]]]


def _docs_mask(snap: Snapshot, doc_ids: Collection[str]) -> np.ndarray:
    """Mask of the live document records with these ids."""
    mask = np.zeros(snap.columns.size, dtype=bool)
    for doc_id in doc_ids:
        mask[snap.postings.term(snap.searcher, "doc_id", doc_id)[0]] = True
    return mask & snap.columns.live


def _filtered(snap: Snapshot, params: SearchParams, base: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray | None], np.ndarray]:
    """Apply the date range to `base`; returns it, each facet's selection, and the final mask."""
    in_range = _in_range(snap, params)
    if in_range is not None:
        base &= in_range
    selections = {f.name: f.selection(snap.columns, params) for f in TERMS_FACETS}
    final = base.copy()
    for sel in selections.values():
        if sel is not None:
            final &= sel
    return base, selections, final


def search_ids(handle: IndexHandle, params: SearchParams, names: NameIndex | None = None,
               only: Collection[str] | None = None) -> set[str]:
    """Ids of every document a search finds, unpaged (within `only` when given: saved queries
    match the documents that arrive)."""
    with handle.snapshot() as snap:
        compiled, _ = _compile(snap, params, names)
        base = _matching(snap, compiled)[0]
        if only is not None:
            base &= _docs_mask(snap, only)
        final = _filtered(snap, params, base)[2]
        return {snap.doc_id(int(d)) for d in np.flatnonzero(final)}


def expansions_for(handle: IndexHandle, q: str, names: NameIndex) -> list[dict]:
    """What name expansion makes of a query: each expanded term with its variants."""
    with handle.snapshot() as snap:
        return [e.as_dict(names) for e in _compile(snap, SearchParams(q=q), names)[1]]


def search(handle: IndexHandle, params: SearchParams, names: NameIndex | None = None, per_page: int = 10,
           max_window: int = 1000, passages_per_hit: int = 3, only: Collection[str] | None = None,
           time_limit_ms: float | None = None) -> dict[str, Any]:
    """Search the index (within the documents `only` names, when given); raises ParamError for a
    query or parameter a person must fix."""
    started = time.perf_counter()
    start = (params.page - 1) * per_page
    if start >= max_window:
        raise ParamError("Results beyond the first %(window)d are not shown: narrow the search "
                         "with facets or dates instead of paging this deep", window=max_window)
    with handle.snapshot() as snap:
        compiled, expansions = _compile(snap, params, names)
        cols = snap.columns
        deadline = started + time_limit_ms / 1000 if time_limit_ms else None
        base, scores, partial = _matching(snap, compiled, deadline)
        if only is not None:
            base &= _docs_mask(snap, only)
        base, selections, final = _filtered(snap, params, base)
        facets: dict[str, Any] = {}
        for f in TERMS_FACETS:
            mask = base.copy()
            for name, sel in selections.items():
                if sel is not None and name != f.name:
                    mask &= sel
            facets[f.name] = f.values(cols.facets[f.name], mask, params)
        histogram = _DATE_FACET.values(cols, final, params)
        if names is not None:
            for name in ("person", "place"):
                for value in facets[name]:
                    value["label"] = names.label(value["value"])
        facets["date"] = histogram["buckets"] + (
            [{"value": "unknown", "count": histogram["unknown"]}] if histogram["unknown"] else [])
        total = int(final.sum())
        ranked = _rank(snap, scores, final, params, start, start + per_page) if total else []
        suggestion = did_you_mean(snap.searcher, params.q) if not total and params.q.strip() else None
        metas = [snap.searcher.stored_fields(docnum)["meta"] for docnum, _ in ranked]
        passages = best_passages(snap, compiled.passages, [m["id"] for m in metas], passages_per_hit)
    hl = compiled.highlights
    results = []
    for (_, score), meta in zip(ranked, metas, strict=True):
        lang = meta["lang"]
        results.append({
            **_public_meta(meta, names),
            "score": score,
            "title_html": str(highlight(meta["title"], lang, hl)),
            "passages": [{"position": pos, "html": str(excerpt(body, lang, hl))}
                         for pos, body in passages.get(meta["id"], [])],
        })
    notices = list(compiled.notices)
    if partial:
        notices.append(Message("The search took too long to check every phrase: the results may be incomplete. "
                               "A shorter phrase or a date range helps."))
    if compiled.ignored:
        notices.append(Message('Common words left out of the search: %(words)s. Put them in "quotes" to search '
                               "for a phrase.", words=", ".join(compiled.ignored)))
    return {
        "query": params.as_dict(),
        "total": total,
        "page": params.page,
        "per_page": per_page,
        "pages": min(-(-total // per_page), -(-max_window // per_page)),
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
        "expansions": [e.as_dict(names) for e in expansions] if names is not None else [],
        "notices": notices,
        "results": results,
        "facets": facets,
        "date_granularity": histogram["granularity"],
        "did_you_mean": {"q": suggestion, "url": replace(params, q=suggestion, page=1).url()} if suggestion else None,
    }


def _public_meta(meta: dict, names: NameIndex | None = None) -> dict:
    def label(entity_id: str) -> str:
        return names.label(entity_id) if names is not None else entity_id

    return {
        "id": meta["id"], "title": meta["title"], "date": meta["date"], "source": meta["source"],
        "url": meta["url"], "lang": meta["lang"], "added": meta["added"],
        "people": [{"id": p, "label": label(p)} for p in meta["people"]],
        "places": [{"id": p, "label": label(p)} for p in meta["places"]],
    }


def document(store: DocStore, handle: IndexHandle, doc_id: str, q: str = "", names: NameIndex | None = None
             ) -> dict[str, Any] | None:
    """One stored document with its text split into paragraphs, `q` highlighted; None if unknown."""
    doc = store.get(doc_id)
    if doc is None:
        return None
    try:
        with handle.snapshot() as snap:
            hl = _compile(snap, SearchParams(q=q), names)[0].highlights
    except ParamError:  # a query that cannot be searched still leaves the document readable
        hl = Highlights()
    meta = {"id": doc.id, "title": doc.title, "date": doc.date, "source": doc.source, "url": doc.url,
            "lang": doc.lang, "added": doc.added, "people": doc.people, "places": doc.places}
    return {
        **_public_meta(meta, names),
        "date_precision": doc.date_precision,
        "q": q,
        "title_html": str(highlight(doc.title, doc.lang, hl)),
        "paragraphs": [str(highlight(p, doc.lang, hl)) for p in doc.searched_text.split("\n") if p.strip()],
        "text": doc.text,
        "cut_at": SEARCHED_CHARS if doc.is_cut else None,  # paragraphs stop where search does; text has all
        "original_name": doc.original_name,
    }


def document_counts(handle: IndexHandle, facet: str, entity_ids: Collection[str]) -> dict[str, int]:
    """How many documents name each of these entities (to prefer the better-known of two)."""
    with handle.snapshot() as snap:
        column = snap.columns.facets[facet]
        counts = column.counts(snap.columns.live)
        return {e: int(counts[column.ids[e]]) if e in column.ids else 0 for e in entity_ids}


def entity_profile(handle: IndexHandle, facet: str, entity_id: str, limit: int = 10) -> dict[str, Any]:
    """An entity's documents counted by month, and the people and places most often with it."""
    with handle.snapshot() as snap:
        cols = snap.columns
        mask = cols.facets[facet].docs_with([entity_id], cols.size) & cols.live
        companions: dict[str, list[dict]] = {}
        for name in ("person", "place"):
            column = cols.facets[name]
            counts = column.counts(mask)
            order = np.argsort(-counts, kind="stable")
            companions[name] = [{"id": column.vocab[i], "count": int(counts[i])} for i in order[: limit + 1]
                                if counts[i] > 0 and column.vocab[i] != entity_id][:limit]
        days = cols.day[mask]
        counts_by_month: dict[tuple[int, int], int] = {}
        for ordinal in days[days >= 0].tolist():
            day = date.fromordinal(ordinal)
            counts_by_month[day.year, day.month] = counts_by_month.get((day.year, day.month), 0) + 1
    months = []  # every month from the first mention to the last, empty ones too: a true time axis
    if counts_by_month:
        (y, m), last = min(counts_by_month), max(counts_by_month)
        while (y, m) <= last:
            months.append({"value": f"{y:04d}-{m:02d}", "count": counts_by_month.get((y, m), 0)})
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return {"documents": int(mask.sum()), "months": months, **companions}
