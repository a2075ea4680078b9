"""Units of measure read against the source sentence (sentences written for these tests)."""

from __future__ import annotations

import pytest

from assistant import checker
from assistant.claimunits import wrong_measure


@pytest.mark.parametrize(
    ("claim", "source", "fires"),
    [
        ("The lamp strip is 6.56 meters long.", "The lamp strip is 6.56 feet long.", True),
        ("The mop lifts 15cm off the floor.", "The mop lifts 15mm off the floor.", True),
        ("The strike has gone on for two months.", "The strike has gone on for two years.", True),
        (
            "She asked for $4,000 a week in support.",
            "She asked for $4,000 a month in support.",
            True,
        ),
        (
            "The app has 2 million daily active users.",
            "The app has 2 million monthly active users.",
            True,
        ),
        # the same unit, or no unit to set against it
        ("The lamp strip is 6.56 feet long.", "The lamp strip is 6.56 feet long.", False),
        (
            "The strike lasted two months.",
            "The strike lasted two months, two years after the last.",
            False,
        ),
        ("It costs $5 a month.", "It costs $5 a month, or $50 a year.", False),
        ("The app has 2 million users.", "The app has 2 million monthly active users.", False),
        # a weight is no length
        ("The bag holds 15 kg.", "The bag is 15 cm deep.", False),
    ],
)
def test_a_figure_in_another_unit_of_the_same_kind(claim: str, source: str, fires: bool) -> None:
    reason = wrong_measure(claim, source)
    assert (reason is not None) == fires, reason


def test_compare_reports_a_wrong_unit() -> None:
    source = "The strike has roiled the city for the last two years, the union said."
    finding = checker.compare(
        "The strike has roiled the city for the last two months.", source, source
    )
    assert finding is not None and finding.rule == "unit", finding
