"""The document store: SQLite holds every document as imported and is the source of truth.

The index is derived from it: `indexed` is 0 until a document's current
version is committed to the index, so an interrupted import or a rebuild
can always catch up from here.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np

from searchapp.database import SqliteTables
from searchapp.model import Document

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    raw_text TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    people TEXT NOT NULL DEFAULT '[]',
    places TEXT NOT NULL DEFAULT '[]',
    fingerprint TEXT NOT NULL,
    text_hash TEXT NOT NULL DEFAULT '',
    original BLOB,
    original_name TEXT NOT NULL DEFAULT '',
    added TEXT NOT NULL,
    updated TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS trash (
    id TEXT PRIMARY KEY, deleted_at TEXT NOT NULL, deleted_by TEXT NOT NULL, row TEXT NOT NULL, original BLOB);
CREATE TABLE IF NOT EXISTS uploads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL, name TEXT NOT NULL,
    status TEXT NOT NULL, doc_id TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '');
"""

_INDEXES = """
CREATE INDEX IF NOT EXISTS documents_pending ON documents(indexed) WHERE indexed = 0;
CREATE INDEX IF NOT EXISTS documents_text_hash ON documents(text_hash);
"""
# Columns added since the first version: (name, definition), added to older databases on open.
_ADDED_COLUMNS = [("raw_text", "TEXT NOT NULL DEFAULT ''"), ("text_hash", "TEXT NOT NULL DEFAULT ''"),
                  ("corrections", "TEXT NOT NULL DEFAULT '{}'"), ("simhash", "INTEGER NOT NULL DEFAULT 0")]
CORRECTABLE = ("title", "date", "source", "lang", "people", "places")

_COLUMNS = "id, title, text, raw_text, url, source, lang, date, people, places, original, original_name, added"

ADDED, UPDATED, SKIPPED = "added", "updated", "skipped"


def text_fingerprint(text: str) -> str:
    """Equal for texts that differ only in case and spacing."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def simhash(text: str) -> int:
    """A 63-bit SimHash of the text's words and word pairs: near-identical texts differ in few bits."""
    words = text.casefold().split()
    features = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    if not features:
        return 0
    hashes = np.array([int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "big") for f in features],
                      dtype=np.uint64)
    bits = np.unpackbits(hashes.view(np.uint8), bitorder="little").reshape(-1, 64)[:, :63]
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(features)  # +1 per set bit, -1 per clear one
    return sum(1 << int(bit) for bit in np.flatnonzero(votes > 0))


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fingerprint(doc: Document) -> str:
    fields = [doc.title, doc.text, doc.url, doc.source, doc.lang, doc.date, *doc.people, "|", *doc.places]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def _row_to_doc(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"], title=row["title"], text=row["text"], raw_text=row["raw_text"], url=row["url"],
        source=row["source"],
        lang=row["lang"], date=row["date"], people=json.loads(row["people"]),
        places=json.loads(row["places"]), original=row["original"] or b"",
        original_name=row["original_name"], added=row["added"],
    )


