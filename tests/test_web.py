"""HTTP: pages and JSON twins, shapes of PRODUCT.md, errors as messages, escaping, headers, freshness."""

import html
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from helpers import write_jsonl

from searchapp import create_app

RESULT_KEYS = {"id", "title", "date", "source", "url", "lang", "score", "people", "places", "passages"}


def test_api_search_has_the_documented_shape(client):
    r = client.get("/api/search?q=Lukashenko&lang=en")
    assert r.status_code == 200 and r.is_json
    data = r.get_json()
    assert {"query", "total", "page", "per_page", "took_ms", "expansions", "results", "facets"} <= set(data)
    assert data["query"]["q"] == "Lukashenko" and data["query"]["filters"] == {"lang": ["en"]}
    assert data["total"] >= 3 and data["page"] == 1 and data["per_page"] == 10
    hit = data["results"][0]
    assert RESULT_KEYS <= set(hit)
    assert hit["passages"] and {"position", "html"} == set(hit["passages"][0])
    assert any("<mark>Lukashenk" in p["html"] for h in data["results"] for p in h["passages"])
    assert set(data["facets"]) == {"source", "lang", "person", "place", "date"}
    value = data["facets"]["source"][0]
    assert {"value", "label", "count", "selected"} <= set(value)
    assert all({"value", "count"} <= set(b) for b in data["facets"]["date"])


def test_page_and_twin_show_the_same_results(client):
    page = client.get("/search?q=Kherson")
    assert page.status_code == 200
    assert page.headers["Link"] == '</api/search?q=Kherson>; rel="alternate"; type="application/json"'
    html = page.get_data(as_text=True)
    for hit in client.get("/api/search?q=Kherson").get_json()["results"]:
        assert f'href="/doc/{hit["id"].replace(":", "%3A")}?q=Kherson"' in html


def test_document_page_and_twin(client):
    r = client.get("/api/doc/demo:en-004?q=Kyiv")
    doc = r.get_json()
    assert doc["id"] == "demo:en-004" and doc["date"] == "2022-02-24" and doc["date_precision"] == "day"
    assert any("<mark>Kyiv</mark>" in p for p in doc["paragraphs"])
    page = client.get("/doc/demo:en-004?q=Kyiv").get_data(as_text=True)
    assert "<mark>Kyiv</mark>" in page and "Demo Wire" in page


@pytest.mark.parametrize("query, notice", [
    ("q=P*", "two letters"), ("q=(Kyiv OR", "brackets"), ("q=Kyiv OR", "ended in AND, OR or NOT"),
    ("q=title:", "field"), ("q=*", "wildcard alone"), ('q="Kyiv metro', "quote mark"),
])
def test_a_query_that_cannot_mean_anything_as_written_is_read_leniently_and_says_so(client, query, notice):
    data = client.get(f"/api/search?{query}").get_json()
    assert any(notice in n for n in data["notices"]), data["notices"]
    page = client.get(f"/search?{query}")
    assert page.status_code == 200 and notice in page.get_data(as_text=True)


def test_a_date_range_that_ends_before_it_starts_holds_nothing(client):
    data = client.get("/api/search?from=2024&to=2023").get_json()
    assert data["total"] == 0


def test_unknown_document_is_404_in_both_renderings(client):
    assert client.get("/doc/nope").status_code == 404
    r = client.get("/api/doc/nope")
    assert r.status_code == 404
    assert r.get_json() == {"ok": False, "error": "No document with id 'nope'", "status": 404,
                            "request_id": r.headers["X-Request-Id"]}


@pytest.mark.parametrize("query", [
    "page=0", "page=abc", "sort=sideways", "from=2023-13-01", "expand=2", "q=a&q=b", "q=" + "x" * 1001,
    "page=999",
])
def test_bad_parameters_give_a_message_not_a_500(client, query):
    api = client.get(f"/api/search?{query}")
    assert api.status_code == 400 and api.get_json()["ok"] is False and api.get_json()["error"]
    page = client.get(f"/search?{query}")
    assert page.status_code == 400
    assert 'role="alert"' in page.get_data(as_text=True)


