"""The chat page (a page of ``ui/app.py``)."""

from ui.chat import chat_page
from ui.shell import run_page

run_page(chat_page)
