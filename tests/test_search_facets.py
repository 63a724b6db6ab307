"""Facets: counts of documents, OR within a facet, AND across, disjunctive counts, date drill-down."""

import pytest
from helpers import write_jsonl

from searchapp.docstore import DocStore
from searchapp.indexing.searchers import IndexHandle
from searchapp.pipeline import import_paths
from searchapp.search.engine import search
from searchapp.search.params import SearchParams

# Six documents: sources A/B, languages en/ru, one long (many passages), one without a date.
LONG = "\n".join(f"Paragraph {i} about the grain corridor and Odesa port traffic in detail." * 3 for i in range(30))
DOCS = [
    {"id": i, "title": t, "text": x, "source": s, "lang": lang, **({"date": d} if d else {})}
    for i, t, x, s, lang, d in [
        ("f1", "Grain in Odesa", LONG, "A", "en", "2022-07-22"),
        ("f2", "Grain exports", "Grain ships sail.", "A", "en", "2022-08-01"),
        ("f3", "Зерно", "Grain: зерновая сделка.", "B", "ru", "2023-07-17"),
        ("f4", "Grain deal ends", "Grain deal over.", "B", "en", "2023-07-18"),
        ("f5", "Grain undated", "No date known.", "B", "en", ""),
        ("f6", "Unrelated", "Weather report.", "A", "en", "2024-01-01"),
    ]
]


@pytest.fixture(scope="module")
def handle(tmp_path_factory):
    root = tmp_path_factory.mktemp("facets")
    import_paths([str(write_jsonl(root / "f.jsonl", DOCS))], DocStore(str(root / "db")), root / "index")
    h = IndexHandle(root / "index")
    yield h
    h.close()


def run(handle, q="grain", **kw):
    filters = {k: tuple(v) for k, v in kw.pop("filters", {}).items()}
    return search(handle, SearchParams(q=q, filters=filters, **kw), per_page=50)


def counts(result, facet):
    return {v["value"]: v["count"] for v in result["facets"][facet]}


def test_counts_are_documents_not_passages(handle):
    r = run(handle)
    assert r["total"] == 5
    assert counts(r, "source") == {"A": 2, "B": 3}
    assert counts(r, "lang") == {"en": 4, "ru": 1}


def test_values_of_one_facet_combine_with_or(handle):
    r = run(handle, filters={"lang": ["en", "ru"]})
    assert r["total"] == 5
    r = run(handle, filters={"lang": ["ru"]})
    assert {x["id"] for x in r["results"]} == {"f3"}


def test_facets_combine_with_and_and_count_disjunctively(handle):
    r = run(handle, filters={"source": ["B"], "lang": ["en"]})
    assert {x["id"] for x in r["results"]} == {"f4", "f5"}
    # source counts ignore the source selection but respect lang=en, and vice versa
    assert counts(r, "source") == {"A": 2, "B": 2}
    assert counts(r, "lang") == {"en": 2, "ru": 1}
    selected = {v["value"] for v in r["facets"]["source"] if v["selected"]}
    assert selected == {"B"}


def test_selected_value_without_matches_stays_visible(handle):
    r = run(handle, filters={"source": ["Nowhere"]})
    assert r["total"] == 0
    assert [(v["value"], v["count"], v["selected"]) for v in r["facets"]["source"] if v["selected"]] == [
        ("Nowhere", 0, True)]


def test_facet_links_toggle_values(handle):
    r = run(handle, filters={"source": ["A"]})
    links = {v["value"]: v["url"] for v in r["facets"]["source"]}
    assert links["A"] == "/search?q=grain"
    assert links["B"] == "/search?q=grain&source=A&source=B"


def test_date_histogram_drills_down_and_counts_unknown(handle):
    r = run(handle)
    assert r["date_granularity"] == "month"
    nonzero = {k: v for k, v in counts(r, "date").items() if v}
    assert nonzero == {"2022-07": 1, "2022-08": 1, "2023-07": 2, "unknown": 1}
    months = [b["value"] for b in r["facets"]["date"]][:-1]
    assert len(months) == 13 and months[0] == "2022-07" and months[-1] == "2023-07"  # gaps shown empty
    july = next(b for b in r["facets"]["date"] if b["value"] == "2023-07")
    assert (july["from"], july["to"]) == ("2023-07-01", "2023-07-31")
    r = run(handle, date_from=july["from"], date_to=july["to"])
    assert r["date_granularity"] == "day"
    assert counts(r, "date") == {"2023-07-17": 1, "2023-07-18": 1}
    assert r["total"] == 2


def test_wide_ranges_are_shown_by_year(handle):
    r = run(handle, q="", date_from="2020", date_to="2024")
    assert r["date_granularity"] == "year"
    assert counts(r, "date") == {"2022": 2, "2023": 2, "2024": 1}


def test_date_range_with_partial_dates(handle):
    assert {x["id"] for x in run(handle, date_from="2023")["results"]} == {"f3", "f4"}
    assert {x["id"] for x in run(handle, date_to="2022-07")["results"]} == {"f1"}


def test_long_facets_show_their_top_values_and_more_on_request(demo_paths):
    from werkzeug.datastructures import MultiDict

    handle = IndexHandle(demo_paths["INDEX_DIR"])
    top = search(handle, SearchParams(), per_page=1)["facets"]["place"]
    more = SearchParams.from_args(MultiDict([("more", "place"), ("more", "bogus")]))
    full = search(handle, more, per_page=1)["facets"]["place"]
    handle.close()
    assert len(top) == 15 and len(full) > 15 and full[:15] == [
        {**v, "url": v["url"] + "&more=place" if "?" in v["url"] else v["url"] + "?more=place"} for v in top]
    assert more.more == ("place",) and more.url() == "/search?more=place"
