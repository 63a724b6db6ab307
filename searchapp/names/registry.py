"""The entity registry in SQLite: entities, their labels and spellings, and archivists' edits.

Seeded from `seed.all_seed_entities()`; re-seeded when the seed changes. The
archivists' edits (add a spelling, merge two entities, split a spelling off)
are kept in their own table and replayed after every re-seed, so they survive.
Each change bumps `version`, which tells every process to rebuild its lookup.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from searchapp.database import SqliteTables
from searchapp.names.seed import all_seed_entities, seed_hash
from searchapp.text.analysis import exact_term, exact_terms, tokenize
from searchapp.text.namekeys import fine_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, label_en TEXT NOT NULL, label_uk TEXT NOT NULL,
    label_ru TEXT NOT NULL, population INTEGER NOT NULL DEFAULT 0, origin TEXT NOT NULL DEFAULT 'seed',
    city TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS spellings (
    entity_id TEXT NOT NULL, text TEXT NOT NULL, system TEXT NOT NULL, PRIMARY KEY (entity_id, text));
CREATE TABLE IF NOT EXISTS registry_edits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, entity_id TEXT NOT NULL,
    other TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '', at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS registry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS extracted_entities (id TEXT PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS spelling_analysis (text TEXT PRIMARY KEY, exact TEXT NOT NULL, keys TEXT NOT NULL);
"""


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


