"""A built wheel (what `pip install .` installs) carries the compiled message catalogs.

The .mo files are not in git, so the build compiles them (setup.py); without them an app installed
with pip would serve English whatever the reader asks for.
"""

from __future__ import annotations

import gettext
import io
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("uk", "ru")
# What a build reads: a clean clone's files, without compiled catalogs or caches.
BUILD_INPUTS = ("pyproject.toml", "setup.cfg", "setup.py", "README.md", "MANIFEST.in")


def _build_requirements_installed() -> bool:
    """Whether this interpreter has pyproject's build requirements (else pip builds in isolation)."""
    with open(ROOT / "pyproject.toml", "rb") as fh:
        requires = tomllib.load(fh)["build-system"]["requires"]
    for line in requires:
        requirement = Requirement(line)
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            return False
        if not requirement.specifier.contains(version, prereleases=True):
            return False
    return True


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """A wheel built from a copy of the sources that has no .mo files."""
    root = tmp_path_factory.mktemp("packaging")
    source, out = root / "src", root / "dist"
    source.mkdir()
    for name in BUILD_INPUTS:
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "searchapp", source / "searchapp",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    for folder in ("templates", "static"):
        shutil.copytree(ROOT / folder, source / folder)
    assert not list(source.rglob("*.mo"))
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), "."]
    if _build_requirements_installed():
        command.insert(-1, "--no-build-isolation")
    done = subprocess.run(command, cwd=source, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    [built] = out.glob("searchapp-*.whl")
    with zipfile.ZipFile(built) as zf:
        yield zf


@pytest.mark.parametrize("locale", LOCALES)
def test_the_wheel_carries_compiled_catalogs_that_translate(wheel, locale):
    name = f"searchapp/translations/{locale}/LC_MESSAGES/messages.mo"
    assert name in wheel.namelist(), f"{name} is not in the wheel: pip-installed apps would speak only English"
    compiled = Translations(fp=io.BytesIO(wheel.read(name)))
    with open(ROOT / "searchapp" / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh, locale=locale)
    plural = gettext.c2py(catalog.plural_expr)
    assert catalog["Search"].string and compiled.gettext("Search") == catalog["Search"].string != "Search"
    for message in catalog:
        if message.id and isinstance(message.id, str) and not message.fuzzy:
            assert compiled.gettext(message.id) == message.string, f"{locale}: {message.id!r}"
        elif message.id and not message.fuzzy:  # plural forms
            for n, form in enumerate(message.string):
                count = next(c for c in range(1, 100) if plural(c) == n)
                assert compiled.ngettext(*message.id, count) == form, f"{locale}: {message.id!r}, form {n}"


def test_the_wheel_carries_the_pages_templates_and_static_files(wheel):
    names = set(wheel.namelist())
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                assert f"searchapp/site/{path.relative_to(ROOT)}" in names, f"{path.name} is not in the wheel"
