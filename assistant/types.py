"""Value types of answers: citations, claims, answers and ingest reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Quote:
    """The exact sentence a claim rests on: ``document[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Citation:
    """Numbered source of one or more claims: the cited passage, where it sits in its document,
    and the sentences of it that the answer quotes."""

    n: int
    text: str
    doc_id: str
    chunk_id: str
    title: str
    url: str
    source: str
    author: str
    published_at: str
    start: int
    end: int
    score: float
    quotes: tuple[Quote, ...] = ()
    page: int | None = None  # the page of a PDF source, else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["quotes"] = [asdict(q) for q in self.quotes]
        return data


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer and the citation numbers that support it."""

    text: str
    citations: tuple[int, ...]


@dataclass(frozen=True)
class Verification:
    """How a generated answer was checked: the model's text as it came out (``draft``), how
    many of its sentences were checked and kept, and the ones left out with the reason."""

    draft: str
    sentences: int
    kept: int
    dropped: tuple[tuple[str, str], ...] = ()
    reattributed: int = 0
    markers_removed: int = 0
    links_removed: int = 0

    @property
    def survival(self) -> float:
        return self.kept / self.sentences if self.sentences else 0.0


@dataclass(frozen=True)
class Answer:
    """An answer: its text (claims with ``[n]`` markers), the citations, and whether it
    abstained because the sources do not answer the question."""

    question: str
    text: str
    citations: list[Citation]
    abstained: bool
    claims: tuple[Claim, ...] = ()
    notes: tuple[str, ...] = ()
    conflict: bool = False
    mode: str = "extractive"
    standalone_question: str = ""
    verification: Verification | None = None
    kind: str = ""  # what the question asks for: who, when, list, yesno, comparison...
    more: str = ""  # the rest of the evidence, cited with ``more_citations``
    more_citations: list[Citation] = field(default_factory=list)
    disagreement: str = ""  # why the cited sentences oppose each other, when they do

    def to_dict(self) -> dict[str, Any]:
        return {
            "standalone_question": self.standalone_question,
            "verification": asdict(self.verification) if self.verification else None,
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "conflict": self.conflict,
            "mode": self.mode,
            "notes": list(self.notes),
            "citations": [c.to_dict() for c in self.citations],
            "kind": self.kind,
            "disagreement": self.disagreement,
            "more": self.more,
            "more_citations": [c.to_dict() for c in self.more_citations],
        }


@dataclass(frozen=True)
class IngestProblem:
    """A source that could not be ingested, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    """What an ingest run did: document ids added, updated, unchanged, and the problems."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    chunks: int = 0
    embedded: int = 0
    errors: tuple[IngestProblem, ...] = field(default_factory=tuple)
    removed: tuple[str, ...] = ()  # documents a sync removed
    # What embedded: model (store name), backend, the setting asked for, why this backend.
    embedder: dict[str, str] = field(default_factory=dict)

    @property
    def documents(self) -> int:
        return len(self.added) + len(self.updated)

    @property
    def skipped(self) -> int:
        return len(self.unchanged)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "added": list(self.added),
            "updated": list(self.updated),
            "unchanged": list(self.unchanged),
            "chunks": self.chunks,
            "embedded": self.embedded,
            "skipped": self.skipped,
            "errors": [asdict(e) for e in self.errors],
            "removed": list(self.removed),
            "embedder": dict(self.embedder),
        }
