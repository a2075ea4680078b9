"""Ranks and figures read off a source's list of figures, on sentences written for these tests
(the rules alone, no embedder)."""

from __future__ import annotations

import pytest

from assistant import claimfigures as cf

FUEL = (
    "Diesel made up 48 per cent of the depot's sales last year, followed by petrol (31 per "
    "cent) and heating oil (9 per cent)."
)
PHONES = (
    "The range opens with the compact Vela Mini at $429 and tops out with the Vela Max, which "
    "starts at $1,199."
)


@pytest.mark.parametrize(
    ("claim", "source", "verdict"),
    [
        ("Diesel sold most at the depot, with petrol second.", FUEL, "confirmed"),
        ("Diesel sold most at the depot, with heating oil second.", FUEL, "wrong"),
        ("Petrol came third among the depot's fuels.", FUEL, "wrong"),
        ("The Vela Max is the most expensive phone in the range.", PHONES, "confirmed"),
        ("The Vela Max is the cheapest phone in the range.", PHONES, "wrong"),
        ("The Vela Mini is the cheapest phone in the range.", PHONES, "confirmed"),
        # an ordinal before a noun is no rank
        ("The depot's second quarter was its busiest.", FUEL, "none"),
        # the source says the superlative itself: the other rules read it
        ("Diesel is the biggest seller.", "Diesel, at 48%, is the largest seller; gas 9%.", "none"),
    ],
)
def test_a_rank_is_read_against_the_order_of_the_figures(
    claim: str, source: str, verdict: str
) -> None:
    ranks = cf.ranks(claim, source)
    if verdict == "none":
        assert ranks == []
        return
    assert len(ranks) == 1, ranks
    assert (ranks[0].rank == ranks[0].source) == (verdict == "confirmed"), ranks
    assert (cf.wrong_rank(claim, source) is None) == (verdict == "confirmed")


def test_a_confirmed_ordinal_is_the_sources() -> None:
    assert cf.confirmed_ordinals("Diesel led, with petrol second.", FUEL) == {2.0}
    assert cf.confirmed_ordinals("Diesel led, with heating oil second.", FUEL) == set()


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("Heating oil accounted for 31 per cent of the depot's sales.", True),
        ("Petrol accounted for 31 per cent of the depot's sales.", False),
        ("Petrol made up 31 per cent and heating oil 9 per cent of sales.", False),
        # a verb shared with another entry ties nothing
        ("Unleaded fuel made up 31 per cent of sales.", False),
        ("The depot sold more diesel than anything else.", False),
    ],
)
def test_a_figure_tied_to_another_entry_of_the_list(claim: str, fires: bool) -> None:
    reason = cf.crossed_figure(claim, FUEL)
    assert (reason is not None) == fires, reason
    if fires:
        assert "“oil”" in reason and "9 per cent" in reason


def test_two_figures_swapped_between_two_entries() -> None:
    source = (
        "The hall's inside holds 12 chandeliers, and its outer wall is covered by 40,000 tiles."
    )
    swapped = "Inside, the hall holds 40,000 tiles, while its outer wall carries 12 chandeliers."
    assert cf.crossed_figure(swapped, source) is not None
    kept = "The hall's outer wall is covered by 40,000 tiles."
    assert cf.crossed_figure(kept, source) is None


def test_a_figure_that_modifies_a_noun_right_after_the_same_figure_is_no_entry() -> None:
    # "5 5-star": the second figure is a compound ("5-star"), though the same figure stands
    # just before it
    figures = [f for _, f in cf._figures("Reviews: 5 5-star ratings and 40% others")[1]]
    assert [(f.surface, f.entry) for f in figures] == [("5", True), ("5", False), ("40%", True)]
