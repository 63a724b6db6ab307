"""Who may do what: every route, as an anonymous visitor, a reader, an archivist, and by token."""

import pytest
from click.testing import CliRunner
from helpers import PASSWORD, add_accounts, csrf_token

from searchapp.cli import main


@pytest.fixture(scope="module")
def setup(tmp_path_factory, seeded_db):
    import shutil

    from searchapp import create_app
    from searchapp.docstore import DocStore
    from searchapp.model import Document
    from searchapp.pipeline import index_pending

    root = tmp_path_factory.mktemp("authz")
    paths = {"DB": str(root / "store.db"), "INDEX_DIR": str(root / "index")}
    shutil.copy(seeded_db, paths["DB"])
    add_accounts(paths["DB"])
    store = DocStore(paths["DB"])
    store.put_many([Document(id="d1", title="Kyiv", text="Kyiv metro.", lang="en")])
    index_pending(store, paths["INDEX_DIR"])
    app = create_app({**paths, "TESTING": True})
    tokens = {u: CliRunner().invoke(main, ["token", "create", u], env={"SEARCHAPP_DB": paths["DB"]}).output.strip()
              for u in ("ada", "rita")}
    ada = {"Authorization": f"Bearer {tokens['ada']}"}
    saved = app.test_client().post("/api/saved-queries", json={"name": "k", "query": "q=Kyiv"}, headers=ada).get_json()
    yield app, tokens, saved["id"]
    app.extensions["searchapp"].close()


def client_as(app, who):
    client = app.test_client()
    if who in ("reader", "archivist"):
        name = {"reader": "rita", "archivist": "ada"}[who]
        client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    return client


PUBLIC = ["/", "/search?q=Kyiv", "/doc/d1", "/api/search?q=Kyiv", "/api/doc/d1", "/api/aliases?name=Kiev",
          "/healthz", "/api/openapi.json", "/opensearch.xml", "/entity/place:kyiv", "/api/entity/place:kyiv",
          "/api/suggest?prefix=Ky", "/login"]
ARCHIVIST_PAGES = ["/upload", "/names?name=Kiev", "/doc/d1/edit", "/doc/d1/delete", "/trash"]


@pytest.mark.parametrize("who", ["anonymous", "reader", "archivist"])
@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_are_open_to_everyone(setup, who, path):
    assert client_as(setup[0], who).get(path).status_code == 200


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("reader", 403), ("archivist", 200)])
@pytest.mark.parametrize("path", ARCHIVIST_PAGES)
def test_archivist_pages(setup, path, who, status):
    assert client_as(setup[0], who).get(path).status_code == status


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("reader", 403), ("archivist", 404)])
def test_deleting_needs_an_archivist(setup, who, status):
    client = client_as(setup[0], who)
    token = csrf_token(client, "/login")
    assert client.get("/doc/no-such-doc/delete").status_code == status
    assert client.post("/doc/no-such-doc/delete", data={"csrf_token": token}).status_code == status


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("reader", 403), ("archivist", 404)])
def test_restoring_from_the_trash_needs_an_archivist(setup, who, status):
    client = client_as(setup[0], who)
    token = csrf_token(client, "/login")
    assert client.post("/trash/no-such-doc/restore", data={"csrf_token": token}).status_code == status


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("reader", 403), ("archivist", 302)])
def test_purging_the_trash_needs_an_archivist(setup, who, status):
    client = client_as(setup[0], who)
    response = client.post("/trash/purge", data={"csrf_token": csrf_token(client, "/login")})
    assert response.status_code == status
    if who == "archivist":
        assert response.headers["Location"] == "/trash"  # and nothing was in the trash to purge


@pytest.mark.parametrize("token_of, status", [(None, 401), ("rita", 403), ("ada", 201)])
def test_adding_documents_by_api(setup, token_of, status):
    app, tokens, _ = setup
    headers = {"Authorization": f"Bearer {tokens[token_of]}"} if token_of else {}
    r = app.test_client().post("/api/documents", json={"title": f"Note {token_of}", "text": f"About {token_of}"},
                               headers=headers)
    assert r.status_code == status and r.is_json


