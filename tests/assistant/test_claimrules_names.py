"""Names read as a reader would: a given name that is also a modal, a first name or surname
the source leaves out (sentences written for these tests)."""

from __future__ import annotations

import pytest

from assistant import claimrules as rules
from assistant.checker import Checker, text_passages


@pytest.mark.parametrize(
    ("text", "has_will"),
    [
        ("Later that night, Will thanked the crew.", True),
        ("Will Okafor thanked the crew.", True),
        ("Will the crew be thanked?", False),
        ("The crew will be thanked.", False),
    ],
)
def test_will_is_a_name_where_a_modal_cannot_be(text: str, has_will: bool) -> None:
    assert ("will" in rules.names(text)) == has_will


@pytest.mark.parametrize(
    ("claim", "source", "unsaid"),
    [
        ("Gabor Halasz founded the studio.", "Halasz founded the studio in 2019.", {"gabor"}),
        ("Will Okafor thanked the crew.", "Later that night, Will thanked the crew.", {"okafor"}),
        # the source gives the surname with another first name: no match
        ("Jordan Crane scored.", "Jordon Crane scored twice.", set()),
        ("Jordan Crane scored.", "Crane scored twice.", {"jordan"}),
    ],
)
def test_name_parts_the_source_leaves_out(claim: str, source: str, unsaid: set[str]) -> None:
    known = frozenset(rules.names(source))
    assert rules.unsaid_name_parts(claim, source, known) == unsaid


SOURCE = (
    "The studio's founder, Halasz, said the game would ship in March. On the night of the "
    "launch party, Will thanked Priya Raman for the score."
)


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("Gabor Halasz said the game would ship in March.", "supported"),
        ("Priya Raman thanked Will at the launch party.", "contradicted"),
    ],
)
def test_a_name_a_claim_gives_in_full(embedder, claim: str, verdict: str) -> None:
    result = Checker(text_passages([SOURCE]), embedder).check(claim)
    assert result.verdict == verdict, result.reason


THREE = (
    "The first of the winners is Ada Okoye. She is a geologist at the Kessel Institute in "
    "Marlow. The second winner is Piet Varga, who works at Dunmore University."
)


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("Ada Okoye is a geologist at the Kessel Institute in Marlow.", "supported"),
        ("Piet Varga is a geologist at the Kessel Institute in Marlow.", "contradicted"),
    ],
)
def test_a_pronoun_speaks_of_the_one_named_before(embedder, claim: str, verdict: str) -> None:
    result = Checker(text_passages([THREE]), embedder).check(claim)
    assert result.verdict == verdict, result.reason


@pytest.mark.parametrize(
    ("name", "source", "aliased"),
    [
        ("britain", "Exports to the UK rose.", True),
        ("us", "Sales in the U.S. rose.", True),
        ("us", "Sales rose for us.", False),
        ("netherlands", "The Dutch side won.", True),
        ("france", "Exports to the UK rose.", False),
    ],
)
def test_names_written_another_way(name: str, source: str, aliased: bool) -> None:
    assert (name in rules.aliased([name], source)) == aliased


def test_a_title_and_its_acronym_share_a_word() -> None:
    assert rules.content("its chief technology officer") == rules.content("its CTO")
    assert rules.content("four wins in a row") == rules.content("four consecutive wins")


@pytest.mark.parametrize(
    ("word", "text", "same"),
    [
        ("swedish", "sweden's team", True),
        ("german", "germany's economy", True),
        ("germany", "the german economy", True),
        ("french", "france's economy", True),
        ("indian", "exports to india", True),
        ("paris", "the parish council", False),
        ("smith", "smithson said", False),
    ],
)
def test_a_country_and_its_adjective(word: str, text: str, same: bool) -> None:
    assert rules.name_form(word, text) == same


def test_a_country_adjective_is_no_other_name_in_the_slot() -> None:
    source = "Germany's economy shrank 0.3%, while France's grew 0.5%."
    claim = "The German economy shrank 0.3%, while the French economy grew 0.5%."
    assert rules.misplaced_name(claim, source, frozenset(rules.names(source))) is None


def test_an_acronym_spelled_out_in_lower_case() -> None:
    assert rules.acronymed("She was the MVP.", "voted most valuable player by fans") == {"mvp"}
    assert rules.acronymed("The CEO resigned.", "the chief executive resigned") == {"ceo"}
    assert rules.acronymed("The MVP award.", "most players value it") == set()
