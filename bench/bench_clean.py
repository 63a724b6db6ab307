"""How much real text the boilerplate cleaner removes, per file of the shared corpus.

    python bench/bench_clean.py --corpus ../shared/corpus

For each .jsonl.gz file: the items, the share of characters kept, and how many items lose more
than half their text (a sign of body text taken for boilerplate: a chapter list read as comment
time stamps, say). The corpus stays where it is; only counts are printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from searchapp.extract.clean import clean_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.jsonl.gz"))
    if not files:
        sys.exit(f"No .jsonl.gz files at {args.corpus}: pass --corpus DIR (the shared corpus).")
    print(f"{'file':45} {'items':>7} {'kept':>7} {'lose >half':>10}")
    for path in files:
        items = halved = raw_chars = kept_chars = 0
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                if not text.strip():
                    continue
                kept = len(clean_text(text))
                items += 1
                raw_chars += len(text)
                kept_chars += kept
                halved += kept < len(text) / 2
        print(f"{path.name:45} {items:7} {kept_chars / max(raw_chars, 1):7.3f} {halved:10}")


if __name__ == "__main__":
    main()
