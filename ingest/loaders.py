"""Turn files, folders and JSON records into :class:`~ingest.models.Document` values.

Each loader raises :class:`~ingest.errors.IngestError` naming the file (and line) and the fix;
:func:`load_paths` collects those per source so one bad file never stops a run.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from charset_normalizer import from_bytes

from ingest.binary_formats import Extracted, read_docx, read_pdf
from ingest.cleaning import clean, clean_title
from ingest.config import Settings
from ingest.dates import iso_date
from ingest.errors import IngestError
from ingest.html import extract_article
from ingest.ids import document_id
from ingest.models import Document

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES
    | MARKDOWN_SUFFIXES
    | HTML_SUFFIXES
    | JSON_SUFFIXES
    | JSONL_SUFFIXES
    | PDF_SUFFIXES
    | DOCX_SUFFIXES
)


@dataclass(frozen=True)
class LoadResult:
    """Documents read from one source, and the errors met there (one source may hold many
    records, some of them bad)."""

    origin: str
    documents: tuple[Document, ...]
    errors: tuple[IngestError, ...]


def iter_files(path: Path) -> Iterator[Path]:
    """Supported files under ``path`` (itself if a file), sorted, hidden ones skipped. Entries
    with a supported name that are not readable files (a dangling link, a pipe) are yielded
    too, so that loading reports them instead of silently passing them over."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            rel = child.relative_to(path)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if child.suffix.lower() in SUPPORTED_SUFFIXES and not child.is_dir():
                yield child
    else:
        yield path


_FALLBACK_ENCODINGS = ("cp1252", "cp1251", "cp1250", "iso-8859-15", "koi8-r", "latin-1")


def _plausibility(text: str) -> int:
    """How natural the non-ASCII words of ``text`` look: each is all letters of one script
    (Latin words keep some ASCII letters; Cyrillic and Greek ones are wholly non-ASCII)."""
    import unicodedata

    score = 0
    for word in re.findall(r"\S*[^\x00-\x7f]\S*", text):
        letters = [c for c in word if c.isalpha()]
        core = word.strip(".,;:!?\"'()[]«»“”‘’—–-")
        if not core or len(letters) < len(core):
            score -= 1
            continue
        scripts = {unicodedata.name(c, "X").split()[0] for c in letters if ord(c) > 127}
        has_ascii = any(ord(c) < 128 for c in letters)
        if len(scripts) == 1 and (has_ascii or scripts <= {"CYRILLIC", "GREEK"}):
            score += 1
        else:
            score -= 1
    return score


_BINARY = "looks like a binary file, not text; convert it to text first"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _refuse_binary(text: str, origin: str) -> str:
    """Text with more than a trace of control characters is binary data in disguise."""
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 20):
        raise IngestError(origin, _BINARY)
    return text


def decode(data: bytes, origin: str) -> str:
    """Text from bytes: UTF-8 if it is, else the detected encoding; binary data is refused."""
    if b"\x00" in data[:8192]:
        raise IngestError(origin, _BINARY)
    try:
        return _refuse_binary(data.decode("utf-8-sig"), origin)
    except UnicodeDecodeError:
        pass
    # Short texts fool statistical detectors, so their guess competes with common legacy
    # encodings on how plausible the decoded words look.
    candidates: list[str] = []
    best = from_bytes(data).best()
    if best is not None:
        candidates.append(str(best))
    for encoding in _FALLBACK_ENCODINGS:
        try:
            candidates.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise IngestError(origin, "cannot tell the text encoding; save the file as UTF-8")
    return _refuse_binary(max(candidates, key=_plausibility), origin)


