"""The seams of answering: an :class:`Answerer` turns a question and its retrieved passages
into an answer, a :class:`FollowUpRewriter` turns a follow-up into a standalone question."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from assistant.types import Answer
from vectorstore.query import QueryPlan
from vectorstore.types import Passage

History = Sequence[tuple[str, str]] | Sequence[Mapping[str, str]]
"""Earlier turns, oldest first: ``{"role": "user"|"assistant", "content": ...}`` mappings,
``(role, content)`` pairs, or ``(question, answer)`` pairs."""

_ROLES = {"user": "user", "human": "user", "assistant": "assistant", "ai": "assistant"}


class Answerer(Protocol):
    """Answers from passages: yields text pieces, then the final :class:`Answer` whose text is
    exactly the pieces joined. ``plan`` is the question as retrieval read it (its kind, key
    terms, names and named sources); without it the answerer reads the question itself."""

    mode: str

    def answer(
        self, question: str, passages: list[Passage], plan: QueryPlan | None = None
    ) -> Iterator[str | Answer]: ...


class FollowUpRewriter(Protocol):
    """Rewrites a follow-up question into one that can be understood without the history."""

    def rewrite(self, question: str, history: History) -> str: ...


def turns(history: History | None) -> list[tuple[str, str]]:
    """The history as ``(role, content)`` pairs with roles ``user`` and ``assistant``."""
    out: list[tuple[str, str]] = []
    for item in history or ():
        if isinstance(item, Mapping):
            role = _ROLES.get(str(item.get("role", "")).lower())
            content = item.get("content")
            if role and isinstance(content, str):
                out.append((role, content))
            continue
        first, second = item
        role = _ROLES.get(first.lower())
        if role:
            out.append((role, second))
        else:  # a (question, answer) pair
            out.extend([("user", first), ("assistant", second)])
    return out
