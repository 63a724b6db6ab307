"""In-memory lookup over the registry: which entity a typed name means, and its variants.

A name is found, in this order, by
1. its spelling (any listed or generated spelling, case and accents folded),
2. its stems (Cyrillic and Polish case forms: Путина, Зеленського, Łukaszenki),
3. its transliteration key (a spelling nobody listed, such as Lukaschenko, whose
   fine key equals a registered spelling's),
4. a close misspelling (Pritozhin), only for words the archive does not contain.
Multi-word spellings match as a whole; for people, the surname alone matches too.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from searchapp.indexing.analysis import exact_term, is_cyrillic, tokenize
from searchapp.messages import N_
from searchapp.names.keys import fine_key
from searchapp.names.registry import Entity

MAX_WORDS = 4
MIN_LATIN_STEM = 5
_GEONAMES_ID = re.compile(r"-\d+$")
_PARTICLES = {"von", "van", "der", "de", "da", "bin", "al", "la", "le", "di"}

LISTED, CASE_FORM, KEY, MISSPELLING = (N_("listed spelling"), N_("case form"), N_("transliteration key"),
                                      N_("close misspelling"))
# Spellings are offered in this order: what people write first, generated and foreign forms last.
_SYSTEM_RANK = {"en": 0, "listed": 1, "archivist": 1, "uk": 2, "ru": 2, "be": 2, "pl": 3}


def _rank(system: str) -> int:
    if system in _SYSTEM_RANK:
        return _SYSTEM_RANK[system]
    return 4 if ":" in system and "press" in system else 5 if ":" in system else 6


@dataclass(frozen=True)
class NameMatch:
    entity_ids: tuple[str, ...]
    how: str
    full: bool  # a full (multi-word) name rather than a surname or one-word place name


def _words(text: str) -> list[str]:
    return [w for w, _, _ in tokenize(text)]


def surname(spelling: str) -> str:
    """The family name of a person's spelling: the last word, with particles (von der Leyen)."""
    words = spelling.split()
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(words[i:])


def _inflects(text: str, system: str, curated: bool, population: int) -> bool:
    """Whether a spelling also matches by stem (case forms).

    Cyrillic spellings do; Latin ones only for curated entities (Polish Łukaszenki), since the
    stems of transliterated obscure town names can be ordinary words (Warasz -> "war").
    GeoNames alternates only when Cyrillic and the town is large.
    """
    if system == "geonames":
        return is_cyrillic(text) and population >= 50_000
    return is_cyrillic(text) or curated


_CASE_ENDING = re.compile(
    r"(?:ого|его|ому|ему|ами|ями|ою|ею|ой|ей|ом|ем|ым|им|ам|ям|ах|ях|ів|ей"  # Cyrillic case endings
    r"|iego|iemu|ego|emu|owi|ich|ych|em|om|im|ym|ie)$")                     # Polish ones
_FINAL_VOWELS = re.compile(r"[аеёиоуыэюяіїєйьaeiouyąę]+$")
# Adjectives (Кримський міст, Донецька область) must not be taken for towns (Кримськ, Донецьк).
_ADJECTIVAL = re.compile(r"(?:ськ|цьк|ск|цк)(?:ий|ій|ый|ой|ая|яя|ое|ее|ого|ому|ым|им|ою|ої|ую|ые|ие|ых|их)$")


@lru_cache(maxsize=100_000)
def name_stem(word: str, inflected: bool = True) -> str:
    """A name without its case ending: Путиным, Путина -> путин; Łukaszenki -> lukaszenk.

    Names decline regularly where common words do not, and the Snowball stemmers cut them
    inconsistently (Рустем -> руст, Рустема -> рустем), so names get this light cut instead.
    A registered spelling is a nominative: only its final vowels go (`inflected=False`), so a
    town called Радом keeps its -ом and is not taken for the word Рада.
    """
    term = exact_term(word)
    cut = _FINAL_VOWELS.sub("", _CASE_ENDING.sub("", term) if inflected else term)
    return cut if len(cut) >= 3 else term


