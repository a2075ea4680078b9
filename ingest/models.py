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
    # The file a document was read from (sync mirrors folders by it; a record with a
    # URL has that URL as locator but still came from a file), and where each page of a
    # paginated source (PDF) starts in ``text``: page n (1-based) begins at page_starts[n-1].
    origin: str = ""
    page_starts: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset``, or None for unpaginated sources."""
        if not self.page_starts:
            return None
        from bisect import bisect_right

        return max(1, bisect_right(self.page_starts, offset))


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
    page: int | None = None  # page of the chunk's start in a paginated source
