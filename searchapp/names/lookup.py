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

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from searchapp.indexing.analysis import exact_term, exact_terms, is_cyrillic, query_stems, tokenize
from searchapp.names.keys import coarse_key, fine_key
from searchapp.names.registry import Entity

MAX_WORDS = 4
MIN_LATIN_STEM = 5
_GEONAMES_ID = re.compile(r"-\d+$")
_PARTICLES = {"von", "van", "der", "de", "da", "bin", "al", "la", "le", "di"}

LISTED, CASE_FORM, KEY, MISSPELLING = "listed spelling", "case form", "transliteration key", "close misspelling"


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


def _inflects(text: str, system: str, curated: bool) -> bool:
    """Whether a spelling also matches by stem (case forms).

    Cyrillic spellings do; Latin ones only for curated entities (Polish Łukaszenki), since the
    stems of transliterated obscure town names can be ordinary words (Warasz -> "war").
    Foreign-language GeoNames alternates never do.
    """
    if system == "geonames":
        return False
    return is_cyrillic(text) or curated


def _stem_options(word: str) -> frozenset[str]:
    return query_stems(word) or frozenset({exact_term(word)})


def _alternation_stems(word: str) -> frozenset[str]:
    """Ukrainian place names whose і/ї alternates in other cases: Київ -> Києва, Харків -> Харкова."""
    low = word.lower()
    if low.endswith("їв"):
        return query_stems(word[:-2] + "єв")
    if low.endswith("ів") and len(low) > 3:
        return query_stems(word[:-2] + "ов")
    return frozenset()


class NameIndex:
    def __init__(self, entities: dict[str, Entity]):
        self.entities = entities
        self._forms: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._stems: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._fine: dict[str, set[str]] = defaultdict(set)
        self._fuzzy: dict[tuple[bool, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._full: dict[str, list[str]] = defaultdict(list)   # entity -> multi-word spellings
        self._short: dict[str, list[str]] = defaultdict(list)  # entity -> one-word spellings, surnames
        for entity in entities.values():
            for text, system in entity.spellings.items():
                words = _words(text)
                if not words or len(words) > MAX_WORDS:
                    continue
                self._register(entity.id, text, words, full=len(words) > 1,
                               inflect=_inflects(text, system, curated=not _GEONAMES_ID.search(entity.id)))
                if entity.kind == "person" and len(words) > 1:
                    short = surname(text)
                    self._register(entity.id, short, _words(short), full=False)
        for variants in (*self._full.values(), *self._short.values()):
            variants[:] = sorted(set(variants))

    def _register(self, entity_id: str, text: str, words: list[str], full: bool, inflect: bool = True) -> None:
        (self._full if full else self._short)[entity_id].append(text)
        self._forms[tuple(exact_term(w) for w in words)].add(entity_id)
        if inflect:
            options = [_stem_options(w) | _alternation_stems(w) for w in words]
            for combo in itertools.islice(itertools.product(*options), 27):
                if is_cyrillic(combo[-1]) or len(combo[-1]) >= MIN_LATIN_STEM:
                    self._stems[combo].add(entity_id)
        if len(words) == 1:
            self._fine[fine_key(words[0])].add(entity_id)
            folded = exact_term(words[0])
            if len(folded) >= 5:
                self._fuzzy[(is_cyrillic(folded), folded[0])][folded].add(entity_id)

    def match(self, words: list[str], known_word: bool = True) -> NameMatch | None:
        """The entities `words` name; `known_word` says whether the archive has the word (for fuzzing)."""
        full = len(words) > 1
        found = self._forms.get(tuple(exact_term(w) for w in words))
        if found:
            return NameMatch(tuple(sorted(found)), LISTED, full)
        stems = set()
        for combo in itertools.islice(itertools.product(*[_stem_options(w) for w in words]), 27):
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
        """Spellings to search for a match: full names for a full-name match, else the short forms."""
        out: list[str] = []
        for entity_id in match.entity_ids:
            entity = self.entities[entity_id]
            if match.full or entity.kind == "place":
                out += self._full.get(entity_id, [])
            out += self._short.get(entity_id, [])
        return list(dict.fromkeys(out))

    def label(self, entity_id: str, lang: str = "en") -> str:
        entity = self.entities.get(entity_id)
        return entity.label(lang) if entity else entity_id


def key_of(text: str) -> str:
    """The coarse key of a (possibly multi-word) name, for display and diagnostics."""
    return " ".join(coarse_key(w) for w in exact_terms(text))
