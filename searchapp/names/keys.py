"""Name keys that join spellings of one name across scripts and transliteration systems.

* `coarse_key` is a consonant skeleton (anyascii, then rewrite rules, vowels
  dropped): Lukashenko, Lukashenka, Лукашенко, Лукашэнка and Łukaszenka all give
  "lksnk". It is deliberately coarse, so it only *proposes* candidates.
* `fine_key` keeps the vowels under the same rewrites; candidates proposed by the
  coarse key are confirmed only when their fine keys are close (`similar`), so
  Zieliński is not taken for Zelensky although both give "zlnsk".
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

# Ordered rewrites over lowercase ASCII. Polish and German digraphs first, then
# letter classes shared by the romanisation systems in use.
_REWRITES = [
    ("szcz", "shch"), ("tsch", "ch"), ("sch", "sh"), ("sz", "sh"), ("cz", "ch"), ("rz", "zh"),
    ("shch", "sc"), ("kh", "h"), ("ch", "h"), ("zh", "z"), ("sh", "s"), ("ts", "c"), ("tz", "c"),
    ("ph", "f"), ("ck", "k"), ("x", "ks"), ("q", "k"), ("w", "v"), ("g", "h"),
    ("yi", "i"), ("iy", "i"), ("yy", "i"), ("ij", "i"), ("j", "i"), ("y", "i"), ("ii", "i"),
]
_NON_LETTERS = re.compile(r"[^a-z]+")
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]+")
SIMILARITY = 85.0


@lru_cache(maxsize=100_000)
def fine_key(name: str) -> str:
    """The name in ASCII with the letter classes of romanisation systems merged, vowels kept."""
    text = _NON_LETTERS.sub("", anyascii(name).lower())
    for old, new in _REWRITES:
        text = text.replace(old, new)
    text = re.sub(r"^(ie|ye|je)", "e", text)
    return _DOUBLES.sub(r"\1", text)


@lru_cache(maxsize=100_000)
def coarse_key(name: str) -> str:
    """The consonant skeleton of `fine_key` (the first letter kept even if a vowel)."""
    fine = fine_key(name)
    if not fine:
        return ""
    return _DOUBLES.sub(r"\1", fine[0] + _VOWELS.sub("", fine[1:]))


def similar(a: str, b: str) -> bool:
    """True when two spellings are close enough, by fine key, to be one name."""
    return fuzz.ratio(fine_key(a), fine_key(b)) >= SIMILARITY
