"""The Sourced chat UI: streamed, cited answers over the library, and the library itself.

Run with ``sourced ui`` (or ``streamlit run ui/app.py``). Untrusted text (articles, answers) is
escaped Markdown or plain text only; ``unsafe_allow_html`` is never used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from assistant import Answer, Assistant, Settings, SourcedError
from assistant.api import load_embedder
from ui.render import citation_caption, escape, highlighted, paragraph_around
from vectorstore.embeddings import Embedder

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


@st.cache_resource(show_spinner="Loading the embedding model…")
def _embedder(model_path: str, name: str, batch_size: int) -> Embedder:
    # Shared by all sessions: the model is read-only.
    return load_embedder(
        Settings(embedding_model_path=model_path, embedding_model=name, embed_batch_size=batch_size)
    )


@st.cache_resource(show_spinner="Opening the library…")
def _assistant(data_dir: str) -> Assistant:
    # Shared by all sessions of this server: one writer per data directory.
    settings = Settings(data_dir=Path(data_dir))
    embedder = _embedder(
        settings.embedding_model_path, settings.embedding_model, settings.embed_batch_size
    )
    return Assistant(settings, embedder=embedder)


def _show_citations(answer: Answer, bot: Assistant, key: str) -> None:
    for c in answer.citations:
        with st.expander(f"[{c.n}] {c.title}", expanded=False):
            st.caption(citation_caption(c.title, c.source, c.author, c.published_at))
            doc = bot.document(c.doc_id)
            text = doc.text if doc else c.text
            quotes = c.quotes or ()
            q_start = quotes[0].start if quotes else c.start
            q_end = quotes[-1].end if quotes else c.end
            excerpt, s, e = paragraph_around(text, q_start, q_end)
            st.markdown(highlighted(excerpt, s, e))
            if c.url:
                st.link_button("Open the original", c.url)
            st.caption(f"characters {c.start}–{c.end} of the document · score {c.score:.3f}")


def _show_answer(answer: Answer, bot: Assistant, key: str) -> None:
    st.markdown(escape(answer.text))
    if answer.conflict:
        st.info("The sources disagree; each side is shown with its own citation.")
    _show_citations(answer, bot, key)


def _sidebar(bot: Assistant) -> None:
    with st.sidebar:
        st.header("Sources")
        records = bot.sources()
        st.caption(f"{len(records)} documents · data in {bot.settings.data_dir}")
        for r in records:
            meta = " · ".join(x for x in (r.source, r.published_at, f"{r.chunks} passages") if x)
            st.markdown(f"**{escape(r.title)}**  \n{escape(meta)}")
        st.divider()
        files = st.file_uploader(
            "Add articles",
            type=["txt", "md", "html", "htm", "json", "jsonl"],
            accept_multiple_files=True,
        )
        if files and st.button("Ingest uploaded files"):
            upload_dir = bot.settings.data_dir / "uploads"
            upload_dir.mkdir(parents=True, exist_ok=True)
            paths = []
            for f in files:
                path = upload_dir / Path(f.name).name
                path.write_bytes(f.getvalue())
                paths.append(path)
            with st.spinner(f"Ingesting {len(paths)} file(s)…"):
                try:
                    report = bot.ingest(paths)
                except SourcedError as exc:
                    st.error(str(exc))
                    return
            st.success(f"{report.documents} document(s) added, {report.chunks} passages.")
            for problem in report.errors:
                st.error(f"{problem.source}: {problem.reason}")
        if st.button("New chat"):
            st.session_state.messages = []
            st.rerun()


def _answer_stream(
    bot: Assistant, question: str, holder: dict[str, Answer], status: object
) -> Iterator[str]:
    first = True
    for piece in bot.stream(question):
        if first:
            status.update(label="Found passages; answering", state="complete")  # type: ignore[attr-defined]
            first = False
        if isinstance(piece, Answer):
            holder["answer"] = piece
        else:
            yield escape(piece)


def main() -> None:
    st.set_page_config(page_title="Sourced", page_icon="📰", layout="wide")
    st.title("Sourced")
    st.caption("Answers from your sources, with the exact passage behind every claim.")
    try:
        bot = _assistant(str(Settings().data_dir.resolve()))
    except SourcedError as exc:
        st.error(str(exc))
        return
    _sidebar(bot)
    messages = st.session_state.setdefault("messages", [])
    for i, message in enumerate(messages):
        with st.chat_message(message["role"]):
            if message["role"] == "assistant":
                _show_answer(message["answer"], bot, f"m{i}")
            else:
                st.markdown(escape(message["content"]))
    question = st.chat_input("Ask about your sources, e.g. Did NATO promise not to expand?")
    if not question:
        return
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.markdown(escape(question))
    with st.chat_message("assistant"):
        holder: dict[str, Answer] = {}
        status = st.status("Searching the sources…", expanded=False)
        try:
            st.write_stream(_answer_stream(bot, question, holder, status))
        except SourcedError as exc:
            st.error(str(exc))
            messages.pop()
            return
        answer = holder["answer"]
        messages.append({"role": "assistant", "content": answer.text, "answer": answer})
        st.rerun()


main()
