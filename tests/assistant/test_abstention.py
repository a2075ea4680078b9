"""The decision to abstain: on what the question asks about, never on how it is spelled.

Real embedder, passages written for these tests; each case states the rule it checks."""

from __future__ import annotations

import pytest

from assistant.extractive import ExtractiveAnswerer
from ingest.config import Settings
from vectorstore.embeddings import Embedder
from vectorstore.query import QueryAnalyzer, QueryPlan
from vectorstore.types import Passage


def passage(n: int, text: str, source: str = "Harbor Times", title: str = "") -> Passage:
    return Passage(
        f"c{n}", f"d{n}", text, 0, len(text), title or f"Story {n}", source, "", "", "2024-05-06"
    )


FERRY = passage(
    1,
    "Orkney Ferries said on Monday that the new hybrid ferry will carry 300 cars. "
    "The company expects the ferry to cut fuel use by a third on the northern routes.",
)
ACCENTS = passage(
    2,
    "José Núñez-Barros, the harbour master, said the pier would reopen in June. "
    "He told reporters that the repairs cost less than expected.",
    source="Valley Ledger",
)
STRIKE = passage(
    3,
    "Dock workers in Aberdeen voted to strike over pay, the union said. "
    "The strike is expected to delay freight for at least a week.",
    source="Valley Ledger",
)


@pytest.fixture(scope="module")
def answerer(embedder: Embedder) -> ExtractiveAnswerer:
    return ExtractiveAnswerer(embedder, Settings())


def missing(answerer: ExtractiveAnswerer, question: str, passages: list[Passage]) -> str:
    return answerer.evidence(question, passages, QueryPlan.read(question)).missing


@pytest.mark.parametrize(
    "question",
    [
        # accents, hyphen, possessive: the same person
        "What did Jose Nunez Barros's team say about when the pier reopens?",
        # a leading "The" and a suffix the passage leaves out
        "What did the harbour master Jose Nunez-Barros Jr. say about the pier?",
    ],
)
def test_a_name_spelled_otherwise_is_found(answerer: ExtractiveAnswerer, question: str) -> None:
    assert missing(answerer, question, [ACCENTS, STRIKE]) == ""


def test_two_clauses_may_come_from_two_articles(answerer: ExtractiveAnswerer) -> None:
    question = (
        "Does the ferry company Orkney Ferries expect to cut fuel use, while the union in "
        "Aberdeen says the strike will delay freight?"
    )
    assert missing(answerer, question, [FERRY, STRIKE]) == ""


def test_one_clause_names_one_fact(answerer: ExtractiveAnswerer) -> None:
    # Orkney and Aberdeen are each in a passage, but no passage joins them.
    text = missing(
        answerer, "How many ferries did Orkney Ferries send to Aberdeen?", [FERRY, STRIKE]
    )
    assert "together" in text


def test_a_missing_year_in_a_short_question_abstains(answerer: ExtractiveAnswerer) -> None:
    text = missing(answerer, "What did Orkney Ferries say about the ferry in 2019?", [FERRY])
    assert "2019" in text


def test_a_missing_year_among_many_names_does_not(answerer: ExtractiveAnswerer) -> None:
    question = (
        "Which harbour master, who joined Orkney Ferries in 2009, said the pier in "
        "Aberdeen would reopen, as José Núñez-Barros told the Valley Ledger?"
    )
    assert missing(answerer, question, [FERRY, ACCENTS, STRIKE]) == ""


def test_a_publisher_the_library_lacks(answerer: ExtractiveAnswerer) -> None:
    text = missing(
        answerer, "Does a Lowland Gazette article say the new ferry carries 300 cars?", [FERRY]
    )
    assert text == "The library holds no article from Lowland Gazette."


def test_a_report_the_passages_discuss_is_no_publisher(answerer: ExtractiveAnswerer) -> None:
    text = passage(
        4,
        "The Orkney Ferries report on fuel found that the hybrid ferry used a third less "
        "diesel than the old one.",
    )
    assert missing(answerer, "What did the Orkney Ferries report say about fuel?", [text]) == ""


def test_descriptive_words_of_a_long_question_about_held_names(
    answerer: ExtractiveAnswerer,
) -> None:
    # Every name is held; "portrayal", "subsequent", "consistent" are the asker's words.
    question = (
        "Between the Harbor Times report on Orkney Ferries and the subsequent Valley Ledger "
        "report on Aberdeen, was the portrayal of the disruption consistent?"
    )
    assert missing(answerer, question, [FERRY, STRIKE]) == ""


