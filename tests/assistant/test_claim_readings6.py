"""Readings added after claims by writers who never saw the rules showed them missing: who
speaks, currencies and shares as news writes them, idioms that deny nothing, intentions and
hedges, on sentences written for these tests (the rules alone)."""

from __future__ import annotations

import pytest

from assistant import checker
from assistant import claimroles as roles
from assistant import claimrules as rules

QUOTE = "“Demand for berths is still climbing,” Amara Quist, the marina's manager, said."
HE_BEFORE = "Boat owners are queueing for years, says Tomas Reyes, who chairs the owners' club."
HE = "“There is still plenty of room to grow,” he notes."


@pytest.mark.parametrize(
    ("claim", "evidence", "before", "fires"),
    [
        ("Harbour chief Lena Voss said demand for berths is still climbing.", QUOTE, "", True),
        ("Amara Quist said demand for berths is still climbing.", QUOTE, "", False),
        ("The marina's manager said demand for berths is still climbing.", QUOTE, "", False),
        ("“There is still plenty of room to grow,” Mayor Ida Brandt said.", HE, HE_BEFORE, True),
        ("Tomas Reyes says there is still plenty of room to grow.", HE, HE_BEFORE, False),
        # "he" with no named speaker before it: nothing to set against the claim's speaker
        (
            "Ida Brandt said there is still plenty of room to grow.",
            HE,
            "Boats are queueing.",
            False,
        ),
        # the claim's speaker is the one the source names, in initials
        (
            "Marina Harbour Authority said demand is still climbing.",
            "MHA said demand is still climbing.",
            "",
            False,
        ),
    ],
)
def test_the_claim_gives_the_words_to_another_speaker(
    claim: str, evidence: str, before: str, fires: bool
) -> None:
    reason = roles.wrong_speaker(claim, evidence, before, frozenset(rules.names(evidence)))
    assert (reason is not None) == fires, reason


def test_compare_reports_a_wrong_speaker_as_attribution() -> None:
    # the claim's speaker is named elsewhere (the title), so no name is missing; the words
    # are the speaker's of the sentence before
    claim = "“There is still plenty of room to grow,” Mayor Ida Brandt said."
    window = f"Ida Brandt opens the new marina {HE_BEFORE} {HE}"
    finding = checker.compare(claim, HE, window, frozenset(rules.names(window)), HE_BEFORE)
    assert finding is not None and finding.rule == "attribution", finding
    assert "Tomas Reyes" in finding.reason


@pytest.mark.parametrize(
    ("text", "value", "kind", "unit"),
    [
        ("bids passed $US30 million", 30e6, "money", "$"),
        ("bids passed US$30 million", 30e6, "money", "$"),
        ("a loan of A$12 billion", 12e9, "money", "A$"),
        ("raising NIS 220 million in debt", 220e6, "money", "NIS"),
        ("roughly two in three households", 200 / 3, "percent", "ratio"),
        ("one out of five voters", 20.0, "percent", "ratio"),
        ("the index gained 25 points", 25.0, "count", "points"),
    ],
)
def test_figures_as_news_writes_them(text: str, value: float, kind: str, unit: str) -> None:
    found = rules.numbers(text)
    n = next((m for m in found if m.unit in ("ratio", "whole")), found[0])
    assert (round(n.value, 3), n.kind, n.unit) == (round(value, 3), kind, unit)


def test_a_ratio_is_not_read_from_a_span_of_time() -> None:
    assert all(n.unit != "ratio" for n in rules.numbers("She scored two in three minutes."))


FOOD = "About 64% of households are food insecure, the survey found."


@pytest.mark.parametrize(
    ("claim", "rule"),
    [
        ("Roughly two in three households are food insecure, the survey found.", None),
        ("Roughly one in three households are food insecure, the survey found.", "number"),
    ],
)
def test_a_share_written_as_a_ratio(claim: str, rule: str | None) -> None:
    finding = checker.compare(claim, FOOD, FOOD)
    assert (finding.rule if finding else None) == rule, finding


