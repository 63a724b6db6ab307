"""Fixtures: the demo corpus built once per session, the app, its client and a CLI runner."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from searchapp import create_app
from searchapp.docstore import DocStore
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
def fresh(tmp_path, seeded_db) -> dict[str, str]:
    """An empty store and index of the test's own (with the seeded registry)."""
    shutil.copy(seeded_db, tmp_path / "store.db")
    return {"DB": str(tmp_path / "store.db"), "INDEX_DIR": str(tmp_path / "index")}
