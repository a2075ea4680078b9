"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank,
checked against the manifest, and spread over documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ingest.config import Settings
from ingest.dates import timestamp
from ingest.manifest import ChunkRecord, Manifest, matching_chunk_ids
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.types import Filters, Passage


class Retriever(Protocol):
    """Finds the passages that best answer a question."""

    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        """The ``k`` best passages, best first."""
        ...


@dataclass(frozen=True)
class Candidate:
    chunk_id: str
    score: float


def rrf(rankings: list[tuple[list[str], float]], k: int) -> list[Candidate]:
    """Reciprocal rank fusion of ranked id lists, each with a weight."""
    scores: dict[str, float] = {}
    for ids, weight in rankings:
        for rank, chunk_id in enumerate(ids):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (k + rank + 1)
    return [Candidate(c, s) for c, s in sorted(scores.items(), key=lambda kv: -kv[1])]


def cap_per_document(
    candidates: list[Candidate], records: dict[str, ChunkRecord], cap: int
) -> list[Candidate]:
    """Keep at most ``cap`` passages per document, so several articles get a say."""
    seen: dict[str, int] = {}
    kept = []
    for c in candidates:
        doc = records[c.chunk_id].doc_id
        if seen.get(doc, 0) < cap:
            kept.append(c)
            seen[doc] = seen.get(doc, 0) + 1
    return kept


def to_passage(record: ChunkRecord, score: float) -> Passage:
    return Passage(
        chunk_id=record.chunk_id,
        doc_id=record.doc_id,
        text=record.text,
        start=record.start,
        end=record.end,
        title=record.title,
        source=record.source,
        author=record.author,
        url=record.url,
        published_at=record.published_at,
        heading=record.heading,
        score=score,
        page=record.page,
    )


class HybridRetriever:
    """Dense + BM25 candidates, fused with RRF; only chunks the manifest lists are returned,
    so a reader never sees a half-replaced document."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        store: ChromaStore,
        lexical: LexicalIndex,
        manifest: Manifest,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.manifest = manifest

    def _allowed(self, filters: Filters | None) -> set[str] | None:
        if filters is None or filters.is_empty():
            return None
        until = timestamp(filters.until) if filters.until else None
        if until is not None and filters.until and len(filters.until) <= 10:
            until += 86399
        return matching_chunk_ids(
            self.manifest,
            sources=filters.sources,
            authors=filters.authors,
            doc_ids=filters.doc_ids,
            since_ts=timestamp(filters.since) if filters.since else None,
            until_ts=until,
        )

    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        s = self.settings
        depth = max(s.candidates, k)
        vector = self.embedder.embed([question])[0]
        dense = self.store.query(vector, depth, filters)
        allowed = self._allowed(filters)
        lexical = self.lexical.search(question, depth, allowed)
        fused = rrf(
            [
                ([h.chunk_id for h in dense], s.dense_weight),
                ([h.chunk_id for h in lexical], s.lexical_weight),
            ],
            s.rrf_k,
        )
        records = {r.chunk_id: r for r in self.manifest.chunks([c.chunk_id for c in fused])}
        fused = [
            c for c in fused if c.chunk_id in records and (allowed is None or c.chunk_id in allowed)
        ]
        fused = cap_per_document(fused, records, s.max_per_document)[:k]
        return [to_passage(records[c.chunk_id], c.score) for c in fused]
