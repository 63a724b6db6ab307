"""Small helpers shared by tests."""

from __future__ import annotations

import json
from pathlib import Path


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    """Write records (dicts as JSON, strings as raw lines) to a JSONL file."""
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")
    return path
