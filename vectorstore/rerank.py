"""Second-stage re-scoring of the fused candidates.

:class:`SentenceReranker` needs nothing beyond what is installed: each candidate is scored by
the question's cosine similarity to the passage's stored vector, by how much of the question's
(IDF-weighted) vocabulary its best sentence holds, and by its fused rank, combined linearly.
A question's answer usually sits in one sentence, and a passage that holds most of the question's
rare words in one sentence beats one that scatters them.

:class:`CrossEncoderReranker` scores (question, passage) pairs with a local sentence-transformers
CrossEncoder folder (``SOURCED_RERANKER``); nothing is downloaded.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ingest.config import Settings
from ingest.errors import ConfigError
from ingest.manifest import ChunkRecord
from ingest.sentences import sentence_spans
from vectorstore.chroma import ChromaStore
from vectorstore.lexical import LexicalIndex
from vectorstore.query import QueryPlan


class Reranker(Protocol):
    """Re-scores candidate passages for a question (higher is better)."""

    def rerank(
        self,
        plan: QueryPlan,
        query_vector: np.ndarray,
        records: Sequence[ChunkRecord],
        prior: Sequence[float],
    ) -> list[float]:
        """One score per record; ``prior`` holds the first-stage scores, best first."""
        ...


class SentenceReranker:
    """Dense passage similarity + best-sentence lexical coverage + first-stage rank."""

    _CACHE = 4096

    def __init__(self, settings: Settings, store: ChromaStore, lexical: LexicalIndex) -> None:
        self.settings = settings
        self.store = store
        self.lexical = lexical
        # Chunk ids hash their text, so a chunk's analysed sentences never go stale.
        self._terms: OrderedDict[str, list[set[str]]] = OrderedDict()

    def question_weights(self, plan: QueryPlan) -> dict[str, float]:
        """IDF weight of each analysed question term (computed once per question)."""
        return self.lexical.idf(self.lexical.analyzer(plan.core or plan.question))

    def sentence_terms(self, record: ChunkRecord) -> list[set[str]]:
        """The analysed terms of each sentence of the passage (cached by chunk id)."""
        terms = self._terms.get(record.chunk_id)
        if terms is None:
            terms = [
                set(self.lexical.analyzer(record.text[s:e])) for s, e in sentence_spans(record.text)
            ]
            self._terms[record.chunk_id] = terms
            if len(self._terms) > self._CACHE:
                self._terms.popitem(last=False)
        return terms

    @staticmethod
    def coverage(sentences: list[set[str]], weights: dict[str, float]) -> float:
        """Share of ``weights`` that the best sentence holds."""
        total = sum(weights.values())
        if total <= 0:
            return 0.0
        return (
            max((sum(w for t, w in weights.items() if t in s) for s in sentences), default=0.0)
            / total
        )

    def sentence_coverage(
        self, plan: QueryPlan, record: ChunkRecord, weights: dict[str, float] | None = None
    ) -> float:
        """Share of the question's IDF weight that the passage's best sentence holds."""
        if weights is None:
            weights = self.question_weights(plan)
        return self.coverage(self.sentence_terms(record), weights)

    def rerank(
        self,
        plan: QueryPlan,
        query_vector: np.ndarray,
        records: Sequence[ChunkRecord],
        prior: Sequence[float],
    ) -> list[float]:
        s = self.settings
        vectors = self.store.vectors([r.chunk_id for r in records])
        weights = self.question_weights(plan)
        out = []
        for rank, record in enumerate(records):
            vector = vectors.get(record.chunk_id)
            dense = float(vector @ query_vector) if vector is not None else 0.0
            coverage = self.coverage(self.sentence_terms(record), weights)
            out.append(
                s.rerank_dense_weight * dense
                + s.rerank_sentence_weight * coverage
                + s.rerank_prior_weight / (1.0 + rank) ** 0.5
            )
        return out


def load_cross_encoder(path: str, setting: str, kind: str) -> Any:
    """A sentence-transformers CrossEncoder from the local folder ``path`` (nothing is
    downloaded); a :class:`ConfigError` naming ``setting`` when it is not one."""
    folder = Path(path).expanduser()
    if not (folder / "config.json").exists():
        raise ConfigError(
            f"{setting}={path!r} is not a model folder (no config.json there); point "
            f"it at a local {kind} folder or unset it"
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import CrossEncoder

    try:
        return CrossEncoder(str(folder), device="cpu", local_files_only=True)
    except Exception as exc:  # transformers raises many kinds for a broken folder
        raise ConfigError(
            f"{setting}={path!r} could not be loaded as a CrossEncoder ({exc}); "
            "point it at a working model folder or unset it"
        ) from exc


class CrossEncoderReranker:
    """A sentence-transformers CrossEncoder loaded from a local folder."""

    def __init__(self, path: str, batch_size: int = 32) -> None:
        self.model: Any = load_cross_encoder(
            path, "SOURCED_RERANKER", "sentence-transformers CrossEncoder"
        )
        self.batch_size = batch_size

    def rerank(
        self,
        plan: QueryPlan,
        query_vector: np.ndarray,
        records: Sequence[ChunkRecord],
        prior: Sequence[float],
    ) -> list[float]:
        if not records:
            return []
        pairs = [(plan.question, f"{r.title}\n{r.text}") for r in records]
        scores = self.model.predict(pairs, batch_size=self.batch_size, show_progress_bar=False)
        return [float(x) for x in np.asarray(scores).reshape(len(records), -1)[:, -1]]


def load_reranker(settings: Settings, store: ChromaStore, lexical: LexicalIndex) -> Reranker | None:
    """The configured second stage: a cross-encoder folder, the sentence re-scorer, or none."""
    if settings.reranker:
        return CrossEncoderReranker(settings.reranker)
    if settings.sentence_rerank:
        return SentenceReranker(settings, store, lexical)
    return None
