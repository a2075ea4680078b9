"""Turning chosen sentences of retrieved passages into an :class:`Answer` with numbered
citations. Shared by every answer mode so the citation rules live in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.types import Answer, Citation, Quote
from vectorstore.types import Passage

ABSTAIN_TEXT = "The sources in the library don't answer this question."

_REPORTING = re.compile(
    r"\b(said|says|say|argued|argues|argue|claimed|claims|claim|insisted|insists|stated|states|"
    r"told|maintained|maintains|denied|denies|asserted|asserts|alleged|alleges|contended|"
    r"contends|according to|noted|notes|warned|warns|added|adds|described|describes|accused|"
    r"accuses|reportedly|believes|believe|wrote|writes)\b",
    re.I,
)
_PRONOUN_START = re.compile(r"^[\"“‘']?(He|She|They|It|This|That|These|Those|His|Her|Their|We|I)\b")


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


def attributed(sentence: Selected) -> str:
    """The sentence as it should read in an answer: a reported claim whose speaker is only a
    pronoun gets its source named, so the answer never presents a claim as fact."""
    text = sentence.text.strip()
    if _REPORTING.search(text) and _PRONOUN_START.match(text):
        inner = text.strip('“”"')
        return f"According to {source_label(sentence.passage)}: “{inner}”"
    return text


def is_reported_claim(text: str) -> bool:
    return bool(_REPORTING.search(text))


class CitationBook:
    """Numbers passages in the order the answer first cites them."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._passages: list[Passage] = []
        self._quotes: dict[str, list[Quote]] = {}

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
