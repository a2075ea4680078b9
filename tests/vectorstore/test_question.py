"""Reading a question: its kind, key terms and names, in the forms people type."""

from __future__ import annotations

import pytest

from vectorstore.query import QueryAnalyzer, QueryPlan
from vectorstore.question import (
    forms,
    named_whole,
    names,
    publications,
    publishers,
    read_question,
    years,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who restored the lighthouse lens?", "who"),
        ("when did the ferry start sailing", "when"),
        ("Where is the cider press?", "where"),
        ("How many prisms were replaced?", "quantity"),
        ("Tell me about the lens. What did it cost?", "quantity"),
        ("Which countries joined the alliance in 2004?", "list"),
        ("List the routes that start at the depot", "list"),
        ("Which company makes the lens?", "entity"),
        ("Did the council promise to keep the pier open?", "yesno"),
        ("Compare the views of Ferreira and Rourke on the pier.", "comparison"),
        ("Summarize what the mayor said about the budget", "open"),
        ("Explain why the pier was closed", "open"),
        ("Did the board report on the river before or after the vote?", "temporal"),
    ],
)
def test_kind(question: str, kind: str) -> None:
    assert read_question(question).kind == kind


def test_named_sources_make_a_comparison_or_a_temporal_question() -> None:
    analyzer = QueryAnalyzer({"Harbor Times", "Valley Ledger"}, set())
    plan = analyzer.analyze(
        "Does the Harbor Times article say the pier closed, while the Valley Ledger says it is "
        "open?"
    )
    assert plan.kind == "comparison"
    plan = analyzer.analyze(
        "Between the Harbor Times report published on May 2, 2023, and the Valley Ledger "
        "report published on June 9, 2023, did the pier's status change?"
    )
    assert plan.kind == "temporal"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Compare the views of Sachs and Mearsheimer on enlargement.", ["Sachs", "Mearsheimer"]),
        ("Summarize what Putin said about joining NATO", ["Putin", "NATO"]),
        ("Between October and November, what did Google's Gemini do?", ["Google", "Gemini"]),
        ("Considering the report, who is Sam Bankman-Fried?", ["Sam Bankman-Fried"]),
        ("describe the NATO-Russia Council", ["NATO-Russia Council"]),
        ("what did the mayor say", []),
    ],
)
def test_names_are_never_sentence_openers_verbs_or_months(
    question: str, expected: list[str]
) -> None:
    assert names(question) == expected


def test_key_terms_leave_out_question_words_and_requests() -> None:
    plan = QueryPlan.read("Summarize what Putin said about joining NATO")
    assert plan.terms == ("putin", "joining", "nato")
    assert plan.request


def test_publications_named_as_publishers() -> None:
    question = (
        "Considering an article from The Verge and a report by Bloomberg, and according to "
        "Fortune, which model sold best?"
    )
    assert publications(question) == ["The Verge", "Bloomberg", "Fortune"]


def test_clauses_split_where_a_question_joins_two_statements() -> None:
    question = (
        "Does the Harbor Times say the pier closed on May 6, 2024, while the Valley Ledger "
        "reports 40,000 visitors, and who paid for the repairs?"
    )
    assert read_question(question).clauses == (
        "Does the Harbor Times say the pier closed on May 6, 2024",
        "while the Valley Ledger reports 40,000 visitors",
        "and who paid for the repairs",
    )
    assert read_question("How many ferries did Orkney buy from Norway in 2021?").clauses == (
        "How many ferries did Orkney buy from Norway in 2021",
    )
    assert len(read_question("Is the new ferry faster than the old one?").clauses) == 2


def test_days_figures_and_adjectives_are_not_entities() -> None:
    shape = read_question(
        "Which AI-powered ferry, launched by Orkney on November 16th, carries 300 cars?"
    )
    assert shape.entities == ("Orkney",)
    assert "ai-powered" in shape.terms


def test_a_comma_ends_a_name() -> None:
    assert names("The film follows Thomas, David, and the detective") == ["Thomas", "David"]


def test_a_publisher_named_before_the_article() -> None:
    assert publishers("Based on a Harbor Times article and the 'Valley Ledger' report") == [
        "Harbor Times",
        "Valley Ledger",
    ]
    assert publishers("Does the article say the ferry is late?") == []


def test_an_amount_is_not_a_year() -> None:
    assert years("a bonus of up to $2000 in 2023") == {"2023"}


def test_a_comparison_word_joins_two_clauses() -> None:
    question = (
        "Did the Harbor Times article on the pier report a rise similar to the one the "
        "Valley Ledger article on the dock reported?"
    )
    assert len(read_question(question).clauses) == 2
    question = "Did the article on the pier and the article on the dock both report a rise?"
    assert len(read_question(question).clauses) == 2


def test_an_initial_does_not_end_a_sentence() -> None:
    assert names("the game in which A.J. Dillon scored twice") == ["A.J Dillon"]


def test_another_article_by_a_publisher() -> None:
    question = "Based on an article by the Harbor Times and another by Valley Ledger, who won?"
    assert publications(question) == ["Harbor Times", "Valley Ledger"]


def test_according_to_opens_a_question() -> None:
    assert publications("According to The Lowland Gazette, who built the ferry?") == [
        "The Lowland Gazette"
    ]


def test_coverage_of_a_name_names_a_topic() -> None:
    question = "Was the coverage of Orkney Ferries in a report by the Harbor Times fair?"
    assert publications(question) == ["Harbor Times"]


