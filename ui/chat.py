"""The chat page: the conversation of this browser session, streamed answers with their
citation lists, the passage card, and the sidebar (new chat, export, filters, answer settings).

The conversation lives in ``st.session_state`` only, so every browser session has its own.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import streamlit as st

from assistant import Answer, Assistant, Citation, Filters, SourcedError
from ui.export import conversation_markdown
from ui.render import (
    citation_anchor,
    escape,
    highlighted_spans,
    linked_answer,
    meta_line,
    paragraph_around,
    split_at_passage,
)
from ui.resources import EXTRACTIVE, MODEL, model_configured, session_assistant

log = logging.getLogger(__name__)

_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_EARLIEST = date(1800, 1, 1)
_LATEST = date(2200, 12, 31)


@dataclass
class Turn:
    """One question of the conversation and what came of it."""

    question: str
    filters: Filters = field(default_factory=Filters)
    answer: Answer | None = None
    error: str = ""


def _turns() -> list[Turn]:
    turns: list[Turn] = st.session_state.setdefault("turns", [])
    return turns


def new_chat() -> None:
    """Forget this session's conversation (the library and settings stay)."""
    st.session_state["turns"] = []


def history(turns: list[Turn]) -> list[tuple[str, str]]:
    """The conversation so far as (role, text) pairs, answered turns only."""
    pairs: list[tuple[str, str]] = []
    for turn in turns:
        if turn.answer is not None:
            pairs += [("user", turn.question), ("assistant", turn.answer.text)]
    return pairs


def filters_label(filters: Filters) -> str:
    """A short human description of the filters a question carried ('' when none)."""
    parts = []
    if filters.sources:
        parts.append("sources: " + ", ".join(filters.sources))
    if filters.authors:
        parts.append("authors: " + ", ".join(filters.authors))
    if filters.since and filters.until:
        parts.append(f"dated {filters.since} to {filters.until}")
    elif filters.since:
        parts.append(f"dated from {filters.since}")
    elif filters.until:
        parts.append(f"dated until {filters.until}")
    return "; ".join(parts)


# --- passage card ------------------------------------------------------------------------------
def _quote_spans(c: Citation) -> list[tuple[int, int]]:
    return [(q.start, q.end) for q in c.quotes] or [(c.start, c.end)]


def passage_card(bot: Assistant, c: Citation, turn: int) -> None:
    """The cited sentence highlighted in its paragraph, with the article's metadata, a link to
    the original and the whole document opened at that place."""
    doc = bot.document(c.doc_id)
    if doc is not None and doc.text[c.start : c.end] == c.text:
        text, spans = doc.text, _quote_spans(c)
    else:  # removed or changed since: show the passage as it was cited
        text = c.text
        spans = [(a - c.start, b - c.start) for a, b in _quote_spans(c)]
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    st.markdown(f"**{escape(c.title or '(untitled)')}**")
    st.caption(meta_line(c.source, c.author, c.published_at))
    with st.container(border=True, key=f"card-passage-{turn}-{c.n}"):
        excerpt, s, _ = paragraph_around(text, first, last)
        st.markdown(highlighted_spans(excerpt, [(a - first + s, b - first + s) for a, b in spans]))
    cols = st.columns([1, 1])
    if c.url and _HTTP.match(c.url):
        cols[0].link_button("Open the original ↗", c.url, use_container_width=True)
    else:
        cols[0].caption("No link to the original was stored.")
    whole = cols[1].toggle("Whole document at this passage", key=f"whole-{turn}-{c.n}")
    if whole:
        before, para, p_start, _, after = split_at_passage(text, first, last)
        with st.container(height=420, key=f"card-document-{turn}-{c.n}"):
            if before:
                with st.expander(f"Earlier in the document ({len(before.split())} words)"):
                    st.markdown(escape(before))
            shifted = [(a - first + p_start, b - first + p_start) for a, b in spans]
            st.markdown(highlighted_spans(para, shifted))
            if after:
                st.markdown(escape(after))
    if text is c.text:
        st.caption("This document was removed or changed since; shown as it was cited.")


@st.dialog("Passage", width="large")
def _card_dialog(bot: Assistant, c: Citation, turn: int) -> None:
    passage_card(bot, c, turn)


# --- conversation ------------------------------------------------------------------------------
def _citation_list(bot: Assistant, answer: Answer, turn: int) -> None:
    st.markdown("**Sources**")
    for c in (*answer.citations, *answer.more_citations):
        with st.container(key=f"cite-{turn}-{c.n}"):
            num, body = st.columns([1, 14], vertical_alignment="top")
            if num.button(f"{c.n}", key=f"open-{turn}-{c.n}", help="Open the passage card"):
                _card_dialog(bot, c, turn)
            with body:
                meta = meta_line(c.source, c.author, c.published_at)
                st.subheader(
                    f":small[{escape(c.title or '(untitled)')}]"
                    + (f" :small[:gray[{meta}]]" if meta else ""),
                    anchor=citation_anchor(turn, c.n),
                )
                quote = " … ".join(q.text for q in c.quotes) if c.quotes else c.text
                st.markdown(highlighted_spans(quote, [(0, len(quote))], bold=False))