INDEX = "The Kestrel index has risen more than 25 per cent this year, the exchange said."
DEBT = "Halden Group is setting out to raise NIS 220 million in debt, the company said."


@pytest.mark.parametrize(
    ("claim", "source", "rule"),
    [
        ("The Kestrel index has gained more than 25 points this year.", INDEX, "unit"),
        ("The Kestrel index is up more than 25% this year.", INDEX, None),
        ("Halden Group is setting out to raise $220 million in debt.", DEBT, "unit"),
        ("Halden Group has completed a NIS 220 million debt raise.", DEBT, "modality"),
        ("Halden Group is setting out to raise NIS 220 million in debt.", DEBT, None),
    ],
)
def test_units_and_intentions(claim: str, source: str, rule: str | None) -> None:
    finding = checker.compare(claim, source, source)
    assert (finding.rule if finding else None) == rule, finding


@pytest.mark.parametrize(
    ("claim", "source", "negated"),
    [
        # idioms with a negation word that deny nothing
        (
            "The code has 40 signatories, including platforms and fact-checkers.",
            "The code has 40 signatories, covering not just platforms but also fact-checkers.",
            False,
        ),
        (
            "The author's new book, his second, is about doubt.",
            "It is no accident that the author's new book, his second, is about doubt.",
            False,
        ),
        # "unless" is "if not"; "lack" is "do not have"
        (
            "The fund will close unless the council approves the grant.",
            "The fund will close if the council does not approve the grant.",
            False,
        ),
        (
            "Two in three households lack reliable access to food.",
            "Most households do not have reliable access to food.",
            False,
        ),
        # a real denial still counts
        ("The council approved the budget.", "The council did not approve the budget.", True),
    ],
)
def test_negations_that_deny_and_idioms_that_do_not(claim: str, source: str, negated: bool) -> None:
    shared = rules.content(claim) & rules.content(source)
    differs = checker._polarity(claim, shared) != checker._polarity(source, shared)
    assert differs == negated


CONCERT = "Dahl reportedly rented the rooftop bar for the after-party."


def test_a_hearsay_hedge_does_not_make_a_done_thing_pending() -> None:
    claim = "Dahl is reportedly considering renting the rooftop bar for the after-party."
    shared = rules.content(claim) & rules.content(CONCERT)
    assert rules.understated_certainty(claim, CONCERT, shared) is not None
    weighing = "Dahl may rent the rooftop bar for the after-party."
    assert rules.understated_certainty(claim, weighing, shared) is None


def test_a_hedge_reaches_no_further_than_its_quote() -> None:
    source = (
        "“I think next year can be a great year for us,” Ruiz said, adding the firm has "
        "grown its sales team by a fifth over the past year."
    )
    claim = "Ruiz said the firm has grown its sales team by a fifth over the past year."
    shared = rules.content(claim) & rules.content(source)
    assert rules.overstated_certainty(claim, source, shared) is None
    certain = "Ruiz said he was certain next year will be a great year for the firm."
    shared = rules.content(certain) & rules.content(source)
    assert rules.overstated_certainty(certain, source, shared) is not None


@pytest.mark.parametrize(
    ("claim", "window", "added"),
    [
        ("She built its huge delivery network.", "She built its mammoth delivery network.", False),
        ("The index beat nearly every other market.", "It beat almost all other markets.", False),
        ("The index beat every other market.", "It beat almost all other markets.", True),
    ],
)
def test_qualifiers_the_source_says_in_other_words(claim: str, window: str, added: bool) -> None:
    assert (rules.added_qualifier(claim, window) is not None) == added


def test_one_as_an_article_needs_no_figure() -> None:
    source = "Among its new products is Tidewall, which links separate firewalls."
    claim = "One new product, Tidewall, links separate firewalls."
    assert checker.compare(claim, source, source) is None
    rival = "The firm launched two new products, Tidewall and Reefline."
    finding = checker.compare("The firm launched one new product, Tidewall.", rival, rival)
    assert finding is not None and finding.rule == "number"