def test_a_kind_of_report_between_publisher_and_noun() -> None:
    assert publishers("Does a Harbor Sport match report say who scored?") == ["Harbor Sport"]


def test_place_adjectives_and_their_places() -> None:
    assert "Canada" in forms("Canadian")
    assert "Japan" in forms("Japanese")
    assert "Poland" in forms("Polish")
    assert forms("Orkney Ferries") == []
    assert forms("Messi") == []


def test_a_name_whole_or_not_at_all() -> None:
    assert named_whole("The Harbor Times", "a harbor times report")
    assert not named_whole("Harbor Sport", "harbor sporting news")


@pytest.mark.parametrize(
    ("question", "speaker", "topic"),
    [
        ("What did Lena Ortiz say about the tram line?", "Lena Ortiz", "the tram line"),
        (
            "According to the Harbor Times, what did Mayor Lena Ortiz say about the tram "
            "line in March 2024?",
            "Lena Ortiz",
            "the tram line",
        ),
        ("What did Dr. Raj Patel of the Dock Trust say on fares?", "Raj Patel", "fares"),
        ("What did Lena Ortiz tell reporters about the budget?", "Lena Ortiz", "the budget"),
        ("What did Lena Ortiz tell Raj Patel after the vote?", "Lena Ortiz", "Raj Patel"),
        ("How did Orkney Ferries react to the strike?", "Orkney Ferries", "the strike"),
        (
            "How did Bram van Dijk respond to Lena Ortiz's comments that fares were too high?",
            "Bram van Dijk",
            "Lena Ortiz's comments that fares were too high",
        ),
        ("What was Lena Ortiz's reaction to the vote?", "Lena Ortiz", "the vote"),
        ("Summarize what Lena Ortiz said about the pier", "Lena Ortiz", "the pier"),
        ("How did Lena Ortiz describe the budget?", "Lena Ortiz", "the budget"),
        (
            "Did Lena Ortiz tell reporters that the pier would close?",
            "Lena Ortiz",
            "that the pier would close",
        ),
        ("Has Orkney Ferries denied the report?", "Orkney Ferries", "the report"),
        # a role before the name: the name is the capitalised run after it
        ("What did Harbor United manager Lena Ortiz say about the loss?", "Lena Ortiz", "the loss"),
        ("What did the club's head coach Raj Patel say about the fans?", "Raj Patel", "the fans"),
        # an article about a person is no role of that person: the article is what speaks
        ("Does the Harbor Times article about Raj Patel suggest he will stay?", "", ""),
        ("Did Lena Ortiz open the pier?", "", ""),
        # no named speaker: nothing to check the statement against
        ("What did the council say about the pier?", "", ""),
        ("What did Lena Ortiz's office say about the pier?", "", ""),
        ("What did Lena Ortiz build in 2019?", "", ""),
    ],
)
def test_who_a_question_asks_to_have_said_what(question: str, speaker: str, topic: str) -> None:
    shape = read_question(question)
    assert (shape.speaker, shape.topic) == (speaker, topic)
    assert (QueryPlan.read(question).speaker, QueryPlan.read(question).topic) == (speaker, topic)


@pytest.mark.parametrize(
    ("question", "sides", "kind"),
    [
        ("According to the Harbor Times, how many cars does the ferry carry?", 0, "quantity"),
        ("According to the Harbor Times, who repaired the pier?", 0, "who"),
        ("Based on a Valley Ledger report, when did the strike start?", 0, "when"),
        ("Considering the reports by A and B on the port, which company built it?", 0, "entity"),
        # the sides a lead-in names still make the comparison
        (
            "Considering the Harbor Times report and the Valley Ledger report, did the ferry "
            "sail before the strike?",
            2,
            "temporal",
        ),
    ],
)
def test_the_kind_is_read_after_a_lead_in(question: str, sides: int, kind: str) -> None:
    assert read_question(question, sides).kind == kind


def test_one_named_source_and_a_date_make_no_temporal_question() -> None:
    question = (
        "According to the Harbor Times, how many cars did the ferry carry in May 2024 after "
        "the strike?"
    )
    assert QueryAnalyzer({"Harbor Times"}, set()).analyze(question).kind == "quantity"


@pytest.mark.parametrize(
    ("question", "letter"),
    [
        ("Which ferry company, represented by a single letter, runs the northern routes?", True),
        ("Which player, identified by a single initial, scored the winner?", True),
        ("Which letter stands for the route the ferry takes?", True),
        # the letter is read off a name the sources give, or only narrows the answer
        ("What is the first letter of the ferry company's name?", False),
        ("Which town, starting with the letter K, has the ferry terminal?", False),
        ("Which character does Ana Reyes play in the film?", False),
        ("Who wrote the letter to the council?", False),
    ],
)
def test_a_question_that_presumes_a_letter_stands_for_something(
    question: str, letter: bool
) -> None:
    assert read_question(question).letter is letter


def test_a_temporal_question_orders_two_events_in_two_clauses() -> None:
    question = (
        "Was the Harbor Times report on the hybrid ferry published before the Valley Ledger "
        "report on the dock strike?"
    )
    shape = read_question(question, 2)
    assert shape.kind == "temporal"
    assert len(shape.clauses) == 2
    # not in a question of another kind: "after the break" is when, not a second event
    assert len(read_question("Who scored after the break?").clauses) == 1
    # nor where the second side names nothing: it dates the first event
    assert len(read_question("Was the Old Harbour pier closed after a storm in 2023?").clauses) == 1
