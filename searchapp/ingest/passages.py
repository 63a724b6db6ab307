"""Split a document's text into passages: 1-3 paragraphs, sentence-aligned, capped in length."""

from __future__ import annotations

import re

TARGET_CHARS = 600
MAX_CHARS = 1200
MAX_PARAGRAPHS = 3

_PARAGRAPH_RE = re.compile(r"\s*\n\s*")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+(?=[\"'«„“(\[]?[^\W_a-zа-яіїєґў])")
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|St|Prof|Sen|Rep|Gov|No|vs|etc|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|ul|gen|im|ст|им|ул|г|тыс|млн|млрд|[A-ZА-Я])\.)$"
)


def split_sentences(paragraph: str) -> list[str]:
    """Split at sentence ends, but not after common abbreviations or initials."""
    sentences: list[str] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(paragraph):
        head = paragraph[start : m.start()]
        if _ABBREVIATIONS.search(head):
            continue
        sentences.append(paragraph[start : m.start()].strip())
        start = m.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def _hard_wrap(sentence: str) -> list[str]:
    """Cut a sentence longer than MAX_CHARS at spaces (or anywhere, if it has none)."""
    pieces = []
    while len(sentence) > MAX_CHARS:
        cut = sentence.rfind(" ", 0, MAX_CHARS)
        cut = cut if cut > MAX_CHARS // 2 else MAX_CHARS
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    if sentence:
        pieces.append(sentence)
    return pieces


def _paragraph_units(paragraph: str) -> list[str]:
    """A paragraph as one unit, or as sentence-aligned chunks if it is too long."""
    if len(paragraph) <= MAX_CHARS:
        return [paragraph]
    units: list[str] = []
    current = ""
    for sentence in split_sentences(paragraph):
        for piece in _hard_wrap(sentence):
            if current and len(current) + 1 + len(piece) > TARGET_CHARS:
                units.append(current)
                current = piece
            else:
                current = f"{current} {piece}".strip()
    if current:
        units.append(current)
    return units


def split_passages(text: str) -> list[str]:
    """Passages of `text` in reading order; short paragraphs are joined up to TARGET_CHARS."""
    passages: list[str] = []
    current: list[str] = []
    size = 0
    for paragraph in _PARAGRAPH_RE.split(text.strip()):
        if not paragraph:
            continue
        for unit in _paragraph_units(paragraph):
            if current and (size + len(unit) > MAX_CHARS or len(current) == MAX_PARAGRAPHS or size >= TARGET_CHARS):
                passages.append("\n".join(current))
                current, size = [], 0
            current.append(unit)
            size += len(unit)
    if current:
        passages.append("\n".join(current))
    return passages
