"""The entity registry in the application database: entities, their labels and spellings, and archivists' edits.

Seeded from `seed.all_seed_entities()`; re-seeded when the seed changes. The
archivists' edits (add a spelling, merge two entities, split a spelling off)
are kept in their own table and replayed after every re-seed, so they survive.
Each change bumps `version`, which tells every process to rebuild its lookup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from searchapp.database import StoreTables
from searchapp.names.seed import all_seed_entities, seed_hash
from searchapp.schema import entities, extracted_entities, registry_edits, registry_meta, spelling_analysis, spellings
from searchapp.text.analysis import exact_term, exact_terms, tokenize
from searchapp.text.namekeys import fine_key

# Where an entity comes from: our seed file of the region's people and places, our list of the
# world's widely reported people, pycountry, an archivist, GeoNames, or extraction (a person
# found in documents). The last two are not curated.
CURATED_ORIGINS = ("seed", "world", "country", "archivist")


ENTITY_ID = re.compile(r"^(?:person|place):[a-z0-9][a-z0-9-]{0,120}$")


class RegistryError(ValueError):
    """An edit that cannot be made (unknown entity, spelling not there, ...)."""


@dataclass
class Entity:
    id: str
    kind: str
    labels: dict[str, str]
    population: int = 0
    spellings: dict[str, str] = field(default_factory=dict)  # text -> system
    origin: str = "seed"
    city: str = ""  # for a region named after a city: that city

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels["en"]

    @property
    def curated(self) -> bool:
        return self.origin in CURATED_ORIGINS

    @property
    def country(self) -> str:
        """A GeoNames city's country code, from its id (place:the-hague-nl-2747373); else ""."""
        return self.id.rsplit("-", 2)[-2] if self.origin == "geonames" and self.id.count("-") >= 2 else ""


