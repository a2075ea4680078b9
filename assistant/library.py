"""Source management behind the API: load mixed sources (paths, URLs, records) and work out
what mirroring a folder means for the library."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.config import Settings
from ingest.errors import IngestError, SourcedError
from ingest.loaders import LoadResult, load_paths, load_records
from ingest.manifest import Manifest
from ingest.models import Document
from ingest.urls import FetchPolicy, is_url, load_url

Source = str | Path | Mapping[str, Any]


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        allow_private=settings.allow_private_urls,
        max_bytes=settings.max_file_bytes,
        timeout=settings.url_timeout,
    )


def load_sources(sources: Iterable[Source], settings: Settings) -> Iterator[LoadResult]:
    """Documents from files, folders, http(s) URLs and JSON records, one result per source;
    a source that fails yields its error and the others still load."""
    records: list[Mapping[str, Any]] = []
    paths: list[Path] = []
    urls: list[str] = []
    for item in sources:
        if isinstance(item, Mapping):
            records.append(item)
        elif isinstance(item, str) and is_url(item):
            urls.append(item)
        else:
            paths.append(Path(item))
    if records:
        yield load_records(records, "records", settings, line_numbers=False)
    policy = fetch_policy(settings)
    for url in urls:
        try:
            yield LoadResult(url, (load_url(url, policy),), ())
        except IngestError as exc:
            yield LoadResult(url, (), (exc,))
    yield from load_paths(paths, settings)


@dataclass(frozen=True)
class SyncPlan:
    """What mirroring a folder does: documents to (re)index, documents to remove, errors."""

    documents: tuple[Document, ...]
    remove: tuple[str, ...]
    errors: tuple[IngestError, ...]


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def plan_sync(folder: Path, settings: Settings, manifest: Manifest) -> SyncPlan:
    """Load every file under ``folder`` and find the stored documents that came from it but
    are gone: their file vanished, or their file loaded cleanly without them (a record
    deleted from a JSON file). A file that fails to load keeps its stored documents."""
    if not folder.is_dir():
        raise SourcedError(f"{folder} is not a folder; `sourced sync` mirrors a folder")
    root = folder.absolute()
    results = list(load_paths([root], settings))
    documents = [d for r in results for d in r.documents]
    errors = [e for r in results for e in r.errors]
    present = {r.origin for r in results}
    failed = {r.origin for r in results if r.errors}
    loaded = {d.doc_id for d in documents}
    resolved = str(root.resolve())
    remove: list[str] = []
    for doc_id, (origin, locator) in manifest.origins().items():
        if origin:
            if not _under(origin, str(root)):
                continue
            file = origin
        elif _under(locator.split("#")[0], resolved):  # stored before origins were recorded
            file = str(root / Path(locator.split("#")[0]).relative_to(resolved))
        else:
            continue
        if file not in present or (file not in failed and doc_id not in loaded):
            remove.append(doc_id)
    return SyncPlan(tuple(documents), tuple(sorted(remove)), tuple(errors))
