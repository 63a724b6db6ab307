"""The query language: Whoosh's parser, configured, producing queries over raw words.

Syntax: words are ANDed (the explicit default operator); `OR`, `AND`, `NOT`
and parentheses; `-word` excludes (a query of exclusions only finds every
document without them); "quoted phrases"; `word*` and `wo?d` wildcards (at least
two letters first); `title:`, `source:` and `lang:` field filters; `word^2`
boosts; `=word` or `="two words"` for exactly that spelling (no stemming, no name
variants). The parsed words are left unanalysed: the rewrite step turns them into
index terms. What cannot mean anything (an odd quote, a lone bracket, `title:`
with nothing after it, a trailing OR, a lone `*`) is left out, and said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import analysis, fields, qparser
from whoosh.query import Query

from searchapp.messages import Message

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
_EXCLUSION = re.compile(r"(?:^|(?<=[\s(]))-(?=\S)")
_OPERATORS = ("AND", "OR", "NOT")
_FIELD = re.compile(r"\b(?:title|source|lang|exact):(?=\s|$|\))")
_WILDCARD_ALONE = re.compile(r"(?:^|(?<=[\s(]))(?:(?:title|source|lang|exact|text):)?[*?]+(?=[\s)]|$)")
# AND, OR, NOT with nothing to act on: beside a bracket, or doubled ("a OR OR b").
_DANGLING = re.compile(r"(?<=\()\s*(?:AND|OR)\b\s*|\s*\b(?:AND|OR|NOT)\s*(?=\))|\b(?:AND|OR)\s+(?=(?:AND|OR)\b)")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")


@dataclass
class ParsedQuery:
    query: Query | None
    notices: list[Message] = field(default_factory=list)  # what the lenient reading changed


def _lenient(text: str, notices: list[Message]) -> str:
    """The query with what it cannot mean taken out, each change said in a notice: an odd quote,
    a bracket without its pair, an operator or a field with nothing to act on, a lone wildcard."""
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + text[last + 1 :]
        notices.append(Message('A quote mark had no partner and was left out: "quote" whole phrases.'))
    depth, kept = 0, []
    for ch in text:
        if ch == ")" and depth == 0:
            continue
        depth += (ch == "(") - (ch == ")")
        kept.append(ch)
    if depth or len(kept) != len(text):
        for _ in range(depth):  # close what was opened
            kept.append(")")
        notices.append(Message("The brackets did not pair up; they were paired as far as they could be."))
    text = "".join(kept)
    if _FIELD.search(text):
        text = _FIELD.sub("", text)
        notices.append(Message("A field (title:, source:, lang:) was given nothing to look for and was left out: "
                               "write title:Kherson."))
    if _WILDCARD_ALONE.search(text):
        text = _WILDCARD_ALONE.sub("", text)
        notices.append(Message("A wildcard alone matches everything and was left out: write Prigoz* or Zelensk?y."))
    if _DANGLING.search(text):
        while _DANGLING.search(text):
            text = _EMPTY_BRACKETS.sub(" ", _DANGLING.sub("", text))
        notices.append(Message("AND, OR or NOT stood beside a bracket or another operator, with nothing to act on; "
                               "it was left out."))
    if _EMPTY_BRACKETS.search(text):
        while _EMPTY_BRACKETS.search(text):
            text = _EMPTY_BRACKETS.sub(" ", text)
        notices.append(Message("Empty brackets were left out."))
    words = text.split()
    while words and words[-1] in _OPERATORS:
        words.pop()
        notices.append(Message("The query ended in AND, OR or NOT, with nothing after it; that was left out."))
    while words and words[0] in ("AND", "OR"):
        words.pop(0)
        notices.append(Message("The query began with AND or OR, with nothing before it; that was left out."))
    return " ".join(words)


def parse_query(text: str) -> ParsedQuery:
    """Parse a query string; None for an empty one. The reading is lenient: what cannot mean
    anything is left out (and said), and a query the parser still refuses is searched as its words."""
    notices: list[Message] = []
    text = _lenient(text, notices)
    if not text.strip():
        return ParsedQuery(None, notices)
    if all(word.startswith("-") for word in text.split()):  # -Lukashenko: every document without
        text = _EXCLUSION.sub("NOT ", text)
    try:
        return ParsedQuery(_parser.parse(_EXACT.sub(r"exact:\1", text)), notices)
    except Exception as exc:  # Whoosh raises assorted errors on odd input: search the words
        words = " ".join(w for w in re.findall(_WORDS, text) if w not in _OPERATORS)
        notices.append(Message("The query could not be read as written (%(error)s); its words were searched.",
                               error=exc.__class__.__name__))
        return ParsedQuery(_parser.parse(words) if words else None, notices)
