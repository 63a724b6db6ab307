"""The same queries answered by tantivy on the same documents, as a yardstick (bench-only).

Builds a tantivy index of the store's documents (title, text, source, lang) and answers each
query of bench/queries.txt with the top 10, counts of the source and lang facets, and snippets
for the 10 hits: timed in-process, and served as JSON by gunicorn over HTTP exactly as searchapp
is (`tantivy_app.py`), so the two can be compared under the same conditions. Date ranges, person
and place filters and name expansion have no counterpart here, so the yardstick does less work
than searchapp does.
"""

from __future__ import annotations

import statistics
import time
import urllib.parse

import tantivy

from searchapp.docstore import DocStore


def build(store: DocStore, path: str | None = None) -> tantivy.Index:
    """An index of the store's documents, in memory or on disk at `path`."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", stored=True)
    sb.add_text_field("text", stored=True)
    sb.add_text_field("source", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("lang", stored=True, tokenizer_name="raw", fast=True)
    index = tantivy.Index(sb.build(), path=path) if path else tantivy.Index(sb.build())
    writer = index.writer()
    for doc in store.iter_documents():
        writer.add_document(tantivy.Document(title=doc.title, text=doc.text, source=doc.source or "-",
                                             lang=doc.lang or "-"))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def _query_text(query_string: str) -> str:
    args = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    parts = [args.get("q", [""])[0]]
    for field in ("lang", "source"):
        values = args.get(field, [])
        if values:
            parts.append("+(" + " OR ".join(f'{field}:"{v}"' for v in values) + ")")
    text = " ".join(p for p in parts if p.strip())
    return text or "*"


def answer(index: tantivy.Index, searcher: tantivy.Searcher, query_string: str) -> dict:
    """Top 10 with titles and snippets, and the source and lang counts, for one query string."""
    try:
        query = index.parse_query(_query_text(query_string), ["title", "text"])
    except ValueError:
        query = index.parse_query("*", ["title", "text"])
    result = searcher.search(query, 10)
    facets = searcher.aggregate(query, {"source": {"terms": {"field": "source", "size": 15}},
                                        "lang": {"terms": {"field": "lang", "size": 15}}})
    snippets = tantivy.SnippetGenerator.create(searcher, query, index.schema, "text")
    hits = []
    for score, address in result.hits:
        doc = searcher.doc(address)
        hits.append({"title": doc["title"][0], "score": score, "snippet": snippets.snippet_from_doc(doc).to_html()})
    return {"total": result.count, "results": hits, "facets": facets}


def time_queries(index: tantivy.Index, queries: list[str], rounds: int) -> list[float]:
    searcher = index.searcher()
    timings = []
    for _ in range(rounds):
        for qs in queries:
            started = time.perf_counter()
            answer(index, searcher, qs)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def median_ms(index: tantivy.Index, queries: list[str], rounds: int) -> float:
    time_queries(index, queries, 1)  # warm-up
    return statistics.median(time_queries(index, queries, rounds))
