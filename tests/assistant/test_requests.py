"""The request set: questions and requests in the forms people type (imperatives, lower case,
no question mark, two sentences) over the sample corpus and the fixtures, each with the quote
its answer must cite, whether it can be answered, and whether its sources really disagree.

Run with the real embedder and a real Chroma; every line of ``requests.jsonl`` is a test. A
line with ``"miss"`` is a known miss, expected to fail (strictly) until the answerer handles it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from assistant import Answer, Assistant, Settings
from tests.assistant.test_answers import assert_grounded
from tests.conftest import FIXTURES, SAMPLE
from vectorstore.embeddings import Embedder

REQUESTS = FIXTURES / "requests" / "requests.jsonl"
CASES = [json.loads(line) for line in REQUESTS.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    bot = Assistant(Settings(data_dir=tmp_path_factory.mktemp("requests")), embedder=embedder)
    report = bot.ingest([SAMPLE, FIXTURES / "articles", FIXTURES / "requests" / "articles"])
    assert not report.errors
    yield bot
    bot.close()


def test_the_set_covers_the_forms_the_issue_names() -> None:
    assert len(CASES) >= 40
    assert sum(not c.get("answerable", True) for c in CASES) >= 10
    assert sum(c.get("conflict") is True for c in CASES) >= 10
    assert sum(c.get("conflict") is False for c in CASES) >= 10
    questions = [c["question"] for c in CASES]
    assert any(q[0].islower() for q in questions)
    assert any(not q.rstrip().endswith("?") for q in questions)
    assert any(
        q.split()[0] in {"Summarize", "Compare", "Explain", "List", "Describe"} for q in questions
    )


def _cited(answer: Answer) -> str:
    return " ".join(q.text for c in answer.citations for q in c.quotes)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c["question"][:48] for c in CASES])
def test_request(library: Assistant, case: dict[str, Any], request: pytest.FixtureRequest) -> None:
    if case.get("miss"):  # a known miss, kept in the set so a fix shows (strict: a pass fails)
        request.applymarker(pytest.mark.xfail(reason=case["miss"], strict=True))
    answer = library.ask(case["question"])
    if not case.get("answerable", True):
        assert answer.abstained, answer.text
        assert answer.citations == []
        assert answer.notes and answer.notes[0] in answer.text  # says what is missing
        return
    assert not answer.abstained, answer.text
    assert_grounded(library, answer)
    cited = _cited(answer)
    assert any(quote in cited for quote in case["cite"]), (answer.text, case["cite"])
    for text in case.get("contains", []):
        assert text in answer.text, answer.text
    if case.get("conflict") is not None:
        assert answer.conflict is case["conflict"], (answer.text, answer.disagreement)
    if case.get("kind"):
        assert answer.kind == case["kind"]
    assert answer.text.count("The sources disagree") <= 1
    assert len(answer.text.split()) <= 200  # about 120 words of evidence, plus attributions
