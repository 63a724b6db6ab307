"""The registry: seed, archivists' edits effective at once and surviving a re-seed, merges reindex."""


import pytest
from helpers import both_engines, store_of

from searchapp.docstore import DocStore
from searchapp.indexing.searchers import IndexHandle
from searchapp.model import Document
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry, RegistryError
from searchapp.pipeline import index_pending, merge_entities
from searchapp.search.engine import search
from searchapp.search.params import SearchParams

pytestmark = both_engines  # the same tests on SQLite and on PostgreSQL


@pytest.fixture()
def registry(fresh):
    r = Registry(store_of(fresh))
    r.ensure_seeded()
    yield r
    r.close()


def test_seed_has_people_places_and_countries(registry):
    entities = registry.entities()
    people = [e for e in entities.values() if e.kind == "person"]
    curated_places = [e for e in entities.values() if e.kind == "place" and not e.id[-1].isdigit()]
    assert len(people) >= 100 and len(curated_places) >= 50
    bakhmut = entities["place:bakhmut"]
    assert {"Bakhmut", "Artemivsk", "Артемівськ", "Артёмовск"} <= set(bakhmut.spellings)
    assert "Dnipropetrovsk" in entities["place:dnipro"].spellings
    assert entities["place:country-ua"].labels["uk"] == "Україна"
    assert entities["place:kyiv"].population > 2_000_000  # enriched from GeoNames


def test_added_spelling_is_searchable_at_once_and_survives_reseed(registry, fresh):
    assert NameIndex(registry.entities()).match(["Batka"]) is None
    registry.add_spelling("person:alexander-lukashenko", "Batka")
    assert NameIndex(registry.entities()).match(["Batka"]).entity_ids == ("person:alexander-lukashenko",)
    with registry.db.write() as conn:
        conn.exec_driver_sql("UPDATE registry_meta SET value = 'stale' WHERE key = 'seed'")
    registry.ensure_seeded()
    assert "Batka" in registry.get("person:alexander-lukashenko").spellings


def test_split_takes_a_wrong_spelling_off(registry):
    registry.split("place:kyiv", "Kiev", new_id="place:kiev-wrong")
    names = NameIndex(registry.entities())
    assert names.match(["Kiev"]).entity_ids == ("place:kiev-wrong",)
    with pytest.raises(RegistryError):
        registry.split("place:kyiv", "Kiev")


def test_merge_moves_documents_and_their_facets(registry, fresh):
    store = DocStore(store_of(fresh))
    registry.split("person:vitali-klitschko", "Witalij Kliczko", new_id="person:kliczko")
    store.put_many([Document(id="d1", title="Mer Kijowa", text="Kliczko mówi.", lang="pl", people=["person:kliczko"])])
    index_pending(store, fresh["INDEX_DIR"])
    assert merge_entities(registry, store, fresh["INDEX_DIR"], "person:kliczko", "person:vitali-klitschko") == 1
    handle = IndexHandle(fresh["INDEX_DIR"])
    result = search(handle, SearchParams(filters={"person": ("person:vitali-klitschko",)}))
    handle.close()
    assert [r["id"] for r in result["results"]] == ["d1"]
    assert store.get("d1").people == ["person:vitali-klitschko"]
    assert "Witalij Kliczko" in registry.get("person:vitali-klitschko").spellings


def test_edits_reject_unknown_entities(registry):
    with pytest.raises(RegistryError):
        registry.add_spelling("person:nobody", "X")
    with pytest.raises(RegistryError):
        registry.merge("person:vladimir-putin", "person:vladimir-putin")


def test_aliases_api(fresh, make_app):
    client = make_app(fresh).test_client()
    data = client.get("/api/aliases?name=Łukaszenki").get_json()
    assert data["how"] == "case form" and data["entities"][0]["id"] == "person:alexander-lukashenko"
    spellings = data["entities"][0]["spellings"]
    assert "Аляксандр Лукашэнка" in spellings["cyrillic"]["be"]
    assert "Alyaksandr Lukashenka" in spellings["latin"]["be:bgn_pcgn"]
    assert client.get("/api/aliases?name=grain").status_code == 404
    assert client.get("/api/aliases").status_code == 400


def test_a_registry_change_reaches_a_running_app(fresh, make_app):
    app = make_app(fresh)
    client = app.test_client()
    assert client.get("/api/aliases?name=Batka").status_code == 404
    other = Registry(store_of(fresh))  # another process, say the CLI
    other.add_spelling("person:alexander-lukashenko", "Batka")
    other.close()
    assert client.get("/api/aliases?name=Batka").get_json()["entities"][0]["id"] == "person:alexander-lukashenko"




def test_people_found_in_documents_join_a_workers_lookup_without_a_rebuild(make_app, fresh):
    services = make_app(fresh).extensions["searchapp"]
    before = services.names()
    services.registry.add_extracted({"person:ivo-testov": "Ivo Testov"})
    after = services.names()
    assert after is before and after.match(["Testov"]).entity_ids == ("person:ivo-testov",)
    services.registry.add_spelling("person:ivo-testov", "Testoff")
    assert services.names() is not before and services.names().match(["Testoff"]) is not None
