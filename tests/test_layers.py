"""Imports point one way, and frameworks stay in their place.

    base (model, messages, settings, schema, database and its migrations)
      <- text (tokens, folding, stems, morphology, name keys)
      <- names, ingest, extract, and the stores (docstore, accounts)
      <- indexing
      <- search
      <- services (pipeline, uploads, saved queries, the archive: the one write path, a node's follower)
      <- web, the command line, the app factory, gunicorn's settings and the local cluster

Flask lives only in web/ and the factory; Whoosh only in indexing/ and search/ (and the stop
word lists text/stopwords takes from it).
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "searchapp"
LAYERS = [
    {"model", "messages", "settings", "schema", "database", "migrations"},
    {"text"},
    {"names", "ingest", "extract", "docstore", "accounts"},
    {"indexing"},
    {"search"},
    {"pipeline", "uploads", "saved", "archive", "follower"},
    {"web", "cli", "__init__", "gunicorn_conf", "local_cluster"},
]
FLASK = ("flask", "flask_login", "flask_wtf", "flask_babel")
WHOOSH_HOMES = {"indexing", "search"}
WHOOSH_DATA = {"text/stopwords.py"}  # its stop word lists, as data


def unit(path: Path) -> str:
    """The layer unit of a module: its package under searchapp, or the module's own name."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def layer(name: str) -> int:
    return next(i for i, units in enumerate(LAYERS) if name in units)


def imports(path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the file, inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "translations" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_only(path):
    here = unit(path)
    for module, line in imports(path):
        if module == "searchapp" or not module.startswith("searchapp."):
            continue
        there = module.split(".")[1]
        assert layer(there) <= layer(here), f"{path.name}:{line} imports {module}: a layer above {here}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_frameworks_stay_in_their_place(path):
    here, relative = unit(path), str(path.relative_to(PACKAGE))
    for module, line in imports(path):
        top = module.split(".")[0]
        if top in FLASK:
            assert here in ("web", "__init__"), f"{relative}:{line} imports {module}: Flask only in web/"
        if top == "whoosh":
            assert here in WHOOSH_HOMES or relative in WHOOSH_DATA, f"{relative}:{line} imports {module}"


def test_every_module_has_a_layer():
    assert {unit(p) for p in MODULES} <= set().union(*LAYERS)
