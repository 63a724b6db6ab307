"""One writer at a time across processes, and nobody starved: an upload made while a bulk import
holds the index writer is added and searchable within seconds, long before the import ends, and
the import still indexes every one of its documents."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from helpers import PASSWORD, add_accounts, csrf_token
from test_crash_safety import corpus, indexed_ids

from searchapp.docstore import DocStore
from searchapp.indexing.writer import WANTED, Indexer, open_index

N_IMPORTED = 20000  # enough that the import is still running when the upload comes, on a fast machine too
MEMO = b"Zugzwang note\nA zugzwangish memo about Kharkiv, written while the import runs."


def test_an_upload_during_a_long_import_goes_first_and_nothing_is_lost(fresh, make_app, tmp_path):
    data = corpus(tmp_path / "big.jsonl.gz", N_IMPORTED)
    env = {**os.environ, "SEARCHAPP_DB": fresh["DB"], "SEARCHAPP_INDEX_DIR": fresh["INDEX_DIR"],
           "SEARCHAPP_IMPORT_COMMIT_EVERY": "100000"}  # left alone, the import would hold the lock to the end
    add_accounts(fresh["DB"])
    app = make_app(fresh)
    client = app.test_client()
    client.post("/login", data={"username": "ada", "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    client.get("/api/search?q=Kharkiv")  # the app loads its name lookup now, not while the import runs
    store = DocStore(fresh["DB"])
    importer = subprocess.Popen([sys.executable, "-m", "searchapp.cli", "import", "--quiet", str(data)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while store.count() < 4000 and time.monotonic() < deadline:  # a second batch stored: the first is
            time.sleep(0.05)                                           # in the import's open writer
        assert importer.poll() is None and store.count_pending() > 0
        started = time.monotonic()
        r = client.post("/upload", data={"csrf_token": csrf_token(client, "/upload"),
                                         "file": [(io.BytesIO(MEMO), "memo.txt")]},
                        content_type="multipart/form-data")
        waited = time.monotonic() - started
        assert r.status_code == 200 and "added" in r.get_data(as_text=True)
        assert client.get("/api/search?q=zugzwangish").get_json()["total"] == 1
        assert waited < 30
    finally:
        _, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert store.count() == N_IMPORTED + 1 and store.count_pending() == 0
    order = indexed_ids(fresh["INDEX_DIR"], in_order=True)  # by position in the index: commit order
    assert len(order) == N_IMPORTED + 1
    memo = next(i for i, doc_id in enumerate(order) if not doc_id.startswith("c"))
    assert len(order) - memo > 1000, "the upload waited for the whole import"


def test_the_marker_of_a_writer_that_died_waiting_is_not_waited_for(fresh):
    ix = open_index(fresh["INDEX_DIR"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    marker = Path(fresh["INDEX_DIR"]) / f"{WANTED}{dead.stdout.strip()}.0123"  # its process has ended
    marker.touch()
    live = Path(fresh["INDEX_DIR"]) / f"{WANTED}{os.getpid()}.4567"
    live.touch()
    with Indexer(ix) as indexer:
        assert indexer.others_waiting()  # this process is alive: its marker counts
        live.unlink()
        assert not indexer.others_waiting() and not marker.exists()
