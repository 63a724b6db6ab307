"""Import and reindex: idempotent, updates replace, interrupted imports catch up."""

from helpers import both_engines, store_of, write_jsonl

from searchapp.docstore import DocStore
from searchapp.indexing.searchers import IndexHandle
from searchapp.pipeline import import_paths, index_pending, reindex
from searchapp.search.engine import search
from searchapp.search.params import SearchParams

pytestmark = both_engines  # the same tests on SQLite and on PostgreSQL


def _ids(paths, q="", **filters):
    params = SearchParams(q=q, filters={k: tuple(v) for k, v in filters.items()})
    handle = IndexHandle(paths["INDEX_DIR"])
    try:
        return sorted(r["id"] for r in search(handle, params, per_page=100)["results"])
    finally:
        handle.close()


DOCS = [
    {"id": "n1", "title": "Grain deal signed", "text": "Ships leave Odesa.", "lang": "en", "date": "2022-07-22"},
    {"id": "n2", "title": "Kherson retaken", "text": "Troops enter Kherson.", "lang": "en", "date": "2022-11-11"},
]


def test_reimport_adds_nothing_twice(fresh, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", DOCS)
    store = DocStore(store_of(fresh))
    first = import_paths([str(path)], store, fresh["INDEX_DIR"])
    second = import_paths([str(path)], store, fresh["INDEX_DIR"])
    assert (first.added, first.skipped) == (2, 0)
    assert (second.added, second.updated, second.skipped) == (0, 0, 2)
    assert store.count() == 2
    assert _ids(fresh) == ["n1", "n2"]


def test_changed_document_is_updated_in_store_and_index(fresh, tmp_path):
    store = DocStore(store_of(fresh))
    import_paths([str(write_jsonl(tmp_path / "a.jsonl", DOCS))], store, fresh["INDEX_DIR"])
    changed = [{**DOCS[0], "text": "Ships leave Chornomorsk."}]
    summary = import_paths([str(write_jsonl(tmp_path / "b.jsonl", changed))], store, fresh["INDEX_DIR"])
    assert summary.updated == 1
    assert _ids(fresh, "Chornomorsk") == ["n1"]
    assert _ids(fresh, "Odesa") == []
    assert _ids(fresh) == ["n1", "n2"]


def test_failures_are_reported_and_good_items_kept(fresh, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [DOCS[0], "oops", DOCS[1]])
    summary = import_paths([str(path)], DocStore(store_of(fresh)), fresh["INDEX_DIR"])
    assert summary.added == 2
    assert [(e.where, "not valid JSON" in e.reason) for e in summary.failed] == [("a.jsonl:2", True)]


def test_documents_stored_but_not_indexed_are_caught_up(fresh, tmp_path):
    """An import killed between the store and the index commit leaves pending documents."""
    from searchapp.model import Document

    store = DocStore(store_of(fresh))
    import_paths([str(write_jsonl(tmp_path / "a.jsonl", DOCS))], store, fresh["INDEX_DIR"])
    store.put_many([Document(id="p1", title="Pending", text="Written to the store only", lang="en")])
    assert _ids(fresh, "pending") == []
    assert index_pending(store, fresh["INDEX_DIR"]) == 1
    assert _ids(fresh, "pending") == ["p1"]
    assert store.count_pending() == 0


def test_reindex_rebuilds_the_same_index(fresh, tmp_path):
    store = DocStore(store_of(fresh))
    import_paths([str(write_jsonl(tmp_path / "a.jsonl", DOCS))], store, fresh["INDEX_DIR"])
    before = _ids(fresh, "Kherson")
    assert reindex(store, fresh["INDEX_DIR"]) == 2
    assert _ids(fresh, "Kherson") == before == ["n2"]


def test_bulk_import_in_forked_processes_loses_nothing(fresh, tmp_path):
    """Batches as large as the bulk threshold are prepared in forked processes, one batch ahead of
    the one being stored, and indexed by several writer processes: every document arrives once,
    with its facts and its near-copy fingerprint, and a bad line is reported where it was."""
    from searchapp.ingest.readers import read_paths
    from searchapp.names.registry import Registry
    from searchapp.pipeline import import_documents

    wording = ("Officials in {} said the repaired bridge over the river reopened to lorries and buses on {} after "
               "three weeks of work by the regional road service, crew {}.")
    items = [{"id": f"b{i}", "title": f"Bridge {i} reopens", "lang": "en",
              "text": wording.format(["Kharkiv", "Odesa", "Lviv"][i % 3], "Monday" if i % 2 else "Friday", i)}
             for i in range(11)]
    path = write_jsonl(tmp_path / "bulk.jsonl", [*items[:5], "not json", *items[5:], {**items[0], "title": "Again"}])
    store = DocStore(store_of(fresh))
    registry = Registry(store_of(fresh))
    summary = import_documents(read_paths([str(path)]), store, fresh["INDEX_DIR"], batch=4, registry=registry)
    registry.close()
    assert (summary.added, summary.updated) == (11, 1)
    assert [e.where for e in summary.failed] == ["bulk.jsonl:6"]
    assert _ids(fresh, "bridge") == sorted(f"b{i}" for i in range(11))
    assert _ids(fresh, "Again") == ["b0"]
    assert _ids(fresh, place=["place:odesa"]) == ["b1", "b10", "b4", "b7"]
    assert store.near_duplicates(store.get("b3")) != []  # b6 and b9 differ in a number only
    assert store.count_pending() == 0
