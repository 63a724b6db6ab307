"""Fixtures: the demo corpus built once per session, the app, its client and a CLI runner."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from searchapp import create_app, settings
from searchapp.database import forget_database
from searchapp.docstore import DocStore
from searchapp.local_cluster import TempPostgres, postgres_available
from searchapp.names.registry import Registry
from searchapp.pipeline import import_paths

DEMO = Path(str(resources.files("searchapp") / "demo"))


@pytest.fixture(scope="session")
def demo_paths(tmp_path_factory, seeded_db) -> dict[str, str]:
    """Store and index holding the bundled demo corpus, facts extracted (read-only for tests)."""
    root = tmp_path_factory.mktemp("demo")
    paths = {"DB": str(root / "store.db"), "INDEX_DIR": str(root / "index")}
    shutil.copy(seeded_db, paths["DB"])
    registry = Registry(paths["DB"])
    summary = import_paths([str(DEMO)], DocStore(paths["DB"]), paths["INDEX_DIR"], registry=registry)
    registry.close()
    assert not summary.failed and summary.added >= 40
    return paths


@pytest.fixture(scope="session")
def app(demo_paths):
    app = create_app({**demo_paths, "TESTING": True, "RATE_ANON_PER_MIN": 10**9})  # tests are one busy client
    yield app
    app.extensions["searchapp"].close()


@pytest.fixture()
def make_app():
    """Build apps over other stores and indexes; closed after the test."""
    apps = []

    def make(paths: dict[str, str]):
        apps.append(create_app({**paths, "TESTING": True}))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["searchapp"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory) -> Path:
    """A database with the name registry seeded once, copied by `fresh` (seeding takes a second)."""
    path = tmp_path_factory.mktemp("seed") / "store.db"
    registry = Registry(str(path))
    registry.ensure_seeded()
    registry.close()
    return path


@pytest.fixture()
def engine(request) -> str:
    """The store's engine: SQLite, unless a module asks for both (`helpers.both_engines`)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture()
def fresh(tmp_path, seeded_db, engine, request) -> Iterator[dict[str, str]]:
    """An empty store and index of the test's own (with the seeded registry): a SQLite file, or
    for engine "postgresql" a database of the session's server (then `DATABASE_URL` is set)."""
    shutil.copy(seeded_db, tmp_path / "store.db")
    paths = {"DB": str(tmp_path / "store.db"), "INDEX_DIR": str(tmp_path / "index")}
    if engine == "postgresql":
        server, template = request.getfixturevalue("postgres"), request.getfixturevalue("postgres_seeded")
        paths["DATABASE_URL"] = server.create_database(f"test_{uuid.uuid4().hex[:12]}", template)
    yield paths
    forget_database(settings.store(paths))


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    """A throwaway PostgreSQL server for the session (skipped where PostgreSQL is not installed,
    unless SEARCHAPP_REQUIRE_POSTGRES is set, as CI does)."""
    if not postgres_available():
        if os.environ.get("SEARCHAPP_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required (SEARCHAPP_REQUIRE_POSTGRES) but not installed")
        pytest.skip("PostgreSQL is not installed")
    server = TempPostgres().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_seeded(postgres) -> str:
    """The name of a database with the name registry seeded, which tests' databases copy."""
    url = postgres.create_database("seeded")
    Registry(url).ensure_seeded()
    forget_database(url)  # a template must have no connections
    return "seeded"
