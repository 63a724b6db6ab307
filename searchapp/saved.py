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

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from searchapp.database import StoreTables
from searchapp.docstore import now_iso
from searchapp.indexing.searchers import IndexHandle
from searchapp.names.lookup import NameIndex
from searchapp.schema import saved_cursors, saved_matches, saved_queries
from searchapp.search.engine import search_ids
from searchapp.search.params import ParamError, SearchParams

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


class SavedQueries(StoreTables):
    def _row(self, row: sa.Row) -> SavedQuery:
        return SavedQuery(row.id, row.user_id, row.name, params_from(row.params), row.feed_token, row.created,
                          row.updated)

    def _select(self, query: sa.Select) -> list[SavedQuery]:
        with self.db.read() as conn:
            return [self._row(r) for r in conn.execute(query.order_by(saved_queries.c.id))]

    def create(self, user_id: int, name: str, params: SearchParams) -> SavedQuery:
        stamp = now_iso()
        with self.db.write() as conn:
            query_id = conn.execute(saved_queries.insert().values(
                user_id=user_id, name=name[:MAX_NAME], params=urlencode(params.to_args()),
                feed_token=secrets.token_urlsafe(24), created=stamp, updated=stamp).returning(saved_queries.c.id)
            ).scalar_one()
        return self.get(int(query_id))

    def get(self, query_id: int) -> SavedQuery | None:
        return next(iter(self._select(sa.select(saved_queries).where(saved_queries.c.id == query_id))), None)

    def for_user(self, user_id: int) -> list[SavedQuery]:
        return self._select(sa.select(saved_queries).where(saved_queries.c.user_id == user_id))

    def all(self) -> list[SavedQuery]:
        return self._select(sa.select(saved_queries))

    def update(self, query_id: int, name: str, params: SearchParams) -> SavedQuery:
        with self.db.write() as conn:
            conn.execute(saved_queries.update().where(saved_queries.c.id == query_id).values(
                name=name[:MAX_NAME], params=urlencode(params.to_args()), updated=now_iso()))
        return self.get(query_id)

    def delete(self, query_id: int) -> None:
        with self.db.write() as conn:
            for table in (saved_matches, saved_cursors):
                conn.execute(table.delete().where(table.c.query_id == query_id))
            conn.execute(saved_queries.delete().where(saved_queries.c.id == query_id))

    # Matches -----------------------------------------------------------------------------
    def record_matches(self, query_id: int, doc_ids: list[str]) -> None:
        """Record matches; a document already recorded for the query (by any node) is not again."""
        if not doc_ids:
            return
        stamp = now_iso()
        rows = [{"query_id": query_id, "doc_id": d, "matched_at": stamp} for d in doc_ids]
        with self.db.write() as conn:
            self.db.lock(conn, "log:saved_matches")
            conn.execute(self.db.upsert(saved_matches, ["query_id", "doc_id"], rows, update=False))

    def matches_since_time(self, query_id: int, since: str) -> list[str]:
        with self.db.read() as conn:
            return list(conn.execute(sa.select(saved_matches.c.doc_id).where(
                saved_matches.c.query_id == query_id, saved_matches.c.matched_at > since)
                .order_by(saved_matches.c.seq)).scalars())

    def matches_since_cursor(self, query_id: int, token_id: int) -> list[str]:
        """The matches after this client's cursor; the cursor moves past them. The cursor's row is
        locked meanwhile, so two requests of one client (to any nodes) never get the same match."""
        cursor = (saved_cursors.c.query_id == query_id) & (saved_cursors.c.token_id == token_id)
        with self.db.write() as conn:
            conn.execute(self.db.upsert(saved_cursors, ["query_id", "token_id"],
                                        {"query_id": query_id, "token_id": token_id, "last_seq": 0}, update=False))
            last = conn.execute(sa.select(saved_cursors.c.last_seq).where(cursor).with_for_update()).scalar_one()
            rows = conn.execute(sa.select(saved_matches.c.seq, saved_matches.c.doc_id).where(
                saved_matches.c.query_id == query_id, saved_matches.c.seq > last)
                .order_by(saved_matches.c.seq)).all()
            if rows:
                conn.execute(saved_cursors.update().where(cursor).values(last_seq=rows[-1].seq))
        return [r.doc_id for r in rows]

    def recent_matches(self, query_id: int, limit: int = 50) -> list[tuple[str, str]]:
        with self.db.read() as conn:
            rows = conn.execute(sa.select(saved_matches.c.doc_id, saved_matches.c.matched_at)
                                .where(saved_matches.c.query_id == query_id)
                                .order_by(saved_matches.c.seq.desc()).limit(limit)).all()
        return [(r.doc_id, r.matched_at) for r in rows]


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
