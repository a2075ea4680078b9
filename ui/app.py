"""The Sourced chat UI: streamed, cited answers over the library, and the library itself.

Run with ``sourced ui`` (or ``streamlit run ui/app.py`` from the repository root, which reads
``.streamlit/config.toml``). Untrusted text (articles, answers) is escaped Markdown or plain text
only; ``unsafe_allow_html`` is never used. Shared objects are cached per server; everything a
browser session owns (conversation, filters, settings) is in ``st.session_state``.
"""

from __future__ import annotations

import os

import streamlit as st

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def main() -> None:
    # An emoji favicon is drawn locally; a :material/ one would be fetched from Google's CDN.
    st.set_page_config(page_title="Sourced", page_icon="📰", layout="wide")
    pages = [
        st.Page(
            "page_chat.py", title="Chat", icon=":material/chat:", url_path="chat", default=True
        ),
        st.Page(
            "page_check.py",
            title="Check a claim",
            icon=":material/fact_check:",
            url_path="check",
        ),
        st.Page(
            "page_library.py",
            title="Library",
            icon=":material/library_books:",
            url_path="library",
        ),
    ]
    st.navigation(pages).run()


main()
