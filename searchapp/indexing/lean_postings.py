"""Lean versions of Whoosh's per-posting steps, for the writer's speed.

An import spends most of its time in Whoosh's writer, and there in a few steps run once per
posting (millions per import): turning a field's terms into postings, sizing a posting for the
pool, buffering it for its block and, at commit, reading its document's field length. Whoosh's
own versions check types with asserts, build a token object per term and read each length from
the segment's file; ours do the same work without those (our fields hold term lists that we
build ourselves) and write the same bytes. Importing this module installs them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pickle import dumps

import whoosh.codec.base
from whoosh.codec.base import PerDocumentReader
from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.fields import FieldType
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter


def _term_positions(terms: list[str]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = defaultdict(list)
    for pos, term in enumerate(terms):
        positions[term].append(pos)
    return positions


_positions_word_values = Positions.word_values


def _positions_of_list(self: Positions, value, analyzer, **kwargs):  # noqa: ANN001
    """(term, frequency, weight, encoded positions) per term of a term list."""
    if not isinstance(value, list | tuple):
        return _positions_word_values(self, value, analyzer, **kwargs)
    boost = self.field_boost
    return [(term, len(poses), len(poses) * boost, self.encode(poses))
            for term, poses in _term_positions(value).items()]


def _encode_positions(self: Positions, poses: list[int]) -> bytes:
    """Whoosh's encoding: the count, then a pickle of the gaps between positions."""
    return pack_uint(len(poses)) + dumps([b - a for a, b in zip([0, *poses], poses, strict=False)], 2)


_frequency_word_values = Frequency.word_values


def _frequencies_of_list(self: Frequency, value, analyzer, **kwargs):  # noqa: ANN001
    """(term, frequency, weight, encoded frequency) per term of a term list."""
    if not isinstance(value, list | tuple):
        return _frequency_word_values(self, value, analyzer, **kwargs)
    boost = self.field_boost
    return [(term, n, n * boost, pack_uint(n)) for term, n in Counter(value).items()]


_POSTING_OVERHEAD = 150  # Whoosh's estimate of a pooled posting's bytes besides its strings
_whoosh_add_document = SegmentWriter.add_document


def _plain(field: FieldType) -> bool:
    """Whether a field is indexed by its format alone (no vectors, spelling or own `index`)."""
    return type(field).index is FieldType.index and not field.vector and not field.separate_spelling()


def _add_document(self: SegmentWriter, **fields: object) -> None:
    """Add a document, pooling each field's postings in one step (Whoosh pools them one by one).
    Documents with boosts or custom stored values, or with fields of other kinds, go Whoosh's way."""
    self._check_state()
    schema = self.schema
    names = sorted(fields)
    if any(name.startswith("_") or name in schema and not _plain(schema[name]) for name in names):
        return _whoosh_add_document(self, **fields)
    self._check_fields(schema, names)
    docnum, pool, perdoc = self.docnum, self.pool, self.perdocwriter
    perdoc.start_doc(docnum)
    try:
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                if not isinstance(value, str | list | tuple):
                    raise ValueError(f"{value!r} is not text or a sequence")
                terms = list(field.format.word_values(value, field.analyzer, mode="index"))
                postings = [(name, term.encode("utf-8"), docnum, weight, vbytes) for term, _, weight, vbytes in terms]
                if field.scorable:
                    length = sum(t[1] for t in terms)
                pool.fieldnames.add(name)
                pool.currentsize += sum(_POSTING_OVERHEAD + len(name) + 2 * len(p[1]) + len(p[4] or b"")
                                        for p in postings)
                pool.current.extend(postings)
                if pool.currentsize > pool.limit:
                    pool.save()
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
    except Exception:
        perdoc.cancel_doc()
        raise
    perdoc.finish_doc()
    self._added = True
    self.docnum += 1
    return None


def _add_posting(self: W3PostingsWriter, id_: int, weight: float, vbytes: bytes, length: int | None = None) -> None:
    """Buffer one posting in the current block (written when full)."""
    if len(self._ids) >= self._blocklimit:
        self._write_block()
    self._ids.append(id_)
    self._weights.append(weight)
    if weight > self._maxweight:
        self._maxweight = weight
    if vbytes:
        self._values.append(vbytes)
    if length:
        if self._minlength is None or length < self._minlength:
            self._minlength = length
        if length > self._maxlength:
            self._maxlength = length


class _LengthsInMemory:
    """A segment's field lengths read once per field, for the writer that files its postings:
    Whoosh reads a length from the segment's file for every posting (a third of a commit)."""

    def __init__(self, lengths: PerDocumentReader):
        self._lengths = lengths
        self._fields: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        field = self._fields.get(fieldname)
        if field is None:
            length, count = self._lengths.doc_field_length, self._lengths.doc_count_all()
            field = self._fields[fieldname] = [length(n, fieldname, default) for n in range(count)]
        return field[docnum] if docnum < len(field) else default


_add_postings = whoosh.codec.base.FieldWriter.add_postings


def _add_postings_lengths_in_memory(self, schema, lengths, items) -> None:  # noqa: ANN001
    _add_postings(self, schema, _LengthsInMemory(lengths) if lengths else lengths, items)


Positions.word_values = _positions_of_list
Positions.encode = _encode_positions
Frequency.word_values = _frequencies_of_list
SegmentWriter.add_document = _add_document
W3PostingsWriter.add_posting = _add_posting
whoosh.codec.base.FieldWriter.add_postings = _add_postings_lengths_in_memory
