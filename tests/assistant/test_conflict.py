"""The disagreement rule on sentences like those news passages hold."""

from __future__ import annotations

import pytest

from assistant.conflict import denies, find_conflict

PROMISE = "Putin argued that his government was promised NATO would not expand eastward."
NO_DEAL = "No legally binding agreement was ever signed that kept NATO from expanding eastward."


@pytest.mark.parametrize(
    ("sentence", "denial"),
    [
        ("Western leaders rejected the claim outright.", True),
        ("The ministry dismissed the reports as propaganda.", True),
        ("Officials have consistently denied it.", True),
        ("No binding commitment to year-round access was ever adopted.", True),
        # Events, not denials of a claim.
        ("Russia sought to join NATO twice but was rejected both times.", False),
        ("The minister was dismissed from his post in May.", False),
    ],
)
def test_denial_cues(sentence: str, denial: bool) -> None:
    assert denies(sentence) is denial


def test_a_claim_and_its_denial_disagree() -> None:
    assert find_conflict([PROMISE, NO_DEAL])


def test_a_rejected_request_beside_an_insistence_is_no_disagreement() -> None:
    # SmolLM2's answer to "How many times did Russia try to join NATO?" raised a false alarm.
    assert not find_conflict(
        [
            "Putin said that Russia had sought to join NATO twice but was rejected both times.",
            "Putin insisted that Russia's early overtures to the Western alliance were sincere.",
        ]
    )
