"""Saved queries, the documents that matched them when they arrived, and per-client cursors.

A saved query is a search URL's parameters and a name, owned by a user. When documents are
indexed, each new document is matched against every saved query (percolator style) and the
matches are recorded with a sequence number; `since=last` hands a client the matches after its
previous cursor, so polling never misses or repeats a document.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from werkzeug.datastructures import MultiDict

from searchapp.database import SqliteTables
from searchapp.docstore import now_iso
from searchapp.indexing.searchers import IndexHandle
from searchapp.names.lookup import NameIndex
from searchapp.search.engine import search_ids
from searchapp.search.params import ParamError, SearchParams

_SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_queries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, name TEXT NOT NULL, params TEXT NOT NULL,
    feed_token TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS saved_matches (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, query_id INTEGER NOT NULL, doc_id TEXT NOT NULL,
    matched_at TEXT NOT NULL, UNIQUE (query_id, doc_id));
CREATE TABLE IF NOT EXISTS saved_cursors (
    query_id INTEGER NOT NULL, token_id INTEGER NOT NULL, last_seq INTEGER NOT NULL,
    PRIMARY KEY (query_id, token_id));
"""
MAX_NAME = 200


@dataclass
class SavedQuery:
    id: int
    user_id: int
    name: str
    params: SearchParams
    feed_token: str
    created: str
    updated: str

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "query": self.params.as_dict(),
                "params": urlencode(self.params.with_page(1).to_args()), "created": self.created,
                "updated": self.updated}


def params_from(query: str | dict) -> SearchParams:
    """SearchParams from a query string ("q=Kyiv&lang=uk") or a JSON object of the same names."""
    if isinstance(query, dict):
        pairs = [(k, str(x)) for k, v in query.items() for x in (v if isinstance(v, list) else [v])]
    else:
        pairs = parse_qsl(query, keep_blank_values=True)
    return SearchParams.from_args(MultiDict(pairs)).with_page(1)


class SavedQueries(SqliteTables):
    SCHEMA = _SCHEMA

    def _row(self, row) -> SavedQuery:
        return SavedQuery(row["id"], row["user_id"], row["name"], params_from(row["params"]), row["feed_token"],
                          row["created"], row["updated"])

    def create(self, user_id: int, name: str, params: SearchParams) -> SavedQuery:
        stamp = now_iso()
        conn = self._conn()
        with conn:
            cur = conn.execute("INSERT INTO saved_queries (user_id, name, params, feed_token, created, updated) "
                               "VALUES (?, ?, ?, ?, ?, ?)", (user_id, name[:MAX_NAME],
                                                             urlencode(params.to_args()),
                                                             secrets.token_urlsafe(24), stamp, stamp))
        return self.get(int(cur.lastrowid))

    def get(self, query_id: int) -> SavedQuery | None:
        row = self._conn().execute("SELECT * FROM saved_queries WHERE id = ?", (query_id,)).fetchone()
        return self._row(row) if row else None

    def for_user(self, user_id: int) -> list[SavedQuery]:
        rows = self._conn().execute("SELECT * FROM saved_queries WHERE user_id = ? ORDER BY id", (user_id,))
        return [self._row(r) for r in rows]

    def all(self) -> list[SavedQuery]:
        return [self._row(r) for r in self._conn().execute("SELECT * FROM saved_queries ORDER BY id")]

    def update(self, query_id: int, name: str, params: SearchParams) -> SavedQuery:
        conn = self._conn()
        with conn:
            conn.execute("UPDATE saved_queries SET name = ?, params = ?, updated = ? WHERE id = ?",
                         (name[:MAX_NAME], urlencode(params.to_args()), now_iso(), query_id))
        return self.get(query_id)

    def delete(self, query_id: int) -> None:
        conn = self._conn()
        with conn:
            for table in ("saved_matches", "saved_cursors"):
                conn.execute(f"DELETE FROM {table} WHERE query_id = ?", (query_id,))
            conn.execute("DELETE FROM saved_queries WHERE id = ?", (query_id,))

    # Matches -----------------------------------------------------------------------------
    def record_matches(self, query_id: int, doc_ids: list[str]) -> None:
        stamp = now_iso()
        conn = self._conn()
        with conn:
            conn.executemany("INSERT OR IGNORE INTO saved_matches (query_id, doc_id, matched_at) VALUES (?, ?, ?)",
                             [(query_id, d, stamp) for d in doc_ids])

    def matches_since_time(self, query_id: int, since: str) -> list[str]:
        rows = self._conn().execute("SELECT doc_id FROM saved_matches WHERE query_id = ? AND matched_at > ? "
                                    "ORDER BY seq", (query_id, since))
        return [r["doc_id"] for r in rows]

    def matches_since_cursor(self, query_id: int, token_id: int) -> list[str]:
        """The matches after this client's cursor; the cursor moves past them."""
        conn = self._conn()
        with conn:
            row = conn.execute("SELECT last_seq FROM saved_cursors WHERE query_id = ? AND token_id = ?",
                               (query_id, token_id)).fetchone()
            last = row["last_seq"] if row else 0
            rows = conn.execute("SELECT seq, doc_id FROM saved_matches WHERE query_id = ? AND seq > ? ORDER BY seq",
                                (query_id, last)).fetchall()
            if rows:
                conn.execute("INSERT OR REPLACE INTO saved_cursors VALUES (?, ?, ?)",
                             (query_id, token_id, rows[-1]["seq"]))
        return [r["doc_id"] for r in rows]

    def recent_matches(self, query_id: int, limit: int = 50) -> list[tuple[str, str]]:
        rows = self._conn().execute("SELECT doc_id, matched_at FROM saved_matches WHERE query_id = ? "
                                    "ORDER BY seq DESC LIMIT ?", (query_id, limit))
        return [(r["doc_id"], r["matched_at"]) for r in rows]


def percolate(saved: SavedQueries, handle: IndexHandle, doc_ids: list[str], names: NameIndex | None = None) -> int:
    """Match newly indexed documents against every saved query; returns the matches recorded."""
    if not doc_ids:
        return 0
    recorded = 0
    for query in saved.all():
        try:
            found = search_ids(handle, query.params, names, only=doc_ids)
        except ParamError:
            continue  # a saved query the current parser no longer takes matches nothing
        if found:
            saved.record_matches(query.id, [d for d in doc_ids if d in found])
            recorded += len(found)
    return recorded
