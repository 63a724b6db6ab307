"""searchapp: a search engine for news about Russia, Ukraine and Belarus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from searchapp import settings
from searchapp.web import api, errors, reader, respond
from searchapp.web.services import Services

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """The application: settings from the environment (then `overrides`), blueprints, services."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    config = settings.load(overrides)
    app.config.update(config)
    app.config["SECRET_KEY"] = config["SECRET_KEY"] or None
    app.extensions["searchapp"] = Services.from_config(config)
    respond.init_app(app)
    errors.init_app(app)
    app.register_blueprint(reader.bp)
    app.register_blueprint(api.bp)
    return app
