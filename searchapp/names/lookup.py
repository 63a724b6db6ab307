"""In-memory lookup over the registry: which entity a typed name means, and its variants.

A name is found, in this order, by
1. its spelling (any listed or generated spelling, case and accents folded),
2. its name key (`text.namekeys`): a spelling nobody listed whose key equals a registered
   spelling's (Lukaschenko), or a case form whose lemma's key does (Путина, Зеленського,
   Бородянці, Łukaszenki): Зеленського is Volodymyr's, Зеленської Olena's;
3. for a full name, its first name's group and surname (Joseph Biden is Joe Biden),
4. a close misspelling (Pritozhin), only for words the archive does not contain.
Multi-word spellings match as a whole; for people, the surname alone matches too.

For the search it also says which terms of the index's `names` field an entity is written
as (`name_terms`, see `names.terms`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from searchapp.messages import N_
from searchapp.names.registry import Entity, Registry
from searchapp.names.terms import ACRONYM, ACRONYM_LETTERS, REGION, REGION_WORDS, first_name_group, initial_key
from searchapp.text import morphology
from searchapp.text.analysis import exact_term, is_cyrillic, tokenize
from searchapp.text.namekeys import fine_key, word_keys

MAX_WORDS = 4
_PARTICLES = {"von", "van", "der", "de", "da", "bin", "al", "la", "le", "di", "фон", "дер", "ван", "де"}

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


@dataclass
class SearchTerms:
    """How an entity is written in the `names` field: one-position terms (keys and full-name
    terms) and multi-word names as sequences of per-word keys; and a place's multi-word names as
    exact phrases, for their words that are not names ("Kyiv region")."""

    terms: set[str] = field(default_factory=set)
    sequences: set[tuple[str, ...]] = field(default_factory=set)
    phrases: set[tuple[str, ...]] = field(default_factory=set)  # exact words in order: "Kyiv region"


def _words(text: str) -> list[str]:
    return [w for w, _, _ in tokenize(text)]


def surname(spelling: str) -> str:
    """The family name of a person's spelling: the last word, with particles (von der Leyen)."""
    words = spelling.split()
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    return " ".join(words[i:])


_CASE_ENDING = re.compile(
    r"(?:ого|его|ому|ему|ами|ями|ою|ею|ой|ей|ом|ем|ым|им|ам|ям|ах|ях|ів|ей"  # Cyrillic case endings
    r"|iego|iemu|ego|emu|owi|ich|ych|em|om|im|ym|ie)$")                     # Polish ones
_FINAL_VOWELS = re.compile(r"[аеёиоуыэюяіїєйьaeiouyąę]+$")


@lru_cache(maxsize=100_000)
def name_stem(word: str) -> str:
    """A name without its case ending (Путиным, Путина -> путин): a stable id for the case forms
    of a name the registry lacks."""
    term = exact_term(word)
    cut = _FINAL_VOWELS.sub("", _CASE_ENDING.sub("", term))
    return cut if len(cut) >= 3 else term


def is_adjective(word: str) -> bool:
    """A Cyrillic word the dictionary reads only as an adjective (Кримський, Донецька): not a
    town's name unless a region word follows (Донецька область)."""
    if not is_cyrillic(word):
        return False
    parses = [p for p in morphology.parses(word) if p.known]
    return bool(parses) and all(p.pos in ("ADJF", "PRTF") for p in parses)


def full_name_term_heads(first: str) -> set[str]:
    """The heads of a full name's one-term forms (see `names.terms`): its first name's group,
    if the name is a listed first name, and its initial (Joe Biden: "iosip~", "i.~"). Only this
    name's own initial: a group's other languages would bring others' (Хосе, H.)."""
    group = first_name_group(first)
    initial = f"{initial_key(first)}." if initial_key(first) else ""
    if len(first) == 1:  # typed as an initial: the initial only
        return {initial} if initial else set()
    return ({group} if group else set()) | ({initial} if initial else set())


