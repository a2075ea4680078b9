"""The offline answer: the retrieved sentences that best answer the question, each cited.

No language model: sentences are scored against the question by embedding similarity and
word overlap, near-duplicates are dropped, and the rest are grouped by article in reading
order. When nothing scores high enough, or the question names someone or something that no
retrieved passage mentions, the answer abstains instead of quoting noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from assistant.compose import (
    CitationBook,
    Selected,
    abstention,
    attributed,
    claim_line,
)
from assistant.conflict import asserts, denies, find_conflict, shares_topic
from assistant.injection import is_instruction
from assistant.types import Answer, Claim, Quote
from ingest.config import Settings
from ingest.sentences import sentence_spans
from vectorstore.embeddings import Embedder
from vectorstore.lexical import Analyzer
from vectorstore.types import Passage

_QUESTION_WORDS = frozenset(
    [
        "did",
        "does",
        "do",
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "which",
        "is",
        "are",
        "was",
        "were",
        "say",
        "said",
        "says",
        "tell",
        "told",
        "according",
        "article",
        "articles",
        "report",
        "reported",
        "source",
        "sources",
    ]
)
_NAME = re.compile(r"\b[A-Z][a-zA-Z’'-]+(?:\s+[A-Z][a-zA-Z’'-]+)*")
_COMMON_CAPITALISED = frozenset(
    [
        "I",
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "Of",
        "For",
        "And",
        "Or",
        "But",
        "If",
        "Is",
        "Are",
        "Was",
        "Were",
        "Did",
        "Does",
        "Do",
        "What",
        "Who",
        "When",
        "Where",
        "Why",
        "How",
        "Which",
        "According",
        "Has",
        "Have",
        "Had",
        "Can",
        "Could",
        "Would",
        "Should",
        "Will",
        "Tell",
        "Give",
        "Show",
        "List",
        "Please",
    ]
)


def question_terms(question: str, analyzer: Analyzer) -> set[str]:
    stems = set(analyzer(question))
    generic = set(analyzer(" ".join(_QUESTION_WORDS)))
    return stems - generic


def unknown_names(question: str, passages: list[Passage]) -> list[str]:
    """Proper names in the question that no retrieved passage (or its metadata) mentions."""
    haystack = " ".join(f"{p.title} {p.source} {p.author} {p.text}" for p in passages).lower()
    missing = []
    for match in _NAME.finditer(question):
        words = [w for w in match.group(0).split() if w not in _COMMON_CAPITALISED]
        if not words:
            continue
        name = " ".join(words)
        if not any(w.lower().strip("’'s") in haystack for w in words):
            missing.append(name)
    return missing


class ExtractiveAnswerer:
    """Answers from the retrieved sentences themselves; works offline."""

    mode = "extractive"

    def __init__(self, embedder: Embedder, settings: Settings) -> None:
        self.embedder = embedder
        self.settings = settings
        self.analyzer = Analyzer()

    def score(self, question: str, passages: list[Passage]) -> tuple[list[Selected], np.ndarray]:
        """Every sentence of the passages with its support score, and their vectors."""
        sentences: list[Selected] = []
        for passage in passages:
            for s, e in sentence_spans(passage.text):
                text = passage.text[s:e]
                if len(text.split()) < 5 or is_instruction(text):
                    continue  # instructions planted in an article are never quoted
                sentences.append(Selected(passage, passage.start + s, passage.start + e, text, 0.0))
        if not sentences:
            return [], np.zeros((0, 1))
        vectors = self.embedder.embed([question] + [s.text for s in sentences])
        cosine = vectors[1:] @ vectors[0]
        terms = question_terms(question, self.analyzer)
        scored = []
        for sentence, cos in zip(sentences, cosine, strict=True):
            overlap = len(terms & set(self.analyzer(sentence.text))) / len(terms) if terms else 0.0
            value = 0.75 * float(cos) + 0.25 * overlap
            scored.append(
                Selected(sentence.passage, sentence.start, sentence.end, sentence.text, value)
            )
        return scored, vectors[1:]

    def select(self, scored: list[Selected], vectors: np.ndarray) -> list[Selected]:
        """The best sentences, without near-duplicates, at most two per passage."""
        s = self.settings
        order = sorted(range(len(scored)), key=lambda i: -scored[i].score)
        if not order:
            return []
        floor = max(s.min_support, scored[order[0]].score - 0.25)
        chosen: list[int] = []
        per_passage: dict[str, int] = {}
        for i in order:
            item = scored[i]
            if item.score < floor or len(chosen) >= s.answer_sentences:
                break
            if per_passage.get(item.passage.chunk_id, 0) >= 2:
                continue
            if any(float(vectors[i] @ vectors[j]) > 0.9 for j in chosen):
                continue
            chosen.append(i)
            per_passage[item.passage.chunk_id] = per_passage.get(item.passage.chunk_id, 0) + 1
        self._add_other_side(scored, order, chosen)
        return [scored[i] for i in chosen]

    def _add_other_side(self, scored: list[Selected], order: list[int], chosen: list[int]) -> None:
        """A contested claim is answered with both sides: when the chosen sentences assert a
        claim, add the best relevant sentence that denies it (and the other way round)."""
        texts = [scored[i].text for i in chosen]
        wanted = []
        if any(asserts(t) for t in texts):
            wanted.append(denies)
        if any(denies(t) for t in texts):
            wanted.append(asserts)
        for has_side in wanted:
            for i in order:
                item = scored[i]
                if item.score < self.settings.min_support:
                    break
                if i in chosen or not has_side(item.text):
                    continue
                if any(shares_topic(item.text, t) for t in texts):
                    chosen.append(i)
                    break

    def answer(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Yields the answer's text in pieces, then the :class:`Answer`."""
        if not passages:
            answer = abstention(question, "Nothing in the library matches it.")
            yield answer.text
            yield answer
            return
        missing = unknown_names(question, passages)
        scored, vectors = self.score(question, passages)
        chosen = self.select(scored, vectors)
        if missing or not chosen:
            reason = (
                f"No source mentions {', '.join(missing)}."
                if missing
                else "No passage is close enough to the question to quote."
            )
            answer = abstention(question, reason)
            yield answer.text
            yield answer
            return
        # Reading order: articles by their best sentence, sentences by position.
        doc_rank: dict[str, int] = {}
        for item in chosen:
            doc_rank.setdefault(item.passage.doc_id, len(doc_rank))
        chosen.sort(key=lambda x: (doc_rank[x.passage.doc_id], x.start))
        conflict = find_conflict([c.text for c in chosen])
        book = CitationBook()
        claims: list[Claim] = []
        pieces: list[str] = []
        if conflict:
            pieces.append("The sources disagree on this; each side is given with its source.\n\n")
        previous_doc = None
        for item in chosen:
            number = book.cite(item.passage, Quote(item.text, item.start, item.end))
            text = attributed(item)
            claims.append(Claim(text, (number,)))
            sep = (
                ""
                if previous_doc is None
                else (" " if item.passage.doc_id == previous_doc else "\n\n")
            )
            pieces.append(sep + claim_line(text, (number,)))
            previous_doc = item.passage.doc_id
        yield from pieces
        yield Answer(
            question=question,
            text="".join(pieces),
            citations=book.citations(),
            abstained=False,
            claims=tuple(claims),
            conflict=conflict,
            notes=("The sources disagree.",) if conflict else (),
        )
