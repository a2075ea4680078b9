"""Who does what, read from word order: the speaker swapped with the one spoken of, and the
subject of a clause swapped with another name (sentences written for these tests)."""

from __future__ import annotations

import pytest

from assistant import claimroles as roles
from assistant import claimrules as rules

COLUMN = (
    "Writing in the Harbour Gazette, Okonkwo said the club's spending had been reckless and "
    "that Lindqvist should be asked whether he still has the dressing room."
)
LEVY = (
    "Under the new rules, Norwegian fishermen working in Danish waters will pay the harbour "
    "levy, while Danish crews will keep landing catches in Norway free of charge."
)


def known(text: str) -> frozenset[str]:
    return frozenset(rules.names(text))


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        (
            "Lindqvist wrote in the Harbour Gazette that Okonkwo should be asked whether he "
            "still has the dressing room.",
            True,
        ),
        (
            "Okonkwo said in the Harbour Gazette that Lindqvist should be asked whether he "
            "still has the dressing room.",
            False,
        ),
        # a speaker saying something else about the other is no swap
        ("Lindqvist has said he will not resign over Okonkwo's column.", False),
    ],
)
def test_a_swapped_speaker(claim: str, fires: bool) -> None:
    reason = roles.swapped_speaker(claim, COLUMN, known(COLUMN))
    assert (reason is not None) == fires, reason


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        (
            "Danish crews working in Norwegian waters will pay the harbour levy, while "
            "Norwegian fishermen land catches in Denmark for free.",
            True,
        ),
        (
            "Norwegian fishermen working in Danish waters will pay the harbour levy, while "
            "Danish crews land catches in Norway for free.",
            False,
        ),
        # a name that opens the clause as a modifier of another ("X maker Y") is not its subject
        (
            "Talvik Motors announced that Rover's next model will be electric.",
            False,
        ),
    ],
)
def test_a_swapped_subject(claim: str, fires: bool) -> None:
    source = (
        LEVY
        if "levy" in claim
        else "Rover maker Talvik Motors announced that the next Rover model will be electric."
    )
    reason = roles.swapped_subject(claim, source, known(source))
    assert (reason is not None) == fires, reason


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("The course record was set last spring by Ilse Varga.", True),
        ("The course record was set last spring by Tomas Reiner.", False),
        ("The course record was set by Reiner.", False),
    ],
)
def test_another_agent_of_the_same_deed(claim: str, fires: bool) -> None:
    source = (
        "Her time beat the course record set last spring by Harbour Athletic runner Tomas "
        "Reiner and the club best held by her former teammate Ilse Varga."
    )
    reason = roles.other_agent(claim, source, known(source))
    assert (reason is not None) == fires, reason


DEAL = (
    "Halden Foods has cut its acquisition price for Brightwater by 10%, the company said, "
    "while Brightwater's founder Ana Ruiz will report to Halden chief Tomas Reiner."
)


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("Brightwater agreed to acquire Halden Foods.", True),
        ("Halden Foods agreed to acquire Brightwater.", False),
        ("Brightwater is being bought by Halden Foods.", False),
        ("Halden Foods is being bought by Brightwater.", True),
        ("Tomas Reiner will report to Ana Ruiz.", True),
        ("Ana Ruiz will report to Tomas Reiner.", False),
    ],
)
def test_who_does_it_to_whom(claim: str, fires: bool) -> None:
    reason = roles.swapped_relation(claim, DEAL, known(DEAL) | {"halden"})
    assert (reason is not None) == fires, reason


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("Piet Varga has been named the club's interim head coach.", True),
        ("Lena Ostrova has been named the club's interim head coach.", False),
        # the claim names the other one too: no title given away
        ("Piet Varga, not Lena Ostrova, is the interim head coach.", False),
    ],
)
def test_a_title_the_source_gives_another(claim: str, fires: bool) -> None:
    source = (
        "Piet Varga stays on as sporting director and will work with the club's new interim "
        "head coach, Lena Ostrova."
    )
    reason = roles.other_holder(claim, source, known(source))
    assert (reason is not None) == fires, reason


def test_who_pays_whom() -> None:
    source = "A Dutch court ordered Orvik to pay $30 million to Telmar for infringing a patent."
    k = known(source) | {"orvik"}
    assert roles.swapped_relation("Telmar was ordered to pay Orvik $30 million.", source, k)
    assert roles.swapped_relation("Orvik must pay Telmar $30 million.", source, k) is None


@pytest.mark.parametrize(
    "claim",
    [
        # a name after "a" tells which jury; it does not do the convicting
        "A Kessel jury convicted Ana Ruiz on all three counts.",
        # the source's clause is in the passive, its "by" far from the verb
        "The Kessel jury convicted Ana Ruiz on all three counts.",
    ],
)
def test_no_subject_swap_across_voice_or_a_modifier(claim: str) -> None:
    source = "Ana Ruiz was convicted on all three counts of fraud by a jury in Kessel on Friday."
    assert roles.swapped_subject(claim, source, known(source)) is None