def test_held_names_do_not_answer_a_topic_the_passages_lack(
    answerer: ExtractiveAnswerer,
) -> None:
    assert missing(answerer, "What did Orkney Ferries say about banana bread recipes?", [FERRY])


def test_a_name_the_library_holds_elsewhere_weighs_less(embedder: Embedder) -> None:
    # Two names, one not in the passages: abstain when the library lacks it altogether,
    # answer when only retrieval missed its article.
    question = "What did Orkney Ferries say about its new ferry and the Kirkwall Shipyard?"
    lacking = ExtractiveAnswerer(embedder, Settings(), holds=lambda name: False)
    holding = ExtractiveAnswerer(embedder, Settings(), holds=lambda name: True)
    assert "Kirkwall Shipyard" in missing(lacking, question, [FERRY])
    assert missing(holding, question, [FERRY]) == ""


def test_a_long_question_pinned_to_the_library_s_sources(embedder: Embedder) -> None:
    # No content name, but two named sources the library holds (the plan's mentions): the
    # question is about their articles, however loosely it paraphrases them.
    question = (
        "Who is the operator that, according to articles from the Harbor Times and the Valley "
        "Ledger, announced a vessel to lower its diesel consumption, and expects it to take "
        "three hundred vehicles?"
    )
    plan = QueryAnalyzer({"Harbor Times", "Valley Ledger"}, set()).analyze(question)
    answerer = ExtractiveAnswerer(embedder, Settings())
    assert answerer.evidence(question, [FERRY], plan).missing == ""
    assert answerer.evidence(question, [FERRY], QueryPlan.read(question)).missing != ""


def test_a_question_opening_with_according_to_names_a_publisher(
    answerer: ExtractiveAnswerer,
) -> None:
    question = "According to The Lowland Gazette, how many cars will the new ferry carry?"
    assert "no article from The Lowland Gazette" in missing(answerer, question, [FERRY])


def test_coverage_of_a_name_is_its_topic_not_its_publisher(answerer: ExtractiveAnswerer) -> None:
    question = (
        "Did the Harbor Times coverage of Orkney Ferries say the hybrid ferry would carry 300 cars?"
    )
    assert missing(answerer, question, [FERRY]) == ""
    assert "Orkney Ferries" not in missing(
        answerer, "Was the coverage of Orkney Ferries about fuel use?", [FERRY]
    )


def test_a_publisher_counts_only_whole(answerer: ExtractiveAnswerer) -> None:
    # "Harbor Sport" shares a word with the passages' source "Harbor Times", nothing more.
    question = "How many cars will the new ferry carry, according to a Harbor Sport match report?"
    assert missing(answerer, question, [FERRY]) == "The library holds no article from Harbor Sport."


def test_a_name_the_passages_only_quote_is_no_publisher_they_discuss(
    answerer: ExtractiveAnswerer,
) -> None:
    quoted = passage(
        5,
        "The harbour master told the Lowland Gazette that the new ferry will carry 300 cars.",
    )
    question = "Does a Lowland Gazette article say the new ferry carries 300 cars?"
    assert (
        missing(answerer, question, [quoted])
        == "The library holds no article from Lowland Gazette."
    )
    studied = passage(6, "A Lowland Gazette survey found that the new ferry will carry 300 cars.")
    assert missing(answerer, question, [studied]) == ""


@pytest.mark.parametrize(
    ("adjective", "place"),
    [
        ("Canadian", "Canada"),
        ("Japanese", "Japan"),
        ("Polish", "Poland"),
        ("Mexican", "Mexico"),
        ("Israeli", "Israel"),
        ("Italian", "Italy"),
    ],
)
def test_a_place_adjective_is_present_when_its_place_is(
    embedder: Embedder, adjective: str, place: str
) -> None:
    lacking = ExtractiveAnswerer(embedder, Settings(), holds=lambda name: False)
    question = f"How many cars will the new ship of the {adjective} ferry operator carry?"
    text = passage(7, f"The ferry operator of {place} said its new ship will carry 300 cars.")
    assert missing(lacking, question, [text]) == ""
    # the adjective of a place the passages do not name is still missing
    other = passage(8, "The ferry operator of Wales said its new ship will carry 300 cars.")
    assert adjective in missing(lacking, question, [other])


