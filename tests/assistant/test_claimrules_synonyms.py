"""Paraphrases in other words: the news synonym groups, names given as acronyms, and the
antonyms and hedges added with them, on sentences written for these tests."""

from __future__ import annotations

import pytest

from assistant import claimrules as rules
from assistant.checker import Checker, compare, text_passages

TALKS = (
    "Harlow Freight is in talks with three regional carriers about a merger, chief executive "
    "Dana Obi said on Monday. The Federal Trade Commission opened a probe into the carrier "
    "market in March. Harlow bought a rail depot in Leeds last year for $40 million, and it is "
    "the largest freight company in the north of England."
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("negotiating", "talks"),
        ("acquired", "bought"),
        ("investigation", "probe"),
        ("biggest", "largest"),
        ("companies", "firms"),
        ("unbeaten", "undefeated"),
    ],
)
def test_words_of_one_group_share_a_stem(a: str, b: str) -> None:
    assert rules.content(a) == rules.content(b)


def test_words_of_different_groups_do_not() -> None:
    assert not rules.content("talks") & rules.content("bought")
    # the antonym axes stay apart: a synonym group never joins their sides
    assert not rules.content("bought") & rules.content("sold")


def test_a_name_given_as_an_acronym_is_the_sources() -> None:
    assert rules.acronymed("the Federal Trade Commission said", "the FTC said") == {
        "federal",
        "trade",
        "commission",
    }
    assert rules.acronymed("the Justice Department", "the DOJ said") == {"justice", "department"}
    # another organisation's acronym does not cover it
    assert rules.acronymed("the Federal Trade Commission said", "the SEC said") == set()
    assert rules.acronymed("Dana Obi said", "the FTC said") == set()


def test_an_acronym_is_no_other_name() -> None:
    finding = compare(
        "The FTC opened a probe into the carrier market in March.",
        "The Federal Trade Commission opened a probe into the carrier market in March.",
        TALKS,
    )
    assert finding is None
    finding = compare(
        "The Federal Trade Commission opened a probe into the carrier market in March.",
        "The FTC opened a probe into the carrier market in March.",
        "The FTC opened a probe into the carrier market in March.",
    )
    assert finding is None
    finding = compare(
        "The Federal Reserve opened a probe into the carrier market in March.",
        "The FTC opened a probe into the carrier market in March.",
        "The FTC opened a probe into the carrier market in March.",
    )
    assert finding is not None and finding.rule == "name"


def test_a_qualifier_said_in_another_word_is_the_sources() -> None:
    assert rules.added_qualifier("Harlow is the biggest freight firm in the north.", TALKS) is None
    added = rules.added_qualifier("Harlow is the fastest freight firm in the north.", TALKS)
    assert added is not None and "fastest" in added


@pytest.mark.parametrize(
    ("claim", "source", "said"),
    [
        (
            "The board has said it intends to sack coach Ivo Marr.",
            "The board has said it intends backing coach Ivo Marr.",
            "sack",
        ),
        (
            "A Kestrel crew lost out on first place in the open class.",
            "A Kestrel crew took first place in the open class.",
            "lost out",
        ),
    ],
)
def test_new_antonyms(claim: str, source: str, said: str) -> None:
    reason = rules.reversal(claim, source)
    assert reason is not None and f"“{said}”" in reason


def test_what_it_will_take_more_to_prove_is_not_proven() -> None:
    source = "It will take trials with more patients to convince her that the drug works."
    assert rules.hedged(source)
    finding = compare("She is convinced that the drug works.", source, source)
    assert finding is not None and finding.rule == "modality"
    assert not rules.hedged("It will take two years to build the bridge.")


@pytest.fixture(scope="module")
def checker(embedder) -> Checker:
    return Checker(text_passages([TALKS]), embedder)


@pytest.mark.parametrize(
    "claim",
    [
        "Harlow Freight is negotiating a merger with three regional carriers, its chief "
        "executive said.",
        "The Federal Trade Commission launched an investigation into the carrier market in March.",
        "The FTC opened a probe into the carrier market in March.",
        "Harlow is the biggest freight company in the north of England.",
    ],
)
def test_paraphrases_in_other_words_are_supported(checker: Checker, claim: str) -> None:
    result = checker.check(claim)
    assert result.verdict == "supported", result.reason


@pytest.mark.parametrize(
    "claim",
    [
        "Harlow Freight has agreed to sell itself to a regional carrier.",
        "The Federal Reserve opened a probe into the carrier market in March.",
        "Harlow is negotiating to buy a port in Wales.",
        "Harlow sold a rail depot in Leeds last year for $40 million.",
    ],
)
def test_other_claims_in_those_words_are_not(checker: Checker, claim: str) -> None:
    result = checker.check(claim)
    assert result.verdict != "supported", result.reason


BOUT = (
    "Champion Rafe Dunmore withdrew with a knee injury from his title defence against Ilya "
    "Sorensen. In 2019, Petra Lind defended her decision to leave the festival board."
)


def test_the_opponent_swapped_is_a_swap() -> None:
    reason = rules.role_swap(
        "A knee injury forced Ilya Sorensen out of his title bout against champion Rafe Dunmore.",
        BOUT,
    )
    assert reason is not None and "Dunmore" in reason
    # the same roles, and a passive whose agent is the same, pass
    assert rules.role_swap("Dunmore pulled out of his defence against Ilya Sorensen.", BOUT) is None
    assert (
        rules.role_swap(
            "The bout was called off by Dunmore.", "The bout against Sorensen was called off."
        )
        is None
    )


def test_another_name_in_the_claims_slot_is_a_substitution() -> None:
    source = "In 2019, Petra Lind defended her decision to leave the festival board."
    reason = rules.misplaced_name(
        "In 2019 Anna Berg defended her decision to leave the festival board.", source
    )
    assert reason is not None and "Anna Berg" in reason and "Petra Lind" in reason
    # the claim's name in the sentence, a name that is a preposition's object, or a list: no
    assert rules.misplaced_name("In 2019 Petra Lind defended her decision.", source) is None
    assert (
        rules.misplaced_name(
            "Anna Berg posted the video.", "A mother of two who gives advice on Vexa posted it."
        )
        is None
    )
    assert rules.misplaced_name("Berg and Lind said it.", "Lind and Berg said it.") is None


def test_a_substituted_name_is_contradicted_even_when_a_neighbour_names_it(embedder) -> None:
    text = (
        "In 2019, Petra Lind defended her decision to leave the festival board. That choice "
        "puzzled Anna Berg, her co-founder."
    )
    checker = Checker(text_passages([text]), embedder)
    result = checker.check("In 2019 Anna Berg defended her decision to leave the festival board.")
    assert result.verdict == "contradicted" and result.sentences[0].rule == "name", result.reason
    result = checker.check("In 2019 Petra Lind defended her decision to leave the festival board.")
    assert result.verdict == "supported", result.reason


def test_a_fragment_after_an_abbreviation_is_part_of_its_sentence(embedder) -> None:
    text = (
        "The league signed a $2.1 billion deal with Orbis Media and Tallis Bros. Pictures. "
        "The agreement secures five years of revenue."
    )
    checker = Checker(text_passages([text]), embedder)
    result = checker.check(
        "The league signed a five-year, $2.1 billion deal with Orbis Media and Tallis Bros. "
        "Pictures."
    )
    assert len(result.sentences) == 1
    assert result.verdict == "supported", result.reason
