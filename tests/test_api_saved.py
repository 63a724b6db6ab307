"""API clients: tokens, saved queries, what is new since a time or since the last call, Atom."""

import time
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from helpers import add_accounts, both_engines, store_env, store_of

from searchapp.accounts import Users
from searchapp.cli import main

pytestmark = both_engines  # the same tests on SQLite and on PostgreSQL

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture()
def app(fresh, make_app):
    add_accounts(store_of(fresh))
    return make_app(fresh)


def new_token(fresh, user="ada"):
    result = CliRunner().invoke(main, ["token", "create", user], env={**store_env(fresh)})
    assert result.exit_code == 0
    return result.output.strip()


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def add(client, token, title, text):
    r = client.post("/api/documents", json={"title": title, "text": text, "lang": "en"}, headers=auth(token))
    assert r.status_code == 201, r.get_json()
    return r.get_json()["results"][0]["id"]


def test_token_life_cycle(app, fresh):
    client = app.test_client()
    token = new_token(fresh)
    assert token.startswith("sa_") and "\n" not in token
    assert client.get("/api/saved-queries", headers=auth(token)).status_code == 200
    assert client.get("/api/saved-queries").status_code == 401
    assert client.get("/api/saved-queries", headers=auth("sa_wrong")).status_code == 401
    revoked = CliRunner().invoke(main, ["token", "revoke", token], env={**store_env(fresh)})
    assert revoked.exit_code == 0
    r = client.get("/api/saved-queries", headers=auth(token))
    assert r.status_code == 401 and r.get_json()["ok"] is False
    users = Users(store_of(fresh))
    assert users.get_by_name("ada") is not None and users.user_for_token(token) is None
    users.close()


def test_a_reader_token_cannot_add_documents(app, fresh):
    reader = auth(new_token(fresh, "rita"))
    r = app.test_client().post("/api/documents", json={"title": "x", "text": "y"}, headers=reader)
    assert r.status_code == 403 and r.is_json


def test_saved_query_crud_and_ownership(app, fresh):
    client, ada, rita = app.test_client(), new_token(fresh), new_token(fresh, "rita")
    created = client.post("/api/saved-queries", json={"name": "Kyiv in Ukrainian", "query": "q=Kyiv&lang=uk"},
                          headers=auth(ada))
    assert created.status_code == 201
    saved = created.get_json()
    assert saved["query"]["q"] == "Kyiv" and saved["query"]["filters"] == {"lang": ["uk"]}
    assert created.headers["Location"].endswith(f"/api/saved-queries/{saved['id']}")
    url = f"/api/saved-queries/{saved['id']}"
    assert client.get(url, headers=auth(rita)).status_code == 403
    assert client.get("/api/saved-queries", headers=auth(rita)).get_json() == {"saved_queries": []}
    updated = client.put(url, json={"name": "Kyiv", "query": {"q": "Kyiv", "expand": "0"}}, headers=auth(ada))
    assert updated.status_code == 200 and updated.get_json()["query"]["expand"] is False
    assert client.put(url, json={"query": "q=x"}, headers=auth(ada)).status_code == 400
    assert client.post("/api/saved-queries", json={"name": "bad", "query": "sort=sideways"},
                       headers=auth(ada)).status_code == 400
    assert client.delete(url, headers=auth(rita)).status_code == 403
    assert client.delete(url, headers=auth(ada)).status_code == 204
    assert client.get(url, headers=auth(ada)).status_code == 404


def test_results_and_what_is_new(app, fresh):
    client, ada = app.test_client(), new_token(fresh)
    second = new_token(fresh)  # a second client of the same user
    metro = add(client, ada, "Kyiv metro", "Kyiv metro stations served as shelters.")
    saved = client.post("/api/saved-queries", json={"name": "Kyiv", "query": "q=Kyiv"}, headers=auth(ada)).get_json()
    assert saved["feed"].endswith(f"/saved-queries/{saved['id']}/feed.atom?token={saved['feed'].split('=')[-1]}")
    results = f"/api/saved-queries/{saved['id']}/results"
    everything = client.get(results, headers=auth(ada)).get_json()
    assert everything["total"] == 1 and {"query", "results", "facets", "expansions"} <= set(everything)
    # The first since=last hands over the query's newest matches at the time it was saved, then only new ones.
    assert [r["id"] for r in client.get(results + "?since=last", headers=auth(ada)).get_json()["results"]] == [metro]
    nothing_new = client.get(results + "?since=last", headers=auth(ada)).get_json()
    assert nothing_new["total"] == 0 and nothing_new["per_page"] == 0 and nothing_new["results"] == []
    before = datetime.now(UTC).isoformat(timespec="seconds")
    time.sleep(1.1)
    new_id = add(client, ada, "Air raid in Kiev", "Sirens sounded over Kiev at night.")  # another spelling
    add(client, ada, "Lviv", "Nothing about the capital here.")
    first = client.get(results + "?since=last", headers=auth(ada)).get_json()
    assert [r["id"] for r in first["results"]] == [new_id]
    assert client.get(results + "?since=last", headers=auth(ada)).get_json()["total"] == 0  # never repeated
    assert {r["id"] for r in client.get(results + "?since=last", headers=auth(second)).get_json()["results"]} == {
        metro, new_id}  # the other client has its own cursor
    assert [r["id"] for r in client.get(results, query_string={"since": before}, headers=auth(ada))
            .get_json()["results"]] == [new_id]
    assert client.get(results + "?since=yesterday", headers=auth(ada)).status_code == 400


def test_atom_feed(app, fresh):
    client, ada = app.test_client(), new_token(fresh)
    saved = client.post("/api/saved-queries", json={"name": "Kyiv <news>", "query": "q=Kyiv"},
                        headers=auth(ada)).get_json()
    add(client, ada, "Kyiv <b>metro</b>", "Kyiv metro & shelters.")
    feed_url = client.get(f"/api/saved-queries/{saved['id']}", headers=auth(ada)).get_json()["feed"]
    assert feed_url.startswith("http://127.0.0.1:8000/")  # SEARCHAPP_PUBLIC_URL, whatever the request's Host
    path = feed_url.removeprefix("http://127.0.0.1:8000")
    assert client.get(path.split("?")[0]).status_code == 404  # the feed token is required
    r = client.get(path)
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    root = ET.fromstring(r.data)
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}title").text == "searchapp: Kyiv <news>"
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Kyiv <b>metro</b>"
    assert entry.find(f"{ATOM}id").text.startswith("urn:searchapp:doc:")
    assert ET.fromstring(client.get(path).data).find(f"{ATOM}entry/{ATOM}id").text == entry.find(f"{ATOM}id").text
