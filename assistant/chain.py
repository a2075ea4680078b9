"""The answer pipeline as a LangChain Runnable: rewrite the follow-up → retrieve → answer →
verify, each stage its own Runnable, so ``invoke``, ``stream``, ``batch``, ``ainvoke`` and
``astream_events`` work and callbacks (LangSmith tracing, when a user configures it) see every
stage with its inputs, outputs and timing. The API, the CLI and the UI all answer through it.

Input: a question (``str``) or a mapping ``{"question", "history", "filters"}``. ``invoke``
returns the :class:`Answer`; ``stream`` yields the answer's text pieces as they are verified,
then the :class:`Answer` (the pieces joined are exactly ``answer.text``).

The stages are built around the existing parts (the follow-up rewriter, hybrid retrieval, the
answerer): they add no logic of their own except ``verify``. In generated mode each sentence
is checked against the passages as the model writes it (only checked sentences are streamed),
so that semantic verification runs inside ``answer``, where the chat model's own run is nested
in traces; ``verify`` then checks, in both modes, the contract every answer must keep before
it is shown: each citation's quotes lie inside the cited passage, each claim cites existing
numbers, and the streamed text is the answer's text.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import replace
from functools import partial
from typing import Any, Protocol, cast

from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda
from langchain_core.runnables.config import run_in_executor

from assistant.answerer import History
from assistant.modes import Answering
from assistant.types import Answer
from ingest.config import Settings
from ingest.errors import AnswerError, SourcedError
from vectorstore.lc_retriever import as_filters
from vectorstore.query import QueryPlan
from vectorstore.types import Filters, Passage

Piece = str | Answer
"""What the answer stages stream: text pieces, then the final :class:`Answer`."""

_DONE = object()


class Parts(Protocol):
    """What the chain reads from its assistant, at call time (a per-session view of an
    assistant with other settings or another answer mode gets its own chain)."""

    settings: Settings
    answering: Answering

    def retrieve(
        self, question: str, k: int = 10, filters: Filters | None = None
    ) -> list[Passage]: ...

    def plan(self, question: str) -> QueryPlan: ...


# --- the stages, as plain functions ------------------------------------------------------------
def read_input(value: str | Mapping[str, Any]) -> dict[str, Any]:
    """The chain's input as ``{"question", "history", "filters"}``; a clear error otherwise."""
    if isinstance(value, str):
        return {"question": value, "history": None, "filters": None}
    if not isinstance(value, Mapping):
        raise SourcedError(
            f"the chain takes a question (str) or a mapping with 'question', 'history' and "
            f"'filters', not {type(value).__name__}"
        )
    unknown = sorted(set(value) - {"question", "history", "filters"})
    if unknown:
        raise SourcedError(
            f"unknown input key(s) {', '.join(map(repr, unknown))}; "
            "use 'question', 'history' and 'filters'"
        )
    question = value.get("question")
    if not isinstance(question, str):
        raise SourcedError("the input needs 'question', a string: the question to answer")
    return {
        "question": question,
        "history": value.get("history") or None,
        "filters": as_filters(value.get("filters")),
    }


def rewrite(parts: Parts, value: str | Mapping[str, Any]) -> dict[str, Any]:
    """Stage 1: a follow-up rewritten into a standalone question from the history."""
    state = read_input(value)
    history: History | None = state.pop("history")
    standalone = state["question"]
    if history and parts.settings.rewrite_followups:
        standalone = parts.answering.rewriter.rewrite(standalone, history)
    return {**state, "standalone_question": standalone}


def retrieve(parts: Parts, state: Mapping[str, Any]) -> dict[str, Any]:
    """Stage 2: the passages for the standalone question, and its reading (kind, key terms,
    names, sources) that the answer is composed by."""
    standalone = state["standalone_question"]
    passages = parts.retrieve(
        standalone, k=parts.settings.answer_passages, filters=state["filters"]
    )
    return {
        "question": state["question"],
        "standalone_question": standalone,
        "passages": passages,
        "plan": parts.plan(standalone),
    }


def answer(parts: Parts, state: Mapping[str, Any]) -> Iterator[Piece]:
    """Stage 3: the answerer's pieces, then its :class:`Answer` with the question, the
    standalone question and the mode's notes filled in."""
    answering = parts.answering
    standalone = state["standalone_question"]
    plan = state.get("plan")
    for piece in answering.answerer.answer(standalone, list(state["passages"]), plan=plan):
        if isinstance(piece, Answer):
            piece = replace(
                piece,
                question=state["question"],
                standalone_question=standalone,
                notes=(*answering.notes, *piece.notes),
            )
        yield piece


def check_answer(final: Answer, streamed: str | None = None) -> Answer:
    """Stage 4: ``final`` if it keeps the citation contract; :class:`AnswerError` naming the
    broken part otherwise (a wrong citation is worse than none)."""
    numbers = [c.n for c in final.citations]
    if numbers != list(range(1, len(numbers) + 1)):
        raise AnswerError(f"citations are numbered {numbers}, not 1..{len(numbers)}")
    for c in final.citations:
        for q in c.quotes:
            inside = c.start <= q.start <= q.end <= c.end
            if not inside or c.text[q.start - c.start : q.end - c.start] != q.text:
                raise AnswerError(
                    f"citation [{c.n}] quotes {q.text[:60]!r} at {q.start}-{q.end}, which is "
                    f"not in its passage ({c.chunk_id}, {c.start}-{c.end})"
                )
    for claim in final.claims:
        if any(not 1 <= n <= len(numbers) for n in claim.citations):
            raise AnswerError(f"the claim {claim.text[:60]!r} cites {claim.citations}")
    if streamed is not None and streamed != final.text:
        raise AnswerError("the streamed text differs from the answer's text")
    return final


