"""Embedder backends: the same all-MiniLM-L6-v2 run by torch, ONNX Runtime or OpenVINO.

Non-torch backends run a converted model: the bundled transformer *with* its mean pooling and
L2 normalisation, exported once from the bundled model folder (offline) and cached in
``DATA_DIR/models/<backend>/`` (built in a temporary folder and renamed into place under a file
lock, so a crash or a second process never sees half a model). Tokenization stays the model's
own Hugging Face tokenizer, so chunking and token counts are identical across backends.

Why not sentence-transformers' ``backend="onnx"|"openvino"``: it needs optimum-onnx /
optimum-intel, whose releases pin ``transformers<4.58`` (optimum-onnx 0.1.0) or ``<5.6``
with ``optimum~=2.3`` (optimum-intel 2.2), while sentence-transformers 6.2 needs transformers
>= 5; the exporters below need only ``onnxruntime``+``onnx`` or ``openvino``+``nncf``.

A store records the backend in its embedding-model name (``all-MiniLM-L6-v2+onnx``), so
opening a store with another backend fails with :class:`~ingest.errors.EmbeddingModelMismatch`.
Which backends are *offered* is decided by ``benchmarks/embed_bench.py``; :data:`GATE` holds
the verdict, and choosing a backend that failed raises :class:`ConfigError` unless
``SOURCED_EMBED_ALLOW_UNGATED=true``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock

from ingest.errors import ConfigError
from vectorstore.embeddings import TokenizedEmbedder

BACKENDS = ("torch", "onnx", "onnx-int8", "openvino", "openvino-int8")

#: The quality gate's verdict per backend from the reference run of embed_bench.py (README,
#: "Growing"): None = passed and offered, else the reason it is not offered.
GATE: dict[str, str | None] = {
    "torch": None,
    "onnx": None,
    "onnx-int8": "evidence recall@10 -0.04 vs torch on 100 MultiHop-RAG dev queries "
    "(mean cosine 0.993, min 0.985)",
    "openvino": None,
    # Passed on 25 queries; on 100 it lost one query's evidence (recall@10 0.80 vs 0.81).
    "openvino-int8": "evidence recall@10 -0.01 vs torch on 100 MultiHop-RAG dev queries "
    "(mean cosine 0.9996), for a 1.18x speed-up",
}

_NEEDS = {"onnx": ("onnxruntime", "onnx"), "openvino": ("openvino", "nncf")}
_FILES = {"onnx": "model.onnx", "openvino": "model.xml"}


def embedder_name(model_name: str, backend: str) -> str:
    """The name a store records: the model, plus the backend when it is not torch."""
    return model_name if backend == "torch" else f"{model_name}+{backend}"


def engine_of(backend: str) -> str:
    """``torch``, ``onnx`` or ``openvino``; a clear error for an unknown backend."""
    if backend not in BACKENDS:
        raise ConfigError(
            f"SOURCED_EMBED_BACKEND={backend!r} is not a backend; use one of {', '.join(BACKENDS)}"
        )
    return backend.split("-")[0]


def check_available(backend: str, allow_ungated: bool = False) -> None:
    """Raise :class:`ConfigError` naming the fix when ``backend`` cannot or may not be used."""
    engine = engine_of(backend)
    verdict = GATE.get(backend)
    if verdict and not allow_ungated:
        raise ConfigError(
            f"SOURCED_EMBED_BACKEND={backend!r} failed the quality gate ({verdict}); use "
            "'torch' or a backend that passed (see README, Growing), or set "
            "SOURCED_EMBED_ALLOW_UNGATED=true to use it anyway"
        )
    for module in _NEEDS.get(engine, ()):
        if importlib.util.find_spec(module) is None:
            raise ConfigError(
                f"SOURCED_EMBED_BACKEND={backend!r} needs the Python package {module!r}, which "
                "is not installed; run `pip install 'sourced[fast]'` or use "
                "SOURCED_EMBED_BACKEND=torch"
            )


class _Pooled:
    """The transformer plus mean pooling and L2 normalisation, as one exportable module."""

    @staticmethod
    def make(model_path: str) -> Any:
        import torch
        from transformers import AutoModel

        class Pooled(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.bert = AutoModel.from_pretrained(model_path, local_files_only=True)

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                hidden = self.bert(
                    input_ids=input_ids,
                    attention_mask=attention_mask,
                    token_type_ids=token_type_ids,
                ).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(pooled, p=2, dim=1)

        return Pooled().eval()


def _example(model_path: str) -> dict[str, Any]:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
    return dict(
        tok(
            ["an example sentence", "a second, longer example sentence for export"],
            padding=True,
            return_tensors="pt",
        )
    )


def _export_onnx(model_path: str, out: Path, int8: bool) -> None:
    import torch

    model = _Pooled.make(model_path)
    example = _example(model_path)
    fp32 = out / ("model-fp32.onnx" if int8 else "model.onnx")
    dynamic = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}}
    dynamic["token_type_ids"] = {0: "batch", 1: "seq"}
    with torch.inference_mode():
        torch.onnx.export(
            model,
            (example["input_ids"], example["attention_mask"], example["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={**dynamic, "embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Dynamic int8 of the MatMul weights only, per output channel, with reduced (7-bit)
        # range: full-range u8s8 saturates in AVX2's VPMADDUBSW, which wrecks accuracy.
        quantize_dynamic(
            str(fp32),
            str(out / "model.onnx"),
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=True,
            op_types_to_quantize=["MatMul"],
        )
        fp32.unlink()


def _export_openvino(model_path: str, out: Path, int8: bool) -> None:
    import openvino as ov

    model = _Pooled.make(model_path)
    example = _example(model_path)
    ov_model = ov.convert_model(model, example_input=example)
    if int8:
        import nncf

        # Data-free int8 weights (no calibration set to download); activations stay fp32.
        ov_model = nncf.compress_weights(ov_model, mode=nncf.CompressWeightsMode.INT8_ASYM)
    ov.save_model(ov_model, str(out / "model.xml"), compress_to_fp16=False)


def prepare(backend: str, model_path: str, cache_root: Path) -> Path:
    """The folder holding ``backend``'s converted model, built and cached on first use."""
    engine = engine_of(backend)
    target = cache_root / backend
    if (target / _FILES[engine]).exists():
        return target
    cache_root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_root / f".{backend}.lock")):
        if (target / _FILES[engine]).exists():
            return target
        tmp = cache_root / f".{backend}.tmp-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            export = _export_onnx if engine == "onnx" else _export_openvino
            export(model_path, tmp, backend.endswith("-int8"))
            shutil.rmtree(target, ignore_errors=True)
            tmp.rename(target)
        except Exception as exc:
            raise ConfigError(
                f"cannot build the {backend!r} embedder from {model_path!r} into {target} "
                f"({type(exc).__name__}: {exc}); check `pip install 'sourced[fast]'` or use "
                "SOURCED_EMBED_BACKEND=torch"
            ) from exc
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _max_seq_length(model_path: str) -> int:
    try:
        config = json.loads(Path(model_path, "sentence_bert_config.json").read_text())
        return int(config.get("max_seq_length", 256))
    except (OSError, ValueError):
        return 256


