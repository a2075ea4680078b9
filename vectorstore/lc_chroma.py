"""The library's Chroma collection as a read-only ``langchain_chroma.Chroma`` vector store.

Writes are refused: the collection is one of three stores kept in step (the manifest, the
lexical index and the vectors), and only ``Assistant.ingest``/``remove``/``sync`` update all
three under the write lock. A text added through LangChain would be missing from the manifest,
so hybrid retrieval would never return it and the next ingest would delete it as a leftover.
"""

from __future__ import annotations

from typing import Any, NoReturn

import numpy as np
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from ingest.errors import StoreError
from vectorstore.embeddings import Embedder

_REFUSAL = (
    "the Sourced vector store is read-only through LangChain: add or replace documents with "
    "Assistant.ingest() or `sourced ingest`, remove them with Assistant.remove() or "
    "`sourced remove`, so the manifest and the lexical index stay in step"
)


class EmbedderEmbeddings(Embeddings):
    """LangChain's ``Embeddings`` over any :class:`Embedder` (the bundled ones already are)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: np.ndarray = self.embedder.embed(list(texts))
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        vectors: np.ndarray = self.embedder.embed([text])
        return vectors[0].tolist()


def as_embeddings(embedder: Embedder) -> Embeddings:
    """``embedder`` itself when it implements ``Embeddings``, else an adapter over it."""
    return embedder if isinstance(embedder, Embeddings) else EmbedderEmbeddings(embedder)


class ReadOnlyChroma(Chroma):
    """``Chroma`` over the library's collection that searches but refuses every write.

    Searches are dense only (no BM25, query understanding, re-scoring or per-article cap: use
    ``Assistant.as_retriever`` for those) and see every vector in the collection, including
    those of a document an ingest is replacing at that moment. Metadata filters use Chroma's
    ``where`` syntax over ``doc_id``, ``title``, ``source``, ``author``, ``url``,
    ``published_at``, ``published_ts`` (epoch seconds), ``start``, ``end``, ``idx``,
    ``heading`` and ``page``.
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise StoreError(_REFUSAL)

    add_texts = _refuse
    add_documents = _refuse
    add_images = _refuse
    update_document = _refuse
    update_documents = _refuse
    delete = _refuse
    delete_collection = _refuse
    reset_collection = _refuse

    async def aadd_texts(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise StoreError(_REFUSAL)

    async def aadd_documents(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise StoreError(_REFUSAL)

    async def adelete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise StoreError(_REFUSAL)


def chroma_view(client: Any, collection: str, embedder: Embedder) -> ReadOnlyChroma:
    """A read-only LangChain view of the existing ``collection`` on ``client``."""
    return ReadOnlyChroma(
        client=client,
        collection_name=collection,
        embedding_function=as_embeddings(embedder),
        create_collection_if_not_exists=False,
    )
