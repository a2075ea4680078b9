"""Generated answers with scripted chat models: the hard cases a real model produces
(wrong, missing, malformed markers; pasted passages; unsupported claims; one-sided answers;
obeyed injections; failures) and what the app's verification makes of them."""

import re
from pathlib import Path

import pytest

from assistant import Answer, Assistant, Settings
from tests.assistant.fakes import scripted, unreachable
from tests.assistant.test_answers import assert_grounded

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
LENS = "How much did the lighthouse lens restoration cost?"
LENS_TITLE = "Restored Lighthouse Lens Returns to Cape Marrow"


def _number_of(bot, question: str, title: str) -> int:
    """The prompt number of the first passage of ``title`` (the prompt numbers the retrieved
    passages in retrieval order)."""
    passages = bot.retrieve(question, k=bot.settings.answer_passages)
    return next(i for i, p in enumerate(passages, 1) if p.title == title)


def _other_number(bot, question: str, title: str) -> int:
    passages = bot.retrieve(question, k=bot.settings.answer_passages)
    return next(i for i, p in enumerate(passages, 1) if p.title != title)


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory, embedder) -> Path:
    path = tmp_path_factory.mktemp("generated") / "data"
    bot = Assistant(Settings(data_dir=path), embedder=embedder)
    bot.ingest([ARTICLES])
    bot.close()
    return path


@pytest.fixture()
def library(library_dir: Path, embedder):
    """An assistant over the fixture articles (ingested once) answering with ``model``."""
    made: list[Assistant] = []

    def make(model) -> Assistant:
        bot = Assistant(Settings(data_dir=library_dir), embedder=embedder, chat_model=model)
        made.append(bot)
        return bot

    yield make
    for bot in made:
        bot.close()


def test_prompt_numbers_passages_as_untrusted_data(library) -> None:
    model = scripted("The restoration cost about 640,000 euros [1].")
    bot = library(model)
    bot.ask(LENS)
    system, user = model.seen[0]
    assert "untrusted" in system.text and "[2]" in system.text
    passages = bot.retrieve(LENS, k=bot.settings.answer_passages)
    assert user.text.count("<passage id=") == len(passages)
    for i, p in enumerate(passages, 1):
        assert f'<passage id="{i}" from="{p.title}' in user.text
    assert user.text.index("</passages>") < user.text.index(f"Question: {LENS}")


def test_verified_answer_streams_exactly_its_final_text(library) -> None:
    bot = library(scripted("placeholder"))
    n = _number_of(bot, LENS, LENS_TITLE)
    bot = library(
        scripted(
            f"Conservator Ingrid Solberg estimated that the work cost the lighthouse trust "
            f"about 640,000 euros [{n}]. The team replaced 41 cracked prisms with glass cast "
            f"to the original recipe [{n}]."
        )
    )
    pieces = list(bot.stream(LENS))
    answer = pieces[-1]
    assert isinstance(answer, Answer) and answer.mode == "generated"
    assert "".join(pieces[:-1]) == answer.text
    assert_grounded(bot, answer)
    assert "640,000 euros. [1]" in answer.text and "41 cracked prisms" in answer.text
    assert answer.citations[0].title == LENS_TITLE
    assert answer.verification and answer.verification.kept == 2 == answer.verification.sentences


def test_out_of_range_and_malformed_markers_are_removed(library) -> None:
    bot = library(scripted("x"))
    n = _number_of(bot, LENS, LENS_TITLE)
    bot = library(
        scripted(
            f"The restoration work cost the lighthouse trust about 640,000 euros [{n}][17]. "
            "The team replaced 41 cracked prisms with glass cast to the original recipe [n]. "
            "The lens was made in 1887 and weighs about three tonnes [citation needed]. [0"
        )
    )
    answer = bot.ask(LENS)
    assert_grounded(bot, answer)
    assert not re.search(r"\[(17|0|n|citation needed)\b", answer.text)
    assert "[0" not in answer.text
    assert answer.verification.markers_removed == 4
    assert any("point to no passage" in note for note in answer.notes)
    # The sentences that lost their markers got the passage that supports them.
    assert "1887" in answer.text and "41 cracked prisms" in answer.text


def test_unsupported_sentence_is_left_out_with_a_note(library) -> None:
    bot = library(scripted("x"))
    n = _number_of(bot, LENS, LENS_TITLE)
    bot = library(
        scripted(
            f"The restoration cost the lighthouse trust about 640,000 euros [{n}]. "
            f"The lens is made of solid gold and was paid for by the king of Norway [{n}]. "
            f"A binding treaty between Denmark and Sweden funded the work in 1991 [{n}]."
        )
    )
    answer = bot.ask(LENS)
    assert_grounded(bot, answer)
    assert "gold" not in answer.text and "treaty" not in answer.text
    note = next(n for n in answer.notes if n.startswith("Left out 2 sentence(s)"))
    assert "solid gold" in note and "treaty" in note
    assert answer.verification.kept == 1 and answer.verification.sentences == 3


