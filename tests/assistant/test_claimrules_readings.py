"""How the rules read figures, negations, qualifiers and names in everyday news English
(sentences written for these tests; the rules alone)."""

from __future__ import annotations

import pytest

from assistant import claimrules as rules
from assistant.checker import _reversed_result


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("The board dismissed the coach on Monday.", False),
        ("The board dismissed the allegations on Monday.", True),
        ("The minister dismissed claims that the port would close.", True),
    ],
)
def test_dismissing_someone_is_no_negation(text: str, negated: bool) -> None:
    assert rules.negated(text) == negated


def test_figures_written_in_words_and_compounds() -> None:
    found = {(n.value, n.kind) for n in rules.numbers("The trio signed a 674-million-dollar deal.")}
    assert found == {(3.0, "count"), (674e6, "money")}
    assert rules.numbers("Ana Ruiz, one of the finalists, spoke first.") == ()
    assert [n.kind for n in rules.numbers("the lowest in 13 years, four series")] == [
        "duration",
        "count",
    ]


@pytest.mark.parametrize(
    ("claim", "source", "given"),
    [
        # a figure of another kind does not stand in for a rival of the claim's kind
        ("They have won five series.", "They have won four series in nearly five years.", False),
        ("They have won four series.", "They have won four series in nearly five years.", True),
        # the parts of a score
        ("The vote went 221 to 212.", "The chamber split 221-212 on the bill.", True),
        ("The chamber split 221-212.", "The vote went 221 to 212.", True),
        ("The chamber split 221-210.", "The vote went 221 to 212.", False),
    ],
)
def test_a_figure_the_source_gives(claim: str, source: str, given: bool) -> None:
    claimed, found = rules.numbers(claim), rules.numbers(source)
    assert all(rules.given(n, found, claimed) for n in claimed) == given


@pytest.mark.parametrize(
    ("claim", "source", "added"),
    [
        ("She is second on the all-time list.", "She is second overall on the list.", False),
        ("Rates hit 8%, the highest level this century.", "Rates hit 8%, a record.", False),
        ("Rates hit 8%, the highest level this century.", "Rates hit 8% this week.", True),
    ],
)
def test_qualifiers_the_source_says_otherwise(claim: str, source: str, added: bool) -> None:
    assert (rules.added_qualifier(claim, source) is not None) == added


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("Port Alder beat Kessel Bay 3-2 in the series.", False),
        ("Kessel Bay beat Port Alder 3-2 in the series.", True),
    ],
)
def test_a_win_for_a_team_names_the_winner(claim: str, fires: bool) -> None:
    source = (
        "After Kessel Bay's collapse in the fourth game, the series ended with a 3-2 triumph for "
        "Port Alder."
    )
    known = frozenset(rules.names(source))
    assert (_reversed_result(claim, source, known) is not None) == fires


def test_a_name_sharing_a_word_with_another_is_another_name() -> None:
    source = "Alder State has hired Mara Quist as its next head coach, the school said."
    claim = "Dunmore State has hired Alder State's Mara Quist as its next head coach."
    reason = rules.misplaced_name(claim, source, frozenset(rules.names(source)))
    assert reason is not None and "Dunmore State" in reason
    same = "Quist has been hired as the next head coach of Alder State."
    assert rules.misplaced_name(same, source, frozenset(rules.names(source))) is None


@pytest.mark.parametrize(
    ("claim", "source", "fires"),
    [
        # the "-ing" form of an axis word is on its side
        ("Both apps climbed the charts this year.", "Both apps are slipping in the charts.", True),
        # ...and no other form: "contract" the noun is no "contracted"
        (
            "The deal brings the league 40% more than its current contract.",
            "The deal is a 40% increase on the league's current contract.",
            False,
        ),
        ("The firm has complied with the regulator's order.", "The firm flouted the order.", True),
        ("Her salary is smaller than his.", "Her salary has outpaced his.", True),
        ("By 2030 the city will still rank behind Lyon.", "By 2030 it will surpass Lyon.", True),
    ],
)
def test_direction_words_in_other_forms(claim: str, source: str, fires: bool) -> None:
    assert (rules.reversal(claim, source) is not None) == fires


def test_a_compound_shares_its_words() -> None:
    assert rules.content("a puck-sized light") >= rules.content("the size of a puck")
    assert rules.content("a well-known singer") == rules.content("a famous singer")
    assert "two" not in rules.content("two-thirds of exports")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("output is projected to double", "output is forecast to double"),
        ("the watchdog is worried", "the regulator is concerned"),
        ("the outside of the hall", "the hall's exterior"),
    ],
)
def test_news_synonyms(a: str, b: str) -> None:
    assert rules.content(a) == rules.content(b)


def test_a_sentence_opener_never_written_in_lower_case_is_a_name() -> None:
    texts = ["Zillow followed suit. Analysts said the move was late.", "The analysts agreed."]
    assert rules.opening_names(texts) == frozenset(["zillow"])


@pytest.mark.parametrize(
    ("claim", "source", "fires"),
    [
        (
            "Cases rose to 900 and about as many recovered.",
            "Cases rose to 900; half that many recovered.",
            True,
        ),
        (
            "Cases rose to 900 and twice as many recovered.",
            "Cases rose to 900; half that many recovered.",
            True,
        ),
        (
            "Cases rose to 900 and half as many recovered.",
            "Cases rose to 900; half that many recovered.",
            False,
        ),
        ("As many as 900 people recovered.", "Half that many recovered.", False),
    ],
)
def test_a_ratio_in_words(claim: str, source: str, fires: bool) -> None:
    assert (rules.wrong_ratio(claim, source) is not None) == fires


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("She would not be coaching had it not been for her first mentor.", False),
        ("She would not be coaching without her first mentor.", False),
        ("She owes nothing to her first mentor.", True),
    ],
)
def test_a_counterfactual_affirms(text: str, negated: bool) -> None:
    from assistant.checker import _polarity

    assert _polarity(text, {"mentor", "first"}) == negated


def test_a_currency_sign_says_its_word() -> None:
    assert "dollar" in rules.content("a prize of about $1 million")
    assert rules.content("$5") == rules.content("five dollars") - {"five"}


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("Mill profits halved to $40 million.", True),
        ("Mill profits doubled to $40 million.", False),
    ],
)
def test_a_change_after_a_figure_is_read_with_it(claim: str, fires: bool) -> None:
    source = "The mill reported record profits of $40 million, double the year before."
    assert (rules.reversal(claim, source) is not None) == fires


def test_a_fraction_of_a_point() -> None:
    found = {n.value for n in rules.numbers("raised rates by a quarter point to 4%")}
    assert found == {0.25, 4.0}
    assert rules.given(rules.numbers("by 0.25 points")[0], rules.numbers("a quarter point"))
