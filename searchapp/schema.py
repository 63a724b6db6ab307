"""Every table of the application database, as SQLAlchemy Core tables (one schema for SQLite and
PostgreSQL). Changes to it go with an Alembic migration in `searchapp/migrations/versions/`."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
# A growing sequence number: BIGSERIAL on PostgreSQL, SQLite's rowid (INTEGER PRIMARY KEY) there.
Seq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _text(name: str, default: str | None = None, **kw) -> sa.Column:
    return sa.Column(name, sa.Text, nullable=False, **({"server_default": default} if default is not None else {}),
                     **kw)


# The documents: the source of truth, from which each node's index is derived -----------------
documents = sa.Table(
    "documents", metadata,
    _text("id", primary_key=True), _text("title"), _text("text"), _text("raw_text", ""), _text("url", ""),
    _text("source", ""), _text("lang", ""), _text("date", ""), _text("people", "[]"), _text("places", "[]"),
    _text("fingerprint"), _text("text_hash", ""), sa.Column("original", sa.LargeBinary), _text("original_name", ""),
    _text("added"), _text("updated"), sa.Column("indexed", sa.Integer, nullable=False, server_default="0"),
    _text("corrections", "{}"), sa.Column("simhash", sa.BigInteger, nullable=False, server_default="0"),
    sa.Index("documents_pending", "indexed", sqlite_where=sa.text("indexed = 0"),
             postgresql_where=sa.text("indexed = 0")),
    sa.Index("documents_text_hash", "text_hash"),
)
trash = sa.Table(
    "trash", metadata,
    _text("id", primary_key=True), _text("deleted_at"), _text("deleted_by"), _text("row"),
    sa.Column("original", sa.LargeBinary),
)
uploads = sa.Table(
    "uploads", metadata,
    sa.Column("seq", Seq, primary_key=True, autoincrement=True), _text("at"), _text("user"), _text("name"),
    _text("status"), _text("doc_id", ""), _text("reason", ""),
    sqlite_autoincrement=True,
)
# Every change to a document (added, replaced, corrected, renamed, deleted), in commit order: each
# node's follower applies them to its index from the last one it applied.
changes = sa.Table(
    "changes", metadata,
    sa.Column("seq", Seq, primary_key=True, autoincrement=True), _text("doc_id"), _text("at"),
    sqlite_autoincrement=True,
)

# Accounts ----------------------------------------------------------------------------------
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True), _text("name", unique=True),
    _text("password_hash"), _text("role"), sa.Column("created", sa.Float, nullable=False),
    sqlite_autoincrement=True,
)
login_failures = sa.Table(
    "login_failures", metadata,
    _text("name"), _text("ip"), sa.Column("at", sa.Float, nullable=False),
    sa.Index("login_failures_at", "at"),
)
tokens = sa.Table(
    "tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, nullable=False), _text("token_hash", unique=True),
    sa.Column("created", sa.Float, nullable=False), sa.Column("revoked", sa.Float),
    sqlite_autoincrement=True,
)
sessions = sa.Table(
    "sessions", metadata,
    _text("key_hash", primary_key=True), sa.Column("user_id", sa.Integer, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
)
instance = sa.Table(  # values every node shares, such as the generated key that signs sessions
    "instance", metadata, _text("key", primary_key=True), _text("value"),
)
rate_counts = sa.Table(
    "rate_counts", metadata,
    _text("key", primary_key=True), sa.Column("window", sa.Integer, primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

# Saved queries -----------------------------------------------------------------------------
saved_queries = sa.Table(
    "saved_queries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True), sa.Column("user_id", sa.Integer, nullable=False),
    _text("name"), _text("params"), _text("feed_token"), _text("created"), _text("updated"),
    sqlite_autoincrement=True,
)
saved_matches = sa.Table(
    "saved_matches", metadata,
    sa.Column("seq", Seq, primary_key=True, autoincrement=True), sa.Column("query_id", sa.Integer, nullable=False),
    _text("doc_id"), _text("matched_at"), sa.UniqueConstraint("query_id", "doc_id"),
    sqlite_autoincrement=True,
)
saved_cursors = sa.Table(
    "saved_cursors", metadata,
    sa.Column("query_id", sa.Integer, primary_key=True), sa.Column("token_id", sa.Integer, primary_key=True),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
)

# The name registry ---------------------------------------------------------------------------
entities = sa.Table(
    "entities", metadata,
    _text("id", primary_key=True), _text("kind"), _text("label_en"), _text("label_uk"), _text("label_ru"),
    sa.Column("population", sa.BigInteger, nullable=False, server_default="0"), _text("origin", "seed"),
    _text("city", ""),
)
spellings = sa.Table(
    "spellings", metadata,
    _text("entity_id", primary_key=True), _text("text", primary_key=True), _text("system"),
)
registry_edits = sa.Table(
    "registry_edits", metadata,
    sa.Column("seq", Seq, primary_key=True, autoincrement=True), _text("action"), _text("entity_id"),
    _text("other", ""), _text("text", ""),
    sa.Column("at", sa.Text, nullable=False, server_default=sa.text("CURRENT_TIMESTAMP")),
    sqlite_autoincrement=True,
)
registry_meta = sa.Table(
    "registry_meta", metadata, _text("key", primary_key=True), _text("value"),
)
extracted_entities = sa.Table(  # people found in documents, in the order found
    "extracted_entities", metadata,
    sa.Column("seq", Seq, primary_key=True, autoincrement=True), _text("id", unique=True), _text("kind"),
    _text("label"),
    sqlite_autoincrement=True,
)
spelling_analysis = sa.Table(
    "spelling_analysis", metadata, _text("text", primary_key=True), _text("exact"), _text("keys"),
)
