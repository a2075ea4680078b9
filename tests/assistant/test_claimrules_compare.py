"""Comparisons read against a source's figures and its direction words, on sentences written
for these tests (the rules alone)."""

from __future__ import annotations

import pytest

from assistant import claimrules as rules

COMMUTE = (
    "Buses carry 41% of the city's commuters, followed by rail (22%) and cycling (7%), the "
    "transport survey found."
)
APP = "Paying users fell to 2,300 after the price change, down from 5,100 in spring."


@pytest.mark.parametrize(
    ("claim", "source", "fires"),
    [
        ("Rail makes up a larger share of the city's commuting than buses.", COMMUTE, True),
        ("Buses make up a larger share of the city's commuting than rail.", COMMUTE, False),
        ("Cycling carries fewer of the city's commuters than rail.", COMMUTE, False),
        ("The app had more paying users after the price change than before.", APP, True),
        ("The app had fewer paying users after the price change than before.", APP, False),
        ("More than 2,000 users kept paying after the price change.", APP, False),
    ],
)
def test_a_comparison_the_source_reverses(claim: str, source: str, fires: bool) -> None:
    reason = rules.wrong_comparison(claim, source)
    assert (reason is not None) == fires, reason


def test_a_thousands_comma_does_not_split_a_clause() -> None:
    assert rules.pieces("Paying users fell to 2,300, the firm said.") == [
        "Paying users fell to 2,300",
        "the firm said.",
    ]


@pytest.mark.parametrize(
    ("claim", "fires"),
    [("Okafor outpolled Lindqvist in the runoff.", True), ("Lindqvist outpolled Okafor.", False)],
)
def test_a_comparison_in_one_verb(claim: str, fires: bool) -> None:
    source = "The runoff tally was 4,120 for Okafor, his lowest yet, and 5,300 for Lindqvist."
    assert (rules.wrong_comparison(claim, source) is not None) == fires


def test_a_sum_in_another_currency_is_another_sum(embedder) -> None:
    from assistant.checker import Checker, text_passages

    source = "The startup raised $40 million in 2022, in a round led by two funds."
    checker = Checker(text_passages([source]), embedder)
    wrong = checker.check("The startup raised €40 million in 2022.")
    assert wrong.verdict == "contradicted" and wrong.sentences[0].rule == "unit", wrong.reason
    assert checker.check("The startup raised 40 million dollars in 2022.").verdict == "supported"
