"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank,
checked against the manifest, re-scored, and spread over documents.

The stages, each switchable in the settings:

1. query understanding (:mod:`vectorstore.query`): the sources, authors and dates a question
   names, matched against the library's metadata;
2. candidates: the whole question against the dense and the lexical index, plus one sub-query
   per named source (its clause of the question, restricted to that source), so that a
   question about two articles gets candidates from both;
3. fusion: weighted reciprocal rank fusion of all those lists, with a boost for passages from
   the named dates and authors;
4. second stage (:mod:`vectorstore.rerank`): the top candidates re-scored by the question's
   similarity to each passage and its best-matching sentence, or by a local cross-encoder;
5. diversity: at most ``max_per_document`` passages per article, and at least
   ``min_per_named_source`` from each source a question names (when it names several).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from ingest.config import Settings
from ingest.dates import timestamp
from ingest.manifest import ChunkRecord, Manifest, matching_chunk_ids
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder
from vectorstore.lexical import LexicalIndex
from vectorstore.query import QueryAnalyzer, QueryPlan
from vectorstore.rerank import Reranker
from vectorstore.types import Filters, Passage


class Retriever(Protocol):
    """Finds the passages that best answer a question (what the LangChain retriever wraps)."""

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


def cover_named_sources(
    ranked: list[Candidate],
    records: dict[str, ChunkRecord],
    sources: tuple[str, ...],
    k: int,
    per_source: int,
) -> list[Candidate]:
    """The top ``k`` of ``ranked``, changed so that each source the question names holds at
    least ``per_source`` of them when it has that many candidates: a question about what
    three outlets reported needs all three. A promoted passage takes the place of the
    lowest-ranked one from a source with more than its share; the order above is unchanged."""
    top, rest = list(ranked[:k]), list(ranked[k:])
    if per_source <= 0 or len(sources) < 2:
        return top

    def count(source: str) -> int:
        return sum(records[c.chunk_id].source == source for c in top)

    for source in sources:
        waiting = [c for c in rest if records[c.chunk_id].source == source]
        for c in waiting[: max(0, per_source - count(source))]:
            spare = next(
                (
                    i
                    for i in range(len(top) - 1, -1, -1)
                    if (src := records[top[i].chunk_id].source) not in sources
                    or count(src) > per_source
                ),
                None,
            )
            if spare is None:
                break
            del top[spare]
            top.append(c)
            rest.remove(c)
    return top


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


