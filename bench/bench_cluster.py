"""Benchmark: two nodes on one PostgreSQL store, with nginx in front.

    python bench/bench_cluster.py --corpus ../shared/corpus [--docs 8000]

Imports a sample of the shared corpus (the same share of each file) into a throwaway
PostgreSQL, starts two nodes (2 workers each), which build their indexes from the store, and
nginx over them. Prints: how long a node took to build its index from the store; the
replication lag (from node A's answer to an upload until node B finds it) over 50 uploads while
readers search both nodes; and /api/search latency with 4 concurrent clients through nginx over
two nodes against one node directly, in alternating rounds of the same queries.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_search import percentile, queries, time_query

from searchapp.accounts import Users
from searchapp.database import forget_database
from searchapp.local_cluster import Nginx, Node, TempPostgres, free_port

UPLOADS = 50
CLIENTS = 4


def sample_corpus(corpus: Path, docs: int, out: Path) -> int:
    """The first docs/N lines of each of the corpus's N files, into one JSONL file."""
    files = sorted(corpus.glob("*.jsonl.gz"))
    written = 0
    with open(out, "w", encoding="utf-8") as sink:
        for path in files:
            with gzip.open(path, "rt", encoding="utf-8") as source:
                for n, line in enumerate(source):
                    if n >= docs // len(files):
                        break
                    sink.write(line)
                    written += 1
    return written


def search_total(base: str, q: str) -> int:
    with urllib.request.urlopen(f"{base}/api/search?q={urllib.parse.quote(q)}", timeout=60) as r:
        return json.load(r)["total"]


def upload(base: str, token: str, title: str, text: str) -> None:
    request = urllib.request.Request(f"{base}/api/documents", data=json.dumps({"title": title, "text": text}).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as r:
        assert r.status == 201, r.status


def replication_lag(a: Node, b: Node, token: str, qs: list[str]) -> list[float]:
    """Seconds from A's answer to an upload until B's search finds it, while readers search both."""
    stop = threading.Event()
    failures: list[str] = []

    def reader(node: Node) -> None:
        while not stop.is_set():
            for q in qs:
                if stop.is_set():
                    return
                try:
                    time_query(node.url, q)
                except OSError as exc:  # counted and reported: a search must not fail meanwhile
                    failures.append(f"{node.url} {q}: {exc}")

    readers = [threading.Thread(target=reader, args=(node,)) for node in (a, b)]
    for t in readers:
        t.start()
    lags = []
    try:
        for n in range(UPLOADS):
            word = f"lagmark{n}x{int(time.time())}"
            upload(a.url, token, f"Lag probe {n}", f"A probe for the replication lag: {word}.")
            answered = time.perf_counter()
            while search_total(b.url, word) != 1:
                if time.perf_counter() - answered > 30:
                    raise RuntimeError(f"node B did not find upload {n} within 30 s")
                time.sleep(0.01)
            lags.append(time.perf_counter() - answered)
    finally:
        stop.set()
        for t in readers:
            t.join()
    if failures:
        print(f"{len(failures)} searches failed while documents arrived, e.g. {failures[:3]}")
    return lags


def concurrent_latency(base: str, qs: list[str]) -> tuple[list[float], float]:
    """Per-request ms with CLIENTS clients running the queries, and requests per second."""
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        timings = list(pool.map(lambda q: time_query(base, q), qs))
    return timings, len(qs) / (time.perf_counter() - started)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"))
    ap.add_argument("--docs", type=int, default=8000, help="documents to sample from the corpus")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds of the query list per setup")
    args = ap.parse_args()
    if not Path(args.corpus).is_dir():
        sys.exit(f"The corpus is not at {args.corpus}: pass --corpus DIR")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: still stop PostgreSQL and the nodes
    work = Path(tempfile.mkdtemp(prefix="searchapp-bench-cluster-"))
    postgres = TempPostgres().start()
    nodes: list[Node] = []
    nginx = None
    try:
        url = postgres.create_database("bench")
        sample = work / "sample.jsonl"
        count = sample_corpus(Path(args.corpus), args.docs, sample)
        started = time.perf_counter()
        env = {**os.environ, "SEARCHAPP_DATABASE_URL": url, "SEARCHAPP_INDEX_DIR": str(work / "import-index")}
        subprocess.run([str(Path(sys.executable).with_name("searchapp")), "import", "--quiet",
                        "--tolerate-failures", str(sample)], env=env, check=True, capture_output=True)
        print(f"import into PostgreSQL: {count} documents in {time.perf_counter() - started:.1f} s "
              f"({count / (time.perf_counter() - started):.0f}/s)")
        users = Users(url)
        users.add("bench", "bench password 2026", "archivist")
        token = users.create_token("bench")[1]
        forget_database(url)
        started = time.perf_counter()
        unlimited = {"SEARCHAPP_RATE_ANON_PER_MIN": str(10**9)}  # the benchmark is one busy client
        nodes = [Node(url, work / name / "index", free_port(), env=unlimited).launch() for name in ("a", "b")]
        for node in nodes:
            node.wait_ready()
        while any(search_total(node.url, "Kyiv") == 0 for node in nodes):
            time.sleep(0.2)
        print(f"two nodes started empty and built their indexes from the store: {time.perf_counter() - started:.1f} s")
        a, b = nodes
        nginx = Nginx([a.port, b.port], free_port()).start()
        qs = queries()
        for q in qs[:20]:  # warm both nodes
            time_query(a.url, q)
            time_query(b.url, q)
        lags = replication_lag(a, b, token, qs)
        print(f"replication lag over {UPLOADS} uploads while readers search both nodes: "
              f"p50 {statistics.median(lags) * 1000:.0f} ms, p95 {percentile(lags, 95) * 1000:.0f} ms, "
              f"max {max(lags) * 1000:.0f} ms (target: found on every node within 2 s)")
        front = f"http://127.0.0.1:{nginx.port}"
        timings: dict[str, list[float]] = {"nginx, two nodes": [], "one node": []}
        rates: dict[str, list[float]] = {name: [] for name in timings}
        for _ in range(args.rounds):  # alternate, so that both setups meet the same noise
            for name, base in (("nginx, two nodes", front), ("one node", a.url)):
                ms, rate = concurrent_latency(base, qs)
                timings[name] += ms
                rates[name].append(rate)
        for name, ms in timings.items():
            print(f"/api/search with {CLIENTS} concurrent clients, {name}: p50 {statistics.median(ms):.1f} ms, "
                  f"p95 {percentile(ms, 95):.1f} ms, {statistics.median(rates[name]):.0f} requests/s")
        two, one = timings["nginx, two nodes"], timings["one node"]
        print(f"ratio two nodes / one node: p50 {statistics.median(two) / statistics.median(one):.2f}, "
              f"p95 {percentile(two, 95) / percentile(one, 95):.2f}, requests/s "
              f"{statistics.median(rates['nginx, two nodes']) / statistics.median(rates['one node']):.2f}")
    finally:
        if nginx is not None:
            nginx.stop()
        for node in nodes:
            node.stop()
            if "Traceback" in node.log_path.read_text(errors="replace"):
                kept = Path(tempfile.gettempdir()) / f"bench-cluster-{node.port}.log"
                shutil.copy(node.log_path, kept)
                print(f"a node logged an error: see {kept}")
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
