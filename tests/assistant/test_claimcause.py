"""A cause a claim states, on passages written for these tests: two true sentences do not
make the cause between them, and a cause one sentence gives in other words is supported."""

from __future__ import annotations

import pytest

from assistant.checker import Checker, text_passages
from assistant.claimcause import causal_parts

RESULTS = (
    "Harrowgate Labs said its losses widened to £52m in the year to June. "
    "The firm faces fierce competition from cheaper rivals in Asia. "
    "Sales fell by a fifth because demand for its older sensors collapsed. "
    "Its chief engineer, Mara Quint, missed the launch with a foot injury."
)


def test_causal_parts() -> None:
    assert causal_parts("Losses widened because of competition from rivals.") == (
        "Losses widened ",
        " competition from rivals.",
    )
    assert causal_parts("Losses widened to £52m in the year to June.") is None


@pytest.fixture(scope="module")
def checker(embedder) -> Checker:
    return Checker(text_passages([RESULTS]), embedder)


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        # two true sentences, a cause neither states
        (
            "Its losses widened because of fierce competition from cheaper rivals in Asia.",
            "not_found",
        ),
        # a cause one sentence states, in other words
        ("Sales fell by a fifth owing to collapsing demand for its older sensors.", "supported"),
        # one sentence ties them with another word ("with")
        ("Mara Quint missed the launch because of a foot injury.", "supported"),
    ],
)
def test_a_stated_cause(checker: Checker, claim: str, verdict: str) -> None:
    result = checker.check(claim)
    assert result.verdict == verdict, result.reason
