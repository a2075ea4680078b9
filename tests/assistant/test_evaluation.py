"""``sourced eval``: metrics on hand-made question sets, with the real embedder and Chroma."""

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.eval_data import EvalQuestion
from assistant.evaluation import citations_valid, percentile, score_passages
from assistant.types import Answer, Citation, Claim, Quote
from vectorstore.types import Passage

EVAL = Path(__file__).parents[1] / "fixtures" / "eval"
ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
runner = CliRunner()


def passage(text: str, doc: str = "d") -> Passage:
    return Passage(chunk_id=text[:8], doc_id=doc, text=text, start=0, end=len(text), title="t")


def test_hit_rule_ignores_whitespace_and_counts_each_fact_once() -> None:
    question = EvalQuestion("q", "?", evidence=("The pass  closed\non Tuesday.", "never found"))
    passages = [
        passage("Nothing here."),
        passage("Snow fell. The pass closed on Tuesday. It reopened."),
        passage("Again: The pass closed on\tTuesday."),
    ]
    first, found, total, ndcg = score_passages(question, passages, [None] * 3)
    assert (first, found, total, ndcg) == (2, 1, 2, None)
    assert score_passages(question, passages[:1], [None])[0] is None


def test_graded_relevance_gives_ndcg_over_documents() -> None:
    question = EvalQuestion("q", "?", relevant={"a": 2, "b": 1})
    ps = [passage("x"), passage("y"), passage("z")]
    first, found, total, ndcg = score_passages(question, ps, ["c", "b", "a"])
    ideal = 3 / math.log2(2) + 1 / math.log2(3)
    actual = 1 / math.log2(3) + 3 / math.log2(4)
    assert (first, found, total) == (2, 2, 2)
    assert ndcg == pytest.approx(actual / ideal)
    # the same document twice counts once
    assert score_passages(question, ps, ["a", "a", "b"])[3] == pytest.approx(
        (3 + 1 / math.log2(4)) / ideal
    )


def test_percentile() -> None:
    assert percentile([], 50) is None
    assert percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert percentile([1.0, 2.0, 3.0], 95) == pytest.approx(2.9)


def _answer(text: str, quote_start: int, quote_text: str) -> tuple[Answer, str]:
    document = "Intro. The lens cost 640,000 euros. End."
    c = Citation(
        n=1,
        text=document[7:35],
        doc_id="d",
        chunk_id="c",
        title="t",
        url="",
        source="",
        author="",
        published_at="",
        start=7,
        end=35,
        score=1.0,
        quotes=(Quote(quote_text, quote_start, quote_start + len(quote_text)),),
    )
    return Answer("q", text, [c], False, claims=(Claim("x", (1,)),)), document


def test_citation_validity_checks_ranges_and_quotes() -> None:
    good, doc = _answer("The lens cost 640,000 euros. [1]", 7, "The lens cost 640,000 euros.")
    assert citations_valid(good, lambda _: doc)
    out_of_range, _ = _answer("It cost a lot. [2]", 7, "The lens cost 640,000 euros.")
    assert not citations_valid(out_of_range, lambda _: doc)
    wrong_quote, _ = _answer("It cost a lot. [1]", 7, "The lens cost 999 euros.")
    assert not citations_valid(wrong_quote, lambda _: doc)
    outside, _ = _answer("Intro. [1]", 0, "Intro.")
    assert not citations_valid(outside, lambda _: doc)
    assert not citations_valid(good, lambda _: None)


@pytest.mark.slow
def test_multihop_set_end_to_end(make_assistant) -> None:
    bot = make_assistant()
    report = bot.evaluate(EVAL / "multihop")
    m, counts = report.metrics, report.counts
    assert (counts["questions"], counts["scored"], counts["unanswerable"]) == (4, 3, 1)
    assert counts["answered"] >= 1  # the extractive answerer may abstain on a multi-hop one
    assert m["hits@10"] == 1.0 and m["evidence_recall@10"] == 1.0
    assert m["hits@4"] == 1.0 and m["mrr@10"] is not None and m["mrr@10"] > 0.5
    assert m["ndcg@10"] is None  # not graded
    assert m["citation_validity"] == 1.0 and m["abstention_accuracy"] == 1.0
    assert m["retrieve_p50_ms"] is not None and m["retrieve_p50_ms"] > 0
    per_question = {r.qid: r for r in report.results}
    assert per_question["q4"].abstained and not per_question["q1"].abstained


