"""The OpenAPI description matches real answers; batch search; rate limits."""

import io
import re

import pytest
from click.testing import CliRunner
from helpers import add_accounts
from jsonschema import Draft202012Validator

from searchapp.cli import main


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def validate(spec, name, body):
    schema = {**spec["components"]["schemas"][name], "$defs": {}}
    resolver_root = {"components": spec["components"], **schema}
    Draft202012Validator(resolver_root).validate(body)


@pytest.mark.parametrize("path, schema", [
    ("/api/search?q=Lukashenka&lang=en", "SearchResult"),
    ("/api/search?q=&from=2022&to=2023&sort=date", "SearchResult"),
    ("/api/doc/demo:en-004?q=Kyiv", "Document"),
    ("/api/aliases?name=Kiev", "Aliases"),
    ("/api/entity/person:alexander-lukashenko", "Entity"),
    ("/healthz", "Health"),
    ("/api/search?page=0", "Error"),
    ("/api/doc/nope", "Error"),
])
def test_real_answers_validate_against_the_description(client, spec, path, schema):
    validate(spec, schema, client.get(path).get_json())


def test_every_api_route_is_described(app, spec):
    routes = {re.sub(r"<[^>]+>", "{id}", r.rule) for r in app.url_map.iter_rules()
              if r.rule.startswith(("/api/", "/healthz", "/saved-queries"))}
    assert routes <= set(spec["paths"]) | {"/api/openapi.json"}


def test_saved_queries_and_batch_validate(fresh, make_app):
    add_accounts(fresh["DB"])
    app = make_app(fresh)
    client = app.test_client()
    spec = client.get("/api/openapi.json").get_json()
    token = CliRunner().invoke(main, ["token", "create", "ada"], env={"SEARCHAPP_DB": fresh["DB"]}).output.strip()
    headers = {"Authorization": f"Bearer {token}"}
    added = client.post("/api/documents", json={"title": "Kyiv", "text": "Kyiv metro."}, headers=headers)
    validate(spec, "UploadResult", added.get_json())
    saved = client.post("/api/saved-queries", json={"name": "K", "query": "q=Kyiv"}, headers=headers).get_json()
    validate(spec, "SavedQuery", saved)
    validate(spec, "SearchResult", client.get(f"/api/saved-queries/{saved['id']}/results", headers=headers).get_json())
    batch = client.post("/api/batch-search", json={"queries": ["Kyiv", "q=Kyiv&lang=pl", {"q": "Kyiv"},
                                                               "sort=sideways"], "top": 2})
    validate(spec, "BatchResult", batch.get_json())


def test_batch_search_json_and_csv(client):
    data = client.post("/api/batch-search", json={"queries": ["Lukashenka", "q=Prigozhin&lang=ru", "page=0"],
                                                  "top": 2}).get_json()
    lukashenka, prigozhin, bad = data["results"]
    assert lukashenka["total"] >= 10 and len(lukashenka["top"]) == 2
    assert prigozhin["total"] >= 1 and all(h["id"].startswith("demo:ru-") for h in prigozhin["top"])
    assert "page" in bad["error"]
    csv_upload = client.post("/api/batch-search?format=csv", data={
        "file": (io.BytesIO(b"Kyiv\nq=Minsk&lang=be\n"), "queries.csv"), "top": "1"},
        content_type="multipart/form-data")
    lines = csv_upload.get_data(as_text=True).strip().splitlines()
    assert csv_upload.mimetype == "text/csv" and lines[0] == "query,total,error,top1" and len(lines) == 3
    assert client.post("/api/batch-search", json={"queries": ["x"] * 101}).status_code == 413
    assert client.post("/api/batch-search", json={"queries": "Kyiv"}).status_code == 400


def test_rate_limits(fresh, make_app):
    add_accounts(fresh["DB"])
    app = make_app({**fresh, "RATE_ANON_PER_MIN": 3, "RATE_TOKEN_PER_MIN": 2})
    client = app.test_client()
    assert [client.get("/api/search?q=x").status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get("/api/search?q=x")
    assert int(limited.headers["Retry-After"]) > 0 and limited.get_json()["status"] == 429
    assert client.get("/search?q=x").status_code == 200  # pages are not API calls
    token = CliRunner().invoke(main, ["token", "create", "ada"], env={"SEARCHAPP_DB": fresh["DB"]}).output.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert [client.get("/api/saved-queries", headers=headers).status_code for _ in range(3)] == [200, 200, 429]
