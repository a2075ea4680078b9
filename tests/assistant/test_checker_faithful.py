"""Faithful claims that touch what the role, figure, name and cause rules read, checked with
the real embedder against passages written for these tests: none of those rules may object."""

from __future__ import annotations

import pytest

from assistant.checker import Checker, text_passages

PASSAGES = [
    "Halden Foods has agreed to buy Brightwater Dairy for $420 million, the companies said on "
    "Monday. Brightwater's founder, Ana Ruiz, will report to Halden chief executive Tomas "
    "Reiner once the deal closes.",
    "Diesel made up 48 per cent of the depot's sales last year, followed by petrol (31 per "
    "cent) and heating oil (9 per cent). Prices rose as the winter set in.",
    "The Harbour Gazette's columnist Okonkwo wrote that the club's spending had been reckless. "
    "Lindqvist, the manager, said he still had the backing of the board.",
    "Kessel Bay beat Port Alder 3-1 on Saturday, a fourth straight win for the league leaders. "
    "It was the first time since 2019 that Port Alder had lost four games in a row.",
    "The regulator fined Corvane Mobility €2 million for breaching data rules, and the company "
    "said it would comply with the order. Corvane's shares fell 4% after the ruling.",
    "Mara Quist has been named interim head coach of Alder State, replacing Piet Varga, who was "
    "dismissed on Sunday after three seasons.",
]


@pytest.fixture(scope="module")
def checker(embedder) -> Checker:
    return Checker(text_passages(PASSAGES), embedder)


@pytest.mark.parametrize(
    "claim",
    [
        "Halden Foods agreed to acquire Brightwater Dairy for $420 million.",
        "Brightwater Dairy is being bought by Halden Foods for $420 million.",
        "Ana Ruiz will report to Tomas Reiner after the deal closes.",
        "Petrol came second in the depot's sales last year, behind diesel.",
        "Heating oil accounted for 9 per cent of the depot's sales.",
        "Diesel made up a larger share of the depot's sales than petrol.",
        "Okonkwo wrote in the Harbour Gazette that the club's spending had been reckless.",
        "Kessel Bay beat Port Alder 3-1, their fourth straight win.",
        "Port Alder lost four games in a row for the first time since 2019.",
        "Corvane Mobility was fined 2 million euros for breaching data rules.",
        "Corvane said it would comply with the regulator's order.",
        "Corvane's shares fell 4% after the ruling.",
        "Mara Quist has been named interim head coach of Alder State.",
        "Alder State dismissed Piet Varga on Sunday after three seasons.",
    ],
)
def test_a_faithful_claim_is_supported(checker: Checker, claim: str) -> None:
    result = checker.check(claim)
    assert result.verdict == "supported", result.reason


MORE = [
    "Toyota sold 2.4 million vehicles in the quarter, ahead of Volkswagen (2.1 million) and "
    "Hyundai (1.6 million), the firms' figures show. Toyota's chief executive, Koji Sato, said "
    "demand in the US remained strong.",
    "The city council voted 7-2 on Tuesday to approve the new stadium, which will cost $1.2 "
    "billion. Councillor Maria Lopez, who voted against it, said the money should go to housing "
    "instead.",
    "Sweden's Anna Lind won the 10km race in 31 minutes, beating Kenya's Faith Cheruto by four "
    "seconds. It was Lind's first major title after two second-place finishes.",
    "The UK government will ban the sale of new petrol cars from 2035, five years later than "
    "planned, Prime Minister Rishi Sunak said.",
]


