"""Recall and precision of name expansion over bench/name_pairs.tsv.

    python bench/bench_names.py [--show-errors]

Each pair is a spelling and the entity it names (or "-" for words that must not be taken for
a name). A spelling counts as found when the lookup returns its entity; every other entity
returned counts as a false expansion. Words are treated as absent from the archive, so close
misspellings are tried for all of them (the strictest setting).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from searchapp.indexing.analysis import tokenize
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry

HERE = Path(__file__).resolve().parent


def load_pairs() -> list[tuple[str, str]]:
    pairs = []
    for line in (HERE / "name_pairs.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            spelling, entity = line.split("\t")
            pairs.append((spelling, entity))
    return pairs


def seeded_names() -> tuple[NameIndex, float, float]:
    """The name lookup over a freshly seeded registry, with the seconds seeding and building took."""
    with tempfile.TemporaryDirectory() as tmp:
        registry = Registry(str(Path(tmp) / "registry.db"))
        started = time.perf_counter()
        registry.ensure_seeded()
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        names = NameIndex(registry.entities())
        built = time.perf_counter() - started
        registry.close()
    return names, seeded, built


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    names, seeded, built = seeded_names()
    pairs = load_pairs()
    tp = fp = fn = 0
    errors, timings = [], []
    for spelling, expected in pairs:
        words = [w for w, _, _ in tokenize(spelling)]
        started = time.perf_counter()
        match = names.match(words, known_word=False)
        timings.append((time.perf_counter() - started) * 1000)
        got = set(match.entity_ids) if match else set()
        if expected != "-":
            if expected in got:
                tp += 1
            else:
                fn += 1
                errors.append(f"missed  {spelling} -> {expected} (got {sorted(got) or 'nothing'})")
        wrong = got - {expected}
        fp += len(wrong)
        if wrong:
            note = f" (expected {expected})" if expected != "-" else ""
            errors.append(f"wrong   {spelling} -> {sorted(wrong)}{note}")
    positives = sum(1 for _, e in pairs if e != "-")
    recall = tp / positives
    precision = tp / (tp + fp) if tp + fp else 1.0
    if args.show_errors:
        print("\n".join(errors))
    print(f"pairs: {len(pairs)} ({positives} spellings of {len({e for _, e in pairs if e != '-'})} entities, "
          f"{len(pairs) - positives} non-names)")
    print(f"recall:    {recall:.3f}  ({tp}/{positives})")
    print(f"precision: {precision:.3f}  ({tp}/{tp + fp})")
    print(f"lookup: median {statistics.median(timings):.3f} ms, max {max(timings):.2f} ms; "
          f"registry seed {seeded:.1f} s, lookup build {built:.1f} s")


if __name__ == "__main__":
    main()
