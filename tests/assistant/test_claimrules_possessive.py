"""A possessive is read as the name it belongs to: only a trailing "'s" (or a bare apostrophe)
goes, never an "s" that is part of the name ("Davis", "Jones")."""

from __future__ import annotations

import pytest

from assistant import claimrules as rules
from assistant.checker import Checker, _reversed_result, text_passages


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("Jones's", "Jones"),
        ("Jones’s", "Jones"),
        ("Jones'", "Jones"),
        ("Davis", "Davis"),
        ("Davis’", "Davis"),
        ("Paris's", "Paris"),
        ("Okafor's", "Okafor"),
        ("bus", "bus"),
        ("s", "s"),
    ],
)
def test_possessive_base_drops_only_the_possessive(word: str, base: str) -> None:
    assert rules.possessive_base(word) == base


def test_names_keep_a_final_s() -> None:
    assert rules.names("Yesterday Jones's coach met Davis's agent.") == ("jones", "davis")
    assert rules.name_spans("Davis's agent met Jones", {"davis", "jones"}) == [
        (0, "davis"),
        (3, "jones"),
    ]


def test_a_winner_whose_name_ends_in_s_is_read(embedder) -> None:
    # the names are too far apart for the word-order swap: the winner/loser reading decides
    source = (
        "Okafor, who turned professional only last spring after a long junior career, defeated "
        "Davis in straight sets on Sunday."
    )
    result = Checker(text_passages([source]), embedder).check(
        "Davis beat Okafor in straight sets on Sunday."
    )
    assert result.verdict == "contradicted", result.reason
    assert result.sentences[0].rule == "swap"


@pytest.mark.parametrize(
    ("claim", "source", "fires"),
    [
        (
            "The Port Kessel Rangers beat the Alder Vale Hawks 88-80.",
            "Guard Tomas Reiner led the Alder Vale Hawks to an 88-80 league win over the Port "
            "Kessel Rangers.",
            True,
        ),
        (
            "Harlow suffered a 2-0 defeat in Dunmore in May and a 3-1 loss to Kestrel City in "
            "June.",
            "Harlow suffered a 2-0 defeat in Dunmore in May and a 3-1 loss to Kestrel City in "
            "June, results that cost them the title.",
            False,
        ),
        (
            "Brixton Athletic's 2-0 win ended Farley Town's cup run.",
            "Farley Town are out of the cup, with league winners Brixton Athletic ending their "
            "run with a 2-0 victory at Mill Lane.",
            False,
        ),
    ],
)
def test_winner_and_loser_are_whole_names_read_in_their_own_clause(
    claim: str, source: str, fires: bool
) -> None:
    known = frozenset(rules.names(source))
    assert (_reversed_result(claim, source, known) is not None) == fires
