"""Embedder backends: choice by setting, cached offline export, and the store's memory of it."""

from __future__ import annotations

import json
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


def _gate(tmp_path: Path, monkeypatch, backends_entry: dict, versions: dict) -> None:
    path = tmp_path / "gate.json"
    path.write_text(
        json.dumps(
            {"schema": backends.GATE_SCHEMA, "versions": versions, "backends": backends_entry}
        )
    )
    monkeypatch.setattr(backends, "GATE_FILE", path)


def test_a_backend_that_failed_the_gate_is_refused_unless_allowed(tmp_path, monkeypatch) -> None:
    _gate(tmp_path, monkeypatch, {"onnx-int8": {"offered": False, "reason": "cosine 0.84"}}, {})
    with pytest.raises(ConfigError) as info:
        backends.check_available("onnx-int8")
    assert "cosine 0.84" in str(info.value) and "SOURCED_EMBED_ALLOW_UNGATED" in str(info.value)
    pytest.importorskip("onnxruntime")
    backends.check_available("onnx-int8", allow_ungated=True)


def test_an_int8_verdict_holds_only_for_the_runtime_it_was_measured_with(
    tmp_path, monkeypatch
) -> None:
    ov = pytest.importorskip("openvino")
    have = ov.__version__.split("-")[0]
    entry = {"openvino-int8": {"offered": True, "reason": None}}
    _gate(tmp_path, monkeypatch, entry, {"openvino": have})
    assert backends.gate_verdict("openvino-int8") is None
    _gate(tmp_path, monkeypatch, entry, {"openvino": "1999.1.0"})
    assert "1999.1.0" in (backends.gate_verdict("openvino-int8") or "")
    monkeypatch.setattr(backends, "GATE_FILE", tmp_path / "absent.json")
    assert "embed_gate.py --write" in (backends.gate_verdict("openvino-int8") or "")
    assert backends.gate_verdict("openvino") is None  # exact: offered without a verdict


def test_auto_picks_the_fastest_exact_backend_installed(monkeypatch) -> None:
    monkeypatch.setattr(backends, "installed", lambda b: b == "torch")
    choice = backends.choose("auto")
    assert choice.backend == "torch" and "openvino" in choice.reason
    monkeypatch.setattr(backends, "installed", lambda b: True)
    assert backends.choose("auto").backend == "openvino"
    assert backends.choose("auto", device="cuda").backend == "torch"
    assert backends.choose("onnx").backend == "onnx"


def test_exact_backends_share_the_store_name_and_int8_does_not() -> None:
    names = {backends.embedder_name("all-MiniLM-L6-v2", b) for b in backends.EXACT}
    assert names == {"all-MiniLM-L6-v2"}
    assert backends.embedder_name("m", "openvino-int8") == "m+openvino-int8"
    assert backends.same_space("all-MiniLM-L6-v2+openvino", "all-MiniLM-L6-v2")
    assert backends.same_space("all-MiniLM-L6-v2+onnx", "all-MiniLM-L6-v2")
    assert not backends.same_space("all-MiniLM-L6-v2+onnx-int8", "all-MiniLM-L6-v2")
    assert not backends.same_space("other-model", "all-MiniLM-L6-v2")


@pytest.mark.slow
def test_auto_runs_openvino_with_the_models_own_vectors(tmp_path: Path, embedder) -> None:
    pytest.importorskip("openvino")
    auto = load_embedder(Settings(data_dir=tmp_path))
    assert auto.backend == "openvino" and auto.name == embedder.name == "all-MiniLM-L6-v2"
    cos = np.sum(auto.embed(TEXTS) * embedder.embed(TEXTS), axis=1)
    assert cos.min() >= 0.9999
    assert backends.describe(auto)["requested"] == "auto"


@pytest.mark.slow
def test_auto_falls_back_to_torch_when_the_export_fails(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("openvino")

    def broken(*args: object) -> None:
        raise RuntimeError("converter crashed")

    monkeypatch.setattr(backends, "_export_openvino", broken)
    auto = load_embedder(Settings(data_dir=tmp_path))
    assert auto.backend == "torch" and "converter crashed" in backends.describe(auto)["reason"]
    with pytest.raises(ConfigError) as info:
        load_embedder(Settings(data_dir=tmp_path, embed_backend="openvino"))
    assert "converter crashed" in str(info.value)


@pytest.mark.slow
def test_onnx_backend_matches_torch_and_is_cached(tmp_path: Path, embedder) -> None:
    pytest.importorskip("onnxruntime")
    settings = Settings(data_dir=tmp_path, embed_backend="onnx")
    onnx = load_embedder(settings)
    assert onnx.name == "all-MiniLM-L6-v2" and onnx.dim == embedder.dim == 384
    model = settings.models_dir / "onnx" / "model.onnx"
    assert model.exists()
    cos = np.sum(onnx.embed(TEXTS) * embedder.embed(TEXTS), axis=1)
    assert cos.min() >= 0.9999
    assert np.allclose(np.linalg.norm(onnx.embed(TEXTS), axis=1), 1.0, atol=1e-5)
    assert onnx.count(TEXTS[0]) == embedder.count(TEXTS[0])
    assert onnx.token_spans(TEXTS[1]) == embedder.token_spans(TEXTS[1])
    mtime = model.stat().st_mtime_ns
    load_embedder(settings)  # reuses the cached export
    assert model.stat().st_mtime_ns == mtime
    assert not [p for p in settings.models_dir.iterdir() if ".tmp-" in p.name]


@pytest.mark.slow
def test_a_store_opens_with_any_exact_backend_not_with_int8(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([Path(__file__).parents[1] / "fixtures" / "articles" / "lighthouse.md"])
    for exact in backends.EXACT:
        ChromaStore(bot.settings, backends.embedder_name("all-MiniLM-L6-v2", exact), 384)
    with pytest.raises(EmbeddingModelMismatch) as info:
        ChromaStore(bot.settings, backends.embedder_name("all-MiniLM-L6-v2", "onnx-int8"), 384)
    message = str(info.value)
    assert "all-MiniLM-L6-v2+onnx-int8" in message and "SOURCED_EMBED_BACKEND" in message
    assert "--data-dir" in message


@pytest.mark.slow
def test_a_store_named_by_an_exact_backend_before_they_shared_a_name_still_opens(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path)
    ChromaStore(settings, "all-MiniLM-L6-v2+openvino", 384)
    store = ChromaStore(settings, "all-MiniLM-L6-v2", 384)
    assert store.collection.metadata["embedding_model"] == "all-MiniLM-L6-v2+openvino"
    with pytest.raises(EmbeddingModelMismatch):
        ChromaStore(settings, "all-MiniLM-L6-v2+openvino-int8", 384)
