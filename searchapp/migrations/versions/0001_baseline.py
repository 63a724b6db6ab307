"""The schema as Alembic found it: every table, created where missing; a SQLite database made
before migrations existed gets the columns and sequence numbers added since.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from searchapp.schema import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Columns that SQLite databases made by earlier versions may lack: table -> [(name, DDL type and default)]
_ADDED_COLUMNS = {
    "documents": [("raw_text", "TEXT NOT NULL DEFAULT ''"), ("text_hash", "TEXT NOT NULL DEFAULT ''"),
                  ("corrections", "TEXT NOT NULL DEFAULT '{}'"), ("simhash", "INTEGER NOT NULL DEFAULT 0")],
    "entities": [("origin", "TEXT NOT NULL DEFAULT 'seed'"), ("city", "TEXT NOT NULL DEFAULT ''")],
}


def upgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table, columns in _ADDED_COLUMNS.items():
        if table not in existing:
            continue
        present = {c["name"] for c in sa.inspect(bind).get_columns(table)}
        for name, ddl in columns:
            if name not in present:
                op.execute(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}")
                if table == "entities":
                    op.execute("DELETE FROM registry_meta WHERE key = 'seed'")  # re-seed, with the new facts
    if "extracted_entities" in existing and "seq" not in {
            c["name"] for c in sa.inspect(bind).get_columns("extracted_entities")}:
        op.rename_table("extracted_entities", "extracted_entities_old")  # found people get sequence numbers
        metadata.tables["extracted_entities"].create(bind)
        op.execute("INSERT INTO extracted_entities (id, kind, label) "
                   "SELECT id, kind, label FROM extracted_entities_old ORDER BY rowid")
        op.drop_table("extracted_entities_old")
    metadata.create_all(bind, checkfirst=True)  # the schema as of this revision; later ones alter it


def downgrade() -> None:
    metadata.drop_all(op.get_bind())
