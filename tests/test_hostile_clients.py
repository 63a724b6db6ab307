"""Clients that can't misbehave: forged or stale credentials, hostile ids and bodies, and answers
that carry nothing a client can abuse (formula cells, control characters, another site's Host)."""

import io
import time

import feedparser
import pytest
from helpers import PASSWORD, add_accounts, csrf_token

from searchapp import accounts
from searchapp.web.limits import RateCounter


@pytest.fixture()
def app(fresh, make_app):
    add_accounts(fresh["DB"])
    return make_app({**fresh, "PUBLIC_URL": "https://archive.example.org"})


@pytest.fixture()
def token(app):
    return app.extensions["searchapp"].users.create_token("ada")[1]


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def login(client, name="ada"):
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})


def test_an_unknown_bearer_token_is_a_401_everywhere(app):
    client = app.test_client()
    for path in ("/api/search?q=Kyiv", "/api/suggest?prefix=Ky", "/healthz", "/search?q=Kyiv"):
        response = client.get(path, headers=auth("sa_made_up"))
        assert response.status_code == 401, path


def test_logging_out_ends_the_session_on_the_server(app):
    client = app.test_client()
    login(client)
    assert client.get("/upload").status_code == 200
    copied = client.get_cookie("session").value
    client.post("/logout", data={"csrf_token": csrf_token(client, "/upload")})
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/upload").status_code == 302  # sent to log in: the session is over


def test_saved_query_ids_beyond_sqlite_and_anonymous_callers(app, token):
    client = app.test_client()
    created = client.post("/api/saved-queries", json={"name": "Kyiv", "query": "q=Kyiv"}, headers=auth(token))
    query_id = created.get_json()["id"]
    huge = 2**64
    assert client.get(f"/api/saved-queries/{huge}", headers=auth(token)).status_code == 404
    assert client.get(f"/saved-queries/{huge}/feed.atom?token=x").status_code == 404
    for path in (f"/api/saved-queries/{query_id}", f"/api/saved-queries/{query_id + 1}", f"/api/saved-queries/{huge}"):
        assert client.get(path).status_code == 401  # which ids exist is no stranger's business


@pytest.mark.parametrize("path", ["/api/documents", "/api/saved-queries", "/api/batch-search"])
def test_a_lone_surrogate_in_json_is_a_400(app, token, path):
    body = b'{"title": "\\ud800", "name": "\\ud800", "text": "x", "queries": ["\\ud800"]}'
    response = app.test_client().post(path, data=body, content_type="application/json", headers=auth(token))
    assert response.status_code == 400 and response.is_json


def test_parameters_that_are_not_utf8_are_a_400(app):
    client = app.test_client()
    assert client.get("/api/search?q=%ff%fe").status_code == 400
    assert client.get("/search?q=%ff").status_code == 400


def test_control_characters_are_dropped_and_feeds_stay_well_formed(app, token):
    client = app.test_client()
    created = client.post("/api/saved-queries", json={"name": "Bells", "query": "q=belltower"}, headers=auth(token))
    hostile = {"title": "Belltower\x00 repaired\x0b", "text": "The belltower\x07 rings again.\x1b[31m", "lang": "en"}
    assert client.post("/api/documents", json=hostile, headers=auth(token)).status_code == 201
    feed_url = created.get_json()["feed"]
    assert feed_url.startswith("https://archive.example.org/saved-queries/")
    feed = client.get(feed_url.removeprefix("https://archive.example.org"), headers={"Host": "evil.example"})
    parsed = feedparser.parse(feed.get_data())
    assert not parsed.bozo and parsed.entries[0].title == "Belltower repaired"
    assert all(link.href.startswith("https://archive.example.org/") for link in parsed.feed.links)
    doc = client.get(f"/api/doc/{parsed.entries[0].id.removeprefix('urn:searchapp:doc:')}").get_json()
    assert doc["title"] == "Belltower repaired" and "\x07" not in doc["text"]


