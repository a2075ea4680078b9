"""Scripted stand-ins for remote chat models (the only fakes in the suite: a hosted LLM cannot
run here). They are LangChain's own fake chat models, recording what they were sent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import Field


class ScriptedChat(GenericFakeChatModel):
    """Replies with the scripted texts in order (streamed word by word) and records every
    prompt in ``seen``."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)

    def _stream(
        self, messages: list[BaseMessage], *args: Any, **kwargs: Any
    ) -> Iterator[ChatGenerationChunk]:
        # The parent streams by calling _generate, which records the prompt.
        yield from super()._stream(messages, *args, **kwargs)


def scripted(*replies: str) -> ScriptedChat:
    return ScriptedChat(messages=iter([AIMessage(content=r) for r in replies]))


class UnreachableChat(GenericFakeChatModel):
    """A model whose server does not answer, like ``ollama`` with no server running."""

    def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
        raise ConnectionError("Connection refused: http://127.0.0.1:11434")


def unreachable() -> UnreachableChat:
    return UnreachableChat(messages=iter([]))
