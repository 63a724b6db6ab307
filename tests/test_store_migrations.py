"""A database made before migrations existed opens with its data, brought up to the schema."""

import sqlite3
from contextlib import closing

from searchapp.docstore import DocStore
from searchapp.names.registry import Registry

# The first round's tables, as its code created them (a subset: what it lacked since).
OLD_SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, url TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '', lang TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
    people TEXT NOT NULL DEFAULT '[]', places TEXT NOT NULL DEFAULT '[]', fingerprint TEXT NOT NULL,
    original BLOB, original_name TEXT NOT NULL DEFAULT '', added TEXT NOT NULL, updated TEXT NOT NULL,
    indexed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE extracted_entities (id TEXT PRIMARY KEY, kind TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE registry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO documents (id, title, text, fingerprint, added, updated, indexed)
    VALUES ('old-1', 'Ferry', 'The ferry sailed at dawn.', 'x', '2024-01-02T00:00:00+00:00', '2024-01-02', 1);
INSERT INTO extracted_entities VALUES ('person:zoya-bilyk', 'person', 'Zoya Bilyk');
INSERT INTO extracted_entities VALUES ('person:adam-nowak', 'person', 'Adam Nowak');
"""


def test_a_database_from_before_migrations_keeps_its_documents_and_gains_the_new_columns(tmp_path):
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(OLD_SCHEMA)
    store = DocStore(str(path))
    doc = store.get("old-1")
    assert doc is not None and doc.title == "Ferry" and doc.raw_text == "" and store.corrections("old-1") == {}
    store.correct("old-1", {"title": "Night ferry"})  # the added columns take writes
    assert store.get("old-1").title == "Night ferry"
    newest, found = Registry(str(path)).extracted_since(0)
    assert [e.id for e in found] == ["person:zoya-bilyk", "person:adam-nowak"] and newest == 2  # order kept


def test_a_new_database_is_stamped_with_the_newest_revision(tmp_path):
    path = str(tmp_path / "new.db")
    DocStore(path).put_many([])
    with closing(sqlite3.connect(path)) as conn:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert revision == [("0001",)]
