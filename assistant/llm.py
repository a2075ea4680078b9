"""Choosing the chat model from ``SOURCED_LLM``: ``provider:model`` through LangChain's
``init_chat_model`` (``ollama:llama3.2``, ``openai:gpt-4o-mini``, ``anthropic:…``; the
provider's package, e.g. ``langchain-ollama``, must be installed), or ``llamacpp:/path.gguf``
for a local GGUF file (``pip install 'sourced[llm]'``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from langchain_core.language_models import BaseChatModel

from ingest.config import Settings
from ingest.errors import ConfigError

_FIX = "set SOURCED_LLM to provider:model (e.g. ollama:llama3.2) or llamacpp:/path/model.gguf"


def load_chat_model(spec: str, settings: Settings) -> BaseChatModel:
    """The chat model ``spec`` names. Raises :class:`ConfigError` saying what is wrong and
    how to fix it (unknown provider, missing package or API key, missing file)."""
    provider, sep, model = spec.partition(":")
    provider, model = provider.strip().lower(), model.strip()
    if not sep or not provider or not model:
        raise ConfigError(f"SOURCED_LLM={spec!r} is not provider:model; {_FIX}")
    if provider == "llamacpp":
        return _llamacpp(spec, model, settings)
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as exc:
        raise ConfigError(
            f"SOURCED_LLM={spec!r} needs the langchain package: pip install langchain"
        ) from exc
    try:
        return init_chat_model(
            model,
            model_provider=provider,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            timeout=settings.llm_timeout,
        )
    except ImportError as exc:
        raise ConfigError(f"SOURCED_LLM={spec!r}: {exc}") from exc
    except ValueError as exc:
        first = str(exc).strip().splitlines()[0]
        known = next((line for line in str(exc).splitlines() if "providers" in line), "")
        raise ConfigError(
            f"SOURCED_LLM={spec!r}: unknown provider {provider!r} ({first}). {known} {_FIX}"
        ) from exc
    except Exception as exc:  # e.g. a missing API key: each provider raises its own error
        raise ConfigError(
            f"SOURCED_LLM={spec!r} could not be set up: {exc}. Check the provider's API key "
            "variable (e.g. OPENAI_API_KEY) or server address."
        ) from exc


def _llamacpp(spec: str, path: str, settings: Settings) -> BaseChatModel:
    file = Path(path).expanduser()
    if not file.is_file():
        raise ConfigError(f"SOURCED_LLM={spec!r}: no GGUF file at {str(file)!r}; {_FIX}")
    if importlib.util.find_spec("llama_cpp") is None:
        raise ConfigError(
            f"SOURCED_LLM={spec!r} needs llama-cpp-python: pip install 'sourced[llm]' "
            "(it compiles llama.cpp, which takes several minutes)"
        )
    from assistant.llamacpp import LlamaCppChat

    return LlamaCppChat(
        model_path=str(file),
        n_ctx=settings.llm_context,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
        n_threads=settings.llm_threads,
    )
