"""Light suffix-stripping stemmers for Ukrainian and Belarusian.

Snowball has no stemmer for either language. These strip one inflectional
ending (after a reflexive particle) and keep at least three letters, which
joins the common case and tense forms of a word without guessing at
derivational morphology. Names whose stem alternates (Київ / Києва) are left
to the name expander.
"""

from __future__ import annotations

_UK_REFLEXIVE = ("ся", "сь", "ться")
_UK_ENDINGS = sorted(
    {
        # adjectives and participles
        "ого", "ому", "ими", "іми", "ої", "ій", "ий", "ім", "им",
        "их", "іх", "ою", "ею", "ая", "яя", "еє", "ее", "ує",
        # nouns
        "ами", "ями", "ові", "еві", "єві", "ах", "ях", "ям", "ам", "ом", "ем",
        "єм", "єю", "ів", "ей",
        # verbs
        "ували", "ювали", "увати", "ювати", "ати", "яти", "ити", "іти", "ути",
        "ла", "ли", "ло", "ть", "ють", "ять", "уть", "ить", "іть", "ємо", "имо",
        "емо", "ете", "єте", "ите", "ила", "или", "ало", "али", "ала",
        # single letters
        "а", "е", "є", "и", "і", "ї", "о", "у", "ю", "я", "ь", "й",
    },
    key=len,
    reverse=True,
)

_BE_REFLEXIVE = ("ся", "ца", "цца")
_BE_ENDINGS = sorted(
    {
        "ага", "аму", "ымі", "імі", "ыя", "ія", "ай", "ой", "ый", "ій", "ым",
        "ім", "ых", "іх", "ую", "юю", "ае", "ое", "ая",
        "амі", "ямі", "ах", "ях", "ам", "ям", "ом", "ем", "ёй", "аў", "яў", "ей",
        "аць", "яць", "ыць", "іць", "ла", "лі", "ло", "ць", "юць", "уць",
        "ыце", "іце", "еце",
        "а", "е", "ё", "ы", "і", "о", "у", "ю", "я", "ь", "й", "ў",
    },
    key=len,
    reverse=True,
)

_MIN_STEM = 3


def _strip(word: str, reflexive: tuple[str, ...], endings: list[str]) -> str:
    for ending in sorted(reflexive, key=len, reverse=True):
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM + 1:
            word = word[: -len(ending)]
            break
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def stem_ukrainian(word: str) -> str:
    """Stem a lowercased Ukrainian word."""
    return _strip(word, _UK_REFLEXIVE, _UK_ENDINGS)


def stem_belarusian(word: str) -> str:
    """Stem a lowercased Belarusian word."""
    return _strip(word, _BE_REFLEXIVE, _BE_ENDINGS)
