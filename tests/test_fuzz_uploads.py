"""Hostile files: truncated, corrupted or mislabelled uploads give a per-file reason, never a crash."""

import io
import zipfile

from docx import Document as DocxDocument
from helpers import make_pdf
from hypothesis import given, settings
from hypothesis import strategies as st

from searchapp.ingest.files import documents_from_upload
from searchapp.model import Document, ItemError


def _docx() -> bytes:
    doc = DocxDocument()
    doc.add_paragraph("Kharkiv metro reopened after repairs.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "Minsk\nA note about Minsk.")
        zf.writestr("b.html", "<html><body><p>Lviv museum reopened after repairs this week.</p></body></html>")
    return out.getvalue()


VALID = {"report.pdf": make_pdf(["Sumy region shelled overnight"]), "note.docx": _docx(), "batch.zip": _zip(),
         "page.html": b"<html><head><title>T</title></head><body><p>Some text about Kyiv here.</p></body></html>",
         "note.txt": "Київ\nТекст про Київ.".encode("cp1251")}


def only_documents_or_reasons(data: bytes, name: str) -> None:
    for item in documents_from_upload(data, name):
        assert isinstance(item, (Document, ItemError))
        if isinstance(item, ItemError):
            assert item.reason and item.where


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(list(VALID)), cut=st.floats(0, 1), flips=st.lists(st.integers(0, 10**6), max_size=8),
       label=st.sampled_from(["x.pdf", "x.docx", "x.zip", "x.txt", "x.html", "x.exe", "noext"]))
def test_truncated_and_corrupted_files(name, cut, flips, label):
    data = bytearray(VALID[name][: max(1, int(len(VALID[name]) * cut))])
    for position in flips:
        data[position % len(data)] ^= 0xFF
    only_documents_or_reasons(bytes(data), label)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=4096), label=st.sampled_from(["x.pdf", "x.txt", "x.html", "x.zip"]))
def test_random_bytes(data, label):
    only_documents_or_reasons(data, label)


def test_encodings_and_nul_bytes():
    for data in ("Харьков\nТекст про Харьков.".encode("koi8-r"), "Kyiv\nText".encode("utf-16"),
                 b"Kyiv\x00\x00 text with NUL bytes", ("x" * 200_000).encode(), b"\xff\xfe\xfa" * 100):
        only_documents_or_reasons(data, "file.txt")


def test_links_and_escaping_paths_in_archives_are_refused():
    import stat

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("/abs/path.txt", "Absolute\nText")
        zf.writestr("ok.txt", "Fine\nA normal member about Kyiv.")
    results = list(documents_from_upload(out.getvalue(), "a.zip"))
    reasons = {r.where: r.reason for r in results if isinstance(r, ItemError)}
    assert "links inside archives" in reasons["a.zip/link.txt"]
    assert "unsafe path" in reasons["a.zip//abs/path.txt"]
    assert [d.title for d in results if isinstance(d, Document)] == ["Fine"]
