"""Name expansion, measured two ways: a hand list of spellings, and real text.

    python bench/bench_names.py [--show-errors]                      # the hand list only
    python bench/bench_names.py --corpus ../shared/corpus [--workdir DIR] [--reuse] [--show-errors]

**Hand list** (`bench/name_pairs.tsv`): each pair is a spelling and the entity it names (or "-"
for words that must not be taken for a name). A spelling counts as found when the lookup
returns its entity; every other entity returned counts as a false expansion. Words are treated
as absent from the archive, so close misspellings are tried for all of them.

**Real text** (`--corpus`, the shared corpus, which is read from there and never copied here):
the addresses in Ukrainian and English, the Russian Telegram posts, the English press releases
and a fixed sample of the English and Polish news leads are imported into a work directory.
The gold is in `bench/gold/` (names and regular expressions, no text): for each person or place,
its spelling in English, Ukrainian and Russian and a pattern that recognises its mentions in
each language. A query in one language, filtered to documents of another (`lang=uk`), must find
the documents whose text matches that language's pattern (recall) and nothing else (precision;
a document that names the entity otherwise is not counted against it: an `ok_re` match, another
language's pattern, such as "Europe" written in Latin in a Russian post, a pattern's name in
capitals, the region named after a place, such as Калужской области for Kaluga, which a city's
name finds by design, or a place's Russian name romanised, such as Zhitomir). Names are
split into a development half and a held-out half by a hash of their id; only the development
half's errors are ever printed. "Uncurated" names are those no curated entity has (GeoNames towns and people
extraction adds count as uncurated).
`false_friends.tsv` lists ordinary words that must never expand, and names that must not
match them.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import iuliia

from searchapp.docstore import DocStore
from searchapp.indexing.searchers import IndexHandle
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry
from searchapp.pipeline import import_paths
from searchapp.search.engine import expansions_for, search_ids
from searchapp.search.params import SearchParams
from searchapp.text.analysis import exact_term, tokenize

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold"
RSS_SAMPLE = 12_000
FILES = ("ua_official_addresses_uk_en.jsonl.gz", "telegram_ru_2024.jsonl.gz", "press_releases_en.jsonl.gz")
RSS = "rss_headlines_leads_2022_2023.jsonl.gz"
# (query language, documents' language): the directions of the issue, and their reverses.
DIRECTIONS = [("en", "uk"), ("uk", "en"), ("en", "ru"), ("ru", "en"), ("uk", "ru"), ("ru", "uk")]
TARGETS = {("en", "uk"): (0.97, 0.98), ("uk", "en"): (0.97, 0.98), ("en", "ru"): (0.97, 0.98)}


# The hand list -------------------------------------------------------------------------------
def load_pairs() -> list[tuple[str, str]]:
    pairs = []
    for line in (HERE / "name_pairs.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            spelling, entity = line.split("\t")
            pairs.append((spelling, entity))
    return pairs


def seeded_names(path: Path | None = None) -> tuple[NameIndex, float, float]:
    """The name lookup over a freshly seeded registry, with the seconds seeding and building took."""
    with tempfile.TemporaryDirectory() as tmp:
        registry = Registry(str(path or Path(tmp) / "registry.db"))
        started = time.perf_counter()
        registry.ensure_seeded()
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        names = NameIndex(registry.entities())
        built = time.perf_counter() - started
        registry.close()
    return names, seeded, built


def hand_list(names: NameIndex, show: bool) -> None:
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
    if show:
        print("\n".join(errors))
    print(f"hand list: {len(pairs)} pairs ({positives} spellings of {len({e for _, e in pairs if e != '-'})} "
          f"entities, {len(pairs) - positives} non-names)")
    print(f"  recall {tp / positives:.3f} ({tp}/{positives}), precision {tp / (tp + fp) if tp + fp else 1:.3f} "
          f"({tp}/{tp + fp}); lookup median {statistics.median(timings):.3f} ms, max {max(timings):.2f} ms")


# Real text -----------------------------------------------------------------------------------
@dataclass
class GoldName:
    id: str
    kind: str
    spelling: dict[str, str]  # lang -> query spelling
    pattern: dict[str, re.Pattern]  # lang -> mentions in that language's text
    ok: re.Pattern | None
    source: str

    @property
    def held_out(self) -> bool:
        return hashlib.sha1(self.id.encode()).digest()[0] % 2 == 1


def load_gold() -> list[GoldName]:
    out: dict[str, GoldName] = {}
    for path in sorted(GOLD.glob("names_*.tsv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                if not row.get("id") or row["id"].startswith("#"):
                    continue
                spelling = {lang: row[lang].strip() for lang in ("en", "uk", "ru") if row.get(lang, "").strip()}
                pattern = {lang: re.compile(row[f"{lang}_re"]) for lang in ("en", "uk", "ru")
                           if row.get(f"{lang}_re", "").strip()}
                ok = re.compile(row["ok_re"]) if row.get("ok_re", "").strip() else None
                key = f"{row['kind']}:{row['en'].strip().lower()}" if row.get("en") else row["id"]
                if key not in out:  # the same name in two files: the first description wins
                    out[key] = GoldName(row["id"], row["kind"], spelling, pattern, ok, path.stem)
    return list(out.values())


def load_false_friends() -> list[dict]:
    path = GOLD / "false_friends.tsv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r.get("word")]


def corpus_records(corpus: Path) -> list[dict]:
    records = []
    for name in FILES:
        with gzip.open(corpus / name, "rt", encoding="utf-8") as fh:
            records += [json.loads(line) for line in fh]
    with gzip.open(corpus / RSS, "rt", encoding="utf-8") as fh:
        rss = [json.loads(line) for line in fh]
    records += random.Random(13).sample(rss, RSS_SAMPLE)
    return records


def build(corpus: Path, workdir: Path) -> tuple[dict[str, str], float]:
    """Import the benchmark's documents into `workdir`; returns the settings and seconds taken."""
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    records = corpus_records(corpus)
    source = workdir / "docs.jsonl"
    with open(source, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: r.get(k, "") for k in ("id", "title", "text", "date", "source", "url", "lang")},
                                ensure_ascii=False) + "\n")
    paths = {"DB": str(workdir / "store.db"), "INDEX_DIR": str(workdir / "index")}
    registry = Registry(paths["DB"])
    registry.ensure_seeded()
    started = time.perf_counter()
    import_paths([str(source)], DocStore(paths["DB"]), paths["INDEX_DIR"], registry=registry)
    registry.close()
    return paths, time.perf_counter() - started


