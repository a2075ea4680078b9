"""The "Check a claim" page: paste a claim, see whether the library (or a text pasted beside it)
supports it, contradicts it, or says nothing, with each quote highlighted in its article.

Claims, quotes and articles are untrusted text: everything is shown through :func:`escape`.
"""

from __future__ import annotations

import streamlit as st

from assistant import Assistant
from assistant.checker import CheckedQuote, ClaimCheck
from assistant.types import Citation
from ui.render import escape, highlighted, meta_line, paragraph_around

_VERDICT = {
    "supported": ("Supported", st.success),
    "contradicted": ("Contradicted", st.error),
    "not_found": ("Not found in the sources", st.warning),
}
_STANCE = {"supports": "says it", "contradicts": "says otherwise"}


def _context(bot: Assistant, citation: Citation, quote: CheckedQuote) -> str:
    """The quote highlighted in its paragraph of the stored article (or of the pasted text)."""
    document = bot.document(citation.doc_id) if citation.doc_id else None
    if document is not None and document.text[quote.start : quote.end] == quote.text:
        excerpt, s, e = paragraph_around(document.text, quote.start, quote.end)
        return highlighted(excerpt, s, e)
    offset = quote.start - citation.start
    if citation.text[offset : offset + len(quote.text)] == quote.text:
        excerpt, s, e = paragraph_around(citation.text, offset, offset + len(quote.text))
        return highlighted(excerpt, s, e)
    return escape(quote.text)


def show_check(bot: Assistant, result: ClaimCheck) -> None:
    """The verdict, its reason, and each quote with its source, highlighted in context."""
    label, box = _VERDICT[result.verdict]
    box(f"**{label}** — {escape(result.reason)}")
    several = len(result.sentences) > 1
    for i, sentence in enumerate(result.sentences):
        if several:
            word = _VERDICT[sentence.verdict][0].lower()
            st.markdown(
                f"**{i + 1}.** {escape(sentence.text)} — *{word}*: {escape(sentence.reason)}"
            )
        if sentence.opinion:
            st.caption(escape(f"Verifier model: {sentence.opinion}"))
        for q in sentence.quotes:
            citation = result.citations[q.citation - 1]
            with st.container(border=True):
                st.markdown(
                    f"**\\[{q.citation}\\]** {escape(citation.title)} — {_STANCE[q.stance]}"
                )
                st.caption(meta_line(citation.source, citation.author, citation.published_at))
                st.markdown(_context(bot, citation, q))
                if citation.url:
                    st.caption(escape(citation.url))
    if not result.quotes:
        st.caption("No passage of the sources speaks to this claim.")


def check_page(bot: Assistant) -> None:
    """Draw the page: the claim box, optional own text, and the last result."""
    st.title("Check a claim")
    st.caption(
        "Paste a claim to see whether the library supports it, contradicts it, or says "
        "nothing about it. Claims of several sentences are checked one sentence at a time."
    )
    with st.form("check-claim"):
        claim = st.text_area("Claim", key="claim-text", height=100)
        own = st.text_area(
            "Check against this text instead of the library (optional)",
            key="claim-sources",
            height=100,
        )
        submitted = st.form_submit_button("Check")
    if submitted:
        if not claim.strip():
            st.error("Write a claim to check.")
            return
        with st.spinner("Checking…"):
            st.session_state["claim-result"] = bot.check(claim, [own] if own.strip() else None)
    last = st.session_state.get("claim-result")
    if isinstance(last, ClaimCheck):
        show_check(bot, last)