def _narrow(filters: Filters | None, sources: tuple[str, ...]) -> Filters | None:
    """The user's filters restricted to ``sources``; None when they exclude all of them."""
    if filters is None:
        return Filters(sources=sources)
    if filters.sources:
        sources = tuple(s for s in sources if s in filters.sources)
        if not sources:
            return None
    return replace(filters, sources=sources)


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
        reranker: Reranker | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.manifest = manifest
        self.reranker = reranker
        self._analyzer: tuple[int, QueryAnalyzer] | None = None
        # Chunk ids per filter (a named source's sub-query), valid for one manifest generation.
        self._allowed_cache: dict[tuple[int, Filters], set[str]] = {}
        self._lock = threading.Lock()  # one retriever serves every UI session

    def analyzer(self) -> QueryAnalyzer:
        """The query analyzer for the library's current sources and authors."""
        generation = self.manifest.generation()
        if self._analyzer is None or self._analyzer[0] != generation:
            records = self.manifest.sources()
            analyzer = QueryAnalyzer(
                {r.source for r in records if r.source}, {r.author for r in records if r.author}
            )
            self._analyzer = (generation, analyzer)
        return self._analyzer[1]

    def plan(self, question: str) -> QueryPlan:
        """What the question names (an empty plan when query understanding is off)."""
        if not self.settings.query_understanding:
            return QueryPlan.read(question)
        return self.analyzer().analyze(question)

    def _allowed(self, filters: Filters | None) -> set[str] | None:
        if filters is None or filters.is_empty():
            return None
        key = (self.manifest.generation(), filters)
        try:
            hash(key)
        except TypeError:  # lists where tuples were expected: fine, just not cached
            return self._matching(filters)
        with self._lock:
            found = self._allowed_cache.get(key)
        if found is None:
            found = self._matching(filters)
            with self._lock:
                if len(self._allowed_cache) > 64 or any(
                    g != key[0] for g, _ in self._allowed_cache
                ):
                    self._allowed_cache.clear()
                self._allowed_cache[key] = found
        return found

    def _matching(self, filters: Filters) -> set[str]:
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

    def _rankings(
        self, plan: QueryPlan, depth: int, filters: Filters | None, allowed: set[str] | None
    ) -> tuple[list[tuple[list[str], float]], np.ndarray]:
        s = self.settings
        subqueries: list[tuple[tuple[str, ...], str]] = []
        if s.subquery_weight > 0:
            for m in plan.mentions:
                text = m.clause if s.subquery_clauses else plan.question
                if (m.sources, text) not in subqueries:
                    subqueries.append((m.sources, text))
            subqueries = subqueries[: s.max_subqueries]
        embedded = [plan.question]
        if s.subquery_embed:
            embedded.extend(t for _, t in subqueries)
        texts = list(dict.fromkeys(embedded))
        vectors = dict(zip(texts, self.embedder.embed(texts), strict=True))
        query_vector = vectors[plan.question]
        dense = self.store.query(query_vector, depth, filters)
        wide: dict[bytes, list[str]] = {}
        lexical = self.lexical.search(plan.question, depth, allowed)
        rankings = [
            ([h.chunk_id for h in dense], s.dense_weight),
            ([h.chunk_id for h in lexical], s.lexical_weight),
        ]
        sub_depth = max(1, depth // 2)
        for sources, text in subqueries:
            narrowed = _narrow(filters, sources)
            if narrowed is None:
                continue
            sub_allowed = self._allowed(narrowed)
            sub_vector = vectors.get(text, query_vector)
            sub_dense = self._dense_within(sub_vector, sub_depth, narrowed, sub_allowed, wide)
            sub_lexical = self.lexical.search(text, sub_depth, sub_allowed)
            weight = s.subquery_weight / len(subqueries) ** 0.5
            rankings.append((sub_dense, s.dense_weight * weight))
            rankings.append(([h.chunk_id for h in sub_lexical], s.lexical_weight * weight))
        return rankings, query_vector

    def _dense_within(
        self,
        vector: np.ndarray,
        n: int,
        filters: Filters,
        allowed: set[str] | None,
        wide: dict[bytes, list[str]],
    ) -> list[str]:
        """The ``n`` nearest chunks that pass ``filters``. A filtered Chroma query costs ~10x an
        unfiltered one, so a wide unfiltered ranking (shared by sub-queries with the same
        vector) is cut to ``allowed`` first; the filtered query runs only when that finds too
        few."""
        if allowed is not None:
            key = vector.tobytes()
            if key not in wide:
                depth = self.settings.subquery_dense_depth
                wide[key] = [h.chunk_id for h in self.store.query(vector, depth)]
            ids = [c for c in wide[key] if c in allowed][:n]
            if len(ids) >= min(n, len(allowed)):
                return ids
        return [h.chunk_id for h in self.store.query(vector, n, filters)]

    def _boost(self, plan: QueryPlan, record: ChunkRecord) -> float:
        s = self.settings
        factor = 1.0
        ts = record.published_ts
        if plan.dates and ts is not None and any(d.start <= ts <= d.end for d in plan.dates):
            factor += s.date_boost
        if plan.authors and record.author in plan.authors:
            factor += s.author_boost
        if plan.mentions and record.source in plan.sources:
            factor += s.source_boost
        return factor

    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        s = self.settings
        depth = max(s.candidates, k)
        plan = self.plan(question)
        allowed = self._allowed(filters)
        rankings, query_vector = self._rankings(plan, depth, filters, allowed)
        fused = rrf(rankings, s.rrf_k)
        records = {r.chunk_id: r for r in self.manifest.chunks([c.chunk_id for c in fused])}
        fused = [
            Candidate(c.chunk_id, c.score * self._boost(plan, records[c.chunk_id]))
            for c in fused
            if c.chunk_id in records and (allowed is None or c.chunk_id in allowed)
        ]
        fused.sort(key=lambda c: -c.score)
        if self.reranker is not None and s.rerank_depth > 0:
            head = fused[: s.rerank_depth]
            scores = self.reranker.rerank(
                plan, query_vector, [records[c.chunk_id] for c in head], [c.score for c in head]
            )
            # The named dates/authors/sources still count after re-scoring (sign-safe).
            factors = [self._boost(plan, records[c.chunk_id]) for c in head]
            head = [
                Candidate(c.chunk_id, float(x) * f if x > 0 else float(x) / f)
                for c, x, f in zip(head, scores, factors, strict=True)
            ]
            head.sort(key=lambda c: -c.score)
            fused = head + fused[s.rerank_depth :]
        fused = cap_per_document(fused, records, s.max_per_document)
        fused = cover_named_sources(fused, records, plan.sources, k, s.min_per_named_source)
        return [to_passage(records[c.chunk_id], c.score) for c in fused]