class DocStore(SqliteTables):
    """The documents, their trash and the upload log."""

    SCHEMA = _SCHEMA

    def migrate(self, conn: sqlite3.Connection) -> None:
        present = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
        for name, definition in _ADDED_COLUMNS:
            if name not in present:
                conn.execute(f"ALTER TABLE documents ADD COLUMN {name} {definition}")
        conn.executescript(_INDEXES)

    def put_many(self, docs: Iterable[Document], corrections: dict[str, dict] | None = None
                 ) -> list[tuple[str, Document]]:
        """Store documents in one transaction; returns (added/updated/skipped, the document as
        stored) for each. The documents given are not changed: what is stored carries the
        archivist's corrections (kept from before, or given here for a restored document)."""
        outcomes = []
        stamp = now_iso()
        conn = self._conn()
        with conn:
            for given in docs:
                row = conn.execute("SELECT fingerprint, added, corrections FROM documents WHERE id = ?",
                                   (given.id,)).fetchone()
                corrected = (corrections or {}).get(given.id) or (json.loads(row["corrections"]) if row else {})
                doc = replace(given, **corrected)  # an archivist's corrections outlive re-imports
                fp = _fingerprint(doc)
                if row is not None and row["fingerprint"] == fp:
                    outcomes.append((SKIPPED, doc))
                    continue
                doc.added = row["added"] if row is not None else (doc.added or stamp)
                conn.execute(
                    f"INSERT OR REPLACE INTO documents ({_COLUMNS}, fingerprint, text_hash, corrections, simhash, "
                    "updated, indexed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    (doc.id, doc.title, doc.text, doc.raw_text, doc.url, doc.source, doc.lang, doc.date,
                     json.dumps(doc.people, ensure_ascii=False), json.dumps(doc.places, ensure_ascii=False),
                     doc.original, doc.original_name, doc.added, fp, text_fingerprint(doc.text),
                     json.dumps(corrected, ensure_ascii=False), simhash(doc.text), stamp),
                )
                outcomes.append((UPDATED if row is not None else ADDED, doc))
        return outcomes

    def get(self, doc_id: str) -> Document | None:
        row = self._conn().execute(f"SELECT {_COLUMNS} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _row_to_doc(row) if row is not None else None

    def count(self) -> int:
        return self._conn().execute("SELECT count(*) FROM documents").fetchone()[0]

    def count_pending(self) -> int:
        return self._conn().execute("SELECT count(*) FROM documents WHERE indexed = 0").fetchone()[0]

    def iter_documents(self, pending_only: bool = False, batch: int = 1000) -> Iterator[Document]:
        """All documents (or those not yet in the index), in id order, read in batches."""
        where = "AND indexed = 0" if pending_only else ""
        last = ""
        conn = self._conn()
        while True:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM documents WHERE id > ? {where} ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _row_to_doc(row)
            last = rows[-1]["id"]

    def mark_indexed(self, docs: Iterable[Document]) -> None:
        """Record that these versions are in the index (a newer version stays pending)."""
        conn = self._conn()
        with conn:
            conn.executemany(
                "UPDATE documents SET indexed = 1 WHERE id = ? AND fingerprint = ?",
                ((d.id, _fingerprint(d)) for d in docs),
            )

    def rename_entity(self, old: str, new: str) -> int:
        """Replace entity `old` by `new` (or drop it, for "") in every document's people and places;
        marks them pending."""
        conn = self._conn()
        changed = 0
        with conn:
            rows = conn.execute("SELECT id, people, places, corrections FROM documents "
                                "WHERE people LIKE ? OR places LIKE ? OR corrections LIKE ?",
                                (f'%"{old}"%', f'%"{old}"%', f'%"{old}"%')).fetchall()
            def swap(ids: list[str]) -> list[str]:
                return [e for e in dict.fromkeys(new if e == old else e for e in ids) if e]

            for row in rows:
                people, places = swap(json.loads(row["people"])), swap(json.loads(row["places"]))
                corrections = json.loads(row["corrections"])  # an archivist's list names the new entity too
                for key in ("people", "places"):
                    if key in corrections:
                        corrections[key] = swap(corrections[key])
                doc = self.get(row["id"])
                assert doc is not None
                doc.people, doc.places = people, places
                conn.execute("UPDATE documents SET people = ?, places = ?, corrections = ?, fingerprint = ?, "
                             "indexed = 0 WHERE id = ?",
                             (json.dumps(people, ensure_ascii=False), json.dumps(places, ensure_ascii=False),
                              json.dumps(corrections, ensure_ascii=False), _fingerprint(doc), row["id"]))
                changed += 1
        return changed

    def find_same_text(self, doc: Document) -> str | None:
        """The id of a stored document with the same normalized text (any title), if any."""
        row = self._conn().execute("SELECT id FROM documents WHERE text_hash = ? LIMIT 1",
                                   (text_fingerprint(doc.text),)).fetchone()
        return row["id"] if row else None

    def correct(self, doc_id: str, values: dict) -> Document | None:
        """Set an archivist's values for some of CORRECTABLE; they win over extraction from now on."""
        conn = self._conn()
        row = conn.execute("SELECT corrections FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        corrections = {**json.loads(row["corrections"]), **{k: v for k, v in values.items() if k in CORRECTABLE}}
        with conn:
            conn.execute("UPDATE documents SET corrections = ? WHERE id = ?",
                         (json.dumps(corrections, ensure_ascii=False), doc_id))
        doc = self.get(doc_id)
        assert doc is not None
        return self.put_many([doc])[0][1]  # applies the corrections and marks the document for indexing

    def corrections(self, doc_id: str) -> dict:
        row = self._conn().execute("SELECT corrections FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return json.loads(row["corrections"]) if row else {}

    def remove(self, doc_ids: list[str]) -> None:
        """Forget documents outright (to undo a write that could not be indexed)."""
        conn = self._conn()
        with conn:
            conn.executemany("DELETE FROM documents WHERE id = ?", ((i,) for i in doc_ids))

    def near_duplicates(self, doc: Document, max_bits: int = 10, limit: int = 3) -> list[str]:
        """Ids of stored documents whose text is nearly the same (SimHash within `max_bits` bits)."""
        if len(doc.text.split()) < 20:  # too short to call anything a near copy
            return []
        rows = self._conn().execute("SELECT id, simhash FROM documents WHERE simhash != 0 AND id != ?",
                                    (doc.id,)).fetchall()
        if not rows:
            return []
        hashes = np.array([r["simhash"] for r in rows], dtype=np.uint64)
        distance = np.unpackbits((hashes ^ np.uint64(simhash(doc.text))).view(np.uint8)).reshape(-1, 64).sum(1)
        return [rows[i]["id"] for i in np.flatnonzero(distance <= max_bits)[:limit]]

    def delete(self, doc_id: str, user: str) -> bool:
        """Move a document to the trash (original file included); False if there is none."""
        conn = self._conn()
        with conn:
            row = conn.execute(f"SELECT {_COLUMNS}, corrections FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                return False
            data = {k: row[k] for k in row.keys() if k != "original"}  # corrections included
            conn.execute("INSERT OR REPLACE INTO trash VALUES (?, ?, ?, ?, ?)",
                         (doc_id, now_iso(), user, json.dumps(data, ensure_ascii=False), row["original"]))
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return True

    def restore(self, doc_id: str) -> Document | None:
        """Bring a document back from the trash (pending indexing)."""
        conn = self._conn()
        row = conn.execute("SELECT row, original FROM trash WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        data = json.loads(row["row"])
        doc = Document(id=data["id"], title=data["title"], text=data["text"], raw_text=data["raw_text"],
                       url=data["url"], source=data["source"], lang=data["lang"], date=data["date"],
                       people=json.loads(data["people"]), places=json.loads(data["places"]),
                       original=row["original"] or b"", original_name=data["original_name"], added=data["added"])
        corrections = json.loads(data.get("corrections") or "{}")
        (_, stored), = self.put_many([doc], corrections={doc.id: corrections})
        with conn:
            conn.execute("DELETE FROM trash WHERE id = ?", (doc_id,))
        return stored

    def trash(self, keep_days: int) -> list[dict]:
        """The documents in the trash, newest deletion first: id, title, deleted_at, deleted_by and
        days_left before `purge_trash(keep_days)` forgets them (0: it would now)."""
        now = datetime.now(UTC)
        rows = self._conn().execute("SELECT id, deleted_at, deleted_by, row FROM trash "
                                    "ORDER BY deleted_at DESC, id").fetchall()
        items = []
        for row in rows:
            left = datetime.fromisoformat(row["deleted_at"]) + timedelta(days=keep_days) - now
            items.append({"id": row["id"], "title": json.loads(row["row"]).get("title", ""),
                          "deleted_at": row["deleted_at"], "deleted_by": row["deleted_by"],
                          "days_left": max(0, math.ceil(left.total_seconds() / 86400))})
        return items

    def purge_trash(self, older_than_days: int) -> int:
        conn = self._conn()
        cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)).isoformat(timespec="seconds")
        with conn:
            return conn.execute("DELETE FROM trash WHERE deleted_at < ?", (cutoff,)).rowcount

    def log_upload(self, user: str, name: str, status: str, doc_id: str = "", reason: str = "") -> None:
        conn = self._conn()
        with conn:
            conn.execute("INSERT INTO uploads (at, user, name, status, doc_id, reason) VALUES (?, ?, ?, ?, ?, ?)",
                         (now_iso(), user, name, status, doc_id, reason))

    def recent_uploads(self, user: str, limit: int = 20) -> list[dict]:
        rows = self._conn().execute("SELECT at, name, status, doc_id, reason FROM uploads WHERE user = ? "
                                    "ORDER BY seq DESC LIMIT ?", (user, limit)).fetchall()
        return [dict(r) for r in rows]

    def mark_all_pending(self) -> None:
        conn = self._conn()
        with conn:
            conn.execute("UPDATE documents SET indexed = 0")