def test_a_sentence_cut_off_by_the_token_limit_is_left_out(library) -> None:
    bot = library(scripted("x"))
    n = _number_of(bot, LENS, LENS_TITLE)
    # The missing end could reverse the start ("…, a claim the trust denies."): never shown.
    bot = library(
        scripted(
            f"The restoration cost the lighthouse trust about 640,000 euros [{n}]. "
            f"The team replaced 41 cracked prisms with glass cast to the original"
        )
    )
    answer = bot.ask(LENS)
    assert_grounded(bot, answer)
    assert "640,000 euros" in answer.text and "prisms" not in answer.text
    assert answer.verification.dropped == (
        (
            "The team replaced 41 cracked prisms with glass cast to the original",
            "was cut off before its end",
        ),
    )
    assert any("cut off before its end" in note for note in answer.notes)


def test_a_wrong_citation_is_given_the_passage_that_supports_it(library) -> None:
    bot = library(scripted("x"))
    wrong = _other_number(bot, LENS, LENS_TITLE)
    bot = library(
        scripted(f"The restoration cost the lighthouse trust about 640,000 euros [{wrong}].")
    )
    answer = bot.ask(LENS)
    assert_grounded(bot, answer)
    assert [c.title for c in answer.citations] == [LENS_TITLE]
    assert answer.verification.reattributed == 1
    assert any("now cite the one that does" in note for note in answer.notes)


def test_omitted_markers_and_pasted_passages(library) -> None:
    bot = library(scripted("x"))
    passage = bot.retrieve(LENS, k=bot.settings.answer_passages)[0]
    # A small model's habits: no markers at all, the passage pasted back (twice, with the
    # prompt's own delimiters).
    pasted = f'<passage id="1">\n{passage.text}\n</passage>\n{passage.text}'
    bot = library(
        scripted(f"The work cost about 640,000 euros, Ingrid Solberg estimated.\n{pasted}")
    )
    answer = bot.ask(LENS)
    assert_grounded(bot, answer)
    assert "<passage" not in answer.text
    # Each pasted sentence appears once, cited.
    for claim in answer.claims:
        assert answer.text.count(claim.text) == 1
    assert any(why == "repeats an earlier sentence" for _, why in answer.verification.dropped)


def test_model_is_not_asked_when_nothing_supports_an_answer(library) -> None:
    model = scripted("Banana bread needs three ripe bananas [1].")
    bot = library(model)
    answer = bot.ask("What is the recipe for banana bread?")
    assert answer.abstained and not answer.citations
    assert model.seen == []
    assert "not asked" in " ".join(answer.notes)


def test_one_sided_answer_gets_the_other_side(library) -> None:
    question = "Did the council promise to keep the pier open year-round?"
    bot = library(scripted("x"))
    n = _number_of(
        bot, question, "Harbor Council Votes to Close Old Pier After Storm Damage Report"
    )
    model = scripted(
        f"Ana Ferreira claimed that the council had promised in 2019 to keep the pier open "
        f"year-round [{n}]."
    )
    bot = library(model)
    answer = bot.ask(question)
    assert_grounded(bot, answer)
    assert answer.conflict
    assert answer.text.startswith("The sources disagree")
    assert "disagree" in model.seen[0][1].text  # the model was told, too
    assert "Ana Ferreira claimed" in answer.text
    assert "no binding commitment to year-round access was ever adopted" in answer.text
    # Each side carries its own citation, and no sentence is given twice.
    claims = {c.text: c.citations for c in answer.claims}
    assert all(claims.values())
    assert len(claims) == len(answer.claims)


def test_unreachable_model_falls_back_to_the_extractive_answer(library) -> None:
    bot = library(unreachable())
    answer = bot.ask(LENS)
    assert answer.mode == "extractive"
    assert_grounded(bot, answer)
    assert "640,000 euros" in answer.text
    note = answer.notes[0]
    assert "could not be used" in note and "Connection refused" in note
    assert "quoted passages instead" in note


def test_model_with_nothing_verifiable_falls_back(library) -> None:
    bot = library(scripted("I think the moon is made of cheese. Everyone loves cheese a lot."))
    answer = bot.ask(LENS)
    assert answer.mode == "extractive" and "640,000 euros" in answer.text
    assert "None of the 2 sentence(s)" in answer.notes[0]
    assert answer.verification and answer.verification.kept == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nocolon", "is not provider:model"),
        ("no-such-provider:model-x", "unknown provider 'no-such-provider'"),
        ("llamacpp:/nowhere/model.gguf", "no GGUF file at '/nowhere/model.gguf'"),
    ],
)
def test_bad_model_setting_answers_extractively_and_says_why(
    make_assistant, spec: str, message: str
) -> None:
    bot = make_assistant(llm=spec)
    bot.ingest([ARTICLES / "lighthouse.md"])
    answer = bot.ask(LENS)
    assert answer.mode == "extractive" and "640,000 euros" in answer.text
    assert message in answer.notes[0] and "SOURCED_LLM" in answer.notes[0]
    assert "without a language model" in answer.notes[0]


def test_provider_without_its_package_or_server_falls_back(make_assistant) -> None:
    # langchain-ollama is not a dependency: either its package is missing (a setup error) or,
    # where a user has it, no server listens in the test environment (a call error).
    bot = make_assistant(llm="ollama:llama3.2")
    bot.ingest([ARTICLES / "lighthouse.md"])
    answer = bot.ask(LENS)
    assert answer.mode == "extractive" and "640,000 euros" in answer.text
    assert "ollama" in answer.notes[0]
