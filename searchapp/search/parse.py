"""The query language: Whoosh's parser, configured, producing queries over raw words.

Syntax: words are ANDed (the explicit default operator); `OR`, `AND`, `NOT`
and parentheses; `-word` excludes; "quoted phrases"; `word*` and `wo?d`
wildcards (at least two letters first); `title:`, `source:` and `lang:`
field filters; `word^2` boosts; `=word` or `="two words"` for exactly that
spelling (no stemming, no name variants). The parsed words are left unanalysed: the
rewrite step turns them into index terms.
"""

from __future__ import annotations

import re

from whoosh import analysis, fields, qparser
from whoosh.query import Query

from searchapp.search.params import ParamError

_WORDS = r"(?:[^\W_]|[\u0300-\u036f])+(?:['’ʼ`](?:[^\W_]|[\u0300-\u036f])+)*"
_tokenizer = analysis.RegexTokenizer(_WORDS)

PARSE_SCHEMA = fields.Schema(
    text=fields.TEXT(analyzer=_tokenizer, multitoken_query="phrase"),
    exact=fields.TEXT(analyzer=_tokenizer, multitoken_query="phrase"),
    title=fields.TEXT(analyzer=_tokenizer, multitoken_query="phrase"),
    source=fields.ID(),
    lang=fields.ID(),
)


def _make_parser() -> qparser.QueryParser:
    parser = qparser.QueryParser("text", PARSE_SCHEMA, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.remove_plugin_class(qparser.EveryPlugin)
    # "-" excludes only at the start of a word: Ivano-Frankivsk stays one phrase.
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=r"(?:^|(?<=[\s(]))\+(?=\S)",
                                              minusexpr=r"(?:^|(?<=[\s(]))-(?=\S)"))
    return parser


_parser = _make_parser()


# `=word` and `="two words"` ask for exactly that spelling: no stemming, no name variants.
_EXACT = re.compile(r'(?<![\w:=])=("[^"]*"|[^\s()"]+)')


def parse_query(text: str) -> Query | None:
    """Parse a query string; None for an empty query; ParamError when it makes no sense."""
    if not text.strip():
        return None
    try:
        return _parser.parse(_EXACT.sub(r"exact:\1", text))
    except Exception as exc:  # Whoosh raises assorted errors on odd input
        raise ParamError('Could not understand the query (%(error)s); check quotes and brackets, '
                         'or put words in "quotes"', error=exc.__class__.__name__) from None
