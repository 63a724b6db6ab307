"""Scores are what they say: BM25 as Whoosh's own BM25F computes it, over the right records."""

import pytest
from whoosh import query as wq
from whoosh import scoring
from whoosh.filedb.filestore import RamStorage

from searchapp.indexing import postings
from searchapp.indexing.columns import ColumnCache
from searchapp.indexing.postings import PostingsCache
from searchapp.indexing.schema import DOC, PASSAGE, make_schema
from searchapp.indexing.searchers import Snapshot
from searchapp.search.evaluate import Evaluator

TEXTS = ["ferry ferry harbour", "ferry to the island and back again", "a long text " * 30 + "ferry",
         "nothing here", "harbour harbour harbour"]


@pytest.fixture(params=[True, False], ids=["block reads", "one by one"])
def snapshot(request, monkeypatch):
    monkeypatch.setattr(postings, "BLOCK_READS", request.param)
    ix = RamStorage().create_index(make_schema())
    with ix.writer() as w:
        for i, text in enumerate(TEXTS):
            w.add_document(kind=DOC, doc_id=f"d{i}", text=text.split(), meta={"id": f"d{i}"})
    searcher = ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2))
    yield Snapshot(searcher, ColumnCache().columns_for(searcher), PostingsCache())
    searcher.close()


@pytest.mark.parametrize("word", ["ferry", "harbour", "island"])
def test_a_terms_scores_are_whooshs_bm25f_on_an_index_of_documents(snapshot, word):
    ours = Evaluator(snapshot)(wq.Term("text", word))
    theirs = {hit.docnum: hit.score for hit in snapshot.searcher.search(wq.Term("text", word), limit=None)}
    assert theirs and set(theirs) == {int(d) for d in ours.nonzero()[0]}
    for docnum, score in theirs.items():
        assert ours[docnum] == pytest.approx(score, rel=1e-5)


def test_passage_records_do_not_change_document_scores(snapshot):
    """The same documents with passage records beside them score exactly as without them."""
    ix = RamStorage().create_index(make_schema())
    with ix.writer() as w:
        for i, text in enumerate(TEXTS):
            for j, sentence in enumerate(text.split(" and ")):
                w.add_document(kind=PASSAGE, doc_id=f"d{i}", ptext=sentence.split(), pos=j, body=sentence)
            w.add_document(kind=DOC, doc_id=f"d{i}", text=text.split(), meta={"id": f"d{i}"})
    with ix.searcher() as searcher:
        mixed = Snapshot(searcher, ColumnCache().columns_for(searcher), PostingsCache())
        ours = Evaluator(mixed)(wq.Term("text", "ferry"))
        alone = Evaluator(snapshot)(wq.Term("text", "ferry"))
        by_id = {searcher.stored_fields(int(d))["doc_id"]: ours[d] for d in ours.nonzero()[0]}
        expected = {snapshot.searcher.stored_fields(int(d))["doc_id"]: alone[d] for d in alone.nonzero()[0]}
    assert by_id.keys() == expected.keys()
    assert all(by_id[k] == pytest.approx(expected[k], rel=1e-5) for k in expected)


def test_replaced_versions_do_not_count(snapshot):
    """Documents replaced (deleted, then added again in a later segment) score as in an index
    that never held the old versions: a word in every document stays findable."""
    ix = RamStorage().create_index(make_schema())
    with ix.writer() as w:
        for i, text in enumerate(TEXTS):
            w.add_document(kind=DOC, doc_id=f"d{i}", text=["ferry", *text.split()], meta={"id": f"d{i}"})
    for i, text in enumerate(TEXTS):  # every document replaced, each in its own segment
        w = ix.writer()
        w.delete_by_term("doc_id", f"d{i}")
        w.add_document(kind=DOC, doc_id=f"d{i}", text=text.split(), meta={"id": f"d{i}"})
        w.commit(merge=False)
    with ix.searcher() as searcher:
        replaced = Snapshot(searcher, ColumnCache().columns_for(searcher), PostingsCache())
        for word in ("ferry", "harbour"):
            ours = Evaluator(replaced)(wq.Term("text", word))
            alone = Evaluator(snapshot)(wq.Term("text", word))
            by_id = {searcher.stored_fields(int(d))["doc_id"]: ours[d] for d in ours.nonzero()[0] if ours[d] > 0}
            expected = {snapshot.searcher.stored_fields(int(d))["doc_id"]: alone[d] for d in alone.nonzero()[0]}
            assert by_id.keys() == expected.keys()
            # Whoosh keeps the lengths of merged and deleted records to one byte's precision only
            assert all(by_id[k] == pytest.approx(expected[k], rel=2e-2) for k in expected), (by_id, expected)
