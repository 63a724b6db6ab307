"""searchapp: a search engine for news about Russia, Ukraine and Belarus."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from searchapp import settings
from searchapp.accounts import Users
from searchapp.database import is_url
from searchapp.follower import follow_in_background
from searchapp.web import (
    api,
    archive,
    auth,
    batch,
    entities,
    errors,
    i18n,
    limits,
    openapi,
    reader,
    respond,
    saved_api,
)
from searchapp.web.services import Services

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent
# templates/ and static/: beside the package in a checkout, inside it (site/) when installed from a wheel
SITE = next((p for p in (ROOT, Path(__file__).resolve().parent / "site") if (p / "templates").is_dir()), ROOT)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """The application: settings from the environment (then `overrides`), blueprints, services."""
    app = Flask(__name__, template_folder=str(SITE / "templates"), static_folder=str(SITE / "static"))
    config = settings.load(overrides)
    production = config["ENV"] == "production"
    if production and not config["SECRET_KEY"]:
        raise RuntimeError("SEARCHAPP_SECRET_KEY must be set when SEARCHAPP_ENV=production")
    app.config.update(config)
    app.config["SESSION_COOKIE_SECURE"] = production
    app.config["REMEMBER_COOKIE_SECURE"] = production
    app.config["SECRET_KEY"] = config["SECRET_KEY"] or _instance_secret(settings.store(config))
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session
    app.config["MAX_CONTENT_LENGTH"] = config["MAX_UPLOAD_MB"] * 1024 * 1024
    app.extensions["searchapp"] = Services.from_config(config)
    respond.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    app.register_blueprint(reader.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(archive.bp)
    app.register_blueprint(saved_api.bp)
    app.register_blueprint(batch.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(entities.bp)
    limits.init_app(app)
    if config["DATABASE_URL"] and not config.get("TESTING"):  # a node of several: follow the shared store
        app.extensions["searchapp"].stop_following = follow_in_background(config["DATABASE_URL"], config["INDEX_DIR"])
    return app


def _instance_secret(location: str) -> str:
    """A random key kept beside the SQLite file, or in the shared database, so that every worker
    (and every node) signs sessions alike."""
    if is_url(location):
        return Users(location).instance_secret()
    path = Path(location).with_name(Path(location).name + ".secret")
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()
