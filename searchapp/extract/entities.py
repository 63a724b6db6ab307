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

from searchapp.names.lookup import CASE_FORM, KEY, LISTED, MAX_WORDS, NameIndex, name_stem
from searchapp.names.registry import Entity
from searchapp.names.seed import GEONAMES_COUNTRIES
from searchapp.names.terms import first_name_group, is_title_case
from searchapp.names.terms import is_patronymic as _is_patronymic
from searchapp.text import morphology
from searchapp.text.analysis import exact_term, is_cyrillic, is_stopword, normalize, query_stems, tokenize
from searchapp.text.namekeys import canonical_key

# Lowercase words inside a name: Rostov-on-Don, Republic of Korea, Bosnia and Herzegovina.
_PARTICLES = {"on", "na", "nad", "am", "an", "von", "der", "de", "van", "la", "le", "al", "da", "of", "and",
              "на", "над", "под"}
_QUOTES = "\"«»„“”'"
_TITLES = {
    "president", "minister", "general", "commander", "spokesman", "spokeswoman", "spokesperson", "governor",
    "mayor", "leader", "chief", "premier", "chancellor", "ambassador", "senator", "colonel", "lieutenant",
    "mr", "ms", "mrs", "dr", "opposition", "blogger", "journalist", "activist", "patriarch",
    "президент", "министр", "міністр", "генерал", "губернатор", "мэр", "мер", "лидер", "лідер", "глава",
    "командующий", "командувач", "премьер", "прем'єр", "пресс-секретарь", "речник", "посол", "оппозиционер",
    "prezydent", "generał", "rzecznik", "mer", "ambasador", "szef",
}
_BREAK = re.compile(r"[.!?;:\n()«»\"“”]")
_SENTENCE_END = re.compile(r"[.!?…:\n]")
_REGION_WORDS = {name_stem(w) for w in ("область", "області", "области", "обл", "регион", "регіон", "край", "крае",
                                       "краю", "краї", "краях", "район", "раён", "вобласць", "oblast", "oblasts",
                                       "obwód", "region", "regions")}
_AND = {"и", "і", "та", "й", "and", "i", "oraz"}
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
    "sił", "zbrojnych", "силы", "сили", "войска", "війська", "grupa", "grupy", "grupie", "grupę", "партия",
    "партія", "министерство", "міністерство", "мид", "мзс", "суд", "совет", "рада", "служба", "управление",
    # news agencies and photo credits, which follow names in captions
    "reuters", "afp", "epa", "pap", "ap", "getty", "images", "tass", "ria", "ukrinform", "interfax", "dpa",
    "anadolu", "xinhua", "bloomberg", "shutterstock", "efe", "ansa", "photo", "фото", "рейтер", "тасс",
    # salutations
    "dear", "ladies", "gentlemen", "colleagues", "friends", "sir", "madam", "шановні", "шановний", "дорогі",
    "уважаемые", "дорогие", "панове", "пані", "szanowni", "szanowny", "drodzy", "państwo",
} | _TITLES
_GLUED = re.compile(r"(?<=[a-zа-яёіїєґ])[A-ZА-ЯЁІЇЄҐ]{2,}$")  # LukashenkoPAP: a credit glued to a name
_DEMONYM_ENDINGS = ("ian", "ean", "an", "n", "ese", "ish", "i")


def _is_first_name(word: str) -> bool:
    return first_name_group(word) is not None


def _is_demonym(word: str, names: NameIndex | None) -> bool:
    """Crimean, Ukrainian, Syrian: a place's adjective, which ends a person's name before it."""
    if names is None or is_cyrillic(word):
        return False
    low = word.lower()
    for ending in _DEMONYM_ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) >= 3:
            base = word[: -len(ending)]
            for candidate in (base, base + "a", base + "e"):
                match = names.match([candidate])
                if match is not None and match.how == LISTED and \
                        any(names.entities[e].kind == "place" for e in match.entity_ids):
                    return True
    return False


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


def person_id(words: list[str], lang: str = "") -> str:
    """An id for a person not in the registry, the same for the case forms of one name and for
    its spellings in other scripts: the first name's group and the other words' keys (Кирила
    Тимошенка and Kyrylo Tymoshenko are person:kirilo-timosenko)."""
    first = first_name_group(words[0], lang) or canonical_key(words[0], lang)
    parts = [first, *(canonical_key(w, lang) for w in words[1:])]
    return "person:" + "-".join(p for p in parts if p)


def _choose(names: NameIndex, entity_ids: tuple[str, ...], mentions: Mentions) -> str | None:
    """One entity for a spelling: one already mentioned, a single curated one, or the largest place
    (of those in a country the text has named: Валенсия after Испания is in Spain)."""
    if len(entity_ids) == 1:
        return entity_ids[0]
    for e in entity_ids:
        if e in mentions.people or e in mentions.places:
            return e
    entities = [names.entities[e] for e in entity_ids]
    if all(e.kind == "place" for e in entities):
        in_named_country = [e for e in entities if e.country and f"place:country-{e.country}" in mentions.places]
        return max(in_named_country or entities, key=lambda e: e.population).id
    core = [e for e in entities if e.origin == "seed"]
    if len(core) == 1:  # Lukashenko alone is Alexander, not his son in the wider list
        return core[0].id
    return None  # two people share the surname and neither was named in full: leave it


