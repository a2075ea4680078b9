"""The three question-set formats of ``sourced eval`` and their errors (no model needed)."""

import json
from pathlib import Path

import pytest

from assistant.eval_data import EvalFormatError, beir_key, load_eval_set

EVAL = Path(__file__).parents[1] / "fixtures" / "eval"


def test_multihop_folder_reads_queries_facts_and_corpus() -> None:
    data = load_eval_set(EVAL / "multihop")
    assert data.format == "multihop" and len(data.corpus) == 5
    assert [q.qid for q in data.questions] == ["q1", "q2", "q3", "q4"]
    first = data.questions[0]
    assert len(first.evidence) == 2 and first.answerable and first.kind == "inference_query"
    null = data.questions[3]
    assert not null.answerable and null.evidence == ()


def test_beir_folder_reads_graded_qrels_and_prefixes_corpus_ids() -> None:
    data = load_eval_set(EVAL / "beir")
    assert data.format == "beir" and data.graded
    by_id = {q.qid: q for q in data.questions}
    assert dict(by_id["b1"].relevant) == {"d1": 2, "d2": 2}
    assert dict(by_id["b3"].relevant) == {"d4": 1}  # score 0 is not relevant
    assert {r["id"] for r in data.corpus} == {f"beir:d{i}" for i in range(1, 6)}
    assert beir_key("records#beir:d3") == "d3" and beir_key("/x/story.md") is None


def test_simple_jsonl_reads_evidence_and_answerability() -> None:
    data = load_eval_set(EVAL / "simple.jsonl")
    assert data.format == "jsonl" and data.corpus == ()
    assert [q.answerable for q in data.questions] == [True, True, False]
    assert data.questions[0].evidence == ("cost the lighthouse trust about 640,000 euros",)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('{"evidence": ["x"]}', "field 'question' is missing"),
        ('{"question": "Q?", "evidence": "x"}', "'evidence' must be a list"),
        ('{"question": "Q?", "evidence": []}', "needs 'evidence'"),
        ('{"question": "Q?", "evidence": ["x"], "answerable": "yes"}', "true or false"),
    ],
)
def test_bad_simple_lines_name_file_line_and_field(tmp_path: Path, line: str, expected: str):
    path = tmp_path / "set.jsonl"
    good = json.dumps({"question": "Q?", "evidence": ["a"]})
    path.write_text(good + "\n" + line + "\n")
    with pytest.raises(EvalFormatError) as info:
        load_eval_set(path)
    assert str(path) in str(info.value) and expected in str(info.value)


def test_unknown_shapes_and_missing_split_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(EvalFormatError, match="unknown question set type"):
        (tmp_path / "q.csv").write_text("x")
        load_eval_set(tmp_path / "q.csv")
    with pytest.raises(EvalFormatError, match="neither a BEIR folder"):
        load_eval_set(tmp_path)
    with pytest.raises(EvalFormatError, match=r"--split .*found: test"):
        load_eval_set(EVAL / "beir", split="dev")
    with pytest.raises(EvalFormatError, match="does not exist"):
        load_eval_set(tmp_path / "missing.json")


def test_multihop_item_without_fact_is_named(tmp_path: Path) -> None:
    path = tmp_path / "queries.json"
    path.write_text(json.dumps([{"query": "Q?", "evidence_list": [{"source": "X"}]}]))
    with pytest.raises(EvalFormatError, match=r"item 0 evidence 0: field 'fact'"):
        load_eval_set(path)
