"""How often result passages start or end mid-sentence, on real text.

    python bench/bench_passages.py --workdir DIR    # an import's store.db and index/ (make bench-passages
                                                    # reads make bench-names's)

Runs every query of `bench/queries.txt` (its `q` only), takes the passages of the first page of
results, and counts those that start inside a sentence (after a leading "…", the first letter is
lower case) and those that end inside one (before a trailing "…", no sentence mark). The corpus
texts stay where they are; only counts are printed.
"""

from __future__ import annotations

import argparse
import re
import sys
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from searchapp.indexing.searchers import IndexHandle  # noqa: E402
from searchapp.names.lookup import NameIndex  # noqa: E402
from searchapp.names.registry import Registry  # noqa: E402
from searchapp.search.engine import search  # noqa: E402
from searchapp.search.params import ParamError, SearchParams  # noqa: E402

QUERIES = Path(__file__).parent / "queries.txt"
_TAGS = re.compile(r"</?mark>")
_ENDS_SENTENCE = re.compile(r"[.!?…:;\"»”’)]$")


def cut_ends(html: str) -> tuple[bool, bool]:
    """(starts inside a sentence, ends inside one) for one passage's HTML."""
    text = unescape(_TAGS.sub("", html)).strip()
    starts_inside = text.startswith("…") and not text[1:].lstrip()[:1].isupper()
    ends_inside = text.endswith("…") and not _ENDS_SENTENCE.search(text[:-1].rstrip())
    return starts_inside, ends_inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True, help="a directory holding store.db and index/")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    if not (workdir / "store.db").exists():
        sys.exit(f"No import at {workdir}: run bench/bench_names.py --corpus ... --workdir {workdir} first.")
    names = NameIndex(Registry(str(workdir / "store.db")).entities())
    handle = IndexHandle(workdir / "index")
    passages = starts = ends = 0
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        q = parse_qs(line).get("q", [""])[0]
        if not q:
            continue
        try:
            results = search(handle, SearchParams(q=q), names)["results"]
        except ParamError:
            continue
        for hit in results:
            for passage in hit["passages"]:
                start_cut, end_cut = cut_ends(passage["html"])
                passages += 1
                starts += start_cut
                ends += end_cut
    print(f"{passages} passages: {starts / passages:.1%} start inside a sentence, "
          f"{ends / passages:.1%} end inside one")


if __name__ == "__main__":
    main()
