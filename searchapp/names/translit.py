"""Spellings of a Cyrillic name under the transliteration systems in real use.

Russian comes from iuliia, Ukrainian from translitua; Belarusian (official
2007, BGN/PCGN, passport, Łacinka) and Polish transcription of all three
languages use the tables below. "English press" spellings add the ending
variants newspapers use (Zelensky, Zelenskyy, Zelenskiy; Shoigu, Shoygu).
Latin -> Cyrillic is not generated: it is too lossy (Kyiv -> Кыив).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

import iuliia
import translitua

_VOWELS = set("аеёиоуыэюяіїєў")
_SOFTENING = set("еёюяіь")


def _table(mapping: str) -> dict[str, str]:
    """Parse "а=a б=b ..." into a dict."""
    return dict(pair.split("=", 1) for pair in mapping.split())


def _by_table(word: str, table: dict[str, str], initial: dict[str, str] | None = None) -> str:
    """Letter-by-letter transliteration; `initial` applies at word start and after vowels."""
    out = []
    for i, ch in enumerate(word):
        low = ch.lower()
        prev = word[i - 1].lower() if i else ""
        use = initial if initial and low in initial and (not prev or prev in _VOWELS or prev in "ьъ'’") else table
        rep = use.get(low, ch)
        out.append(rep.capitalize() if ch.isupper() and rep else rep)
    return "".join(out)


def _words(name: str, fn: Callable[[str], str]) -> str:
    return re.sub(r"[\w’'ʼ]+", lambda m: fn(m.group()), name)


# Belarusian -----------------------------------------------------------------
_BE_OFFICIAL = _table("а=a б=b в=v г=h ґ=g д=d е=ie ё=io ж=ž з=z і=i й=j к=k л=l м=m н=n о=o п=p р=r с=s т=t "
                      "у=u ў=ŭ ф=f х=ch ц=c ч=č ш=š ы=y ь= э=e ю=iu я=ia '= ’=")
_BE_OFFICIAL_AFTER_CONSONANT = {"е": "e", "ё": "io", "ю": "iu", "я": "ia"}
_BE_BGN = _table("а=a б=b в=v г=h ґ=g д=d е=ye ё=yo ж=zh з=z і=i й=y к=k л=l м=m н=n о=o п=p р=r с=s т=t "
                 "у=u ў=w ф=f х=kh ц=ts ч=ch ш=sh ы=y ь= э=e ю=yu я=ya '= ’=")
_BE_PASSPORT = _table("а=a б=b в=v г=h ґ=g д=d е=ie ё=io ж=zh з=z і=i й=i к=k л=l м=m н=n о=o п=p р=r с=s "
                      "т=t у=u ў=u ф=f х=kh ц=ts ч=ch ш=sh ы=y ь= э=e ю=iu я=ia '= ’=")


def _be_official(word: str) -> str:
    table = {**_BE_OFFICIAL, **_BE_OFFICIAL_AFTER_CONSONANT}
    return _by_table(word, table, initial={"е": "ie"})


def _be_bgn(word: str) -> str:
    table = {**_BE_BGN, "е": "e", "ё": "ë", "ю": "yu", "я": "ya"}
    return _by_table(word, table, initial={"е": "ye", "ё": "yo"})


def _be_passport(word: str) -> str:
    return _by_table(word, {**_BE_PASSPORT, "е": "e"}, initial={"е": "ie"})


def _lacinka(word: str) -> str:
    """Belarusian Łacinka: hard л is ł, soft vowels after consonants give i, ь softens."""
    soft_vowel = {"е": "ie", "ё": "io", "ю": "iu", "я": "ia"}
    initial_vowel = {"е": "je", "ё": "jo", "ю": "ju", "я": "ja"}
    softened = {"з": "ź", "с": "ś", "ц": "ć", "н": "ń", "л": "l", "дз": "dź"}
    base = _table("а=a б=b в=v г=h ґ=g д=d ж=ž з=z і=i й=j к=k л=ł м=m н=n о=o п=p р=r с=s т=t у=u "
                  "ў=ŭ ф=f х=ch ц=c ч=č ш=š ы=y э=e '= ’=")
    low = word.lower()
    out = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if ch in soft_vowel:
            if not prev or prev in _VOWELS or prev in "'’ь":
                rep = initial_vowel[ch]
            elif prev == "л":
                rep = soft_vowel[ch][1:]  # ля -> la: the softness is in the l
            else:
                rep = soft_vowel[ch]
        elif ch == "ь":
            rep = ""
        elif ch == "л":
            rep = "l" if nxt in _SOFTENING else "ł"
        elif ch in softened and nxt == "ь":
            rep = softened[ch]
        else:
            rep = base.get(ch, ch)
        out.append(rep)
    result = "".join(out)
    return result[:1].upper() + result[1:] if word[:1].isupper() else result


# Polish transcription ---------------------------------------------------------
_PL_COMMON = _table("а=a б=b в=w ґ=g д=d ж=ż з=z й=j к=k м=m н=n о=o п=p р=r с=s т=t у=u ў=u ф=f х=ch ц=c "
                    "ч=cz ш=sz щ=szcz ъ= э=e '= ’=")
_PL_G = {"ru": "g", "uk": "h", "be": "h"}
_PL_I = {"ru": "i", "uk": "y", "be": "i"}
_HUSHING = set("жшчщц")


def _polish(word: str, lang: str) -> str:
    """Polish transcription; Ukrainian л before е is hard (Zełenski), Russian is soft."""
    low = word.lower()
    for ending, rep in (("ський", "ski"), ("ский", "ski"), ("скі", "ski"), ("ська", "ska"), ("ская", "ska"),
                        ("цкий", "cki"), ("цький", "cki")):
        if low.endswith(ending):
            return _polish(word[: -len(ending)], lang) + rep
    out = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < len(low) else ""
        after_consonant = prev and prev not in _VOWELS and prev not in "ьъ'’"
        if ch in "еєёюя":
            vowel = {"е": "e", "є": "e", "ё": "o", "ю": "u", "я": "a"}[ch]
            if ch == "е" and lang == "uk":
                rep = "e"
            elif prev in _HUSHING:
                rep = vowel
            elif prev == "л":
                rep = vowel if (ch != "е" or lang != "uk") else "e"
            elif after_consonant:
                rep = "i" + vowel
            else:
                rep = "j" + vowel
        elif ch == "л":
            hard = nxt not in _SOFTENING or (nxt == "е" and lang == "uk")
            rep = "ł" if hard else "l"
        elif ch == "г":
            rep = _PL_G[lang]
        elif ch == "и":
            rep = "y" if prev in _HUSHING or lang == "uk" else _PL_I[lang]
        elif ch == "ы":
            rep = "y"
        elif ch == "і":
            rep = "i"
        elif ch == "ї":
            rep = "ji"
        elif ch == "ь":
            rep = {"н": "", "с": "", "з": "", "ц": "", "т": ""}.get(prev, "")
            if out and prev in "нсзцт":
                out[-1] = {"n": "ń", "s": "ś", "z": "ź", "c": "ć", "t": "ć"}.get(out[-1], out[-1])
        else:
            rep = _PL_COMMON.get(ch, ch)
        out.append(rep)
    result = "".join(out)
    if result.endswith(("yj", "ij")) and lang in ("ru", "uk"):
        result = result[:-1]  # -ий/-ый -> -i/-y in Polish press (Prigożyn keeps its n)
    return result[:1].upper() + result[1:] if word[:1].isupper() else result


# German (Duden) and French press transcription of Russian ----------------------------
_RU_GERMAN = _table("а=a б=b в=w г=g д=d е=e ё=jo ж=sch з=s и=i й=i к=k л=l м=m н=n о=o п=p р=r с=s т=t у=u "
                    "ф=f х=ch ц=z ч=tsch ш=sch щ=schtsch ъ= ы=y ь= э=e ю=ju я=ja")
_RU_FRENCH = _table("а=a б=b в=v г=g д=d е=e ё=io ж=j з=z и=i й=ï к=k л=l м=m н=n о=o п=p р=r с=s т=t у=ou "
                    "ф=f х=kh ц=ts ч=tch ш=ch щ=chtch ъ= ы=y ь= э=e ю=iou я=ia")


def _ru_german(word: str) -> str:
    word = re.sub(r"(?i)ий$", "i", word)
    return _by_table(word, _RU_GERMAN, initial={"е": "je"})


def _ru_french(word: str) -> str:
    low = word.lower()
    out = _by_table(word, _RU_FRENCH, initial={"е": "ie"})
    if low.endswith("ин"):  # Poutine, Prigojine
        out += "e"
    return re.sub(r"(?<=[aeiou])s(?=[aeiouy])", "ss", out.replace("ïï", "ï").replace("iï", "i"))


# Russian and Ukrainian via libraries -------------------------------------------
_RU_SCHEMAS = {
    "wikipedia": iuliia.WIKIPEDIA, "bgn_pcgn": iuliia.BGN_PCGN, "icao": iuliia.ICAO_DOC_9303,
    "mvd_782": iuliia.MVD_782, "iso9": iuliia.GOST_779, "scholarly": iuliia.SCIENTIFIC, "ala_lc": iuliia.ALA_LC,
}
_UK_TABLES = {
    "national_2010": translitua.UkrainianKMU, "bgn_pcgn": translitua.UkrainianBGN,
    "passport_2007": translitua.UkrainianPassport2007, "iso9": translitua.UkrainianISO9,
    "german": translitua.UkrainianGerman, "french": translitua.UkrainianFrench,
    "scholarly": translitua.UkrainianWWS, "simple": translitua.UkrainianSimple,
}


def _ru(schema) -> Callable[[str], str]:
    return schema.translate


def _uk(table) -> Callable[[str], str]:
    def translate(name: str) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return translitua.translit(name, table)
    return translate


SYSTEMS: dict[str, dict[str, Callable[[str], str]]] = {
    "ru": {**{k: _ru(v) for k, v in _RU_SCHEMAS.items()}, "polish": lambda n: _words(n, lambda w: _polish(w, "ru")),
           "german": lambda n: _words(n, _ru_german), "french": lambda n: _words(n, _ru_french)},
    "uk": {**{k: _uk(v) for k, v in _UK_TABLES.items()}, "polish": lambda n: _words(n, lambda w: _polish(w, "uk"))},
    "be": {
        "official_2007": lambda n: _words(n, _be_official),
        "bgn_pcgn": lambda n: _words(n, _be_bgn),
        "passport": lambda n: _words(n, _be_passport),
        "lacinka": lambda n: _words(n, _lacinka),
        "polish": lambda n: _words(n, lambda w: _polish(w, "be")),
    },
}

_PRESS_ENDINGS = [  # (ending, alternatives) applied to each word of a romanised name
    ("skyi", ("sky", "skyy", "skiy", "ski")), ("skiy", ("sky", "skyy", "ski")), ("sky", ("skiy", "skyy", "ski")),
    ("ii", ("y", "iy")), ("yi", ("y", "iy", "yy")), ("iy", ("y",)),
]


def press_variants(romanised: str) -> set[str]:
    """English-press ending variants of a romanised name (Zelenskyi -> Zelensky, Zelenskyy, ...)."""
    out = set()
    words = romanised.split()
    for i, word in enumerate(words):
        low = word.lower()
        for ending, alternatives in _PRESS_ENDINGS:
            if low.endswith(ending) and len(low) > len(ending) + 2:
                for alt in alternatives:
                    out.add(" ".join([*words[:i], word[: -len(ending)] + alt, *words[i + 1 :]]))
                break
    return out


# ISO 9 writes я and ю as â and û, which lose their i when folded to ASCII (Âlta would be Alta,
# not Yalta), and soft signs as primes, which split a word (Šol′c); nobody types either.
_ISO9_LETTERS = str.maketrans({"â": "ja", "Â": "Ja", "û": "ju", "Û": "Ju", "ʹ": "", "′": "", "ʺ": "", "″": ""})


def transliterations(native: str, lang: str) -> dict[str, str]:
    """{system: spelling} for a Cyrillic name in `lang` (ru, uk or be)."""
    systems = SYSTEMS.get(lang, {})
    spellings = {name: fn(native).translate(_ISO9_LETTERS) for name, fn in systems.items()}
    press_base = spellings.get("wikipedia") or spellings.get("national_2010") or spellings.get("bgn_pcgn") or ""
    for i, variant in enumerate(sorted(press_variants(press_base))):
        spellings[f"press_{i + 1}"] = variant
    return {k: v for k, v in spellings.items() if v and v != native}
