"""Doubtful automatic entities, for an archivist to merge or delete (`searchapp alias review`).

Extraction adds the people it finds to the registry. Rules written later, or a text nobody
foresaw, can show some of them to be no person at all (an agency or photo credit glued to a
name, a salutation, an adjective run) or one person twice (Joseph Biden beside Joe Biden, Илон
Маск beside Elon Musk). This lists them with the reason and, for duplicates, the entity to
merge them into.
"""

from __future__ import annotations

from dataclasses import dataclass

from searchapp.extract.entities import name_words
from searchapp.messages import Message
from searchapp.names.lookup import NameIndex
from searchapp.names.terms import first_name_group
from searchapp.text.analysis import is_cyrillic, tokenize
from searchapp.text.namekeys import fine_key, loosely_same


@dataclass
class Doubt:
    entity_id: str
    label: str
    reason: Message
    merge_into: str = ""  # an entity this one duplicates

    def as_dict(self) -> dict:
        return {"id": self.entity_id, "label": self.label, "reason": str(self.reason), "merge_into": self.merge_into}


def _same_person(a: list[str], b: list[str]) -> bool:
    """Two full names of one person: first names of one group, surnames alike across scripts."""
    if len(a) < 2 or len(b) < 2 or is_cyrillic(a[-1]) == is_cyrillic(b[-1]):
        return False
    group_a, group_b = first_name_group(a[0]), first_name_group(b[0])
    return group_a is not None and group_a == group_b and loosely_same(fine_key(a[-1]), fine_key(b[-1]))


def doubtful_entities(names: NameIndex) -> list[Doubt]:
    """Automatic people that fail today's rules for a name, or duplicate another entity."""
    doubts: list[Doubt] = []
    extracted = [e for e in names.entities.values() if e.origin == "extracted"]
    for entity in extracted:
        words = [w for w, _, _ in tokenize(entity.label())]
        kept = name_words(words, names)
        if kept != words:
            doubts.append(Doubt(entity.id, entity.label(), Message(
                "not a person's name as a whole (an organisation, credit, salutation, adjective or "
                "repeated word: the name would be '%(name)s')", name=" ".join(kept))))
            continue
        match = names.match(words)
        twin = next((e for e in (match.entity_ids if match else ()) if e != entity.id and names.entities[e].curated),
                    None)
        if twin is None:
            twin = next((other.id for other in extracted if other.id < entity.id and
                         _same_person([w for w, _, _ in tokenize(other.label())], words)), None)
        if twin is not None:
            doubts.append(Doubt(entity.id, entity.label(), Message("the same person as %(other)s",
                                                                   other=names.label(twin)), merge_into=twin))
    return sorted(doubts, key=lambda d: d.entity_id)
