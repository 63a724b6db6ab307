"""'Did you mean': a better query from the archive's own words, when a query finds nothing.

Each word of the query that the archive does not contain is replaced by the most frequent
indexed word within a small edit distance that starts with the same two letters; names are
already corrected by the name expander, so this is for ordinary words.
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.searching import Searcher

from searchapp.text.analysis import exact_term, query_stems, tokenize

MAX_CANDIDATES = 5000


def _correction(searcher: Searcher, word: str) -> str | None:
    folded = exact_term(word)
    if len(folded) < 4 or any(("text", s) in searcher.reader() for s in query_stems(word)):
        return None
    candidates: dict[str, int] = {}
    for i, term in enumerate(searcher.reader().expand_prefix("exact", folded[:2])):
        if i >= MAX_CANDIDATES:
            break
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        candidates[text] = 0
    if not candidates:
        return None
    limit = 1 if len(folded) < 7 else 2
    matches = process.extract(folded, list(candidates), scorer=OSA.distance, score_cutoff=limit, limit=10)
    if not matches:
        return None
    # among the closest, the word most documents use
    best = min(matches, key=lambda m: (m[1], -searcher.doc_frequency("exact", m[0])))
    return best[0]


def did_you_mean(searcher: Searcher, q: str) -> str | None:
    """A corrected query string, or None when no word needs (or has) a correction."""
    corrected, changed = q, False
    for word, _, _ in tokenize(q):
        if word.isupper() and word in ("AND", "OR", "NOT"):
            continue
        fix = _correction(searcher, word)
        if fix:
            corrected = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", fix, corrected, count=1)
            changed = True
    return corrected if changed else None
