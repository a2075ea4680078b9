"""Shared fixtures: the real embedder (loaded once), real Chroma in temporary data dirs."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from assistant import Assistant, Settings
from assistant.api import load_embedder
from vectorstore.embeddings import Embedder

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_ARTICLE = SHARED / "corpus" / "putin-nato-membership-claims.txt"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    # The default (auto) backend, as users get it; its converted model goes to a temp folder.
    return load_embedder(Settings(data_dir=tmp_path_factory.mktemp("embedder")))


@pytest.fixture()
def make_assistant(tmp_path: Path, embedder: Embedder) -> Iterator[Callable[..., Assistant]]:
    made: list[Assistant] = []

    def make(**overrides: object) -> Assistant:
        overrides.setdefault("data_dir", tmp_path / f"data{len(made)}")
        bot = Assistant(Settings(**overrides), embedder=embedder)  # type: ignore[arg-type]
        made.append(bot)
        return bot

    yield make
    for bot in made:
        bot.close()


@pytest.fixture()
def seed_article() -> Path:
    if not SEED_ARTICLE.exists():
        pytest.skip("../shared/corpus is absent (third-party data, not in a fresh clone)")
    return SEED_ARTICLE
