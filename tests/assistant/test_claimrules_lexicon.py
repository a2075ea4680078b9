"""The claim rules' antonym lexicon, quantifiers, hedges and clause splitting, read on
sentences written for these tests (no embedder: the rules alone)."""

from __future__ import annotations

import pytest

from assistant import claimrules as rules

RESULTS = (
    "Corvane Mobility reported third-quarter revenue of $2.1 billion, short of the $2.3 billion "
    "analysts had expected, but it beat profit forecasts and its shares soared in late trading."
)


@pytest.mark.parametrize(
    ("claim", "source", "said"),
    [
        ("Corvane Mobility's revenue beat analysts' expectations.", RESULTS, "beat"),
        (
            "Reviewers praised the new harbour wall.",
            "Reviewers criticised the new harbour wall.",
            "praised",
        ),
        (
            "The committee called shortening the course an easy decision.",
            "The committee called shortening the course a difficult decision.",
            "easy",
        ),
        (
            "Hanna Liu will step down as chief executive.",
            "Hanna Liu will stay on as chief executive, the board said.",
            "step down",
        ),
        (
            "The two sentences will run concurrently.",
            "The two sentences will run consecutively.",
            "concurrently",
        ),
        (
            "The league will shrink to 16 teams.",
            "The league expands to 16 teams next year.",
            "shrink",
        ),
        (
            "The deal is 30% smaller than the last one.",
            "The deal is a 30% increase on the last.",
            "smaller",
        ),
        ("Corvane's shares plunged in late trading.", RESULTS, "plunged"),
        (
            "The minister admitted the report was accurate.",
            "The minister disputed the report.",
            "admitted",
        ),
        (
            "The Halos picked up the 2024 option.",
            "The Halos rejected the 2024 option.",
            "picked up",
        ),
    ],
)
def test_reversed_direction(claim: str, source: str, said: str) -> None:
    reason = rules.reversal(claim, source)
    assert reason is not None and f"“{said}”" in reason


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        # each clause of the claim is read against the clause of the source it is about
        (
            "Revenue fell short of forecasts, although the company beat profit estimates.",
            RESULTS,
        ),
        # "fell short" is no fall, and "soared" agrees with "jumped"
        ("Corvane's shares jumped in late trading.", RESULTS),
        # words of a name are not antonyms ("Pro Bowler", "Best Buy")
        (
            "Crosby, a Pro Bowler, has five sacks in nine games.",
            "Crosby has five sacks in nine games, though some opposed his selection.",
        ),
        # "against" names an opponent
        ("They won the final against England.", "The score was in the Springboks' favour."),
        ("The rates soared and applications plummeted.", "Rates soared and applications fell."),
    ],
)
def test_no_reversal(claim: str, source: str) -> None:
    assert rules.reversal(claim, source) is None


def test_a_coordinated_half_of_the_source_is_read_on_its_own() -> None:
    source = "Mortgage rates soared and purchase applications plummeted."
    assert rules.reversal("Mortgage rates dropped.", source) is not None


def test_axis_words_join_two_word_forms_and_skip_names() -> None:
    assert {"fell_short", "picked_up"} <= rules.axis_words("It fell short but picked up later")
    assert "fell" not in rules.axis_words("It fell short of the target")
    assert "pro" not in rules.axis_words("He is a two-time Pro Bowler")


def test_a_rank_is_not_a_negation_but_rejecting_claims_is() -> None:
    assert not rules.negated("The world No. 3 won the final leg.")
    assert not rules.negated("World No.4 Sinner beat him again.")
    assert rules.negated("No deal was reached.")
    assert rules.negated("The company rejected claims that it tracked users.")


@pytest.mark.parametrize(
    ("claim", "source", "said"),
    [
        (
            "Most of the 40 boats finished the course.",
            "Only 12 of the 40 boats that started finished the course.",
            "most of 40",
        ),
        (
            "All of the 40 boats finished the course.",
            "Some 31 of the 40 boats finished the course.",
            "all of 40",
        ),
        (
            "Only a few residents objected to the plan.",
            "Many residents objected to the plan.",
            "only a",
        ),
        ("Many residents objected to the plan.", "A few residents objected to the plan.", "many"),
    ],
)
def test_quantity_the_source_does_not_allow(claim: str, source: str, said: str) -> None:
    reason = rules.overstated_quantity(claim, source)
    assert reason is not None and f"“{said}" in reason


def test_quantifiers_over_different_things_do_not_clash() -> None:
    claim = "Workers spend the whole day on video calls."
    assert rules.overstated_quantity(claim, "Some workers complain of fatigue.") is None
    assert rules.overstated_quantity(
        "All of these talks include investments.", "Some of these talks include investments."
    )


def test_a_pending_claim_against_a_done_fact() -> None:
    shared = rules.content("The club considering the 2024 option") & rules.content(
        "The club rejected the 2024 option"
    )
    claim = "The club is considering whether to take up the 2024 option."
    assert rules.understated_certainty(claim, "The club rejected the 2024 option.", shared)
    hedged = "The club may reject the 2024 option."
    assert rules.understated_certainty(claim, hedged, shared) is None
    assert (
        rules.understated_certainty("The club rejected it.", "The club rejected it.", shared)
        is None
    )


def test_hedges() -> None:
    assert rules.hedged("The term is thought to have been coined by a professor.")
    assert rules.hedged("The vote is scheduled for Thursday.")
    assert not rules.hedged("The judge scheduled sentencing on Monday after the hearing.")


def test_a_decade_is_ten() -> None:
    assert [n.value for n in rules.numbers("She led the tribe for a decade.")] == [10.0]
    assert not rules.numbers("It took decades.")


@pytest.mark.parametrize(
    ("claim", "clauses"),
    [
        (
            "The firm took a 51% stake, which makes it the owner, and plans to merge the two.",
            ["which makes it the owner", "and plans to merge the two."],
        ),
        (
            "He stressed that membership is voluntary, and that the growth was forced on them.",
            ["and that the growth was forced on them."],
        ),
        ("Sales rose 5%; profits fell.", ["profits fell."]),
        (
            "Revenue reached $2 billion and said it would cut jobs.",
            ["and said it would cut jobs."],
        ),
        ("Smith and Jones were appointed in May.", []),
        ("Prices rose and fell in the same week.", []),
    ],
)
def test_added_clauses(claim: str, clauses: list[str]) -> None:
    assert rules.added_clauses(claim) == clauses
