"""The public Python API: ``from assistant import Assistant``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.answerer import History
from assistant.extractive import ExtractiveAnswerer
from assistant.modes import build_answering
from assistant.types import Answer, IngestProblem, IngestReport
from ingest.config import Settings
from ingest.errors import IngestError, SourcedError
from ingest.loaders import LoadResult, load_paths, load_records
from ingest.manifest import Manifest, SourceRecord
from ingest.models import Document
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder, SentenceTransformerEmbedder
from vectorstore.indexer import Indexer
from vectorstore.lexical import LexicalIndex
from vectorstore.locking import WriteLock
from vectorstore.retrieval import HybridRetriever
from vectorstore.types import Filters, Passage

Source = str | Path | Mapping[str, Any]


@dataclass(frozen=True)
class DocumentView:
    """A stored document, for showing a citation in its context."""

    doc_id: str
    title: str
    source: str
    author: str
    url: str
    published_at: str
    text: str


def load_embedder(settings: Settings) -> Embedder:
    """The configured embedder (loading takes a few seconds; share it between assistants)."""
    return SentenceTransformerEmbedder(
        settings.embedding_model_path, settings.embedding_model, settings.embed_batch_size
    )


class Assistant:
    """Ingests sources and answers questions over them, citing every claim.

    >>> bot = Assistant()                       # settings from SOURCED_* variables
    >>> bot.ingest(["data/sample"])             # files, folders or JSON records
    >>> answer = bot.ask("Did NATO promise not to expand?")
    >>> answer.text, answer.citations[0].title
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: Embedder | None = None,
        chat_model: BaseChatModel | None = None,
    ):
        self.settings = settings or Settings()
        self.embedder = embedder or load_embedder(self.settings)
        self.manifest = Manifest(self.settings.manifest_path)
        self.store = ChromaStore(self.settings, self.embedder.name, self.embedder.dim)
        self.lexical = LexicalIndex(self.settings.lexical_dir, self.manifest)
        self.indexer = Indexer(
            self.settings, self.embedder, self.store, self.manifest, self.lexical
        )
        self.retriever = HybridRetriever(
            self.settings, self.embedder, self.store, self.lexical, self.manifest
        )
        self.answerer = ExtractiveAnswerer(self.embedder, self.settings)
        # issue 5: a chat model (given, or named by SOURCED_LLM) makes answers generated.
        self.answering = build_answering(self.settings, self.answerer, chat_model)

    # --- ingest -----------------------------------------------------------------------------
    def _load(self, sources: Iterable[Source]) -> Iterator[LoadResult]:
        records: list[Mapping[str, Any]] = []
        paths: list[Path] = []
        for item in sources:
            if isinstance(item, Mapping):
                records.append(item)
            else:
                paths.append(Path(item))
        if records:
            yield load_records(records, "records", self.settings, line_numbers=False)
        yield from load_paths(paths, self.settings)

    def ingest(
        self,
        sources: Source | Iterable[Source],
        on_progress: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Add files, folders or JSON records (dicts) to the library. Unchanged sources are
        skipped, changed ones replaced; a bad source is reported in ``errors`` and the rest
        are still ingested."""
        if isinstance(sources, str | Path | Mapping):
            sources = [sources]
        documents: list[Document] = []
        errors: list[IngestError] = []
        for result in self._load(sources):
            documents.extend(result.documents)
            errors.extend(result.errors)
        with WriteLock(self.settings.data_dir, self.settings.lock_timeout):
            self.indexer.repair()
            stats = self.indexer.index(documents, on_progress)
        return IngestReport(
            added=tuple(stats.added),
            updated=tuple(stats.updated),
            unchanged=tuple(stats.unchanged),
            chunks=stats.chunks,
            embedded=stats.embedded,
            errors=tuple(IngestProblem(e.source, e.reason) for e in errors),
        )

    def remove(self, keys: str | Iterable[str]) -> list[str]:
        """Remove documents by id (or unique id prefix), path or URL; returns the removed ids."""
        if isinstance(keys, str):
            keys = [keys]
        doc_ids: list[str] = []
        for key in keys:
            found = self.manifest.find(key) or self.manifest.find(str(Path(key).resolve()))
            if not found:
                raise SourcedError(f"no source matches {key!r}; `sourced sources` lists them")
            doc_ids.extend(found)
        with WriteLock(self.settings.data_dir, self.settings.lock_timeout):
            self.indexer.remove(doc_ids)
        return doc_ids

    def sources(self) -> list[SourceRecord]:
        """Every document in the library."""
        return self.manifest.sources()

    def document(self, doc_id: str) -> DocumentView | None:
        """A stored document with its full text (citations' offsets point into it)."""
        for record in self.manifest.sources():
            if record.doc_id == doc_id:
                text = self.manifest.document_text(doc_id) or ""
                return DocumentView(
                    record.doc_id,
                    record.title,
                    record.source,
                    record.author,
                    record.url,
                    record.published_at,
                    text,
                )
        return None

    # --- answering ----------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        """The ``k`` passages that best answer ``question``, best first."""
        if not question.strip():
            raise SourcedError("the question is empty; ask something")
        return self.retriever.retrieve(question, k=k, filters=filters)

    def stream(
        self,
        question: str,
        history: History | None = None,
        filters: Filters | None = None,
    ) -> Iterator[str | Answer]:
        """Yields the answer's text in pieces as it is composed, then the final :class:`Answer`.

        ``history`` holds the earlier turns (``{"role", "content"}`` mappings or ``(role,
        content)`` pairs, oldest first); a follow-up question is rewritten into a standalone
        one from it before retrieval (``answer.standalone_question``)."""
        standalone = question
        if history and self.settings.rewrite_followups:
            standalone = self.answering.rewriter.rewrite(question, history)
        passages = self.retrieve(standalone, k=self.settings.answer_passages, filters=filters)
        for piece in self.answering.answerer.answer(standalone, passages):
            if isinstance(piece, Answer):
                piece = replace(
                    piece,
                    question=question,
                    standalone_question=standalone,
                    notes=(*self.answering.notes, *piece.notes),
                )
            yield piece

    def ask(
        self, question: str, history: History | None = None, filters: Filters | None = None
    ) -> Answer:
        """The answer to ``question`` with its citations (``abstained`` when the sources
        don't answer it)."""
        final: Answer | None = None
        for piece in self.stream(question, history, filters):
            if isinstance(piece, Answer):
                final = piece
        assert final is not None
        return final

    def close(self) -> None:
        self.manifest.close()
