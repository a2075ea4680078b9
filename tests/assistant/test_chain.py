"""The answer pipeline as a LangChain Runnable: the same answers and streamed pieces as the
stages called one by one, batch and async, and each stage visible to a real tracer."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.callbacks.manager import CallbackManager
from langchain_core.tracers.base import BaseTracer
from langchain_core.tracers.langchain import LangChainTracer
from langchain_core.tracers.schemas import Run

from assistant import Answer, Assistant, Filters, Settings, SourcedError
from assistant.chain import STAGES, check_answer
from assistant.extractive import ExtractiveAnswerer
from assistant.modes import build_answering
from ingest.errors import AnswerError
from tests.assistant.fakes import scripted
from tests.assistant.test_answers import assert_grounded

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
LENS = "How much did the lighthouse lens restoration cost?"
PIER = "Did the council promise to keep the pier open year-round?"
HISTORY = [("user", "Who restored the lighthouse lens at Cape Marrow?"), ("assistant", "…")]


class Recorder(BaseTracer):
    """A real LangChain tracer that keeps the finished root runs in memory."""

    def __init__(self) -> None:
        super().__init__()
        self.roots: list[Run] = []

    def _persist_run(self, run: Run) -> None:
        self.roots.append(run)


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory, embedder) -> Path:
    path = tmp_path_factory.mktemp("chain") / "data"
    bot = Assistant(Settings(data_dir=path), embedder=embedder)
    bot.ingest([ARTICLES])
    bot.close()
    return path


@pytest.fixture()
def library(library_dir: Path, embedder):
    made: list[Assistant] = []

    def make(model=None, **overrides: Any) -> Assistant:
        settings = Settings(data_dir=library_dir, **overrides)
        bot = Assistant(settings, embedder=embedder, chat_model=model)
        made.append(bot)
        return bot

    yield make
    for bot in made:
        bot.close()


def direct(bot: Assistant, question: str, history=None, filters=None) -> list[str | Answer]:
    """The stages called one by one, as ``Assistant.stream`` did before the chain."""
    standalone = question
    if history and bot.settings.rewrite_followups:
        standalone = bot.answering.rewriter.rewrite(question, history)
    passages = bot.retrieve(standalone, k=bot.settings.answer_passages, filters=filters)
    out: list[str | Answer] = []
    for piece in bot.answering.answerer.answer(standalone, passages):
        if isinstance(piece, Answer):
            piece = replace(
                piece,
                question=question,
                standalone_question=standalone,
                notes=(*bot.answering.notes, *piece.notes),
            )
        out.append(piece)
    return out


@pytest.mark.parametrize(
    ("question", "history", "filters"),
    [
        (LENS, None, None),
        (PIER, None, None),
        ("how much did its restoration cost?", HISTORY, None),
        (LENS, None, Filters(sources=("City Bulletin",))),
        ("Who is the mayor of Atlantis?", None, None),
    ],
)
def test_chain_gives_what_the_stages_give_called_directly(
    library, question, history, filters
) -> None:
    bot = library()
    expected = direct(bot, question, history, filters)
    streamed = list(
        bot.chain.stream({"question": question, "history": history, "filters": filters})
    )
    assert streamed == expected
    assert "".join(p for p in streamed if isinstance(p, str)) == expected[-1].text
    invoked = bot.chain.invoke({"question": question, "history": history, "filters": filters})
    assert invoked == expected[-1] == bot.ask(question, history=history, filters=filters)
    assert list(bot.stream(question, history=history, filters=filters)) == expected


def test_chain_answers_are_grounded_and_follow_ups_rewritten(library) -> None:
    bot = library()
    answer = bot.chain.invoke(
        {"question": "how much did its restoration cost?", "history": HISTORY}
    )
    assert answer.standalone_question != answer.question
    assert "lighthouse" in answer.standalone_question.lower()
    assert_grounded(bot, answer)
    assert "640,000 euros" in answer.text


def test_batch_and_async_give_the_same_answers(library) -> None:
    bot = library()
    inputs: list[Any] = [
        LENS,
        {"question": PIER},
        {"question": LENS, "filters": {"sources": ["City Bulletin"]}},
    ]
    one_by_one = [bot.chain.invoke(i) for i in inputs]
    assert bot.chain.batch(inputs, config={"max_concurrency": 2}) == one_by_one
    assert one_by_one[2].abstained or all(
        c.source == "City Bulletin" for c in one_by_one[2].citations
    )

    async def run() -> tuple[list[Answer], list[str | Answer], list[dict]]:
        answers = await bot.chain.abatch(inputs)
        pieces = [p async for p in bot.chain.astream(LENS)]
        events = [e async for e in bot.chain.astream_events(LENS, version="v2")]
        return answers, pieces, events

    answers, pieces, events = asyncio.run(run())
    assert answers == one_by_one
    assert pieces == list(bot.chain.stream(LENS))
    assert asyncio.run(bot.chain.ainvoke(LENS)) == one_by_one[0]
    started = [e["name"] for e in events if e["event"] == "on_chain_start"]
    assert [n for n in started if n in STAGES] == list(STAGES)
    streamed = [
        e["data"]["chunk"]
        for e in events
        if e["event"] == "on_chain_stream" and e["name"] == "sourced"
    ]
    assert streamed == pieces
    end = next(e for e in events if e["event"] == "on_chain_end" and e["name"] == "sourced")
    assert end["data"]["output"] == one_by_one[0]


def _stages(root: Run) -> dict[str, Run]:
    return {run.name: run for run in root.child_runs}


def test_tracer_sees_each_stage_with_inputs_outputs_and_timing(library) -> None:
    bot = library()
    tracer = Recorder()
    answer = bot.chain.invoke(
        {"question": "how much did its restoration cost?", "history": HISTORY},
        config={"callbacks": [tracer]},
    )
    (root,) = tracer.roots
    assert root.name == "sourced" and root.outputs and root.outputs["output"] == answer
    assert [r.name for r in sorted(root.child_runs, key=lambda r: r.dotted_order or "")] == list(
        STAGES
    )
    stages = _stages(root)
    assert stages["rewrite_followup"].inputs["question"] == "how much did its restoration cost?"
    assert stages["rewrite_followup"].inputs["history"] == HISTORY
    assert stages["rewrite_followup"].outputs["standalone_question"] == answer.standalone_question
    assert stages["retrieve"].inputs["standalone_question"] == answer.standalone_question
    passages = stages["retrieve"].outputs["passages"]
    assert {c.chunk_id for c in answer.citations} <= {p.chunk_id for p in passages}
    assert stages["answer"].inputs["passages"] == passages
    assert stages["answer"].outputs["output"] == answer
    assert stages["verify"].outputs["output"] == answer
    for run in [root, *stages.values()]:
        assert run.end_time is not None and run.end_time >= run.start_time
        assert run.error is None
    assert root.start_time <= stages["rewrite_followup"].start_time
    assert stages["verify"].end_time <= root.end_time


def test_streamed_run_is_traced_too(library) -> None:
    bot = library()
    tracer = Recorder()
    pieces = list(bot.chain.stream(LENS, config={"callbacks": [tracer]}))
    (root,) = tracer.roots
    stages = _stages(root)
    assert set(stages) == set(STAGES)
    assert stages["answer"].outputs["output"] == pieces[-1]
    assert root.outputs["output"] == pieces[-1]


def test_generated_mode_nests_the_model_call_under_the_answer_stage(library) -> None:
    model = scripted("The lens restoration cost about 640,000 euros [1].")
    bot = library(model)
    tracer = Recorder()
    pieces = list(bot.chain.stream(LENS, config={"callbacks": [tracer]}))
    answer = pieces[-1]
    assert isinstance(answer, Answer) and answer.mode == "generated"
    assert "".join(p for p in pieces if isinstance(p, str)) == answer.text
    assert "640,000 euros" in answer.text and answer.verification is not None
    assert_grounded(bot, answer)
    stages = _stages(tracer.roots[0])
    llm_runs = [r for r in stages["answer"].child_runs if r.run_type == "llm"]
    assert len(llm_runs) == 1 and llm_runs[0].end_time is not None
    assert "640,000 euros" in str(llm_runs[0].outputs)


def test_nothing_is_traced_or_sent_without_configuration(library, monkeypatch) -> None:
    for name in (
        "LANGSMITH_TRACING",
        "LANGCHAIN_TRACING_V2",
        "LANGCHAIN_TRACING",
        "LANGSMITH_API_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    manager = CallbackManager.configure(None, None)
    assert not any(isinstance(h, LangChainTracer) for h in manager.handlers)
    assert library().chain.invoke(LENS).citations


def test_a_session_view_answers_with_its_own_settings(library) -> None:
    """The UI answers through a copy of the shared assistant with the session's settings and
    answer mode; the copy's chain must use them, and the original's must not change."""
    bot = library(scripted(*["The lens restoration cost about 640,000 euros [1]."] * 2))
    view = copy.copy(bot)
    view.settings = bot.settings.model_copy(update={"answer_passages": 2})
    view.answering = build_answering(view.settings, ExtractiveAnswerer(bot.embedder, view.settings))
    assert view.chain is not bot.chain
    tracer = Recorder()
    assert view.chain.invoke(LENS, config={"callbacks": [tracer]}).mode == "extractive"
    assert len(_stages(tracer.roots[0])["retrieve"].outputs["passages"]) == 2
    assert bot.chain.invoke(LENS, config={"callbacks": [tracer]}).mode == "generated"
    assert (
        len(_stages(tracer.roots[1])["retrieve"].outputs["passages"])
        == bot.settings.answer_passages
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "not int"),
        ({"query": LENS}, "unknown input key"),
        ({"history": HISTORY}, "needs 'question'"),
        ("   ", "empty"),
        ({"question": LENS, "filters": {"outlet": ["x"]}}, "unknown filter field"),
    ],
)
def test_bad_input_gets_a_clear_error(library, value, message) -> None:
    with pytest.raises(SourcedError, match=message):
        library().chain.invoke(value)


def test_verify_stage_refuses_a_broken_citation(library) -> None:
    bot = library()
    answer = bot.ask(LENS)
    assert check_answer(answer, answer.text) is answer
    cited = answer.citations[0]
    moved = replace(cited.quotes[0], start=cited.end + 1, end=cited.end + 5)
    broken = replace(answer, citations=[replace(cited, quotes=(moved,)), *answer.citations[1:]])
    with pytest.raises(AnswerError, match=r"citation \[1\]"):
        check_answer(broken)
    with pytest.raises(AnswerError, match="streamed text"):
        check_answer(answer, answer.text + " extra")


class TokenLog(BaseCallbackHandler):
    """Notes each token the chat model streams, in the order things happen."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.log.append("token")


TWO_SENTENCES = (
    "The lens restoration cost about 640,000 euros [1]. "
    "The restored lens returned to the Cape Marrow lighthouse [1]."
)


def test_verified_sentences_reach_the_reader_while_the_model_still_writes(library) -> None:
    bot = library(scripted(TWO_SENTENCES, TWO_SENTENCES))
    log: list[str] = []
    for piece in bot.chain.stream(LENS, config={"callbacks": [TokenLog(log)]}):
        log.append("answer" if isinstance(piece, Answer) else "piece")
    assert log.count("piece") >= 2, log
    assert log.index("piece") < len(log) - 1 - log[::-1].index("token"), log

    async def events() -> list[dict]:
        return [e async for e in bot.chain.astream_events(LENS, version="v2")]

    order = [
        e["event"]
        for e in asyncio.run(events())
        if e["event"] == "on_chat_model_stream"
        or (e["event"] == "on_chain_stream" and e["name"] == "sourced")
    ]
    last_token = len(order) - 1 - order[::-1].index("on_chat_model_stream")
    assert order.index("on_chain_stream") < last_token, order