def _read_bytes(path: Path, settings: Settings) -> bytes:
    """The bytes of a regular file within the size limit; anything else is an IngestError."""
    origin = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        why = "a link to a missing file" if path.is_symlink() else exc.strerror
        raise IngestError(origin, f"cannot read it ({why}); check the path") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise IngestError(origin, f"cannot read it ({kind}); pass a file")
    size = info.st_size
    if size > settings.max_file_bytes:
        raise IngestError(
            origin,
            f"is {size:,} bytes, over the limit of {settings.max_file_bytes:,}; "
            "raise SOURCED_MAX_FILE_BYTES or split the file",
        )
    try:
        with open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NONBLOCK)) as handle:
            data = handle.read(settings.max_file_bytes + 1)
    except OSError as exc:
        raise IngestError(origin, f"cannot read it ({exc.strerror}); check permissions") from exc
    if len(data) > settings.max_file_bytes:  # it grew while we looked
        raise IngestError(origin, f"is over the limit of {settings.max_file_bytes:,} bytes")
    if not data.strip():
        raise IngestError(origin, "is empty; nothing to ingest")
    return data


def _read(path: Path, settings: Settings) -> str:
    return decode(_read_bytes(path, settings), str(path))


def build_document(
    locator: str, text: str, meta: Mapping[str, Any], *, parse_header: bool, origin: str
) -> Document:
    """A document from its text and known metadata; header lines of scraped text fill gaps."""
    cleaned = clean(text, parse_header=parse_header)
    if not any(block.kind == "para" for block in cleaned.blocks):
        raise IngestError(origin, "no article text found (only headings or boilerplate)")
    url = str(meta.get("url") or "").strip()
    if url and not re.match(r"(?i)^https?://[^\s/]+", url):
        url = ""  # javascript:, data:, relative links: never shown as a link or used as an id
    title = clean_title(str(meta.get("title") or "")) or cleaned.title
    if not title:
        title = Path(locator.split("#")[0]).stem.replace("-", " ").replace("_", " ").strip()
    return Document(
        doc_id=document_id(url or locator),
        locator=url or locator,
        text=text,
        title=title,
        blocks=cleaned.blocks,
        source=str(meta.get("source") or "").strip() or cleaned.site,
        author=str(meta.get("author") or "").strip() or cleaned.author,
        url=url,
        published_at=iso_date(meta.get("published_at")),
    )


