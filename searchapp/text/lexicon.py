"""Ordinary English and Polish words, from simplemma's bundled dictionaries (no download).

Russian and Ukrainian words have pymorphy3 (`morphology`). For a Latin-script word the one
question asked is whether a dictionary lists that very lower-case form as a word (nickel; Polish
sumy "sums", czyta "reads", lwów "of lions"), as opposed to only its capitalised form (Kyiv,
Lwów): the lookup is case-sensitive. The frugal dictionaries load once per process (~2 s,
mostly Polish), lazily or in `warm`, and a lookup takes a few microseconds.
"""

from __future__ import annotations

from functools import lru_cache

from simplemma.strategies import DictionaryLookupStrategy
from simplemma.strategies.dictionaries import LOW_MEMORY_DICTIONARY_FACTORY

LANGUAGES = ("en", "pl")


@lru_cache(maxsize=1)
def _lookup() -> DictionaryLookupStrategy:
    return DictionaryLookupStrategy(LOW_MEMORY_DICTIONARY_FACTORY)


@lru_cache(maxsize=50_000)
def is_common_word(word: str) -> bool:
    """An English or Polish dictionary lists this lower-case word (nickel, sumy, łódź)."""
    return word.islower() and any(_lookup().exact_lemma(word, lang) is not None for lang in LANGUAGES)


def warm() -> None:
    """Load both dictionaries now (a worker does this before it takes requests)."""
    for lang in LANGUAGES:
        _lookup().exact_lemma("warm", lang)
