"""HTTP: pages and JSON twins, shapes of PRODUCT.md, errors as messages, escaping, headers, freshness."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

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
