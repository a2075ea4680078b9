import re
from pathlib import Path

import pytest

from assistant import Answer
from tests.conftest import SAMPLE

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"


def assert_grounded(bot, answer: Answer, retrieved_ids: set[str] | None = None) -> None:
    """The extractive answer's invariants: every claim cited, every citation in range, every
    citation's text the document's text at start:end, every quote inside its passage."""
    assert not answer.abstained
    numbers = {c.n for c in answer.citations}
    assert numbers == set(range(1, len(answer.citations) + 1))
    assert answer.claims
    for claim in answer.claims:
        assert claim.citations and set(claim.citations) <= numbers
        assert claim.text in answer.text
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == numbers
    for paragraph in answer.text.split("\n\n"):
        if paragraph.startswith("The sources disagree"):
            continue
        assert re.search(r"\[\d+\]$", paragraph), paragraph
    for c in answer.citations:
        document = bot.document(c.doc_id).text
        assert document[c.start : c.end] == c.text
        if retrieved_ids is not None:
            assert c.chunk_id in retrieved_ids
        for q in c.quotes:
            assert document[q.start : q.end] == q.text
            assert c.start <= q.start and q.end <= c.end


def test_answer_cites_the_passage_that_answers(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES])
    question = "How much did the lighthouse lens restoration cost?"
    answer = bot.ask(question)
    retrieved = {p.chunk_id for p in bot.retrieve(question, k=bot.settings.answer_passages)}
    assert_grounded(bot, answer, retrieved)
    assert "640,000 euros" in answer.text
    assert answer.citations[0].title == "Restored Lighthouse Lens Returns to Cape Marrow"


def test_reported_claim_is_attributed_and_disputed_claim_has_both_sides(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES])
    answer = bot.ask("Did the council promise to keep the pier open year-round?")
    assert_grounded(bot, answer)
    assert "claimed that the council had promised" in answer.text
    assert "no binding commitment to year-round access was ever adopted" in answer.text
    assert answer.conflict


@pytest.mark.parametrize(
    "question",
    [
        "What is the recipe for banana bread?",
        "Who won the football world cup final?",
        "What did Angela Merkel say about the harbor?",
    ],
)
def test_abstains_when_the_sources_do_not_answer(make_assistant, question: str) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES])
    answer = bot.ask(question)
    assert answer.abstained
    assert answer.citations == []
    assert "don't answer" in answer.text


def test_abstains_on_an_empty_library(make_assistant) -> None:
    answer = make_assistant().ask("Did NATO promise not to expand?")
    assert answer.abstained and not answer.citations


def test_stream_yields_text_then_the_same_answer(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES])
    pieces = list(bot.stream("What did the frost do to the cider apple harvest?"))
    assert isinstance(pieces[-1], Answer)
    assert all(isinstance(p, str) for p in pieces[:-1]) and len(pieces) > 2
    assert "".join(pieces[:-1]) == pieces[-1].text
    assert_grounded(bot, pieces[-1])


def test_records_can_be_ingested_from_python(make_assistant) -> None:
    bot = make_assistant()
    report = bot.ingest(
        [
            {
                "title": "Ferry timetable changes",
                "text": "The island ferry will sail six times a day "
                "from June, the operator said on Tuesday.",
                "url": "https://example.org/ferry",
            }
        ]
    )
    assert report.documents == 1
    answer = bot.ask("How often will the island ferry sail from June?")
    assert_grounded(bot, answer)
    assert answer.citations[0].url == "https://example.org/ferry"


def test_design_question_on_the_seed_article(make_assistant, seed_article: Path) -> None:
    bot = make_assistant()
    bot.ingest([seed_article])
    answer = bot.ask("Did NATO promise not to expand?")
    assert_grounded(bot, answer)
    binding = "no legally binding agreement was ever signed"
    assert any(binding in q.text for c in answer.citations for q in c.quotes)
    assert binding in answer.text
    # The opposing claim is carried too, attributed to the one who makes it.
    assert "Putin argued that his government was promised" in answer.text
    assert answer.conflict


def test_design_question_on_the_sample_corpus(make_assistant) -> None:
    bot = make_assistant()
    report = bot.ingest([SAMPLE])
    assert report.documents >= 6 and not report.errors
    answer = bot.ask("Did NATO promise not to expand?")
    assert_grounded(bot, answer)
    assert len({c.doc_id for c in answer.citations}) >= 2
    assert answer.conflict


def test_a_temporal_question_orders_a_change_by_date_not_as_a_dispute(make_assistant) -> None:
    """A later report that contradicts an earlier one is a change over time: the answer gives
    both in date order, with no "the sources disagree" banner."""
    bot = make_assistant()
    bot.ingest(
        [
            {
                "title": "Harbour Ferry Plan Goes to Council",
                "body": "The Ostrava harbour ferry will not resume service this winter, the "
                "port authority said on Monday. Repairs to the landing stage are still "
                "waiting for funds.",
                "url": "https://example.org/ferry-1",
                "source": "Harbour Gazette",
                "published_at": "2024-10-07",
            },
            {
                "title": "Ferry Returns After Council Vote",
                "body": "The Ostrava harbour ferry will resume service this winter after the "
                "council found money for the landing stage, the port authority said.",
                "url": "https://example.org/ferry-2",
                "source": "Coast Daily",
                "published_at": "2024-11-20",
            },
        ]
    )
    answer = bot.ask(
        "Did the Harbour Gazette report that the Ostrava ferry would not resume this winter "
        "before Coast Daily reported that it would resume?"
    )
    assert not answer.abstained and not answer.conflict, answer.text
    earlier = answer.text.find("will not resume")
    later = answer.text.find("will resume service this winter after")
    assert 0 <= earlier < later, answer.text
