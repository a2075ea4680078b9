"""SOURCED_EMBED_DEVICE: the torch embedder on another device, or a clear error when torch
cannot see it (this machine has no GPU; the GPU path itself is untested here)."""

from __future__ import annotations

import pytest
import torch

from assistant.api import load_embedder
from ingest.config import Settings
from ingest.errors import ConfigError


def test_embedder_runs_on_the_configured_device() -> None:
    embedder = load_embedder(Settings(embed_device="cpu", embed_backend="torch"))
    assert str(embedder.model.device) == "cpu"  # type: ignore[attr-defined]
    assert embedder.embed(["one sentence"]).shape == (1, embedder.dim)


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_a_device_torch_cannot_see_is_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError, match=r"SOURCED_EMBED_DEVICE='cuda'.*SOURCED_EMBED_DEVICE=cpu"):
        load_embedder(Settings(embed_device="cuda"))


def test_an_unknown_device_is_refused() -> None:
    with pytest.raises(ConfigError, match="'gpu0' is not a device; use cpu, cuda"):
        load_embedder(Settings(embed_device="gpu0"))
