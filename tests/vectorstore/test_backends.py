"""Embedder backends: choice by setting, cached offline export, and the store's memory of it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.api import load_embedder
from ingest.config import Settings
from ingest.errors import ConfigError, EmbeddingModelMismatch
from vectorstore import backends
from vectorstore.chroma import ChromaStore

TEXTS = [
    "The harbour bridge reopened on Monday after two years of repairs.",
    "Finland and Sweden applied to join NATO in May 2022.",
    "A short one.",
]


def test_unknown_backend_names_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_embedder(Settings(data_dir=tmp_path, embed_backend="tensorrt"))
    assert "tensorrt" in str(info.value) and "onnx-int8" in str(info.value)


def test_a_backend_that_failed_the_gate_is_refused_unless_allowed(monkeypatch) -> None:
    monkeypatch.setitem(backends.GATE, "onnx-int8", "cosine 0.84 to torch")
    with pytest.raises(ConfigError) as info:
        backends.check_available("onnx-int8")
    assert "quality gate" in str(info.value) and "SOURCED_EMBED_ALLOW_UNGATED" in str(info.value)
    pytest.importorskip("onnxruntime")
    backends.check_available("onnx-int8", allow_ungated=True)


@pytest.mark.slow
def test_onnx_backend_matches_torch_and_is_cached(tmp_path: Path, embedder) -> None:
    pytest.importorskip("onnxruntime")
    settings = Settings(data_dir=tmp_path, embed_backend="onnx")
    onnx = load_embedder(settings)
    assert onnx.name == "all-MiniLM-L6-v2+onnx" and onnx.dim == embedder.dim == 384
    model = settings.models_dir / "onnx" / "model.onnx"
    assert model.exists()
    cos = np.sum(onnx.embed(TEXTS) * embedder.embed(TEXTS), axis=1)
    assert cos.min() > 0.999
    assert np.allclose(np.linalg.norm(onnx.embed(TEXTS), axis=1), 1.0, atol=1e-5)
    assert onnx.count(TEXTS[0]) == embedder.count(TEXTS[0])
    assert onnx.token_spans(TEXTS[1]) == embedder.token_spans(TEXTS[1])
    mtime = model.stat().st_mtime_ns
    load_embedder(settings)  # reuses the cached export
    assert model.stat().st_mtime_ns == mtime
    assert not [p for p in settings.models_dir.iterdir() if ".tmp-" in p.name]


@pytest.mark.slow
def test_a_store_remembers_its_backend(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([Path(__file__).parents[1] / "fixtures" / "articles" / "lighthouse.md"])
    with pytest.raises(EmbeddingModelMismatch) as info:
        ChromaStore(bot.settings, backends.embedder_name("all-MiniLM-L6-v2", "onnx"), 384)
    message = str(info.value)
    assert "all-MiniLM-L6-v2+onnx" in message and "SOURCED_EMBED_BACKEND" in message
    assert "--data-dir" in message
