"""PDF (pypdf) and Word (python-docx) files as article text.

Both come out as one paragraph a line, paragraphs separated by a blank line, so the cleaning
rules of scraped text apply unchanged. A PDF keeps where each page starts in that text, so a
chunk (and a citation) can name its page.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from ingest.errors import IngestError

_TERMINAL = re.compile(r"""[.!?…:;]["'”’)\]]*$""")


@dataclass(frozen=True)
class Extracted:
    """Text of a paginated or structured file, its metadata, and page start offsets."""

    text: str
    meta: dict[str, str]
    page_starts: tuple[int, ...] = ()


def reflow(page_text: str) -> list[str]:
    """Paragraphs of a PDF page from its visual lines: lines are joined (hyphenated words
    rejoined) until a blank line, or a line that ends a sentence and stops short of the
    page's usual line width."""
    lines = [line.strip() for line in page_text.splitlines()]
    widths = sorted(len(line) for line in lines if line)
    full = widths[int(len(widths) * 0.8)] if widths else 0
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current.endswith("-") and line[:1].islower():
            current = current[:-1] + line
        else:
            current = f"{current} {line}" if current else line
        if _TERMINAL.search(line) and len(line) < 0.85 * full:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return [re.sub(r"\s+", " ", p).strip() for p in paragraphs if p.strip()]


def read_pdf(data: bytes, origin: str) -> Extracted:
    """The text of a PDF, page by page; a damaged or encrypted file raises ``IngestError``."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise IngestError(origin, "is an encrypted PDF; save a copy without a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise IngestError(
            origin, f"is not a readable PDF ({exc.__class__.__name__}: {exc}); it may be truncated"
        ) from exc
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page in pages:
        starts.append(offset)
        body = "\n\n".join(reflow(page))
        parts.append(body)
        offset += len(body) + 2
    text = "\n\n".join(parts)
    if not text.strip():
        raise IngestError(origin, "has no extractable text (a scanned PDF?); run OCR on it first")
    meta: dict[str, str] = {}
    if info is not None:
        if info.title and str(info.title).strip():
            meta["title"] = str(info.title).strip()
        if info.author and str(info.author).strip():
            meta["author"] = str(info.author).strip()
    return Extracted(text, meta, tuple(starts))


def read_docx(data: bytes, origin: str) -> Extracted:
    """The paragraphs (headings as their own lines) and core properties of a .docx file."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(
            origin, f"is not a readable Word (.docx) file ({exc}); it may be truncated"
        ) from exc
    paragraphs = [re.sub(r"\s+", " ", p.text).strip() for p in document.paragraphs]
    text = "\n\n".join(p for p in paragraphs if p)
    props = document.core_properties
    meta: dict[str, str] = {}
    if props.title:
        meta["title"] = props.title.strip()
    if props.author:
        meta["author"] = props.author.strip()
    return Extracted(text, meta)
