"""The disagreement rule: two sentences oppose when they make opposing statements about the
same subject and predicate (a negation or a contrary word), never because a cue word appears."""

from __future__ import annotations

import pytest

from assistant.conflict import find_conflict, find_disagreement, opposes
from vectorstore.query import QueryPlan

PROMISE = "Putin argued that his government was promised NATO would not expand eastward."
NO_DEAL = "No legally binding agreement was ever signed that kept NATO from expanding eastward."


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (PROMISE, NO_DEAL),
        (
            "The ministry says the new reservoir will be finished in 2026.",
            "Engineers say the new reservoir will not be finished in 2026.",
        ),
        (
            "The mayor said the plan was approved by the full council.",
            "Two councillors said the plan was never approved by the full council.",
        ),
        (
            "Ticket sales at the museum rose sharply last winter, the director said.",
            "Volunteers say ticket sales at the museum fell sharply last winter.",
        ),
        (
            "The company says the factory in Dunmore will stay open.",
            "The union denied that the factory in Dunmore will stay open.",
        ),
    ],
)
def test_opposing_statements_about_one_proposition(a: str, b: str) -> None:
    assert opposes(a, b) is not None
    assert opposes(b, a) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A cue word alone is no disagreement: a rejected request beside an insistence.
        (
            "Putin said that Russia had sought to join NATO twice but was rejected both times.",
            "Putin insisted that Russia's early overtures to the Western alliance were sincere.",
        ),
        # Different subjects: one country joined, another did not (yet).
        ("Finland joined the alliance in 2023.", "Sweden did not join the alliance until 2024."),
        # Negations about different predicates of the same topic.
        (
            "The bridge was built in 1911 and never painted.",
            "The bridge was repaired in 2022 at a cost of 65,000 pounds.",
        ),
        # A promise of reopening beside a closure is no claim and denial.
        (
            "The council voted to close the old pier after the storm.",
            "Fishing crews said the pier had always been busy in winter.",
        ),
        # A sentence with "never" and another on the topic that does not contradict it.
        (
            "The treaty never mentioned Poland.",
            "The treaty was signed in Moscow in September 1990.",
        ),
    ],
)
def test_no_disagreement_without_opposing_statements(a: str, b: str) -> None:
    assert opposes(a, b) is None
    assert not find_conflict([a, b])


def test_one_sentence_can_hold_a_claim_and_its_denial() -> None:
    both = (
        "Putin argued that his government was promised NATO would not expand eastward — a "
        "claim Western leaders have consistently denied."
    )
    found = find_disagreement([both], QueryPlan.read("Did NATO promise not to expand?"))
    assert found is not None and found.first == found.second == 0


def test_the_opposed_word_must_belong_to_the_question() -> None:
    a = "Residents say the road was resurfaced in May and the bridge was not repainted."
    b = "The council says the bridge was repainted in May and the road was resurfaced."
    assert opposes(a, b) is not None
    assert opposes(a, b, QueryPlan.read("When was the road resurfaced?")) is None
    assert opposes(a, b, QueryPlan.read("Was the bridge repainted?")) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Two reports on one subject with different figures: two games, not a disagreement.
        (
            "The quarterback threw for 310 yards and two touchdowns in the win.",
            "The quarterback threw for 314 yards and four touchdowns in the win.",
        ),
        # Another date for a similar event is another event.
        (
            "The museum reopened its east wing in 2021 after the floods.",
            "The museum reopened its east wing in 2023 after the floods.",
        ),
        # A question asserts nothing.
        (
            "The ministry says the new reservoir will be finished in 2026.",
            "Will the new reservoir not be finished in 2026?",
        ),
    ],
)
def test_different_details_and_questions_are_no_disagreement(a: str, b: str) -> None:
    assert opposes(a, b) is None
    assert opposes(b, a) is None


def test_one_sentence_opposes_itself_only_by_denying_a_claim_it_reports() -> None:
    mixed = (
        "The team doesn't face a strong side until May, though the next three games are far "
        "from easy wins for the team."
    )
    assert find_disagreement([mixed], QueryPlan.read("Does the team face a strong side?")) is None
