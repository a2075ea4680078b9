"""The claim-check page (a page of ``ui/app.py``)."""

from ui.check import check_page
from ui.shell import run_page

run_page(check_page)
