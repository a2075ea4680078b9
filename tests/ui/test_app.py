from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.render import escape, highlighted, paragraph_around

APP = str(Path(__file__).parents[2] / "ui" / "app.py")
ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"


@pytest.fixture()
def app_data(make_assistant, monkeypatch) -> Path:
    bot = make_assistant()
    bot.ingest([ARTICLES])
    data_dir = bot.settings.data_dir
    bot.close()
    monkeypatch.setenv("SOURCED_DATA_DIR", str(data_dir))
    return data_dir


@pytest.mark.slow
def test_ask_shows_answer_and_citations(app_data: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    sidebar = " ".join(m.value for m in at.sidebar.markdown)
    assert "Restored Lighthouse Lens Returns to Cape Marrow" in sidebar.replace("\\", "")
    at.chat_input[0].set_value("How much did the lighthouse lens restoration cost?").run()
    assert not at.exception
    assistant_msgs = [m for m in at.chat_message if m.name == "assistant"]
    assert assistant_msgs
    text = " ".join(md.value for md in assistant_msgs[-1].markdown).replace("\\", "")
    assert "640,000 euros" in text and "[1]" in text
    labels = [e.label for e in at.expander]
    assert any(label.startswith("[1] Restored Lighthouse Lens") for label in labels)
    highlighted_md = [md.value for md in at.markdown if ":orange-background[" in md.value]
    assert any("640" in v for v in highlighted_md)


def test_untrusted_text_is_inert_markdown() -> None:
    payload = "<script>alert(1)</script> ![x](https://evil.example/p.png) [link](http://e.x) **b**"
    out = escape(payload)
    assert "<script>" not in out and "![" not in out and "](" not in out and "**" not in out
    assert out.replace("\\", "") == payload


def test_highlight_marks_exactly_the_quote() -> None:
    text = "First paragraph.\n\nThe quoted sentence here. Another one.\n\nLast."
    start = text.index("The quoted")
    end = start + len("The quoted sentence here.")
    excerpt, s, e = paragraph_around(text, start, end)
    assert excerpt == "The quoted sentence here. Another one."
    md = highlighted(excerpt, s, e)
    assert md.startswith(":orange-background[**The quoted sentence here\\.**]")
