"""Score a rewritten query for every document at once, with numpy.

Each node of the query tree becomes a dense array of BM25 scores over the
searcher's doc numbers (0 = no match): terms from cached postings, OR as a sum,
AND as a sum where every part matched, exclusions as masks. Positional queries
(phrases, name sequences) ask Whoosh which documents match and are scored by
their words; prefixes and wildcards match where any word they expand to does.
Facets and ranking both read the result, so a query is matched once.
"""

from __future__ import annotations

import math
import time

import numpy as np
from whoosh import query as wq

from searchapp.indexing.schema import DOC, PASSAGE, PASSAGE_FIELDS
from searchapp.indexing.searchers import Snapshot

K1, B = 1.2, 0.75
FILTER_SCORE = 1e-3  # metadata filters (source:, lang:) match without adding relevance
_METADATA = {"source", "lang", "date", "person", "place", "kind", "doc_id", "lead"}


class Evaluator:
    """BM25 as Whoosh's BM25F computes it (idf = log(N / (df + 1)) + 1, field lengths as Whoosh
    stores them), with N and the average field length taken over the records that have the
    field: documents for document fields, passages for passage fields. (An index holds both,
    and counting passages as documents would skew both statistics.) N, df and the lengths count
    live records only: Whoosh would count a replaced version until a merge drops it, which
    can push a word's idf below zero and lose the document that replaced it."""

    def __init__(self, snap: Snapshot, within: np.ndarray | None = None, deadline: float | None = None):
        self.deadline = deadline  # perf_counter() time after which positions are no longer checked
        self.partial = False
        self.within = within  # positions are only checked for these doc numbers, when given
        self.snap = snap
        self.searcher = snap.searcher
        self.size = snap.columns.size
        self.alive = snap.columns.alive
        documents = int(snap.columns.live.sum())
        self.records = {DOC: max(documents, 1), PASSAGE: max(snap.searcher.doc_count() - documents, 1)}
        self._average: dict[str, float] = {}

    def _dense(self, ids: np.ndarray, values: np.ndarray | float) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        out[ids] = values
        return out

    def term(self, field: str, text: str, boost: float) -> np.ndarray:
        ids, tf = self.snap.postings.term(self.searcher, field, text)
        if field in _METADATA or len(ids) == 0:
            return self._dense(ids, FILTER_SCORE * boost)
        n = self.records[PASSAGE if field in PASSAGE_FIELDS else DOC]
        idf = math.log(n / (int(np.count_nonzero(self.alive[ids])) + 1)) + 1
        all_lengths = self.snap.postings.lengths(self.searcher, field)
        if field not in self._average:  # Whoosh's exact total, less what deleted records hold
            total = self.searcher.field_length(field) - float(all_lengths[~self.alive].sum())
            self._average[field] = total / n or 1.0
        scores = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * all_lengths[ids] / self._average[field]))
        return self._dense(ids, scores * boost)

    def _whoosh_mask(self, q: wq.Query, candidates: np.ndarray | None = None) -> np.ndarray:
        """Documents matching `q` by Whoosh's own matcher, checking only `candidates` when given
        (for phrases: the documents that have all the words, so positions are read for few)."""
        mask = np.zeros(self.size, dtype=bool)
        if candidates is None:
            mask[np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)] = True
            return mask
        key = repr(q)
        checked, matched = self.snap.read_positions(key)  # what earlier searches read
        todo = np.setdiff1d(candidates, checked, assume_unique=True)
        now_checked: list[int] = []
        now_matched: list[int] = []
        for leaf, offset in self.searcher.leaf_searchers():
            n = leaf.doc_count_all()
            local = todo[(todo >= offset) & (todo < offset + n)] - offset
            if not len(local):
                continue
            matcher = q.matcher(leaf, leaf.boolean_context())
            for n, doc in enumerate(local.tolist()):
                if self.deadline is not None and n % 128 == 0 and time.perf_counter() > self.deadline:
                    self.partial = True  # out of time: the remaining candidates count as not matching
                    break
                now_checked.append(doc + offset)
                if not matcher.is_active():
                    continue
                if matcher.id() < doc:
                    matcher.skip_to(doc)
                if matcher.is_active() and matcher.id() == doc:
                    now_matched.append(doc + offset)
        if now_checked:
            checked = np.union1d(checked, np.array(now_checked, dtype=np.int64))
            matched = np.union1d(matched, np.array(now_matched, dtype=np.int64))
            self.snap.keep_positions(key, checked, matched)
        mask[np.intersect1d(matched, candidates, assume_unique=True)] = True
        return mask

    def positional(self, q: wq.Phrase | wq.Sequence, exclude: np.ndarray | None = None) -> np.ndarray:
        """A phrase: its words' scores where Whoosh confirms the positions (checked only for
        documents that have every word and are not in `exclude`)."""
        words = [wq.Term(q.fieldname, w) for w in q.words] if isinstance(q, wq.Phrase) else q.subqueries
        parts = [self(w) for w in words]
        has_all = np.logical_and.reduce([p > 0 for p in parts])
        if exclude is not None:
            has_all &= ~exclude
        if self.within is not None:
            has_all &= self.within
        return sum(parts) * self._whoosh_mask(q, np.flatnonzero(has_all)) * q.boost

    def __call__(self, q: wq.Query) -> np.ndarray:
        boost = getattr(q, "boost", 1.0)
        if isinstance(q, wq.Term):
            return self.term(q.fieldname, q.text, boost)
        if isinstance(q, wq.Or):
            # Positions are read last, and only for documents no other alternative matched
            # (a name's phrase spellings add nothing where one of its single words is found).
            positional = [c for c in q.subqueries if isinstance(c, (wq.Phrase, wq.Sequence))]
            total = sum((self(c) for c in q.subqueries if c not in positional),
                        np.zeros(self.size, dtype=np.float32))
            for child in positional:
                total += self.positional(child, exclude=total > 0)
            return total * boost
        if isinstance(q, wq.And):
            parts = [self(c) for c in q.subqueries]
            mask = np.logical_and.reduce([p > 0 for p in parts])
            return sum(parts) * mask * boost
        if isinstance(q, wq.AndNot):
            return self(q.a) * (self(q.b) <= 0)
        if isinstance(q, wq.AndMaybe):
            required = self(q.a)
            return required + self(q.b) * (required > 0)
        if isinstance(q, wq.Not):
            return (self.snap.columns.live * FILTER_SCORE).astype(np.float32) * (self(q.query) <= 0)
        if isinstance(q, (wq.Phrase, wq.Sequence)):
            return self.positional(q)
        if isinstance(q, wq.MultiTerm):  # a prefix or wildcard: the postings of the words it expands to
            mask = np.zeros(self.size, dtype=bool)
            for field, text in q.expanded_terms(self.searcher.reader()):
                mask[self.snap.postings.term(self.searcher, field, text.decode("utf-8"))[0]] = True
            return mask.astype(np.float32) * boost
        if isinstance(q, wq.NullQuery.__class__):
            return np.zeros(self.size, dtype=np.float32)
        return self._whoosh_mask(q).astype(np.float32) * boost  # anything else


def evaluate(snap: Snapshot, q: wq.Query, within: np.ndarray | None = None) -> np.ndarray:
    """BM25 scores of `q` for every doc number of the snapshot (0 where it does not match;
    phrases are only checked `within` a mask of doc numbers when one is given)."""
    return Evaluator(snap, within)(q)
