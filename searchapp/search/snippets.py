"""Passages for results, and highlighting: escaped text with <mark> around matches.

The highlighter re-analyses a passage exactly as the indexer did (same
tokenizer, stemmer for the document's language, folding), so it marks what
the query matched and nothing else, across scripts and inflections.
"""

from __future__ import annotations

import re

import numpy as np
from markupsafe import Markup, escape
from whoosh import query as wq

from searchapp.indexing.searchers import Snapshot
from searchapp.names.terms import first_name_group
from searchapp.search.evaluate import evaluate
from searchapp.search.rewrite import Highlights
from searchapp.text.analysis import exact_term, stem, tokenize
from searchapp.text.namekeys import word_keys

WINDOW_CHARS = 320
# The end of a sentence: its mark (and a closing quote or bracket), then space before a capital,
# a digit or an opening quote; "Mr. Smith" is a rare cost of not knowing abbreviations.
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"»”’)]?)\s+(?=[\"«“(\d]|[^\W\d_](?<=[A-ZА-ЯЁІЇЄҐЎŁŚŻŹĆŃÓĘĄ]))")


def _marked_spans(text: str, lang: str, hl: Highlights) -> list[tuple[int, int]]:
    tokens = list(tokenize(text))
    exact = [exact_term(w) for w, _, _ in tokens]
    spans: set[tuple[int, int]] = set()
    prefixes = tuple(hl.prefixes)
    for i, (word, start, end) in enumerate(tokens):
        e = exact[i]
        if e in hl.exact or (prefixes and e.startswith(prefixes)) or (hl.stems and stem(word, lang) in hl.stems):
            spans.add((start, end))
        elif hl.names and word[:1].isupper() and (
                not hl.names.isdisjoint(word_keys(word, lang))
                or (hl.first_names and first_name_group(word, lang) in hl.first_names)):
            spans.add((start, end))
    for phrase in hl.phrases:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tuple(exact[i : i + n]) == phrase:
                spans.add((tokens[i][1], tokens[i + n - 1][2]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Markup:
    """text[start:end], escaped, with the spans inside it in <mark>."""
    out, last = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[last:s]))
        out.append(Markup("<mark>") + escape(text[s:e]) + Markup("</mark>"))
        last = e
    out.append(escape(text[last:end]))
    return Markup("").join(out)


def highlight(text: str, lang: str, hl: Highlights) -> Markup:
    """The whole text, escaped, with the query's matches in <mark>."""
    if not hl:
        return escape(text)
    return _render(text, _marked_spans(text, lang, hl), 0, len(text))


def _window(text: str, first: int, size: int) -> tuple[int, int]:
    """About `size` characters holding position `first`, from a sentence's start to a sentence's
    end where the text allows it, else cut at spaces."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    ends = [m.start() + len(m.group(1)) for m in _SENTENCE_END.finditer(text)] + [len(text)]
    # the start of the match's sentence, if that leaves room for the match and some text after it
    start = max((s for s in starts if s <= first), default=0)
    if first - start > size * 2 // 3:
        start = max(0, first - size // 4)
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = max((e for e in ends if start < e <= start + size), default=0)
    if end < max(first + 1, start + size // 2):
        end = min(len(text), start + size)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start + size // 2 else end
    return start, end


def excerpt(text: str, lang: str, hl: Highlights, size: int = WINDOW_CHARS) -> Markup:
    """A window of about `size` characters around the first match, whole sentences where it can."""
    spans = _marked_spans(text, lang, hl) if hl else []
    if len(text) <= size:
        return _render(text, spans, 0, len(text))
    start, end = _window(text, spans[0][0] if spans else 0, size)
    window = _render(text, spans, start, end)
    before = Markup("… ") if start else Markup("")
    after = Markup(" …") if end < len(text) else Markup("")
    return before + window + after


def best_passages(snap: Snapshot, passage_query: wq.Query | None, doc_ids: list[str], per_doc: int
                  ) -> dict[str, list[tuple[int, str]]]:
    """Up to `per_doc` best-matching passages per document as (position, text), in reading order.

    Only the passages of these documents are scored. Documents none of whose passages match
    (say, a title-only match) get their first passage.
    """
    if not doc_ids:
        return {}
    searcher = snap.searcher
    records = {d: snap.postings.term(searcher, "doc_id", d)[0] for d in doc_ids}
    within = np.zeros(snap.columns.size, dtype=bool)
    for ids in records.values():
        within[ids] = True
    scores = evaluate(snap, passage_query, within) if passage_query is not None else None
    leads = snap.postings.term(searcher, "lead", "1")[0]
    chosen: dict[str, list[tuple[int, str]]] = {}
    for doc_id in doc_ids:
        passages = records[doc_id][~snap.columns.live[records[doc_id]]]  # the document record is live
        best: list[int] = []
        if scores is not None and len(passages):
            ranked = passages[np.argsort(-scores[passages], kind="stable")]
            best = [int(p) for p in ranked[:per_doc] if scores[p] > 0]
        if not best:
            best = [int(p) for p in passages[np.isin(passages, leads)][:1]]
        found = [searcher.stored_fields(p) for p in best]
        chosen[doc_id] = sorted((f["pos"], f["body"]) for f in found)
    return chosen
