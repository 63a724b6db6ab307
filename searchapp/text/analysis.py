"""Text analysis shared by indexing, querying and highlighting.

Every word is turned into two index terms:

* an *exact* term: lowercased, accents folded (Łukaszenka -> lukaszenka,
  ё -> е, ґ -> г), apostrophes dropped; used for phrases and prefixes;
* a *stem*: the exact word stemmed for the document's language (Snowball
  English, Polish, Russian; light stemmers for Ukrainian and Belarusian),
  then folded; stopwords get no stem.

A query word does not know its language, so it is stemmed with every stemmer
that can have been used for a word of its script, and the query matches any
of those stems (`query_stems`). Indexing stays precise per language while a
query finds every language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache

import Stemmer

from searchapp.text.slavic_stem import stem_belarusian, stem_ukrainian
from searchapp.text.stopwords import CYRILLIC_STOPWORDS, LATIN_STOPWORDS

_WORD_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+(?:['’ʼ`](?:[^\W_]|[\u0300-\u036f])+)*")
_APOSTROPHES = str.maketrans("", "", "'’ʼ`")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_SPECIAL_LATIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})
MAX_WORD = 64

_snowball = {name: Stemmer.Stemmer(name) for name in ("english", "polish", "russian")}

_LATIN_STEMMERS: dict[str, Callable[[str], str]] = {
    "en": _snowball["english"].stemWord,
    "pl": _snowball["polish"].stemWord,
}
_CYRILLIC_STEMMERS: dict[str, Callable[[str], str]] = {
    "ru": _snowball["russian"].stemWord,
    "uk": stem_ukrainian,
    "be": stem_belarusian,
}
_DEFAULT_LATIN = "en"
_DEFAULT_CYRILLIC = "ru"


def tokenize(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield (word, start, end) for each word of `text`, offsets into `text`."""
    for m in _WORD_RE.finditer(text):
        yield m.group(), m.start(), m.end()


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC_RE.search(word) is not None


@lru_cache(maxsize=200_000)
def normalize(word: str) -> str:
    """Lowercase, drop stress marks and apostrophes, English possessive 's, ё -> е."""
    word = word.lower()
    if "'" in word or "’" in word or "ʼ" in word or "`" in word:
        if word.endswith(("'s", "’s")) and not is_cyrillic(word):
            word = word[:-2]
        word = word.translate(_APOSTROPHES)
    if any("\u0300" <= c <= "\u036f" for c in word):
        word = "".join(c for c in unicodedata.normalize("NFD", word) if not "\u0300" <= c <= "\u036f")
        word = unicodedata.normalize("NFC", word.replace("и\u0306", "й"))
    return word.replace("ё", "е")


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Fold accents of Latin letters (ą -> a, ł -> l) and Ukrainian ґ -> г."""
    if word.isascii():
        return word
    if is_cyrillic(word):
        return word.replace("ґ", "г")
    word = word.translate(_SPECIAL_LATIN)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def exact_term(word: str) -> str:
    """The term a word gives in the exact (phrase) fields."""
    return fold(normalize(word))


def is_stopword(normalized: str) -> bool:
    stoplist = CYRILLIC_STOPWORDS if is_cyrillic(normalized) else LATIN_STOPWORDS
    return normalized in stoplist


def _stemmer_for(word: str, lang: str) -> Callable[[str], str]:
    if is_cyrillic(word):
        return _CYRILLIC_STEMMERS.get(lang) or _CYRILLIC_STEMMERS[_DEFAULT_CYRILLIC]
    return _LATIN_STEMMERS.get(lang) or _LATIN_STEMMERS[_DEFAULT_LATIN]


@lru_cache(maxsize=400_000)
def stem(word: str, lang: str) -> str | None:
    """The stemmed term of a raw word in a document of language `lang`, None for stopwords."""
    norm = normalize(word)
    if is_stopword(norm) or len(norm) > MAX_WORD:
        return None
    if norm.isdigit():
        return norm
    return fold(_stemmer_for(norm, lang)(norm))


@lru_cache(maxsize=50_000)
def query_stems(word: str) -> frozenset[str]:
    """Every stem that `word` can have been indexed under, whatever the document's language."""
    stemmers = _CYRILLIC_STEMMERS if is_cyrillic(word) else _LATIN_STEMMERS
    return frozenset(s for s in (stem(word, lang) for lang in stemmers) if s)


def stem_terms(text: str, lang: str) -> list[str]:
    """Stems of all words of `text`, stopwords left out (for the ranked fields)."""
    out = []
    for word, _, _ in tokenize(text):
        s = stem(word, lang)
        if s is not None:
            out.append(s)
    return out


def exact_terms(text: str) -> list[str]:
    """Exact terms of all words of `text`, in order (for phrase fields)."""
    return [exact_term(word)[:MAX_WORD] for word, _, _ in tokenize(text)]
