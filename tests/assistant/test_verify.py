"""The sentence check of generated answers, with the real embedder, against one fixture
article: what a small model writes and what must not pass as supported."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.checker import Thresholds
from assistant.verify import Verifier
from ingest.config import Settings
from vectorstore.lexical import Analyzer
from vectorstore.types import Passage

ARTICLE = Path(__file__).parents[1] / "fixtures" / "articles" / "lighthouse.md"


@pytest.fixture(scope="module")
def verifier(embedder) -> Verifier:
    text = ARTICLE.read_text(encoding="utf-8").split("---", 2)[2]
    passage = Passage(
        "c1",
        "d1",
        text,
        0,
        len(text),
        "Restored Lighthouse Lens Returns to Cape Marrow",
        "Port Avalon Gazette",
        "Jonas Whitaker",
    )
    return Verifier([passage], embedder, Analyzer(), Thresholds.from_settings(Settings()))


@pytest.mark.parametrize(
    "sentence",
    [
        "Conservator Ingrid Solberg estimated that the work cost the lighthouse trust about "
        "640,000 euros.",
        # Short paraphrases of a long sentence: a low cosine, held by their names and numbers.
        "The work cost about 640,000 euros, Ingrid Solberg estimated.",
        "According to conservator Ingrid Solberg, the restoration cost about 640,000 euros.",
        "Solberg put the cost at about 640,000 euros.",
        "Tomas Eriksen, president of the keeper's association, said visitors would see the lens "
        "lit again in November.",
    ],
)
def test_supported_sentences_are_kept(verifier: Verifier, sentence: str) -> None:
    verdict = verifier.check(sentence, (1,))
    assert verdict.kept, verdict.reason
    assert verdict.passages == (0,)


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        # Vague: it shares the article's words, but says nothing any sentence says.
        ("Restoring the lens was expensive and took a long time.", "no passage says it"),
        ("The lighthouse lens is an important piece of maritime history.", "no passage says"),
        # The article's words, scattered: no sentence of it says the lens went to a museum.
        (
            "The restored Fresnel lens from Halden went to a museum of the keeper's association "
            "instead of the tower.",
            "no passage says it",
        ),
        # A claim moved to another person named elsewhere in the same article.
        (
            "Tomas Eriksen said the team had replaced 41 cracked prisms with glass cast to the "
            "original recipe.",
            "names Tomas, Eriksen where the source names",
        ),
        (
            "Eriksen estimated that the work cost the lighthouse trust about 640,000 euros.",
            "Eriksen",
        ),
        (
            "Ingrid Solberg said visitors would be able to see the lens lit again from the first "
            "weekend of November.",
            "names Ingrid, Solberg where the source names Tomas, Eriksen",
        ),
        # About the prompt, not the world.
        ("Passage 1 describes the restoration of the lens in Halden.", "talks about the pass"),
        ("The provided passages do not say who paid for the restoration.", "talks about"),
        (
            'The passage "The lens, made in 1887, weighs about three tonnes" is untrusted data.',
            "talks about the passages",
        ),
    ],
)
def test_unsupported_sentences_are_left_out(verifier: Verifier, sentence: str, reason: str) -> None:
    verdict = verifier.check(sentence, (1,))
    assert not verdict.kept
    assert reason in verdict.reason


def test_a_phrase_the_article_itself_uses_is_not_talk_about_the_prompt(embedder) -> None:
    text = (
        "Leaked council minutes were published on Monday. The documents show that the council "
        "approved the harbour bill in May."
    )
    passage = Passage("c", "d", text, 0, len(text), "Harbour bill minutes leak", "Gazette")
    verifier = Verifier([passage], embedder, Analyzer())
    sentence = "The documents show the council approved the harbour bill in May."
    assert not verifier.talks_about_prompt(sentence)
    assert verifier.check(sentence, (1,)).kept
    assert verifier.talks_about_prompt("The provided documents show nothing about May.")


@pytest.mark.parametrize(
    "sentence",
    [
        # What a small local model wrote and the word-overlap verifier used to keep.
        "The passage on the lens restoration in 1887 is not mentioned.",
        # The article's words with the direction or the figure changed.
        "Conservator Ingrid Solberg said the team had replaced 14 cracked prisms.",
        "The lens was lifted back into its tower on Wednesday before its restoration.",
    ],
)
def test_sentences_the_old_checks_kept_are_left_out(verifier: Verifier, sentence: str) -> None:
    assert not verifier.check(sentence, (1,)).kept