def test_a_typographic_apostrophe_is_read_as_a_plain_one() -> None:
    assert rules.content("after their mother’s death") == rules.content("their mother's death")


def test_a_time_in_hours_and_minutes_is_also_read_in_minutes() -> None:
    source = "On the long test the battery lasted two hours and 20 minutes."
    assert (
        checker.compare("On the long test the battery lasted 140 minutes.", source, source) is None
    )
    finding = checker.compare("On the long test the battery lasted 150 minutes.", source, source)
    assert finding is not None and finding.rule == "number"


@pytest.mark.parametrize(
    ("claim", "source", "rule"),
    [
        # "a few" is some, not few
        (
            "Startups and a few older carmakers make small cars.",
            "Many startups and some older carmakers make small cars.",
            None,
        ),
        ("Few startups make small cars.", "Many startups make small cars.", "quantifier"),
        # "worse" against "better"
        (
            "The earbuds have a sportier design than the older model, though their sound is worse.",
            "The earbuds offer a sportier design and better sound than the older model.",
            "direction",
        ),
    ],
)
def test_quantities_and_directions(claim: str, source: str, rule: str | None) -> None:
    finding = checker.compare(claim, source, source)
    assert (finding.rule if finding else None) == rule, finding


def test_a_ranking_compound_is_a_qualifier() -> None:
    window = "The index has risen 25 per cent this year, outperforming almost all others."
    claim = "The index has been the single best-performing index this year."
    assert rules.added_qualifier(claim, window) is not None
    assert (
        rules.added_qualifier("It is the best-selling car.", "It is the best-selling car.") is None
    )


@pytest.mark.parametrize(
    ("claim", "appended"),
    [
        ("The van was among this year's failed models after Vantrix pulled it from sale.", True),
        ("She wore a green suit to the match, an outfit her sister had picked out.", True),
        ("The van was among this year's failed models.", False),
    ],
)
def test_a_clause_after_after_or_an_apposition_is_checked_on_its_own(
    claim: str, appended: bool
) -> None:
    assert bool(rules.added_clauses(claim)) == appended


def test_words_a_named_speaker_says_about_another_are_not_the_other_s() -> None:
    source = "Coach Ines Duarte said it would be “too soon” for Kowalski to return this week."
    known = frozenset(rules.names(source))
    claim = "Kowalski himself said it would be “too soon” to return this week."
    assert roles.wrong_speaker(claim, source, "", known) is not None
    claim = "Ines Duarte said it would be “too soon” for Kowalski to return this week."
    assert roles.wrong_speaker(claim, source, "", known) is None


@pytest.mark.parametrize(
    ("claim", "fires"),
    [
        ("The grants scheme will move from Redwater to Eastmoor, the council says.", True),
        ("The grants scheme will move from Eastmoor to Redwater, the council says.", False),
    ],
)
def test_from_one_to_the_other_the_wrong_way(claim: str, fires: bool) -> None:
    source = "The grants scheme will now move from Eastmoor to Redwater, the council says."
    finding = checker.compare(claim, source, source)
    assert (finding is not None and finding.rule == "swap") == fires, finding


def test_a_swap_around_a_longer_phrase() -> None:
    source = "Okafor got off to a flying start, hitting Brandt with heavy shots in round one."
    claim = "Brandt made a flying start, hitting Okafor with heavy shots in round one."
    finding = checker.compare(claim, source, source, frozenset(rules.names(source)))
    assert finding is not None and finding.rule == "swap", finding


