"""Checking claims from the user's side: ``Assistant.check`` against the library (real Chroma,
real embedder) and against plain text, ``sourced check``, ``sourced eval`` on a claim set, and a
model's second opinion (a tiny CrossEncoder built here; scripted chat models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import Assistant, Settings, SourcedError
from assistant.checker import Checker, text_passages
from assistant.claimset import is_claim_set, load_claims
from assistant.cli import app
from assistant.nli import OPINIONS, ChatOpinion, CrossEncoderOpinion
from tests.assistant.fakes import scripted
from tests.assistant.tinynli import build_tiny_nli

FIXTURES = Path(__file__).parents[1] / "fixtures"
ARTICLES = FIXTURES / "articles"
MINI = FIXTURES / "claims" / "mini.jsonl"
FERRY = "The ferry fare fell to 12 euros on Monday, the operator said."
runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("check") / "data"
    result = runner.invoke(app, ["ingest", str(ARTICLES), "--data-dir", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture()
def bot(data_dir: Path, embedder) -> Assistant:
    assistant = Assistant(Settings(data_dir=data_dir), embedder=embedder)
    yield assistant
    assistant.close()


def test_check_against_the_library_quotes_the_article(bot: Assistant) -> None:
    result = bot.check("Ingrid Solberg estimated that the work cost about 640,000 euros.")
    assert result.verdict == "supported", result.reason
    citation = result.citations[result.quotes[0].citation - 1]
    document = bot.document(citation.doc_id)
    assert document is not None
    q = result.quotes[0]
    assert document.text[q.start : q.end] == q.text
    assert "640,000" in q.text


def test_check_against_the_library_finds_a_contradiction(bot: Assistant) -> None:
    result = bot.check("Ingrid Solberg estimated that the work cost about 460,000 euros.")
    assert result.verdict == "contradicted"
    assert "640,000" in result.reason and result.quotes[0].stance == "contradicts"


def test_check_against_plain_strings(bot: Assistant) -> None:
    assert bot.check("The ferry fare fell to 12 euros.", [FERRY]).verdict == "supported"
    result = bot.check("The ferry fare rose to 12 euros.", [FERRY])
    assert result.verdict == "contradicted"
    assert result.citations[0].title == "Text 1"
    with pytest.raises(SourcedError, match="empty"):
        bot.check("   ")


def test_cli_check_json_and_text(data_dir: Path) -> None:
    result = runner.invoke(
        app, ["check", "The ferry fare rose to 12 euros.", "--passage", FERRY, "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["verdict"] == "contradicted"
    assert data["quotes"][0]["text"] == FERRY and data["quotes"][0]["stance"] == "contradicts"
    text = runner.invoke(
        app,
        [
            "check",
            "Ingrid Solberg estimated the work cost about 640,000 euros.",
            "--data-dir",
            str(data_dir),
        ],
    )
    assert text.exit_code == 0, text.output
    assert text.output.startswith("SUPPORTED")
    assert "640,000" in text.output


def test_cli_check_missing_file_is_a_clear_error() -> None:
    result = runner.invoke(app, ["check", "Anything at all.", "--file", "/nonexistent/x.txt"])
    assert result.exit_code == 1
    assert "cannot read /nonexistent/x.txt" in result.output


def test_claim_set_loading_and_errors(tmp_path: Path) -> None:
    assert is_claim_set(MINI)
    rows = load_claims(MINI)
    assert [r.label for r in rows][:3] == ["supported", "contradicted", "contradicted"]
    assert rows[0].passages is None and rows[2].passages == (FERRY,)
    assert [r.id for r in load_claims(MINI, split="dev")] == ["m4"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"claim": "x", "label": "true"}\n')
    with pytest.raises(SourcedError, match=r"bad.jsonl:1.*label"):
        load_claims(bad)
    refs = tmp_path / "refs.jsonl"
    refs.write_text(
        '{"claim": "x", "label": "supported", "passages": [{"url": "u", "start": 0, "end": 3}]}\n'
    )
    with pytest.raises(SourcedError, match="--corpus"):
        load_claims(refs)
    corpus = tmp_path / "corpus.json"
    corpus.write_text(json.dumps([{"url": "u", "body": "Abc def.", "title": "T"}]))
    passage = load_claims(refs, corpus)[0].passages[0]
    assert passage.text == "Abc" and passage.title == "T"


def test_cli_eval_on_a_claim_set(data_dir: Path) -> None:
    result = runner.invoke(
        app, ["eval", str(MINI), "--data-dir", str(data_dir), "--json", "--per-question"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["claims"] == 5
    verdicts = {r["id"]: r["verdict"] for r in report["rows"]}
    assert verdicts == {
        "m1": "supported",
        "m2": "contradicted",
        "m3": "contradicted",
        "m4": "supported",
        "m5": "not_found",
    }
    assert report["by_label"]["supported"]["supported"] == 1.0
    assert set(report["by_error_type"]) == {"faithful", "number", "direction", "prompt"}
    # rows written later are reported apart: rules tuned before them never saw them
    batches = report["by_batch_and_label"]
    assert batches["later / supported"] == {
        "n": 1,
        "supported": 1.0,
        "contradicted": 0.0,
        "not_found": 0.0,
    }
    assert batches["- / contradicted"]["n"] == 2
    table = runner.invoke(app, ["eval", str(MINI), "--data-dir", str(data_dir)])
    assert table.exit_code == 0 and "by error type" in table.output
    assert "by batch and label" in table.output


def test_tiny_crossencoder_gives_a_second_opinion(tmp_path: Path, data_dir: Path, embedder) -> None:
    folder = build_tiny_nli(tmp_path / "nli")
    bot = Assistant(Settings(data_dir=data_dir, verifier=str(folder)), embedder=embedder)
    try:
        result = bot.check("The ferry fare rose to 12 euros. The fare is 20 euros.", [FERRY])
    finally:
        bot.close()
    assert all(s.opinion in OPINIONS for s in result.sentences[:1])
    # The rules stay a floor: whatever the random model says, a wrong figure is not supported.
    assert result.sentences[1].verdict != "supported"
    assert result.sentences[0].verdict == "contradicted"


def test_a_folder_that_is_no_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourcedError, match=r"SOURCED_VERIFIER.*config.json"):
        CrossEncoderOpinion(str(tmp_path))


def test_scripted_chat_model_opinions_and_the_floor(embedder) -> None:
    passages = text_passages([FERRY])
    # The rules found nothing to quote; the model reads the closest sentence as saying it.
    model = scripted("ENTAILS")
    result = Checker(passages, embedder, opinion=ChatOpinion(model)).check(
        "Crossing by ferry became cheaper at the start of the week."
    )
    assert result.verdict == "supported" and result.sentences[0].rule == "model"
    assert "Quote: " + FERRY in model.seen[0][-1].content
    # A wrong figure: the model is not even asked to overturn it.
    model = scripted("ENTAILS")
    result = Checker(passages, embedder, opinion=ChatOpinion(model)).check(
        "The ferry fare fell to 15 euros."
    )
    assert result.verdict == "contradicted" and result.sentences[0].rule == "number"
    # The rules support it; the model reads a contradiction: the stricter verdict stands.
    model = scripted("It CONTRADICTS the claim.")
    result = Checker(passages, embedder, opinion=ChatOpinion(model)).check(
        "The ferry fare fell to 12 euros."
    )
    assert result.verdict == "contradicted" and result.sentences[0].opinion == "contradicts"