def verify(pieces: Iterator[Piece]) -> Iterator[Piece]:
    """Stage 4 over a stream: the pieces unchanged, the final answer checked."""
    shown: list[str] = []
    for piece in pieces:
        if isinstance(piece, Answer):
            check_answer(piece, "".join(shown))
        else:
            shown.append(piece)
        yield piece


async def averify(pieces: AsyncIterator[Piece]) -> AsyncIterator[Piece]:
    """:func:`verify` over an async stream (it does no I/O, so it runs on the event loop)."""
    shown: list[str] = []
    async for piece in pieces:
        if isinstance(piece, Answer):
            check_answer(piece, "".join(shown))
        else:
            shown.append(piece)
        yield piece


def run_stages(parts: Parts, value: str | Mapping[str, Any]) -> Iterator[Piece]:
    """The four stages called one after the other, without LangChain: the chain's pieces
    exactly, with none of its callbacks (``benchmarks/chain_bench.py`` times the difference)."""
    yield from verify(answer(parts, retrieve(parts, rewrite(parts, value))))


# --- Runnables ---------------------------------------------------------------------------------
def final_answer(pieces: Iterator[Piece]) -> Answer:
    """The :class:`Answer` at the end of a stream of pieces."""
    last: Answer | None = None
    for piece in pieces:
        if isinstance(piece, Answer):
            last = piece
    if last is None:
        raise AnswerError("the answerer returned no answer")
    return last


def _next(iterator: Iterator[Piece]) -> object:
    return next(iterator, _DONE)


def _last(values: Iterator[Any]) -> Any:
    last = _DONE
    for value in values:
        last = value
    if last is _DONE:
        raise AnswerError("a stage of the answer chain got no input")
    return last


class PieceStage(Runnable[Any, Piece]):
    """A stage that streams pieces: ``stream`` yields them as they come, ``invoke`` returns the
    final :class:`Answer`. ``step(input)`` gives the pieces. With ``astep`` the stage reads
    the previous stage's pieces as they arrive (``step`` over an iterator, ``astep`` over an
    async one), else it waits for its whole input and runs ``step`` in a worker thread when
    called async."""

    def __init__(
        self,
        name: str,
        step: Callable[[Any], Iterator[Piece]],
        on_final: Callable[[Answer], Answer] | None = None,
        astep: Callable[[AsyncIterator[Any]], AsyncIterator[Piece]] | None = None,
    ) -> None:
        self.name = name
        self.step = step
        self.on_final = on_final
        self.astep = astep
        self.streams_input = astep is not None

    def _run(self, value: Any) -> Answer:
        if isinstance(value, Answer) and self.on_final is not None:
            return self.on_final(value)
        return final_answer(self.step(value))

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return cast(Answer, self._call_with_config(self._run, input, config, run_type="chain"))

    def _pieces(self, inputs: Iterator[Any]) -> Iterator[Piece]:
        yield from self.step(inputs if self.streams_input else _last(inputs))

    def transform(
        self, input: Iterator[Any], config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Piece]:
        yield from self._transform_stream_with_config(input, self._pieces, config)

    def stream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Piece]:
        yield from self.transform(iter([input]), config, **kwargs)

    async def _apieces(self, inputs: AsyncIterator[Any]) -> AsyncIterator[Piece]:
        if self.astep is not None:
            async for piece in self.astep(inputs):
                yield piece
            return
        # The answer stage is synchronous (embedding, a chat model's sync stream): each step
        # of it runs in a worker thread so the event loop is never blocked.
        value = _last(iter([value async for value in inputs]))
        iterator = self.step(value)
        while True:
            item = await run_in_executor(None, _next, iterator)
            if item is _DONE:
                return
            yield cast(Piece, item)

    def atransform(
        self, input: AsyncIterator[Any], config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[Piece]:
        return self._atransform_stream_with_config(input, self._apieces, config)

    async def astream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[Piece]:
        async def once() -> AsyncIterator[Any]:
            yield input

        async for piece in self.atransform(once(), config, **kwargs):
            yield piece

    async def ainvoke(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Answer:
        answer = await self._acall_with_config(self._arun, input, config, run_type="chain")
        return cast(Answer, answer)

    async def _arun(self, value: Any) -> Answer:
        return await asyncio.to_thread(self._run, value)


STAGES = ("rewrite_followup", "retrieve", "answer", "verify")
"""The run names of the stages, in order (as callbacks and LangSmith show them)."""


def build_chain(parts: Parts) -> Runnable[Any, Any]:
    """The answer chain over ``parts`` (an :class:`~assistant.api.Assistant`)."""
    chain = (
        RunnableLambda(partial(rewrite, parts), name=STAGES[0])
        | RunnableLambda(partial(retrieve, parts), name=STAGES[1])
        | PieceStage(STAGES[2], partial(answer, parts))
        | PieceStage(STAGES[3], verify, on_final=check_answer, astep=averify)
    )
    return chain.with_config(run_name="sourced")
