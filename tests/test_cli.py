"""The searchapp command: import summary with reasons, reindex, version."""

from click.testing import CliRunner
from helpers import write_jsonl

from searchapp.cli import main


def run(fresh, *args):
    env = {"SEARCHAPP_DB": fresh["DB"], "SEARCHAPP_INDEX_DIR": fresh["INDEX_DIR"]}
    return CliRunner().invoke(main, list(args), env=env)


def test_import_prints_a_summary_and_each_failure(fresh, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [
        {"id": "1", "title": "Kyiv", "text": "Air raid"}, "{broken", {"id": "2", "title": "Lviv", "text": "Quiet"}])
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4")
    result = run(fresh, "import", "--quiet", str(path), str(tmp_path / "b.pdf"))
    assert result.exit_code == 1  # some items failed: the exit status says so
    assert "added 2, updated 0, skipped 0, failed 2" in result.output
    assert "failed: a.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes at character 2)" \
        in result.output  # one place named, not the line of the file and a line of the JSON
    assert "failed: b.pdf: unsupported file type" in result.output
    again = run(fresh, "import", "--quiet", "--tolerate-failures", str(path))
    assert again.exit_code == 0
    assert "added 0, updated 0, skipped 2, failed 1" in again.output


def test_reindex_counts_stored_documents(fresh, tmp_path):
    run(fresh, "import", "--quiet", str(write_jsonl(tmp_path / "a.jsonl", [{"title": "One", "text": "x"}])))
    result = run(fresh, "reindex", "--quiet")
    assert result.exit_code == 0 and "reindexed 1 documents" in result.output


def test_trash_restore_and_purge(fresh, tmp_path):
    from searchapp.docstore import DocStore

    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "t1", "title": "Kyiv", "text": "x"}])
    run(fresh, "import", "--quiet", str(path))
    DocStore(fresh["DB"]).delete("t1", "tester")
    assert "restored t1" in run(fresh, "trash", "restore", "t1").output
    assert DocStore(fresh["DB"]).get("t1") is not None
    assert run(fresh, "trash", "restore", "t1").exit_code != 0  # no longer in the trash
    DocStore(fresh["DB"]).delete("t1", "tester")
    assert "purged 0 documents" in run(fresh, "trash", "purge").output  # younger than SEARCHAPP_TRASH_DAYS
