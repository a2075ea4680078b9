"""The disagreement rule: two sentences oppose when they make opposing statements about the
same subject and predicate (a negation or a contrary word), never because a cue word appears."""

from __future__ import annotations

import pytest

from assistant.conflict import Statement, find_conflict, find_disagreement, opposes
from vectorstore.query import QueryAnalyzer, QueryPlan

PROMISE = "Putin argued that his government was promised NATO would not expand eastward."
NO_DEAL = "No legally binding agreement was ever signed that kept NATO from expanding eastward."


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (PROMISE, NO_DEAL),
        (
            "The ministry says the new reservoir will be finished in 2026.",
            "Engineers say the new reservoir will not be finished in 2026.",
        ),
        (
            "The mayor said the plan was approved by the full council.",
            "Two councillors said the plan was never approved by the full council.",
        ),
        (
            "Ticket sales at the museum rose sharply last winter, the director said.",
            "Volunteers say ticket sales at the museum fell sharply last winter.",
        ),
        (
            "The company says the factory in Dunmore will stay open.",
            "The union denied that the factory in Dunmore will stay open.",
        ),
    ],
)
def test_opposing_statements_about_one_proposition(a: str, b: str) -> None:
    assert opposes(a, b) is not None
    assert opposes(b, a) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A cue word alone is no disagreement: a rejected request beside an insistence.
        (
            "Putin said that Russia had sought to join NATO twice but was rejected both times.",
            "Putin insisted that Russia's early overtures to the Western alliance were sincere.",
        ),
        # Different subjects: one country joined, another did not (yet).
        ("Finland joined the alliance in 2023.", "Sweden did not join the alliance until 2024."),
        # Negations about different predicates of the same topic.
        (
            "The bridge was built in 1911 and never painted.",
            "The bridge was repaired in 2022 at a cost of 65,000 pounds.",
        ),
        # A promise of reopening beside a closure is no claim and denial.
        (
            "The council voted to close the old pier after the storm.",
            "Fishing crews said the pier had always been busy in winter.",
        ),
        # A sentence with "never" and another on the topic that does not contradict it.
        (
            "The treaty never mentioned Poland.",
            "The treaty was signed in Moscow in September 1990.",
        ),
    ],
)
def test_no_disagreement_without_opposing_statements(a: str, b: str) -> None:
    assert opposes(a, b) is None
    assert not find_conflict([a, b])


def test_one_sentence_can_hold_a_claim_and_its_denial() -> None:
    both = (
        "Putin argued that his government was promised NATO would not expand eastward — a "
        "claim Western leaders have consistently denied."
    )
    found = find_disagreement([both], QueryPlan.read("Did NATO promise not to expand?"))
    assert found is not None and found.first == found.second == 0


def test_the_opposed_word_must_belong_to_the_question() -> None:
    a = "Residents say the road was resurfaced in May and the bridge was not repainted."
    b = "The council says the bridge was repainted in May and the road was resurfaced."
    assert opposes(a, b) is not None
    assert opposes(a, b, QueryPlan.read("When was the road resurfaced?")) is None
    assert opposes(a, b, QueryPlan.read("Was the bridge repainted?")) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # Two reports on one subject with different figures: two games, not a disagreement.
        (
            "The quarterback threw for 310 yards and two touchdowns in the win.",
            "The quarterback threw for 314 yards and four touchdowns in the win.",
        ),
        # Another date for a similar event is another event.
        (
            "The museum reopened its east wing in 2021 after the floods.",
            "The museum reopened its east wing in 2023 after the floods.",
        ),
        # A question asserts nothing.
        (
            "The ministry says the new reservoir will be finished in 2026.",
            "Will the new reservoir not be finished in 2026?",
        ),
    ],
)
def test_different_details_and_questions_are_no_disagreement(a: str, b: str) -> None:
    assert opposes(a, b) is None
    assert opposes(b, a) is None


def test_one_sentence_opposes_itself_only_by_denying_a_claim_it_reports() -> None:
    mixed = (
        "The team doesn't face a strong side until May, though the next three games are far "
        "from easy wins for the team."
    )
    assert find_disagreement([mixed], QueryPlan.read("Does the team face a strong side?")) is None