def find_mentions(text: str, names: NameIndex | None, discover: bool = True,
                  mentions: Mentions | None = None, lang: str = "", headline: bool = False) -> Mentions:
    """People and places named in `text` (of language `lang`, "" if unknown); `discover` also
    finds people the registry lacks. In a title-case `headline` every capital is weak evidence."""
    mentions = mentions or Mentions()
    spans = list(tokenize(text))
    tokens = [w for w, _, _ in spans]
    gaps = [text[spans[i - 1][2] : spans[i][1]] if i else "\n" for i in range(len(spans))]
    # A name never runs across a sentence or line break: cut runs where the gap holds one.
    breaks = {i for i in range(1, len(spans)) if _BREAK.search(gaps[i])}
    surnames: dict[str, str] = {}  # surname stem -> unregistered person named in full earlier
    title_case = headline and is_title_case(text)
    i = 0
    while i < len(tokens):
        word = tokens[i]
        step = 0
        if _capitalised(word):
            end = next((j for j in range(i + 1, len(tokens)) if j in breaks), len(tokens))
            run = tokens[i:end]
            context = _Context(starts_sentence=title_case or bool(_SENTENCE_END.search(gaps[i])),
                               after_name=_after_name(tokens, i, breaks), lang=lang,
                               quoted=gaps[i].endswith(tuple(_QUOTES)) and i + 1 < len(gaps)
                               and gaps[i + 1].startswith(tuple(_QUOTES)))
            step = _known(run, names, mentions, context) if names is not None else 0
            if not step and discover:
                step = _unknown_person(run, mentions, surnames, tokens[i - 1] if i else "", names, lang)
            if not step:
                stem = min(query_stems(word) or {exact_term(word)}, key=len)
                if stem in surnames:
                    mentions.add("person", surnames[stem])
        i += max(step, 1)
    return mentions


def _after_name(tokens: list[str], i: int, breaks: set[int]) -> bool:
    """A capitalised word stands just before word i in its sentence ("National Police"); a
    preposition that only begins the sentence ("В Берлине", "W Ukrainie") does not count."""
    previous = tokens[i - 1] if i else ""
    return i not in breaks and _capitalised(previous) and not is_stopword(normalize(previous))


def _single_word_ok(entity: Entity, word: str, mentions: Mentions, lang: str) -> bool:
    """Whether one word may name this entity: not a month or other non-name word (May is not
    Theresa May); a person of the wider world list once named in full (Bout, Park), or by a
    Cyrillic surname that the dictionaries know as no ordinary word (Токаевым, Трюдо, Нетаньяху);
    a small town beyond the region never (God, Porta)."""
    if word.lower() in _NOT_NAMES:
        return False
    if entity.kind == "person":
        return (entity.origin in ("seed", "archivist") or entity.id in mentions.people
                or entity.origin == "world" and _telling_surname(word, lang))
    if entity.origin == "geonames":
        return entity.country.upper() in GEONAMES_COUNTRIES or entity.population >= 100_000
    return True


def _telling_surname(word: str, lang: str) -> bool:
    return (is_cyrillic(word) and len(word) > 4 and not morphology.is_common_word(word, lang)
            and not _is_first_name(word))


def _region_word_follows(tokens: list[str], n: int) -> bool:
    """A region word follows the first n tokens, or follows the next name joined to them by "and"
    (Курской и Белгородской областях, Kharkiv and Sumy regions)."""
    if n < len(tokens) and name_stem(tokens[n]) in _REGION_WORDS:
        return True
    return (n + 2 < len(tokens) and tokens[n].lower() in _AND and _capitalised(tokens[n + 1])
            and name_stem(tokens[n + 2]) in _REGION_WORDS)


def _describes_a_noun(tokens: list[str], lang: str) -> bool:
    """The first word is an adjective and an ordinary noun follows it (Смоленская площадь, Тверской
    улице): the adjective names that thing, not the region it shares."""
    return (len(tokens) > 1 and tokens[1].islower() and morphology.reads_as_adjective(tokens[0], lang)
            and any(p.known and p.pos == "NOUN" for p in morphology.parses(tokens[1], lang)))


def _name_goes_on(tokens: list[str]) -> bool:
    """A capitalised word follows the first, as in "National Police" or "Taishet Aluminium"; a first
    name starts a person's name instead ("в Гаазі Карімом Ханом")."""
    return len(tokens) > 1 and _capitalised(tokens[1]) and not _is_first_name(tokens[1])


