"""Settings are data: name, default and help. Each comes from SEARCHAPP_<NAME> or overrides."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NamedTuple


class Setting(NamedTuple):
    name: str
    default: Any
    help: str


SETTINGS = [
    Setting("INDEX_DIR", "index", "Directory of the Whoosh index (rebuilt from the store at will)."),
    Setting("DB", "searchapp.db", "SQLite file holding the documents (the source of truth)."),
    Setting("DATABASE_URL", "", "PostgreSQL store shared by several nodes (postgresql://user:pass@host:port/db); "
            "when set, DB is ignored."),
    Setting("ENV", "development", "'production' requires SECRET_KEY and sends cookies only over HTTPS."),
    Setting("SECRET_KEY", "", "Key that signs sessions (required in production; else kept beside the DB, "
            "or in the shared database)."),
    Setting("PUBLIC_URL", "http://127.0.0.1:8000", "Base of absolute links (feeds), never the request's Host."),
    Setting("QUERY_TIME_LIMIT_MS", 3000, "Time after which phrase checks stop and results are marked partial."),
    Setting("PER_PAGE", 10, "Results per page."),
    Setting("MAX_RESULT_WINDOW", 1000, "Deepest result (page x per_page) a search may ask for."),
    Setting("MAX_QUERY_LENGTH", 1000, "Longest query string accepted, in characters."),
    Setting("PASSAGES_PER_HIT", 3, "Highlighted passages shown per result."),
    Setting("MAX_UPLOAD_MB", 100, "Largest upload request, in megabytes (413 beyond)."),
    Setting("MAX_FILE_MB", 20, "Largest single uploaded file, in megabytes."),
    Setting("TRASH_DAYS", 30, "Days a deleted document's original is kept in the trash."),
    Setting("RATE_ANON_PER_MIN", 120, "Anonymous /api/search requests per minute and address (429 beyond)."),
    Setting("RATE_TOKEN_PER_MIN", 1200, "API requests per minute and token (429 beyond)."),
    Setting("IMPORT_COMMIT_EVERY", 40000, "Documents per index commit during an import or reindex."),
]


def _convert(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(value)
    return value


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Defaults, then SEARCHAPP_* environment variables, then explicit overrides."""
    environ = os.environ if environ is None else environ
    config = {}
    for s in SETTINGS:
        raw = environ.get(f"SEARCHAPP_{s.name}")
        config[s.name] = s.default if raw is None else _convert(raw, s.default)
    config.update(overrides or {})
    return config


def store(config: Mapping[str, Any]) -> str:
    """Where the application database is: the PostgreSQL URL if there is one, else the SQLite file."""
    return config.get("DATABASE_URL") or config["DB"]