class Registry(StoreTables):
    # Versions and seeding ----------------------------------------------------
    def _meta(self, key: str) -> str | None:
        with self.db.read() as conn:
            return conn.execute(sa.select(registry_meta.c.value).where(registry_meta.c.key == key)).scalar()

    def version(self) -> int:
        """Bumped by every change: seeding, an archivist's edit, people found in documents."""
        return int(self._meta("version") or 0)

    def edits_version(self) -> int:
        """Bumped by seeding and archivists' edits only: changes that are more than additions."""
        return int(self._meta("edits_version") or 0)

    def _bump(self, conn: sa.Connection, edit: bool = True) -> None:
        for key in ("version", "edits_version") if edit else ("version",):
            bumped = sa.cast(sa.cast(registry_meta.c.value, sa.Integer) + 1, sa.Text)
            conn.execute(self.db.insert(registry_meta).values(key=key, value="1")
                         .on_conflict_do_update(index_elements=["key"], set_={"value": bumped}))

    def extracted_since(self, seen: int) -> tuple[int, list[Entity]]:
        """People found in documents and recorded after number `seen`, and the newest number: a
        process adds these to its lookup instead of rebuilding it."""
        with self.db.read() as conn:
            rows = conn.execute(sa.select(extracted_entities).where(extracted_entities.c.seq > seen)
                                .order_by(extracted_entities.c.seq)).all()
        newest = rows[-1].seq if rows else seen
        return newest, [Entity(r.id, r.kind, {"en": r.label, "uk": r.label, "ru": r.label},
                               spellings={r.label: "extracted"}, origin="extracted") for r in rows]

    def newest_extracted(self) -> int:
        with self.db.read() as conn:
            return conn.execute(sa.select(sa.func.coalesce(sa.func.max(extracted_entities.c.seq), 0))).scalar_one()

    def ensure_seeded(self) -> None:
        """Seed (or re-seed, if the seed file changed) and replay the archivists' edits."""
        current = seed_hash()
        if self._meta("seed") == current:
            return
        seed = all_seed_entities()
        with self.db.write() as conn:
            self.db.lock(conn, "registry:seed")  # one process seeds; the others then find it done
            if conn.execute(sa.select(registry_meta.c.value).where(registry_meta.c.key == "seed")).scalar() == current:
                return
            conn.execute(entities.delete())
            conn.execute(spellings.delete())
            conn.execute(self.db.upsert(entities, ["id"]), [
                {"id": e.id, "kind": e.kind, "label_en": e.labels["en"], "label_uk": e.labels.get("uk", e.labels["en"]),
                 "label_ru": e.labels.get("ru", e.labels["en"]), "population": e.population, "origin": e.origin,
                 "city": e.city} for e in seed])
            conn.execute(self.db.upsert(spellings, ["entity_id", "text"], update=False),
                         [{"entity_id": e.id, "text": text, "system": system}
                          for e in seed for text, system in e.spellings.items()])
            self._analyse(conn, {text for e in seed for text in e.spellings})
            self._insert_extracted(conn, [tuple(r) for r in conn.execute(
                sa.select(extracted_entities.c.id, extracted_entities.c.kind, extracted_entities.c.label))])
            for edit in conn.execute(sa.select(registry_edits).order_by(registry_edits.c.seq)).all():
                self._apply(conn, edit.action, edit.entity_id, edit.other, edit.text)
            conn.execute(self.db.upsert(registry_meta, ["key"], {"key": "seed", "value": current}))
            self._bump(conn)

    def _insert_extracted(self, conn: sa.Connection, rows: list[tuple[str, str, str]]) -> None:
        if not rows:
            return
        conn.execute(self.db.upsert(entities, ["id"], update=False), [
            {"id": i, "kind": kind, "label_en": label, "label_uk": label, "label_ru": label, "population": 0,
             "origin": "extracted", "city": ""} for i, kind, label in rows])
        conn.execute(self.db.upsert(spellings, ["entity_id", "text"], update=False),
                     [{"entity_id": i, "text": label, "system": "extracted"} for i, _, label in rows])
        self._analyse(conn, {label for _, _, label in rows})

    def _analyse(self, conn: sa.Connection, texts: set[str]) -> None:
        """Keep each spelling's words and name keys, so that a process builds its lookup without
        working them out again (seconds for the whole registry)."""
        known = set()
        if len(texts) < 1000:
            known = set(conn.execute(sa.select(spelling_analysis.c.text)
                                     .where(spelling_analysis.c.text.in_(texts))).scalars())
        rows = []
        for text in texts - known:
            words = [w for w, _, _ in tokenize(text)]
            rows.append({"text": text, "exact": " ".join(exact_term(w) for w in words),
                         "keys": " ".join(fine_key(w) for w in words)})
        if rows:
            conn.execute(self.db.upsert(spelling_analysis, ["text"]), rows)

    def spelling_analysis(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Each spelling's exact words and name keys."""
        with self.db.read() as conn:
            return {r.text: (tuple(r.exact.split()), tuple(r.keys.split()))
                    for r in conn.execute(sa.select(spelling_analysis))}

    def deleted_ids(self) -> frozenset[str]:
        """Entities an archivist deleted: extraction must not bring them back."""
        with self.db.read() as conn:
            return frozenset(conn.execute(sa.select(registry_edits.c.entity_id)
                                          .where(registry_edits.c.action == "delete")).scalars())

    def add_extracted(self, people: dict[str, str]) -> int:
        """Record people found in documents but not in the registry (id -> label); returns how many are new."""
        deleted = self.deleted_ids()
        with self.db.write() as conn:
            known = set(conn.execute(sa.select(entities.c.id).where(entities.c.id.in_(list(people)))).scalars())
            rows = [(i, "person", label) for i, label in people.items() if i not in known | deleted]
            if rows:
                conn.execute(self.db.upsert(extracted_entities, ["id"], update=False),
                             [{"id": i, "kind": kind, "label": label} for i, kind, label in rows])
                self._insert_extracted(conn, rows)
                self._bump(conn, edit=False)
        return len(rows)

    # Reading -------------------------------------------------------------------
    def entities(self) -> dict[str, Entity]:
        with self.db.read() as conn:
            out = {r.id: Entity(r.id, r.kind, {"en": r.label_en, "uk": r.label_uk, "ru": r.label_ru}, r.population,
                                origin=r.origin, city=r.city)
                   for r in conn.execute(sa.select(entities))}
            for entity_id, text, system in conn.execute(sa.select(spellings)):
                if entity_id in out:
                    out[entity_id].spellings[text] = system
        return out

    def get(self, entity_id: str) -> Entity | None:
        return self.entities().get(entity_id)

    # Archivists' edits -----------------------------------------------------------
    @staticmethod
    def _exists(conn: sa.Connection, entity_id: str) -> bool:
        return conn.execute(sa.select(entities.c.id).where(entities.c.id == entity_id)).first() is not None

    def _apply(self, conn: sa.Connection, action: str, entity_id: str, other: str, text: str) -> None:
        of_entity = spellings.c.entity_id == entity_id
        if action == "add":
            conn.execute(self.db.upsert(spellings, ["entity_id", "text"],
                                        {"entity_id": entity_id, "text": text, "system": "archivist"}))
            self._analyse(conn, {text})
        elif action == "remove":  # every spelling that folds to the same words (Kiev, Kíev, Kîev)
            same = [t for t in conn.execute(sa.select(spellings.c.text).where(of_entity)).scalars()
                    if exact_terms(t) == exact_terms(text)]
            conn.execute(spellings.delete().where(of_entity, spellings.c.text.in_(same)))
        elif action == "create":
            conn.execute(self.db.upsert(entities, ["id"], {
                "id": entity_id, "kind": entity_id.split(":", 1)[0], "label_en": text, "label_uk": text,
                "label_ru": text, "population": 0, "origin": "archivist", "city": ""}, update=False))
            self._analyse(conn, {text})
        elif action == "delete":
            conn.execute(spellings.delete().where(of_entity))
            conn.execute(entities.delete().where(entities.c.id == entity_id))
            conn.execute(extracted_entities.delete().where(extracted_entities.c.id == entity_id))
        elif action == "merge":  # entity_id goes into other; a spelling both have stays the other's
            moved = [{"entity_id": other, "text": t, "system": system}
                     for t, system in conn.execute(sa.select(spellings.c.text, spellings.c.system).where(of_entity))]
            if moved:
                conn.execute(self.db.upsert(spellings, ["entity_id", "text"], update=False), moved)
            conn.execute(spellings.delete().where(of_entity))
            conn.execute(entities.delete().where(entities.c.id == entity_id))

    def _edit(self, action: str, entity_id: str, other: str = "", text: str = "") -> None:
        with self.db.write() as conn:
            conn.execute(registry_edits.insert().values(action=action, entity_id=entity_id, other=other, text=text))
            self._apply(conn, action, entity_id, other, text)
            self._bump(conn)

    def _require(self, entity_id: str) -> None:
        with self.db.read() as conn:
            if not self._exists(conn, entity_id):
                raise RegistryError(f"No entity '{entity_id}'")
    def add_spelling(self, entity_id: str, text: str) -> None:
        """Teach the registry another spelling of an entity."""
        self._require(entity_id)
        text = " ".join(text.split())
        if not text:
            raise RegistryError("The spelling is empty")
        self._edit("add", entity_id, text=text)

    def merge(self, source_id: str, target_id: str) -> None:
        """Make `source_id` part of `target_id`: its spellings move, the id disappears."""
        self._require(source_id)
        self._require(target_id)
        if source_id == target_id:
            raise RegistryError("An entity cannot be merged into itself")
        self._edit("merge", source_id, other=target_id)

    def delete(self, entity_id: str) -> None:
        """Forget an entity (a wrong automatic one, say); documents naming it are renamed apart."""
        self._require(entity_id)
        self._edit("delete", entity_id)

    def split(self, entity_id: str, text: str, new_id: str = "") -> None:
        """Take a wrong spelling off an entity; with `new_id`, make it an entity of its own."""
        self._require(entity_id)
        with self.db.read() as conn:
            row = conn.execute(sa.select(spellings.c.text).where(spellings.c.entity_id == entity_id,
                                                                 spellings.c.text == text)).first()
        if row is None:
            raise RegistryError(f"'{text}' is not a spelling of '{entity_id}'")
        if new_id and not ENTITY_ID.match(new_id):
            raise RegistryError("A new entity id is person: or place: and lowercase letters, digits and hyphens")
        self._edit("remove", entity_id, text=text)
        if new_id:
            self._edit("create", new_id, text=text)
            self._edit("add", new_id, text=text)