def _show_answer(bot: Assistant, answer: Answer, turn: int) -> None:
    if answer.abstained:
        st.info(escape(answer.text), icon=":material/search_off:")
    else:
        st.markdown(linked_answer(answer.text, [c.n for c in answer.citations], turn))
    if answer.conflict and "The sources disagree" not in answer.text:
        st.warning(
            "The sources disagree; each side is shown with its own citation.",
            icon=":material/balance:",
        )
    for note in answer.notes:
        if note and note not in answer.text:
            st.caption(escape(note))
    if answer.more:
        with st.expander("More evidence"):
            numbers = [c.n for c in (*answer.citations, *answer.more_citations)]
            st.markdown(linked_answer(answer.more, numbers, turn))
    if answer.citations:
        _citation_list(bot, answer, turn)


def _show_turn(bot: Assistant, turn: Turn, i: int) -> None:
    with st.chat_message("user"):
        st.markdown(escape(turn.question))
        label = filters_label(turn.filters)
        if label:
            st.caption(escape(f"Filtered by {label}"))
    with st.chat_message("assistant"):
        if turn.error:
            st.error(escape(turn.error))
        elif turn.answer is not None:
            _show_answer(bot, turn.answer, i)


def _pieces(
    view: Assistant,
    question: str,
    past: list[tuple[str, str]],
    filters: Filters,
    status: object,
    holder: dict[str, Answer],
) -> Iterator[str]:
    first = True
    for piece in view.stream(question, history=past, filters=filters):
        if first:
            status.update(label="Reading the passages and answering…")  # type: ignore[attr-defined]
            first = False
        if isinstance(piece, Answer):
            holder["answer"] = piece
        else:
            yield escape(piece)


def _ask(bot: Assistant, question: str, filters: Filters, passages: int, mode: str) -> None:
    turns = _turns()
    turn = Turn(question=question, filters=filters)
    past = history(turns)
    turns.append(turn)
    _show_turn(bot, turn, len(turns) - 1)
    with st.chat_message("assistant"):
        status = st.status(f"Retrieving up to {passages} passages…", expanded=False)
        holder: dict[str, Answer] = {}
        try:
            view = session_assistant(bot, passages, mode)
            st.write_stream(_pieces(view, question, past, filters, status, holder))
            answer = holder.get("answer")
            if answer is None:
                raise SourcedError("the assistant returned no answer; try asking again")
        except SourcedError as exc:
            turn.error = str(exc)
        except Exception as exc:  # shown as a message, never as a stack trace
            log.exception("answering %r failed", question)
            turn.error = (
                f"Something went wrong while answering ({type(exc).__name__}: {exc}). "
                "Try again; if it keeps happening, the server log has the details."
            )
        else:
            turn.answer = answer
            n = len(answer.citations)
            label = "No passage answers this" if answer.abstained else f"Cited {n} passage(s)"
            status.update(label=label, state="complete")
    st.rerun()


# --- sidebar -----------------------------------------------------------------------------------
def _sidebar(bot: Assistant) -> tuple[Filters, int, str, str]:
    """Draws the sidebar; returns the filters, the number of passages, the answer mode and an
    error about the filters ('' when they are valid)."""
    turns = _turns()
    with st.sidebar:
        st.button("New chat", type="primary", on_click=new_chat, use_container_width=True)
        answered = [(t.question, t.answer) for t in turns]
        st.download_button(
            "Export conversation (Markdown)",
            data=conversation_markdown(answered) if turns else "",
            file_name="sourced-conversation.md",
            mime="text/markdown",
            disabled=not turns,
            use_container_width=True,
        )
        st.subheader("Filters")
        records = bot.sources()
        names = sorted({r.source for r in records if r.source}, key=str.lower)
        sources = st.multiselect("Sources", names, key="filter_sources", placeholder="All sources")
        left, right = st.columns(2)
        since = left.date_input(
            "From", value=None, min_value=_EARLIEST, max_value=_LATEST, key="filter_since"
        )
        until = right.date_input(
            "Until", value=None, min_value=_EARLIEST, max_value=_LATEST, key="filter_until"
        )
        problem = ""
        if isinstance(since, date) and isinstance(until, date) and since > until:
            problem = f"The date range is empty: From ({since}) is after Until ({until})."
            st.error(problem)
        st.subheader("Answers")
        modes = [EXTRACTIVE, MODEL] if model_configured(bot) else [EXTRACTIVE]
        labels = {EXTRACTIVE: "Quotes only (extractive)", MODEL: f"Model ({bot.settings.llm})"}
        mode = st.radio("Answer mode", modes, format_func=labels.__getitem__, key="answer_mode")
        if not model_configured(bot):
            st.caption("Generated answers need a model: set SOURCED\\_LLM and restart.")
        passages = st.slider(
            "Passages to read", 1, 20, value=bot.settings.answer_passages, key="answer_passages"
        )
        st.caption(f"Library: {len(records)} documents")
    filters = Filters(
        sources=tuple(sources),
        since=since.isoformat() if isinstance(since, date) else None,
        until=until.isoformat() if isinstance(until, date) else None,
    )
    return filters, int(passages), str(mode or EXTRACTIVE), problem


def chat_page(bot: Assistant) -> None:
    """The chat page."""
    filters, passages, mode, problem = _sidebar(bot)
    st.title("Sourced")
    st.caption("Answers from your sources, with the exact passage behind every claim.")
    turns = _turns()
    if not turns and not bot.sources():
        st.info("The library is empty: add articles on the Library page first.")
    for i, turn in enumerate(turns):
        _show_turn(bot, turn, i)
    question = st.chat_input("Ask about your sources, e.g. Did NATO promise not to expand?")
    if not question:
        return
    if problem:
        st.error(problem)
        return
    _ask(bot, question, filters, passages, mode)
