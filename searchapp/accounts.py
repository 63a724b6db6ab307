"""Accounts: users with hashed passwords and a role, sessions, API tokens and failed-login bookkeeping."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from searchapp.database import StoreTables
from searchapp.schema import instance, login_failures, sessions, tokens, users

ROLES = ("archivist", "reader")
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


def _user(row: sa.Row | None) -> User | None:
    return User(row.id, row.name, row.role) if row is not None else None


_USER = (users.c.id, users.c.name, users.c.role)


class Users(StoreTables):
    def add(self, name: str, password: str, role: str) -> User:
        name = name.strip()
        if not name or len(name) > 64:
            raise AccountError("A user name has 1 to 64 characters")
        if role not in ROLES:
            raise AccountError(f"The role is one of {', '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"The password needs at least {MIN_PASSWORD} characters")
        try:
            with self.db.write() as conn:
                user_id = conn.execute(users.insert().values(
                    name=name, password_hash=generate_password_hash(password), role=role, created=time.time())
                    .returning(users.c.id)).scalar_one()
        except sa.exc.IntegrityError:
            raise AccountError(f"There is already a user '{name}'") from None
        return User(int(user_id), name, role)

    def _one(self, query: sa.Select) -> sa.Row | None:
        with self.db.read() as conn:
            return conn.execute(query).first()

    def get(self, user_id: int) -> User | None:
        return _user(self._one(sa.select(*_USER).where(users.c.id == user_id)))

    def verify(self, name: str, password: str) -> User | None:
        row = self._one(sa.select(*_USER, users.c.password_hash).where(users.c.name == name))
        if row is None:
            check_password_hash(_dummy_hash(), password)  # one check, as for a real name: no timing leak
            return None
        return _user(row) if check_password_hash(row.password_hash, password) else None

    def instance_secret(self) -> str:
        """A random key made once and shared by every process using this database."""
        with self.db.write() as conn:
            conn.execute(self.db.upsert(instance, ["key"], {"key": "secret_key", "value": secrets.token_hex(32)},
                                        update=False))
            return conn.execute(sa.select(instance.c.value).where(instance.c.key == "secret_key")).scalar_one()

    # Sessions: a cookie names one, which logging out ends on the server ------------------------
    def start_session(self, user_id: int) -> str:
        """A new session key for the user's cookie (only its hash is stored)."""
        key = secrets.token_urlsafe(24)
        with self.db.write() as conn:
            conn.execute(sessions.insert().values(key_hash=_token_hash(key), user_id=user_id, created=time.time()))
        return key

    def session_user(self, key: str) -> User | None:
        return _user(self._one(sa.select(*_USER).join_from(sessions, users, users.c.id == sessions.c.user_id)
                               .where(sessions.c.key_hash == _token_hash(key))))

    def end_session(self, key: str) -> None:
        with self.db.write() as conn:
            conn.execute(sessions.delete().where(sessions.c.key_hash == _token_hash(key)))

    def get_by_name(self, name: str) -> User | None:
        return _user(self._one(sa.select(*_USER).where(users.c.name == name)))

    # API tokens: only their hash is stored ------------------------------------------------
    def create_token(self, name: str) -> tuple[int, str]:
        """A new token for user `name`: (token id, the token, shown only this once)."""
        user = self.get_by_name(name)
        if user is None:
            raise AccountError(f"There is no user '{name}'")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.db.write() as conn:
            token_id = conn.execute(tokens.insert().values(user_id=user.id, token_hash=_token_hash(token),
                                                           created=time.time()).returning(tokens.c.id)).scalar_one()
        return int(token_id), token

    def user_for_token(self, token: str) -> User | None:
        return _user(self._one(sa.select(*_USER).join_from(tokens, users, users.c.id == tokens.c.user_id)
                               .where(tokens.c.token_hash == _token_hash(token), tokens.c.revoked.is_(None))))

    def token_id(self, token: str) -> int | None:
        row = self._one(sa.select(tokens.c.id).where(tokens.c.token_hash == _token_hash(token)))
        return int(row.id) if row else None

    def revoke_token(self, token_or_id: str) -> bool:
        """Revoke a token given itself or its id; False if there is no such live token."""
        token_id = int(token_or_id) if token_or_id.isdigit() and len(token_or_id) < 10 else -1
        with self.db.write() as conn:
            done = conn.execute(tokens.update().where(
                tokens.c.revoked.is_(None),
                sa.or_(tokens.c.token_hash == _token_hash(token_or_id), tokens.c.id == token_id))
                .values(revoked=time.time())).rowcount
        return done > 0

    # Throttling ---------------------------------------------------------------------
    def record_failure(self, name: str, ip: str) -> None:
        with self.db.write() as conn:
            conn.execute(login_failures.insert().values(name=name, ip=ip, at=time.time()))
            conn.execute(login_failures.delete().where(login_failures.c.at < time.time() - 86400))

    def too_many_failures(self, name: str, ip: str, window: float) -> bool:
        """Whether logins for this name from this address, or from this address at all, failed too
        often in the last `window` seconds (a burst against one name locks out no one else)."""
        recent = sa.and_(login_failures.c.at > time.time() - window, login_failures.c.ip == ip)
        count = sa.func.count()
        with self.db.read() as conn:
            for_name, from_ip = conn.execute(sa.select(count.filter(login_failures.c.name == name), count)
                                             .where(recent)).one()
        return for_name >= MAX_FAILURES_PER_NAME or from_ip >= MAX_FAILURES_PER_ADDRESS

    def clear_failures(self, name: str) -> None:
        with self.db.write() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.name == name))
