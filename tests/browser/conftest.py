"""Real-browser fixtures: the app under gunicorn on a free port, and Debian's headless Chromium."""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page

from searchapp.gunicorn_conf import READY

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


def serve(paths: dict[str, str], workers: int = 2, ready_within: float = 600.0):
    """Run gunicorn on a free port over `paths`; yields its base URL once every worker has said
    it is ready (warm-up takes long on a busy machine), then stops it and waits for it to end."""
    port = _free_port()
    env = {**os.environ, "SEARCHAPP_DB": paths["DB"], "SEARCHAPP_INDEX_DIR": paths["INDEX_DIR"]}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:searchapp.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "searchapp:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace",
    )
    lines: queue.Queue[str | None] = queue.Queue()
    log: list[str] = []

    def read_log() -> None:  # drained all along, so that gunicorn never blocks on a full pipe
        for line in proc.stderr:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read_log, daemon=True)
    reader.start()
    try:
        ready, deadline = 0, time.monotonic() + ready_within
        while ready < workers:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                line = None
            if line is None:  # gunicorn ended, or the deadline passed
                raise RuntimeError("gunicorn did not get ready:\n" + "".join(log))
            log.append(line)
            ready += READY in line
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=10)
        proc.stderr.close()


@contextmanager
def page_in(browser, locale: str) -> Iterator[Page]:
    """A page in a fresh browser context whose language (Accept-Language) is `locale`."""
    context = browser.new_context(locale=locale)
    try:
        yield context.new_page()
    finally:
        context.close()