@dataclass
class Tally:
    found: int = 0  # gold documents returned
    gold: int = 0
    returned: int = 0
    wrong: int = 0  # returned, neither matching the pattern nor acceptable
    names: int = 0
    perfect: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return (self.returned - self.wrong) / self.returned if self.returned else 1.0


def gold_mentions(gold: list[GoldName], texts: dict[str, tuple[str, str]], cache: Path) -> dict[tuple[str, str], set]:
    """(name, language) -> the documents whose text matches the name's pattern for that language.

    Scanning every text with every pattern takes minutes, so the result is kept in the work
    directory, keyed by a digest of the gold files and the documents."""
    digest = hashlib.sha1()
    for path in sorted(GOLD.glob("names_*.tsv")):
        digest.update(path.read_bytes())
    digest.update(str(len(texts)).encode())
    path = cache / f"gold-mentions-{digest.hexdigest()[:12]}.json"
    if path.exists():
        return {tuple(k.split("\t")): set(v) for k, v in json.loads(path.read_text()).items()}
    by_lang: dict[str, list[str]] = {}
    for doc_id, (lang, _) in texts.items():
        by_lang.setdefault(lang, []).append(doc_id)
    found = {(name.id, lang): {d for d in by_lang.get(lang, []) if pattern.search(texts[d][1])}
             for name in gold for lang, pattern in name.pattern.items()}
    path.write_text(json.dumps({"\t".join(k): sorted(v) for k, v in found.items()}))
    return found


_REGION_WORD = r"(?:област|обл\.|вобласц|кра[йяюе]\b|регион|регіон|region|oblast)"


def region_pattern(name: GoldName) -> re.Pattern | None:
    """Mentions of the region named after a place (Калужской области, Курской и Белгородской
    областей, Харківщина): a place's name finds its region by design."""
    if name.kind != "place":
        return None
    alternatives = []
    for lang in ("uk", "ru"):
        if not name.spelling.get(lang):
            continue
        base = name.spelling[lang].split()[0].rstrip("аеєиіїоуюяыэь")
        stem = re.escape(base[:max(3, len(base) - 1)])
        alternatives += [rf"\b(?={stem})\w*[сцзж]ь?к\w*(?:[\s,]+\w+){{0,4}}?[\s,]+{_REGION_WORD}",
                         rf"\b{stem}\w*щин\w*"]
    return re.compile("|".join(alternatives)) if alternatives else None


