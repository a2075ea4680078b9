"""Writes documents into the library: chunk, embed, store, record — crash-safe and idempotent.

Order of writes for a document: new chunk vectors go into Chroma first (their ids are new, so
readers ignore them), then the manifest switches to the new chunk list in one SQLite
transaction, then the old vectors are deleted. A crash at any point leaves only vectors the
manifest does not list, which :meth:`Indexer.repair` removes on the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ingest.chunking import Chunker, embedding_text
from ingest.config import Settings
from ingest.dates import timestamp
from ingest.errors import IngestInterrupted
from ingest.manifest import ChunkRecord, Manifest, content_hash
from ingest.models import Chunk, Document
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder
from vectorstore.lexical import LexicalIndex

Progress = Callable[[int], None]


@dataclass
class IndexStats:
    """What an indexing run did, by document id."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0


def chunk_records(document: Document, chunks: list[Chunk]) -> list[ChunkRecord]:
    ts = timestamp(document.published_at)
    return [
        ChunkRecord(
            chunk_id=c.chunk_id,
            doc_id=c.doc_id,
            index=c.index,
            start=c.start,
            end=c.end,
            heading=c.heading,
            text=c.text,
            title=document.title,
            source=document.source,
            author=document.author,
            url=document.url,
            published_at=document.published_at,
            published_ts=ts,
            page=c.page,
        )
        for c in chunks
    ]


class Indexer:
    """Keeps Chroma, the manifest and the lexical index in step."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        store: ChromaStore,
        manifest: Manifest,
        lexical: LexicalIndex,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.store = store
        self.manifest = manifest
        self.lexical = lexical
        self.chunker = Chunker(embedder, settings.chunk_tokens, settings.model_max_tokens)
        self.backend = str(getattr(embedder, "backend", ""))

    def repair(self) -> int:
        """Delete vectors the manifest does not list and re-embed listed ones that are missing;
        returns how many vectors were fixed."""
        listed = self.manifest.all_chunk_ids()
        stored = self.store.ids()
        orphans = sorted(stored - listed)
        self.store.delete(orphans)
        missing = listed - stored
        if missing:
            records = self.manifest.chunks(sorted(missing))
            texts = [embedding_text(r.title, r.heading, r.text) for r in records]
            self.store.upsert(records, self.embedder.embed(texts))
        if orphans or missing:
            self.lexical.rebuild()
        return len(orphans) + len(missing)

    def index(
        self,
        documents: Iterable[Document],
        on_progress: Progress | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> IndexStats:
        """Add or replace ``documents``; unchanged ones cost no embedding and no write.

        ``should_stop`` is asked before each document: once it says yes, the documents already
        committed stay, the rest (including chunks waiting for the next embedding batch) are
        left untouched and :class:`IngestInterrupted` is raised: a consistent state that a
        re-run of the same ingest completes."""
        stats = IndexStats()
        batch: list[tuple[Document, list[Chunk], str, bool]] = []
        pending = 0
        seen: set[str] = set()
        todo = list(documents)
        try:
            for position, document in enumerate(todo):
                if should_stop is not None and should_stop():
                    # The batch not embedded yet has written nothing: it is dropped.
                    done = len(stats.added) + len(stats.updated) + len(stats.unchanged)
                    raise IngestInterrupted(done, len(todo) - position + len(batch))
                if document.doc_id in seen:  # the same source twice in one run: keep the first
                    continue
                seen.add(document.doc_id)
                digest = content_hash(document)
                previous = self.manifest.get_hash(document.doc_id)
                if previous == digest:
                    if (
                        document.origin
                        and self.manifest.get_origin(document.doc_id) != document.origin
                    ):
                        self.manifest.set_origin(document.doc_id, document.origin)  # it moved
                    stats.unchanged.append(document.doc_id)
                    if on_progress:
                        on_progress(1)
                    continue
                chunks = self.chunker.chunk(document)
                batch.append((document, chunks, digest, previous is not None))
                pending += len(chunks)
                # Large groups: encode sorts texts by length within a call, so bigger groups
                # pad less (small groups cost ~10% against one encode over everything).
                if pending >= 16 * self.settings.embed_batch_size:
                    self._flush(batch, stats, on_progress)
                    batch, pending = [], 0
            self._flush(batch, stats, on_progress)
        finally:
            if stats.added or stats.updated:
                self.lexical.rebuild()
        return stats

    def _flush(
        self,
        batch: list[tuple[Document, list[Chunk], str, bool]],
        stats: IndexStats,
        on_progress: Progress | None,
    ) -> None:
        if not batch:
            return
        records = [r for doc, chunks, _, _ in batch for r in chunk_records(doc, chunks)]
        texts = [embedding_text(r.title, r.heading, r.text) for r in records]
        vectors = self.embedder.embed(texts)
        self.store.upsert(records, vectors)
        stats.embedded += len(records)
        for document, chunks, digest, existed in batch:
            old = set(self.manifest.chunk_ids(document.doc_id))
            self.manifest.put(document, chunks, digest, self.backend)
            self.store.delete(sorted(old - {c.chunk_id for c in chunks}))
            (stats.updated if existed else stats.added).append(document.doc_id)
            stats.chunks += len(chunks)
            if on_progress:
                on_progress(1)

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Remove documents (their vectors, bookkeeping and lexical entries)."""
        ids = list(doc_ids)
        chunk_ids = [c for d in ids for c in self.manifest.chunk_ids(d)]
        self.manifest.delete(ids)
        self.store.delete(chunk_ids)
        self.lexical.rebuild()
        return len(ids)
