"""What the index holds.

Two kinds of records share one index:

* a document record (kind "d") per document: `title` and `text` (stems, for
  BM25 ranking; `text` with positions, for multi-word names), `exact`
  (unstemmed words with positions, for phrases, exact mode and prefixes), the
  facet fields, and the document's metadata stored as `meta`;
* a passage record (kind "p") per passage: `ptext` / `pexact` like `text` /
  `exact`, with the passage's `pos` and `body` stored; the first passage has `lead` "1".

Fields hold pre-analysed term lists (see `analysis`), so their analyzers are
never run. Queries on `text` only ever reach document records, and queries on
`ptext` only passages, so no kind filter is needed when searching.
"""

from whoosh import fields

FACET_FIELDS = ("source", "lang", "date", "person", "place")
DOC, PASSAGE = "d", "p"


def make_schema() -> fields.Schema:
    return fields.Schema(
        kind=fields.ID(),
        doc_id=fields.ID(stored=True),
        title=fields.TEXT(phrase=False),
        text=fields.TEXT(phrase=True),
        exact=fields.TEXT(phrase=True),
        ptext=fields.TEXT(phrase=True),
        pexact=fields.TEXT(phrase=True),
        lead=fields.ID(),
        source=fields.KEYWORD(),
        lang=fields.KEYWORD(),
        date=fields.KEYWORD(),
        person=fields.KEYWORD(),
        place=fields.KEYWORD(),
        meta=fields.STORED(),
        pos=fields.STORED(),
        body=fields.STORED(),
    )
