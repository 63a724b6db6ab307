"""What the index holds.

Two kinds of records share one index:

* a document record (kind "d") per document: `title` and `text` (stems, for
  BM25 ranking), `exact` (unstemmed words with positions, for phrases, exact
  mode and prefixes), `names` (the keys of its names at their word positions,
  see `names.terms`) and `namelex` (its names by consonants), the facet
  fields, and the document's metadata stored as `meta`;
* a passage record (kind "p") per passage: `ptext` / `pexact` / `pnames` like
  `text` / `exact` / `names`, with the passage's `pos` and `body` stored; the
  first passage has `lead` "1".

Fields hold pre-analysed term lists (see `analysis`), so their analyzers are
never run. Queries on `text` only ever reach document records, and queries on
`ptext` only passages, so no kind filter is needed when searching.
"""

from whoosh import fields
from whoosh.analysis import Analyzer, Token

FACET_FIELDS = ("source", "lang", "date", "person", "place")
PASSAGE_FIELDS = frozenset({"ptext", "pexact", "pnames"})  # the fields only passage records have
DOC, PASSAGE = "d", "p"


class PositionedTerms(Analyzer):
    """Reads "position term position term ..." (terms already analysed, positions chosen by the
    indexer): several terms may share a position and positions may skip, as names need."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        parts = value.split()
        for pos, text in zip(parts[::2], parts[1::2], strict=True):
            token.text, token.boost, token.stopped = text, 1.0, False
            if positions:
                token.pos = start_pos + int(pos)
            yield token


def make_schema() -> fields.Schema:
    return fields.Schema(
        kind=fields.ID(),
        doc_id=fields.ID(stored=True),
        title=fields.TEXT(phrase=False),
        text=fields.TEXT(phrase=False),
        exact=fields.TEXT(phrase=True),
        ptext=fields.TEXT(phrase=False),
        pexact=fields.TEXT(phrase=True),
        names=fields.TEXT(phrase=True, analyzer=PositionedTerms()),
        pnames=fields.TEXT(phrase=True, analyzer=PositionedTerms()),
        namelex=fields.KEYWORD(),
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
