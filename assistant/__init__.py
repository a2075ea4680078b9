"""Sourced: answers over your sources, with the exact passage behind every claim."""

from assistant.api import Assistant, DocumentView
from assistant.types import Answer, Citation, Claim, IngestReport, Quote
from ingest.config import Settings
from ingest.errors import SourcedError
from vectorstore.types import Filters, Passage

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "Claim",
    "DocumentView",
    "Filters",
    "IngestReport",
    "Passage",
    "Quote",
    "Settings",
    "SourcedError",
]
