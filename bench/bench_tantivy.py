"""The same queries answered by tantivy on the same documents, as a yardstick (bench-only).

Builds an in-memory tantivy index of the store's documents (title, text, source, lang) and
times, in-process, each query of bench/queries.txt: top 10, counts of the source and lang
facets, and snippets for the 10 hits. Date ranges and name expansion have no tantivy
counterpart here, so the yardstick does less work than searchapp does.
"""

from __future__ import annotations

import statistics
import time
import urllib.parse

import tantivy

from searchapp.docstore import DocStore


def build(store: DocStore) -> tuple[tantivy.Index, tantivy.Schema]:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", stored=True)
    sb.add_text_field("text", stored=True)
    sb.add_text_field("source", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("lang", stored=True, tokenizer_name="raw", fast=True)
    schema = sb.build()
    index = tantivy.Index(schema)
    writer = index.writer()
    for doc in store.iter_documents():
        writer.add_document(tantivy.Document(title=doc.title, text=doc.text, source=doc.source or "-",
                                             lang=doc.lang or "-"))
    writer.commit()
    index.reload()
    return index, schema


def _query_text(query_string: str) -> str:
    args = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    parts = [args.get("q", [""])[0]]
    for field in ("lang", "source"):
        values = args.get(field, [])
        if values:
            parts.append("+(" + " OR ".join(f'{field}:"{v}"' for v in values) + ")")
    text = " ".join(p for p in parts if p.strip())
    return text or "*"


def time_queries(index: tantivy.Index, schema: tantivy.Schema, queries: list[str], rounds: int) -> list[float]:
    searcher = index.searcher()
    timings = []
    for _ in range(rounds):
        for qs in queries:
            started = time.perf_counter()
            try:
                query = index.parse_query(_query_text(qs), ["title", "text"])
            except ValueError:
                query = index.parse_query("*", ["title", "text"])
            result = searcher.search(query, 10)
            searcher.aggregate(query, {"source": {"terms": {"field": "source", "size": 15}},
                                       "lang": {"terms": {"field": "lang", "size": 15}}})
            snippets = tantivy.SnippetGenerator.create(searcher, query, schema, "text")
            for _, address in result.hits:
                snippets.snippet_from_doc(searcher.doc(address)).to_html()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def median_ms(store_path: str, queries: list[str], rounds: int) -> float:
    index, schema = build(DocStore(store_path))
    time_queries(index, schema, queries, 1)  # warm-up
    return statistics.median(time_queries(index, schema, queries, rounds))