@pytest.mark.parametrize("q", ['"unbalanced', "(Kyiv OR", "AND", "title:", "^^^", "NOT", ":::", "Kyiv^abc", "*?*"])
def test_odd_queries_never_fail(client, q):
    r = client.get("/api/search", query_string={"q": q})
    assert r.status_code in (200, 400)
    assert r.is_json


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"


def test_healthz_reports_documents(client):
    data = client.get("/healthz").get_json()
    assert data["ok"] is True and data["documents"] == data["indexed"] >= 45 and data["pending"] == 0


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def test_hostile_document_is_shown_inert(fresh, tmp_path, make_app):
    path = write_jsonl(tmp_path / "x.jsonl", [{
        "id": "evil", "title": f"Kyiv {HOSTILE}", "text": f"Kyiv \" onmouseover=alert(3) {HOSTILE}",
        "source": HOSTILE, "url": "javascript:alert(4)", "lang": "en", "date": "2023-01-01"}])
    from searchapp.docstore import DocStore
    from searchapp.pipeline import import_paths
    import_paths([str(path)], DocStore(fresh["DB"]), fresh["INDEX_DIR"])
    client = make_app(fresh).test_client()
    for url in ("/search?q=Kyiv", "/doc/evil?q=Kyiv"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
        assert 'href="javascript:' not in html
    hit = client.get("/api/search?q=Kyiv").get_json()["results"][0]
    assert hit["passages"][0]["html"].startswith("<mark>Kyiv</mark> &#34; onmouseover=alert(3) &lt;script&gt;")


def test_changes_by_another_process_are_seen_on_the_next_request(fresh, tmp_path, make_app):
    first = write_jsonl(tmp_path / "a.jsonl", [{"id": "a", "title": "Mariupol siege", "text": "Azovstal."}])
    second = write_jsonl(tmp_path / "b.jsonl", [{"id": "b", "title": "Mariupol theatre", "text": "Drama."}])
    env_import = [sys.executable, "-m", "searchapp.cli", "import", "--quiet"]
    env = {"SEARCHAPP_DB": fresh["DB"], "SEARCHAPP_INDEX_DIR": fresh["INDEX_DIR"], "PATH": ""}
    subprocess.run([*env_import, str(first)], env=env, check=True, capture_output=True)
    client = make_app(fresh).test_client()
    assert client.get("/api/search?q=Mariupol").get_json()["total"] == 1
    subprocess.run([*env_import, str(second)], env=env, check=True, capture_output=True)
    assert client.get("/api/search?q=Mariupol").get_json()["total"] == 2
    subprocess.run([sys.executable, "-m", "searchapp.cli", "reindex", "--quiet"], env=env, check=True,
                   capture_output=True)
    assert {r["id"] for r in client.get("/api/search?q=Mariupol").get_json()["results"]} == {"a", "b"}


def test_json_is_utf8_not_escaped(client):
    r = client.get("/api/search?q=Зеленський")
    assert "Зеленськ" in r.get_data(as_text=True)
    assert json.loads(r.get_data(as_text=True))["total"] >= 1


def test_people_and_places_are_facets_with_labels(client):
    data = client.get("/api/search?q=Prigozhin").get_json()
    people = {v["value"]: v for v in data["facets"]["person"]}
    assert people["person:yevgeny-prigozhin"]["label"] == "Yevgeny Prigozhin"
    assert people["person:yevgeny-prigozhin"]["count"] == data["total"]
    places = {v["value"]: v["count"] for v in data["facets"]["place"]}
    assert places.get("place:bakhmut", 0) >= 2
    narrowed = client.get("/api/search?q=Prigozhin&place=place:bakhmut").get_json()
    assert 0 < narrowed["total"] < data["total"]
    assert all("place:bakhmut" in [p["id"] for p in r["places"]] for r in narrowed["results"])


def test_document_page_shows_extracted_facts(client):
    doc = client.get("/api/doc/doc:851fd47392a4cc6dc0ee").get_json()  # the scraped HTML page of the demo
    assert doc["source"] == "Minsk Monitor" and doc["date"] == "2024-07-03"
    assert {"Alexander Lukashenko", "Sviatlana Tsikhanouskaya"} <= {p["label"] for p in doc["people"]}
    page = client.get("/doc/doc:851fd47392a4cc6dc0ee").get_data(as_text=True)
    assert "Sviatlana Tsikhanouskaya" in page and "Vilnius" in page


def test_production_mode_needs_a_secret_and_secure_cookies(fresh):
    with pytest.raises(RuntimeError, match="SEARCHAPP_SECRET_KEY"):
        create_app({**fresh, "ENV": "production"})
    app = create_app({**fresh, "ENV": "production", "SECRET_KEY": "s" * 40})
    assert app.config["SESSION_COOKIE_SECURE"] and not app.debug
    app.extensions["searchapp"].close()


def test_a_query_over_its_time_limit_says_its_results_may_be_incomplete(demo_paths):
    from searchapp.indexing.searchers import IndexHandle
    from searchapp.search.engine import search
    from searchapp.search.params import SearchParams

    handle = IndexHandle(demo_paths["INDEX_DIR"])
    slow = search(handle, SearchParams(q='"the war"'), time_limit_ms=1e-6)
    normal = search(handle, SearchParams(q='"the war"'))
    handle.close()
    assert any("incomplete" in n for n in slow["notices"]) and not normal["notices"]
    assert slow["total"] <= normal["total"]


def test_unexpected_errors_show_no_internals_and_leave_a_trace_with_the_request_id(fresh, caplog):
    app = create_app({**fresh})  # not TESTING: as in production, exceptions are handled
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    app.add_url_rule("/api/boom", "api_boom", lambda: {}["secret"], methods=["POST"])
    client = app.test_client()
    with caplog.at_level("ERROR", logger="searchapp"):
        page = client.get("/boom?x=1")
        api = client.post("/api/boom")
    assert page.status_code == 500 and "ZeroDivisionError" not in page.get_data(as_text=True)
    assert api.status_code == 500 and api.get_json()["ok"] is False and "secret" not in api.get_data(as_text=True)
    page_id, api_id = page.headers["X-Request-Id"], api.get_json()["request_id"]
    assert page_id in page.get_data(as_text=True) and api.headers["X-Request-Id"] == api_id
    logged = {r.getMessage(): r for r in caplog.records}
    assert f"request {page_id} GET /boom?x=1 failed" in logged
    assert logged[f"request {api_id} POST /api/boom failed"].exc_info[0] is KeyError  # with its traceback
    app.extensions["searchapp"].close()


def test_a_reader_never_creates_an_index_and_a_missing_one_is_a_503(fresh):
    app = create_app({**fresh, "TESTING": True})
    shutil.rmtree(fresh["INDEX_DIR"])
    client = app.test_client()
    assert client.get("/api/search?q=Kyiv").status_code == 503
    assert client.get("/search?q=Kyiv").status_code == 503
    assert not Path(fresh["INDEX_DIR"]).exists()
    app.extensions["searchapp"].close()


def test_entity_page_and_twin(client):
    data = client.get("/api/entity/person:yevgeny-prigozhin").get_json()
    assert data["label"] == "Yevgeny Prigozhin" and data["documents"] >= 5
    assert sum(m["count"] for m in data["timeline"]) == data["documents"]
    assert "person:alexander-lukashenko" in [p["id"] for p in data["people"]]
    assert "place:bakhmut" in [p["id"] for p in data["places"]]
    assert any("<mark>" in p["html"] for hit in data["passages"] for p in hit["passages"])
    assert "Пригожин" in data["spellings"]["cyrillic"]["ru"][0]
    page = client.get("/entity/person:yevgeny-prigozhin")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and 'href="/search?person=person%3Ayevgeny-prigozhin"' in html
    assert client.get("/api/entity/person:nobody").status_code == 404


def test_name_suggestions(client):
    labels = {s["label"] for s in client.get("/api/suggest?prefix=Lukash").get_json()["suggestions"]}
    assert {"Alexander Lukashenko", "Alexander Lukashevich"} <= labels
    kyiv = client.get("/api/suggest", query_string={"prefix": "Київ"}).get_json()["suggestions"][0]
    assert kyiv["id"] == "place:kyiv" and kyiv["matched"] == "Київ"
    assert client.get("/api/suggest?prefix=L").get_json()["suggestions"] == []


def test_did_you_mean_when_nothing_is_found(client):
    data = client.get("/api/search?q=grian%20deal").get_json()
    assert data["total"] == 0 and data["did_you_mean"] == {"q": "grain deal", "url": "/search?q=grain+deal"}
    assert client.get(data["did_you_mean"]["url"].replace("/search", "/api/search")).get_json()["total"] >= 1
    page = client.get("/search?q=grian%20deal").get_data(as_text=True)
    assert 'Did you mean <a href="/search?q=grain+deal">grain deal</a>' in page
    assert client.get("/api/search?q=grain").get_json()["did_you_mean"] is None


def test_finding_a_facet_value_by_any_spelling(client):
    r = client.get("/search", query_string={"q": "", "find_person": "Лукашэнка"})
    assert r.status_code == 302 and "person=person%3Aalexander-lukashenko" in r.headers["Location"]
    r = client.get("/search", query_string={"q": "Minsk", "find_place": "Мінск"})
    assert "q=Minsk" in r.headers["Location"] and "place=place%3Aminsk" in r.headers["Location"]
    unknown = client.get("/search", query_string={"find_person": "Nobody Atall"}, follow_redirects=True)
    assert "No person is known by the name" in unknown.get_data(as_text=True)


def _hrefs(page: str, css_class: str) -> list[str]:
    """The (unescaped) href of every link of class `css_class`, or, for "hit", of every result's title."""
    if css_class == "hit":
        return [html.unescape(h) for h in re.findall(r'<li class="hit">\s*<h2><a href="([^"]*)"', page)]
    tags = re.findall(r"<a\b[^>]*>", page)
    return [html.unescape(re.search(r'href="([^"]*)"', t).group(1)) for t in tags
            if re.search(rf'class="(?:[^"]* )?{css_class}(?: [^"]*)?"', t)]


def _args(url: str) -> Counter:
    return Counter(parse_qsl(urlsplit(url).query, keep_blank_values=True))


SEARCH = ("/search?q=Lukashenko&person=person%3Aalexander-lukashenko&from=2020&to=2024&sort=date&page=2")


def test_a_result_link_carries_its_search_and_back_to_results_returns_to_it(client):
    page = client.get(SEARCH).get_data(as_text=True)
    links = _hrefs(page, "hit")
    assert len(links) == 4  # the second page of 14
    for link in links:
        args = dict(parse_qsl(urlsplit(link).query))
        assert urlsplit(link).path.startswith("/doc/") and args["q"] == "Lukashenko"  # highlights, as before
        assert args["back"] == SEARCH  # the whole search: filter, dates, sort, page
    document = client.get(links[0])
    assert document.status_code == 200
    back = _hrefs(document.get_data(as_text=True), "back")
    assert back == [SEARCH]
    again = client.get(back[0]).get_data(as_text=True)
    assert _hrefs(again, "hit") == links  # the same page of the same search
    # the JSON twin of the document page is advertised and answers, `back` or not
    twin = document.headers["Link"].split(">")[0].lstrip("<")
    assert twin.startswith("/api/doc/") and "back=" in twin
    assert client.get(twin).get_json()["id"] == unquote(urlsplit(links[0]).path.removeprefix("/doc/"))


def test_a_plain_search_links_documents_by_its_query_alone(client):
    page = client.get("/search?q=Kherson").get_data(as_text=True)
    assert all("back=" not in link for link in _hrefs(page, "hit"))
    document = client.get("/doc/demo:en-004?q=Kyiv").get_data(as_text=True)
    assert _hrefs(document, "back") == ["/search?q=Kyiv"]


@pytest.mark.parametrize("back", [
    "https://evil.example/search?q=Kyiv", "//evil.example/search?q=Kyiv", "/\\evil.example/search?q=Kyiv",
    "javascript:alert(1)//search?q=Kyiv", "http:/search?q=Kyiv", "/login?next=//evil.example", "/search/../evil",
    "/search?q=Kyiv&page=abc", "/search?q=Kyiv&sort=sideways", "/search?q=Kyiv&page=%C2%B2", "/search?q=%00",
    "evil.example/search",
])
def test_back_to_results_never_leaves_the_search_page(client, back):
    r = client.get("/doc/demo:en-004", query_string={"q": "Kyiv", "back": back})
    assert r.status_code == 200
    assert _hrefs(r.get_data(as_text=True), "back") == ["/search?q=Kyiv"]  # the plain search instead


def test_back_to_results_is_rebuilt_from_its_parameters(client):
    back = "/search?lang=en&q=Kyiv&nonsense=1&lang=en&expand=0#frag"
    r = client.get("/doc/demo:en-004", query_string={"q": "Kyiv", "back": back})
    assert _hrefs(r.get_data(as_text=True), "back") == ["/search?q=Kyiv&lang=en&expand=0"]
    assert client.get("/api/doc/demo:en-004", query_string={"q": "Kyiv", "back": back}).get_json()["id"] == \
        "demo:en-004"


FILTERED = ("/search?q=Prigozhin&source=Atlantic+Daily&lang=en&lang=ru&person=person%3Ayevgeny-prigozhin"
            "&place=place%3Abakhmut&from=2022&to=2024-06&sort=date&expand=0")


def test_each_active_filter_is_a_chip_that_removes_exactly_that_one_value(client):
    r = client.get(FILTERED + "&page=2")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    chips = re.findall(r'<a class="chip" href="([^"]*)" data-filter="([^"]*)">(.*?)</a>', page, re.S)
    labels = {name: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for _, name, text in chips}
    assert [name for _, name, _ in chips] == ["person", "place", "source", "lang", "lang", "range", "expand"]
    assert "Yevgeny Prigozhin" in labels["person"] and "Bakhmut" in labels["place"]  # labels, not ids
    assert "Atlantic Daily" in labels["source"] and "Russian" in labels["lang"] and "2024" in labels["range"]
    everything = _args(FILTERED)
    removed = [Counter({("person", "person:yevgeny-prigozhin"): 1}), Counter({("place", "place:bakhmut"): 1}),
               Counter({("source", "Atlantic Daily"): 1}), Counter({("lang", "en"): 1}), Counter({("lang", "ru"): 1}),
               Counter({("from", "2022"): 1, ("to", "2024-06"): 1}), Counter({("expand", "0"): 1})]
    for (href, name, _), gone in zip(chips, removed, strict=True):
        href = html.unescape(href)
        assert urlsplit(href).path == "/search" and _args(href) == everything - gone, name  # page reset too
        assert client.get(href).status_code == 200
    clear = _hrefs(page, "clear-all")
    assert clear == ["/search?q=Prigozhin&sort=date"]


def test_one_filter_has_a_chip_but_no_clear_all_and_none_has_no_chips(client):
    one = client.get("/search?q=Prigozhin&lang=en").get_data(as_text=True)
    assert re.findall(r'class="chip" href="([^"]*)"', one) == ["/search?q=Prigozhin"] and 'class="clear-all"' not in one
    none = client.get("/search?q=Prigozhin").get_data(as_text=True)
    assert 'class="chip"' not in none and 'class="chips"' not in none


# The date histogram and an entity's timeline are charts drawn on the server, in inline SVG (issue 17).

def _chart(page: str):
    """The chart (<div class="chart">) of a page, parsed as the XML that inline SVG is."""
    from lxml import etree

    return etree.fromstring(re.search(r'<div class="chart">.*?</div>', page, re.S).group(0))


def _texts(chart, group: str) -> list[str]:
    return [t.text for t in chart.iterfind(f"svg/g[@class='{group}']/text")]


def _rows(labels) -> tuple[list[str], list[str]]:
    """The labels under a chart's bars (months, days) and those below them (years, months)."""
    return ([t.text for t in labels if "major" not in t.get("class")],
            [t.text for t in labels if "major" in t.get("class")])


def test_the_date_histogram_draws_a_labelled_bar_per_bucket_and_the_undated_apart(fresh, tmp_path, make_app):
    dates = ["2022-07-22", "2022-08-01", "2023-01-10", "2023-07-17", "2023-07-18", ""]
    path = write_jsonl(tmp_path / "g.jsonl", [{"id": f"g{i}", "title": f"Grain {i}", "text": "Grain corridor.",
                                                **({"date": d} if d else {})} for i, d in enumerate(dates)])
    from searchapp.docstore import DocStore
    from searchapp.pipeline import import_paths
    import_paths([str(path)], DocStore(fresh["DB"]), fresh["INDEX_DIR"])
    client = make_app(fresh).test_client()
    facet = client.get("/api/search?q=grain").get_json()["facets"]["date"]
    assert len(facet) == 14  # 13 months, empty ones too, and the undated
    chart = _chart(client.get("/search?q=grain").get_data(as_text=True))
    plot, undated = chart.findall("svg")  # the undated documents apart, after the dated ones
    assert (plot.get("class"), plot.get("role"), plot.get("aria-label")) == ("plot", "group", "Documents by month")
    bars = plot.findall("g[@class='buckets']/a[@class='bar']")  # one link per month with documents
    assert [a.get("href") for a in bars] == [b["url"] for b in facet if b["count"] and b["value"] != "unknown"]
    named = ["July 2022: 1 document", "August 2022: 1 document", "January 2023: 1 document", "July 2023: 2 documents"]
    assert [a.get("aria-label") for a in bars] == [a.findtext("rect/title") for a in bars] == named
    axis = float(plot.find("line[@class='axis']").get("y1"))
    rects = [a.find("rect") for a in bars]
    assert all(abs(float(r.get("y")) + float(r.get("height")) - axis) <= 1 for r in rects)  # bars stand on the axis
    assert float(rects[-1].get("height")) == 2 * float(rects[0].get("height"))
    labels = plot.findall("g[@class='labels']/text")
    assert labels and all(float(t.get("y")) > axis + 8 for t in labels)  # under the bars
    months, years = _rows(labels)
    assert months[0] == "Jul" and months[-1] == "Jul" and len(months) >= 4  # first, last, some between
    assert set(months) <= {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
    assert years == ["2022", "2023"]  # below the months: from the first month, and from January
    assert min(float(t.get("y")) for t in labels if "major" in t.get("class")) > float(labels[0].get("y"))
    assert _texts(chart, "counts") == ["1", "1", "1", "2"]  # room for a count above each bar
    assert undated.get("class") == "undated" and undated.get("role") == "img"
    assert undated.get("aria-label") == "Date unknown: 1" and undated.find(".//a") is None
    assert [t.text for t in undated.iterfind("text")] == ["1", "unknown"]
    uk = _chart(client.get("/search?q=grain", headers={"Accept-Language": "uk"}).get_data(as_text=True))
    uk_months, uk_years = _rows(uk.findall("svg/g[@class='labels']/text"))
    assert uk_months[0] == uk_months[-1] == "лип." and uk_years == years  # months in Ukrainian
    assert uk.find("svg/g/a").get("aria-label").startswith("липень 2022")
    assert [t.text for t in uk.iterfind("svg[@class='undated']/text")] == ["1", "невідома"]


def test_the_year_histogram_leaves_empty_years_as_gaps_and_drills_down(client):
    chart = _chart(client.get("/search?q=Lukashenko").get_data(as_text=True))  # mentioned 2020-2024, not 2021
    assert _texts(chart, "labels") == ["2020", "2021", "2022", "2023", "2024"]
    bars = chart.findall("svg/g/a[@class='bar']")
    hrefs = [a.get("href") for a in bars]
    assert hrefs == [f"/search?q=Lukashenko&from={y}-01-01&to={y}-12-31" for y in (2020, 2022, 2023, 2024)]
    counts = [int(a.get("aria-label").split(": ")[1].split()[0]) for a in bars]
    assert str(max(counts)) in _texts(chart, "counts")
    months = _chart(client.get(hrefs[0]).get_data(as_text=True))
    assert months.find("svg").get("aria-label") == "Documents by month"
    assert all(re.fullmatch(r"/search\?q=Lukashenko&from=2020-\d\d-01&to=2020-\d\d-\d\d", a.get("href"))
               for a in months.iterfind("svg/g/a"))


def test_the_entity_timeline_has_an_axis_month_labels_and_a_bar_per_month_with_mentions(client):
    timeline = client.get("/api/entity/place:kyiv").get_json()["timeline"]
    chart = _chart(client.get("/entity/place:kyiv").get_data(as_text=True))
    plot = chart.find("svg")
    assert plot.find("line[@class='axis']") is not None
    bars = plot.findall("g/a[@class='bar']")
    assert [a.get("href") for a in bars] == [f"/search?place=place%3Akyiv&from={m['value']}&to={m['value']}"
                                             for m in timeline if m["count"]]
    labels = plot.findall("g[@class='labels']/text")
    months, years = _rows(labels)
    assert months[0] == "Feb" and len(months) > 4 and years == ["2022", "2023", "2024"]
    shown_first = [t.get("class") for t in labels if "major" not in t.get("class")]
    assert shown_first[0] == shown_first[-1] == "lv0"  # the first and the last month, always
    assert len({t.get("class") for t in labels}) > 2  # more labels on wider screens (style.css)


def test_chart_labels_are_thinned_to_what_fits_years_first_then_months(app):
    from searchapp.web.charts import LEVEL_WIDTHS, time_chart

    months = [{"value": f"{y}-{m:02d}", "count": (y * m) % 7, "url": "/"} for y in range(2015, 2025)
              for m in range(1, 13)]
    with app.test_request_context():
        chart = time_chart(months, "month")
    levels = range(len(LEVEL_WIDTHS))
    by_level = [([lb["text"] for lb in chart.labels if lb["level"] <= level and not lb["major"]],
                 [lb["text"] for lb in chart.labels if lb["level"] <= level and lb["major"]]) for level in levels]
    assert by_level[0][0] == ["Jan", "Dec"]  # the first and the last month, always
    assert 2 <= len(by_level[0][1]) <= 5  # a few years
    assert all(len(a[0]) <= len(b[0]) and len(a[1]) <= len(b[1]) for a, b in zip(by_level, by_level[1:], strict=False))
    assert by_level[-1][1] == [str(y) for y in range(2015, 2025)]  # every year
    assert by_level[-1][0].count("Jul") == 10  # and months between
    assert [c["text"] for c in chart.counts if c["level"] == 0] == ["6"]  # the highest bar's count, always


def test_the_spelling_table_says_where_a_spelling_comes_from_in_plain_words(client):
    page = client.get("/entity/person:alexander-lukashenko").get_data(as_text=True)
    assert "the archive&#39;s name list" in page and "curated" not in page
    table = page[page.index('<dl class="spellings">'):]
    # one element per name, so that a line breaks between names, never inside one
    assert re.search(r'<span class="spelling">Alexander Lukashenko,?</span>', table)
