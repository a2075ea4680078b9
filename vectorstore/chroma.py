"""The dense index: a Chroma collection in the data directory (or on a Chroma server)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import chromadb
import numpy as np
from chromadb.errors import InternalError

from ingest.config import Settings
from ingest.dates import timestamp
from ingest.errors import EmbeddingModelMismatch, StoreError
from ingest.manifest import ChunkRecord
from vectorstore.backends import same_space
from vectorstore.types import Filters


@dataclass(frozen=True)
class DenseHit:
    chunk_id: str
    similarity: float


def is_remote(settings: Settings) -> bool:
    """Whether the vectors live on a Chroma server (shared by processes) rather than here."""
    return bool(settings.chroma_url or settings.chroma_host)


def make_client(settings: Settings) -> Any:
    """A Chroma client: HTTP when a server is configured, else persistent in the data dir."""
    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_url or settings.chroma_host:
        from urllib.parse import urlparse

        if settings.chroma_url:
            parsed = urlparse(settings.chroma_url)
            host, port = parsed.hostname or "localhost", parsed.port or settings.chroma_port
            ssl = parsed.scheme == "https"
        else:
            host, port, ssl = settings.chroma_host or "localhost", settings.chroma_port, False
        try:
            return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        except Exception as exc:
            raise StoreError(
                f"cannot reach the Chroma server at {host}:{port} ({exc}); start it with "
                "`chroma run --path DIR` or unset SOURCED_CHROMA_URL"
            ) from exc
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def where_clause(filters: Filters | None) -> dict[str, Any] | None:
    """Chroma ``where`` for metadata filters (dates compare as epoch seconds)."""
    if filters is None or filters.is_empty():
        return None
    clauses: list[dict[str, Any]] = []
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.authors:
        clauses.append({"author": {"$in": list(filters.authors)}})
    if filters.doc_ids:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids)}})
    if filters.since:
        clauses.append({"published_ts": {"$gte": timestamp(filters.since) or 0}})
    if filters.until:
        until = timestamp(filters.until) or 0
        if len(filters.until) <= 10:  # a date: include the whole day
            until += 86399
        clauses.append({"published_ts": {"$lte": until}})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaStore:
    """Chunk vectors in a cosine-space collection that records its embedding model."""

    def __init__(self, settings: Settings, model_name: str, dim: int, owner: str = "") -> None:
        self.client = make_client(settings)
        self.model_name = model_name
        self.dim = dim
        try:
            self.collection = self.client.get_or_create_collection(
                settings.collection,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedding_model": model_name, "embedding_dim": dim}
                | ({"library": owner} if owner else {}),
                embedding_function=None,
            )
        except Exception as exc:
            raise StoreError(
                f"cannot open the Chroma collection {settings.collection!r}: {exc}"
            ) from exc
        meta = self.collection.metadata or {}
        stored = str(meta.get("embedding_model"))
        if not same_space(stored, model_name) or int(meta.get("embedding_dim", dim)) != dim:
            raise EmbeddingModelMismatch(
                f"the store in {settings.data_dir} was built with embedding model "
                f"{meta.get('embedding_model')!r} (dim {meta.get('embedding_dim')}), but "
                f"{model_name!r} (dim {dim}) is configured; use that model and backend "
                "(SOURCED_EMBEDDING_MODEL / SOURCED_EMBEDDING_MODEL_PATH / "
                "SOURCED_EMBED_BACKEND; a '+backend' suffix names an int8 backend) or another "
                "--data-dir, and re-ingest there"
            )
        if owner:
            self._claim(settings, owner)

    def _claim(self, settings: Settings, owner: str) -> None:
        """A collection belongs to one library (one manifest). On a shared Chroma server two
        data directories using the same collection would each take the other's vectors for
        crash leftovers and delete them, so a second library is refused."""
        meta = dict(self.collection.metadata or {})
        holder = meta.get("library")
        if holder == owner:
            return
        if holder:
            raise StoreError(
                f"the Chroma collection {settings.collection!r} belongs to another library "
                f"(id {holder}), not the one in {settings.data_dir} (id {owner}); use that "
                "library's data directory, or set SOURCED_COLLECTION to another name"
            )
        meta["library"] = owner
        self.collection.modify(metadata=meta)

    def count(self) -> int:
        return int(self.collection.count())

    def ids(self) -> set[str]:
        result = self.collection.get(include=[])
        return set(result["ids"])

    def upsert(self, records: Sequence[ChunkRecord], vectors: np.ndarray) -> None:
        if not records:
            return
        metadatas = []
        for r in records:
            meta: dict[str, Any] = {
                "doc_id": r.doc_id,
                "title": r.title,
                "source": r.source,
                "author": r.author,
                "url": r.url,
                "published_at": r.published_at,
                "start": r.start,
                "end": r.end,
                "idx": r.index,
                "heading": r.heading,
            }
            if r.published_ts is not None:
                meta["published_ts"] = r.published_ts
            if r.page is not None:
                meta["page"] = r.page
            metadatas.append(meta)
        self.collection.upsert(
            ids=[r.chunk_id for r in records],
            embeddings=vectors,
            documents=[r.text for r in records],
            metadatas=metadatas,
        )

    def delete(self, chunk_ids: Sequence[str]) -> None:
        ids = list(chunk_ids)
        for i in range(0, len(ids), 5000):
            self.collection.delete(ids=ids[i : i + 5000])

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunks (those the store holds)."""
        if not chunk_ids:
            return {}
        result = self.collection.get(ids=list(chunk_ids), include=["embeddings"])
        embeddings = result.get("embeddings")
        if embeddings is None:
            return {}
        return {
            i: np.asarray(v, dtype=np.float32)
            for i, v in zip(result["ids"], embeddings, strict=True)
        }

    def query(self, vector: np.ndarray, n: int, filters: Filters | None = None) -> list[DenseHit]:
        # No count() first: it costs more than an unfiltered query, and Chroma returns what it
        # has when n exceeds it (an empty list for an empty collection).
        for pause in (0.1, 0.4, None):
            try:
                result = self.collection.query(
                    query_embeddings=vector.reshape(1, -1),
                    n_results=max(1, n),
                    where=where_clause(filters),
                    include=["distances"],
                )
                break
            except InternalError as exc:
                # A Chroma 1.5 server sometimes fails a query that meets another client's
                # write ("Error creating hnsw segment reader: Nothing found on disk"); the
                # same query a moment later succeeds. Reads are safe to repeat; other
                # internal errors are not transient and are raised at once.
                if pause is None or "segment reader" not in str(exc):
                    raise
                time.sleep(pause)
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [DenseHit(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]
