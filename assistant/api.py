"""The public Python API: ``from assistant import Assistant``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable

from assistant.answerer import History
from assistant.chain import build_chain
from assistant.checker import Checker, ClaimCheck, SecondOpinion, Thresholds, text_passages
from assistant.evaluation import EvalReport
from assistant.extractive import ExtractiveAnswerer
from assistant.library import load_sources, plan_sync
from assistant.modes import build_answering
from assistant.types import Answer, IngestProblem, IngestReport
from ingest.config import Settings
from ingest.errors import ConfigError, IngestError, IngestInterrupted, SourcedError
from ingest.loaders import LoadResult
from ingest.manifest import Manifest, SourceRecord
from ingest.models import Document
from vectorstore import backends
from vectorstore.chroma import ChromaStore, is_remote
from vectorstore.embeddings import Embedder
from vectorstore.indexer import Indexer
from vectorstore.lc_chroma import ReadOnlyChroma, chroma_view
from vectorstore.lc_retriever import SourcedRetriever, as_filters
from vectorstore.lexical import LexicalIndex
from vectorstore.locking import write_lock
from vectorstore.query import QueryPlan
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
    """The configured embedder (loading takes a few seconds; share it between assistants).
    ``SOURCED_EMBED_BACKEND=auto`` (the default) runs the fastest exact backend installed."""
    return backends.load_embedder(settings)


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
        # The settings and the manifest's database are checked before the embedder loads
        # (seconds): a wrong URL fails at once.
        if self.settings.database_url and not is_remote(self.settings):
            raise ConfigError(
                "SOURCED_DATABASE_URL shares the manifest between machines, so their vectors "
                "must be shared too: set SOURCED_CHROMA_URL to the team's Chroma server "
                "(`chroma run`), or unset SOURCED_DATABASE_URL for a one-machine library"
            )
        self.manifest = Manifest.open(self.settings)
        self.embedder = embedder or load_embedder(self.settings)
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
        self.answerer = ExtractiveAnswerer(self.embedder, self.settings, self.lexical.holds)
        # A chat model (given, or named by SOURCED_LLM) makes answers generated.
        self.answering = build_answering(self.settings, self.answerer, chat_model)
        self._chain: tuple[Assistant, Runnable[Any, Any]] | None = None

    # --- ingest -----------------------------------------------------------------------------
    def _load(self, sources: Iterable[Source]) -> Iterator[LoadResult]:
        return load_sources(sources, self.settings)

    def ingest(
        self,
        sources: Source | Iterable[Source],
        on_progress: Callable[[int], None] | None = None,
        on_total: Callable[[int], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> IngestReport:
        """Add files, folders, http(s) URLs or JSON records (dicts) to the library. Unchanged
        sources are skipped, changed ones replaced; a bad source is reported in ``errors`` and
        the rest are still ingested. ``on_total(n)`` is called once with the number of
        documents found, then ``on_progress(1)`` as each is done. When ``should_stop()``
        turns true the run stops between documents, keeps what it wrote and raises
        :class:`IngestInterrupted`; ingesting the same sources again finishes it."""
        if isinstance(sources, str | Path | Mapping):
            sources = [sources]
        documents: list[Document] = []
        errors: list[IngestError] = []
        for result in self._load(sources):
            if should_stop is not None and should_stop():
                raise IngestInterrupted(0, len(documents) + len(result.documents))
            documents.extend(result.documents)
            errors.extend(result.errors)
        if on_total:
            on_total(len(documents))
        return self._write(documents, errors, (), on_progress, should_stop)

    def _write(
        self,
        documents: Sequence[Document],
        errors: Sequence[IngestError],
        remove: tuple[str, ...],
        on_progress: Callable[[int], None] | None,
        should_stop: Callable[[], bool] | None = None,
    ) -> IngestReport:
        """Under the write lock: repair, index ``documents``, remove ``remove``; the report."""
        with write_lock(self.settings):
            self.indexer.repair()
            stats = self.indexer.index(documents, on_progress, should_stop)
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
            embedder=self.embedder_info(),
        )

    def remove(
        self, keys: str | Iterable[str], on_progress: Callable[[int], None] | None = None
    ) -> list[str]:
        """Remove documents by id, path, URL or the start of an id that matches exactly one
        document (several matches raise an error listing them); returns the removed ids.
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
            if not found and (only := self.manifest.find_prefix(key)):
                found = [only]
            if not found:
                raise SourcedError(f"no source matches {key!r}; `sourced sources` lists them")
            doc_ids.extend(found)
        with write_lock(self.settings):
            self.indexer.remove(doc_ids)
        if on_progress:
            on_progress(len(doc_ids))
        return doc_ids

    def sources(self) -> list[SourceRecord]:
        """Every document in the library."""
        return self.manifest.sources()

    def embedder_info(self) -> dict[str, str]:
        """The embedder in use: ``model`` (the store's name for its vectors), ``backend``,
        ``requested`` (SOURCED_EMBED_BACKEND) and ``reason`` (why this backend)."""
        return backends.describe(self.embedder)

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
    def plan(self, question: str) -> QueryPlan:
        """How the question is read: its kind, key terms, names, and the sources, authors and
        dates of the library it names."""
        return self.retriever.plan(question)

    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        """The ``k`` passages that best answer ``question``, best first."""
        if not question.strip():
            raise SourcedError("the question is empty; ask something")
        return self.retriever.retrieve(question, k=k, filters=filters)

    @property
    def chain(self) -> Runnable[Any, Any]:
        """The answer pipeline as a LangChain Runnable (rewrite_followup → retrieve → answer →
        verify): ``chain.invoke({"question": q, "history": h, "filters": f})`` (or just ``q``)
        gives the :class:`Answer`; ``stream`` the verified text pieces, then the Answer;
        ``batch``, ``ainvoke`` and ``astream_events`` work too, and callbacks see each stage.
        :meth:`ask` and :meth:`stream` go through it. See :mod:`assistant.chain`."""
        # Built per assistant object: a copy with other settings (a UI session's view) must
        # not answer through the original's stages.
        if self._chain is None or self._chain[0] is not self:
            self._chain = (self, build_chain(self))
        return self._chain[1]

    def as_retriever(
        self, k: int = 10, filters: Filters | Mapping[str, Any] | None = None
    ) -> SourcedRetriever:
        """The library's hybrid retrieval as a LangChain ``BaseRetriever``: ``Document``s whose
        ``page_content`` is the passage and whose metadata holds what a citation needs
        (``doc_id``, ``chunk_id``, ``title``, ``url``, ``source``, ``author``,
        ``published_at``, ``start``/``end``, ``page``, ``heading``, ``score``). ``k`` and
        ``filters`` can also be given per call: ``retriever.invoke(q, k=3)``."""
        return SourcedRetriever(retriever=self.retriever, k=k, filters=as_filters(filters))

    @property
    def vectorstore(self) -> ReadOnlyChroma:
        """The library's Chroma collection as a read-only ``langchain_chroma.Chroma`` with the
        library's embedder. Dense search only (no BM25, query understanding or re-scoring:
        :meth:`as_retriever` has those); writes raise :class:`~ingest.errors.StoreError`
        because only :meth:`ingest` keeps the manifest and the lexical index in step."""
        return chroma_view(self.store.client, self.settings.collection, self.embedder)

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
        yield from self.chain.stream({"question": question, "history": history, "filters": filters})

    def ask(
        self, question: str, history: History | None = None, filters: Filters | None = None
    ) -> Answer:
        """The answer to ``question`` with its citations (``abstained`` when the sources
        don't answer it)."""
        answer: Answer = self.chain.invoke(
            {"question": question, "history": history, "filters": filters}
        )
        return answer

    def close(self) -> None:
        self.manifest.close()

    # --- checking claims ----------------------------------------------------------------------
    def check(
        self,
        claim: str,
        passages: Sequence[str | Passage] | None = None,
        filters: Filters | None = None,
    ) -> ClaimCheck:
        """Does the library (or ``passages``: :class:`Passage` objects or plain strings)
        support ``claim``, contradict it, or say nothing about it? The verdict comes with the
        quotes behind it, their citations and a one-line reason; a claim of several sentences
        is checked sentence by sentence. With ``SOURCED_VERIFIER`` or a chat model set, a
        model gives a second opinion (the rules stay a floor under it)."""
        import time

        from ingest.sentences import sentence_spans

        if not claim.strip():
            raise SourcedError("the claim is empty; give a sentence to check")
        started = time.perf_counter()
        if passages is None:
            found: dict[str, Passage] = {}
            parts = [claim[s:e] for s, e in sentence_spans(claim)] or [claim]
            for part in parts:
                for p in self.retrieve(part, k=self.settings.check_passages, filters=filters):
                    found.setdefault(p.chunk_id, p)
            chosen = list(found.values())
        else:
            chosen = text_passages(list(passages))
        checker = Checker(
            chosen, self.embedder, Thresholds.from_settings(self.settings), self._opinion()
        )
        result = checker.check(claim)
        return replace(result, elapsed_ms=1000 * (time.perf_counter() - started))

    def _opinion(self) -> SecondOpinion | None:
        """The model that gives claims a second opinion (loaded once per assistant)."""
        if not hasattr(self, "_second_opinion"):
            from assistant.generated import GeneratedAnswerer
            from assistant.nli import ChatOpinion, CrossEncoderOpinion

            opinion: SecondOpinion | None = None
            if self.settings.verifier:
                opinion = CrossEncoderOpinion(self.settings.verifier)
            elif isinstance(self.answering.answerer, GeneratedAnswerer):
                opinion = ChatOpinion(self.answering.answerer.model)
            self._second_opinion = opinion
        return self._second_opinion

    # Mirroring a folder.
    def sync(
        self,
        folder: str | Path,
        on_progress: Callable[[int], None] | None = None,
        on_total: Callable[[int], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> IngestReport:
        """Make the library mirror ``folder``: new and changed files are ingested, documents
        whose file is gone from it are removed (only those that came from under ``folder``).
        A file that fails to load is reported and its stored version kept. ``on_total(n)``
        gets the number of documents to check plus those to remove; ``on_progress(1)``
        follows as each is done; ``should_stop`` as in :meth:`ingest` (removals come last, so
        an interrupted sync removes nothing)."""
        plan = plan_sync(Path(folder), self.settings, self.manifest)
        if on_total:
            on_total(len(plan.documents) + len(plan.remove))
        return self._write(plan.documents, plan.errors, plan.remove, on_progress, should_stop)

    # Evaluation -------------------------------------------------------------------
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