_CAPITALS = re.compile(r"\b[A-ZА-ЯЁІЇЄҐ]{2,}\b")


def russian_romanised(name: GoldName) -> re.Pattern | None:
    """A place's Russian name romanised as the English press long wrote Ukrainian places
    (Zhitomir, Nikolayev, Lugansk, Cherkassy, Kremenchug, Kiev)."""
    if name.kind != "place" or not name.spelling.get("ru"):
        return None
    russian = name.spelling["ru"]
    spellings = {scheme.translate(russian).replace("’", "") for scheme in (iuliia.WIKIPEDIA, iuliia.MOSMETRO)}
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in sorted(spellings)) + r")\b")


def other_mentions(name: GoldName) -> list[re.Pattern]:
    """Patterns of a document found outside the gold that names the entity all the same: its
    `ok_re`, any language's pattern (a Russian post that writes "Europe"), its region, and the
    romanised Russian name of a place."""
    found = [name.ok, *name.pattern.values(), region_pattern(name), russian_romanised(name)]
    return [p for p in found if p is not None]


def acceptable(patterns: list[re.Pattern], text: str) -> bool:
    """Whether `text` matches one of `other_mentions`, a name in capitals (BUDAPEST) counting as
    written in title case."""
    capitalised = _CAPITALS.sub(lambda m: m.group(0).capitalize(), text)
    return any(p.search(text) or p.search(capitalised) for p in patterns)


def evaluate_names(gold: list[GoldName], texts: dict[str, tuple[str, str]], mentions: dict, query, curated) -> dict:
    """Tallies by (half, subset, direction); subset is "all" or "uncurated"."""
    tallies: dict[tuple[str, str, tuple[str, str]], Tally] = {}
    for name in gold:
        half = "held-out" if name.held_out else "dev"
        subsets = ["all"] if curated(name) else ["all", "uncurated"]
        others = other_mentions(name)
        for q_lang, d_lang in DIRECTIONS:
            typed = name.spelling.get(q_lang)
            pattern = name.pattern.get(d_lang)
            if not typed or pattern is None:
                continue
            expected = mentions[name.id, d_lang]
            if not expected:
                continue
            got = query(typed, d_lang)
            wrong = {d for d in got - expected if not acceptable(others, texts[d][1])}
            found = len(got & expected)
            for subset in subsets:
                t = tallies.setdefault((half, subset, (q_lang, d_lang)), Tally())
                t.found += found
                t.gold += len(expected)
                t.returned += len(got)
                t.wrong += len(wrong)
                t.names += 1
                t.perfect += found == len(expected) and not wrong
                if half == "dev" and subset == "all" and (found < len(expected) or wrong):
                    t.errors.append(f"{q_lang}->{d_lang} {typed!r}: found {found}/{len(expected)}, "
                                    f"{len(wrong)} wrong of {len(got)}"
                                    + (f" e.g. {sorted(wrong)[:3]}" if wrong else "")
                                    + (f" missed e.g. {sorted(expected - got)[:3]}" if found < len(expected) else ""))
    return tallies


def evaluate_false_friends(rows: list[dict], texts: dict[str, tuple[str, str]], expansions, query
                           ) -> tuple[int, int, int, list[str]]:
    """(words expanded, names checked, documents found only through the ordinary word, errors)."""
    expanded, checked, wrong, errors = 0, 0, 0, []
    for row in rows:
        word, lang = row["word"].strip(), row["lang"].strip()
        got = expansions(word)
        if got:
            expanded += 1
            errors.append(f"expanded {word!r} ({lang}) -> {got[:5]}")
        name, name_re = row.get("name", "").strip(), row.get("name_re", "").strip()
        if not name or not name_re or exact_term(name) == exact_term(word):
            continue  # the name spelled as the word (Police, police): only the reader knows which is meant
        checked += 1
        word_re = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        pattern = re.compile(name_re)
        for doc_id in query(name, lang):
            text = texts[doc_id][1]
            if word_re.search(text) and not pattern.search(text):
                wrong += 1
                errors.append(f"{name!r} found {doc_id} through {word!r}")
    return expanded, checked, wrong, errors