class Registry(SqliteTables):
    SCHEMA = _SCHEMA

    def migrate(self, conn: sqlite3.Connection) -> None:
        present = {row[1] for row in conn.execute("PRAGMA table_info(entities)")}
        for column in ("origin TEXT NOT NULL DEFAULT 'seed'", "city TEXT NOT NULL DEFAULT ''"):
            if column.split()[0] not in present:
                conn.execute(f"ALTER TABLE entities ADD COLUMN {column}")
                conn.execute("DELETE FROM registry_meta WHERE key = 'seed'")  # re-seed, with the new facts

    # Versions and seeding ----------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM registry_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def version(self) -> int:
        """Bumped by every change: seeding, an archivist's edit, people found in documents."""
        return int(self._meta("version") or 0)

    def edits_version(self) -> int:
        """Bumped by seeding and archivists' edits only: changes that are more than additions."""
        return int(self._meta("edits_version") or 0)

    def _bump(self, conn: sqlite3.Connection, edit: bool = True) -> None:
        for key in ("version", "edits_version") if edit else ("version",):
            conn.execute("INSERT INTO registry_meta VALUES (?, '1') ON CONFLICT(key) "
                         "DO UPDATE SET value = CAST(value AS INTEGER) + 1", (key,))

    def extracted_since(self, seen: int) -> tuple[int, list[Entity]]:
        """People found in documents and recorded after row `seen`, and the newest row: a process
        adds these to its lookup instead of rebuilding it."""
        rows = self._conn().execute("SELECT rowid, id, kind, label FROM extracted_entities WHERE rowid > ? "
                                    "ORDER BY rowid", (seen,)).fetchall()
        newest = rows[-1][0] if rows else seen
        return newest, [Entity(i, kind, {"en": label, "uk": label, "ru": label}, spellings={label: "extracted"},
                               origin="extracted") for _, i, kind, label in rows]

    def newest_extracted(self) -> int:
        return self._conn().execute("SELECT coalesce(max(rowid), 0) FROM extracted_entities").fetchone()[0]

    def ensure_seeded(self) -> None:
        """Seed (or re-seed, if the seed file changed) and replay the archivists' edits."""
        current = seed_hash()
        if self._meta("seed") == current:
            return
        entities = all_seed_entities()
        conn = self._conn()
        with conn:
            conn.execute("DELETE FROM entities")
            conn.execute("DELETE FROM spellings")
            conn.executemany("INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                (e.id, e.kind, e.labels["en"], e.labels.get("uk", e.labels["en"]), e.labels.get("ru", e.labels["en"]),
                 e.population, e.origin, e.city) for e in entities])
            conn.executemany("INSERT OR IGNORE INTO spellings VALUES (?, ?, ?)",
                             [(e.id, text, system) for e in entities for text, system in e.spellings.items()])
            self._analyse(conn, {text for e in entities for text in e.spellings})
            self._insert_extracted(conn, conn.execute("SELECT id, kind, label FROM extracted_entities").fetchall())
            for action, entity_id, other, text in conn.execute(
                    "SELECT action, entity_id, other, text FROM registry_edits ORDER BY seq").fetchall():
                self._apply(conn, action, entity_id, other, text)
            conn.execute("INSERT OR REPLACE INTO registry_meta VALUES ('seed', ?)", (current,))
            self._bump(conn)

    @staticmethod
    def _insert_extracted(conn: sqlite3.Connection, rows: list[tuple[str, str, str]]) -> None:
        conn.executemany("INSERT OR IGNORE INTO entities VALUES (?, ?, ?, ?, ?, 0, 'extracted', '')",
                         [(i, kind, label, label, label) for i, kind, label in rows])
        conn.executemany("INSERT OR IGNORE INTO spellings VALUES (?, ?, 'extracted')",
                         [(i, label) for i, _, label in rows])
        Registry._analyse(conn, {label for _, _, label in rows})

    @staticmethod
    def _analyse(conn: sqlite3.Connection, texts: set[str]) -> None:
        """Keep each spelling's words and name keys, so that a process builds its lookup without
        working them out again (seconds for the whole registry)."""
        known = set()
        if len(texts) < 1000:
            marks = ",".join("?" * len(texts))
            known = {r[0] for r in conn.execute(f"SELECT text FROM spelling_analysis WHERE text IN ({marks})",
                                                list(texts))}
        rows = []
        for text in texts - known:
            words = [w for w, _, _ in tokenize(text)]
            rows.append((text, " ".join(exact_term(w) for w in words), " ".join(fine_key(w) for w in words)))
        conn.executemany("INSERT OR REPLACE INTO spelling_analysis VALUES (?, ?, ?)", rows)

    def spelling_analysis(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """Each spelling's exact words and name keys."""
        return {text: (tuple(exact.split()), tuple(keys.split()))
                for text, exact, keys in self._conn().execute("SELECT text, exact, keys FROM spelling_analysis")}

    def deleted_ids(self) -> frozenset[str]:
        """Entities an archivist deleted: extraction must not bring them back."""
        rows = self._conn().execute("SELECT entity_id FROM registry_edits WHERE action = 'delete'")
        return frozenset(row[0] for row in rows)

    def add_extracted(self, people: dict[str, str]) -> int:
        """Record people found in documents but not in the registry (id -> label); returns how many are new."""
        conn = self._conn()
        with conn:
            known = {row[0] for row in conn.execute("SELECT id FROM entities")} | self.deleted_ids()
            rows = [(i, "person", label) for i, label in people.items() if i not in known]
            if rows:
                conn.executemany("INSERT OR IGNORE INTO extracted_entities VALUES (?, ?, ?)", rows)
                self._insert_extracted(conn, rows)
                self._bump(conn, edit=False)
        return len(rows)

    # Reading -------------------------------------------------------------------
    def entities(self) -> dict[str, Entity]:
        conn = self._conn()
        out = {row[0]: Entity(row[0], row[1], {"en": row[2], "uk": row[3], "ru": row[4]}, row[5], origin=row[6],
                              city=row[7])
               for row in conn.execute("SELECT id, kind, label_en, label_uk, label_ru, population, origin, city "
                                       "FROM entities")}
        for entity_id, text, system in conn.execute("SELECT entity_id, text, system FROM spellings"):
            if entity_id in out:
                out[entity_id].spellings[text] = system
        return out

    def get(self, entity_id: str) -> Entity | None:
        return self.entities().get(entity_id)

    # Archivists' edits -----------------------------------------------------------
    def _exists(self, conn: sqlite3.Connection, entity_id: str) -> bool:
        return conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is not None

    def _apply(self, conn: sqlite3.Connection, action: str, entity_id: str, other: str, text: str) -> None:
        if action == "add":
            conn.execute("INSERT OR REPLACE INTO spellings VALUES (?, ?, 'archivist')", (entity_id, text))
            self._analyse(conn, {text})
        elif action == "remove":  # every spelling that folds to the same words (Kiev, Kíev, Kîev)
            rows = conn.execute("SELECT text FROM spellings WHERE entity_id = ?", (entity_id,)).fetchall()
            same = [(entity_id, t) for (t,) in rows if exact_terms(t) == exact_terms(text)]
            conn.executemany("DELETE FROM spellings WHERE entity_id = ? AND text = ?", same)
        elif action == "create":
            kind = entity_id.split(":", 1)[0]
            conn.execute("INSERT OR IGNORE INTO entities VALUES (?, ?, ?, ?, ?, 0, 'archivist', '')",
                         (entity_id, kind, text, text, text))
            self._analyse(conn, {text})
        elif action == "delete":
            conn.execute("DELETE FROM spellings WHERE entity_id = ?", (entity_id,))
            conn.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
            conn.execute("DELETE FROM extracted_entities WHERE id = ?", (entity_id,))
        elif action == "merge":  # entity_id goes into other
            conn.execute("UPDATE OR IGNORE spellings SET entity_id = ? WHERE entity_id = ?", (other, entity_id))
            conn.execute("DELETE FROM spellings WHERE entity_id = ?", (entity_id,))
            conn.execute("DELETE FROM entities WHERE id = ?", (entity_id,))

    def _edit(self, action: str, entity_id: str, other: str = "", text: str = "") -> None:
        conn = self._conn()
        with conn:
            conn.execute("INSERT INTO registry_edits (action, entity_id, other, text) VALUES (?, ?, ?, ?)",
                         (action, entity_id, other, text))
            self._apply(conn, action, entity_id, other, text)
            self._bump(conn)

    def _require(self, entity_id: str) -> None:
        if not self._exists(self._conn(), entity_id):
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
        row = self._conn().execute("SELECT 1 FROM spellings WHERE entity_id = ? AND text = ?",
                                   (entity_id, text)).fetchone()
        if row is None:
            raise RegistryError(f"'{text}' is not a spelling of '{entity_id}'")
        if new_id and not ENTITY_ID.match(new_id):
            raise RegistryError("A new entity id is person: or place: and lowercase letters, digits and hyphens")
        self._edit("remove", entity_id, text=text)
        if new_id:
            self._edit("create", new_id, text=text)
            self._edit("add", new_id, text=text)
