"""The public Python API: ``from assistant import Assistant``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel

from assistant.answerer import History
from assistant.evaluation import EvalReport
from assistant.extractive import ExtractiveAnswerer
from assistant.library import load_sources, plan_sync
from assistant.modes import build_answering
from assistant.types import Answer, IngestProblem, IngestReport
from ingest.config import Settings
from ingest.errors import IngestError, SourcedError
from ingest.loaders import LoadResult
from ingest.manifest import Manifest, SourceRecord
from ingest.models import Document
from vectorstore.backends import RuntimeEmbedder, check_available, embedder_name
from vectorstore.chroma import ChromaStore, is_remote
from vectorstore.embeddings import Embedder, SentenceTransformerEmbedder
from vectorstore.indexer import Indexer
from vectorstore.lexical import LexicalIndex
from vectorstore.locking import WriteLock
from vectorstore.rerank import load_reranker
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
    if settings.embed_backend != "torch":  # issue 7: ONNX Runtime / OpenVINO backends
        check_available(settings.embed_backend, settings.embed_allow_ungated)
        return RuntimeEmbedder(
            settings.embed_backend,
            settings.embedding_model_path,
            settings.models_dir,
            embedder_name(settings.embedding_model, settings.embed_backend),
            settings.embed_batch_size,
        )
    return SentenceTransformerEmbedder(
        settings.embedding_model_path,
        settings.embedding_model,
        settings.embed_batch_size,
        settings.embed_device,
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
        owner = self.manifest.library_id() if is_remote(self.settings) else ""
        self.store = ChromaStore(self.settings, self.embedder.name, self.embedder.dim, owner)
        self.lexical = LexicalIndex(self.settings.lexical_dir, self.manifest)
        self.indexer = Indexer(
            self.settings, self.embedder, self.store, self.manifest, self.lexical
        )
        self.retriever = HybridRetriever(
            self.settings,
            self.embedder,
            self.store,
            self.lexical,
            self.manifest,
            load_reranker(self.settings, self.store, self.lexical),
        )
        self.answerer = ExtractiveAnswerer(self.embedder, self.settings)
        # issue 5: a chat model (given, or named by SOURCED_LLM) makes answers generated.
        self.answering = build_answering(self.settings, self.answerer, chat_model)

    # --- ingest -----------------------------------------------------------------------------
    def _load(self, sources: Iterable[Source]) -> Iterator[LoadResult]:
        return load_sources(sources, self.settings)

    def ingest(
        self,
        sources: Source | Iterable[Source],
        on_progress: Callable[[int], None] | None = None,
        on_total: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Add files, folders, http(s) URLs or JSON records (dicts) to the library. Unchanged
        sources are skipped, changed ones replaced; a bad source is reported in ``errors`` and
        the rest are still ingested. ``on_total(n)`` is called once with the number of
        documents found, then ``on_progress(1)`` as each is done."""
        if isinstance(sources, str | Path | Mapping):
            sources = [sources]
        documents: list[Document] = []
        errors: list[IngestError] = []
        for result in self._load(sources):
            documents.extend(result.documents)
            errors.extend(result.errors)
        if on_total:
            on_total(len(documents))
        return self._write(documents, errors, (), on_progress)

    def _write(
        self,
        documents: Sequence[Document],
        errors: Sequence[IngestError],
        remove: tuple[str, ...],
        on_progress: Callable[[int], None] | None,
    ) -> IngestReport:
        """Under the write lock: repair, index ``documents``, remove ``remove``; the report."""
        with WriteLock(self.settings.data_dir, self.settings.lock_timeout):
            self.indexer.repair()
            stats = self.indexer.index(documents, on_progress)
            if remove:
                self.indexer.remove(remove)
                if on_progress:
                    on_progress(len(remove))
        return IngestReport(
            added=tuple(stats.added),
            updated=tuple(stats.updated),
            unchanged=tuple(stats.unchanged),
            chunks=stats.chunks,
            embedded=stats.embedded,
            errors=tuple(IngestProblem(e.source, e.reason) for e in errors),
            removed=remove,
        )

    def remove(
        self, keys: str | Iterable[str], on_progress: Callable[[int], None] | None = None
    ) -> list[str]:
        """Remove documents by id (or unique id prefix), path or URL; returns the removed ids.
        ``on_progress(n)`` is called once the ``n`` documents are gone."""
        if isinstance(keys, str):
            keys = [keys]
        doc_ids: list[str] = []
        for key in keys:
            found = (
                self.manifest.find(key)
                or self.manifest.find(str(Path(key).absolute()))
                or self.manifest.find(str(Path(key).resolve()))
            )
            if not found:
                raise SourcedError(f"no source matches {key!r}; `sourced sources` lists them")
            doc_ids.extend(found)
        with WriteLock(self.settings.data_dir, self.settings.lock_timeout):
            self.indexer.remove(doc_ids)
        if on_progress:
            on_progress(len(doc_ids))
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
        plan = self.retriever.plan(standalone)  # the question's kind, terms, names, sources
        for piece in self.answering.answerer.answer(standalone, passages, plan=plan):
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

    # issue 3: mirror a folder.
    def sync(
        self,
        folder: str | Path,
        on_progress: Callable[[int], None] | None = None,
        on_total: Callable[[int], None] | None = None,
    ) -> IngestReport:
        """Make the library mirror ``folder``: new and changed files are ingested, documents
        whose file is gone from it are removed (only those that came from under ``folder``).
        A file that fails to load is reported and its stored version kept. ``on_total(n)``
        gets the number of documents to check plus those to remove; ``on_progress(1)``
        follows as each is done."""
        plan = plan_sync(Path(folder), self.settings, self.manifest)
        if on_total:
            on_total(len(plan.documents) + len(plan.remove))
        return self._write(plan.documents, plan.errors, plan.remove, on_progress)

    # issue 4: evaluation -------------------------------------------------------------------
    def evaluate(
        self,
        question_set: str | Path,
        *,
        limit: int | None = None,
        answers: bool = True,
        ingest: bool = True,
        split: str = "test",
    ) -> EvalReport:
        """Score retrieval (Hits@4/10, MRR@10, evidence recall@10, nDCG@10 for BEIR) and
        answers (citation validity, abstention accuracy) on a MultiHop-RAG, BEIR or simple
        JSONL question set, ingesting the set's corpus first when it ships one."""
        from assistant.eval_data import load_eval_set
        from assistant.evaluation import evaluate

        eval_set = load_eval_set(Path(question_set), split=split)
        if ingest and eval_set.corpus:
            self.ingest(list(eval_set.corpus))
        return evaluate(self, eval_set, answers=answers, limit=limit)
