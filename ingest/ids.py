"""Stable sha256 identifiers for documents and chunks."""

from __future__ import annotations

import hashlib


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_id(locator: str) -> str:
    """Id of a document from its URL or path (or ``path#record``): 16 hex digits of sha256."""
    return sha256(locator)[:16]


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    """Id of a chunk: sha256 of its document id, offsets and text."""
    return sha256(f"{doc_id}\x1f{start}\x1f{end}\x1f{text}")
