"""Turning chosen sentences of retrieved passages into an :class:`Answer` with numbered
citations. Shared by every answer mode so the citation and attribution rules live in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.types import Answer, Citation, Claim, Quote
from vectorstore.types import Passage

ABSTAIN_TEXT = "The sources in the library don't answer this question."
DISAGREE_TEXT = "The sources disagree on this; each side is given with its source."

_REPORTING = re.compile(
    r"\b(said|says|say|argued|argues|argue|claimed|claims|claim|insisted|insists|stated|states|"
    r"told|maintained|maintains|denied|denies|asserted|asserts|alleged|alleges|contended|"
    r"contends|according to|noted|notes|warned|warns|added|adds|described|describes|accused|"
    r"accuses|reportedly|believes|believe|wrote|writes)\b",
    re.I,
)
# Footnote markers lifted from encyclopedia pages would read as citation markers.
_FOOTNOTE = re.compile(r"\s*\[(?:\d+|[a-z]|citation needed|note \d+)\]", re.I)


@dataclass(frozen=True)
class Selected:
    """A sentence of a passage chosen for the answer (offsets into the document)."""

    passage: Passage
    start: int
    end: int
    text: str
    score: float


def source_label(passage: Passage) -> str:
    return passage.source or f"“{passage.title}”"


def short_date(published_at: str) -> str:
    """``2025-02-09...`` as ``9 Feb 2025``; anything else unchanged ('' stays '')."""
    try:
        day = date.fromisoformat(published_at[:10])
    except ValueError:
        return published_at
    return f"{day.day} {day:%b %Y}"


def label(passage: Passage) -> str:
    """Who said it and when: ``Northgate Review, 9 Feb 2025``."""
    return ", ".join(x for x in (source_label(passage), short_date(passage.published_at)) if x)


def is_reported_claim(text: str) -> bool:
    return bool(_REPORTING.search(text))


def readable(text: str) -> str:
    """The sentence as an answer shows it: footnote markers out, whitespace squeezed."""
    return re.sub(r"\s+", " ", _FOOTNOTE.sub("", text)).strip()


def attributed(sentence: Selected, always: bool = False) -> str:
    """The sentence as it reads in an answer; with ``always`` (a reported claim, one side of a
    disagreement) introduced by its source and date, so a claim never reads as fact."""
    text = readable(sentence.text)
    return f"{label(sentence.passage)}: {text}" if always else text


class CitationBook:
    """Numbers passages in the order the answer first cites them."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._passages: list[Passage] = []
        self._quotes: dict[str, list[Quote]] = {}

    def __len__(self) -> int:
        return len(self._passages)

    def cite(self, passage: Passage, quote: Quote | None = None) -> int:
        if passage.chunk_id not in self._numbers:
            self._passages.append(passage)
            self._numbers[passage.chunk_id] = len(self._passages)
            self._quotes[passage.chunk_id] = []
        if quote is not None and quote not in self._quotes[passage.chunk_id]:
            self._quotes[passage.chunk_id].append(quote)
        return self._numbers[passage.chunk_id]

    def citations(self) -> list[Citation]:
        return [
            Citation(
                n=self._numbers[p.chunk_id],
                text=p.text,
                doc_id=p.doc_id,
                chunk_id=p.chunk_id,
                title=p.title,
                url=p.url,
                source=p.source,
                author=p.author,
                published_at=p.published_at,
                start=p.start,
                end=p.end,
                score=round(p.score, 6),
                quotes=tuple(sorted(self._quotes[p.chunk_id], key=lambda q: q.start)),
                page=p.page,
            )
            for p in self._passages
        ]


def abstention(question: str, reason: str = "", mode: str = "extractive") -> Answer:
    text = ABSTAIN_TEXT if not reason else f"{ABSTAIN_TEXT} {reason}"
    return Answer(
        question=question,
        text=text,
        citations=[],
        abstained=True,
        mode=mode,
        notes=(reason,) if reason else (),
    )


def claim_line(text: str, numbers: tuple[int, ...]) -> str:
    return f"{text} " + "".join(f"[{n}]" for n in numbers)


@dataclass(frozen=True)
class Line:
    """One claim of a composed answer: its text, the sentences it quotes, and whether it
    starts a new paragraph."""

    text: str
    quotes: tuple[Selected, ...]
    paragraph: bool = False


class Composer:
    """Writes lines into answer text with ``[n]`` markers: the answer proper, then the rest of
    the evidence (``more``) numbered after it."""

    def __init__(self) -> None:
        self.book = CitationBook()

    def write(self, lines: list[Line], header: str = "") -> tuple[str, list[Claim]]:
        pieces: list[str] = [header] if header else []
        claims: list[Claim] = []
        for line in lines:
            numbers = tuple(
                dict.fromkeys(
                    self.book.cite(s.passage, Quote(s.text, s.start, s.end)) for s in line.quotes
                )
            )
            sep = "" if not pieces or pieces == [header] else ("\n\n" if line.paragraph else " ")
            pieces.append(sep + claim_line(line.text, numbers))
            claims.append(Claim(line.text, numbers))
        return "".join(pieces), claims
