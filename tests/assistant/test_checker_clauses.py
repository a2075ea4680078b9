"""The checker's clause-level check and its newer rules, with the real embedder, on passages
written for these tests: every clause of a claim must be in the passages, and a long faithful
sentence still passes."""

from __future__ import annotations

import pytest

from assistant.checker import Checker, compare, text_passages

RESULTS = (
    "Corvane Mobility reported third-quarter revenue of $2.1 billion, short of the $2.3 billion "
    "analysts had expected. Its shares rose 6% in late trading after the company beat profit "
    "forecasts. Chief executive Hanna Liu will stay on through 2026, the board said. The firm "
    "is in talks with two regional banks about a credit line."
)
REGATTA = (
    "Only 12 of the 40 boats that started the Saltmere regatta finished the course. Reviewers "
    "criticised the new harbour wall, and the race committee called the decision to shorten the "
    "course a difficult one. Skipper Noor Vance, the world No. 3, won the final leg for the "
    "second consecutive year."
)


@pytest.fixture(scope="module")
def checker(embedder) -> Checker:
    return Checker(text_passages([RESULTS, REGATTA]), embedder)


@pytest.mark.parametrize(
    "claim",
    [
        "Corvane Mobility's third-quarter revenue was $2.1 billion, short of the $2.3 billion "
        "analysts had expected, and its shares rose 6% in late trading.",
        "Hanna Liu will stay on as chief executive through 2026, the board said, and the firm is "
        "in talks with two regional banks about a credit line.",
        "Noor Vance, ranked third in the world, won the final leg for the second year in a row.",
        "Just 12 of the 40 boats that began the Saltmere regatta completed the course.",
    ],
)
def test_long_faithful_sentences_pass(checker: Checker, claim: str) -> None:
    result = checker.check(claim)
    assert result.verdict == "supported", result.reason


@pytest.mark.parametrize(
    "claim",
    [
        "Corvane Mobility's third-quarter revenue was $2.1 billion, short of the $2.3 billion "
        "analysts had expected, and the company said it would stop selling scooters to protect "
        "its margins.",
        "Hanna Liu will stay on through 2026, and that the board plans to sell the company "
        "next year.",
        "Only 12 of the 40 boats that started the Saltmere regatta finished the course, after "
        "which the organisers cancelled next season's event.",
    ],
)
def test_an_invented_clause_is_not_supported(checker: Checker, claim: str) -> None:
    result = checker.check(claim)
    assert result.verdict == "not_found", result.reason
    assert result.sentences[0].rule == "clause"
    assert "which no passage says" in result.reason


@pytest.mark.parametrize(
    ("claim", "rule"),
    [
        ("Corvane Mobility's revenue beat analysts' expectations.", "direction"),
        ("Reviewers praised the new harbour wall.", "direction"),
        ("The race committee called shortening the course an easy decision.", "direction"),
        ("Chief executive Hanna Liu will step down, the board said.", "direction"),
        (
            "Most of the 40 boats that started the Saltmere regatta finished the course.",
            "quantifier",
        ),
        ("Hanna Liu is considering whether to stay on through 2026.", "modality"),
        ("The firm has signed a credit line with two regional banks.", "modality"),
    ],
)
def test_contradicted_by_the_newer_rules(checker: Checker, claim: str, rule: str) -> None:
    result = checker.check(claim)
    assert result.verdict == "contradicted", result.reason
    assert result.sentences[0].rule == rule


def test_a_negation_reaches_the_end_of_its_clause_only() -> None:
    statement = "Baker met Gorbachev in Moscow to discuss the future of a divided Germany."
    source = (
        "At a Moscow meeting Baker told Gorbachev that the alliance would move “not one inch "
        "eastward” if a united Germany stayed in it."
    )
    finding = compare(statement, source, source)
    assert finding is None or finding.rule != "negation"
    denied = "At a Moscow meeting Baker did not meet Gorbachev to discuss Germany."
    finding = compare(statement, denied, denied)
    assert finding is not None and finding.rule == "negation"


ARTICLE = (
    "Critics blamed the delays on pressure from shipping firms and on the authority's slow "
    "expansion of the eastern quay. "
    "The Harwick port authority said on Monday that the harbour would reopen in March. "
    "Dredging of the channel finished two weeks ahead of schedule. "
    "Fishing crews had asked for the reopening since the storm damage in the autumn. "
    "Officials stressed that the new quay is open to every licensed crew and that fees stay "
    "unchanged."
)


def test_an_invented_clause_is_not_covered_by_words_from_far_in_the_article(embedder) -> None:
    # the words of the invented clause are in the article, but not by the quoted sentence
    checker = Checker(text_passages([ARTICLE]), embedder)
    quoted = "Officials stressed that the new quay is open to every licensed crew"
    assert checker.check(quoted + ".").verdict == "supported"
    invented = quoted + ", and that the eastern expansion is a direct result of shipping pressure."
    result = checker.check(invented)
    assert result.verdict == "not_found", result.reason
    assert result.sentences[0].rule == "clause"
