"""Small helpers shared by tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from searchapp import settings


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    """Write records (dicts as JSON, strings as raw lines) to a JSONL file."""
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")
    return path


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with the given lines of (ASCII) text, built by hand."""
    text = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PASSWORD = "correct horse battery"


def add_accounts(db: str) -> None:
    """An archivist 'ada' and a reader 'rita', both with PASSWORD."""
    from searchapp.accounts import Users

    users = Users(db)
    users.add("ada", PASSWORD, "archivist")
    users.add("rita", PASSWORD, "reader")
    users.close()


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form on `path`."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


# The stores' tests run on both engines: `pytestmark = both_engines` in a module makes its `fresh`
# store a SQLite file, then a PostgreSQL database (see conftest's `engine` and `fresh`).
both_engines = pytest.mark.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


def store_of(paths: dict[str, str]) -> str:
    """The store a test's settings name: its PostgreSQL URL if it has one, else its SQLite file."""
    return settings.store(paths)


def store_env(paths: dict[str, str]) -> dict[str, str]:
    """The environment that points the command line at a test's store."""
    return {"SEARCHAPP_DB": paths["DB"], "SEARCHAPP_DATABASE_URL": paths.get("DATABASE_URL", "")}
