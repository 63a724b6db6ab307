"""The document store: the database holds every document as imported and is the source of truth.

The index is derived from it: `indexed` is 0 until a document's current
version is committed to the index, so an interrupted import or a rebuild
can always catch up from here.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import sqlalchemy as sa

from searchapp.database import StoreTables
from searchapp.model import Document
from searchapp.schema import changes, documents, trash, uploads

CORRECTABLE = ("title", "date", "source", "lang", "people", "places")

_COLUMNS = ("id", "title", "text", "raw_text", "url", "source", "lang", "date", "people", "places", "original",
            "original_name", "added")

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


def _row_to_doc(row: sa.RowMapping) -> Document:
    return Document(
        id=row["id"], title=row["title"], text=row["text"], raw_text=row["raw_text"], url=row["url"],
        source=row["source"],
        lang=row["lang"], date=row["date"], people=json.loads(row["people"]),
        places=json.loads(row["places"]), original=row["original"] or b"",
        original_name=row["original_name"], added=row["added"],
    )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


_DOC_COLUMNS = [documents.c[name] for name in _COLUMNS]


class DocStore(StoreTables):
    """The documents, their trash, the upload log and the log of changes that nodes follow."""

    def _changed(self, conn: sa.Connection, doc_ids: Iterable[str]) -> None:
        """Log changes to these documents (in this transaction) for every node's index to follow."""
        rows = [{"doc_id": doc_id, "at": now_iso()} for doc_id in doc_ids]
        if rows:
            self.db.lock(conn, "log:changes")
            conn.execute(changes.insert(), rows)
            self.db.notify_changes(conn)

    def put_many(self, docs: Iterable[Document], corrections: dict[str, dict] | None = None,
                 simhashes: dict[str, int] | None = None) -> list[tuple[str, Document]]:
        """Store documents in one transaction; returns (added/updated/skipped, the document as
        stored) for each. The documents given are not changed: what is stored carries the
        archivist's corrections (kept from before, or given here for a restored document).
        `simhashes` maps texts to their SimHash where it was computed beforehand."""
        docs = list(docs)
        outcomes, rows = [], []
        stamp = now_iso()
        with self.db.write() as conn:
            ids = [d.id for d in docs]
            stored = {row["id"]: row for start in range(0, len(ids), 500) for row in conn.execute(
                sa.select(documents.c.id, documents.c.fingerprint, documents.c.added, documents.c.corrections)
                .where(documents.c.id.in_(ids[start : start + 500]))).mappings()}
            for given in docs:
                row = stored.get(given.id)
                corrected = (corrections or {}).get(given.id) or (json.loads(row["corrections"]) if row else {})
                doc = replace(given, **corrected)  # an archivist's corrections outlive re-imports
                fp = doc.version
                if row is not None and row["fingerprint"] == fp:
                    outcomes.append((SKIPPED, doc))
                    continue
                doc.added = row["added"] if row is not None else (doc.added or stamp)
                rows.append({"id": doc.id, "title": doc.title, "text": doc.text, "raw_text": doc.raw_text,
                             "url": doc.url, "source": doc.source, "lang": doc.lang, "date": doc.date,
                             "people": _json(doc.people), "places": _json(doc.places), "original": doc.original,
                             "original_name": doc.original_name, "added": doc.added, "fingerprint": fp,
                             "text_hash": text_fingerprint(doc.text), "corrections": _json(corrected),
                             "simhash": (simhashes or {}).get(doc.text) or simhash(doc.text),
                             "updated": stamp, "indexed": 0})
                outcomes.append((UPDATED if row is not None else ADDED, doc))
                # the same id again later in the batch: the later one is stored, as an update
                stored[doc.id] = {"fingerprint": fp, "added": doc.added, "corrections": _json(corrected)}
            if rows:
                conn.execute(self.db.upsert(documents, ["id"]), rows)
            self._changed(conn, [doc.id for outcome, doc in outcomes if outcome != SKIPPED])
        return outcomes

    def get(self, doc_id: str) -> Document | None:
        return next(iter(self.get_many([doc_id])), None)

    def get_many(self, doc_ids: list[str]) -> list[Document]:
        """The stored documents among these ids (those not stored are left out)."""
        with self.db.read() as conn:
            rows = conn.execute(sa.select(*_DOC_COLUMNS).where(documents.c.id.in_(doc_ids))).mappings().all()
        return [_row_to_doc(row) for row in rows]

    def count(self) -> int:
        with self.db.read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()

    def count_pending(self) -> int:
        with self.db.read() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(documents)
                                .where(documents.c.indexed == 0)).scalar_one()

    def iter_documents(self, pending_only: bool = False, batch: int = 1000) -> Iterator[Document]:
        """All documents (or those not yet in the index), in id order, read in batches."""
        last = ""
        while True:
            query = sa.select(*_DOC_COLUMNS).where(documents.c.id > last).order_by(documents.c.id).limit(batch)
            if pending_only:
                query = query.where(documents.c.indexed == 0)
            with self.db.read() as conn:
                rows = conn.execute(query).mappings().all()
            if not rows:
                return
            for row in rows:
                yield _row_to_doc(row)
            last = rows[-1]["id"]

    def mark_indexed(self, docs: Iterable[Document]) -> None:
        """Record that these versions are in the index (a newer version stays pending)."""
        params = [{"doc_id": d.id, "fp": d.version} for d in docs]
        if params:
            with self.db.write() as conn:
                conn.execute(documents.update().where(documents.c.id == sa.bindparam("doc_id"),
                                                      documents.c.fingerprint == sa.bindparam("fp"))
                             .values(indexed=1), params)

    def rename_entity(self, old: str, new: str) -> int:
        """Replace entity `old` by `new` (or drop it, for "") in every document's people and places;
        marks them pending."""
        pattern = f'%"{old}"%'
        changed = []

        def swap(ids: list[str]) -> list[str]:
            return [e for e in dict.fromkeys(new if e == old else e for e in ids) if e]

        with self.db.write() as conn:
            rows = conn.execute(sa.select(*_DOC_COLUMNS, documents.c.corrections).where(sa.or_(
                documents.c.people.like(pattern), documents.c.places.like(pattern),
                documents.c.corrections.like(pattern)))).mappings().all()
            for row in rows:
                doc = _row_to_doc(row)
                doc.people, doc.places = swap(doc.people), swap(doc.places)
                corrections = json.loads(row["corrections"])  # an archivist's list names the new entity too
                for key in ("people", "places"):
                    if key in corrections:
                        corrections[key] = swap(corrections[key])
                conn.execute(documents.update().where(documents.c.id == doc.id).values(
                    people=_json(doc.people), places=_json(doc.places), corrections=_json(corrections),
                    fingerprint=doc.version, indexed=0))
                changed.append(doc.id)
            self._changed(conn, changed)
        return len(changed)

    def find_same_text(self, doc: Document) -> str | None:
        """The id of a stored document with the same normalized text (any title), if any."""
        with self.db.read() as conn:
            return conn.execute(sa.select(documents.c.id).where(documents.c.text_hash == text_fingerprint(doc.text))
                                .limit(1)).scalar()

    def correct(self, doc_id: str, values: dict) -> Document | None:
        """Set an archivist's values for some of CORRECTABLE; they win over extraction from now on."""
        with self.db.write() as conn:
            current = conn.execute(sa.select(documents.c.corrections).where(documents.c.id == doc_id)).scalar()
            if current is None:
                return None
            corrections = {**json.loads(current), **{k: v for k, v in values.items() if k in CORRECTABLE}}
            conn.execute(documents.update().where(documents.c.id == doc_id).values(corrections=_json(corrections)))
        doc = self.get(doc_id)
        assert doc is not None
        return self.put_many([doc])[0][1]  # applies the corrections and marks the document for indexing

    def corrections(self, doc_id: str) -> dict:
        with self.db.read() as conn:
            current = conn.execute(sa.select(documents.c.corrections).where(documents.c.id == doc_id)).scalar()
        return json.loads(current) if current else {}

    def remove(self, doc_ids: list[str]) -> None:
        """Forget documents outright (to undo a write that could not be indexed)."""
        with self.db.write() as conn:
            conn.execute(documents.delete().where(documents.c.id.in_(doc_ids)))
            self._changed(conn, doc_ids)

    def near_duplicates(self, doc: Document, max_bits: int = 10, limit: int = 3) -> list[str]:
        """Ids of stored documents whose text is nearly the same (SimHash within `max_bits` bits)."""
        if len(doc.text.split()) < 20:  # too short to call anything a near copy
            return []
        with self.db.read() as conn:
            rows = conn.execute(sa.select(documents.c.id, documents.c.simhash)
                                .where(documents.c.simhash != 0, documents.c.id != doc.id)).all()
        if not rows:
            return []
        hashes = np.array([r.simhash for r in rows], dtype=np.uint64)
        distance = np.unpackbits((hashes ^ np.uint64(simhash(doc.text))).view(np.uint8)).reshape(-1, 64).sum(1)
        return [rows[i].id for i in np.flatnonzero(distance <= max_bits)[:limit]]

    def delete(self, doc_id: str, user: str) -> bool:
        """Move a document to the trash (original file included); False if there is none."""
        with self.db.write() as conn:
            row = conn.execute(sa.select(*_DOC_COLUMNS, documents.c.corrections)
                               .where(documents.c.id == doc_id)).mappings().first()
            if row is None:
                return False
            data = {k: v for k, v in row.items() if k != "original"}  # corrections included
            values = {"id": doc_id, "deleted_at": now_iso(), "deleted_by": user, "row": _json(data),
                      "original": row["original"]}
            conn.execute(self.db.upsert(trash, ["id"], values))
            conn.execute(documents.delete().where(documents.c.id == doc_id))
            self._changed(conn, [doc_id])
        return True

    def restore(self, doc_id: str) -> Document | None:
        """Bring a document back from the trash (pending indexing)."""
        with self.db.read() as conn:
            row = conn.execute(sa.select(trash.c.row, trash.c.original).where(trash.c.id == doc_id)).first()
        if row is None:
            return None
        data = json.loads(row.row)
        doc = Document(id=data["id"], title=data["title"], text=data["text"], raw_text=data["raw_text"],
                       url=data["url"], source=data["source"], lang=data["lang"], date=data["date"],
                       people=json.loads(data["people"]), places=json.loads(data["places"]),
                       original=row.original or b"", original_name=data["original_name"], added=data["added"])
        corrections = json.loads(data.get("corrections") or "{}")
        (_, stored), = self.put_many([doc], corrections={doc.id: corrections})
        with self.db.write() as conn:
            conn.execute(trash.delete().where(trash.c.id == doc_id))
        return stored

    def trash(self, keep_days: int) -> list[dict]:
        """The documents in the trash, newest deletion first: id, title, deleted_at, deleted_by and
        days_left before `purge_trash(keep_days)` forgets them (0: it would now)."""
        now = datetime.now(UTC)
        with self.db.read() as conn:
            rows = conn.execute(sa.select(trash.c.id, trash.c.deleted_at, trash.c.deleted_by, trash.c.row)
                                .order_by(trash.c.deleted_at.desc(), trash.c.id)).all()
        items = []
        for row in rows:
            left = datetime.fromisoformat(row.deleted_at) + timedelta(days=keep_days) - now
            items.append({"id": row.id, "title": json.loads(row.row).get("title", ""),
                          "deleted_at": row.deleted_at, "deleted_by": row.deleted_by,
                          "days_left": max(0, math.ceil(left.total_seconds() / 86400))})
        return items

    def purge_trash(self, older_than_days: int) -> int:
        cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)).isoformat(timespec="seconds")
        with self.db.write() as conn:
            return conn.execute(trash.delete().where(trash.c.deleted_at < cutoff)).rowcount

    def log_upload(self, user: str, name: str, status: str, doc_id: str = "", reason: str = "") -> None:
        with self.db.write() as conn:
            conn.execute(uploads.insert().values(at=now_iso(), user=user, name=name, status=status, doc_id=doc_id,
                                                 reason=reason))

    def recent_uploads(self, user: str, limit: int = 20) -> list[dict]:
        with self.db.read() as conn:
            rows = conn.execute(sa.select(uploads.c.at, uploads.c.name, uploads.c.status, uploads.c.doc_id,
                                          uploads.c.reason).where(uploads.c.user == user)
                                .order_by(uploads.c.seq.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    # The change log --------------------------------------------------------------------------
    def last_change(self) -> int:
        """The newest change's sequence number (0 before any)."""
        with self.db.read() as conn:
            return conn.execute(sa.select(sa.func.coalesce(sa.func.max(changes.c.seq), 0))).scalar_one()

    def changes_after(self, seq: int, limit: int = 5000) -> list[tuple[int, str]]:
        """(sequence number, document id) of the changes after `seq`, oldest first."""
        with self.db.read() as conn:
            rows = conn.execute(sa.select(changes.c.seq, changes.c.doc_id).where(changes.c.seq > seq)
                                .order_by(changes.c.seq).limit(limit)).all()
        return [(r.seq, r.doc_id) for r in rows]
