"""The SQLite file shared by the document store, the name registry and the accounts."""

from __future__ import annotations

import sqlite3
import threading


class SqliteTables:
    """Base for a set of tables in the application database: one connection per thread (WAL,
    so readers never wait for a writer), the tables created on first use."""

    SCHEMA = ""

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        with self._conn() as conn:
            conn.executescript(self.SCHEMA)
            self.migrate(conn)

    def migrate(self, conn: sqlite3.Connection) -> None:
        """Bring tables made by an older version up to date (nothing by default)."""

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
