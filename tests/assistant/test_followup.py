"""Follow-up questions rewritten into standalone ones, by rule and by a (scripted) model."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import Assistant, Settings
from assistant.cli import app
from assistant.followup import ModelRewriter, RuleRewriter, looks_like_followup
from tests.assistant.fakes import scripted, unreachable

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
PUTIN = [("user", "What did Putin say about NATO?"), ("assistant", "He said it expanded [1].")]


@pytest.mark.parametrize(
    ("question", "history", "expected"),
    [
        (
            "what did he say about the Baltic states?",
            PUTIN,
            "what did Putin say about the Baltic states?",
        ),
        ("Why did his government want to join?", PUTIN, "Why did Putin’s government want to join?"),
        (
            "And what about Finland?",
            [{"role": "user", "content": "Did NATO promise not to expand?"}],
            "And what about Finland (NATO promise not to expand)?",
        ),
        (
            "How much did it cost?",
            [("How much was the lens?", "...")],
            "How much did it cost (was the lens)?",
        ),
        # Not a follow-up, or nothing to resolve from: unchanged.
        ("Did NATO promise not to expand?", PUTIN, "Did NATO promise not to expand?"),
        ("what did he say?", [], "what did he say?"),
    ],
)
def test_rule_rewrites_follow_ups(question, history, expected) -> None:
    assert RuleRewriter().rewrite(question, history) == expected


def test_followup_detection() -> None:
    assert looks_like_followup("what did she say about it?")
    assert looks_like_followup("and in 1999?")
    assert not looks_like_followup("Which countries joined NATO in 2004?")


def test_model_rewrite_is_used_and_checked() -> None:
    q = "what did he say about the Baltic states?"
    good = ModelRewriter(
        scripted("Standalone question: What did Putin say about the Baltic states?")
    )
    assert good.rewrite(q, PUTIN) == "What did Putin say about the Baltic states?"
    # A rewrite that loses the question's own words, or a failing model: the rule is used.
    lossy = ModelRewriter(scripted("What did Putin say?"))
    assert lossy.rewrite(q, PUTIN) == "what did Putin say about the Baltic states?"
    broken = ModelRewriter(unreachable())
    assert broken.rewrite(q, PUTIN) == "what did Putin say about the Baltic states?"


@pytest.fixture(scope="module")
def lighthouse_dir(tmp_path_factory, embedder) -> Path:
    path = tmp_path_factory.mktemp("followup") / "data"
    bot = Assistant(Settings(data_dir=path), embedder=embedder)
    bot.ingest([ARTICLES])
    bot.close()
    return path


def test_api_answers_a_follow_up_from_the_history(lighthouse_dir: Path, embedder) -> None:
    bot = Assistant(Settings(data_dir=lighthouse_dir), embedder=embedder)
    first = bot.ask("What did Ingrid Solberg do?")
    history = [("user", "What did Ingrid Solberg do?"), ("assistant", first.text)]
    answer = bot.ask("How much did she say the work cost?", history=history)
    bot.close()
    assert answer.question == "How much did she say the work cost?"
    assert answer.standalone_question == "How much did Ingrid Solberg say the work cost?"
    assert "640,000 euros" in answer.text
    # Without the history the pronoun names no one the sources mention: nothing to resolve.
    assert answer.to_dict()["standalone_question"] == answer.standalone_question


def test_chat_cli_keeps_the_conversation(lighthouse_dir: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["chat", "--data-dir", str(lighthouse_dir)],
        input="What did Ingrid Solberg do?\nHow much did she say the work cost?\nexit\n",
    )
    assert result.exit_code == 0, result.output
    assert "understood as: How much did Ingrid Solberg say the work cost?" in result.stdout
    assert "640,000 euros" in result.stdout
    assert result.stdout.count("[1] Restored Lighthouse Lens Returns to Cape Marrow") == 2
