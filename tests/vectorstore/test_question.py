"""Reading a question: its kind, key terms and names, in the forms people type."""

from __future__ import annotations

import pytest

from vectorstore.query import QueryAnalyzer, QueryPlan
from vectorstore.question import names, publications, read_question


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who restored the lighthouse lens?", "who"),
        ("when did the ferry start sailing", "when"),
        ("Where is the cider press?", "where"),
        ("How many prisms were replaced?", "quantity"),
        ("Tell me about the lens. What did it cost?", "quantity"),
        ("Which countries joined the alliance in 2004?", "list"),
        ("List the routes that start at the depot", "list"),
        ("Which company makes the lens?", "entity"),
        ("Did the council promise to keep the pier open?", "yesno"),
        ("Compare the views of Ferreira and Rourke on the pier.", "comparison"),
        ("Summarize what the mayor said about the budget", "open"),
        ("Explain why the pier was closed", "open"),
        ("Did the board report on the river before or after the vote?", "temporal"),
    ],
)
def test_kind(question: str, kind: str) -> None:
    assert read_question(question).kind == kind


def test_named_sources_make_a_comparison_or_a_temporal_question() -> None:
    analyzer = QueryAnalyzer({"Harbor Times", "Valley Ledger"}, set())
    plan = analyzer.analyze(
        "Does the Harbor Times article say the pier closed, while the Valley Ledger says it is "
        "open?"
    )
    assert plan.kind == "comparison"
    plan = analyzer.analyze(
        "Between the Harbor Times report published on May 2, 2023, and the Valley Ledger "
        "report published on June 9, 2023, did the pier's status change?"
    )
    assert plan.kind == "temporal"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Compare the views of Sachs and Mearsheimer on enlargement.", ["Sachs", "Mearsheimer"]),
        ("Summarize what Putin said about joining NATO", ["Putin", "NATO"]),
        ("Between October and November, what did Google's Gemini do?", ["Google", "Gemini"]),
        ("Considering the report, who is Sam Bankman-Fried?", ["Sam Bankman-Fried"]),
        ("describe the NATO-Russia Council", ["NATO-Russia Council"]),
        ("what did the mayor say", []),
    ],
)
def test_names_are_never_sentence_openers_verbs_or_months(
    question: str, expected: list[str]
) -> None:
    assert names(question) == expected


def test_key_terms_leave_out_question_words_and_requests() -> None:
    plan = QueryPlan.read("Summarize what Putin said about joining NATO")
    assert plan.terms == ("putin", "joining", "nato")
    assert plan.request


def test_publications_named_as_publishers() -> None:
    question = (
        "Considering an article from The Verge and a report by Bloomberg, and according to "
        "Fortune, which model sold best?"
    )
    assert publications(question) == ["The Verge", "Bloomberg", "Fortune"]
