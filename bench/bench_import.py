"""Benchmark: bulk import of the corpus's full-text documents, the archive's heaviest import.

    python bench/bench_import.py --corpus ../shared/corpus [--rounds 3] [--workdir DIR]

Imports the press releases, the official addresses and the Telegram posts (4,408 documents of
full text, unlike the headline-and-lead RSS items) with `searchapp import` into a new archive,
`--rounds` times, and prints documents/s for each round and their median: extraction, storage and
indexing together, as an archivist's bulk import runs them. A new archive first seeds its name
registry (countries, world cities, the curated people), once in its life; that one-time cost is
timed apart (`searchapp alias review` on an empty store) and each round starts from a copy of
that seeded store with an empty index.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FULL_TEXT = ("press_releases_en.jsonl.gz", "ua_official_addresses_uk_en.jsonl.gz", "telegram_ru_2024.jsonl.gz")
TARGET = 100  # documents/s on 2 cores (issue #14)


def run_cli(workdir: Path, *args: str) -> tuple[str, float]:
    """`searchapp ARGS` on the archive in WORKDIR: its output and the seconds it took."""
    env = {**os.environ, "SEARCHAPP_DB": str(workdir / "store.db"), "SEARCHAPP_INDEX_DIR": str(workdir / "index")}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "searchapp.cli", *args],
                         env=env, check=True, capture_output=True, text=True).stdout
    return out, time.perf_counter() - started


def seed(workdir: Path) -> float:
    """Seconds a new archive takes to seed its name registry (once in its life)."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    return run_cli(workdir, "alias", "review")[1]


def import_once(paths: list[Path], seeded: Path, workdir: Path) -> tuple[int, float]:
    """Documents added and seconds taken by one import into a copy of the seeded archive."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    shutil.copy(seeded / "store.db", workdir / "store.db")
    out, seconds = run_cli(workdir, "import", "--quiet", *map(str, paths))
    return int(out.split("added ")[1].split(",")[0]), seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(HERE.parent.parent / "shared" / "corpus"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workdir", default=None, help="where the seeded archive and each round's copy go (emptied first)")
    args = ap.parse_args()
    paths = [Path(args.corpus) / name for name in FULL_TEXT]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        sys.exit(f"Not in the corpus: {', '.join(missing)} (pass --corpus DIR)")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="searchapp-bench-import-"))
    print(f"seeding a new archive's name registry (once): {seed(workdir / 'seeded'):.1f} s")
    rates = []
    for round_ in range(1, args.rounds + 1):
        added, seconds = import_once(paths, workdir / "seeded", workdir / "round")
        rates.append(added / seconds)
        print(f"round {round_}: {added:,} documents in {seconds:.1f} s = {rates[-1]:.1f} documents/s")
    median = statistics.median(rates)
    print(f"full-text import: median {median:.1f} documents/s over {args.rounds} rounds "
          f"(target >= {TARGET}: {'pass' if median >= TARGET else 'FAIL'})")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
