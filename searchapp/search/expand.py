"""Name expansion: a rewrite of the parsed query, before it meets the index.

A word or run of words that is a name becomes a `NameQuery`: the terms of the index's `names`
field it is written as (see `names.terms`), which hold every capitalised word of the archive
under its cross-script keys. So a name matches only where it is written as a name, never
through the stem of an ordinary word (Crimea does not find "crime", Lviv not "лав").

* A name the registry knows brings every spelling of its entity (Artemivsk -> Bakhmut too).
* Any other word is a name when the archive mostly writes it capitalised inside sentences
  (its own statistics decide, not a list): then its keys, and the spellings of it written by
  ear in the other script that the index holds (Musk/Маск), are searched.
* A first name followed by a name is a full name, matched as one term (any language's form
  of the first name, or its initial).

Excluded words expand as well, so `-Putin` excludes Путин. Every expansion is recorded for the
reader ("also searched: ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from whoosh import query as wq
from whoosh.query import Query

from searchapp.messages import N_
from searchapp.names.lookup import MAX_WORDS, MISSPELLING, NameIndex, NameMatch, SearchTerms, full_name_term_heads
from searchapp.names.terms import ACRONYM, ACRONYM_LETTERS, REGION, WEAK, first_name_group
from searchapp.text import lexicon, morphology
from searchapp.text.analysis import exact_term, is_cyrillic, query_stems
from searchapp.text.namekeys import fine_key, loosely_same, skeleton, word_keys

MAX_SHOWN = 16  # spellings listed under "also searched"
# A word not in the registry is taken for a name when the archive writes it capitalised inside a
# sentence at least this often, relative to the documents that have the word at all.
NAME_SHARE = 0.5
NAME_SHARE_LOWERCASE = 0.8  # typed in lower case, a word must be a name nearly everywhere (kyiv, not island)
NAME_IN_ARCHIVE = N_("name in the archive")
FEW_DOCUMENTS = 3  # a word in this few documents tells nothing by how they write it
SHORT_KEY = 3  # keys this short join too many names to stand for an unlisted one


class IndexView(Protocol):
    """What expansion asks of the index."""

    def has_term(self, fieldname: str, term: str) -> bool: ...
    def doc_frequency(self, fieldname: str, term: str) -> int: ...
    def name_lexicon(self, skeleton: str) -> list[tuple[str, str]]: ...


class NameQuery(wq.Query):
    """A name: terms of the `names` field at one position, and multi-word names as sequences of
    per-word alternatives (rewritten into index queries before the search)."""

    def __init__(self, terms: list[str], sequences: list[list[list[str]]], boost: float = 1.0,
                 phrases: list[list[str]] | None = None):
        self.terms = terms
        self.sequences = sequences
        self.phrases = phrases or []  # exact words in order (any case): "kyiv region"
        self.boost = boost

    def highlights(self) -> tuple[set[str], set[str]]:
        """The name keys and first-name groups whose words a passage should mark."""
        keys, groups = set(), set()
        for term in [*self.terms, *(t for seq in self.sequences for step in seq for t in step)]:
            head, _, key = term.removeprefix(WEAK).removeprefix(ACRONYM).removeprefix(REGION).rpartition("~")
            keys.add(key)
            if head and not head.endswith("."):
                groups.add(head)
        return keys, groups

    def __repr__(self) -> str:
        return f"NameQuery({self.terms!r}, {self.sequences!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameQuery) and (self.terms, self.sequences) == (other.terms, other.sequences)

    def __hash__(self) -> int:
        return hash((tuple(self.terms), repr(self.sequences)))


@dataclass
class Expansion:
    term: str
    match: NameMatch | None
    variants: list[str] = field(default_factory=list)
    how: str = NAME_IN_ARCHIVE
    regions: list[str] = field(default_factory=list)  # regions named after the place, searched too

    def as_dict(self, names: NameIndex, lang: str = "en") -> dict:
        ids = (*self.match.entity_ids, *self.regions) if self.match else ()
        return {
            "term": self.term,
            "entity": ids[0] if ids else None,
            "entities": [{"id": e, "label": names.label(e, lang)} for e in ids],
            "how": self.match.how if self.match else self.how,
            "variants": self.variants,
        }


def _ordinary(word: str) -> bool:
    """Typed in lower case, an ordinary word of the dictionaries (золото, nickel, Polish sumy)
    means that word, not a name whose keys it shares (Zolote, Nikel, Sumy)."""
    if not word.islower():
        return False
    return morphology.is_common_word(word) if is_cyrillic(word) else lexicon.is_common_word(word)


class _Expander:
    def __init__(self, names: NameIndex, index: IndexView):
        self.names = names
        self.index = index
        self.expansions: list[Expansion] = []

    def in_archive(self, word: str) -> bool:
        """The archive has the word, or a name under one of its keys (Buyanova, with only Буянова
        here, is that name, not a misspelling of a listed one)."""
        return any(self.index.has_term("text", s) for s in query_stems(word)) or \
            self.index.has_term("exact", exact_term(word)) or any(self._present(k) for k in word_keys(word))

    def _present(self, term: str) -> bool:
        return self.index.has_term("names", term) or self.index.has_term("names", WEAK + term)

    def _query(self, typed: str, match: NameMatch | None, found: SearchTerms, variants: list[str], boost: float,
               weak: bool = True) -> Query | None:
        """The name's terms that the index holds; `weak` also where they only begin sentences."""
        terms = sorted(t for t in found.terms if (self._present(t) if weak else self.index.has_term("names", t)))
        sequences = [[[k] for k in seq] for seq in sorted(found.sequences) if all(self._present(k) for k in seq)]
        phrases = [list(p) for p in sorted(found.phrases) if all(self.index.has_term("exact", w) for w in p)]
        if not terms and not sequences and not phrases:
            return None
        regions = self.names.regions(match.entity_ids) if match else []
        if match is not None or variants:  # (a name found only as typed has nothing to show)
            self.expansions.append(Expansion(typed, match, variants, regions=regions))
        weak_terms = [WEAK + t for t in terms if weak and "~" not in t and not t.startswith((ACRONYM, REGION))]
        return NameQuery(terms + [t for t in weak_terms if self.index.has_term("names", t)], sequences, boost, phrases)

    def _registered(self, words: list[str], match: NameMatch, boost: float, weak: bool = True) -> Query | None:
        """A name the registry knows: its entities' spellings that the archive holds."""
        typed = " ".join(words)
        variants, shown = [], {exact_term(typed)}
        for spelling in self.names.variants(match):
            spelled = spelling.replace("-", " ").split()
            if exact_term(spelling) not in shown and all(self.index.has_term("exact", exact_term(w)) and
                                                         self._present(fine_key(w)) for w in spelled):
                shown.add(exact_term(spelling))
                variants.append(spelling)
        return self._query(typed, match, self.names.search_terms(match), variants[:MAX_SHOWN], boost, weak)

    def _is_name(self, word: str, keys: frozenset[str]) -> bool:
        """Whether the archive mostly writes `word` as a name: in how many documents this very
        form stands capitalised inside a sentence, against how many have it at all (крім, the
        word "except", is never written so, though its key is that of Крим). A form the archive
        lacks is a name if one of its keys is (Borodyanka, with only Бородянка in the archive).
        Typed in lower case, it must be written as a name nearly everywhere and be no ordinary
        word of the dictionaries; typed capitalised, a word of a few documents is a name unless a
        dictionary lists it as an ordinary word."""
        if _ordinary(word):
            return False
        if word.isupper() and len(word) <= ACRONYM_LETTERS:  # an acronym: is there one like it?
            return any(self.index.has_term("names", ACRONYM + k) for k in keys)
        as_word = self.index.doc_frequency("exact", exact_term(word))
        if not as_word:
            return any(self.index.has_term("names", k) for k in keys)
        form = exact_term(word)
        as_name = sum(self.index.doc_frequency("namelex", f"{skeleton(k)}|{k}|{spelling}")
                      for k in keys for other, spelling in self.index.name_lexicon(skeleton(k))
                      if other == k and exact_term(spelling) == form)
        share = NAME_SHARE_LOWERCASE if word.islower() else NAME_SHARE
        if as_name >= share * as_word:
            return True
        # Too few documents to tell (Pennsylvania only in a headline): capitalised and no
        # dictionary's ordinary word, it is a name.
        return as_word <= FEW_DOCUMENTS and not word.islower() and not _ordinary(word.lower())

    def _two_entities(self, first: str, last: str) -> bool:
        """Both words name an entity of their own (Kyiv Minsk, Zelensky Putin): two names searched
        together, not one name of two words."""
        return all(self.names.match([w], known_word=self.in_archive(w)) is not None for w in (first, last))

    def _spelled_by_ear(self, word: str, keys: frozenset[str]) -> tuple[set[str], list[str]]:
        """Keys of this name written in the other script (Musk/Маск), and every spelling found."""
        cyrillic = is_cyrillic(word)
        extra: set[str] = set()
        spellings: list[str] = []
        for key in sorted(keys):
            for other, spelling in self.index.name_lexicon(skeleton(key)):
                same = other in keys
                if not same and is_cyrillic(spelling) != cyrillic and loosely_same(key, other):
                    extra.add(other)
                    same = True
                if same and spelling not in spellings:
                    spellings.append(spelling)
        return extra, spellings

    def _unregistered(self, words: list[str], boost: float, match: NameMatch | None = None, joined: bool = False
                      ) -> Query | None:
        """A name nobody listed, found by the archive's own statistics; `joined` words were typed
        as one (Lvova-Belova, or in quotes), so they are one name even if each is a name alone."""
        *first, last = words
        if len(first) > 1:
            return None
        # A dictionary headword (бородянка, сума) stands for itself, not for other words' lemmas.
        keys = frozenset({fine_key(last)}) if morphology.is_headword(last) else word_keys(last)
        keys = frozenset(k for k in keys if len(k) > SHORT_KEY)
        if not keys:  # Yoon, Jon and Джон share a key: a name this short is searched as typed,
            return self._registered(words, match, boost) if match else None  # or by its listed spellings
        extra, spellings = self._spelled_by_ear(last, keys)
        absent = not self.index.has_term("exact", exact_term(last))
        # (Чернобаевка: only Chornobaivka here)
        if not (self._is_name(last, keys) or (absent and extra and not _ordinary(last))):
            return None
        keys = keys | extra
        found = SearchTerms()
        if not first:
            found.terms = {ACRONYM + k for k in keys} if last.isupper() and len(last) <= ACRONYM_LETTERS else set(keys)
        elif first_name_group(first[0]):
            found.terms = {f"{head}~{k}" for head in full_name_term_heads(first[0]) for k in keys}
        elif self._is_name(first[0], word_keys(first[0])) and (joined or not self._two_entities(first[0], last)):
            # two names in a row that nobody listed: "Velyka Novosilka"
            found.sequences = {(f, k) for f in word_keys(first[0]) for k in keys}
        else:
            return None
        if match is not None:
            registered = self.names.search_terms(match)
            found.terms |= registered.terms
            found.sequences |= registered.sequences
            found.phrases |= registered.phrases
        typed = " ".join(words)
        if typed.islower():  # typed in lower case: the words themselves, in any case, too
            found.phrases.add(tuple(exact_term(w) for w in words))
        variants = [s for s in spellings if exact_term(s) != exact_term(last)][:MAX_SHOWN]
        return self._query(typed, match, found, variants, boost)

    def _replacement(self, words: list[str], boost: float, joined: bool = False) -> Query | None:
        match = self.names.match(words, known_word=len(words) > 1 or self.in_archive(words[0]))
        curated = match is not None and any(self.names.entities[e].curated for e in match.entity_ids)
        # typed as a name, and the archive lacks it: no evidence that it is an ordinary word
        absent = not words[0].islower() and not any(self.index.has_term("exact", exact_term(w)) for w in words)
        # A spelling the registry knows that the archive writes as an ordinary word (мали, Police,
        # Tychy), typed as such, is that word searched as typed: its stem would find others ("tych").
        as_typed = match is not None and len(words) == 1 and (not curated or words[0].islower()) and \
            not self._is_name(words[0], word_keys(words[0]))
        if as_typed and not absent:
            return wq.Term("exact", words[0], boost=boost)
        if match is not None and match.how == MISSPELLING and len(words) <= 2:
            # the archive's own spelling by ear (Stanovoye, Становое) beats a listed name misspelt
            heard = self._unregistered(words, boost, joined=joined)
            if heard is not None:
                return heard
        if curated or (match is not None and len(words) > 2):  # (Rio de Janeiro: the spellings listed)
            return self._registered(words, match, boost)
        # A town only GeoNames knows or a person found in documents is searched like any name
        # nobody listed, its registered spellings added.
        if len(words) <= 2 and all(w[:1].isalpha() for w in words):
            found = self._unregistered(words, boost, match, joined)
            if found is None and match is not None and absent:  # Селидово, a spelling only the registry has
                found = self._registered(words, match, boost, weak=False)  # written as a name inside sentences
            return found or (wq.Term("exact", words[0], boost=boost) if as_typed else None)
        return None

    def _run(self, terms: list[wq.Term]) -> list[Query]:
        """Replace the longest names in a run of words (left to right)."""
        out: list[Query] = []
        i = 0
        while i < len(terms):
            for n in range(min(MAX_WORDS, len(terms) - i), 0, -1):
                group = terms[i : i + n]
                new = self._replacement([str(t.text) for t in group], group[0].boost)
                if new is not None:
                    out.append(new)
                    i += n
                    break
            else:
                out.append(terms[i])
                i += 1
        return out

    def __call__(self, q: Query) -> Query:
        if isinstance(q, wq.Term) and q.fieldname == "text":
            return self._run([q])[0]
        if isinstance(q, wq.Phrase) and q.fieldname == "text" and len(q.words) <= MAX_WORDS:
            return self._replacement(list(q.words), q.boost, joined=True) or q
        if isinstance(q, wq.And):
            out: list[Query] = []
            run: list[wq.Term] = []
            for child in q.subqueries:
                if isinstance(child, wq.Term) and child.fieldname == "text":
                    run.append(child)
                    continue
                out += self._run(run)
                run = []
                out.append(self(child))
            out += self._run(run)
            return out[0] if len(out) == 1 else wq.And(out, boost=q.boost)
        if isinstance(q, wq.Or):
            return wq.Or([self(c) for c in q.subqueries], boost=q.boost)
        if isinstance(q, wq.Not):
            return wq.Not(self(q.query))
        if isinstance(q, (wq.AndNot, wq.AndMaybe)):
            return type(q)(self(q.a), self(q.b))
        return q


def expand_names(q: Query | None, names: NameIndex, index: IndexView) -> tuple[Query | None, list[Expansion]]:
    """The query with names expanded to their spellings, and what was expanded."""
    if q is None:
        return None, []
    expander = _Expander(names, index)
    return expander(q), expander.expansions