class NameIndex:
    def __init__(self, entities: dict[str, Entity], refused: frozenset[str] = frozenset(),
                 analysis: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] | None = None):
        """`analysis` holds spellings' exact words and keys worked out before (by the registry)."""
        self.entities = entities
        self.refused = refused  # ids archivists deleted, which extraction must not give again
        self._analysis = analysis or {}
        self._forms: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._keys: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._full_terms: dict[str, set[str]] = defaultdict(set)  # "group~key" -> people
        self._fuzzy: dict[tuple[bool, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._full: dict[str, list[tuple[int, str]]] = defaultdict(list)   # entity -> multi-word spellings
        self._short: dict[str, list[tuple[int, str]]] = defaultdict(list)  # entity -> one-word spellings, surnames
        self._search: dict[tuple[str, bool], SearchTerms] = {}
        self._regions: dict[str, list[str]] = defaultdict(list)  # city -> regions named after it
        self._prefixes: list[tuple[str, str, str]] = []  # (folded start, spelling, entity), sorted
        for entity in entities.values():
            self._add(entity)
        for variants in (*self._full.values(), *self._short.values()):
            variants[:] = sorted(set(variants))
        self._prefixes = sorted(set(self._prefixes))

    @classmethod
    def from_registry(cls, registry: Registry) -> NameIndex:
        return cls(registry.entities(), registry.deleted_ids(), registry.spelling_analysis())

    def add(self, new: list[Entity]) -> None:
        """Add entities (people found in documents since this lookup was built)."""
        for entity in new:
            self.entities[entity.id] = entity
            self._add(entity)
            for variants in (self._full[entity.id], self._short[entity.id]):
                variants[:] = sorted(set(variants))
        self._prefixes = sorted(set(self._prefixes))

    def _analysed(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A spelling's exact words and name keys."""
        found = self._analysis.get(text)
        if found is None:
            words = _words(text)
            found = self._analysis[text] = (tuple(exact_term(w) for w in words), tuple(fine_key(w) for w in words))
        return found

    def _add(self, entity: Entity) -> None:
        if entity.city in self.entities:
            self._regions[entity.city].append(entity.id)
        for text, system in entity.spellings.items():
            exact, keys = self._analysed(text)
            if not exact or len(exact) > MAX_WORDS:
                continue
            rank = _rank(system)
            self._register(entity.id, text, exact, keys, rank, full=len(exact) > 1)
            if entity.kind == "person" and len(exact) > 1:
                short = surname(text)
                short_exact, short_keys = self._analysed(short)
                if len("".join(short_keys)) > 2:  # Wang Yi's "Yi" alone would be every "I"
                    self._register(entity.id, short, short_exact, short_keys, rank, full=False)
                for head in full_name_term_heads(text.split()[0]):
                    self._full_terms[f"{head}~{keys[-1]}"].add(entity.id)
        if entity.origin == "geonames" and entity.population < 100_000:
            return
        for text in entity.spellings:  # for completion: full spellings, and people's surnames
            if len(text) <= 60:
                self._prefixes.append((exact_term(text), text, entity.id))
                if entity.kind == "person" and " " in text:
                    self._prefixes.append((exact_term(surname(text)), text, entity.id))

    def _register(self, entity_id: str, text: str, exact: tuple[str, ...], keys: tuple[str, ...], rank: int,
                  full: bool) -> None:
        (self._full if full else self._short)[entity_id].append((rank, text))
        self._forms[exact].add(entity_id)
        self._keys[keys].add(entity_id)
        if len(exact) == 1 and len(exact[0]) >= 5 and self.entities[entity_id].curated:  # misspellings of curated
            self._fuzzy[(is_cyrillic(exact[0]), exact[0][0])][exact[0]].add(entity_id)

    def match(self, words: list[str], known_word: bool = True, adjective_ok: bool = False, lang: str = ""
              ) -> NameMatch | None:
        """The entities `words` (in language `lang`, "" if unknown) name; `known_word` says whether
        the archive has the word (for fuzzing).

        Where a curated entity and others share a spelling (Donetsk, Ukraine and the GeoNames-only
        Donetsk, Rostov region), the curated entity is meant."""
        if not words or len(words) > MAX_WORDS:
            return None
        found = self._match(words, known_word, adjective_ok, lang)
        if found is not None and len(found.entity_ids) > 1:
            curated = tuple(e for e in found.entity_ids if self.entities[e].curated)
            if curated and len(curated) < len(found.entity_ids):
                return NameMatch(curated, found.how, found.full)
        return found

    def _match(self, words: list[str], known_word: bool, adjective_ok: bool, lang: str) -> NameMatch | None:
        full = len(words) > 1
        exact = tuple(exact_term(w) for w in words)
        found = self._forms.get(exact)
        if found:  # a surname of two words (Lvova-Belova) is no full name
            surname_only = full and any(self._analysed(t)[0] == exact for e in found for _, t in self._short[e])
            return NameMatch(tuple(sorted(found)), LISTED, full and not surname_only)
        if not adjective_ok and is_adjective(words[-1]):
            return None
        found = self._keys.get(tuple(fine_key(w) for w in words))
        if found:
            return NameMatch(tuple(sorted(found)), KEY, full)
        if not full and is_cyrillic(words[0]) and morphology.is_headword(words[0]):
            return None  # сума is the word "sum", not a case form of Суми
        options = [sorted(word_keys(w, lang)) for w in words]
        by_form: set[str] = set()
        for combo in itertools.islice(itertools.product(*options), 64):
            by_form |= self._keys.get(combo, set())
        if by_form:
            return NameMatch(tuple(sorted(by_form)), CASE_FORM, full)
        if full:
            people = set()
            for head in full_name_term_heads(words[0]):
                for key in word_keys(words[-1], lang):
                    people |= self._full_terms.get(f"{head}~{key}", set())
            return NameMatch(tuple(sorted(people)), KEY, True) if people else None
        word = words[0]
        folded = exact_term(word)
        if not known_word and len(folded) >= 5:
            limit = 1 if len(folded) < 8 else 2
            bucket = self._fuzzy.get((is_cyrillic(folded), folded[0]), {})
            best = process.extractOne(folded, list(bucket), scorer=Levenshtein.distance, score_cutoff=limit)
            if best is not None:
                return NameMatch(tuple(sorted(bucket[best[0]])), MISSPELLING, False)
        return None

    def regions(self, entity_ids: tuple[str, ...]) -> list[str]:
        """The regions named after these places (Kharkiv: Kharkiv Oblast, Харківщина)."""
        return [r for e in entity_ids for r in self._regions.get(e, [])]

    def search_terms(self, match: NameMatch) -> SearchTerms:
        """The `names` terms of the entities matched: a person's full-name terms for a full name,
        the surname keys for a surname; every spelling of a place and of the regions named after it."""
        out = SearchTerms()
        for entity_id in (*match.entity_ids, *self.regions(match.entity_ids)):
            person = self.entities[entity_id].kind == "person"
            part = self._entity_terms(entity_id, full=match.full and person)
            out.terms |= part.terms
            out.sequences |= part.sequences
            out.phrases |= part.phrases
        return out

    def _entity_terms(self, entity_id: str, full: bool) -> SearchTerms:
        cached = self._search.get((entity_id, full))
        if cached is not None:
            return cached
        out = SearchTerms()
        if full:
            for _, text in self._full[entity_id]:
                keys = self._analysed(text)[1]
                first = text.split()[0]
                out.terms |= {f"{head}~{keys[-1]}" for head in full_name_term_heads(first)}
                if first_name_group(first) is None:  # no one-term form: the words in sequence
                    out.sequences.add(keys)
        else:
            for _, text in self._short[entity_id]:
                keys = self._analysed(text)[1]
                # the names field holds capitalised words only: "von der Leyen" is searched as Leyen
                keys = tuple(k for w, k in zip(_words(text), keys, strict=False) if not w[:1].islower()) or keys
                if len(keys) == 1:
                    acronym = text.isupper() and len(text) <= ACRONYM_LETTERS
                    # a region's adjective (Харківська, Kharkivska) names it only before "область"
                    region = self.entities[entity_id].city and keys[0].endswith("ka")
                    out.terms.add(ACRONYM + keys[0] if acronym else REGION + keys[0] if region else keys[0])
                else:
                    out.sequences.add(keys)
            if self.entities[entity_id].kind == "place":
                for _, text in self._full[entity_id]:
                    exact, keys = self._analysed(text)
                    out.sequences.add(keys)
                    out.phrases.add(exact)
                    if len(exact) == 2 and exact[1] in REGION_WORDS:  # Kharkiv Oblast: "the Kharkiv and Sumy regions"
                        out.terms.add(REGION + keys[0])
        self._search[(entity_id, full)] = out
        return out

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

