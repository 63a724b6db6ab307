"""One write path that loses nothing: replacing, correcting, deleting, restoring and merging keep
the store and the index in step, and the archivist's corrections survive all of it."""

import json

import pytest
from helpers import add_accounts, both_engines, store_of, write_jsonl

from searchapp.archive import Archive
from searchapp.docstore import DocStore
from searchapp.model import Document
from searchapp.settings import load

pytestmark = both_engines  # the same tests on SQLite and on PostgreSQL


@pytest.fixture()
def archive(fresh):
    a = Archive.from_config(load({**fresh, "MAX_FILE_MB": 1}, environ={}))
    yield a
    a.close()


def found(archive, q):
    from searchapp.search.engine import search_ids
    from searchapp.search.params import SearchParams
    return search_ids(archive.index, SearchParams(q=q), archive.names())


def indexed_count(archive):
    with archive.index.snapshot() as snap:
        return int(snap.columns.live.sum())


def test_a_document_sent_again_under_its_id_replaces_its_index_records(make_app, fresh, archive):
    add_accounts(store_of(fresh))
    app = make_app(fresh)
    services = app.extensions["searchapp"]
    token = services.users.create_token("ada")[1]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    first = {"id": "memo-1", "title": "Timetable", "text": "The ferry leaves at nine."}
    second = {"id": "memo-1", "title": "Timetable", "text": "The hovercraft leaves at ten."}
    assert client.post("/api/documents", json=first, headers=headers).status_code == 201
    assert client.post("/api/documents", json=second, headers=headers).status_code == 201
    results = client.get("/api/search?q=timetable").get_json()["results"]
    assert [r["id"] for r in results] == ["memo-1"]
    assert client.get("/api/search?q=ferry").get_json()["total"] == 0  # the old text is gone
    health = client.get("/healthz").get_json()
    assert health["documents"] == health["indexed"] == 1


def test_the_api_enforces_the_file_size_limit(make_app, fresh):
    add_accounts(store_of(fresh))
    app = make_app({**fresh, "MAX_FILE_MB": 1})
    token = app.extensions["searchapp"].users.create_token("ada")[1]
    big = {"title": "Big", "text": "word " * 300_000}  # 1.5 MB of JSON
    response = app.test_client().post("/api/documents", json=big, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 413
    assert "larger than 1 MB" in response.get_json()["results"][0]["reason"]
    assert app.extensions["searchapp"].store.count() == 0


def test_corrections_survive_delete_restore_and_a_later_reimport(archive, tmp_path):
    source = write_jsonl(tmp_path / "a.jsonl", [{"id": "r1", "title": "Grain deal", "text": "Ships left Odesa."}])
    archive.import_paths([str(source)])
    archive.correct("r1", {"title": "Grain corridor reopens"})
    assert archive.delete("r1", "ada")
    assert found(archive, "corridor") == set()
    restored = archive.restore("r1")
    assert restored.title == "Grain corridor reopens"
    assert found(archive, "corridor") == {"r1"}
    archive.import_paths([str(source)])  # the importer sends the original title again
    assert archive.store.get("r1").title == "Grain corridor reopens"
    assert archive.store.corrections("r1") == {"title": "Grain corridor reopens"}


def test_a_merge_moves_the_entity_in_corrections_too(archive, tmp_path):
    archive.registry.split("person:vitali-klitschko", "Witalij Kliczko", new_id="person:kliczko")
    source = write_jsonl(tmp_path / "b.jsonl", [{"id": "m1", "title": "Mer Kijowa", "text": "Kliczko mówi.",
                                                 "lang": "pl"}])
    archive.import_paths([str(source)])
    archive.correct("m1", {"people": "person:kliczko"})
    archive.merge_entities("person:kliczko", "person:vitali-klitschko")
    assert archive.store.corrections("m1")["people"] == ["person:vitali-klitschko"]
    archive.import_paths([str(source)])
    assert archive.store.get("m1").people == ["person:vitali-klitschko"]


def test_storing_leaves_the_callers_documents_as_they_were(fresh):
    store = DocStore(store_of(fresh))
    store.put_many([Document(id="c1", title="Old", text="Text.", lang="en")])
    store.correct("c1", {"title": "Corrected"})
    given = Document(id="c1", title="Old", text="Text changed.", lang="en")
    ((outcome, stored),) = store.put_many([given])
    assert outcome == "updated" and stored.title == "Corrected"
    assert given.title == "Old" and given.added == ""
    store.mark_indexed([stored])
    assert store.count_pending() == 0


def test_a_trash_row_keeps_the_corrections(fresh):
    store = DocStore(store_of(fresh))
    store.put_many([Document(id="t1", title="Old", text="Text.", lang="en")])
    store.correct("t1", {"title": "New", "places": ["place:kyiv"]})
    store.delete("t1", "ada")
    with store.db.read() as conn:
        row = conn.exec_driver_sql("SELECT row FROM trash WHERE id = 't1'").scalar_one()
    assert json.loads(json.loads(row)["corrections"]) == {"title": "New", "places": ["place:kyiv"]}


def test_a_reseeded_random_module_cannot_make_one_segment_overwrite_another(archive):
    import random
    for text in ("The ferry leaves at nine.", "The bridge opens at noon."):
        random.seed(7)  # what a test framework or a library may do between two writes
        batch = archive.upload([(f"{text.split()[1]}.txt", text.encode())], {}, user="ada")
        assert [r.status for r in batch.results] == ["added"]
    assert set(found(archive, "ferry")) and set(found(archive, "bridge"))
    assert indexed_count(archive) == 2
