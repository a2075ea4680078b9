"""The CLI's edges: interrupting an ingest, removing by id prefix, listing in 80 columns."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from ingest.errors import IngestInterrupted
from ingest.models import Block, Document

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _folder(root: Path, n: int) -> Path:
    folder = root / "many"
    folder.mkdir()
    for i in range(n):
        (folder / f"note-{i:03d}.md").write_text(
            f"---\ntitle: Harbour note {i}\n---\n"
            f"Dock {i} reopened on Tuesday after the storm damaged its crane, the port said.\n"
        )
    return folder


def _consistent(bot) -> None:
    listed = bot.manifest.all_chunk_ids()
    assert bot.store.ids() == listed
    bot.lexical.refresh()
    assert sorted(bot.lexical.chunk_ids()) == sorted(listed)


def test_an_ingest_asked_to_stop_keeps_what_it_wrote_and_a_rerun_finishes(
    make_assistant, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, 40)
    bot = make_assistant(embed_batch_size=1)  # a batch is 16 chunks: one per 16 notes here
    progress: list[int] = []
    with pytest.raises(IngestInterrupted) as info:
        bot.ingest(folder, on_progress=progress.append, should_stop=lambda: len(progress) >= 20)
    stopped = info.value
    assert stopped.done == 32 and stopped.done + stopped.left == 40
    assert len(bot.sources()) == 32
    _consistent(bot)
    report = bot.ingest(folder)
    assert len(report.added) == 8 and len(report.unchanged) == 32
    assert len(bot.sources()) == 40
    _consistent(bot)


def _documents(data_dir: Path) -> int:
    path = data_dir / "manifest.sqlite3"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_ctrl_c_stops_sourced_ingest_at_a_safe_point_with_a_message(
    make_assistant, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, 400)
    data_dir = tmp_path / "data"
    env = dict(os.environ, SOURCED_EMBED_BATCH_SIZE="1", PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(folder), "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while _documents(data_dir) == 0 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, "the ingest ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "stopping after the document in progress" in stderr
    assert "interrupted:" in stderr and "run the same command again" in stderr
    assert "Traceback" not in stderr
    stored = _documents(data_dir)
    assert 0 < stored < 400
    bot = make_assistant(data_dir=data_dir)
    _consistent(bot)
    report = bot.ingest(folder)
    assert len(report.unchanged) == stored and len(report.added) == 400 - stored
    _consistent(bot)


def _doc(doc_id: str, title: str) -> Document:
    text = f"{title} was announced by the council on Monday after a long debate."
    return Document(
        doc_id=doc_id,
        locator=f"mem://{doc_id}",
        text=text,
        title=title,
        blocks=(Block(0, len(text), "para"),),
    )


@pytest.fixture()
def twins(make_assistant, tmp_path: Path) -> Path:
    """A library of three documents, two of whose ids share their first ten characters."""
    data_dir = tmp_path / "twins"
    bot = make_assistant(data_dir=data_dir)
    bot.indexer.index(
        [
            _doc("abcdef0123aaaa11", "Bridge toll"),
            _doc("abcdef0123bbbb22", "Tram extension"),
            _doc("a_cdef%123cccc33", "Library hours"),
        ]
    )
    bot.close()
    return data_dir


def test_remove_refuses_a_prefix_of_several_ids_and_lists_them(twins: Path) -> None:
    result = runner.invoke(app, ["remove", "abcdef0123", "--data-dir", str(twins)])
    assert result.exit_code == 1
    assert "abcdef0123aaaa11" in result.output and "Bridge toll" in result.output
    assert "abcdef0123bbbb22" in result.output and "Tram extension" in result.output
    listed = runner.invoke(app, ["sources", "--json", "--data-dir", str(twins)])
    assert listed.output.count('"id"') == 3  # nothing was removed

    result = runner.invoke(app, ["remove", "abcdef0123b", "--data-dir", str(twins)])
    assert result.exit_code == 0 and "removed 1 document" in result.output
    listed = runner.invoke(app, ["sources", "--json", "--data-dir", str(twins)])
    assert "abcdef0123bbbb22" not in listed.output and listed.output.count('"id"') == 2


@pytest.mark.parametrize("pattern", ["abcde%", "abcdef_123", "%%%%%%", "______", "a_cde_"])
def test_sql_wildcards_in_a_prefix_match_only_themselves(twins: Path, pattern: str) -> None:
    result = runner.invoke(app, ["remove", pattern, "--data-dir", str(twins)])
    assert result.exit_code == 1 and "no source matches" in result.output
    listed = runner.invoke(app, ["sources", "--json", "--data-dir", str(twins)])
    assert listed.output.count('"id"') == 3


def test_a_prefix_with_a_literal_wildcard_character_still_works(twins: Path) -> None:
    result = runner.invoke(app, ["remove", "a_cdef%1", "--data-dir", str(twins)])
    assert result.exit_code == 0 and "removed 1 document" in result.output


def test_a_prefix_shorter_than_six_characters_matches_nothing(twins: Path) -> None:
    result = runner.invoke(app, ["remove", "abcde", "--data-dir", str(twins)])
    assert result.exit_code == 1 and "no source matches" in result.output


def test_sources_fits_80_columns_and_wide_shows_everything(make_assistant, tmp_path) -> None:
    data_dir = tmp_path / "long"
    bot = make_assistant(data_dir=data_dir)
    title = (
        "Regional transport authority approves a sweeping overhaul of night bus routes "
        "after a year of complaints from shift workers and hospital staff"
    )
    bot.indexer.index([_doc("0123456789abcdef", title), _doc("fedcba9876543210", "Short one")])
    bot.close()
    env = {"COLUMNS": "80", "TERM": "xterm"}
    narrow = runner.invoke(app, ["sources", "--data-dir", str(data_dir)], env=env)
    assert narrow.exit_code == 0, narrow.output
    lines = [line for line in narrow.output.splitlines() if line.strip()]
    # header, one line per document (no title wrapped), and the line naming the embedder
    assert len(lines) == 4 and lines[-1].startswith("embedder: "), narrow.output
    assert all(len(line) <= 80 for line in lines), narrow.output
    assert "0123456789abcdef" in narrow.output and "fedcba9876543210" in narrow.output
    assert "Regional transport" in narrow.output and "…" in narrow.output
    assert title not in narrow.output

    wide = runner.invoke(app, ["sources", "--wide", "--data-dir", str(data_dir)], env=env)
    assert wide.exit_code == 0 and title in wide.output
    assert len([line for line in wide.output.splitlines() if line.strip()]) == 4
