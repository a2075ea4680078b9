"""The library page (a page of ``ui/app.py``)."""

from ui.library import library_page
from ui.shell import run_page

run_page(library_page)