def test_absolute_urls_never_follow_the_host_header(app):
    body = app.test_client().get("/opensearch.xml", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in body and "https://archive.example.org/search" in body


def test_csv_cells_never_start_a_formula(app):
    response = app.test_client().post("/api/batch-search?format=csv", json={"queries": ["=HYPERLINK(1)", "@SUM(1)"]})
    lines = response.get_data(as_text=True).splitlines()
    assert lines[1].startswith("'=HYPERLINK") and lines[2].startswith("'@SUM")


def test_ids_are_checked(app, token):
    client = app.test_client()
    response = client.post("/api/documents", json={"id": "../../../etc/passwd", "title": "x", "text": "y"},
                           headers=auth(token))
    assert response.status_code == 422 and "id" in response.get_json()["error"]
    registry = app.extensions["searchapp"].registry
    with pytest.raises(ValueError):
        registry.split("place:kyiv", "Kiev", new_id='place:"><script>')
    assert "Kiev" in registry.get("place:kyiv").spellings  # a refused split changes nothing


def test_an_unknown_user_name_costs_one_password_check_like_a_known_one(fresh, monkeypatch):
    users = accounts.Users(fresh["DB"])
    users.add("known", PASSWORD, "archivist")
    users.verify("nobody", "warm up")  # the stand-in hash is made once
    made = []
    monkeypatch.setattr(accounts, "generate_password_hash", lambda *a, **k: made.append(a) or "x")
    started = time.perf_counter()
    users.verify("nobody", "wrong password")
    unknown = time.perf_counter() - started
    started = time.perf_counter()
    users.verify("known", "wrong password")
    known = time.perf_counter() - started
    users.close()
    assert made == [] and unknown < 3 * known


def test_failed_logins_for_one_name_lock_out_no_one_else_on_the_address(app):
    client = app.test_client()
    for _ in range(6):
        client.post("/login", data={"username": "ada", "password": "wrong", "csrf_token": csrf_token(client, "/login")})
    assert client.post("/login", data={"username": "ada", "password": PASSWORD,
                                       "csrf_token": csrf_token(client, "/login")}).status_code == 429
    rita = app.test_client()
    login(rita, "rita")
    assert rita.get("/").status_code == 200 and rita.get_cookie("session") is not None


def test_405_says_what_is_allowed_and_speaks_json_under_api(app):
    response = app.test_client().delete("/api/search")
    assert response.status_code == 405 and response.is_json
    assert set(response.headers["Allow"].split(", ")) >= {"GET"}


def test_a_suggestion_needs_its_prefix(app):
    assert app.test_client().get("/api/suggest").status_code == 400


def test_an_upload_body_over_the_limit_is_a_413_even_without_a_length(fresh, make_app):
    add_accounts(fresh["DB"])
    app = make_app({**fresh, "MAX_UPLOAD_MB": 1})
    token = app.extensions["searchapp"].users.create_token("ada")[1]
    body = b'{"title": "x", "text": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    response = app.test_client().post("/api/documents", input_stream=io.BytesIO(body), content_type="application/json",
                                      headers={**auth(token), "Transfer-Encoding": "chunked"},
                                      environ_overrides={"wsgi.input_terminated": True})  # as gunicorn says
    assert response.status_code == 413


def test_refused_requests_do_not_count_so_waiting_retry_after_is_enough(fresh, monkeypatch):
    counter = RateCounter(fresh["DB"])
    now = [1_000_000.0]  # the start of a minute
    monkeypatch.setattr("searchapp.web.limits.time.time", lambda: now[0])
    assert counter.hit("k", 2) == 0 and counter.hit("k", 2) == 0
    retry = counter.hit("k", 2)
    assert retry > 0
    for _ in range(20):
        counter.hit("k", 2)  # refused, again and again
    now[0] += 60 + retry  # a client that waited as told (past the minute its requests fell in)
    assert counter.hit("k", 2) == 0
    counter.close()


@pytest.mark.parametrize("target", ["/\\evil.example/", "//evil.example/", "/\t/evil.example/", "https://evil.example/"])
def test_redirects_after_a_language_switch_stay_on_this_site(app, target):
    r = app.test_client().get("/language/en", query_string={"next": target})
    assert r.status_code == 302 and r.headers["Location"] == "/"


@pytest.mark.parametrize("path", ["/api/search?page=²", "/search?page=²", "/api/batch-search"])
def test_digits_that_are_not_ascii_are_a_400_not_a_500(app, path):
    client = app.test_client()
    r = client.post(path, json={"queries": ["Kyiv"], "top": "²"}) if "batch" in path else client.get(path)
    assert r.status_code == 400
