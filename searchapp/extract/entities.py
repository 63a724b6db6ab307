"""People and places mentioned in a text, as registry entities.

1. Known names: every run of capitalised words (up to four) is looked up in the
   registry by spelling or case form (Путиным, Łukaszenki, Києві), longest first,
   so "Vladimir Putin" is a person and never the city of Vladimir.
2. Unknown people: a capitalised run that starts with a first name (any script)
   or follows a title cue (President, Minister, General, ...). Russian text also
   goes through natasha's NER. Unknown people get an id from their stems, so
   case forms of one name share it; organisations and places are kept out.
3. A surname alone resolves to the person named in full earlier in the text.
4. A place spelling shared by several places goes to the curated one, else to
   the most populous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from anyascii import anyascii

from searchapp.indexing.analysis import exact_term, is_cyrillic, query_stems, tokenize
from searchapp.names.lookup import CASE_FORM, LISTED, MAX_WORDS, NameIndex, name_stem

_PARTICLES = {"on", "na", "nad", "am", "an", "von", "der", "de", "van", "la", "le", "al", "da", "на", "над", "под"}
_TITLES = {
    "president", "minister", "general", "commander", "spokesman", "spokeswoman", "spokesperson", "governor",
    "mayor", "leader", "chief", "premier", "chancellor", "ambassador", "senator", "colonel", "lieutenant",
    "mr", "ms", "mrs", "dr", "opposition", "blogger", "journalist", "activist", "patriarch",
    "президент", "министр", "міністр", "генерал", "губернатор", "мэр", "мер", "лидер", "лідер", "глава",
    "командующий", "командувач", "премьер", "прем'єр", "пресс-секретарь", "речник", "посол", "оппозиционер",
    "prezydent", "generał", "rzecznik", "mer", "ambasador", "szef",
}
_BREAK = re.compile(r"[.!?;:\n()«»\"“”]")
_REGION_WORDS = {name_stem(w) for w in ("область", "області", "области", "обл", "регион", "регіон", "край",
                                       "район", "раён", "вобласць", "oblast", "obwód", "region")}
_NOT_NAMES = {  # capitalised words that start organisation or event names, never people
    "ministry", "council", "bank", "group", "forces", "army", "union", "party", "news", "agency", "company",
    "office", "service", "fleet", "court", "parliament", "government", "kremlin", "nato", "state", "national",
    "international", "european", "united", "republic", "federation", "committee", "university", "institute",
    "church", "foundation", "corporation", "black", "sea", "day", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "the", "a", "an", "in", "on", "at", "of", "and", "but",
    "he", "she", "it", "they", "we", "his", "her", "their", "this", "that", "these", "those", "when", "after",
    "phd", "jr", "sr", "iii", "ii", "iv", "for", "with", "from", "by", "to", "as", "said", "says",
    "managing", "director", "deputy", "prime", "foreign", "defence", "defense", "head", "former", "acting",
    "sił", "zbrojnych", "силы", "сили", "войска", "війська",
} | _TITLES


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    text = (resources.files("searchapp.extract") / "data" / "first_names.txt").read_text(encoding="utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(name_stem(w) for w in words)  # case forms too: Александром -> александр


def _is_first_name(word: str) -> bool:
    return name_stem(word) in first_names()


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


@dataclass
class Mentions:
    people: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    new_people: dict[str, str] = field(default_factory=dict)  # id -> label, for people not in the registry

    def add(self, kind: str, entity_id: str) -> None:
        target = self.people if kind == "person" else self.places
        if entity_id not in target:
            target.append(entity_id)


def person_id(words: list[str]) -> str:
    """An id for a person not in the registry, the same for the case forms of one name."""
    parts = [name_stem(w) if is_cyrillic(w) else exact_term(w) for w in words]
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(" ".join(parts)).lower()).strip("-")
    return f"person:{slug}"


def _choose(names: NameIndex, entity_ids: tuple[str, ...], mentions: Mentions) -> str | None:
    """One entity for a spelling: one already mentioned, a single curated one, or the largest place."""
    if len(entity_ids) == 1:
        return entity_ids[0]
    for e in entity_ids:
        if e in mentions.people or e in mentions.places:
            return e
    entities = [names.entities[e] for e in entity_ids]
    if all(e.kind == "place" for e in entities):
        return max(entities, key=lambda e: e.population).id
    return None  # two people share the surname and neither was named in full: leave it


def find_mentions(text: str, names: NameIndex | None, discover: bool = True,
                  mentions: Mentions | None = None) -> Mentions:
    """People and places named in `text`; `discover` also finds people the registry lacks."""
    mentions = mentions or Mentions()
    spans = list(tokenize(text))
    tokens = [w for w, _, _ in spans]
    # A name never runs across a sentence or line break: cut runs where the gap holds one.
    breaks = {i for i in range(1, len(spans)) if _BREAK.search(text[spans[i - 1][2] : spans[i][1]])}
    surnames: dict[str, str] = {}  # surname stem -> unregistered person named in full earlier
    i = 0
    while i < len(tokens):
        word = tokens[i]
        step = 0
        if _capitalised(word):
            run = tokens[i : next((j for j in range(i + 1, len(tokens)) if j in breaks), len(tokens))]
            step = _known(run, 0, names, mentions) if names is not None else 0
            if not step and discover:
                step = _unknown_person(run, 0, mentions, surnames, previous=tokens[i - 1] if i else "")
            if not step:
                stem = min(query_stems(word) or {exact_term(word)}, key=len)
                if stem in surnames:
                    mentions.add("person", surnames[stem])
        i += max(step, 1)
    return mentions


def _known(tokens: list[str], i: int, names: NameIndex, mentions: Mentions) -> int:
    """Length of the registered name starting at token i (0 if none); records it."""
    for n in range(min(MAX_WORDS, len(tokens) - i), 0, -1):
        words = tokens[i : i + n]
        if not _capitalised(words[-1]) or not all(_capitalised(w) or w.lower() in _PARTICLES for w in words):
            continue
        if n == 1 and _is_first_name(words[0]) and i + 1 < len(tokens) and _capitalised(tokens[i + 1]):
            continue  # "Vladimir Petrov": a first name, not the city of Vladimir
        region = i + n < len(tokens) and name_stem(tokens[i + n]) in _REGION_WORDS  # Курская область
        match = names.match(words, known_word=True, adjective_ok=region)
        if match is None or match.how not in (LISTED, CASE_FORM):
            continue
        chosen = _choose(names, match.entity_ids, mentions)
        if chosen is None:
            return n
        mentions.add(names.entities[chosen].kind, chosen)
        return n
    return 0


def _unknown_person(tokens: list[str], i: int, mentions: Mentions, surnames: dict[str, str],
                    previous: str = "") -> int:
    """A person not in the registry: first name + capitalised words, or title cue + name."""
    starts_with_first_name = _is_first_name(tokens[i])
    after_title = previous.lower() in _TITLES
    if not (starts_with_first_name or after_title):
        return 0
    if tokens[i].lower() in _NOT_NAMES:
        return 0
    n = 1
    while i + n < len(tokens) and n < 3 and _capitalised(tokens[i + n]) and tokens[i + n].lower() not in _NOT_NAMES:
        n += 1
    words = [w.removesuffix("’s").removesuffix("'s") for w in tokens[i : i + n]]
    if not starts_with_first_name and any(_is_first_name(w) for w in words[1:]):
        return 0  # "Mayor of Lviv Andriy Sadovyi": the name starts at the first name
    if n < 2 or any(w.lower() in _NOT_NAMES for w in words):
        return 0
    if is_cyrillic(words[0]) != is_cyrillic(words[-1]):
        return 0
    pid = person_id(words)
    mentions.add("person", pid)
    mentions.new_people.setdefault(pid, " ".join(words))
    surnames[min(query_stems(words[-1]) or {exact_term(words[-1])}, key=len)] = pid
    return n
