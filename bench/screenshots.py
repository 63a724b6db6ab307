"""Screenshots of the search page and an entity page at desktop and phone widths, in English and
Ukrainian (make screenshots).

    python bench/screenshots.py [--out screenshots]

Imports the bundled demo corpus into a temporary workdir, serves it with gunicorn and saves
PNGs taken by headless Chromium.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path

from bench_search import serving
from playwright.sync_api import sync_playwright

PAGES = {"search": "/search?q=Lukashenka", "entity": "/entity/person:alexander-lukashenko"}
WIDTHS = {"desktop": 1280, "phone": 390}
LOCALES = {"": "en-GB", "-uk": "uk-UA"}  # file name suffix: the browser's language


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="screenshots")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="searchapp-shots-"))
    env = {**os.environ, "SEARCHAPP_DB": str(work / "store.db"), "SEARCHAPP_INDEX_DIR": str(work / "index")}
    demo = str(resources.files("searchapp") / "demo")
    subprocess.run([sys.executable, "-m", "searchapp.cli", "import", "--quiet", demo], env=env, check=True)
    with serving(env, 1) as (base, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--headless", "--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        for name, path in PAGES.items():
            for device, width in WIDTHS.items():
                for suffix, locale in LOCALES.items():
                    page = browser.new_page(viewport={"width": width, "height": 900}, locale=locale)
                    page.goto(base + path)
                    target = out / f"{name}-{device}{suffix}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                    page.close()
        browser.close()


if __name__ == "__main__":
    main()
