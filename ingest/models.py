"""Value types of the ingest side: a loaded document and its chunks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """A span ``[start, end)`` of a document's text: a prose paragraph or a heading."""

    start: int
    end: int
    kind: str  # "para" | "heading"


@dataclass(frozen=True)
class Document:
    """One article. ``text`` is the stored text citations point into; ``blocks`` say which
    spans of it are prose (passages come only from those) and which are headings."""

    doc_id: str
    locator: str
    text: str
    title: str
    blocks: tuple[Block, ...]
    source: str = ""
    author: str = ""
    url: str = ""
    published_at: str = ""  # ISO date or datetime, "" when unknown
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: ``text == document.text[start:end]``."""

    chunk_id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    heading: str = ""
    tokens: int = 0