def _stem_options(word: str) -> frozenset[str]:
    return frozenset({name_stem(word, inflected=False)})


def _oblique(word: str) -> str | None:
    """The genitive of a Ukrainian name whose і/ї alternates: Київ -> Києва, Харків -> Харкова."""
    low = word.lower()
    if low.endswith("їв"):
        return word[:-2] + "єва"
    if low.endswith("ів") and len(low) > 3:
        return word[:-2] + "ова"
    return None


def _alternation_stems(word: str) -> frozenset[str]:
    oblique = _oblique(word)
    return frozenset({name_stem(oblique, inflected=False)}) if oblique else frozenset()


class NameIndex:
    def __init__(self, entities: dict[str, Entity]):
        self.entities = entities
        self._forms: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._stems: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._adjectival: set[tuple[str, ...]] = set()  # stems of spellings that are adjectives
        self._fine: dict[str, set[str]] = defaultdict(set)
        self._fuzzy: dict[tuple[bool, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._full: dict[str, list[tuple[int, str]]] = defaultdict(list)   # entity -> multi-word spellings
        self._short: dict[str, list[tuple[int, str]]] = defaultdict(list)  # entity -> one-word spellings, surnames
        for entity in entities.values():
            curated = not _GEONAMES_ID.search(entity.id)
            for text, system in entity.spellings.items():
                words = _words(text)
                if not words or len(words) > MAX_WORDS:
                    continue
                rank = _rank(system)
                self._register(entity.id, text, words, rank, full=len(words) > 1,
                               inflect=_inflects(text, system, curated, entity.population))
                if entity.kind == "person" and len(words) > 1:
                    short = surname(text)
                    self._register(entity.id, short, _words(short), rank, full=False)
        for variants in (*self._full.values(), *self._short.values()):
            variants[:] = sorted(set(variants))
        prefixes = set()  # (folded start, spelling, entity): full spellings, and people's surnames
        for entity in entities.values():
            if _GEONAMES_ID.search(entity.id) and entity.population < 100_000:
                continue
            for text in entity.spellings:
                if len(text) <= 60:
                    prefixes.add((exact_term(text), text, entity.id))
                    if entity.kind == "person" and " " in text:
                        prefixes.add((exact_term(surname(text)), text, entity.id))
        self._prefixes = sorted(prefixes)

    def _register(self, entity_id: str, text: str, words: list[str], rank: int, full: bool,
                  inflect: bool = True) -> None:
        (self._full if full else self._short)[entity_id].append((rank, text))
        self._forms[tuple(exact_term(w) for w in words)].add(entity_id)
        if inflect:
            options = [_stem_options(w) | _alternation_stems(w) for w in words]
            for combo in itertools.islice(itertools.product(*options), 27):
                if len(combo) > 1 or is_cyrillic(combo[0]) or len(combo[0]) >= MIN_LATIN_STEM:
                    self._stems[combo].add(entity_id)
                    if _ADJECTIVAL.search(exact_term(words[-1])) or not is_cyrillic(words[-1]):
                        self._adjectival.add(combo)
        if len(words) == 1:
            oblique = _oblique(words[0]) if inflect else None
            if oblique:  # searched as well: its stem covers the other oblique cases (Києві)
                (self._full if full else self._short)[entity_id].append((rank, oblique))
            self._fine[fine_key(words[0])].add(entity_id)
            folded = exact_term(words[0])
            if len(folded) >= 5 and not _GEONAMES_ID.search(entity_id):  # misspellings of curated names only
                self._fuzzy[(is_cyrillic(folded), folded[0])][folded].add(entity_id)

    def match(self, words: list[str], known_word: bool = True, adjective_ok: bool = False) -> NameMatch | None:
        """The entities `words` name; `known_word` says whether the archive has the word (for fuzzing).

        Where a curated entity and GeoNames-only places share a spelling (Donetsk, Ukraine and
        Donetsk, Rostov region), the curated entity is meant."""
        if not words or len(words) > MAX_WORDS:
            return None
        found = self._match(words, known_word, adjective_ok)
        if found is not None and len(found.entity_ids) > 1:
            curated = tuple(e for e in found.entity_ids if not _GEONAMES_ID.search(e))
            if curated and len(curated) < len(found.entity_ids):
                return NameMatch(curated, found.how, found.full)
        return found

    def _match(self, words: list[str], known_word: bool, adjective_ok: bool) -> NameMatch | None:
        full = len(words) > 1
        found = self._forms.get(tuple(exact_term(w) for w in words))
        if found:
            return NameMatch(tuple(sorted(found)), LISTED, full)
        stems: set[str] = set()
        adjective = not adjective_ok and _ADJECTIVAL.search(exact_term(words[-1])) is not None
        for combo in {tuple(name_stem(w) for w in words), tuple(name_stem(w, inflected=False) for w in words)}:
            if not adjective or combo in self._adjectival:
                stems |= self._stems.get(combo, set())
        if stems:
            return NameMatch(tuple(sorted(stems)), CASE_FORM, full)
        if full:
            return None
        word = words[0]
        by_key = self._fine.get(fine_key(word))
        if by_key and len(word) >= 4:
            return NameMatch(tuple(sorted(by_key)), KEY, False)
        folded = exact_term(word)
        if not known_word and len(folded) >= 5:
            limit = 1 if len(folded) < 8 else 2
            bucket = self._fuzzy.get((is_cyrillic(folded), folded[0]), {})
            best = process.extractOne(folded, list(bucket), scorer=Levenshtein.distance, score_cutoff=limit)
            if best is not None:
                return NameMatch(tuple(sorted(bucket[best[0]])), MISSPELLING, False)
        return None

    def variants(self, match: NameMatch) -> list[str]:
        """Spellings to search, most used first: a person's full names for a full-name match, the
        surnames for a surname; every spelling of a place."""
        ranked: list[tuple[int, str]] = []
        for entity_id in match.entity_ids:
            place = self.entities[entity_id].kind == "place"
            if match.full or place:
                ranked += self._full.get(entity_id, [])
            if not match.full or place:
                ranked += self._short.get(entity_id, [])
        return list(dict.fromkeys(text for _, text in sorted(ranked)))

    def describe(self, name: str) -> dict | None:
        """What `name` means: its entities, how it matched, and their spellings by script and system."""
        match = self.match(_words(name))
        if match is None:
            return None
        entities = []
        for entity_id in match.entity_ids:
            entity = self.entities[entity_id]
            grouped: dict[str, dict[str, list[str]]] = {"latin": {}, "cyrillic": {}}
            for text, system in sorted(entity.spellings.items(), key=lambda kv: (_rank(kv[1]), kv[1], kv[0])):
                grouped["cyrillic" if is_cyrillic(text) else "latin"].setdefault(system, []).append(text)
            entities.append({"id": entity.id, "kind": entity.kind, "labels": entity.labels,
                             "spellings": grouped})
        return {"name": name, "how": match.how, "full_name": match.full, "entities": entities,
                "variants": self.variants(match)}

    def complete(self, prefix: str, limit: int = 8) -> list[dict]:
        """People and places whose spelling starts with `prefix` (any script, accents folded),
        each once, with the spelling that matched."""
        folded = exact_term(prefix.strip())
        if len(folded) < 2:
            return []
        out: dict[str, dict] = {}
        for key, text, entity_id in self._prefixes[bisect.bisect_left(self._prefixes, (folded,)):]:
            if not key.startswith(folded) or len(out) >= limit:
                break
            if entity_id not in out:
                entity = self.entities[entity_id]
                out[entity_id] = {"id": entity_id, "label": entity.label("en"), "kind": entity.kind, "matched": text}
        return list(out.values())

    def label(self, entity_id: str, lang: str = "en") -> str:
        entity = self.entities.get(entity_id)
        return entity.label(lang) if entity else entity_id

