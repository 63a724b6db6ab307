"""Rewrite a parsed query (raw words) into queries over the index's fields.

A word becomes the OR of every stem it may have been indexed under, in
`text` and, boosted, in `title`; a phrase becomes a phrase over the exact
(unstemmed, folded) words; wildcards apply to exact words. Stopwords are
dropped (and reported) unless they are inside a phrase. The same rewrite,
aimed at the passage fields, ranks passages, and its terms drive the
highlighter.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.query import Query

from searchapp.messages import Message
from searchapp.search.expand import NameQuery
from searchapp.search.params import ParamError
from searchapp.text.analysis import exact_term, exact_terms, normalize, query_stems

TITLE_BOOST = 2.0
MAX_CLAUSES = 200
_WILDCARD_HEAD = re.compile(r"^[^*?]{2,}")


class TooComplex(ParamError):
    """More index terms than a query may ask for."""


@dataclass
class Highlights:
    """What to mark in passages: stems, exact words, prefixes and exact phrases."""

    stems: set[str] = field(default_factory=set)
    exact: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # name keys: capitalised words with one of these
    first_names: set[str] = field(default_factory=set)  # first-name groups of full names searched

    def __bool__(self) -> bool:
        return bool(self.stems or self.exact or self.prefixes or self.phrases or self.names)


@dataclass
class Compiled:
    """A query ready to run: over documents, over passages, and what to highlight."""

    documents: Query | None
    passages: Query | None
    highlights: Highlights
    ignored: list[str]
    notices: list[Message] = field(default_factory=list)


@dataclass
class _Fields:
    text: str
    exact: str
    names: str
    title: str | None


_DOC_FIELDS = _Fields("text", "exact", "names", "title")
_PASSAGE_FIELDS = _Fields("ptext", "pexact", "pnames", None)
NAME_SLOP = 2  # a patronymic or an initial may stand inside a multi-word name


class _Rewriter:
    def __init__(self, fields: _Fields, values: Mapping[str, Mapping[str, str]], hl: Highlights, ignored: list[str],
                 keep_stopwords: bool = False, notices: list[Message] | None = None):
        self.f = fields
        self.keep_stopwords = keep_stopwords
        self.values = values
        self.marked = hl
        self.hl = hl
        self.ignored = ignored
        self.notices = notices if notices is not None else []
        self.clauses = 0

    def _count(self, n: int = 1) -> None:
        self.clauses += n
        if self.clauses > MAX_CLAUSES:
            raise TooComplex("The query is too complex (more than %(limit)d terms)", limit=MAX_CLAUSES)

    def word(self, word: str, boost: float, title_only: bool = False) -> Query | None:
        stems = sorted(query_stems(word))
        if not stems:
            if self.keep_stopwords:
                return self.phrase([word], boost, slop=1)
            self.ignored.append(normalize(word))
            return None
        self.hl.stems.update(stems)
        self._count(len(stems))
        fields = [self.f.title or self.f.text] if title_only else [self.f.text]
        clauses: list[Query] = [wq.Term(f, s) for f in fields for s in stems]
        if self.f.title and not title_only:
            clauses += [wq.Term(self.f.title, s, boost=TITLE_BOOST) for s in stems]
        q = clauses[0] if len(clauses) == 1 else wq.Or(clauses)
        q.boost = boost if len(clauses) > 1 else q.boost * boost
        return q

    def phrase(self, words: list[str], boost: float, slop: int) -> Query | None:
        exact = [t for w in words for t in exact_terms(w)]
        if not exact:
            return None
        self._count(len(exact))
        if len(exact) == 1:
            self.hl.exact.add(exact[0])
            return wq.Term(self.f.exact, exact[0], boost=boost)
        self.hl.phrases.append(tuple(exact))
        return wq.Phrase(self.f.exact, exact, slop=slop, boost=boost)

    def pattern(self, q: wq.PatternQuery) -> Query | None:
        if not _WILDCARD_HEAD.match(q.text):  # too little to expand: the word itself
            self.notices.append(Message("'%(text)s': a wildcard needs at least two letters before * or ?, so the "
                                        "word was searched as it is", text=q.text))
            word = q.text.replace("*", "").replace("?", "")
            return self.word(word, q.boost) if word else None
        self._count()
        pattern = exact_term(q.text.replace("*", "\x01").replace("?", "\x02"))
        pattern = pattern.replace("\x01", "*").replace("\x02", "?")
        if isinstance(q, wq.Prefix):
            self.hl.prefixes.add(pattern)
            return wq.Prefix(self.f.exact, pattern, boost=q.boost)
        self.hl.prefixes.add(pattern.split("*")[0].split("?")[0])
        return wq.Wildcard(self.f.exact, pattern, boost=q.boost)

    def metadata(self, q: wq.Term) -> Query:
        """source: and lang: filters, matched case-insensitively against the indexed values."""
        known = self.values.get(q.fieldname, {})
        value = known.get(str(q.text).casefold(), str(q.text))
        return wq.Term(q.fieldname, value)

    def negated(self, q: Query) -> Query | None:
        """Rewrite an excluded part: its words are not highlighted."""
        self.hl = Highlights()
        try:
            return self(q)
        finally:
            self.hl = self.marked

    def names(self, q: NameQuery) -> Query:
        """A name: one OR of its terms in the names field, and its multi-word forms as sequences."""
        keys, groups = q.highlights()
        self.hl.names |= keys
        self.hl.first_names |= groups
        field = self.f.names
        self._count(len(q.terms) + sum(len(step) for seq in q.sequences for step in seq))
        clauses: list[Query] = [wq.Term(field, t) for t in q.terms]
        for seq in q.sequences:
            steps = [wq.Term(field, step[0]) if len(step) == 1 else wq.Or([wq.Term(field, t) for t in step])
                     for step in seq]
            clauses.append(wq.Sequence(steps, slop=NAME_SLOP))
        for words in q.phrases:
            self._count(len(words))
            if len(words) == 1:
                self.hl.exact.add(words[0])
                clauses.append(wq.Term(self.f.exact, words[0]))
            else:
                self.hl.phrases.append(tuple(words))
                clauses.append(wq.Phrase(self.f.exact, words))
        result = clauses[0] if len(clauses) == 1 else wq.Or(clauses)
        result.boost = q.boost
        return result

    def __call__(self, q: Query) -> Query | None:
        if isinstance(q, wq.Term):
            if q.fieldname in ("source", "lang"):
                return self.metadata(q) if self.f.title else None
            if q.fieldname == "exact":
                return self.phrase([str(q.text)], q.boost, slop=1)
            return self.word(str(q.text), q.boost, title_only=q.fieldname == "title")
        if isinstance(q, NameQuery):
            return self.names(q)
        if isinstance(q, wq.Phrase):
            if q.fieldname == "title":
                parts = [self.word(w, q.boost, title_only=True) for w in q.words]
                return _combine(wq.And, parts)
            return self.phrase(list(q.words), q.boost, q.slop)
        if isinstance(q, wq.PatternQuery):
            return self.pattern(q)
        if isinstance(q, wq.Not):
            inner = self.negated(q.query)
            return wq.Not(inner) if inner is not None else None
        if isinstance(q, wq.AndNot):
            positive, negative = self(q.a), self.negated(q.b)
            if positive is None:
                return wq.Not(negative) if negative is not None else None
            return wq.AndNot(positive, negative) if negative is not None else positive
        if isinstance(q, wq.AndMaybe):
            required, optional = self(q.a), self(q.b)
            if required is None:
                return optional
            return wq.AndMaybe(required, optional) if optional is not None else required
        if isinstance(q, wq.Or):
            return _combine(wq.Or, [self(c) for c in q.subqueries])
        if isinstance(q, wq.And):
            return _combine(wq.And, [self(c) for c in q.subqueries])
        if isinstance(q, wq.NullQuery.__class__):
            return None
        raise ParamError("This kind of query is not supported: %(query)s", query=str(q))


def _combine(kind: Callable[[list[Query]], Query], parts: list[Query | None]) -> Query | None:
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kind(kept)


def positive_part(q: Query | None) -> Query | None:
    """The query without its negated parts: what passages should contain."""
    if q is None or isinstance(q, wq.Not):
        return None
    if isinstance(q, wq.AndNot):
        return positive_part(q.a)
    if isinstance(q, (wq.And, wq.Or, wq.AndMaybe)):
        subs = [q.a, q.b] if isinstance(q, wq.AndMaybe) else q.subqueries
        return _combine(wq.Or, [positive_part(s) for s in subs])
    if q.field() in ("source", "lang"):
        return None
    return q


def compile_query(parsed: Query | None, values: Mapping[str, Mapping[str, str]] | None = None) -> Compiled:
    """Rewrite a parsed query for documents and passages; `values` maps casefolded facet values."""
    hl = Highlights()
    ignored: list[str] = []
    notices: list[Message] = []
    if parsed is None:
        return Compiled(None, None, hl, ignored)
    documents = _Rewriter(_DOC_FIELDS, values or {}, hl, ignored, notices=notices)(parsed)
    keep = documents is None and bool(ignored)  # nothing but common words: search them as words
    if keep:
        ignored = []
        documents = _Rewriter(_DOC_FIELDS, values or {}, hl, ignored, keep_stopwords=True, notices=notices)(parsed)
    passages = positive_part(_Rewriter(_PASSAGE_FIELDS, {}, Highlights(), [], keep_stopwords=keep)(parsed))
    return Compiled(documents, passages, hl, list(dict.fromkeys(ignored)), list(dict.fromkeys(notices)))
