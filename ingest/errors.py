"""The one exception hierarchy of Sourced.

Every error a user can cause or fix derives from :class:`SourcedError`; its message names the bad
value and says what to do. The CLI turns these into exit code 1 with the message on stderr.
"""

from __future__ import annotations


class SourcedError(Exception):
    """Base class of every error Sourced raises on purpose."""


class ConfigError(SourcedError):
    """A setting has a value that cannot work."""


class IngestError(SourcedError):
    """A source could not be read or parsed; ``source`` names the file (and line) or URL."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(SourcedError):
    """The vector store or its bookkeeping cannot be used as asked."""


class EmbeddingModelMismatch(StoreError):
    """The store was built with another embedding model than the one configured."""


class AnswerError(SourcedError):
    """An answer broke the citation contract (a quote outside its passage, a claim citing a
    number that is not there) or none was produced; it is never shown."""


class IngestInterrupted(SourcedError):
    """An ingest was asked to stop and stopped between documents: ``done`` documents are
    stored (or were already), ``left`` were not ingested; the same ingest again finishes it."""

    def __init__(self, done: int, left: int) -> None:
        super().__init__(
            f"interrupted: {done} document(s) done and stored, {left} not ingested; "
            "run the same command again to finish (stored documents are skipped)"
        )
        self.done = done
        self.left = left
