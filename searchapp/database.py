"""The application database: SQLite (embedded, one machine) or PostgreSQL (shared by several nodes).

One schema (`searchapp.schema`, migrated by Alembic) and one code path for both engines, through
SQLAlchemy Core. A store is named by a location: a SQLite file path, or a URL
(`postgresql://user:pass@host:port/db`, `sqlite:///path`). Each process opens one engine per
location, which brings the schema up to date on first use.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects import postgresql, sqlite

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
CHANGES_CHANNEL = "searchapp_changes"  # NOTIFY'd when documents change (PostgreSQL)
_MIGRATE_LOCK = 0x5EA5C5


def is_url(location: str) -> bool:
    return "://" in location


def sqlalchemy_url(location: str) -> str:
    """The SQLAlchemy URL for a location: a bare path is a SQLite file; PostgreSQL goes through psycopg 3."""
    if not is_url(location):
        return f"sqlite:///{os.path.abspath(location)}"
    for prefix in ("postgresql://", "postgres://"):
        if location.startswith(prefix):
            return "postgresql+psycopg://" + location[len(prefix):]
    return location


def libpq_url(location: str) -> str:
    """The same PostgreSQL location as libpq (psycopg) reads it."""
    return location.replace("postgresql+psycopg://", "postgresql://", 1)


class Database:
    """An engine with the schema migrated, and transactions that behave alike on both engines:
    `read()` sees one consistent state, `write()` takes the write lock at once (SQLite's BEGIN
    IMMEDIATE), so a read-then-write never fails half-way under concurrency."""

    def __init__(self, location: str):
        self.location = location
        url = sqlalchemy_url(location)
        self.is_postgres = url.startswith("postgresql")
        if self.is_postgres:
            self.engine = sa.create_engine(url, pool_size=4, max_overflow=8, pool_pre_ping=True)
        else:
            self.engine = sa.create_engine(url, connect_args={"timeout": 30})
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        self._migrate()

    # Transactions -----------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                yield conn

    # Engine-specific statements behind one interface --------------------------------------------
    def insert(self, table: sa.Table) -> Any:
        """An INSERT that takes `.on_conflict_do_update(...)` / `.on_conflict_do_nothing(...)`."""
        return (postgresql.insert if self.is_postgres else sqlite.insert)(table)

    def upsert(self, table: sa.Table, keys: list[str], values: dict | list[dict] | None = None,
               update: bool = True) -> Any:
        """INSERT ... ON CONFLICT (keys) DO UPDATE every other column (or DO NOTHING), of `values`
        (one row or several) or of the parameters it is executed with."""
        stmt = self.insert(table) if values is None else self.insert(table).values(values)
        if not update:
            return stmt.on_conflict_do_nothing(index_elements=keys)
        return stmt.on_conflict_do_update(
            index_elements=keys, set_={c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys})

    def lock(self, conn: sa.Connection, name: str) -> None:
        """Hold a lock named `name` across every process and node until this transaction ends
        (PostgreSQL's advisory lock; SQLite's write transaction already excludes every other).
        Writers of a sequence-numbered log (the change log, saved-query matches) take one, so that
        numbers commit in order and a reader that has read up to N never later meets one below N."""
        if self.is_postgres:
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(name))))

    def notify_changes(self, conn: sa.Connection) -> None:
        """Wake every node's follower when this transaction commits (PostgreSQL)."""
        if self.is_postgres:
            conn.execute(sa.select(sa.func.pg_notify(CHANGES_CHANNEL, "")))

    # Schema -------------------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Bring the schema to Alembic's head, one process at a time."""
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        with self.engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
        with self._migration_lock(), self.engine.begin() as conn:
            config = _alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        if self.is_postgres:
            with self.engine.connect() as conn:
                conn.execute(sa.select(sa.func.pg_advisory_lock(_MIGRATE_LOCK)))
                try:
                    yield
                finally:
                    conn.execute(sa.select(sa.func.pg_advisory_unlock(_MIGRATE_LOCK)))
                    conn.commit()
        else:
            path = sa.make_url(sqlalchemy_url(self.location)).database or ""
            with open(path + ".migrate-lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                yield

    def close(self) -> None:
        self.engine.dispose()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # transactions are begun by _sqlite_begin, as asked
    dbapi_conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
    dbapi_conn.execute("PRAGMA synchronous=NORMAL")


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


_open: dict[tuple[int, str], Database] = {}
_open_lock = threading.Lock()


def open_database(location: str) -> Database:
    """This process's engine for a location (one per process: connections are not shared across fork)."""
    key = (os.getpid(), location)
    with _open_lock:
        if key not in _open:
            _open[key] = Database(location)
        return _open[key]


def forget_database(location: str) -> None:
    """Close this process's engine for a location (a test's store, a file about to be deleted)."""
    with _open_lock:
        db = _open.pop((os.getpid(), location), None)
    if db is not None:
        db.close()


class StoreTables:
    """Base of the classes that keep a set of tables of the application database."""

    def __init__(self, location: str):
        self.location = location
        self.db = open_database(location)

    def close(self) -> None:
        """Close the pooled connections (the engine opens new ones if it is used again)."""
        self.db.engine.dispose()


__all__ = ["Database", "StoreTables", "open_database", "forget_database"]
