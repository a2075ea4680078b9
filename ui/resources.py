"""The objects every session shares (cached once per server process) and the per-session view
of them. Shared objects hold no session state: the conversation, filters and settings of a
browser session live in ``st.session_state`` only."""

from __future__ import annotations

import copy
from pathlib import Path

import streamlit as st

from assistant import Assistant, Settings
from assistant.api import load_embedder
from assistant.extractive import ExtractiveAnswerer
from assistant.modes import build_answering
from vectorstore.embeddings import Embedder

EXTRACTIVE = "extractive"
MODEL = "model"


@st.cache_resource(show_spinner="Loading the embedding model…")
def _embedder(model_path: str, name: str, batch_size: int) -> Embedder:
    # Read-only after loading, so one copy serves every session.
    return load_embedder(
        Settings(embedding_model_path=model_path, embedding_model=name, embed_batch_size=batch_size)
    )


@st.cache_resource(show_spinner="Opening the library…")
def _assistant(data_dir: str) -> Assistant:
    # One per data directory and server: writes go through its file lock.
    settings = Settings(data_dir=Path(data_dir))
    embedder = _embedder(
        settings.embedding_model_path, settings.embedding_model, settings.embed_batch_size
    )
    return Assistant(settings, embedder=embedder)


def shared_assistant() -> Assistant:
    """The assistant of the configured data directory (``SOURCED_*`` variables)."""
    return _assistant(str(Settings().data_dir.resolve()))


def model_configured(bot: Assistant) -> bool:
    """Whether a language model is configured (``SOURCED_LLM``), so model answers are offered."""
    return bool(getattr(bot.settings, "llm", None))


def session_assistant(bot: Assistant, passages: int, mode: str) -> Assistant:
    """A view of the shared assistant with this session's answer settings (number of passages,
    answer mode). It shares the store, index and model; only its settings differ, so building
    one per question is cheap and no session changes what another sees."""
    update: dict[str, object] = {"answer_passages": passages}
    if mode != MODEL:
        update["llm"] = None
    view = copy.copy(bot)
    view.settings = bot.settings.model_copy(update=update)
    if mode != MODEL:
        view.answerer = ExtractiveAnswerer(bot.embedder, view.settings, bot.lexical.holds)
        view.answering = build_answering(view.settings, view.answerer)
    return view
