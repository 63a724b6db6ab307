"""Accounts: users with hashed passwords and a role, and failed-login bookkeeping (SQLite)."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

from searchapp.database import SqliteTables

ROLES = ("archivist", "reader")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    role TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (name TEXT NOT NULL, ip TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures(at);
"""
MIN_PASSWORD = 10


class AccountError(ValueError):
    """A user that cannot be created as asked."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    @property
    def is_archivist(self) -> bool:
        return self.role == "archivist"


class Users(SqliteTables):
    SCHEMA = _SCHEMA

    def add(self, name: str, password: str, role: str) -> User:
        name = name.strip()
        if not name or len(name) > 64:
            raise AccountError("A user name has 1 to 64 characters")
        if role not in ROLES:
            raise AccountError(f"The role is one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"The password needs at least {MIN_PASSWORD} characters")
        conn = self._conn()
        try:
            with conn:
                cur = conn.execute("INSERT INTO users (name, password_hash, role, created) VALUES (?, ?, ?, ?)",
                                   (name, generate_password_hash(password), role, time.time()))
        except sqlite3.IntegrityError:
            raise AccountError(f"There is already a user '{name}'") from None
        return User(int(cur.lastrowid), name, role)

    def get(self, user_id: int) -> User | None:
        row = self._conn().execute("SELECT id, name, role FROM users WHERE id = ?", (user_id,)).fetchone()
        return User(*row) if row else None

    def verify(self, name: str, password: str) -> User | None:
        row = self._conn().execute("SELECT id, name, role, password_hash FROM users WHERE name = ?",
                                   (name,)).fetchone()
        if row is None:
            check_password_hash(generate_password_hash("x"), password)  # same time as a real check
            return None
        return User(row[0], row[1], row[2]) if check_password_hash(row[3], password) else None

    # Throttling ---------------------------------------------------------------------
    def record_failure(self, name: str, ip: str) -> None:
        conn = self._conn()
        with conn:
            conn.execute("INSERT INTO login_failures VALUES (?, ?, ?)", (name, ip, time.time()))
            conn.execute("DELETE FROM login_failures WHERE at < ?", (time.time() - 86400,))

    def failures(self, name: str, ip: str, window: float) -> int:
        """Failed logins in the last `window` seconds for this name or from this address."""
        row = self._conn().execute("SELECT count(*) FROM login_failures WHERE at > ? AND (name = ? OR ip = ?)",
                                   (time.time() - window, name, ip)).fetchone()
        return int(row[0])

    def clear_failures(self, name: str) -> None:
        conn = self._conn()
        with conn:
            conn.execute("DELETE FROM login_failures WHERE name = ?", (name,))