@dataclass(frozen=True)
class _Context:
    starts_sentence: bool  # the run begins a sentence: its capital says nothing
    after_name: bool  # a capitalised word stands just before it (a longer name: "National Police")
    lang: str  # the text's language
    quoted: bool = False  # the first word stands alone in quotes: a unit, plant or operation (группировка "Днепр")


def _known(tokens: list[str], names: NameIndex, mentions: Mentions, context: _Context) -> int:
    """Length of the registered name starting the run (0 if none); records it.

    An entity nobody curated (a town only GeoNames knows, a person found earlier) is taken from
    a single word only inside a sentence, standing alone and not an ordinary word by the
    dictionary, nor a month, an acronym or a mere transliteration-key likeness: "Police said",
    "National Police", "Южного округа", "in March" and "UN" name no town."""
    for n in range(min(MAX_WORDS, len(tokens)), 0, -1):
        words = tokens[:n]
        region_named = n > 1 and name_stem(words[-1]) in _REGION_WORDS  # "Donetsk region"
        if not (_capitalised(words[-1]) or region_named) or \
                not all(_capitalised(w) or w.lower() in _PARTICLES for w in words[: n - 1 if region_named else n]):
            continue
        if n == 1 and _is_first_name(words[0]) and len(tokens) > 1 and _capitalised(tokens[1]):
            continue  # "Vladimir Petrov": a first name, not the city of Vladimir
        if n == 1 and context.quoted:
            continue
        region = _region_word_follows(tokens, n)  # Курская область, Курской и Белгородской областях
        match = names.match(words, known_word=True, adjective_ok=region, lang=context.lang)
        if match is None or match.how not in (LISTED, CASE_FORM, KEY):
            continue
        entity_ids = match.entity_ids
        if region or region_named:  # Луганській області: the region, not the city its adjective shares keys with
            entity_ids = tuple(e for e in entity_ids if names.entities[e].city) or entity_ids
        elif n == 1 and _describes_a_noun(tokens, context.lang):  # Смоленская площадь is no region
            entity_ids = tuple(e for e in entity_ids if not names.entities[e].city)
            if not entity_ids:
                continue
        word = words[0]
        if n == 1:
            entity_ids = tuple(e for e in entity_ids
                               if _single_word_ok(names.entities[e], word, mentions, context.lang))
            if not entity_ids:
                continue
        if n == 1 and (context.starts_sentence or context.after_name or _name_goes_on(tokens)
                       or (match.how == KEY and not is_cyrillic(word)) or word.isupper() or word.lower() in _NOT_NAMES
                       or (is_cyrillic(word) and morphology.is_common_word(word, context.lang)
                           and not (names.entities[entity_ids[0]].kind == "place"
                                    and morphology.is_place_name(word, context.lang)))):
            entity_ids = tuple(e for e in entity_ids if names.entities[e].curated)
            if not entity_ids:
                continue
        chosen = _choose(names, entity_ids, mentions)
        if chosen is None:
            return n
        mentions.add(names.entities[chosen].kind, chosen)
        return n
    return 0


def name_words(tokens: list[str], names: NameIndex | None) -> list[str]:
    """The words of a person's name at the start of a run: up to three capitalised words, ending
    before an organisation, agency or salutation word, a place's adjective (Crimean), a word
    repeated, or a credit glued on (LukashenkoPAP is Lukashenko)."""
    words: list[str] = []
    for word in tokens[:3]:
        if word.endswith(("’s", "'s")):  # Michael's Golden-Domed Monastery: a possessive ends the name
            words.append(word[:-2])
            break
        glued = _GLUED.search(word)
        if glued:
            words.append(word[: glued.start()])
            break
        if (not _capitalised(word) or word.lower() in _NOT_NAMES or (words and word == words[-1])
                or (word.isupper() and len(word) > 1) or (words and _is_demonym(word, names))):
            break
        words.append(word)
    return words


def _unknown_person(tokens: list[str], mentions: Mentions, surnames: dict[str, str], previous: str,
                    names: NameIndex | None, lang: str = "") -> int:
    """A person not in the registry: first name + capitalised words, or title cue + name."""
    starts_with_first_name = _is_first_name(tokens[0])
    if not (starts_with_first_name or previous.lower() in _TITLES):
        return 0
    words = name_words(tokens, names)
    if len(words) < 2:
        return 0
    if not starts_with_first_name and any(_is_first_name(w) for w in words[1:]):
        return 0  # "Mayor of Lviv Andriy Sadovyi": the name starts at the first name
    if is_cyrillic(words[0]) != is_cyrillic(words[-1]):
        return 0
    if len(words) == 2 and _is_patronymic(words[1], ""):
        return 2  # "Владимир Владимирович": a first name and patronymic, the surname said elsewhere
    pid = person_id(words, lang)
    if names is not None and pid in names.refused:
        return len(words)  # an archivist deleted this one: not a person
    mentions.add("person", pid)
    mentions.new_people.setdefault(pid, " ".join(words))
    surnames[min(query_stems(words[-1]) or {exact_term(words[-1])}, key=len)] = pid
    return len(words)
