"""Accounts: users with hashed passwords and a role, and failed-login bookkeeping (SQLite)."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

from searchapp.database import SqliteTables

ROLES = ("archivist", "reader")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
    role TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (name TEXT NOT NULL, ip TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures(at);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT, user_id INTEGER NOT NULL, token_hash TEXT NOT NULL UNIQUE,
    created REAL NOT NULL, revoked REAL);
CREATE TABLE IF NOT EXISTS sessions (key_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL, created REAL NOT NULL);
"""
MAX_FAILURES_PER_NAME = 5  # failed logins for one name from one address, per window
MAX_FAILURES_PER_ADDRESS = 50  # from one address whatever the names (an office shares one)
TOKEN_PREFIX = "sa_"
MIN_PASSWORD = 10


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(8))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
            check_password_hash(_dummy_hash(), password)  # one check, as for a real name: no timing leak
            return None
        return User(row[0], row[1], row[2]) if check_password_hash(row[3], password) else None

    # Sessions: a cookie names one, which logging out ends on the server ------------------------
    def start_session(self, user_id: int) -> str:
        """A new session key for the user's cookie (only its hash is stored)."""
        key = secrets.token_urlsafe(24)
        conn = self._conn()
        with conn:
            conn.execute("INSERT INTO sessions VALUES (?, ?, ?)", (_token_hash(key), user_id, time.time()))
        return key

    def session_user(self, key: str) -> User | None:
        row = self._conn().execute("SELECT u.id, u.name, u.role FROM sessions s JOIN users u ON u.id = s.user_id "
                                   "WHERE s.key_hash = ?", (_token_hash(key),)).fetchone()
        return User(*row) if row else None

    def end_session(self, key: str) -> None:
        conn = self._conn()
        with conn:
            conn.execute("DELETE FROM sessions WHERE key_hash = ?", (_token_hash(key),))

    def get_by_name(self, name: str) -> User | None:
        row = self._conn().execute("SELECT id, name, role FROM users WHERE name = ?", (name,)).fetchone()
        return User(*row) if row else None

    # API tokens: only their hash is stored ------------------------------------------------
    def create_token(self, name: str) -> tuple[int, str]:
        """A new token for user `name`: (token id, the token, shown only this once)."""
        user = self.get_by_name(name)
        if user is None:
            raise AccountError(f"There is no user '{name}'")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        conn = self._conn()
        with conn:
            cur = conn.execute("INSERT INTO tokens (user_id, token_hash, created) VALUES (?, ?, ?)",
                               (user.id, _token_hash(token), time.time()))
        return int(cur.lastrowid), token

    def user_for_token(self, token: str) -> User | None:
        row = self._conn().execute(
            "SELECT u.id, u.name, u.role FROM tokens t JOIN users u ON u.id = t.user_id "
            "WHERE t.token_hash = ? AND t.revoked IS NULL", (_token_hash(token),)).fetchone()
        return User(*row) if row else None

    def token_id(self, token: str) -> int | None:
        row = self._conn().execute("SELECT id FROM tokens WHERE token_hash = ?", (_token_hash(token),)).fetchone()
        return int(row[0]) if row else None

    def revoke_token(self, token_or_id: str) -> bool:
        """Revoke a token given itself or its id; False if there is no such live token."""
        conn = self._conn()
        with conn:
            cur = conn.execute("UPDATE tokens SET revoked = ? WHERE revoked IS NULL AND (token_hash = ? OR id = ?)",
                               (time.time(), _token_hash(token_or_id),
                                int(token_or_id) if token_or_id.isdigit() else -1))
        return cur.rowcount > 0

    # Throttling ---------------------------------------------------------------------
    def record_failure(self, name: str, ip: str) -> None:
        conn = self._conn()
        with conn:
            conn.execute("INSERT INTO login_failures VALUES (?, ?, ?)", (name, ip, time.time()))
            conn.execute("DELETE FROM login_failures WHERE at < ?", (time.time() - 86400,))

    def too_many_failures(self, name: str, ip: str, window: float) -> bool:
        """Whether logins for this name from this address, or from this address at all, failed too
        often in the last `window` seconds (a burst against one name locks out no one else)."""
        since = time.time() - window
        conn = self._conn()
        for_name = conn.execute("SELECT count(*) FROM login_failures WHERE at > ? AND name = ? AND ip = ?",
                                (since, name, ip)).fetchone()[0]
        from_ip = conn.execute("SELECT count(*) FROM login_failures WHERE at > ? AND ip = ?", (since, ip)).fetchone()[0]
        return for_name >= MAX_FAILURES_PER_NAME or from_ip >= MAX_FAILURES_PER_ADDRESS

    def clear_failures(self, name: str) -> None:
        conn = self._conn()
        with conn:
            conn.execute("DELETE FROM login_failures WHERE name = ?", (name,))