def test_a_long_question_pinned_to_held_sources_may_describe_a_name_otherwise(
    embedder: Embedder,
) -> None:
    # "a Scandinavian shipyard" is the asker's description of what the article names: a name
    # the library holds but the passages lack is no missing subject in a long question
    # pinned to the library's own sources; a name the library lacks still is, and so is
    # the same name in a short question.
    question = (
        "Which operator, whose new ship was built by a Baltic Yards crew, expects it to carry "
        "300 cars, and plans to cut fuel use on its northern routes, according to the Harbor "
        "Times?"
    )
    plan = QueryAnalyzer({"Harbor Times"}, set()).analyze(question)
    assert len(plan.clauses) >= 3
    holding = ExtractiveAnswerer(embedder, Settings(), holds=lambda name: True)
    lacking = ExtractiveAnswerer(embedder, Settings(), holds=lambda name: False)
    assert holding.evidence(question, [FERRY], plan).missing == ""
    assert "Baltic Yards" in lacking.evidence(question, [FERRY], plan).missing
    short = "Did Baltic Yards build the ferry, according to the Harbor Times?"
    plan = QueryAnalyzer({"Harbor Times"}, set()).analyze(short)
    assert "Baltic Yards" in holding.evidence(short, [FERRY], plan).missing


# What someone said: the speaker and the topic must meet in what a passage reports, not
# merely be in the same passages.
TRAM = passage(
    11,
    "Mayor Lena Ortiz said on Tuesday that the tram line would open in March. "
    "She told reporters that the budget for the works was on track. "
    "Ortiz added that fares would stay the same for a year.",
)
PARK = passage(
    12,
    "The council approved a new park on the waterfront after a long debate. "
    "Council member Raj Patel voted against the plan. "
    "Marco Reyes, who runs the boatyard, said the park would bring more visitors.",
    source="Valley Ledger",
)


@pytest.mark.parametrize(
    "question",
    [
        "What did Lena Ortiz say about the tram line?",
        "What did Mayor Lena Ortiz tell reporters about the budget?",  # "She told" follows
        "How did Lena Ortiz react to questions about fares?",  # the surname alone
        "What did Marco Reyes say about the waterfront park in 2024?",
    ],
)
def test_a_statement_the_passages_report_is_answered(
    answerer: ExtractiveAnswerer, question: str
) -> None:
    assert missing(answerer, question, [TRAM, PARK]) == ""


@pytest.mark.parametrize(
    ("question", "speaker", "topic"),
    [
        # both in the library, but no passage has her speak of the park
        ("What did Lena Ortiz say about the waterfront park?", "Lena Ortiz", "the waterfront park"),
        # he is named beside the park, but reported as voting, not saying
        ("What did Raj Patel say about the tram line?", "Raj Patel", "the tram line"),
        (
            "According to the Harbor Times, what did Raj Patel say about the budget for the "
            "works in May 2024?",
            "Raj Patel",
            "the budget for the works",
        ),
        ("How did Marco Reyes respond to the tram fares?", "Marco Reyes", "the tram fares"),
        # Raj Patel is named next to Marco Reyes's statement, but it is not his
        (
            "What did Raj Patel say about the visitors the park would bring?",
            "Raj Patel",
            "the visitors the park would bring",
        ),
    ],
)
def test_a_statement_no_passage_reports_abstains(
    answerer: ExtractiveAnswerer, question: str, speaker: str, topic: str
) -> None:
    text = missing(answerer, question, [TRAM, PARK])
    assert text == f"No passage reports {speaker} saying anything about {topic}."


def test_a_shared_surname_is_not_the_speaker(answerer: ExtractiveAnswerer) -> None:
    # "Reyes said" is Marco's statement; the question asks for Ana Reyes's.
    reyes = passage(
        13,
        "Ana Reyes opened the cider festival on Saturday. "
        "Reyes said the harvest had been late because of the rain.",
    )
    assert missing(answerer, "What did Ana Reyes say about the harvest?", [reyes]) == ""
    shared = "What did Ana Reyes say to Marco Reyes about the park?"
    assert missing(answerer, shared, [TRAM, PARK]).startswith("No passage reports Ana Reyes")