def _split_front_matter(text: str, origin: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        raise IngestError(origin, "front matter starts with '---' but never closes; add '---'")
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise IngestError(origin, f"front matter is not valid YAML ({exc}); fix it") from exc
    if not isinstance(meta, dict):
        raise IngestError(origin, "front matter must be a mapping of field: value")
    body_start = text.find("\n", end + 4)
    return meta, text[body_start + 1 :] if body_start >= 0 else ""


def load_markdown(path: Path, settings: Settings) -> Document:
    origin = str(path)
    meta, body = _split_front_matter(_read(path, settings), origin)
    return build_document(
        str(path.resolve()), body, meta, parse_header=not meta.get("title"), origin=origin
    )


def load_text(path: Path, settings: Settings) -> Document:
    return build_document(
        str(path.resolve()), _read(path, settings), {}, parse_header=True, origin=str(path)
    )


def document_from_extracted(
    extracted: Extracted, locator: str, origin: str, url: str = ""
) -> Document:
    """A document from PDF/Word text; the page starts carry over to the stored text."""
    meta = dict(extracted.meta)
    if url:
        meta["url"] = url
    doc = build_document(locator, extracted.text, meta, parse_header=False, origin=origin)
    return replace(doc, page_starts=extracted.page_starts)


def load_pdf(path: Path, settings: Settings) -> Document:
    extracted = read_pdf(_read_bytes(path, settings), str(path))
    return document_from_extracted(extracted, str(path.resolve()), str(path))


def load_docx(path: Path, settings: Settings) -> Document:
    extracted = read_docx(_read_bytes(path, settings), str(path))
    if not extracted.text.strip():
        raise IngestError(str(path), "has no text; nothing to ingest")
    return document_from_extracted(extracted, str(path.resolve()), str(path))


def load_html(path: Path, settings: Settings, url: str = "") -> Document:
    origin = str(path)
    text, meta = extract_article(_read(path, settings), url=url)
    if not text.strip():
        raise IngestError(origin, "no article text found in the HTML")
    return build_document(
        url or str(path.resolve()), text, meta, parse_header=not meta.get("title"), origin=origin
    )


def _record_text(record: Mapping[str, Any], settings: Settings) -> str:
    for name in settings.json_text_fields:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def load_records(
    records: Iterable[Mapping[str, Any]], origin: str, settings: Settings, *, line_numbers: bool
) -> LoadResult:
    """Documents from JSON records; a bad record is reported by index or line, others load."""
    docs: list[Document] = []
    errors: list[IngestError] = []
    for number, record in enumerate(records, start=1):
        where = f"{origin}:{'line ' if line_numbers else 'record '}{number}"
        if not isinstance(record, Mapping):
            errors.append(IngestError(where, "is not a JSON object; each record must be {...}"))
            continue
        text = _record_text(record, settings)
        if not text:
            fields = "|".join(settings.json_text_fields)
            errors.append(
                IngestError(
                    where,
                    f"has no text field ({fields}); add one or set SOURCED_JSON_TEXT_FIELDS",
                )
            )
            continue
        meta = {
            "title": record.get(settings.json_title_field),
            "url": record.get(settings.json_url_field),
            "author": record.get(settings.json_author_field),
            "source": record.get(settings.json_source_field),
            "published_at": record.get(settings.json_date_field),
        }
        key = record.get("id") or meta["title"] or number
        try:
            docs.append(
                build_document(f"{origin}#{key}", text, meta, parse_header=False, origin=where)
            )
        except IngestError as exc:
            errors.append(exc)
    return LoadResult(origin, tuple(docs), tuple(errors))


def load_json_file(path: Path, settings: Settings) -> LoadResult:
    origin = str(path)
    text = _read(path, settings)
    if path.suffix.lower() in JSONL_SUFFIXES:
        records: list[Any] = []
        errors: list[IngestError] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                errors.append(
                    IngestError(f"{origin}:line {number}", f"is not valid JSON ({exc.msg})")
                )
        result = LoadResult(origin, (), ())
        docs: list[Document] = []
        for number, record in records:
            one = load_records([record], origin, settings, line_numbers=True)
            docs.extend(one.documents)
            errors.extend(IngestError(f"{origin}:line {number}", e.reason) for e in one.errors)
        return LoadResult(result.origin, tuple(docs), tuple(errors))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            origin, f"is not valid JSON (line {exc.lineno}: {exc.msg}); fix or use .jsonl"
        ) from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise IngestError(origin, "must hold a JSON object or an array of objects")
    return load_records(data, origin, settings, line_numbers=False)


def load_file(path: Path, settings: Settings) -> LoadResult:
    """Every document in one file; errors for the file as a whole are raised."""
    suffix = path.suffix.lower()
    if not path.exists() and not path.is_symlink():
        raise IngestError(str(path), "does not exist; check the path")
    origin = str(path.absolute())
    if suffix in JSON_SUFFIXES | JSONL_SUFFIXES:
        result = load_json_file(path, settings)
        docs = tuple(replace(d, origin=origin) for d in result.documents)
        return LoadResult(result.origin, docs, result.errors)
    if suffix in PDF_SUFFIXES:
        doc = load_pdf(path, settings)
    elif suffix in DOCX_SUFFIXES:
        doc = load_docx(path, settings)
    elif suffix in MARKDOWN_SUFFIXES:
        doc = load_markdown(path, settings)
    elif suffix in HTML_SUFFIXES:
        doc = load_html(path, settings)
    elif suffix in TEXT_SUFFIXES:
        doc = load_text(path, settings)
    else:
        known = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(str(path), f"has an unsupported type '{suffix}'; use one of {known}")
    return LoadResult(str(path), (replace(doc, origin=origin),), ())


def load_paths(paths: Iterable[Path], settings: Settings) -> Iterator[LoadResult]:
    """Load every file under ``paths``; a failing file yields a result holding its error."""
    for root in paths:
        if not root.exists() and not root.is_symlink():
            yield LoadResult(str(root), (), (IngestError(str(root), "does not exist"),))
            continue
        for path in iter_files(root):
            try:
                yield load_file(path, settings)
            except IngestError as exc:
                yield LoadResult(str(path), (), (exc,))
