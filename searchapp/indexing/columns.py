"""Facet columns: per-searcher arrays that make facet counts a few numpy operations.

Whoosh's own faceting un-inverts fields on every query (seconds at corpus
size). Instead, each segment's facet fields are read once into (doc, value)
pair arrays and cached by segment id (segments never change, only their
deletions do); a searcher's columns are the concatenation of its segments'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from searchapp.indexing.schema import DOC, FACET_FIELDS

_EMPTY = np.zeros(0, dtype=np.int32)


@dataclass
class FacetColumn:
    """All (document, value) pairs of one facet field; `vals` index into `vocab`."""

    vocab: list[str]
    docs: np.ndarray
    vals: np.ndarray

    def __post_init__(self) -> None:
        self.ids = {v: i for i, v in enumerate(self.vocab)}

    def docs_with(self, values: list[str], size: int) -> np.ndarray:
        """Boolean mask of the documents that have any of `values`."""
        wanted = [self.ids[v] for v in values if v in self.ids]
        mask = np.zeros(size, dtype=bool)
        if wanted:
            mask[self.docs[np.isin(self.vals, wanted)]] = True
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Number of documents in `mask` per value (documents, not pairs, as values are unique per doc)."""
        return np.bincount(self.vals[mask[self.docs]], minlength=len(self.vocab))


@dataclass
class Columns:
    """Per-searcher arrays over global doc numbers."""

    size: int
    live: np.ndarray  # document records that are not deleted
    alive: np.ndarray  # records of either kind (documents, passages) that are not deleted
    day: np.ndarray  # ordinal of the first day of the document's date; -1 when unknown
    facets: dict[str, FacetColumn]


@dataclass
class _SegmentColumns:
    is_doc: np.ndarray
    facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]]


def day_ordinal(value: str) -> int:
    """Ordinal of the first day of "YYYY-MM-DD", "YYYY-MM" or "YYYY"; -1 if unparseable."""
    try:
        parts = [int(p) for p in value.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2]).toordinal()
    except (ValueError, IndexError):
        return -1


def _postings_ids(reader: IndexReader, field: str, term: bytes) -> np.ndarray:
    return np.fromiter(reader.postings(field, term).all_ids(), dtype=np.int32)


def _read_segment(reader: IndexReader) -> _SegmentColumns:
    size = reader.doc_count_all()
    is_doc = np.zeros(size, dtype=bool)
    if ("kind", DOC) in reader:
        is_doc[_postings_ids(reader, "kind", DOC.encode())] = True
    facets = {}
    for field in FACET_FIELDS:
        vocab, docs, vals = [], [], []
        for term in reader.lexicon(field):
            ids = _postings_ids(reader, field, term)
            docs.append(ids)
            vals.append(np.full(len(ids), len(vocab), dtype=np.int32))
            vocab.append(term.decode("utf-8"))
        facets[field] = (vocab, np.concatenate(docs) if docs else _EMPTY, np.concatenate(vals) if vals else _EMPTY)
    return _SegmentColumns(is_doc, facets)


class ColumnCache:
    """Segment columns by segment id, for the lifetime of a process."""

    def __init__(self) -> None:
        self._segments: dict[str, _SegmentColumns] = {}

    def columns_for(self, searcher: Searcher) -> Columns:
        leaves = searcher.leaf_searchers()
        size = searcher.doc_count_all()
        live = np.zeros(size, dtype=bool)
        alive = np.ones(size, dtype=bool)
        pairs: dict[str, list[tuple[list[str], np.ndarray, np.ndarray]]] = {f: [] for f in FACET_FIELDS}
        seen = set()
        for leaf, offset in leaves:
            reader = leaf.reader()
            if reader.doc_count_all() == 0:  # an empty index has no segment
                continue
            seg_id = reader.segment().segment_id()
            seen.add(seg_id)
            seg = self._segments.get(seg_id)
            if seg is None:
                seg = self._segments[seg_id] = _read_segment(reader)
            n = len(seg.is_doc)
            live[offset : offset + n] = seg.is_doc
            if reader.has_deletions():
                deleted = np.fromiter(reader.segment().deleted_docs(), dtype=np.int64)
                alive[deleted + offset] = False
            for field, (vocab, docs, vals) in seg.facets.items():
                pairs[field].append((vocab, docs + offset, vals))
        live &= alive
        for stale in set(self._segments) - seen:
            del self._segments[stale]
        facets = {field: _merge(parts) for field, parts in pairs.items()}
        day = np.full(size, -1, dtype=np.int32)
        dates = facets["date"]
        ordinals = np.array([day_ordinal(v) for v in dates.vocab], dtype=np.int32)
        if len(dates.docs):
            day[dates.docs] = ordinals[dates.vals]
        return Columns(size=size, live=live, alive=alive, day=day, facets=facets)


def _merge(parts: list[tuple[list[str], np.ndarray, np.ndarray]]) -> FacetColumn:
    """Concatenate segment pairs, renumbering each segment's values into one vocabulary."""
    ids: dict[str, int] = {}
    all_docs, all_vals = [], []
    for seg_vocab, docs, vals in parts:
        remap = np.array([ids.setdefault(v, len(ids)) for v in seg_vocab], dtype=np.int32)
        all_docs.append(docs)
        all_vals.append(remap[vals] if len(vals) else _EMPTY)
    return FacetColumn(
        vocab=list(ids),
        docs=np.concatenate(all_docs) if all_docs else _EMPTY,
        vals=np.concatenate(all_vals) if all_vals else _EMPTY,
    )
