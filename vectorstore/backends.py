"""Embedder backends: the same all-MiniLM-L6-v2 run by torch, ONNX Runtime or OpenVINO.

Non-torch backends run a converted model: the bundled transformer *with* its mean pooling and
L2 normalisation, exported once from the bundled model folder (offline) and cached in
``DATA_DIR/models/<backend>/`` (built in a temporary folder and renamed into place under a file
lock, so a crash or a second process never sees half a model). Tokenization stays the model's
own Hugging Face tokenizer, so chunking and token counts are identical across backends.

Why not sentence-transformers' ``backend="onnx"|"openvino"``: it needs optimum-onnx /
optimum-intel, whose releases pin ``transformers<4.58`` (optimum-onnx 0.1.0) or ``<5.6``
with ``optimum~=2.3`` (optimum-intel 2.2), while sentence-transformers 6.2 needs transformers
>= 5; the exporters below need only ``onnxruntime``+``onnx`` or ``openvino`` (+``nncf`` for
int8).

*Exact* backends (torch on any device, ONNX, OpenVINO fp32) compute the model's own vectors
(cosine to torch >= 0.9999), so they share one store name: a library built with one opens with
any other. *Approximate* ones (int8) record themselves in the store's name
(``all-MiniLM-L6-v2+onnx-int8``), so opening such a store with another backend fails with
:class:`~ingest.errors.EmbeddingModelMismatch`. ``auto`` (the default) picks the fastest exact
backend that is installed. Whether an int8 backend is offered is read from ``gate.json``,
written by ``benchmarks/embed_gate.py --write``; choosing one that failed (or has no verdict
for the installed runtime) raises :class:`ConfigError` unless
``SOURCED_EMBED_ALLOW_UNGATED=true``.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import inspect
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock

from ingest.config import Settings
from ingest.errors import ConfigError
from vectorstore.embeddings import Embedder, SentenceTransformerEmbedder, TokenizedEmbedder

AUTO = "auto"
BACKENDS = ("torch", "onnx", "onnx-int8", "openvino", "openvino-int8")
#: Backends whose vectors are the model's own; they share the store name.
EXACT = ("torch", "onnx", "openvino")
#: ``auto``'s preference on CPU, fastest first (README, "Growing": OpenVINO embeds the 609-article
#: corpus in about half torch's time here; ONNX Runtime is slower than torch on this CPU, so it is
#: never picked while torch, which the project always installs, is there).
AUTO_ORDER = ("openvino", "torch")
GATE_FILE = Path(__file__).with_name("gate.json")
GATE_SCHEMA = 1
#: An int8 backend is offered when the lower end of the bootstrap interval of its per-query
#: recall@10 and MRR@10 difference to torch is above -MAX_LOSS.
MAX_LOSS = 0.01
CONFIDENCE = 0.95

_NEEDS = {
    "onnx": ("onnxruntime", "onnx"),
    "onnx-int8": ("onnxruntime", "onnx"),
    "openvino": ("openvino",),
    "openvino-int8": ("openvino", "nncf"),
}
_FILES = {"onnx": "model.onnx", "openvino": "model.xml"}


def embedder_name(model_name: str, backend: str) -> str:
    """The name a store records: the model alone for exact backends, else ``model+backend``."""
    return model_name if backend in EXACT else f"{model_name}+{backend}"


def same_space(stored: str, configured: str) -> bool:
    """Whether a store named ``stored`` holds vectors of the ``configured`` embedder. Stores
    built before exact backends shared one name (``all-MiniLM-L6-v2+openvino``) still match."""

    def canonical(name: str) -> str:
        model, _, backend = name.partition("+")
        return model if backend in EXACT else name

    return canonical(stored) == canonical(configured)


def engine_of(backend: str) -> str:
    """``torch``, ``onnx`` or ``openvino``; a clear error for an unknown backend."""
    if backend not in BACKENDS:
        raise ConfigError(
            f"SOURCED_EMBED_BACKEND={backend!r} is not a backend; use {AUTO!r} (the default) or "
            f"one of {', '.join(BACKENDS)}"
        )
    return backend.split("-")[0]


def installed(backend: str) -> bool:
    """Whether the Python packages ``backend`` needs are installed."""
    return all(importlib.util.find_spec(m) is not None for m in _NEEDS.get(backend, ()))


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def runtime_versions() -> dict[str, str]:
    """Installed versions of the packages that compute the vectors ("" when absent)."""
    return {p: _version(p) for p in ("torch", "onnxruntime", "onnx", "openvino", "nncf")}


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def model_fingerprint(model_path: str) -> str:
    """sha256 over the model folder's weights, configuration and tokenizer files."""
    digest = hashlib.sha256()
    root = Path(model_path)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix in {".safetensors", ".bin", ".json", ".txt"} and ".cache" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def code_fingerprint() -> str:
    """sha256 of the code that turns the bundled model into each backend's model."""
    parts = [inspect.getsource(f) for f in (_Pooled.make, _example, _export_onnx, _export_openvino)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def read_gate(path: Path | None = None) -> dict[str, Any]:
    """The recorded gate (``{}`` when the file is absent, unreadable or of another schema)."""
    try:
        data = json.loads((path or GATE_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("schema") == GATE_SCHEMA else {}


def gate_verdict(backend: str, gate: dict[str, Any] | None = None) -> str | None:
    """None when ``backend`` is offered, else the reason it is not. Exact backends are offered
    unless the gate measured them drifting from torch; an int8 backend needs a recorded pass
    for the installed major.minor version of its runtime."""
    gate = read_gate() if gate is None else gate
    entry = (gate.get("backends") or {}).get(backend)
    if backend in EXACT:
        return entry.get("reason") if entry and not entry.get("offered", True) else None
    if not entry:
        return "no verdict recorded; run `python benchmarks/embed_gate.py --write`"
    if not entry.get("offered"):
        return str(entry.get("reason") or "failed the quality gate")
    runtime = engine_of(backend)
    recorded = (gate.get("versions") or {}).get(runtime, "")
    have = _version(runtime)
    if have and _minor(have) != _minor(recorded):
        return (
            f"the verdict was measured with {runtime} {recorded}, this is {have}; run "
            "`python benchmarks/embed_gate.py --write`"
        )
    return None


def check_available(backend: str, allow_ungated: bool = False) -> None:
    """Raise :class:`ConfigError` naming the fix when ``backend`` cannot or may not be used."""
    engine_of(backend)
    verdict = gate_verdict(backend)
    if verdict and not allow_ungated:
        raise ConfigError(
            f"SOURCED_EMBED_BACKEND={backend!r} is not offered: {verdict}. Use 'auto' or a "
            "backend that passed the quality gate (see README, Growing), or set "
            "SOURCED_EMBED_ALLOW_UNGATED=true to use it anyway"
        )
    for module in _NEEDS.get(backend, ()):
        if importlib.util.find_spec(module) is None:
            raise ConfigError(
                f"SOURCED_EMBED_BACKEND={backend!r} needs the Python package {module!r}, which "
                "is not installed; run `pip install 'sourced[fast]'` or use "
                "SOURCED_EMBED_BACKEND=auto"
            )


@dataclass(frozen=True)
class Choice:
    """The backend to run and why: ``requested`` is the setting, ``reason`` says why this one."""

    backend: str
    requested: str
    reason: str


def choose(requested: str, device: str = "cpu") -> Choice:
    """Resolve ``SOURCED_EMBED_BACKEND``: a named backend as is, ``auto`` to the fastest exact
    backend installed (torch when a GPU device is configured: only torch runs on it here)."""
    if requested != AUTO:
        engine_of(requested)
        return Choice(requested, requested, "set by SOURCED_EMBED_BACKEND")
    if device != "cpu":
        return Choice("torch", AUTO, f"SOURCED_EMBED_DEVICE={device} runs on torch")
    gate = read_gate()
    for backend in AUTO_ORDER:
        if installed(backend) and gate_verdict(backend, gate) is None:
            missing = AUTO_ORDER[: AUTO_ORDER.index(backend)]
            why = "fastest exact backend installed"
            if missing:
                why += f"; install 'sourced[fast]' for {', '.join(missing)}"
            return Choice(backend, AUTO, why)
    return Choice("torch", AUTO, "no faster exact backend installed")


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
        self.choice = Choice(backend, backend, "set by SOURCED_EMBED_BACKEND")
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
        # A request of its own per call: the compiled model's shared one ("Infer Request is
        # busy") cannot serve two threads, and one embedder serves every UI session.
        result = self._compiled.create_infer_request().infer(feeds)
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


def load_embedder(settings: Settings) -> Embedder:
    """The embedder ``settings`` ask for. With ``auto``, a faster backend that fails to build
    (a broken install, a failed export) falls back to torch, and ``embedder.choice`` says so."""
    choice = choose(settings.embed_backend, settings.embed_device)
    if choice.backend != "torch":
        try:
            check_available(choice.backend, settings.embed_allow_ungated)
            runtime = RuntimeEmbedder(
                choice.backend,
                settings.embedding_model_path,
                settings.models_dir,
                embedder_name(settings.embedding_model, choice.backend),
                settings.embed_batch_size,
            )
            runtime.choice = choice
            return runtime
        except ConfigError as exc:
            if choice.requested != AUTO:
                raise
            choice = Choice("torch", AUTO, f"{choice.backend} failed ({exc}), so torch")
    torch = SentenceTransformerEmbedder(
        settings.embedding_model_path,
        settings.embedding_model,
        settings.embed_batch_size,
        settings.embed_device,
    )
    torch.choice = choice
    return torch


def describe(embedder: Any) -> dict[str, str]:
    """What embeds: model (store name), backend, the setting asked for, and why this backend."""
    choice = getattr(embedder, "choice", None)
    backend = getattr(embedder, "backend", "") or (choice.backend if choice else "")
    return {
        "model": str(getattr(embedder, "name", "")),
        "backend": backend,
        "requested": choice.requested if choice else "",
        "reason": choice.reason if choice else "",
    }
