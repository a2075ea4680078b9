"""What an entity answer states first: the name the evidence points to, in full, as written."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.extractive import ExtractiveAnswerer
from assistant.slots import as_written, counts, full_name, has_figure, person_like, untitled
from ingest.config import Settings
from vectorstore.embeddings import Embedder
from vectorstore.lexical import Analyzer
from vectorstore.query import QueryPlan, SourceMention
from vectorstore.types import Passage


@pytest.mark.parametrize(
    ("name", "texts", "full"),
    [
        # the given name written before the surname, once is enough
        (
            "Okafor",
            ["Okafor said the yard would close.", "The yard is run by Mina Okafor."],
            "Mina Okafor",
        ),
        # a title is no given name
        ("Okafor", ["Mayor Okafor said so. Okafor left."], "Okafor"),
        ("Okafor", ["Judge Mina Okafor ruled."], "Mina Okafor"),
        # a sentence opener is no given name
        ("Okafor", ["Then Okafor tried again. Moreover Okafor said no."], "Okafor"),
        # two people share the surname: no guess
        ("Okafor", ["Mina Okafor and her brother Tunde Okafor sold it."], "Okafor"),
        # one clearly dominates
        (
            "Okafor",
            ["Mina Okafor said. As Mina Okafor added, her son, Tunde Okafor, agreed."],
            "Mina Okafor",
        ),
        # page chrome or an imperative at a line start is no given name
        ("Acme", ["Enter Acme.\nThe company grew.", "Loading Acme", "Acme sells tools."], "Acme"),
        # a name of several words is already full
        ("Mina Okafor", ["Dr Ada Mina Okafor"], "Mina Okafor"),
    ],
)
def test_full_name(name: str, texts: list[str], full: str) -> None:
    assert full_name(name, texts) == full


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Former Harbor CEO Mina Okafor", "Mina Okafor"),
        ("Judge Lewis Brandt", "Lewis Brandt"),
        ("Moreover Okafor", "Okafor"),
        ("President Okafor", "Okafor"),
        ("Pro During Acme", "Acme"),  # a heading run into a sentence
        ("Bank of Avalon", "Bank of Avalon"),
        ("Harbor Trust", "Harbor Trust"),
    ],
)
def test_untitled(name: str, bare: str) -> None:
    assert untitled(name) == bare


def test_person_like() -> None:
    texts = ["Mina Okafor opened the Harbor Tower. Okafor said rents would rise."]
    assert person_like("Mina Okafor", texts)
    assert not person_like("Harbor Tower", texts)  # "Tower" never stands alone
    assert person_like("Lena Brandt", ["The report, Lena Brandt said, is late."])
    assert not person_like("FTX", texts) and not person_like("Okafor", texts)


def test_as_written() -> None:
    assert as_written("Blacks", ["As for the All Blacks, they lost."]) == "the All Blacks"
    assert as_written("Harbor Trust", ["Funds went to the Harbor Trust."]) == "the Harbor Trust"
    assert as_written("Mina Okafor", ["Mina Okafor left."]) == "Mina Okafor"
    assert (
        as_written("Acme", ["He joined the Acme board.", "Shares of the Acme group fell"]) == "Acme"
    )


def _passage(n: int, text: str, title: str = "Port news") -> Passage:
    return Passage(
        chunk_id=f"c{n}",
        doc_id=f"d{n}",
        text=text,
        start=0,
        end=len(text),
        title=title,
        source=f"Paper {n}",
        published_at=f"2024-03-0{n}",
    )


PASSAGES = [
    _passage(
        1,
        "The port authority sold the old ferry terminal to a developer on Monday. "
        "Okafor, who chairs the authority, said the sale would pay for a new pier. "
        "Harbor Trust members protested outside the meeting.",
        title="Mina Okafor defends the terminal sale",
    ),
    _passage(
        2,
        "Critics accused Okafor of selling the ferry terminal below its value. "
        "Lena Brandt, a harbour pilot, said the pier plan was years late.",
    ),
    _passage(
        3,
        "The ferry terminal sale was approved by the port authority board. "
        "Its chair, Okafor, has defended the price in several interviews.",
    ),
]


def test_who_answer_states_the_full_name_first(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, Settings())
    question = "Who chairs the port authority that sold the ferry terminal?"
    answer = list(answerer.answer(question, PASSAGES, QueryPlan.read(question)))[-1]
    assert not answer.abstained
    first = answer.text.split("\n\n")[0]
    # the name in full (from the article's title), cited to the sentences that hold it
    assert first.startswith("The sources point to Mina Okafor."), answer.text
    cited = {q.text for c in answer.citations for q in c.quotes}
    assert any("Okafor" in q for q in cited)
    assert len(answer.text.split()) <= 140


def test_who_is_asks_for_a_description_not_another_name(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, Settings())
    question = "Who is Lena Brandt?"
    answer = list(answerer.answer(question, PASSAGES, QueryPlan.read(question)))[-1]
    assert not answer.abstained
    assert "point to" not in answer.text
    assert "harbour pilot" in answer.text


def test_a_category_question_states_no_name(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, Settings())
    question = "What type of group protested outside the port authority meeting?"
    answer = list(answerer.answer(question, PASSAGES, QueryPlan.read(question)))[-1]
    assert "point to" not in answer.text


def test_which_source_question_names_the_source_of_every_sentence(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, Settings())
    question = (
        "Which news source wrote that the board approved the terminal sale, Paper 1 or Paper 3?"
    )
    at = question.index("Paper 1")
    plan = replace(
        QueryPlan.read(question),
        mentions=(
            SourceMention(("Paper 1",), at, at + 7, question),
            SourceMention(("Paper 3",), at + 11, at + 18, question),
        ),
    )
    answer = list(answerer.answer(question, PASSAGES, plan))[-1]
    assert not answer.abstained
    for paragraph in answer.text.split("\n\n"):
        assert paragraph.startswith(("Paper 1, ", "Paper 2, ", "Paper 3, ")), answer.text
    assert "Paper 3, 3 Mar 2024: The ferry terminal sale was approved" in answer.text


def test_a_question_for_a_person_is_not_answered_with_a_company(embedder: Embedder) -> None:
    answerer = ExtractiveAnswerer(embedder, Settings())
    passages = [
        _passage(1, "Acme Logistics bought the old ferry terminal on Monday for a new depot."),
        _passage(2, "The sale of the ferry terminal to Acme Logistics closed after a long review."),
        _passage(3, "Acme Logistics plans to open the depot at the ferry terminal next spring."),
    ]
    asked = "Who is the individual that bought the old ferry terminal?"
    answer = list(answerer.answer(asked, passages, QueryPlan.read(asked)))[-1]
    assert not answer.abstained
    assert "point to" not in answer.text, answer.text
    # asked for any buyer, the company is the answer
    asked = "Who bought the old ferry terminal?"
    answer = list(answerer.answer(asked, passages, QueryPlan.read(asked)))[-1]
    assert answer.text.startswith("The sources point to Acme Logistics."), answer.text


def test_a_figure_counts_the_noun_it_stands_by() -> None:
    stem = Analyzer()
    assert counts("She scored two goals in the final.", "goals", stem)
    assert counts("The strike cost 1,200 jobs at the port.", "jobs", stem)
    # a year, or a figure far from the noun, counts nothing
    assert not counts("In 2023 goals were scarce for the club.", "goals", stem)
    assert not counts(
        "The ferry carries 300 cars from the pier to the island on the northern routes.",
        "routes",
        stem,
    )


def test_the_day_of_a_date_is_no_figure() -> None:
    assert not has_figure("The trial starts today, November 6, in San Francisco.")
    assert not has_figure("It opened on 6 November 2023.")
    assert has_figure("The deal was worth $700 million on November 6.")