FLEET = passage(
    14,
    "Orkney Ferries runs its new hybrid ferry on the northern routes from Kirkwall. "
    "The ferry cost 14 million pounds, and it carries 300 cars on each crossing.",
)


def test_how_many_needs_a_figure_that_counts_it(answerer: ExtractiveAnswerer) -> None:
    assert missing(answerer, "How many cars does the Orkney Ferries ferry carry?", [FLEET]) == ""
    # the routes are named, and figures are given, but no figure counts the routes
    text = missing(answerer, "How many routes does Orkney Ferries run?", [FLEET])
    assert text == "No passage gives a number of routes for orkney ferries."


def test_how_much_asks_for_an_amount_not_a_word(answerer: ExtractiveAnswerer) -> None:
    # "money" is in no passage; "14 million pounds" is the amount asked for
    assert missing(answerer, "How much money did the new Orkney Ferries ferry cost?", [FLEET]) == ""


def test_how_many_counts_the_head_of_its_phrase(answerer: ExtractiveAnswerer) -> None:
    text = missing(answerer, "How many northern routes does Orkney Ferries run?", [FLEET])
    assert text == "No passage gives a number of routes for orkney ferries."


def test_what_a_named_source_says_is_what_its_articles_say(embedder: Embedder) -> None:
    # The Harbor Times is the library's source: its articles are its statement, no quote
    # of it is needed.
    question = "What did the Harbor Times say about the waterfront park?"
    plan = QueryAnalyzer({"Harbor Times", "Valley Ledger"}, set()).analyze(question)
    park = passage(15, PARK.text, source="Harbor Times")
    answerer = ExtractiveAnswerer(embedder, Settings())
    assert answerer.evidence(question, [park], plan).missing == ""


def test_a_letter_standing_for_something_must_be_stated(answerer: ExtractiveAnswerer) -> None:
    question = "Which route, identified by a single letter, does the Orkney Ferries ferry run?"
    assert missing(answerer, question, [FLEET]) == (
        "No passage states a letter or an initial that stands for anything asked about."
    )
    lettered = passage(
        16,
        "Orkney Ferries runs its new hybrid ferry on route 'N' from Kirkwall to the northern "
        "islands, the company said on Monday.",
    )
    assert missing(answerer, question, [lettered]) == ""


def test_a_yes_no_question_about_a_statement(answerer: ExtractiveAnswerer) -> None:
    said = "Did Lena Ortiz tell reporters that the budget for the works was on track?"
    assert missing(answerer, said, [TRAM, PARK]) == ""
    unsaid = "Did Lena Ortiz say that the waterfront park would bring more visitors?"
    assert missing(answerer, unsaid, [TRAM, PARK]) == (
        "No passage reports Lena Ortiz saying that the waterfront park would bring more visitors."
    )


def test_two_ordered_events_may_come_from_two_articles(embedder: Embedder) -> None:
    question = (
        "Was the Harbor Times report on Orkney Ferries' hybrid ferry published before the "
        "Valley Ledger report on Aberdeen dock workers voting to strike?"
    )
    plan = QueryAnalyzer({"Harbor Times", "Valley Ledger"}, set()).analyze(question)
    answerer = ExtractiveAnswerer(embedder, Settings())
    assert answerer.evidence(question, [FERRY, STRIKE], plan).missing == ""


BIDS = passage(
    15,
    "Mayor Ilse Varga said the council had tried to buy the pier on two separate occasions "
    "but was turned down both times by its owners.",
)


def test_how_many_times_counts_occurrences_in_any_words(answerer: ExtractiveAnswerer) -> None:
    # "times" is counted as "two separate occasions": any figure of the sentence answers it
    assert missing(answerer, "How many times did the council try to buy the pier?", [BIDS]) == ""
    assert missing(answerer, "How many times did the council try to buy the pier?", [FLEET])


FLOOD = passage(
    16,
    "The floods in the northern valley killed 40 people last week, the regional government "
    "confirmed on Sunday.",
)


@pytest.mark.parametrize("auxiliary", ["have", "had", "has", "will", "can", "could", "would"])
def test_how_many_then_a_verb_counts_no_auxiliary(
    answerer: ExtractiveAnswerer, auxiliary: str
) -> None:
    # "How many have died": the question names nothing counted, so any figure answers it
    question = f"How many {auxiliary} died in the floods in the northern valley?"
    assert "number of" not in missing(answerer, question, [FLOOD])
