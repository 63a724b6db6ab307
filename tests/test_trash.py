"""Deleting asks first; the trash lists what was deleted, restores it into search, and purges it (#17)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from helpers import PASSWORD, add_accounts, both_engines, csrf_token, store_of

from searchapp.docstore import DocStore
from searchapp.model import Document
from searchapp.pipeline import index_pending

pytestmark = both_engines  # the same tests on SQLite and on PostgreSQL


@pytest.fixture()
def app(fresh, make_app):
    add_accounts(store_of(fresh))
    store = DocStore(store_of(fresh))
    store.put_many([Document(id="ferry", title="Kherson ferry resumes", text="A ferry across the Dnipro resumed.",
                             lang="en"),
                    Document(id="depot", title="Tram depot repaired", text="Workers repaired the tram depot.",
                             lang="en")])
    index_pending(store, fresh["INDEX_DIR"])
    store.close()
    return make_app(fresh)


def logged_in(app, name="ada"):
    client = app.test_client()
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")})
    return client


def total(client, q):
    return client.get("/api/search", query_string={"q": q}).get_json()["total"]


def delete(client, doc_id):
    return client.post(f"/doc/{doc_id}/delete", data={"csrf_token": csrf_token(client, f"/doc/{doc_id}/delete")})


def trash_rows(client) -> dict[str, str]:
    """{document id: its row's text} of the trash page's table."""
    page = client.get("/trash").get_data(as_text=True)
    rows = re.findall(r"<tr[^>]*><td><code>([^<]+)</code></td>(.*?)</tr>", page, re.S)
    return {doc_id: re.sub(r"<[^>]+>|\s+", " ", cells) for doc_id, cells in rows}


def test_the_delete_button_leads_to_a_confirmation_page_that_deletes_nothing(app):
    client = logged_in(app)
    page = client.get("/doc/ferry").get_data(as_text=True)
    assert '<form method="get" action="/doc/ferry/delete"' in page  # a plain link-like form: no script needed
    confirm = client.get("/doc/ferry/delete")
    body = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Kherson ferry resumes" in body
    assert re.search(r'<form method="post" action="/doc/ferry/delete"[^>]*>\s*<input type="hidden" '
                     r'name="csrf_token"', body)
    assert 'href="/doc/ferry">Cancel</a>' in body
    assert total(client, "ferry") == 1  # asking deleted nothing


def test_sending_the_confirmation_form_deletes(app):
    client = logged_in(app)
    confirm = client.get("/doc/ferry/delete").get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+)"', confirm[confirm.index("<main"):]).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', confirm).group(1)
    response = client.post(action, data={"csrf_token": token})
    assert response.status_code == 302
    assert total(client, "ferry") == 0 and client.get("/api/doc/ferry").status_code == 404
    assert client.post("/doc/depot/delete").status_code == 400  # without the form's CSRF token
    assert total(client, "depot") == 1


def test_the_trash_lists_deleted_documents_with_who_when_and_days_left(app):
    client = logged_in(app)
    assert trash_rows(client) == {}
    assert "The trash is empty." in client.get("/trash").get_data(as_text=True)
    delete(client, "ferry")
    row = trash_rows(client)["ferry"]
    assert "Kherson ferry resumes" in row and " ada " in row
    assert re.search(r" 30 +Restore", row)  # SEARCHAPP_TRASH_DAYS=30 days left for a fresh deletion


def test_restore_brings_a_document_back_into_search(app):
    client = logged_in(app)
    delete(client, "ferry")
    response = client.post("/trash/ferry/restore", data={"csrf_token": csrf_token(client, "/trash")},
                           follow_redirects=True)
    assert response.request.path == "/trash"
    assert "Restored “Kherson ferry resumes”" in response.get_data(as_text=True)
    assert total(client, "ferry") == 1
    assert trash_rows(client) == {}
    again = client.post("/trash/ferry/restore", data={"csrf_token": csrf_token(client, "/trash")})
    assert again.status_code == 404  # no longer in the trash


def test_restore_needs_the_csrf_token(app):
    client = logged_in(app)
    delete(client, "ferry")
    assert client.post("/trash/ferry/restore").status_code == 400
    assert total(client, "ferry") == 0
    assert client.post("/trash/ferry/restore", data={"csrf_token": csrf_token(client, "/trash")}).status_code == 302
    assert total(client, "ferry") == 1


def test_purge_forgets_only_what_has_been_in_the_trash_too_long(app, fresh):
    client = logged_in(app)
    delete(client, "ferry")
    delete(client, "depot")
    store = DocStore(store_of(fresh))
    with store.db.write() as conn:  # deleted 31 days ago: past SEARCHAPP_TRASH_DAYS
        conn.execute(sa.text("UPDATE trash SET deleted_at = :at WHERE id = 'depot'"),
                     {"at": (datetime.now(UTC) - timedelta(days=31)).isoformat(timespec="seconds")})
    store.close()
    assert re.search(r" 0 +Restore", trash_rows(client)["depot"])
    response = client.post("/trash/purge", data={"csrf_token": csrf_token(client, "/trash")}, follow_redirects=True)
    assert "Purged 1 document deleted more than 30 days ago." in response.get_data(as_text=True)
    assert set(trash_rows(client)) == {"ferry"}


def test_the_footer_links_the_trash_for_archivists_only(app):
    archivist = logged_in(app).get("/").get_data(as_text=True)
    assert '<a href="/names">Names</a> · <a href="/trash">Trash</a> ·' in archivist
    assert re.search(r'Trash</a> ·\s*<form method="post" action="/logout"', archivist)
    reader = logged_in(app, "rita").get("/").get_data(as_text=True)
    assert 'href="/trash"' not in reader
    assert re.search(r'rita ·\s*<form method="post" action="/logout"', reader)
