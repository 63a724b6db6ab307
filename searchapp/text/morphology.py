"""Russian and Ukrainian morphology from pymorphy3 and its bundled dictionaries (no download).

A word is read every way the dictionary allows (`parses`), not only the likeliest: case forms
with sound changes lemmatise correctly in some parse (Ірпеня -> ірпінь, Бородянці ->
бородянка, Охтирці -> охтирка), and the first parse is often the wrong one for a name (Києві ->
кий, Львова -> львов). Callers keep every lemma and let the index decide which one exists.
Dictionaries load once per process (~0.3 s for both), lazily; only dictionary words are read
(unknown words are left to the callers' case-ending rules), and parses are cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3

PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
MAX_LEMMAS = 4
_UKRAINIAN_LETTERS = re.compile("[іїєґІЇЄҐ]")
_RUSSIAN_LETTERS = re.compile("[ыэъёЫЭЪЁ]")


@dataclass(frozen=True)
class Parse:
    lemma: str
    pos: str  # NOUN, ADJF, VERB, ... ("" when unknown)
    gender: str  # masc, femn, neut or ""
    proper: bool  # a first name, surname, patronymic or place name by the dictionary's tags
    place: bool  # a place name by the dictionary's tags (Geox)
    known: bool  # a dictionary word, not a guess from its ending
    lang: str  # the dictionary's language


@lru_cache(maxsize=2)
def _analyzer(lang: str) -> pymorphy3.MorphAnalyzer:
    # The dictionary alone: ~8 µs a word. Guessing unknown words from their endings costs ~600 µs
    # a word (most names are unknown words) and the callers cut case endings themselves.
    return pymorphy3.MorphAnalyzer(lang=lang, units=[pymorphy3.units.DictionaryAnalyzer(),
                                                     pymorphy3.units.UnknAnalyzer()])


def analyzer_languages(word: str, lang: str = "") -> tuple[str, ...]:
    """Which dictionaries read a Cyrillic word: its document's language, else its letters say."""
    if lang in ("ru", "uk"):
        return (lang,)
    if lang == "be":
        return ()  # no Belarusian dictionary: a Russian one would only guess
    if _UKRAINIAN_LETTERS.search(word):
        return ("uk",)
    if _RUSSIAN_LETTERS.search(word):
        return ("ru",)
    return ("uk", "ru")


@lru_cache(maxsize=300_000)
def parses(word: str, lang: str = "") -> tuple[Parse, ...]:
    """Every reading of a Cyrillic `word` (lowercase or not) in `lang` ("" when unknown)."""
    out: dict[tuple, Parse] = {}
    for code in analyzer_languages(word, lang):
        for p in _analyzer(code).parse(word.lower()):
            tag = p.tag
            lemma = p.normal_form
            if tag.gender == "femn" and (tag.POS == "ADJF" or "Surn" in tag):  # Зеленської -> зеленська
                nominative = p.inflect({"nomn"})  # (the dictionary form is the masculine)
                lemma = nominative.word if nominative is not None else lemma
            parse = Parse(lemma.replace("ё", "е"), tag.POS or "", tag.gender or "",
                          bool(PROPER & tag.grammemes), "Geox" in tag.grammemes, p.is_known, code)
            key = (parse.lemma, parse.pos, parse.gender, parse.proper, code)
            if key not in out or (parse.known and not out[key].known):  # one dictionary's guess, another's word
                out[key] = parse
    return tuple(out.values())


def lemmas(word: str, lang: str = "") -> tuple[str, ...]:
    """The distinct lemmas of a Cyrillic word, proper-noun readings first (at most MAX_LEMMAS)."""
    found = sorted(parses(word, lang), key=lambda p: not p.proper)
    return tuple(dict.fromkeys(p.lemma for p in found))[:MAX_LEMMAS]


def is_common_word(word: str, lang: str = "") -> bool:
    """A dictionary word with a reading that is not a name (Саме, Сегодня, Маска, Полиция):
    capitalised, it is still no evidence of a name. The Ukrainian dictionary tags no place names
    (Ірпінь, Брюсель are plain nouns there), so its nouns count as neither."""
    return any(p.known and not p.proper and not (p.lang == "uk" and p.pos == "NOUN") for p in parses(word, lang))


_NOT_NAMES = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "ADVB", "PRED", "INTJ", "COMP", "GRND", "VERB", "INFN",
                        "PRTF", "PRTS", "NUMR"})


def is_function_word(word: str, lang: str = "") -> bool:
    """Every dictionary reading of the word is one no name has (a preposition, conjunction,
    adverb, pronoun or verb form: Крім, Саме, Сьогодні, Заявив): capitalised at the start of a
    sentence, it is that word."""
    found = parses(word, lang)
    return bool(found) and all(p.known and p.pos in _NOT_NAMES for p in found)


def reads_as_adjective(word: str, lang: str = "") -> bool:
    """The dictionary reads the word as an adjective (Харківської, Курская), among other readings."""
    return any(p.pos == "ADJF" for p in parses(word, lang))


def is_place_name(word: str, lang: str = "") -> bool:
    """The dictionary knows the word as a place name (Берлине), whatever else it may be (берлина)."""
    return any(p.place and p.known for p in parses(word, lang))


def is_headword(word: str, lang: str = "") -> bool:
    """The word is itself the dictionary form of an ordinary word (сума, груз): typed alone, it
    means that word, not a name whose case forms it resembles."""
    low = word.lower().replace("ё", "е")
    found = parses(word, lang)
    return not any(p.proper for p in found) and any(p.known and p.pos == "NOUN" and p.lemma == low for p in found)


def genders(word: str, lang: str = "") -> frozenset[str]:
    """Grammatical genders the proper-noun readings of a word allow (Зеленського: masc)."""
    return frozenset(p.gender for p in parses(word, lang) if p.proper and p.gender)


def warm() -> None:
    """Load both dictionaries now (a worker does this before it takes requests)."""
    parses("Київ", "uk")
    parses("Москва", "ru")
