from ingest.sentences import sentence_spans


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_abbreviations_and_initials_do_not_split() -> None:
    text = "U.S. President George W. Bush met Dr. Smith in Washington. They talked for an hour."
    assert _split(text) == [
        "U.S. President George W. Bush met Dr. Smith in Washington.",
        "They talked for an hour.",
    ]


def test_quotes_and_offsets() -> None:
    text = "  He said: “We will return.” Then he left! Did he? Yes."
    parts = sentence_spans(text)
    assert [text[s:e] for s, e in parts] == [
        "He said: “We will return.”",
        "Then he left!",
        "Did he?",
        "Yes.",
    ]


def test_numbers_are_not_boundaries() -> None:
    assert len(_split("It cost 3.1 million euros in 2023. Prices rose.")) == 2


def test_a_sentence_never_crosses_a_paragraph_break() -> None:
    text = "Budget set on Monday <b>tag</b>\n\nOrganisers said it would last twenty minutes."
    assert _split(text) == [
        "Budget set on Monday <b>tag</b>",
        "Organisers said it would last twenty minutes.",
    ]
