"""Crash safety: a killed import leaves an index that opens; a damaged index is rebuilt at start-up."""

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from searchapp.docstore import DocStore
from searchapp.indexing.searchers import IndexHandle
from searchapp.pipeline import ensure_index, import_paths
from searchapp.search.engine import search
from searchapp.search.params import SearchParams


def corpus(path: Path, n: int) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"c{i}", "title": f"Report {i} from Kharkiv",
                                 "text": f"Item number {i}. Shelling in Kharkiv district {i % 17} was reported.",
                                 "lang": "en", "date": "2023-01-01"}) + "\n")
    return path


def indexed_ids(index_dir, in_order: bool = False) -> set[str] | list[str]:
    """The ids of the documents in the index (`in_order`: as a list in index order)."""
    handle = IndexHandle(index_dir)
    try:
        with handle.snapshot() as snap:
            ids = [snap.searcher.stored_fields(int(d))["doc_id"] for d in snap.columns.live.nonzero()[0]]
    finally:
        handle.close()
    return ids if in_order else set(ids)


def test_kill_9_during_import_loses_nothing_reported_and_resume_completes(fresh, tmp_path):
    data = corpus(tmp_path / "c.jsonl.gz", 6000)
    env = {**os.environ, "SEARCHAPP_DB": fresh["DB"], "SEARCHAPP_INDEX_DIR": fresh["INDEX_DIR"],
           "SEARCHAPP_IMPORT_COMMIT_EVERY": "1000"}
    proc = subprocess.Popen([sys.executable, "-m", "searchapp.cli", "import", "--quiet", str(data)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = DocStore(fresh["DB"])
    deadline = time.monotonic() + 120
    while store.count() - store.count_pending() < 2000 and time.monotonic() < deadline:  # two commits in
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    committed = {d.id for d in store.iter_documents()} - {d.id for d in store.iter_documents(pending_only=True)}
    assert len(committed) >= 2000
    assert committed <= indexed_ids(fresh["INDEX_DIR"])  # the index opens and has every reported document
    resumed = subprocess.run([sys.executable, "-m", "searchapp.cli", "import", "--quiet", str(data)], env=env,
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert len(indexed_ids(fresh["INDEX_DIR"])) == 6000 and store.count() == 6000 and store.count_pending() == 0


def test_a_damaged_index_is_rebuilt_from_the_store(fresh, tmp_path):
    store = DocStore(fresh["DB"])
    import_paths([str(corpus(tmp_path / "c.jsonl.gz", 50))], store, fresh["INDEX_DIR"])
    for f in Path(fresh["INDEX_DIR"]).glob("*.trm"):
        f.unlink()  # lose the term dictionaries
    assert ensure_index(store, fresh["INDEX_DIR"]) == "rebuilt"
    handle = IndexHandle(fresh["INDEX_DIR"])
    assert search(handle, SearchParams(q="Kharkiv"))["total"] == 50
    handle.close()
    assert ensure_index(store, fresh["INDEX_DIR"]) == "ok"


def test_a_worker_only_checks_a_damaged_index_and_the_master_rebuilds_it(fresh, tmp_path):
    store = DocStore(fresh["DB"])
    import_paths([str(corpus(tmp_path / "c.jsonl.gz", 20))], store, fresh["INDEX_DIR"])
    for f in Path(fresh["INDEX_DIR"]).glob("*.trm"):
        f.unlink()
    assert ensure_index(store, fresh["INDEX_DIR"], repair=False) == "damaged"  # a worker: no rebuild
    assert not list(Path(fresh["INDEX_DIR"]).glob("*.trm"))
    assert ensure_index(store, fresh["INDEX_DIR"]) == "rebuilt"  # the master, before forking
