"""The chat UI's flows through Streamlit's AppTest, over a real library (real embedder, real
Chroma) in a temporary data directory."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import Assistant
from ui.render import escape, highlighted, highlighted_spans, linked_answer, paragraph_around

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "ui" / "app.py")
FIXTURES = ROOT / "tests" / "fixtures"
ARTICLES = FIXTURES / "articles"
COST_Q = "How much did the lighthouse lens restoration cost?"


@pytest.fixture()
def library(make_assistant, monkeypatch) -> Iterator[Assistant]:
    """A library holding the test articles; the app opens the same data directory."""
    bot = make_assistant()
    assert bot.ingest([ARTICLES]).documents == 4
    monkeypatch.setenv("SOURCED_DATA_DIR", str(bot.settings.data_dir))
    yield bot


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    assert not at.exception
    return at


def _unescape(values: list[str]) -> str:
    return " ".join(values).replace("\\", "").replace("\u2060", "")


def _assistant_text(at: AppTest, turn: int = -1) -> str:
    messages = [m for m in at.chat_message if m.name == "assistant"]
    return _unescape([md.value for md in messages[turn].markdown])


def _ask(at: AppTest, question: str) -> None:
    at.chat_input[0].set_value(question).run()
    assert not at.exception


@pytest.mark.slow
def test_ask_follow_up_and_open_citation(library: Assistant) -> None:
    at = _app()
    _ask(at, COST_Q)
    text = _assistant_text(at)
    assert "640,000 euros" in text
    # Inline markers link to the citation entries under the answer.
    assert "[[1]](#cite-0-1)" in text.replace("\\", "")
    _ask(at, "When will visitors see the lens lit again?")
    assert len([m for m in at.chat_message if m.name == "user"]) == 2
    assert "first weekend of November" in _assistant_text(at)
    assert "640,000 euros" in _assistant_text(at, 0)  # the first answer is still shown

    # Open the card of the citation quoting the cost, in the first answer.
    keys = [b.key for b in at.button if b.key and b.key.startswith("open-0-")]
    for key in keys:
        at.button(key=key).click().run()
        cards = [m.value for m in at.markdown if ":orange-background[**" in m.value]
        if any("640" in v for v in cards):
            break
    else:
        pytest.fail("no citation card highlights the cost")
    card = next(v for v in cards if "640" in v).replace("\\", "")
    # The highlighted sentence sits within its paragraph.
    assert card.startswith("Conservator Ingrid Solberg said")
    assert ":orange-background[**She estimated" in card
    assert any(
        lb.proto.url == "https://example.org/gazette/lighthouse-lens"
        for lb in at.get("link_button")
    )


@pytest.mark.slow
def test_new_chat_forgets_the_conversation(library: Assistant) -> None:
    at = _app()
    _ask(at, COST_Q)
    assert at.session_state["turns"]
    assert at.sidebar.button[0].label == "New chat"
    at.sidebar.button[0].click().run()
    assert at.session_state["turns"] == []
    assert not [m for m in at.chat_message]


@pytest.mark.slow
def test_filters_narrow_the_sources(library: Assistant) -> None:
    at = _app()
    at.multiselect(key="filter_sources").select("Valley Ledger").run()
    _ask(at, COST_Q)
    text = _assistant_text(at)
    # The lighthouse article is from another source, so its cost cannot be cited.
    assert "640,000" not in text
    turn = at.session_state["turns"][0]
    assert turn.filters.sources == ("Valley Ledger",)
    assert all(c.source == "Valley Ledger" for c in turn.answer.citations)
    assert "Filtered by sources: Valley Ledger" in _unescape([c.value for c in at.caption])


@pytest.mark.slow
def test_date_range_filter_and_its_error(library: Assistant) -> None:
    import datetime as dt

    at = _app()
    at.date_input(key="filter_since").set_value(dt.date(2024, 1, 1)).run()
    _ask(at, COST_Q)
    turn = at.session_state["turns"][0]
    assert turn.filters.since == "2024-01-01"
    assert all(c.published_at >= "2024-01-01" for c in turn.answer.citations)
    assert "640,000" not in _assistant_text(at)
    # An empty range is refused with a message, not an exception.
    at.date_input(key="filter_until").set_value(dt.date(2023, 1, 1)).run()
    _ask(at, COST_Q)
    assert any("date range is empty" in e.value for e in at.error)
    assert len(at.session_state["turns"]) == 1


@pytest.mark.slow
def test_export_markdown_has_numbered_sources(library: Assistant) -> None:
    at = _app()
    _ask(at, COST_Q)
    from ui.chat import Turn
    from ui.export import conversation_markdown

    turns: list[Turn] = at.session_state["turns"]
    md = conversation_markdown([(t.question, t.answer) for t in turns])
    assert md.startswith("# Sourced conversation")
    assert "## 1. How much did the lighthouse lens restoration cost?" in md
    assert "640,000 euros" in md
    assert "1. **Restored Lighthouse Lens Returns to Cape Marrow** — Port Avalon Gazette" in md
    assert "<https://example.org/gazette/lighthouse-lens>" in md
    button = at.sidebar.get("download_button")[0]
    assert not button.proto.disabled and button.proto.label.startswith("Export conversation")


@pytest.mark.slow
def test_errors_are_messages_not_tracebacks(library: Assistant) -> None:
    at = _app()
    _ask(at, "   ")  # retrieval refuses an empty question with a SourcedError
    errors = [e.value for e in at.error]
    assert errors and "question is empty" in errors[0] and not at.exception
    turn = at.session_state["turns"][-1]
    assert turn.error and turn.answer is None
    _ask(at, COST_Q)  # the conversation goes on after an error
    assert "640,000 euros" in _assistant_text(at)


def test_unexpected_failure_is_a_message(tmp_path: Path, monkeypatch) -> None:
    not_a_dir = tmp_path / "data"
    not_a_dir.write_text("a file where the data directory should be")
    monkeypatch.setenv("SOURCED_DATA_DIR", str(not_a_dir))
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    assert not at.exception
    message = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Something went wrong" in message and "Traceback" not in message


@pytest.mark.slow
def test_library_upload_search_and_delete(library: Assistant) -> None:
    at = _app()
    at.switch_page("page_library.py").run()
    assert not at.exception
    assert "4 documents" in at.caption[0].value
    assert "embedded by all-MiniLM-L6-v2 on " in at.caption[0].value
    upload = FIXTURES / "upload" / "tram-line.md"
    at.file_uploader[0].upload(upload.name, upload.read_bytes(), "text/markdown").run()
    at.button(key="ingest-uploads").click().run()
    assert not at.exception
    assert any("1 added" in s.value for s in at.success)
    assert "5 documents" in at.caption[0].value
    assert (library.settings.data_dir / "uploads" / upload.name).read_bytes() == upload.read_bytes()

    # Re-ingesting an unchanged file stores nothing new and says so.
    harbor = next(r for r in library.sources() if r.locator.endswith("scraped-harbor.txt"))
    at.button(key=f"re-{harbor.doc_id}").click().run()
    assert any("1 unchanged" in s.value for s in at.success)

    # A web address is checked before anything is fetched.
    at.text_input(key="add-url").input("not a url").run()
    at.button(key="FormSubmitter:add-url-Add page").click().run()
    assert any("is not a web address" in e.value for e in at.error)

    at.text_input(key="library-search").input("tram").run()
    titles = [m.value.replace("\\", "") for m in at.markdown if m.value.startswith("**")]
    assert titles == ["**Night Tram Line Opens Between Old Town and the Ferry Port**"]

    doc_id = next(r.doc_id for r in library.sources() if r.title.startswith("Night Tram"))
    at.button(key=f"del-{doc_id}").click().run()
    assert any("Delete “Night Tram Line" in w.value for w in at.warning)
    at.button(key=f"yes-{doc_id}").click().run()
    assert not at.exception
    assert all(r.doc_id != doc_id for r in library.sources())
    assert any("Deleted" in s.value for s in at.success)


def test_config_keeps_xsrf_on_and_limits_uploads() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert 1 <= config["server"]["maxUploadSize"] <= 200
    assert config["client"]["showErrorDetails"] in ("type", "none")


def test_untrusted_text_is_inert_markdown() -> None:
    payload = "<script>alert(1)</script> ![x](https://evil.example/p.png) [link](http://e.x) **b**"
    out = escape(payload)
    assert "<script>" not in out and "![" not in out and "](" not in out and "**" not in out
    assert out.replace("\\", "").replace("\u2060", "") == payload


def test_bare_urls_and_emails_do_not_become_links() -> None:
    out = escape("see https://evil.example/x, www.evil.example and me@evil.example")
    assert "https\\:\u2060\\/\\/evil" in out
    assert "www\u2060\\.evil" in out and "@\u2060evil" in out


def test_highlight_across_a_paragraph_break_marks_each_paragraph() -> None:
    md = highlighted_spans("Aa b.\n\nC d. E", [(0, 9)])
    assert md == ":orange-background[**Aa b\\.**]\n\n:orange-background[**C**] d\\. E"


def test_only_real_citation_markers_become_links() -> None:
    text = "Costs rose [1][2]. A quoted [7] and [link](javascript:x) stay text."
    md = linked_answer(text, [1, 2], turn=3)
    assert "[\\[1\\]](#cite-3-1)[\\[2\\]](#cite-3-2)" in md
    assert "\\[7\\]" in md and "(#cite-3-7)" not in md
    assert "](javascript" not in md


def test_highlight_marks_exactly_the_quote() -> None:
    text = "First paragraph.\n\nThe quoted sentence here. Another one.\n\nLast."
    start = text.index("The quoted")
    end = start + len("The quoted sentence here.")
    excerpt, s, e = paragraph_around(text, start, end)
    assert excerpt == "The quoted sentence here. Another one."
    md = highlighted(excerpt, s, e)
    assert md.startswith(":orange-background[**The quoted sentence here\\.**]")
    two = highlighted_spans("A b. C d. E f.", [(0, 4), (10, 14)])
    assert two == ":orange-background[**A b\\.**] C d\\. :orange-background[**E f\\.**]"


@pytest.mark.slow
def test_check_a_claim_shows_the_verdict_and_the_highlighted_quote(library: Assistant) -> None:
    at = _app()
    at.switch_page("page_check.py").run()
    assert not at.exception
    at.text_area(key="claim-text").input(
        "Ingrid Solberg estimated that the work cost about 460,000 euros."
    )
    at.button(key="FormSubmitter:check-claim-Check").click().run()
    assert not at.exception
    assert any("Contradicted" in e.value for e in at.error)
    shown = _unescape([m.value for m in at.markdown])
    assert ":orange-background[**She estimated that the work cost" in shown
    assert "640,000 euros" in shown

    # Against the user's own text instead of the library; markup in it stays inert.
    at.text_area(key="claim-text").input("The ferry fare fell to 12 euros.")
    at.text_area(key="claim-sources").input(
        "The ferry fare fell to 12 euros.\n\nSee [the notice](http://e.x/n) for details."
    )
    at.button(key="FormSubmitter:check-claim-Check").click().run()
    assert any("Supported" in s.value for s in at.success)
    shown = " ".join(m.value for m in at.markdown)
    assert "ferry fare fell" in shown and "[the notice](http" not in shown
