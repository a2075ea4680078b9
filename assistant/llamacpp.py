"""A LangChain chat model over a local GGUF file, run by llama-cpp-python.

A thin wrapper of ``llama_cpp.Llama.create_chat_completion`` (which applies the chat template
stored in the GGUF file) rather than langchain-community's ``ChatLlamaCpp``: that package
brings SQLAlchemy, aiohttp and dozens of integrations this project never uses, for the same
thirty lines.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}
_LOADING = threading.Lock()


@contextmanager
def _model_params(extra_buffers: bool) -> Iterator[None]:
    """While a ``Llama`` is constructed, its model parameters get ``use_extra_bufts`` set to
    ``extra_buffers``. ``Llama()`` has no argument for it, and llama.cpp's extra buffer types
    (AMX and repacked weights) crash the first decode on some CPUs (Sapphire Rapids with AMX
    under a hypervisor: a segfault in the AMX matmul); plain CPU buffers cost a small model
    little. The lock keeps two constructions from seeing each other's patch."""
    import llama_cpp.llama as module

    with _LOADING:
        original = module.llama_cpp.llama_model_default_params

        def defaults() -> Any:
            params = original()
            params.use_extra_bufts = extra_buffers
            return params

        module.llama_cpp.llama_model_default_params = defaults
        try:
            yield
        finally:
            module.llama_cpp.llama_model_default_params = original


class LlamaCppChat(BaseChatModel):
    """``LlamaCppChat(model_path="model.gguf")``: greedy by default, so answers are
    reproducible."""

    model_path: str
    n_ctx: int = 4096
    max_tokens: int = 400
    temperature: float = 0.0
    n_threads: int | None = None
    seed: int = 0
    extra_buffers: bool = False
    """llama.cpp's AMX/repacked weight buffers: faster on CPUs where they work, a crash on
    some where the CPU reports AMX (see :func:`_model_params`)."""
    _llama: Any = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _client(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            with _model_params(self.extra_buffers):
                self._llama = Llama(
                    model_path=self.model_path,
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    seed=self.seed,
                    verbose=False,
                )
        return self._llama

    def _request(self, messages: list[BaseMessage], stop: list[str] | None) -> dict[str, Any]:
        return {
            "messages": [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages],
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stop": stop or [],
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        result = self._client().create_chat_completion(**self._request(messages, stop))
        text = result["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        stream = self._client().create_chat_completion(**self._request(messages, stop), stream=True)
        for event in stream:
            token = event["choices"][0]["delta"].get("content")
            if not token:
                continue
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk
