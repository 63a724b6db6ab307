"""Term postings and field lengths as numpy arrays, read once per segment and cached.

Whoosh walks postings one document at a time in Python; scoring a term that
matches 40,000 documents that way takes tens of milliseconds. Here a term's
postings are read block by block (each block decodes to a tuple of ids and an
array of weights in one call) into arrays, cached by segment (segments never
change), so the search layer can score whole queries with numpy.

This reaches into Whoosh 2.7.5's posting reader (W3LeafMatcher); Whoosh is frozen, and a
check at import (`BLOCK_READS`) falls back to the public matcher API, one posting at a time, for
any other version or matcher.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_TF = np.zeros(0, dtype=np.float32)


def _block_reader_works() -> bool:
    """Whether this Whoosh has the posting reader internals the block reads rely on (2.7.5's)."""
    return whoosh.versionstring() == "2.7.5" and all(
        hasattr(W3LeafMatcher, a) for a in ("_read_ids", "_read_weights", "_goto"))


BLOCK_READS = _block_reader_works()
if not BLOCK_READS:
    logging.getLogger("searchapp").warning(
        "Whoosh %s lacks the posting reader of 2.7.5: postings are read one by one (slower)", whoosh.versionstring())


def _read_block_arrays(matcher) -> tuple[np.ndarray, np.ndarray]:
    """All (doc ids, weights) of one term in one segment."""
    if isinstance(matcher, FilterMatcher):  # deletions are masked by the caller
        matcher = matcher.child
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if BLOCK_READS and isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int64))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            if matcher._lastblock:
                break
            matcher._goto(matcher._nextoffset)
    else:  # the public matcher API, one posting at a time
        found_ids, found_weights = [], []
        while matcher.is_active():
            found_ids.append(matcher.id())
            found_weights.append(matcher.weight())
            matcher.next()
        ids.append(np.array(found_ids, dtype=np.int64))
        weights.append(np.array(found_weights, dtype=np.float32))
    if not ids or not sum(len(i) for i in ids):
        return _EMPTY_IDS, _EMPTY_TF
    return np.concatenate(ids), np.concatenate(weights)


class PostingsCache:
    """Per-process cache of per-segment postings (bounded) and field lengths, and of the arrays
    assembled from them for the current searcher (an index of many segments pays the assembly
    once per searcher, not once per term and query)."""

    MEMO_BYTES = 32 * 1024 * 1024

    def __init__(self, max_bytes: int = 96 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._bytes = 0
        self._memo_searcher: Searcher | None = None
        self._memo: dict[tuple, object] = {}
        self._memo_bytes = 0
        self._postings: OrderedDict[tuple[str, str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lengths: dict[tuple[str, str], np.ndarray] = {}

    def _segment_postings(self, reader: IndexReader, seg_id: str, field: str, text: str
                          ) -> tuple[np.ndarray, np.ndarray]:
        key = (seg_id, field, text)
        hit = self._postings.get(key)
        if hit is not None:
            self._postings.move_to_end(key)
            return hit
        if (field, text) in reader:
            hit = _read_block_arrays(reader.postings(field, text))
        else:
            hit = (_EMPTY_IDS, _EMPTY_TF)
        self._postings[key] = hit
        self._bytes += hit[0].nbytes + hit[1].nbytes
        while self._bytes > self.max_bytes and len(self._postings) > 1:
            _, (ids, tf) = self._postings.popitem(last=False)
            self._bytes -= ids.nbytes + tf.nbytes
        return hit

    def _remembered(self, searcher: Searcher, key: tuple, build):
        if self._memo_searcher is not searcher or self._memo_bytes > self.MEMO_BYTES:
            self._memo_searcher, self._memo, self._memo_bytes = searcher, {}, 0
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = build()
            arrays = found if isinstance(found, tuple) else (found,)
            self._memo_bytes += sum(a.nbytes for a in arrays)
        return found

    def term(self, searcher: Searcher, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Global doc numbers and term frequencies of (field, text) in this searcher's index."""
        return self._remembered(searcher, ("term", field, text), lambda: self._term(searcher, field, text))

    def _term(self, searcher: Searcher, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids, tfs = [], []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if reader.doc_count_all() == 0:
                continue
            seg_ids, seg_tf = self._segment_postings(reader, reader.segment().segment_id(), field, text)
            if len(seg_ids):
                ids.append(seg_ids + offset)
                tfs.append(seg_tf)
        if not ids:
            return _EMPTY_IDS, _EMPTY_TF
        return (ids[0], tfs[0]) if len(ids) == 1 else (np.concatenate(ids), np.concatenate(tfs))

    def lengths(self, searcher: Searcher, field: str) -> np.ndarray:
        """Length of `field` in every document (global doc numbers), as Whoosh stores it."""
        return self._remembered(searcher, ("lengths", field), lambda: self._lengths_of(searcher, field))

    def _lengths_of(self, searcher: Searcher, field: str) -> np.ndarray:
        parts = []
        for leaf, _ in searcher.leaf_searchers():
            reader = leaf.reader()
            n = reader.doc_count_all()
            if n == 0:
                continue
            key = (reader.segment().segment_id(), field)
            cached = self._lengths.get(key)
            if cached is None:
                column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
                raw = (np.fromiter((column[i] for i in range(n)), dtype=np.uint8, count=n) if column is not None
                       else np.zeros(n, dtype=np.uint8))
                cached = self._lengths[key] = _LENGTH_TABLE[raw]
            parts.append(cached)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