@pytest.fixture(scope="module")
def more(embedder) -> Checker:
    return Checker(text_passages(MORE), embedder)


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("Volkswagen came second with 2.1 million vehicles sold.", "supported"),
        ("Hyundai sold the fewest vehicles of the three.", "supported"),
        ("Toyota boss Koji Sato said demand in America remained strong.", "supported"),
        ("Lind, who is Swedish, won in 31 minutes; it was her first major title.", "supported"),
        ("Britain will ban sales of new petrol cars from 2035, Rishi Sunak said.", "supported"),
        ("Hyundai came second with 1.6 million vehicles.", "contradicted"),
        ("Volkswagen sold more vehicles in the quarter than Toyota.", "contradicted"),
        ("Maria Lopez voted for the stadium.", "contradicted"),
        ("Faith Cheruto beat Anna Lind by four seconds.", "contradicted"),
    ],
)
def test_claims_about_lists_names_and_votes(more: Checker, claim: str, verdict: str) -> None:
    result = more.check(claim)
    assert result.verdict == verdict, result.reason


THIRD = [
    "Amazon founder Jeff Bezos sold about $2 billion of Amazon stock this week, according to a "
    "regulatory filing. Bezos, who stepped down as chief executive in 2021, still owns roughly "
    "9% of the company.",
    "The European Central Bank raised interest rates by a quarter point to 4%, its tenth "
    "consecutive increase. ECB president Christine Lagarde said inflation was still too high.",
    "Apple was ordered by a Dutch court to pay $300 million to Nokia for infringing three "
    "patents. Apple said it would appeal the ruling, which it called unfair.",
    "Ford will cut 3,000 jobs in Europe, mostly in Germany, as it shifts to electric vehicles, "
    "the carmaker said.",
]


@pytest.fixture(scope="module")
def third(embedder) -> Checker:
    return Checker(text_passages(THIRD), embedder)


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("Bezos, who left the CEO job in 2021, still holds about 9% of Amazon.", "supported"),
        ("The ECB lifted rates by 0.25 points to 4%, its tenth straight rise.", "supported"),
        ("A Dutch court ordered Apple to pay Nokia $300 million.", "supported"),
        ("Most of Ford's 3,000 European job cuts will be in Germany.", "supported"),
        ("Nokia was ordered to pay Apple $300 million.", "contradicted"),
        ("The ECB cut interest rates by a quarter point to 4%.", "contradicted"),
        ("Ford will cut 3,000 jobs in Europe, mostly in France.", "contradicted"),
    ],
)
def test_claims_with_acronyms_fractions_and_payers(
    third: Checker, claim: str, verdict: str
) -> None:
    result = third.check(claim)
    assert result.verdict == verdict, result.reason


FOURTH = [
    "Tesla delivered 435,059 vehicles in the third quarter, down from 466,140 in the second. "
    "Analysts had expected about 455,000.",
    "Disney's streaming business lost $512 million in the quarter, narrower than the $1.1 "
    "billion loss a year earlier, the company said.",
]


@pytest.mark.parametrize(
    ("claim", "verdict"),
    [
        ("Tesla's third-quarter deliveries fell to 435,059 from 466,140.", "supported"),
        (
            "Disney's streaming arm lost $512 million in the quarter, less than the $1.1 billion "
            "it lost a year before.",
            "supported",
        ),
        ("Disney's streaming losses widened to $512 million.", "contradicted"),
    ],
)
def test_comparisons_across_scales(embedder, claim: str, verdict: str) -> None:
    result = Checker(text_passages(FOURTH), embedder).check(claim)
    assert result.verdict == verdict, result.reason


FIFTH = [
    "Real Madrid signed Jude Bellingham from Borussia Dortmund for an initial €103 million in "
    "June.",
    "Walmart will raise the starting wage for its US store workers to $14 an hour from $12, "
    "the retailer said.",
]


@pytest.mark.parametrize(
    "claim",
    [
        # another verb ("joined" for "signed"): no subject swap
        "Jude Bellingham joined Real Madrid from Dortmund in June for an initial 103 million.",
        # "to $14 from $12" is one thing's change, no list of two entries
        "Walmart is lifting its US starting wage from $12 to $14 an hour.",
    ],
)
def test_a_converse_verb_and_a_range_are_supported(embedder, claim: str) -> None:
    result = Checker(text_passages(FIFTH), embedder).check(claim)
    assert result.verdict == "supported", result.reason