class RuntimeEmbedder(TokenizedEmbedder):
    """all-MiniLM-L6-v2 on ONNX Runtime or OpenVINO, with the model's own tokenizer.

    Batches are formed after sorting by length, so little compute goes to padding.
    """

    def __init__(
        self,
        backend: str,
        model_path: str,
        cache_root: Path,
        name: str,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import AutoTokenizer

        self.backend = backend
        self.engine = engine_of(backend)
        folder = prepare(backend, model_path, cache_root)
        self.tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
        self.name = name
        self.batch_size = batch_size
        self.max_tokens = _max_seq_length(model_path)
        self.dim = 0
        if self.engine == "onnx":
            import onnxruntime as ort

            options = ort.SessionOptions()
            if threads:
                options.intra_op_num_threads = threads
            # Busy-waiting worker threads steal the cores other work (or other tenants) need.
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._session = ort.InferenceSession(
                str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )
        else:
            import openvino as ov

            config = {"INFERENCE_NUM_THREADS": threads} if threads else {}
            core = ov.Core()
            self._compiled = core.compile_model(str(folder / "model.xml"), "CPU", config)
        self.dim = int(self._run(["dimension probe"]).shape[1])

    def _run(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="np"
        )
        feeds = {
            "input_ids": enc["input_ids"].astype(np.int64),
            "attention_mask": enc["attention_mask"].astype(np.int64),
            "token_type_ids": enc.get("token_type_ids", np.zeros_like(enc["input_ids"])).astype(
                np.int64
            ),
        }
        if self.engine == "onnx":
            return np.asarray(self._session.run(["embedding"], feeds)[0], dtype=np.float32)
        result = self._compiled(feeds)
        return np.asarray(result[self._compiled.output(0)], dtype=np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for ``texts``, one row each."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i in range(0, len(order), self.batch_size):
            idx = order[i : i + self.batch_size]
            out[idx] = self._run([texts[j] for j in idx])
        return out
