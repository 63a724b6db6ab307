"""Real-browser fixtures: the app under gunicorn on a free port, and Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    """Mark the tests of this folder (the hook sees every collected test, not only these)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SEARCHAPP_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required for browser tests but {CHROMIUM} is missing")
        pytest.skip("Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(demo_paths):
    """gunicorn with two workers serving the demo corpus; yields its base URL."""
    yield from serve(demo_paths)


def serve(paths: dict[str, str]):
    """Run gunicorn (two workers) on a free port over `paths`; yields its base URL, then stops it."""
    port = _free_port()
    env = {**os.environ, "SEARCHAPP_DB": paths["DB"], "SEARCHAPP_INDEX_DIR": paths["INDEX_DIR"]}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:searchapp.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "searchapp:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("gunicorn did not start: " + proc.stderr.read().decode(errors="replace")) from None
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    proc.stderr.close()


@contextmanager
def page_in(browser, locale: str) -> Iterator[Page]:
    """A page in a fresh browser context whose language (Accept-Language) is `locale`."""
    context = browser.new_context(locale=locale)
    try:
        yield context.new_page()
    finally:
        context.close()
