"""Read files into Documents: .jsonl / .jsonl.gz (one document a line), .txt and .html.

Each reader yields a Document or an ItemError per item, so one bad line never
stops an import. Readers keep the original bytes; metadata left empty here is
filled in by `searchapp.extract`.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import charset_normalizer
import trafilatura

from searchapp.extract.titles import title_from_text
from searchapp.messages import Message
from searchapp.model import Document, ItemError, content_hash

Item = Document | ItemError
MAX_LINE_BYTES = 20 * 1024 * 1024


def derived_id(title: str, text: str) -> str:
    """The id of a document that came without one: a digest of its normalized content."""
    return "doc:" + content_hash(title, text)[:20]


_HOUR_24 = re.compile(r"T24(?=:|$)")


def normalize_date(value: object) -> str:
    """An ISO date or datetime as "YYYY-MM-DD" (its local day), "YYYY-MM" or "YYYY"; else "".
    An hour 24 ("2022-03-01T24:04:30", as some sources write) is the next day's hour 0."""
    if not isinstance(value, str) or not value.strip():
        return ""
    value = value.strip()
    if len(value) in (4, 7) and value[:4].isdigit():
        try:
            datetime.strptime(value, "%Y" if len(value) == 4 else "%Y-%m")
            return value
        except ValueError:
            return ""
    value = value.replace("Z", "+00:00")
    next_day = bool(_HOUR_24.search(value))  # 2022-03-01T24:04:30: past midnight, the next day
    try:
        day = datetime.fromisoformat(_HOUR_24.sub("T00", value)).date()
    except ValueError:
        return ""
    return (day + timedelta(days=1) if next_day else day).isoformat()


def decode_bytes(data: bytes) -> str:
    """Decode text of unknown encoding: BOMs and UTF-8 first, then a charset guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise ItemError("file", Message("not readable as text in any known encoding")) from None
        return str(best)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # and lone surrogates
# An id is shown in pages and URLs: no markup or quote characters, no "..", no control characters,
# no space at either end (inner spaces are fine: real feeds have ids like "outlet:en:We are proud").
VALID_ID = re.compile(r"^(?!.*\.\.)(?=\S)[^<>\"`\\\x00-\x1f\x7f]{1,200}(?<=\S)$")


def clean_chars(text: str) -> str:
    """Text without control characters (a NUL or a form feed is no text, and breaks XML feeds)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in clean_chars(text).split("\n")).strip()


def document_from_record(record: object, where: str, original: bytes) -> Document:
    """A Document from one JSON object with title, text and optional id, date, source, url, lang."""
    if not isinstance(record, dict):
        raise ItemError(where, "expected a JSON object with 'title' and 'text'")
    fields = {}
    for key in ("id", "title", "text", "date", "source", "url", "lang"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ItemError(where, f"field '{key}' must be a string, not {type(value).__name__}")
        fields[key] = " ".join(clean_chars(value or "").split()) if key != "text" else _clean(value or "")
    if fields["id"] and not VALID_ID.match(fields["id"]):
        raise ItemError(where, Message("the id may not hold < > \" ` \\ or .., nor start or end with a space "
                                       "(at most 200 characters)"))
    if not fields["title"] and not fields["text"]:
        raise ItemError(where, Message("the document has neither a title nor a text"))
    title = fields["title"] or fields["text"].split("\n", 1)[0][:200]
    return Document(
        id=fields["id"] or derived_id(title, fields["text"]),
        title=title,
        text=fields["text"],
        url=fields["url"],
        source=fields["source"],
        lang=fields["lang"].lower(),
        date=normalize_date(fields["date"]),
        original=original,
        original_name=where,
    )


def read_jsonl(path: Path) -> Iterator[Item]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as fh:
            for lineno, line in enumerate(fh, 1):
                where = f"{path.name}:{lineno}"
                if not line.strip():
                    continue
                if len(line) > MAX_LINE_BYTES:
                    yield ItemError(where, f"line longer than {MAX_LINE_BYTES // 1024 // 1024} MB")
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield ItemError(where, f"not valid JSON ({exc.msg} at character {exc.pos + 1})")
                    continue
                except UnicodeDecodeError:
                    yield ItemError(where, "not valid UTF-8")
                    continue
                try:
                    yield document_from_record(record, where, line.rstrip(b"\n"))
                except ItemError as exc:
                    yield exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield ItemError(path.name, f"cannot read the file ({exc})")


def document_from_text(data: bytes, name: str) -> Document:
    """A plain-text file: the first non-empty line is the title, the rest the text."""
    text = _clean(decode_bytes(data))
    if not text:
        raise ItemError(name, Message("the file is empty"))
    first, _, body = text.partition("\n")
    title, body = title_from_text(first, body)  # a dateline, byline or rubric first is no title
    body = body.strip() or title
    return Document(id=derived_id(title, body), title=title, text=body, original=data, original_name=name)


def document_from_html(data: bytes, name: str) -> Document:
    """An HTML page: its main text, title, date, site name and URL (boilerplate left out)."""
    html = decode_bytes(data)
    try:
        extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                                favor_precision=True)
    except Exception as exc:  # lxml and trafilatura raise assorted errors on broken markup
        raise ItemError(name, Message("the HTML page cannot be read (%(error)s)",
                                      error=exc.__class__.__name__)) from None
    text = _clean(extracted.text or "") if extracted is not None else ""
    if not text:
        raise ItemError(name, Message("no article text found in the HTML page"))
    title = (extracted.title or "").strip() or text.split("\n", 1)[0][:200]
    if text.startswith(title + "\n"):
        text = text[len(title) + 1 :].strip()
    return Document(
        id=derived_id(title, text),
        title=title,
        text=text,
        url=extracted.url or "",
        source=extracted.sitename or "",
        date=normalize_date(extracted.date or ""),
        original=data,
        original_name=name,
    )


def _read_single(reader: Callable[[bytes, str], Document]) -> Callable[[Path], Iterator[Item]]:
    def read(path: Path) -> Iterator[Item]:
        try:
            yield reader(path.read_bytes(), path.name)
        except ItemError as exc:
            yield exc
        except OSError as exc:
            yield ItemError(path.name, f"cannot read the file ({exc.strerror})")

    return read


READERS: dict[str, Callable[[Path], Iterator[Item]]] = {
    ".jsonl": read_jsonl,
    ".jsonl.gz": read_jsonl,
    ".txt": _read_single(document_from_text),
    ".html": _read_single(document_from_html),
    ".htm": _read_single(document_from_html),
}


def reader_for(path: Path) -> Callable[[Path], Iterator[Item]] | None:
    name = path.name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return READERS[suffix]
    return None


def expand_paths(paths: list[str]) -> Iterator[Path]:
    """Files named, and the readable files inside folders named (sorted, recursive)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    child = Path(root) / name
                    if reader_for(child) is not None:
                        yield child
        else:
            yield path


def read_paths(paths: list[str]) -> Iterator[Item]:
    """Every document (or error) from the given files and folders."""
    for path in expand_paths(paths):
        reader = reader_for(path)
        if not path.exists():
            yield ItemError(str(path), "no such file or folder")
        elif reader is None:
            yield ItemError(path.name, "unsupported file type (use .jsonl, .jsonl.gz, .txt or .html)")
        else:
            yield from reader(path)
