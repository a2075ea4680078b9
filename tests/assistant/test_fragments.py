"""Which sentences an extractive answer may quote on their own."""

import pytest

from assistant.extractive import is_fragment


@pytest.mark.parametrize(
    "text",
    [
        "Budget cuts",  # a heading
        "Will the council approve the budget next month?",  # a question lifted from the text
        "and the mayor said the budget was final.",  # a continuation
        "“We will not close the pier,” the mayor said, adding that the",  # cut off
        "Photo: Mara Quill for the Tide Herald.",  # a credit
    ],
)
def test_fragments_are_not_quoted(text: str) -> None:
    assert is_fragment(text)


@pytest.mark.parametrize(
    "text",
    [
        "The council set the fireworks budget at 85,000 crowns on Monday.",
        # scraped markup after the full stop is shown as text, it does not cut the sentence
        "The council set the fireworks budget at 85,000 crowns on Monday. <script>x()</script>",
        "The council set the budget on Monday. <img src='a.png'>",
    ],
)
def test_whole_sentences_are_quotable(text: str) -> None:
    assert not is_fragment(text)
