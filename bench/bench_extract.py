"""Precision and recall of extraction over the annotated set in tests/data/extract_eval.jsonl.

    python bench/bench_extract.py [--show-errors]

The held-out set (tests/data/extract_heldout.jsonl) was written after the rules were
tuned and not used to change them. Each document there is a messy page written for this project (menus, comment lists,
related-article lists, machine-reworded English, case forms) with gold people, places,
publication date and source. Gold people marked "new:Full Name" are not in the registry and
count as found when extraction proposes a new person with that name. The documents carry no
date metadata, so every date comes from the text.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from bench_names import seeded_names

from searchapp.extract import extract
from searchapp.extract.entities import person_id
from searchapp.model import Document
from searchapp.names.lookup import NameIndex
from searchapp.text.analysis import tokenize

EVAL = Path(__file__).resolve().parent.parent / "tests" / "data" / "extract_eval.jsonl"
NOW = datetime(2026, 11, 23, tzinfo=UTC)


HELD_OUT = EVAL.with_name("extract_heldout.jsonl")


def load(path: Path = EVAL) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(names: NameIndex, show: bool = False, path: Path = EVAL) -> dict:
    """Per-facet counts and timings over an evaluation set."""
    counts = {facet: {"tp": 0, "fp": 0, "fn": 0} for facet in ("people", "places")}
    dates = sources = 0
    timings = []
    records = load(path)
    for record in records:
        gold = record["gold"]
        doc = Document(id=record["id"], title=record["title"], text=record["text"], url=record["url"],
                       lang=record["lang"])
        started = time.perf_counter()
        extract(doc, names, NOW)
        timings.append((time.perf_counter() - started) * 1000)

        found = {"people": set(doc.people), "places": set(doc.places)}
        for facet in ("people", "places"):
            expected = set()
            for g in gold[facet]:
                if g.startswith("new:"):  # a person the registry lacks: the id extraction gives the name
                    expected.add(person_id([w for w, _, _ in tokenize(g[4:])]))
                else:
                    expected.add(g)
            c = counts[facet]
            c["tp"] += len(found[facet] & expected)
            c["fp"] += len(found[facet] - expected)
            c["fn"] += len(expected - found[facet])
            if show and found[facet] != expected:
                print(f"{record['id']} {facet}: missed {sorted(expected - found[facet])} "
                      f"extra {sorted(found[facet] - expected)}")
        dates += doc.date == gold["date"]
        sources += doc.source == gold["source"]
        if show and doc.date != gold["date"]:
            print(f"{record['id']} date: {doc.date!r} expected {gold['date']!r}")
        if show and doc.source != gold["source"]:
            print(f"{record['id']} source: {doc.source!r} expected {gold['source']!r}")
    result = {"documents": len(records), "date_accuracy": dates / len(records),
              "source_accuracy": sources / len(records), "timings": timings}
    for facet, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        result[facet] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    names = seeded_names()[0]
    evaluate(names)  # warm-up: language models, date parsers, caches
    for label, path in (("development set (rules were tuned on it)", EVAL), ("held-out set", HELD_OUT)):
        result = evaluate(names, show=args.show_errors, path=path)
        print(f"{label}: {result['documents']} documents")
        for facet in ("people", "places"):
            r = result[facet]
            print(f"  {facet:<7} precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}")
        print(f"  date accuracy   {result['date_accuracy']:.3f}")
        print(f"  source accuracy {result['source_accuracy']:.3f}")
    t = result["timings"]
    print(f"extraction per document: median {statistics.median(t):.1f} ms, max {max(t):.1f} ms (after warm-up)")


if __name__ == "__main__":
    main()