@pytest.mark.parametrize("token_of, status", [(None, 401), ("rita", 403), ("ada", 200)])
def test_a_saved_query_is_its_owners(setup, token_of, status):
    app, tokens, saved_id = setup
    headers = {"Authorization": f"Bearer {tokens[token_of]}"} if token_of else {}
    client = app.test_client()
    for path in (f"/api/saved-queries/{saved_id}", f"/api/saved-queries/{saved_id}/results"):
        assert client.get(path, headers=headers).status_code == status


def test_feeds_need_their_feed_token(setup):
    app, _, saved_id = setup
    assert app.test_client().get(f"/saved-queries/{saved_id}/feed.atom").status_code == 404
    assert app.test_client().get(f"/saved-queries/{saved_id}/feed.atom?token=guess").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "reader", "archivist"])
def test_everyone_may_choose_the_interface_language(setup, who):
    r = client_as(setup[0], who).get("/language/uk?next=/search")
    assert r.status_code == 302 and r.headers["Location"] == "/search"


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("reader", 403)])
@pytest.mark.parametrize("path, form", [("/upload", {}), ("/names", {"action": "add", "entity": "place:kyiv",
                                                                      "spelling": "Kyjiw"}),
                                        ("/doc/d1/edit", {"title": "Changed"})])
def test_archivist_forms_refuse_others(setup, path, form, who, status):
    client = client_as(setup[0], who)
    assert client.post(path, data={**form, "csrf_token": csrf_token(client, "/login")}).status_code == status


@pytest.mark.parametrize("token_of, status", [(None, 401), ("rita", 403)])
def test_only_the_owner_changes_or_deletes_a_saved_query(setup, token_of, status):
    app, tokens, saved_id = setup
    headers = {"Authorization": f"Bearer {tokens[token_of]}"} if token_of else {}
    client = app.test_client()
    assert client.put(f"/api/saved-queries/{saved_id}", json={"name": "mine", "query": "q=Lviv"},
                      headers=headers).status_code == status
    assert client.delete(f"/api/saved-queries/{saved_id}", headers=headers).status_code == status
    owner = {"Authorization": f"Bearer {tokens['ada']}"}
    assert client.get(f"/api/saved-queries/{saved_id}", headers=owner).get_json()["name"] == "k"


# Every route and method, and the test above that settles who may use it.
MATRIX = {
    ("/", "GET"), ("/search", "GET"), ("/doc/<path:doc_id>", "GET"), ("/api/search", "GET"),
    ("/api/doc/<path:doc_id>", "GET"), ("/api/aliases", "GET"), ("/healthz", "GET"), ("/api/openapi.json", "GET"),
    ("/opensearch.xml", "GET"), ("/entity/<path:entity_id>", "GET"), ("/api/entity/<path:entity_id>", "GET"),
    ("/api/suggest", "GET"), ("/login", "GET"),  # public pages
    ("/login", "POST"), ("/logout", "POST"),  # test_web_auth
    ("/language/<code>", "GET"),  # anyone
    ("/upload", "GET"), ("/names", "GET"), ("/doc/<path:doc_id>/edit", "GET"),  # archivist pages
    ("/doc/<path:doc_id>/delete", "GET"), ("/trash", "GET"),
    ("/upload", "POST"), ("/names", "POST"), ("/doc/<path:doc_id>/edit", "POST"),  # archivist forms
    ("/doc/<path:doc_id>/delete", "POST"),  # test_deleting_needs_an_archivist
    ("/trash/<path:doc_id>/restore", "POST"),  # test_restoring_from_the_trash_needs_an_archivist
    ("/trash/purge", "POST"),  # test_purging_the_trash_needs_an_archivist
    ("/api/documents", "POST"),
    ("/api/saved-queries", "GET"), ("/api/saved-queries", "POST"),  # test_api_saved: a token's own list
    ("/api/saved-queries/<int:query_id>", "GET"), ("/api/saved-queries/<int:query_id>/results", "GET"),
    ("/api/saved-queries/<int:query_id>", "PUT"), ("/api/saved-queries/<int:query_id>", "DELETE"),
    ("/saved-queries/<int:query_id>/feed.atom", "GET"),
    ("/api/batch-search", "POST"),  # public, like /api/search (test_api_contract)
    ("/static/<path:filename>", "GET"),
}


def test_every_route_is_in_the_matrix(setup):
    routes = {(rule.rule, method) for rule in setup[0].url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == MATRIX, "a route was added or removed: settle who may use it, here"