def real_text(args: argparse.Namespace) -> None:
    corpus = Path(args.corpus)
    if not (corpus / FILES[0]).exists():
        sys.exit(f"The shared corpus is not at {corpus} (pass --corpus DIR): the real-text part needs it.")
    workdir = Path(args.workdir)
    if args.reuse and (workdir / "store.db").exists():
        paths = {"DB": str(workdir / "store.db"), "INDEX_DIR": str(workdir / "index")}
        print(f"reusing {workdir}")
    else:
        paths, took = build(corpus, workdir)
        print(f"imported the benchmark documents into {workdir} in {took:.0f} s")
    store, registry = DocStore(paths["DB"]), Registry(paths["DB"])
    names = NameIndex(registry.entities())
    handle = IndexHandle(paths["INDEX_DIR"])
    texts = {d.id: (d.lang, f"{d.title}\n{d.raw_text or d.text}") for d in store.iter_documents()}
    timings: list[float] = []

    def query(typed: str, lang: str) -> set[str]:
        params = SearchParams(q=typed, filters={"lang": (lang,)})
        started = time.perf_counter()
        found = search_ids(handle, params, names)
        timings.append((time.perf_counter() - started) * 1000)
        return found

    def curated(name: GoldName) -> bool:
        """Whether a curated entity (seed, world list, country, archivist) has this name: GeoNames
        towns and people extraction added while importing count as names nobody curated."""
        matches = [names.match([w for w, _, _ in tokenize(s)]) for s in name.spelling.values()]
        return any(names.entities[e].curated for m in matches if m for e in m.entity_ids)

    def expansions(word: str) -> list[str]:
        return [v for e in expansions_for(handle, word, names) for v in [e["term"], *e["variants"]]]

    gold = load_gold()
    print(f"gold: {len(gold)} names ({sum(not g.held_out for g in gold)} dev, {sum(g.held_out for g in gold)} "
          f"held out; {sum(not curated(g) for g in gold)} uncurated) over {len(texts)} documents")
    tallies = evaluate_names(gold, texts, gold_mentions(gold, texts, workdir), query, curated)
    print(f"{'half':9} {'names':10} {'direction':9} {'names':>5} {'recall':>7} {'precision':>9} {'perfect':>7}  target")
    for half in ("dev", "held-out"):
        for subset in ("all", "uncurated"):
            for direction in DIRECTIONS:
                t = tallies.get((half, subset, direction))
                if t is None:
                    continue
                target = TARGETS.get(direction) if subset == "all" else (0.95, 0.98)
                verdict = ""
                if target and direction in TARGETS:
                    ok = t.recall >= target[0] and t.precision >= target[1]
                    verdict = f"R>={target[0]} P>={target[1]} {'pass' if ok else 'FAIL'}"
                print(f"{half:9} {subset:10} {'->'.join(direction):9} {t.names:5} {t.recall:7.3f} "
                      f"{t.precision:9.3f} {t.perfect:7}  {verdict}")
    friends = load_false_friends()
    if friends:
        expanded, checked, wrong, ff_errors = evaluate_false_friends(friends, texts, expansions, query)
        print(f"false friends: {len(friends)} ordinary words, {expanded} expanded (target 0); "
              f"{checked} names checked, {wrong} documents found only through an ordinary word")
    else:
        ff_errors = []
    if timings:
        print(f"query time: median {statistics.median(timings):.1f} ms over {len(timings)} queries")
    if args.show_errors:
        for key, t in sorted(tallies.items()):
            if key[0] == "dev" and key[1] == "all":
                print("\n".join(t.errors))
        print("\n".join(ff_errors))
    handle.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show-errors", action="store_true", help="Print the misses (development half only).")
    ap.add_argument("--corpus", help="The shared corpus folder: also measure on real text.")
    ap.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "searchapp-bench-names"))
    ap.add_argument("--reuse", action="store_true", help="Reuse the import in --workdir.")
    args = ap.parse_args()
    names, seeded, built = seeded_names()
    hand_list(names, args.show_errors)
    print(f"registry seed {seeded:.1f} s, lookup build {built:.1f} s")
    if args.corpus:
        real_text(args)


if __name__ == "__main__":
    main()
