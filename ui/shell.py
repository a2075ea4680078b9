"""Runs a page of the app inside the guard every page shares: the library is opened once per
server, and a failure shows as a readable message in the page, never as a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from assistant import Assistant, SourcedError
from ui.render import escape
from ui.resources import shared_assistant

log = logging.getLogger(__name__)


def run_page(page: Callable[[Assistant], None]) -> None:
    """Draw ``page`` over the shared assistant; errors become messages in the page."""
    try:
        bot = shared_assistant()
        page(bot)
    except SourcedError as exc:
        st.error(escape(str(exc)))
    except Exception as exc:  # st.rerun()/st.stop() are BaseExceptions and pass through
        log.exception("the page %s failed", getattr(page, "__name__", page))
        st.error(
            escape(f"Something went wrong ({type(exc).__name__}: {exc}).")
            + " Reload the page to try again; the server log has the details."
        )
