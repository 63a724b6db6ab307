"""A node's follower applies the store's change log to its index: what another node wrote,
corrected or deleted, in order, and not what this node's index holds already."""

import pytest
from helpers import both_engines

from searchapp.archive import Archive
from searchapp.follower import Follower, applied_change
from searchapp.indexing.writer import open_index
from searchapp.search.engine import search_ids
from searchapp.search.params import SearchParams
from searchapp.settings import load

pytestmark = both_engines  # the same tests on SQLite and on PostgreSQL


@pytest.fixture()
def archive(fresh):
    a = Archive.from_config(load(fresh, environ={}))
    yield a
    a.close()


def found(archive, q: str) -> set[str]:
    return search_ids(archive.index, SearchParams(q=q), archive.names())


def records(archive) -> int:
    """Index records, replaced ones included until a merge: grows when a document is indexed again."""
    with open_index(archive.index_dir).reader() as reader:
        return reader.doc_count_all()


def test_the_follower_applies_other_writers_changes_and_skips_what_its_index_holds(archive):
    archive.upload([("ferry.txt", b"The night ferry left Odesa with grain.")], {}, user="ada")
    follower = Follower(archive.store, archive.index_dir)
    assert applied_change(archive.index_dir) is None
    follower.catch_up()  # a node's first look: builds its index from the store
    assert applied_change(archive.index_dir) == archive.store.last_change()
    archive.upload([("depot.txt", b"The tram depot in Lviv reopened.")], {}, user="ada")  # indexed by "this node"
    before = records(archive)
    assert follower.catch_up() == 1 and records(archive) == before  # logged, but not indexed again
    (depot,) = found(archive, "tram depot")
    archive.store.correct(depot, {"title": "Depot of the trams"})  # as another node would: the store only
    ferry = next(iter(found(archive, "ferry")))
    archive.store.delete(ferry, "ada")
    assert found(archive, "ferry") == {ferry}  # not yet
    assert follower.catch_up() == 2
    assert found(archive, "ferry") == set() and found(archive, "trams") == {depot}
    assert follower.catch_up() == 0 and applied_change(archive.index_dir) == archive.store.last_change()
