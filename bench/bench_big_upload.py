"""Big documents: how long one upload takes, and how long a small upload behind it waits.

    python bench/bench_big_upload.py --corpus ../shared/corpus [--repeat 3]

Cases (built in memory from corpus texts, never written into the project): a 21 MB text file,
a ZIP of about 5 MB holding that text, 4 MB of one repeated word, and the baseline, an ordinary
5 KB article, all through `Archive.upload` (the path the upload form and the API take) into a
fresh archive each time. Text past `SEARCHED_CHARS` is stored but not analysed or indexed, so
every case should stay far below gunicorn's 60 s worker timeout. Medians of `--repeat` runs,
with the ratio to the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from searchapp.archive import Archive
from searchapp.settings import load


def corpus_text(corpus: Path, chars: int) -> str:
    parts, size = [], 0
    with gzip.open(corpus / "rss_headlines_leads_2022_2023.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            parts.append(text)
            size += len(text) + 2
            if size >= chars:
                break
    return "\n\n".join(parts)


def zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return out.getvalue()


def timed_upload(files: list[tuple[str, bytes]], small: bytes) -> tuple[float, float]:
    """Seconds for the upload, and for a small upload sent 0.5 s after it started."""
    with tempfile.TemporaryDirectory() as work:
        config = load({"DB": f"{work}/store.db", "INDEX_DIR": f"{work}/index", "MAX_FILE_MB": 25}, environ={})
        archive, other = Archive.from_config(config), Archive.from_config(config)
        archive.upload([("seed.txt", b"Seed\nAn archive needs one document before the test.")], {}, "bench")
        other.names()  # both warm: the name index is built once per process, not per upload
        waited: list[float] = []

        def small_upload() -> None:
            time.sleep(0.5)
            started = time.perf_counter()
            other.upload([("small.txt", small)], {}, "bench")
            waited.append(time.perf_counter() - started)

        thread = threading.Thread(target=small_upload)
        started = time.perf_counter()
        thread.start()
        batch = archive.upload(files, {}, "bench")
        took = time.perf_counter() - started
        thread.join()
        assert all(r.status == "added" for r in batch.results), [r.as_dict() for r in batch.results]
        archive.close()
        other.close()
        return took, waited[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not (args.corpus / "rss_headlines_leads_2022_2023.jsonl.gz").exists():
        sys.exit(f"The shared corpus is not at {args.corpus}: pass --corpus DIR (make bench CORPUS=DIR).")
    big = ("Big file\n" + corpus_text(args.corpus, 21_000_000)).encode()
    article = ("Article\n" + corpus_text(args.corpus, 5_000)).encode()
    cases = {
        "5 KB article (baseline)": [("article.txt", article)],
        f"{len(big) / 1e6:.0f} MB text": [("big.txt", big)],
        "ZIP holding it": [("big.zip", zipped("big.txt", big))],
        "4 MB of one word": [("word.txt", b"Word\n" + b"tractor " * 500_000)],
    }
    print(f"{'case':<34} {'upload s':>9} {'x baseline':>11} {'small upload waited s':>22}")
    baseline = None
    for label, files in cases.items():
        runs = [timed_upload(files, b"Small note\nThe ferry runs again from Monday.") for _ in range(args.repeat)]
        took = statistics.median(r[0] for r in runs)
        waited = statistics.median(r[1] for r in runs)
        baseline = baseline or took
        size = sum(len(data) for _, data in files) / 1e6
        print(f"{label + f' ({size:.1f} MB)':<34} {took:>9.2f} {took / baseline:>11.1f} {waited:>22.2f}")


if __name__ == "__main__":
    main()
