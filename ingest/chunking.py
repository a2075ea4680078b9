"""Sentence-aware chunking bounded by the embedding model's own tokenizer.

Chunks never cross a heading, hold whole sentences (a sentence longer than the budget is cut at
token boundaries), and keep character offsets into the document text. The budget counts the
title and heading prepended for embedding, so nothing is cut at the model's limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ingest.ids import chunk_id
from ingest.models import Chunk, Document
from ingest.sentences import sentence_spans


class Tokenizer(Protocol):
    """What chunking needs of a tokenizer: counts, and token character spans."""

    def count(self, text: str) -> int:
        """Number of tokens in ``text`` without special tokens."""
        ...

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the tokens of ``text``."""
        ...


def embedding_text(title: str, heading: str, text: str) -> str:
    """What is embedded for a chunk: the passage with its title (and heading) as context."""
    context = title if not heading or heading == title else f"{title} — {heading}"
    return f"{context}\n{text}" if context else text


def _heading_text(document: Document, start: int, end: int) -> str:
    return document.text[start:end].strip().lstrip("#").strip()


class Chunker:
    """Packs whole sentences into chunks of at most ``max_tokens`` tokens (with context)."""

    def __init__(self, tokenizer: Tokenizer, max_tokens: int = 200, model_max_tokens: int = 256):
        if max_tokens > model_max_tokens - 2:
            max_tokens = model_max_tokens - 2  # [CLS] and [SEP]
        self.tokenizer = tokenizer
        self.max_tokens = max_tokens

    def _pieces(
        self, text: str, start: int, end: int, budget: int
    ) -> Iterator[tuple[int, int, int]]:
        """(start, end, tokens) of each sentence, long ones cut at token boundaries."""
        for s, e in sentence_spans(text, start, end):
            tokens = self.tokenizer.count(text[s:e])
            if tokens <= budget:
                yield s, e, tokens
                continue
            spans = self.tokenizer.token_spans(text[s:e])
            for i in range(0, len(spans), budget):
                window = spans[i : i + budget]
                yield s + window[0][0], s + window[-1][1], len(window)

    def chunk(self, document: Document) -> list[Chunk]:
        """The chunks of ``document``, in order."""
        text = document.text
        chunks: list[Chunk] = []
        heading = ""
        current: list[tuple[int, int, int]] = []

        def flush() -> None:
            if not current:
                return
            s, e = current[0][0], current[-1][1]
            body = text[s:e]
            tokens = self.tokenizer.count(embedding_text(document.title, heading, body))
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(document.doc_id, s, e, body),
                    doc_id=document.doc_id,
                    index=len(chunks),
                    start=s,
                    end=e,
                    text=body,
                    heading=heading,
                    tokens=tokens,
                    page=document.page_at(s),
                )
            )
            current.clear()

        for block in document.blocks:
            if block.kind == "heading":
                flush()
                heading = _heading_text(document, block.start, block.end)
                continue
            context_tokens = self.tokenizer.count(embedding_text(document.title, heading, ""))
            budget = max(16, self.max_tokens - context_tokens - 1)
            for piece in self._pieces(text, block.start, block.end, budget):
                used = sum(p[2] for p in current)
                if current and used + piece[2] > budget:
                    flush()
                elif current and document.page_at(piece[0]) != document.page_at(current[0][0]):
                    flush()  # a chunk stays on one page, so a PDF citation names its page
                current.append(piece)
        flush()
        return chunks
