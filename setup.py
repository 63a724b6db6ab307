"""Build step: compile the interface's message catalogs (.po -> .mo) into the package.

The metadata lives in setup.cfg. The compiled catalogs are not in git (*.mo is ignored), so every
build compiles them, as `pybabel compile` does for `make install`: a wheel, `pip install .` and
`pip install -e .` all carry them, and the app speaks Ukrainian and Russian however it was installed.
A built package carries the pages' templates and static files too (they live at the top level).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

HERE = Path(__file__).resolve().parent
CATALOGS = "searchapp/translations/*/LC_MESSAGES/messages.po"


def compile_catalog(po: Path, mo: Path) -> None:
    """Compile `po` into `mo` like `pybabel compile` (fuzzy entries left out); a broken catalog fails the build."""
    from babel.messages.mofile import write_mo  # a build requirement (pyproject.toml)
    from babel.messages.pofile import read_po

    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name)
    if catalog.fuzzy:
        raise SetupError(f"{po}: the catalog is marked fuzzy; review it and remove the fuzzy flag")
    errors = [f"{po}:{message.lineno}: {error}" for message, errs in catalog.check() for error in errs]
    if errors:
        raise SetupError("broken translations:\n" + "\n".join(errors))
    mo.parent.mkdir(parents=True, exist_ok=True)
    with open(mo, "wb") as fh:
        write_mo(fh, catalog, use_fuzzy=False)


class BuildPyWithCatalogs(build_py):
    """build_py, then the .mo of every catalog beside its .po in the build (in the source tree when
    editable); a built package also gets the top-level templates/ and static/ as searchapp/site/."""

    def run(self) -> None:
        super().run()
        editable = getattr(self, "editable_mode", False)
        target = HERE if editable else Path(self.build_lib)
        if not editable:
            for folder in ("templates", "static"):
                shutil.copytree(HERE / folder, target / "searchapp" / "site" / folder, dirs_exist_ok=True)
        for po in sorted(HERE.glob(CATALOGS)):
            mo = target / po.relative_to(HERE).with_suffix(".mo")
            self.announce(f"compiling {po.relative_to(HERE)} -> {mo}", level=2)
            compile_catalog(po, mo)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
