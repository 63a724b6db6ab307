"""Readers: each format, bad items with reasons, encodings, HTML main text."""

import gzip

import pytest
from helpers import write_jsonl

from searchapp.ingest.readers import document_from_record, normalize_date, read_paths
from searchapp.model import Document, ItemError


def _split(items):
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, ItemError)]
    return docs, errors


def test_jsonl_good_and_bad_lines(tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        {"id": "a1", "title": "Kyiv", "text": "Air raid alert.", "date": "2023-05-17T01:36:00+03:00",
         "source": "Demo", "url": "https://x.example/a1", "lang": "EN"},
        "{not json",
        '["a list"]',
        {"title": 5, "text": "wrong type"},
        {"title": "", "text": ""},
        {"title": "No id", "text": "Gets one derived from its content.", "date": "17 May"},
    ])
    docs, errors = _split(list(read_paths([str(path)])))
    assert [d.id for d in docs][0] == "a1"
    assert docs[0].date == "2023-05-17" and docs[0].lang == "en"
    assert docs[1].id.startswith("doc:") and docs[1].date == ""
    assert [e.where for e in errors] == ["mixed.jsonl:2", "mixed.jsonl:3", "mixed.jsonl:4", "mixed.jsonl:5"]
    assert "not valid JSON" in errors[0].reason
    assert "JSON object" in errors[1].reason
    assert "'title' must be a string" in errors[2].reason
    assert "neither a title nor a text" in errors[3].reason


def test_derived_id_is_stable_for_the_same_content(tmp_path):
    rec = {"title": "Same", "text": "Same text"}
    a = write_jsonl(tmp_path / "a.jsonl", [rec])
    b = write_jsonl(tmp_path / "b.jsonl", [rec])
    (da,), _ = _split(list(read_paths([str(a)])))
    (db,), _ = _split(list(read_paths([str(b)])))
    assert da.id == db.id


def test_gzip_and_truncated_gzip(tmp_path):
    good = tmp_path / "good.jsonl.gz"
    with gzip.open(good, "wt", encoding="utf-8") as fh:
        fh.write('{"title": "Minsk", "text": "Protest"}\n')
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(good.read_bytes()[:12])
    docs, errors = _split(list(read_paths([str(good), str(bad)])))
    assert [d.title for d in docs] == ["Minsk"]
    assert errors[0].where == "bad.jsonl.gz" and "cannot read" in errors[0].reason


def test_txt_in_cp1251_and_empty_file(tmp_path):
    (tmp_path / "ru.txt").write_bytes("Лукашенко в Сочи\nВстреча с Путиным длилась пять часов.".encode("cp1251"))
    (tmp_path / "empty.txt").write_bytes(b"")
    docs, errors = _split(list(read_paths([str(tmp_path / "ru.txt"), str(tmp_path / "empty.txt")])))
    assert docs[0].title == "Лукашенко в Сочи" and "Путиным" in docs[0].text
    assert "empty" in errors[0].reason


def test_html_main_text_without_menus_and_comments(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Kherson freed | Demo</title><meta property='og:site_name' content='Demo Site'>"
        "<meta name='date' content='2022-11-11'></head><body><nav>Home | Sport | Weather</nav><article>"
        "<h1>Kherson freed</h1><p>Ukrainian soldiers entered the centre of Kherson on Friday after the "
        "Russian withdrawal across the Dnipro river, residents greeted them with flags.</p>"
        "<p>The city had been occupied since March, officials said in a statement.</p></article>"
        "<div class='comments'><p>Great news 11.11 12:01</p></div></body></html>", encoding="utf-8")
    (doc,), _ = _split(list(read_paths([str(tmp_path / "page.html")])))
    assert doc.title == "Kherson freed" and doc.source == "Demo Site" and doc.date == "2022-11-11"
    assert "Dnipro river" in doc.text
    assert "Sport" not in doc.text and "Great news" not in doc.text


def test_unsupported_and_missing_files(tmp_path):
    (tmp_path / "x.exe").write_bytes(b"MZ")
    _, errors = _split(list(read_paths([str(tmp_path / "x.exe"), str(tmp_path / "nope.jsonl")])))
    assert "unsupported file type" in errors[0].reason
    assert "no such file" in errors[1].reason


def test_folder_is_read_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Two\nSecond file", encoding="utf-8")
    (tmp_path / "a.txt").write_text("One\nFirst file", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    docs, errors = _split(list(read_paths([str(tmp_path)])))
    assert [d.title for d in docs] == ["One", "Two"] and not errors


@pytest.mark.parametrize("value, expected", [
    ("2022-03-01T24:04:30", "2022-03-02"),  # hour 24, as some sources write: the next day
    ("2022-12-31T24:00", "2023-01-01"),
    ("2023-05-17T10:00:00+02:00", "2023-05-17"),
    ("2023-05", "2023-05"),
    ("17 May", ""),
])
def test_source_dates_are_normalised(value, expected):
    assert normalize_date(value) == expected


@pytest.mark.parametrize("doc_id, ok", [("feed:en:We are proud of all those who fight", True),
                                        ("outlet:Ukraine's war/day-11", True), ("../../etc/passwd", False),
                                        ('place:"><script>', False), ("a\\b", False)])
def test_ids_from_real_feeds_are_taken_and_markup_or_traversal_refused(doc_id, ok):
    record = {"id": doc_id, "title": "Title", "text": "Text."}
    if ok:
        assert document_from_record(record, "line 1", b"").id == doc_id
    else:
        with pytest.raises(ItemError, match="id"):
            document_from_record(record, "line 1", b"")
