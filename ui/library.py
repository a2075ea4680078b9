"""The library page: what is stored, with search; upload files, add a web page, re-ingest or
delete a document, with progress while a long ingest runs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from assistant import Assistant, IngestReport, SourcedError
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.manifest import SourceRecord
from ui.render import escape, meta_line

PAGE_SIZE = 20
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def upload_limit_mb(bot: Assistant) -> int:
    """The per-file upload limit shown to users: the smaller of the server's upload limit and
    the ingest limit, in MB."""
    server_mb = int(st.get_option("server.maxUploadSize"))
    ingest_mb = max(1, bot.settings.max_file_bytes // 1_000_000)
    return min(server_mb, ingest_mb)


def matches(record: SourceRecord, query: str) -> bool:
    """Whether every word of ``query`` occurs in the record's title, source, author or date."""
    hay = " ".join(
        (record.title, record.source, record.author, record.published_at, record.locator)
    ).lower()
    return all(word in hay for word in query.lower().split())


def _notice(kind: str, text: str) -> None:
    st.session_state.setdefault("library_notices", []).append((kind, text))


def _show_notices() -> None:
    for kind, text in st.session_state.pop("library_notices", []):
        {"success": st.success, "error": st.error, "info": st.info}[kind](escape(text))


def _report_notices(report: IngestReport, what: str) -> None:
    parts = []
    if report.added:
        parts.append(f"{len(report.added)} added")
    if report.updated:
        parts.append(f"{len(report.updated)} updated")
    if report.unchanged:
        parts.append(f"{len(report.unchanged)} unchanged")
    if parts:
        summary = ", ".join(parts)
        _notice("success", f"{what}: {summary} ({report.chunks} new passages).")
    for problem in report.errors:
        _notice("error", f"{problem.source}: {problem.reason}")
    if not parts and not report.errors:
        _notice("info", f"{what}: nothing to ingest.")


def ingest_with_progress(bot: Assistant, sources: Sequence[str | Path], what: str) -> None:
    """Ingest ``sources`` showing a progress bar (one step per document), then record the
    outcome as notices for the next run of the page."""
    expected = max(1, len(sources))
    done = 0
    with st.status(f"{what}: reading {expected} source(s)…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting…")

        def on_progress(step: int) -> None:
            nonlocal done
            done += step
            bar.progress(min(1.0, done / expected), text=f"{done} document(s) indexed")

        try:
            report = bot.ingest(list(sources), on_progress=on_progress)
        except SourcedError as exc:
            status.update(label=f"{what}: failed", state="error")
            _notice("error", str(exc))
            return
        status.update(label=f"{what}: done", state="complete", expanded=False)
    _report_notices(report, what)


def _save_uploads(bot: Assistant, files: Sequence[object]) -> list[Path]:
    upload_dir = bot.settings.data_dir / "uploads"
    upload_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in files:
        name = Path(str(getattr(f, "name", "upload"))).name.lstrip(".") or "upload"
        path = upload_dir / name
        path.write_bytes(f.getvalue())  # type: ignore[attr-defined]
        paths.append(path)
    return paths


def _add_section(bot: Assistant) -> None:
    limit = upload_limit_mb(bot)
    kinds = sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES)
    upload_col, url_col = st.columns(2, gap="large")
    with upload_col:
        generation = st.session_state.setdefault("upload_generation", 0)
        files = st.file_uploader(
            "Upload articles",
            type=kinds,
            accept_multiple_files=True,
            key=f"uploads-{generation}",
            help=f"Formats: {', '.join(kinds)}. Up to {limit} MB per file.",
        )
        if st.button(
            "Ingest uploaded files", disabled=not files, type="primary", key="ingest-uploads"
        ):
            paths = _save_uploads(bot, files or [])
            ingest_with_progress(bot, paths, f"Upload of {len(paths)} file(s)")
            st.session_state["upload_generation"] = generation + 1
            st.rerun()
    with url_col, st.form("add-url", clear_on_submit=True, border=False):
        url = st.text_input(
            "Add a web page", placeholder="https://example.org/news/article", key="add-url"
        )
        if st.form_submit_button("Add page"):
            url = url.strip()
            if not _URL.match(url):
                _notice("error", f"{url!r} is not a web address; give one starting with https://")
            else:
                ingest_with_progress(bot, [url], "Adding the page")
            st.rerun()


def _reingest(bot: Assistant, record: SourceRecord) -> None:
    # A file whose front matter names a URL is re-read from the file, not fetched from the web.
    origin = record.origin.split("#")[0] if record.origin else ""
    locator = origin or record.locator
    if _URL.match(locator):
        ingest_with_progress(bot, [locator], f"Re-ingesting “{record.title}”")
    elif Path(locator).exists():
        ingest_with_progress(bot, [Path(locator)], f"Re-ingesting “{record.title}”")
    else:
        _notice(
            "error",
            f"“{record.title}” came from {locator}, which is no longer there; "
            "upload the file again to refresh it.",
        )


def _row(bot: Assistant, record: SourceRecord) -> None:
    with st.container(border=True, key=f"doc-{record.doc_id}"):
        text_col, reingest_col, delete_col = st.columns([8, 1.4, 1.2], vertical_alignment="center")
        with text_col:
            st.markdown(f"**{escape(record.title or '(untitled)')}**")
            st.caption(
                meta_line(
                    record.source,
                    record.author,
                    record.published_at,
                    f"{record.chunks} passages",
                    f"added {record.ingested_at[:16].replace('T', ' ')}",
                )
            )
        if reingest_col.button("Re-ingest", key=f"re-{record.doc_id}", help=record.locator):
            _reingest(bot, record)
            st.rerun()
        pending = st.session_state.get("confirm_delete") == record.doc_id
        if delete_col.button("Delete", key=f"del-{record.doc_id}", disabled=pending):
            st.session_state["confirm_delete"] = record.doc_id
            st.rerun()
        if pending:
            st.warning(f"Delete “{escape(record.title)}” and its {record.chunks} passages?")
            yes, no, _ = st.columns([1, 1, 6])
            if yes.button("Yes, delete", key=f"yes-{record.doc_id}", type="primary"):
                st.session_state.pop("confirm_delete", None)
                try:
                    bot.remove([record.doc_id])
                    _notice("success", f"Deleted “{record.title}”.")
                except SourcedError as exc:
                    _notice("error", str(exc))
                st.rerun()
            if no.button("Cancel", key=f"no-{record.doc_id}"):
                st.session_state.pop("confirm_delete", None)
                st.rerun()


def library_page(bot: Assistant) -> None:
    """The library page."""
    st.title("Library")
    records = bot.sources()
    passages = sum(r.chunks for r in records)
    info = bot.embedder_info()
    st.caption(
        f"{len(records)} documents · {passages} passages · stored in {bot.settings.data_dir}"
        f" · embedded by {info['model']} on {info['backend']}",
        help=f"SOURCED_EMBED_BACKEND={info['requested']}: {info['reason']}",
    )
    _show_notices()
    _add_section(bot)
    st.divider()
    query = st.text_input(
        "Search the library", placeholder="title, source, author or date", key="library-search"
    )
    shown = [r for r in records if matches(r, query)] if query.strip() else records
    if not records:
        st.info("The library is empty. Upload articles or add a web page above.")
        return
    if not shown:
        st.info(f"No document matches “{query}”.")
        return
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(st.number_input(f"Page (of {pages})", 1, pages, 1, key="library-page"))
    st.caption(f"Showing {len(shown)} of {len(records)} documents")
    for record in shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        _row(bot, record)