# --- true disagreements in other forms: a denial verb, a passive against an active, a past
# form the stemmer cannot join, a contrary word in a short sentence -----------------------------
@pytest.mark.parametrize(
    ("question", "a", "b"),
    [
        (
            "Did the minister resign?",
            "The minister resigned on Tuesday, according to two aides.",
            "The ministry denied that the minister had resigned.",
        ),
        (
            "Did the city raise bus fares?",
            "The city raised bus fares in January.",
            "City officials said fares were not raised this year.",
        ),
        (
            "Did the company cut jobs in March?",
            "The company cut 200 jobs in March, the union said.",
            "A company spokesperson said no jobs were cut in March.",
        ),
        (
            "Did Acme Corp pay its suppliers?",
            "Acme Corp paid its suppliers in full, the chief executive said.",
            "Suppliers say Acme Corp never paid them.",
        ),
        (
            "Did unemployment rise in May?",
            "Unemployment rose sharply in May, the bureau reported.",
            "Economists say unemployment fell in May.",
        ),
        (
            "Did the governor sign the order?",
            "The governor signed the order on Friday, aides said.",
            "The claim that the governor signed the order is false, her office said.",
        ),
        (
            "Did the coach criticise the players?",
            "The coach criticised the players after the game.",
            "The coach rejected claims that he had criticised the players.",
        ),
        (
            "Did the hospital close its maternity ward?",
            "The hospital closed its maternity ward last month.",
            "Hospital managers insist the maternity ward has not closed.",
        ),
        (
            "Did the club sign the striker?",
            "The club signed the striker on a three-year deal, the manager said.",
            "The striker's agent said no deal was signed.",
        ),
        (
            "Is the Riverside clinic open on weekends?",
            "The Riverside clinic is open on weekends, its website says.",
            "Patients say the clinic is not open on weekends.",
        ),
    ],
)
def test_true_disagreements_in_other_forms(question: str, a: str, b: str) -> None:
    plan = QueryPlan.read(question)
    assert opposes(a, b, plan) or opposes(b, a, plan)


# --- no disagreement: the negation bears on another word, the word is said of another subject,
# object, name or time, or the sentence asserts nothing --------------------------------------
@pytest.mark.parametrize(
    ("question", "a", "b"),
    [
        # The negation bears on the verb, not on its object ("hasn't seen" the strikers).
        (
            "Does the defence stop tall strikers?",
            "The defence has faced tall strikers in every match this season.",
            "This defence hasn't faced tall strikers better than Okafor.",
        ),
        # A negated degree is not a denial ("not the most powerful").
        (
            "Is the phone powerful?",
            "The new phone is powerful, reviewers say.",
            "The new phone is not the most powerful on the market.",
        ),
        # "not only ... but also" affirms.
        (
            "Did the plan cut costs?",
            "The plan not only cut costs but also raised revenue.",
            "The plan cut costs, the report says.",
        ),
        # "No team with two losses has made the final": the making is denied, not the team.
        (
            "Can a team reach the final with a loss?",
            "We will see if the win was enough to lift the team into the final.",
            "No team with two losses has ever made the final.",
        ),
        # "No. 12" is a rank, and a figure is never the opposed word.
        (
            "Did Rovers lose two games?",
            "No. 12 Rovers have lost two games since opening the season as favourites.",
            "No two teams in the league have drawn more often.",
        ),
        # A clause under "whether" asserts nothing.
        (
            "Will the school close?",
            "Parents asked whether the school will close.",
            "The district says the school will not close.",
        ),
        # "wrong" is about what he knew, not about the funds: its scope ends at "and that".
        (
            "Did the fund use client money?",
            "The fund acted lawfully as a client of the bank, its lawyer argued.",
            "A trader said the fund was using client money and that he knew it was wrong.",
        ),
        # Different subjects: heads (café, park), names in an earlier clause, name runs.
        (
            "Is the park open?",
            "The park is open from nine.",
            "The park café is not open until noon.",
        ),
        (
            "Did they plead guilty?",
            "In January, Marlow pleaded not guilty to all counts.",
            "Her former deputy, Ines Carvalho, pleaded guilty to federal charges.",
        ),
        (
            "Is the content illegal?",
            "Officials found the platform used to spread illegal content & rumours.",
            "Unlike terror content, rumours are not illegal in the union.",
        ),
        (
            "Did the spread of rumours worry officials?",
            "The platform has been criticised by the European Union for posts not spreading facts.",
            "The European Commission raised concerns about the spread of rumours.",
        ),
        # Different objects, different names before the word.
        (
            "Is the road closed?",
            "The road is closed to lorries.",
            "The road is not closed to buses, the council said.",
        ),
        (
            "Did the firm hire new staff?",
            "The firm hired new staff in the spring.",
            "The firm did not hire any managers.",
        ),
        (
            "Did phone makers raise prices?",
            "Apple did not raise prices this year.",
            "Samsung raised prices this year.",
        ),
        # Different years.
        (
            "Did the team win the cup?",
            "The team won the cup in 2019.",
            "The team did not win the cup in 2021.",
        ),
    ],
)
def test_no_disagreement_about_another_word_subject_or_time(question: str, a: str, b: str) -> None:
    plan = QueryPlan.read(question)
    assert opposes(a, b, plan) is None
    assert opposes(b, a, plan) is None


