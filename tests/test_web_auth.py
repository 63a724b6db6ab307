"""Accounts and sessions: login, logout, throttling, CSRF, roles, and the archivists' name page."""


import pytest
from click.testing import CliRunner
from helpers import PASSWORD, add_accounts, both_engines, csrf_token, store_env, store_of

from searchapp.accounts import Users
from searchapp.cli import main

pytestmark = both_engines  # the same tests on SQLite and on PostgreSQL


def login(client, name, password=PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token})


@pytest.fixture()
def app(fresh, make_app):
    add_accounts(store_of(fresh))
    return make_app(fresh)


@pytest.fixture()
def client(app):
    return app.test_client()


def test_user_add_from_the_command_line(fresh):
    runner = CliRunner()
    env = {**store_env(fresh), "SEARCHAPP_PASSWORD": PASSWORD}
    result = runner.invoke(main, ["user", "add", "olga", "--role", "archivist"], env=env)
    assert result.exit_code == 0 and "created archivist 'olga'" in result.output
    again = runner.invoke(main, ["user", "add", "olga"], env=env)
    assert again.exit_code != 0 and "already a user" in again.output
    short = runner.invoke(main, ["user", "add", "max"], env={**env, "SEARCHAPP_PASSWORD": "short"})
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    users = Users(store_of(fresh))
    assert users.verify("olga", PASSWORD).is_archivist and users.verify("olga", "wrong password") is None
    users.close()


def test_login_and_logout(client):
    response = login(client, "ada")
    assert response.status_code == 302
    assert "ada" in client.get("/").get_data(as_text=True)
    logout = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert logout.status_code == 302
    assert "Log in" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_and_throttled(client):
    for _ in range(5):
        assert login(client, "ada", "wrong password").status_code == 401
    blocked = login(client, "ada")  # even the right password waits now
    assert blocked.status_code == 429 and blocked.headers["Retry-After"]


def test_forms_without_a_csrf_token_are_rejected(client):
    response = client.post("/login", data={"username": "ada", "password": PASSWORD})
    assert response.status_code == 400 and "form expired" in response.get_data(as_text=True)
    login(client, "ada")
    forged = client.post("/names", data={"action": "add", "entity": "place:kyiv", "spelling": "Kyyiv"})
    assert forged.status_code == 400


def test_names_page_needs_an_archivist(client):
    anonymous = client.get("/names?name=Kiev")
    assert anonymous.status_code == 302 and "/login?next=" in anonymous.headers["Location"]
    login(client, "rita")
    assert client.get("/names?name=Kiev").status_code == 403


def test_next_only_redirects_within_the_site(client):
    token = csrf_token(client, "/login")
    response = client.post("/login?next=https://evil.example/", data={
        "username": "ada", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_archivist_teaches_a_spelling_that_search_uses_at_once(client):
    login(client, "ada")
    page = client.get("/names?name=Lukashenka").get_data(as_text=True)
    assert "person:alexander-lukashenko" in page and "Лукашэнка" in page
    token = csrf_token(client, "/names?name=Lukashenka")
    response = client.post("/names", data={"action": "add", "entity": "person:alexander-lukashenko",
                                           "spelling": "Batka", "name": "Lukashenka", "csrf_token": token})
    assert response.status_code == 302
    assert "Added" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/api/aliases?name=Batka").get_json()["entities"][0]["id"] == "person:alexander-lukashenko"
    bad = client.post("/names", data={"action": "add", "entity": "person:nobody", "spelling": "X",
                                      "csrf_token": token}, follow_redirects=True)
    assert "No entity" in bad.get_data(as_text=True)
