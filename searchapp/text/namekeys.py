"""Name keys that join spellings of one name across scripts and transliteration systems.

`fine_key` is the name in ASCII (anyascii) with the letter classes that romanisation systems
disagree on merged (sz/sh, cz/ch/kh, w/v, j/y/i, dzh/j, doubled letters, ...), vowels kept:
Lukashenko, Lukaschenko and Лукашенко give "lukasenko"; Borodyanka and Бородянка give
"borodianka"; Johnson and Джонсон "ionson".

`word_keys` is every key a written word can stand for: a Cyrillic case form gives the keys of
its lemmas by the dictionary (Бородянці -> бородянка, Ірпеня -> ірпінь) and of itself without
its case ending (Маска -> Маск, which the dictionary reads only as "mask"); a Polish case form
its likely nominatives (Kijowie -> Kijow, Zełenskiego -> Zełenski). The index holds these keys
for every name it sees; a query asks for the keys of the name typed.

Transcription by ear differs in vowels (Trudeau/Трюдо, Musk/Маск, Irpin/Ирпень): `loosely_same`
accepts two keys from different scripts with the same consonants, as many vowel groups and
a close spelling, which the search confirms against names the index holds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from searchapp.text import morphology
from searchapp.text.analysis import is_cyrillic

# Ordered rewrites over lowercase ASCII. Polish and German digraphs first, then
# letter classes shared by the romanisation systems in use.
_REWRITES = [
    ("dzh", "j"), ("rzh", "zh"), ("szcz", "shch"), ("tsch", "ch"), ("sch", "sh"), ("sz", "sh"), ("cz", "ch"),
    ("rz", "zh"),  # Polish rz, written рж in Cyrillic (Zakrzewski, Закржевський)
    ("shch", "sc"), ("kh", "h"), ("ch", "h"), ("zh", "z"), ("sh", "s"), ("ts", "c"), ("tz", "c"),
    ("ph", "f"), ("ck", "k"), ("x", "ks"), ("q", "k"), ("w", "v"), ("g", "h"),
    ("yi", "i"), ("iy", "i"), ("yy", "i"), ("ij", "i"), ("j", "i"), ("y", "i"), ("ii", "i"),
]
_NON_LETTERS = re.compile(r"[^a-z]+")
_POLISH = re.compile(r"[ąćęłńśźż]|(?:owi|iego|iemu|ie)$", re.IGNORECASE)  # a Polish word, by letters or ending
_DOUBLES = re.compile(r"(.)\1+")
_VOWEL_GROUPS = re.compile(r"[aeiou]+")
SIMILARITY = 85.0
LOOSE_SIMILARITY = 75.0

# One noun case ending off a Cyrillic word (longest first), leaving at least three letters.
# Adjectival endings stay: the dictionary reads those surnames, and cutting them would give
# Зеленська and Зеленського one key.
_CYRILLIC_ENDINGS = sorted("ами ями ою ею ом ем ам ям ах ях ів а я у ю е є і и ы о".split(), key=len, reverse=True)
# Polish case endings of names, each with the nominative ending it replaces.
_POLISH_ENDINGS = [
    ("iego", "i"), ("iemu", "i"), ("ego", "y"), ("emu", "y"), ("skiej", "ska"), ("ckiej", "cka"), ("skim", "ski"),
    ("ckim", "cki"), ("sią", "ś"), ("cią", "ć"), ("nią", "ń"), ("zią", "ź"), ("owi", ""), ("iem", ""), ("em", ""),
    ("ie", ""), ("ą", "a"), ("ę", "a"), ("ce", "ka"), ("si", "ś"), ("ci", "ć"), ("ni", "ń"), ("zi", "ź"),
    ("ii", "ia"), ("ji", "ja"), ("i", "a"), ("y", "a"), ("u", ""), ("a", "")]

_POLISH_LOCATIVES = [("dzie", "da"), ("nie", "na"), ("wie", "wa"), ("mie", "ma"), ("bie", "ba"), ("pie", "pa"),
                     ("rze", "ra"), ("cie", "ta"), ("sie", "sa"), ("zie", "za"), ("le", "ła")]


@lru_cache(maxsize=200_000)
def fine_key(name: str) -> str:
    """The name in ASCII with the letter classes of romanisation systems merged, vowels kept."""
    text = _NON_LETTERS.sub("", anyascii(name).lower())
    text = re.sub(r"^mc[ck]?", "mak", text)  # McFaul, Макфол; McCain, Маккейн
    for old, new in _REWRITES:
        text = text.replace(old, new)
    text = re.sub(r"^(ie|ye|je)", "e", text)
    text = re.sub(r"aia$", "a", text)  # Zelenskaya, Зеленская -> zelenska, as Зеленська
    return _DOUBLES.sub(r"\1", text)


def similar(a: str, b: str) -> bool:
    """True when two spellings are close enough, by fine key, to be one name."""
    return fuzz.ratio(fine_key(a), fine_key(b)) >= SIMILARITY


_POSSESSIVE_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ів|їн)(?:ым|им|ой|ою)$", re.IGNORECASE)
# Surnames in -ский/-ський/-цкий decline as adjectives: (ending, nominative ending).
_ADJECTIVAL_SURNAME = [("ського", "ський"), ("ському", "ський"), ("ським", "ський"), ("ськім", "ський"),
                       ("ської", "ська"), ("ській", "ська"), ("ською", "ська"), ("ську", "ська"),
                       ("ского", "ский"), ("скому", "ский"), ("ским", "ский"), ("ском", "ский"),
                       ("ской", "ская"), ("скую", "ская"), ("скою", "ская"),
                       ("цького", "цький"), ("цькому", "цький"), ("цьким", "цький"), ("цької", "цька"),
                       ("цкого", "цкий"), ("цкому", "цкий"), ("цким", "цкий"), ("цкой", "цкая")]
_A_DECLENSION = ("і", "и", "ы", "у", "ю", "е", "ой", "ою", "ей", "ай")  # Бабарыкі, Лукашэнку -> -а
_ENKO = re.compile(r"(?<=[еэє]нк)(?:а|у|ом|ові|и|і)$", re.IGNORECASE)  # Тимошенка -> Тимошенко
_IA_DECLENSION = [("ыі", "ыя"), ("іі", "ія"), ("ії", "ія"), ("ии", "ия"), ("ыи", "ыя")]  # Францыі, Росії, России


def _cyrillic_nominatives(word: str, lang: str) -> list[str]:
    """Likely nominatives of a case form the dictionary may not know: without a noun case ending
    (Маска -> Маск), or with the nominative ending of adjectival and -ов/-ин surnames
    (Сирського -> Сирський, Рыболовлевым -> Рыболовлев, Захаровой -> Захарова), or of nouns in -а
    (Бабарыкі -> Бабарыка)."""
    low = word.lower()
    if _ENKO.search(low):
        return [_ENKO.sub("о", word)]
    for ending, nominative in _ADJECTIVAL_SURNAME:
        if low.endswith(ending) and len(low) - len(ending) >= 2:
            return [word[: -len(ending)] + nominative]
    if _POSSESSIVE_SURNAME.search(low) and len(low) > 6:
        return [word[:-2] + ("а" if low.endswith(("ой", "ою")) else "")]
    for ending, nominative in _IA_DECLENSION:
        if low.endswith(ending) and len(low) > 4:
            return [word[: -len(ending)] + nominative]
    for ending in _CYRILLIC_ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            stem = word[: -len(ending)]
            unknown = not any(p.known for p in morphology.parses(word, lang))
            return [stem, stem + "а"] if ending in _A_DECLENSION and unknown else [stem]
    return []


def _polish_nominatives(word: str) -> list[str]:
    low = word.lower()
    # a feminine place in the locative softens its last consonant: Ukrainie, Moskwie, Ankarze
    found = [word[: -len(ending)] + nominative for ending, nominative in _POLISH_LOCATIVES
             if low.endswith(ending) and len(low) - len(ending) >= 3][:1]
    for ending, nominative in _POLISH_ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            stem = word[: -len(ending)]
            return [*found, stem + nominative] if nominative else [*found, stem]
    return found


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s", "ʼs")) else word


@lru_cache(maxsize=300_000)
def key_spellings(word: str, lang: str = "") -> tuple[tuple[str, str], ...]:
    """(key, spelling) for every key `word`, written in a text of language `lang` ("" if
    unknown), can stand for; the spelling is the form the key comes from (a lemma, say)."""
    word = _strip_possessive(word)
    if is_cyrillic(word):
        lemmas = (lemma.capitalize() for lemma in morphology.lemmas(word, lang))
        forms = [word, *lemmas, *_cyrillic_nominatives(word, lang)]
    elif lang == "pl" or (not lang and _POLISH.search(word)):
        forms = [word, *_polish_nominatives(word)]
    else:
        forms = [word]
    pairs = {}
    for form in forms:
        key = fine_key(form)
        if len(key) >= 2:
            pairs.setdefault(key, form)
    return tuple(pairs.items())


def word_keys(word: str, lang: str = "") -> frozenset[str]:
    """Every key `word`, as written in a text of language `lang` ("" if unknown), can stand for."""
    return frozenset(key for key, _ in key_spellings(word, lang))


@lru_cache(maxsize=100_000)
def canonical_key(word: str, lang: str = "") -> str:
    """One key for a name word in any case form, the same for its nominative: the dictionary's
    lemma (a name's reading first), else the likely nominative (Тимошенка -> Тимошенко)."""
    word = _strip_possessive(word)
    if is_cyrillic(word):
        found = sorted((p for p in morphology.parses(word, lang) if p.known), key=lambda p: not p.proper)
        if found:
            return fine_key(found[0].lemma)
        nominatives = _cyrillic_nominatives(word, lang)
        return fine_key(nominatives[0] if nominatives else word)
    if lang == "pl":
        nominatives = _polish_nominatives(word)
        return fine_key(nominatives[0] if nominatives else word)
    return fine_key(word)


def skeleton(key: str) -> str:
    """The consonants of a key (c and k as one, h left out: Johnson, Джонсон), doubles merged."""
    return _DOUBLES.sub(r"\1", _VOWEL_GROUPS.sub("", key).replace("c", "k").replace("h", ""))


def loosely_same(a: str, b: str) -> bool:
    """Two keys of one name written by ear in two scripts (Trudeau/Трюдо: "trudeau"/"triudo")."""
    if a == b:
        return True
    if len(skeleton(a)) < 3 or skeleton(a) != skeleton(b):
        return False
    if a[0] in "aeiou" and a[0] != b[0] and b[0] not in "aeiou":
        return False
    if a.endswith("a") != b.endswith("a"):
        return False  # Ivanov/Ivanova, Sumy/Suma: another person, another word
    if _shape(a) != _shape(b):
        return False  # vowels in other places: Pariz is not Prize
    return fuzz.ratio(a, b) >= LOOSE_SIMILARITY


def _shape(key: str) -> str:
    """Consonants and vowel groups in order: Trudeau and Трюдо both "ccvcv"."""
    return _VOWEL_GROUPS.sub("v", re.sub("[^aeiouv]", "c", key.replace("v", "w")))
