"""Name keys that join spellings of one name across scripts and transliteration systems.

`fine_key` is the name in ASCII (anyascii) with the letter classes that romanisation systems
disagree on merged (sz/sh, cz/ch/kh, w/v, j/y/i, doubled letters, ...), vowels kept:
Lukashenko, Lukaschenko and Лукашенко give "lukasenko". A spelling nobody listed is linked to
a registered name only when its key is *equal* to one of the name's; a consonant skeleton
would be too coarse (Zieliński and Zelensky share "zlnsk"). `similar` compares keys loosely,
to keep only those GeoNames alternates that sound like a name we know.
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
SIMILARITY = 85.0


@lru_cache(maxsize=100_000)
def fine_key(name: str) -> str:
    """The name in ASCII with the letter classes of romanisation systems merged, vowels kept."""
    text = _NON_LETTERS.sub("", anyascii(name).lower())
    for old, new in _REWRITES:
        text = text.replace(old, new)
    text = re.sub(r"^(ie|ye|je)", "e", text)
    return _DOUBLES.sub(r"\1", text)


def similar(a: str, b: str) -> bool:
    """True when two spellings are close enough, by fine key, to be one name."""
    return fuzz.ratio(fine_key(a), fine_key(b)) >= SIMILARITY
