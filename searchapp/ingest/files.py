"""Uploaded files to Documents: type sniffed from content, PDF, DOCX, and ZIP of those, safely.

Each file gives one Document or an ItemError with a reason a person understands. Archives
are read without extracting to disk; members with absolute or `..` paths, links, nested
archives, too many members, too much uncompressed data or an implausible compression ratio
are refused.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from docx import Document as DocxDocument
from pypdf import PdfReader

from searchapp.ingest.readers import _clean, derived_id, document_from_html, document_from_text
from searchapp.messages import Message
from searchapp.model import Document, ItemError

MAX_ZIP_MEMBERS = 200
MAX_ZIP_TOTAL = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100


def sniff(data: bytes, name: str) -> str:
    """The file's type from its first bytes (the name only separates text from HTML)."""
    head = data[:2048].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except Exception:  # BadZipFile, or worse on a damaged central directory
            return "broken-zip"
        return "docx" if "word/document.xml" in names else "zip"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head or name.lower().endswith((".html", ".htm")):
        return "html"
    return "txt"


def document_from_pdf(data: bytes, name: str) -> Document:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ItemError(name, Message("the PDF is encrypted: remove the password and upload it again"))
        text = _clean("\n".join(page.extract_text() or "" for page in reader.pages))
    except ItemError:
        raise
    except Exception as exc:  # pypdf raises PdfReadError and many others on damaged files
        raise ItemError(name, Message("the PDF cannot be read (%(error)s)", error=exc.__class__.__name__)) from None
    if not text:
        raise ItemError(name, Message("the PDF has no text layer (a scan?): nothing to index"))
    title = (reader.metadata.title if reader.metadata and reader.metadata.title else "") or text.split("\n", 1)[0]
    return Document(id=derived_id(title, text), title=title.strip()[:300], text=text, original=data,
                    original_name=name)


def document_from_docx(data: bytes, name: str) -> Document:
    try:
        docx = DocxDocument(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged files
        raise ItemError(name, Message("the Word file cannot be read (%(error)s)",
                                      error=exc.__class__.__name__)) from None
    text = _clean("\n".join(p.text for p in docx.paragraphs))
    if not text:
        raise ItemError(name, Message("the Word file has no text"))
    title = (docx.core_properties.title or "").strip() or text.split("\n", 1)[0]
    return Document(id=derived_id(title, text), title=title[:300], text=text, original=data, original_name=name)


_READERS = {"txt": document_from_text, "html": document_from_html, "pdf": document_from_pdf,
            "docx": document_from_docx}


def _zip_members(data: bytes, name: str) -> Iterator[tuple[str, bytes] | ItemError]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, or worse on a damaged central directory
        yield ItemError(name, Message("the ZIP archive is damaged"))
        return
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_MEMBERS:
            yield ItemError(name, Message("the archive holds %(count)d files; at most %(limit)d are accepted",
                                          count=len(infos), limit=MAX_ZIP_MEMBERS))
            return
        total = sum(i.file_size for i in infos)
        if total > MAX_ZIP_TOTAL:
            yield ItemError(name, Message("the archive unpacks to %(mb)d MB; at most %(limit)d MB",
                                          mb=total // 2**20, limit=MAX_ZIP_TOTAL // 2**20))
            return
        for info in infos:
            where = f"{name}/{info.filename}"
            path = PurePosixPath(info.filename.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
                yield ItemError(where, Message("unsafe path in the archive (absolute or with '..'): refused"))
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                yield ItemError(where, Message("links inside archives are refused"))
                continue
            if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
                yield ItemError(where, Message("implausible compression ratio (a zip bomb?): refused"))
                continue
            try:
                member = zf.read(info)
            except Exception as exc:  # damaged members raise BadZipFile, EOFError, zlib.error, ...
                yield ItemError(where, Message("cannot be unpacked (%(error)s)", error=exc.__class__.__name__))
                continue
            yield where, member


def documents_from_upload(data: bytes, name: str) -> Iterator[Document | ItemError]:
    """One Document (or error) per file; a ZIP gives one per member."""
    kind = sniff(data, name)
    if not data.strip():
        yield ItemError(name, Message("the file is empty"))
    elif kind == "zip":
        for member in _zip_members(data, name):
            if isinstance(member, ItemError):
                yield member
                continue
            where, content = member
            inner = sniff(content, where)
            if inner == "zip":
                yield ItemError(where, Message("archives inside archives are refused"))
            else:
                yield from documents_from_upload(content, where)
    elif kind in _READERS:
        try:
            yield _READERS[kind](data, name)
        except ItemError as exc:
            yield exc
    elif kind == "broken-zip":
        yield ItemError(name, Message("the file looks like a ZIP or Word file but is damaged"))
    else:
        yield ItemError(name, Message("not a text, HTML, PDF, Word or ZIP file (the content was checked, "
                                      "not the name)"))