def test_unattributed_reports_of_different_days_are_different_moments() -> None:
    plan = QueryPlan.read("Did Lewis score in the first half?")
    a = "Lewis scored in the first half."
    b = "Lewis did not score in the first half."
    assert opposes(a, b, plan) is not None  # without their articles: one moment
    october = Statement(a, "match-report-1", "2023-10-01T18:00:00Z")
    november = Statement(b, "match-report-2", "2023-11-12T18:00:00Z")
    assert opposes(october, november, plan) is None
    # The same report twice, or a claim someone makes, is not another moment.
    assert opposes(october, Statement(b, "match-report-1", october.published), plan)
    said = Statement("Lewis did not score in the first half, his coach said.", "x", "2023-11-12")
    assert opposes(october, said, plan) is not None


def test_a_source_named_in_the_question_is_not_what_it_asks_about() -> None:
    # "Life" is a word of the publication's name here, not of the question's proposition.
    question = "Did The Daily Life report that the singer will tour again?"
    a = "The singer has no life outside the stage."
    b = "The singer's life outside the stage is quiet, her manager says."
    unread = QueryPlan.read(question)  # no library: the name is not known as a source
    assert opposes(a, b, unread) is not None
    plan = QueryAnalyzer(["The Daily Life"], []).analyze(question)
    assert plan.mentions
    assert opposes(a, b, plan) is None
    assert opposes(b, a, plan) is None


def test_the_design_question_keeps_both_sides_across_articles() -> None:
    plan = QueryPlan.read("Did NATO promise not to expand?")
    moscow = Statement(
        "Russian officials say the West promised in 1990 that NATO would not expand east.",
        "moscow-view",
        "2022-01-10",
    )
    brussels = Statement(
        "NATO and Western governments say no such promise was ever made.",
        "brussels-view",
        "2025-02-09",
    )
    found = find_disagreement([moscow, brussels], plan)
    assert found is not None and {found.first, found.second} == {0, 1}


def test_opposite_superlatives_pick_different_members_not_contrary_claims() -> None:
    # The cheapest and the most expensive ticket are two tickets: both reports can be true.
    assert (
        opposes(
            "The club's cheapest season ticket for 2025 costs $410 across the home games.",
            "The club's most expensive season tickets for 2025 run past $9,000.",
        )
        is None
    )
    assert (
        opposes("Its best season was 2019 for the club.", "Its worst season was 2019 for the club.")
        is None
    )


def test_superlatives_said_of_the_same_thing_still_oppose() -> None:
    assert opposes(
        "The club's season tickets are the cheapest in the league this year.",
        "The club's season tickets are the most expensive in the league this year.",
    )
    assert opposes(
        "Ticket prices at the club are cheap this year.",
        "Ticket prices at the club are expensive this year.",
    )


def test_a_sentence_quoted_twice_does_not_disagree_with_itself() -> None:
    # two overlapping chunks of one article, or two articles, can give the same sentence
    sentence = (
        "By making the odds less favorable for a heavily-backed horse and more favorable for "
        "the less-backed horse, bookmakers can encourage more even betting."
    )
    plan = QueryPlan.read("How do bookmakers adjust odds on horses?")
    twice = [Statement(sentence, "a", "2023-11-01"), Statement(sentence, "b", "2023-11-01")]
    assert find_disagreement(twice, plan) is None
