"""Load test: readers and an uploader against gunicorn workers on loopback, for a bounded time.

    python bench/loadtest.py [--workdir DIR] [--readers 20] [--workers 4] [--seconds 60]

Imports the bundled demo corpus into the workdir unless it holds an index already, starts
gunicorn, runs the readers (random queries from bench/queries.txt) and one uploader (a new
document every half second through /upload), then checks that every upload reported as added
is searchable. Prints errors (must be 0), reader latency percentiles, uploads and lost
documents (must be 0), and the RSS of each worker.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from importlib import resources
from pathlib import Path

from bench_search import PASSWORD, Session, percentile, queries, serving


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--readers", type=int, default=20)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="searchapp-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SEARCHAPP_DB": str(workdir / "store.db"), "SEARCHAPP_INDEX_DIR": str(workdir / "index"),
           "SEARCHAPP_RATE_ANON_PER_MIN": "1000000000"}
    if not (workdir / "index").exists():
        demo = str(resources.files("searchapp") / "demo")
        subprocess.run([sys.executable, "-m", "searchapp.cli", "import", "--quiet", demo], env=env, check=True)
    subprocess.run([sys.executable, "-m", "searchapp.cli", "user", "add", "load-archivist"],
                   env={**env, "SEARCHAPP_PASSWORD": PASSWORD}, capture_output=True)
    with serving(env, args.workers) as (base, server):
        outcome = run(base, args)
        pids = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        rss = [rss_mb(int(p)) for p in pids]
    latencies, errors, added, lost = (outcome[k] for k in ("latencies", "errors", "added", "lost"))
    print(f"readers {args.readers}, gunicorn workers {args.workers}, {args.seconds:.0f} s")
    print(f"requests: {len(latencies)}  errors: {len(errors)}")
    if latencies:
        print(f"latency ms: p50 {statistics.median(latencies):.1f}  p95 {percentile(latencies, 95):.1f}  "
              f"p99 {percentile(latencies, 99):.1f}  max {max(latencies):.1f}")
    print(f"uploads added: {len(added)}  lost: {len(lost)}")
    print("worker RSS MB: " + ", ".join(f"{r:.0f}" for r in rss))
    for e in errors[:10]:
        print("  " + e)
    sys.exit(1 if errors or lost else 0)


def run(base: str, args: argparse.Namespace) -> dict:
    """The readers and the uploader for args.seconds; then the uploads that cannot be found."""
    qs = queries()
    stop = threading.Event()
    latencies: list[float] = []
    errors: list[str] = []
    added: list[str] = []

    def reader() -> None:
        rnd = random.Random()
        while not stop.is_set():
            q = rnd.choice(qs)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(f"{base}/api/search?{urllib.parse.quote(q, safe='=&+')}", timeout=30) as r:
                    r.read()
                latencies.append((time.perf_counter() - started) * 1000)
            except (urllib.error.URLError, OSError) as exc:
                errors.append(f"reader: {q}: {exc}")

    def uploader() -> None:
        session = Session(base, "load-archivist")
        while not stop.is_set():
            marker = f"loadmarker{uuid.uuid4().hex[:12]}"
            try:
                session.upload(f"{marker}.txt", f"Load test {marker}\nA note about Lviv, {marker}.".encode())
                added.append(marker)
            except (urllib.error.URLError, OSError) as exc:
                errors.append(f"uploader: {exc}")
            stop.wait(0.5)

    threads = [threading.Thread(target=reader) for _ in range(args.readers)] + [threading.Thread(target=uploader)]
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    lost = []
    for marker in added:
        with urllib.request.urlopen(f"{base}/api/search?q={marker}", timeout=30) as r:
            if b'"total":1' not in r.read():
                lost.append(marker)
    return {"latencies": latencies, "errors": errors, "added": added, "lost": lost}


if __name__ == "__main__":
    main()
