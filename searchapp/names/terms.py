"""The names in a text as index terms: where each name stands and every key it can have.

Any capitalised word is a candidate name, whether or not the registry knows it, and is indexed
(in the `names` field, at its word position) under each of its keys (`word_keys`), so that a
Latin spelling finds a Cyrillic one and a nominative finds every case form:

* `key`: a capitalised word inside a sentence, which in these languages is a name;
* `^key`: a capitalised word that only begins a sentence (or stands in a title-case headline,
  or is a long all-capitals word): weak evidence, since "Сума" or "Crime" may begin a sentence.
  A query uses these only for words the archive writes as names elsewhere;
* `=key`: an acronym (NATO, США, SWIFT), which only an acronym typed as such finds: Swift the
  singer is not SWIFT the payment system;
* `group~key`: a first name followed by a surname (a patronymic, an initial or "von der" may
  stand between): the full name as one term, whatever language the first name is in
  (Alexander, Олександр and Аляксандр share a group, Joe and Joseph too);
* `x.~key`: an initial and a surname (V. Zelensky, В. Зеленский);
* `@key`: a name before "region(s)" or "oblast(s)", or an adjective before "область" (any case
  form), each of a list too ("the Kyiv, Donetsk and Luhansk regions", "Курской и Белгородской
  областей"): the region named after that place. The adjective alone is no region (Киевской
  городской администрации is the city's).

The `namelex` field lists, per document, "skeleton|key|spelling" for its names inside sentences:
the search looks names up by their consonants there to find spellings written by ear
(Musk/Маск) and to show the reader the spellings it searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from searchapp.text import morphology
from searchapp.text.analysis import is_cyrillic, is_stopword, normalize, tokenize
from searchapp.text.namekeys import fine_key, key_spellings, skeleton, word_keys

WEAK = "^"
ACRONYM = "="
REGION = "@"
REGION_WORDS = frozenset({"region", "regions", "oblast", "oblasts"})
_CYRILLIC_REGION_WORD = re.compile(r"^(?:област|обл$|вобласц)", re.IGNORECASE)  # область, областей, обл., вобласць
_AND = frozenset({"and", "or", "та", "і", "й", "и", "чи", "или", "ды"})
ACRONYM_LETTERS = 5  # an all-capitals word this short is an acronym (NATO, США, SWIFT); longer, a shout
FIRST_NAMES = resources.files("searchapp.names") / "data" / "first_names.txt"
_SENTENCE_BREAK = re.compile(r"[.!?…:;\n]")
_PARTICLES = frozenset("von van der den de da di du la le al bin ben фон ван дер де да ді ле аль бен".split())
_PATRONYMIC = re.compile(r"(?:ович|евич|євич|ьевич|йович|ич|івна|ївна|овна|евна|ична|інічна|ichna|ovich|evich"
                         r"|yevich|ovych|evych|ivna|ovna|evna)(?:а|у|ем|ом|ой|ою|и|і|е|ым|им)?$", re.IGNORECASE)
_MAX_GAP = 2  # words between a first name and a surname: a patronymic, an initial, "von der"


@lru_cache(maxsize=1)
def _first_name_groups() -> dict[str, str]:
    """Key of every listed first-name spelling -> its group (the key of the group's first spelling)."""
    groups: dict[str, str] = {}
    for line in FIRST_NAMES.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or line.startswith("#"):
            continue
        group = fine_key(words[0])
        for word in words:
            groups.setdefault(fine_key(word), group)
    return groups


@lru_cache(maxsize=100_000)
def first_name_group(word: str, lang: str = "") -> str | None:
    """The group of a first name in any case form (Владимира -> vladimir), None if not one."""
    groups = _first_name_groups()
    own = fine_key(word)
    for key in [own, *sorted(word_keys(word, lang) - {own}, key=lambda k: (-len(k), k))]:  # Кира is not Keir
        if key in groups:
            return groups[key]
    return None


def initial_key(letter: str) -> str:
    """The key of an initial: В and V give "v", Ю and Y give "i"."""
    key = fine_key(letter)
    return key[:1] if key else ""


def is_patronymic(word: str, lang: str) -> bool:
    if _PATRONYMIC.search(word):
        return True
    return is_cyrillic(word) and any(p.proper and p.pos == "NOUN" and p.lemma.endswith(("ович", "евич", "івна", "овна"))
                                     for p in morphology.parses(word, lang))


def is_title_case(text: str) -> bool:
    """A headline in Title Case ("Russia Accuses Kyiv Of ..."): its capitals say nothing."""
    words = [w for w, _, _ in tokenize(text) if not is_stopword(normalize(w))]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.75 * len(words)


@dataclass
class NameTerms:
    positioned: list[tuple[int, str]] = field(default_factory=list)  # (word position, term)
    lexicon: set[str] = field(default_factory=set)  # "skeleton|key|spelling"

    def encoded(self) -> str:
        """The `names` field's value: "position term" pairs (see `indexing.schema`)."""
        return " ".join(f"{pos} {term}" for pos, term in sorted(self.positioned))


def name_terms(text: str, lang: str, start: int = 0, headline: bool = False, into: NameTerms | None = None
               ) -> NameTerms:
    """The name terms of `text`, its words numbered from `start` (as in the exact field)."""
    out = into if into is not None else NameTerms()
    tokens = list(tokenize(text))
    weak_text = headline and is_title_case(text)
    for i, (word, _, _) in enumerate(tokens):
        if not word[:1].isupper():
            continue
        if len(word) == 1 or is_stopword(normalize(word)):  # an initial counts only in a full name
            if len(word) == 1 and i + 1 < len(tokens):
                _full_name(tokens, i, text, lang, start, out)
            continue
        acronym = word.isupper() and len(word) <= ACRONYM_LETTERS
        weak = weak_text or _begins_sentence(tokens, i, text) or (word.isupper() and not acronym)
        if weak and is_cyrillic(word) and morphology.is_function_word(word, lang):  # Крім ("except"), not Крим
            continue
        keys = word_keys(word, lang)
        for key in keys:
            out.positioned.append((start + i, ACRONYM + key if acronym else WEAK + key if weak else key))
        if not weak and not acronym:
            for key, spelling in key_spellings(word, lang):
                out.lexicon.add(f"{skeleton(key)}|{key}|{spelling}")
        if i + 1 < len(tokens):
            _full_name(tokens, i, text, lang, start, out)
            if tokens[i + 1][0] in REGION_WORDS or _is_region_adjective(tokens, i, lang):
                _region_list(tokens, i, text, lang, start, out)
    return out


def _region_list(tokens: list[tuple[str, int, int]], i: int, text: str, lang: str, start: int, out: NameTerms
                 ) -> None:
    """Region terms for the name at word i, which "region(s)" or "oblast(s)" (or, after an
    adjective, "область") follows, and for the names listed before it with commas and "and" when
    the word may be plural (Cyrillic: a list of adjectives)."""
    cyrillic = is_cyrillic(tokens[i][0])
    plural = cyrillic or tokens[i + 1][0].endswith("s")
    j = i
    while True:
        out.positioned.extend((start + j, REGION + key) for key in word_keys(tokens[j][0], lang))
        if not plural or j == 0:
            return
        if (j >= 2 and tokens[j - 1][0].lower() in _AND and tokens[j - 2][0][:1].isupper()
                and not _begins_sentence(tokens, j - 1, text)):
            j -= 2
        elif _gap(tokens, j, text).strip() == "," and tokens[j - 1][0][:1].isupper():
            j -= 1
        else:
            return
        listed = tokens[j][0]
        same_case = listed[-2:] == tokens[i][0][-2:] and morphology.reads_as_adjective(listed, lang)
        if is_stopword(normalize(listed)) or cyrillic and not same_case:
            return  # Cyrillic: adjectives in the same case (Курської, Сумської та Харківської, not Зеленський)


def _is_region_adjective(tokens: list[tuple[str, int, int]], i: int, lang: str) -> bool:
    """A Cyrillic adjective before a form of "область" (Харківської області, Курской обл.)."""
    word = tokens[i][0]
    return (is_cyrillic(word) and _CYRILLIC_REGION_WORD.match(tokens[i + 1][0]) is not None
            and tokens[i + 1][0].islower() and morphology.reads_as_adjective(word, lang))


def _gap(tokens: list[tuple[str, int, int]], j: int, text: str) -> str:
    """The text between word j-1 and word j, without the full stop of an initial (V. Zelensky)."""
    if not j:
        return "\n"
    gap = text[tokens[j - 1][2] : tokens[j][1]]
    return gap.replace(".", "", 1) if len(tokens[j - 1][0]) == 1 and tokens[j - 1][0].isupper() else gap


def _begins_sentence(tokens: list[tuple[str, int, int]], i: int, text: str) -> bool:
    return bool(_SENTENCE_BREAK.search(_gap(tokens, i, text)))


def _full_name(tokens: list[tuple[str, int, int]], i: int, text: str, lang: str, start: int, out: NameTerms) -> None:
    """The full-name terms of a first name or initial at word i followed by a surname."""
    word, _, end = tokens[i]
    if len(word) == 1:
        if not text[end : end + 1] == ".":
            return
        head = initial_key(word) + "."
    else:
        head = first_name_group(word, lang) or ""
        if not head:
            return
    for j in range(i + 1, min(i + 2 + _MAX_GAP, len(tokens))):
        candidate = tokens[j][0]
        if _begins_sentence(tokens, j, text):
            return
        if candidate.lower() in _PARTICLES or (len(candidate) == 1 and candidate.isupper()):
            continue
        if not candidate[:1].isupper():
            return
        if is_patronymic(candidate, lang) and j + 1 < len(tokens) and tokens[j + 1][0][:1].isupper():
            continue
        for key in word_keys(candidate, lang):
            out.positioned.append((start + j, f"{head}~{key}"))
        if j + 1 < len(tokens) and _gap(tokens, j + 1, text) == "-" and tokens[j + 1][0][:1].isupper():
            # a double surname (Львова-Белова): the registry keys a full name by its last word
            out.positioned.extend((start + j + 1, f"{head}~{key}") for key in word_keys(tokens[j + 1][0], lang))
        return
