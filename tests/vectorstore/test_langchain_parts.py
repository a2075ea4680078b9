"""Hybrid retrieval as a LangChain ``BaseRetriever`` (with the standard retriever tests of
``langchain-tests``) and the library's collection as a read-only ``langchain_chroma.Chroma``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant import Assistant, Filters, Settings, SourcedError
from ingest.errors import StoreError
from vectorstore.lc_retriever import SourcedRetriever, document_of, passage_of

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
LENS = "How much did the lighthouse lens restoration cost?"
CITATION_FIELDS = {
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
}


@pytest.fixture(scope="module")
def bot(tmp_path_factory, embedder):
    path = tmp_path_factory.mktemp("lc") / "data"
    assistant = Assistant(Settings(data_dir=path), embedder=embedder)
    assistant.ingest([ARTICLES])
    yield assistant
    assistant.close()


class TestSourcedRetrieverStandard(RetrieversIntegrationTests):
    """LangChain's own standard tests for retrievers, over a real library. Its async test runs
    on anyio's pytest plugin (the suite has no asyncio mode set; anyio ignores the sync ones)."""

    pytestmark = pytest.mark.anyio

    _bot: Assistant

    @pytest.fixture(autouse=True, scope="class")
    def _library(self, request, bot) -> None:
        request.cls._bot = bot

    @property
    def retriever_constructor(self) -> type[SourcedRetriever]:
        return SourcedRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": self._bot.retriever, "k": 2}

    @property
    def retriever_query_example(self) -> str:
        return LENS


def test_documents_carry_what_a_citation_needs(bot) -> None:
    retriever = bot.as_retriever(k=4)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke(LENS)
    passages = bot.retrieve(LENS, k=4)
    assert len(docs) == 4
    assert [d.id for d in docs] == [p.chunk_id for p in passages]
    for doc, passage in zip(docs, passages, strict=True):
        assert set(doc.metadata) == CITATION_FIELDS
        assert doc.page_content == passage.text
        assert passage_of(doc) == passage
        document = bot.document(doc.metadata["doc_id"]).text
        assert document[doc.metadata["start"] : doc.metadata["end"]] == doc.page_content
    assert docs[0].metadata["title"] == "Restored Lighthouse Lens Returns to Cape Marrow"
    assert docs[0].metadata["score"] >= docs[-1].metadata["score"]


def test_async_and_batch_give_the_same_documents(bot) -> None:
    retriever = bot.as_retriever(k=3)
    docs = retriever.invoke(LENS)
    assert asyncio.run(retriever.ainvoke(LENS)) == docs
    assert retriever.batch([LENS, LENS]) == [docs, docs]


def test_filters_from_the_constructor_or_per_call(bot) -> None:
    source = "City Bulletin"
    by_dataclass = bot.as_retriever(k=5, filters=Filters(sources=(source,))).invoke(LENS)
    by_mapping = bot.as_retriever(k=5, filters={"sources": [source]}).invoke(LENS)
    per_call = bot.as_retriever(k=5).invoke(LENS, filters={"sources": source})
    assert by_dataclass and by_dataclass == by_mapping == per_call
    assert {d.metadata["source"] for d in by_dataclass} == {source}
    assert len(bot.as_retriever(k=5).invoke(LENS, k=2)) == 2


def test_bad_arguments_get_clear_errors(bot) -> None:
    with pytest.raises(SourcedError, match=r"unknown filter field.*'outlet'"):
        bot.as_retriever(filters={"outlet": ["x"]})
    with pytest.raises(ValueError, match="k must be at least 1"):
        bot.as_retriever(k=0)
    with pytest.raises(SourcedError, match="empty"):
        bot.as_retriever().invoke("  ")
    with pytest.raises(SourcedError, match="lacks the metadata"):
        passage_of(Document(page_content="x", metadata={"title": "t"}))


def test_round_trip_keeps_the_page_of_a_paginated_source(bot) -> None:
    passage = bot.retrieve(LENS, k=1)[0]
    from dataclasses import replace

    paged = replace(passage, page=3)
    assert passage_of(document_of(paged)) == paged


def test_vectorstore_is_a_read_only_chroma_view_of_the_library(bot) -> None:
    store = bot.vectorstore
    assert isinstance(store, Chroma)
    before = bot.store.count()
    hits = store.similarity_search_with_score(LENS, k=3)
    assert len(hits) == 3
    top, distance = hits[0]
    assert top.metadata["title"] == "Restored Lighthouse Lens Returns to Cape Marrow"
    assert 0.0 <= distance < 1.0  # cosine distance
    document = bot.document(top.metadata["doc_id"]).text
    assert document[top.metadata["start"] : top.metadata["end"]] == top.page_content
    filtered = store.similarity_search(LENS, k=3, filter={"source": "City Bulletin"})
    assert filtered and {d.metadata["source"] for d in filtered} == {"City Bulletin"}
    assert store.max_marginal_relevance_search(LENS, k=2, fetch_k=5)
    writes = [
        lambda: store.add_texts(["planted"]),
        lambda: store.add_documents([Document(page_content="planted")]),
        lambda: store.delete([top.id or ""]),
        lambda: store.update_document(top.id or "", Document(page_content="changed")),
        lambda: store.delete_collection(),
        lambda: store.reset_collection(),
        lambda: asyncio.run(store.aadd_texts(["planted"])),
        lambda: asyncio.run(store.adelete([top.id or ""])),
    ]
    for write in writes:
        with pytest.raises(StoreError, match="read-only"):
            write()
    assert bot.store.count() == before
    assert bot.ask(LENS).citations