@pytest.mark.slow
def test_beir_set_scores_ndcg(make_assistant) -> None:
    bot = make_assistant()
    report = bot.evaluate(EVAL / "beir", answers=False)
    m = report.metrics
    assert report.counts["questions"] == 3 and report.counts["unanswerable"] == 0
    assert m["hits@10"] == 1.0 and m["ndcg@10"] is not None and 0.5 < m["ndcg@10"] <= 1.0
    assert m["citation_validity"] is None and m["abstention_accuracy"] is None


@pytest.mark.slow
def test_cli_eval_json_table_and_plot(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    ingest = runner.invoke(app, ["ingest", str(ARTICLES), "--data-dir", str(data_dir)])
    assert ingest.exit_code == 0, ingest.output
    chart = tmp_path / "metrics.png"
    result = runner.invoke(
        app,
        [
            "eval",
            str(EVAL / "simple.jsonl"),
            "--data-dir",
            str(data_dir),
            "--json",
            "--plot",
            str(chart),
            "--per-question",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "jsonl" and data["counts"]["questions"] == 3
    assert data["metrics"]["hits@10"] == 1.0 and data["metrics"]["abstention_accuracy"] == 1.0
    assert [q["answerable"] for q in data["questions"]] == [True, True, False]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = runner.invoke(
        app, ["eval", str(EVAL / "simple.jsonl"), "--data-dir", str(data_dir), "--no-answers"]
    )
    assert table.exit_code == 0 and "evidence_recall@10" in table.output
    assert "citation_validity" not in table.output  # answers not scored


def test_cli_eval_bad_set_exits_1_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "Q?"}\n')
    result = runner.invoke(app, ["eval", str(bad), "--data-dir", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "bad.jsonl:line 1" in result.output and "evidence" in result.output


def test_answer_metrics_per_type_and_gold_containment() -> None:
    from assistant.evaluation import (
        QuestionResult,
        answer_metrics,
        contains_gold,
        is_verdict,
        summarise,
    )

    def row(
        kind: str, answerable: bool, abstained: bool, gold: str, text: str, conflict: bool = False
    ) -> QuestionResult:
        return QuestionResult(
            "q",
            "?",
            kind,
            answerable,
            None,
            0,
            0,
            None,
            1.0,
            abstained=abstained,
            answer_ms=10.0,
            gold=gold,
            answer_text=text,
            conflict=conflict,
        )

    rows = [
        row("inference", True, False, "Sam Altman", "Fortune: Sam  Altman left. [1]"),
        row("inference", True, False, "OpenAI", "Nothing about it. [1]", conflict=True),
        row("inference", True, True, "Google", "The sources ... don't answer"),
        row("comparison", True, False, "Yes", "Both say so. [1]"),
        row("null", False, True, "Insufficient information.", "don't answer"),
        row("null", False, False, "Insufficient information.", "Something. [1]"),
    ]
    assert contains_gold("Sam\nAltman said", "sam altman")
    assert contains_gold("The sources point to Google [1].", "Google.")
    assert not contains_gold("anything", " . ")
    assert (
        is_verdict("Yes") and is_verdict("Insufficient information.") and not is_verdict("Google")
    )
    overall = answer_metrics(rows)
    assert overall["wrong_abstention"] == 0.25
    assert overall["null_abstention"] == 0.5
    assert overall["gold_containment"] == pytest.approx(1 / 3)
    assert overall["disagreement_rate"] == 0.25
    report = summarise("set", "multihop", rows, False)
    assert report.by_type["inference"]["gold_containment"] == pytest.approx(1 / 3)
    assert report.by_type["comparison"]["gold_containment"] is None
    assert report.to_dict()["by_type"]["null"]["null_abstention"] == 0.5


def test_halves_split_a_set_stably_and_completely() -> None:
    from assistant.eval_data import EvalQuestion, EvalSet, select_half

    questions = tuple(EvalQuestion(str(i), f"question number {i}?") for i in range(200))
    full = EvalSet("s", "jsonl", questions)
    a, b = select_half(full, "A"), select_half(full, "B")
    assert len(a.questions) + len(b.questions) == 200
    assert 70 < len(a.questions) < 130
    assert {q.qid for q in a.questions}.isdisjoint({q.qid for q in b.questions})
    assert select_half(full, "A").questions == a.questions
