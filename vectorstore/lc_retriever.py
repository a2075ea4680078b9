"""Hybrid retrieval as a LangChain ``BaseRetriever``, so a LangChain program can put Sourced's
retrieval (dense + BM25, query understanding, re-scoring, diversity) into its own chain.

Each passage becomes a ``Document`` whose ``page_content`` is the passage text and whose
metadata carries what a citation needs; :func:`passage_of` turns such a document back into the
:class:`~vectorstore.types.Passage` it came from, losslessly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, field_validator

from ingest.errors import SourcedError
from vectorstore.retrieval import Retriever
from vectorstore.types import Filters, Passage

_FILTER_FIELDS = ("sources", "authors", "since", "until", "doc_ids")
_METADATA = (
    "doc_id",
    "chunk_id",
    "title",
    "url",
    "source",
    "author",
    "published_at",
    "start",
    "end",
    "page",
    "score",
    "heading",
)


def as_filters(value: Filters | Mapping[str, Any] | None) -> Filters | None:
    """``value`` as :class:`Filters`: a Filters, a mapping of its fields (lists allowed), or
    None. An unknown key raises :class:`SourcedError` naming it and the known ones."""
    if value is None or isinstance(value, Filters):
        return value
    if not isinstance(value, Mapping):
        raise SourcedError(
            f"filters must be a Filters or a mapping of {', '.join(_FILTER_FIELDS)}, "
            f"not {type(value).__name__}"
        )
    unknown = sorted(set(value) - set(_FILTER_FIELDS))
    if unknown:
        raise SourcedError(
            f"unknown filter field(s) {', '.join(map(repr, unknown))}; "
            f"use {', '.join(_FILTER_FIELDS)}"
        )
    fields: dict[str, Any] = {}
    for key, item in value.items():
        if key in ("since", "until"):
            fields[key] = item or None
        elif isinstance(item, str):
            fields[key] = (item,)
        else:
            fields[key] = tuple(item or ())
    return Filters(**fields)


def document_of(passage: Passage) -> Document:
    """The passage as a LangChain ``Document`` (``id`` is the chunk id)."""
    return Document(
        id=passage.chunk_id,
        page_content=passage.text,
        metadata={name: getattr(passage, name) for name in _METADATA},
    )


def passage_of(document: Document) -> Passage:
    """The :class:`Passage` a document from :func:`document_of` holds."""
    meta = document.metadata
    missing = [name for name in ("doc_id", "chunk_id", "start", "end") if name not in meta]
    if missing:
        raise SourcedError(
            f"document {document.id!r} lacks the metadata {', '.join(missing)}; only documents "
            "from a Sourced retriever can be cited"
        )
    return Passage(
        chunk_id=str(meta["chunk_id"]),
        doc_id=str(meta["doc_id"]),
        text=document.page_content,
        start=int(meta["start"]),
        end=int(meta["end"]),
        title=str(meta.get("title", "")),
        source=str(meta.get("source", "")),
        author=str(meta.get("author", "")),
        url=str(meta.get("url", "")),
        published_at=str(meta.get("published_at", "")),
        heading=str(meta.get("heading", "")),
        score=float(meta.get("score", 0.0)),
        page=None if meta.get("page") is None else int(meta["page"]),
    )


class SourcedRetriever(BaseRetriever):
    """The library's hybrid retrieval as a LangChain retriever.

    ``k`` passages per question (``invoke(q, k=3)`` overrides it for one call) and optional
    ``filters`` (a :class:`Filters` or a mapping such as ``{"sources": ["Reuters"]}``; also
    per call). Documents come best first; ``metadata`` holds ``doc_id``, ``chunk_id``,
    ``title``, ``url``, ``source``, ``author``, ``published_at``, ``start``/``end`` (offsets
    in the stored document), ``page``, ``heading`` and ``score``. Async calls run the same
    retrieval in a worker thread (the retriever is thread-safe).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any
    """The :class:`~vectorstore.retrieval.Retriever` to call (a ``HybridRetriever``)."""
    k: int = 10
    filters: Filters | None = None

    @field_validator("filters", mode="before")
    @classmethod
    def _coerce_filters(cls, value: Any) -> Filters | None:
        return as_filters(value)

    @field_validator("k")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError(f"k must be at least 1, not {value}")
        return value

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        k: int | None = None,
        filters: Filters | Mapping[str, Any] | None = None,
    ) -> list[Document]:
        if not isinstance(query, str) or not query.strip():
            raise SourcedError("the query is empty; pass the question as a non-empty string")
        n = self.k if k is None else int(k)
        if n < 1:
            raise SourcedError(f"k must be at least 1, not {k}")
        chosen = as_filters(filters) if filters is not None else self.filters
        retriever: Retriever = self.retriever
        passages = retriever.retrieve(query, k=n, filters=chosen)
        return [document_of(p) for p in passages[:n]]
