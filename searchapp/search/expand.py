"""Name-alias expansion: a rewrite of the parsed query, before it meets the index.

A word or run of words that names a registered person or place becomes the
entity's spellings which occur in the archive (`NameAlternatives`; multi-word
names are matched as a sequence of stems, so Cyrillic case forms match too).
Excluded words expand as well, so `-Putin` excludes Путин. Every expansion is
recorded for the reader ("also searched: ...").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.query import Query

from searchapp.indexing.analysis import exact_term, query_stems
from searchapp.names.lookup import MAX_WORDS, NameIndex, NameMatch

MAX_VARIANTS = 40


class NameAlternatives(wq.Query):
    """All spellings of one name: single words and multi-word phrases (rewritten before search).

    The rewrite turns the single words into one OR of their distinct stems and the phrases
    of each length into one sequence of per-position alternatives, so fifty spellings cost
    about as much as a few terms.
    """

    def __init__(self, singles: list[str], phrases: list[list[str]], boost: float = 1.0):
        self.singles = singles
        self.phrases = phrases
        self.boost = boost

    def __repr__(self) -> str:
        return f"NameAlternatives({self.singles!r}, {self.phrases!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameAlternatives) and (self.singles, self.phrases) == (other.singles, other.phrases)

    def __hash__(self) -> int:
        return hash((tuple(self.singles), tuple(map(tuple, self.phrases))))


@dataclass
class Expansion:
    term: str
    match: NameMatch
    variants: list[str] = field(default_factory=list)

    def as_dict(self, names: NameIndex, lang: str = "en") -> dict:
        return {
            "term": self.term,
            "entity": self.match.entity_ids[0],
            "entities": [{"id": e, "label": names.label(e, lang)} for e in self.match.entity_ids],
            "how": self.match.how,
            "variants": self.variants,
        }


class _Expander:
    def __init__(self, names: NameIndex, has_term: Callable[[str, str], bool]):
        self.names = names
        self.has_term = has_term  # (field, term) -> whether the index holds it
        self.expansions: list[Expansion] = []

    def in_archive(self, word: str) -> bool:
        return any(self.has_term("text", s) for s in query_stems(word)) or self.has_term("exact", exact_term(word))

    def _replacement(self, words: list[str], boost: float) -> Query | None:
        match = self.names.match(words, known_word=len(words) > 1 or self.in_archive(words[0]))
        if match is None:
            return None
        typed = " ".join(words)
        variants, seen = [], set()
        for spelling in [typed, *self.names.variants(match)]:
            parts = spelling.replace("-", " ").split()
            key = tuple(frozenset(query_stems(p)) or exact_term(p) for p in parts)
            if key in seen or not all(self.in_archive(p) for p in parts):
                continue
            seen.add(key)
            variants.append(spelling)
            if len(variants) >= MAX_VARIANTS:
                break
        self.expansions.append(Expansion(typed, match, [v for v in variants if v != typed]))
        if not variants:
            return None
        split = [v.replace("-", " ").split() for v in variants]
        return NameAlternatives([p[0] for p in split if len(p) == 1], [p for p in split if len(p) > 1], boost)

    def _run(self, terms: list[wq.Term]) -> list[Query]:
        """Replace the longest names in a run of words (left to right)."""
        out: list[Query] = []
        i = 0
        while i < len(terms):
            for n in range(min(MAX_WORDS, len(terms) - i), 0, -1):
                group = terms[i : i + n]
                new = self._replacement([str(t.text) for t in group], group[0].boost)
                if new is not None:
                    out.append(new)
                    i += n
                    break
            else:
                out.append(terms[i])
                i += 1
        return out

    def __call__(self, q: Query) -> Query:
        if isinstance(q, wq.Term) and q.fieldname == "text":
            return self._run([q])[0]
        if isinstance(q, wq.Phrase) and q.fieldname == "text" and len(q.words) <= MAX_WORDS:
            return self._replacement(list(q.words), q.boost) or q
        if isinstance(q, wq.And):
            out: list[Query] = []
            run: list[wq.Term] = []
            for child in q.subqueries:
                if isinstance(child, wq.Term) and child.fieldname == "text":
                    run.append(child)
                    continue
                out += self._run(run)
                run = []
                out.append(self(child))
            out += self._run(run)
            return out[0] if len(out) == 1 else wq.And(out, boost=q.boost)
        if isinstance(q, wq.Or):
            return wq.Or([self(c) for c in q.subqueries], boost=q.boost)
        if isinstance(q, wq.Not):
            return wq.Not(self(q.query))
        if isinstance(q, (wq.AndNot, wq.AndMaybe)):
            return type(q)(self(q.a), self(q.b))
        return q


def expand_names(q: Query | None, names: NameIndex, has_term: Callable[[str, str], bool]
                 ) -> tuple[Query | None, list[Expansion]]:
    """The query with names expanded to their spellings, and what was expanded."""
    if q is None:
        return None, []
    expander = _Expander(names, has_term)
    return expander(q), expander.expansions
