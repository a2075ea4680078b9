"""Value types of retrieval: a retrieved passage and the filters a question may carry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its document's metadata; ``text == document[start:end]``."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    title: str
    source: str = ""
    author: str = ""
    url: str = ""
    published_at: str = ""
    heading: str = ""
    score: float = 0.0
    page: int | None = None  # the page of a paginated source (PDF), else None


@dataclass(frozen=True)
class Filters:
    """Metadata filters: any of the sources/authors (exact names), a date range (ISO dates,
    inclusive), or a set of documents. Empty fields do not filter."""

    sources: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    doc_ids: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.sources or self.authors or self.since or self.until or self.doc_ids)