def test_the_parts_of_a_ratio_or_a_time_are_read_with_it() -> None:
    source = "Okafor won 3 in 5 seasons at the club."
    assert (
        checker.compare("Okafor won three titles in five seasons at the club.", source, source)
        is None
    )
    source = "Okafor won three titles in five seasons at the club."
    assert checker.compare("Okafor won 3 in 5 seasons at the club.", source, source) is None
    source = "The test ran 140 minutes."
    assert checker.compare("The test ran two hours and 20 minutes.", source, source) is None
    smokers = "About 9% of adults smoke, the survey found."
    finding = checker.compare("One in 20 adults smokes, the survey found.", smokers, smokers)
    assert finding is not None and finding.rule == "number"  # 5% is not about 9%


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        # a one-sided "unless" or "lack" is no negation of its own
        ("The union will strike over pay.", "The union will strike unless pay rises."),
        ("The team needs a new striker.", "The team lacks a new striker."),
        # points and per cent are one in a poll's lead
        (
            "Labour leads by 5 points in the latest poll.",
            "Labour has a 5% lead in the latest poll.",
        ),
        # the source gives both directions
        (
            "Return flights run from Lisbon to Porto.",
            "Flights run from Porto to Lisbon and from Lisbon to Porto.",
        ),
    ],
)
def test_no_objection(claim: str, source: str) -> None:
    assert checker.compare(claim, source, source, frozenset(rules.names(source))) is None


@pytest.mark.parametrize(
    ("claim", "source", "rule"),
    [
        (
            "Smith was as fast as Jones in the final.",
            "Smith was not as fast as Jones in the final.",
            "negation",
        ),
        (
            "Thousands of angry protesters marched.",
            "A handful of protesters marched.",
            "quantifier",
        ),
    ],
)
def test_objections_kept(claim: str, source: str, rule: str) -> None:
    finding = checker.compare(claim, source, source, frozenset(rules.names(source)))
    assert finding is not None and finding.rule == rule, finding


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("Microsoft, which owns GitHub, said revenue rose.", [{"microsoft"}]),
        ("In Paris, the minister said taxes would rise.", []),
        ("Amara Quist, the marina's manager, said demand is up.", [{"amara", "quist"}]),
    ],
)
def test_who_speaks(text: str, speakers: list[set[str]]) -> None:
    known = frozenset(rules.names(text)) | {"microsoft"}  # the passages' names, as a checker has
    found, _ = roles._speakers(text, known)
    assert [set(s) for s in found] == speakers


def test_he_may_be_anyone_named_just_before() -> None:
    before = "The White House said Joe Biden would speak in Ohio. Biden arrived on Monday."
    evidence = "Inflation is falling, he said."
    known = frozenset(rules.names(before + " " + evidence))
    assert roles.wrong_speaker("Biden said inflation was falling.", evidence, before, known) is None


def test_a_rate_is_read_only_up_to_the_next_figure() -> None:
    from assistant.claimunits import wrong_measure

    source = "The firm earned $5bn last year, or about $100m a week."
    assert wrong_measure("The firm earns $5bn a year.", source) is None
    assert (
        wrong_measure("Sales rose 10% in a year.", "Sales rose 10%, or about $2m a month.") is None
    )


def test_currency_prefixes() -> None:
    (n,) = rules.numbers("The loan was worth CA$5 million.")
    assert (n.unit, n.value) == ("C$", 5e6)


def test_a_checker_reads_the_speaker_of_an_earlier_sentence() -> None:
    from assistant.checker import Checker
    from vectorstore.types import Passage

    text = (
        "Boat owners are queueing for years, says Tomas Reyes, who chairs the owners' club. "
        "“There is still plenty of room to grow,” he notes."
    )
    # the claim's speaker is in the title, so no name is missing: only the speaker reading
    # (the sentence before the quote, which Checker passes on) can tell
    passage = Passage("d#0", "d", text, 0, len(text), "Ida Brandt opens the marina", "", "", "", "")

    class Fixed:
        def embed(self, texts: list[str]) -> list[list[float]]:
            return [[1.0, 0.0] for _ in texts]

    claim = "“There is still plenty of room to grow,” Ida Brandt said."
    check = Checker([passage], Fixed()).check(claim)  # type: ignore[arg-type]
    assert check.verdict == "contradicted" and "Tomas Reyes" in check.reason, check.reason
