"""Source management through the API and CLI: sync, remove, URLs, PDFs, and a run full of bad
input that ingests the rest and leaves the failed sources' stored versions alone."""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from docmakers import make_docx, make_pdf, pdf_bytes
from typer.testing import CliRunner

from assistant.cli import app

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"


def _md(title: str, body: str, url: str = "") -> str:
    head = f"---\ntitle: {title}\n" + (f"url: {url}\n" if url else "") + "---\n"
    return head + body + "\n"


def _consistent(bot) -> None:
    listed = bot.manifest.all_chunk_ids()
    assert bot.store.ids() == listed
    bot.lexical.refresh()
    assert sorted(bot.lexical.chunk_ids()) == sorted(listed)


def test_sync_mirrors_a_folder(make_assistant, tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "a.md").write_text(
        _md("Alpha", "The alpha plant will close in March, managers said.")
    )
    (folder / "b.md").write_text(
        _md("Beta", "The beta line opens in June, the operator said on Friday.", "https://x.org/b")
    )
    (folder / "recs.jsonl").write_text(
        json.dumps({"title": "Gamma", "body": "Gamma records were broken twice this week."})
        + "\n"
        + json.dumps({"title": "Delta", "body": "Delta farmers expect a late harvest this year."})
        + "\n"
    )
    other = tmp_path / "other.md"
    other.write_text(_md("Elsewhere", "A story outside the mirrored folder stays put always."))
    bot = make_assistant()
    bot.ingest([other])
    totals: list[int] = []
    steps: list[int] = []
    first = bot.sync(folder, on_progress=steps.append, on_total=totals.append)
    assert len(first.added) == 4 and not first.removed and not first.errors
    assert totals == [4] and sum(steps) == 4

    # Change one file, delete one (whose id is its URL), drop one JSONL record, add one file.
    (folder / "a.md").write_text(_md("Alpha", "The alpha plant will stay open, managers now say."))
    (folder / "b.md").unlink()
    (folder / "recs.jsonl").write_text(
        json.dumps({"title": "Gamma", "body": "Gamma records were broken twice this week."}) + "\n"
    )
    (folder / "sub").mkdir()
    (folder / "sub" / "c.md").write_text(_md("Chi", "A new article arrived in a subfolder today."))
    totals.clear()
    steps.clear()
    second = bot.sync(folder, on_progress=steps.append, on_total=totals.append)
    titles = {s.doc_id: s.title for s in bot.sources()}
    assert [titles[d] for d in second.updated] == ["Alpha"]
    assert [titles[d] for d in second.added] == ["Chi"]
    assert len(second.unchanged) == 1 and len(second.removed) == 2
    assert sorted(titles.values()) == ["Alpha", "Chi", "Elsewhere", "Gamma"]
    assert totals == [3 + 2] and sum(steps) == 5
    assert "stay open" in bot.retrieve("alpha plant", k=1)[0].text
    _consistent(bot)

    third = bot.sync(folder)
    assert third.embedded == 0 and not third.added and not third.updated and not third.removed


def test_sync_keeps_the_stored_version_of_a_file_that_turned_bad(
    make_assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    make_pdf(folder / "report.pdf", [["The audit found no missing funds in the port budget."]])
    (folder / "note.md").write_text(_md("Note", "The note says the audit ended on a Thursday."))
    bot = make_assistant()
    bot.sync(folder)
    before = bot.manifest.all_chunk_ids()
    data = pdf_bytes([["The audit found missing funds after all, a later review said."]])
    (folder / "report.pdf").write_bytes(data[: len(data) // 2])  # truncated mid-write
    report = bot.sync(folder)
    assert [Path(e.source).name for e in report.errors] == ["report.pdf"]
    assert not report.removed and not report.updated
    assert bot.manifest.all_chunk_ids() == before
    assert "no missing funds" in bot.retrieve("audit missing funds", k=1)[0].text


def test_moved_file_keyed_by_url_is_not_removed_by_syncing_its_old_folder(
    make_assistant, tmp_path: Path
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    text = _md("Moved", "This article moved folders but kept its address.", "https://x.org/m")
    (old / "m.md").write_text(text)
    bot = make_assistant()
    bot.sync(old)
    shutil.move(old / "m.md", new / "m.md")
    assert bot.sync(new).embedded == 0
    assert not bot.sync(old).removed
    assert [s.title for s in bot.sources()] == ["Moved"]


def test_remove_by_path_and_progress(make_assistant, tmp_path: Path) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES])
    done: list[int] = []
    removed = bot.remove(str(ARTICLES / "lighthouse.md"), on_progress=done.append)
    assert len(removed) == 1 and done == [1]
    assert "Lighthouse" not in " ".join(s.title for s in bot.sources())
    _consistent(bot)


def test_pdf_citation_names_its_page(make_assistant, tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "ferry.pdf",
        [
            ["The ferry company said crossings to the island would resume on Monday."],
            ["Passengers holding tickets for the cancelled sailings will be refunded in full."],
        ],
        title="Ferry Crossings Resume",
    )
    bot = make_assistant()
    bot.ingest([path])
    answer = bot.ask("Will passengers with cancelled sailings be refunded?")
    assert not answer.abstained
    cited = [c for c in answer.citations if "refunded" in c.text]
    assert cited and cited[0].page == 2
    assert cited[0].to_dict()["page"] == 2
    passages = bot.retrieve("ferry crossings resume Monday", k=2)
    assert {p.page for p in passages} == {1, 2}


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "site"
    root.mkdir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None  # type: ignore[attr-defined]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    httpd.shutdown()
    httpd.server_close()


def test_ingest_urls_next_to_paths_and_records(make_assistant, site) -> None:
    base, root = site
    shutil.copy(ARTICLES / "orchard.html", root / "orchard.html")
    url = f"{base}/orchard.html"
    bot = make_assistant(allow_private_urls=True)
    record = {"title": "Rec", "body": "A record about the tram depot opening next spring."}
    report = bot.ingest([url, ARTICLES / "lighthouse.md", record])
    assert report.documents == 3 and not report.errors
    (stored,) = [s for s in bot.sources() if s.url == url]
    assert stored.title == "Cider Orchard Harvest Falls After Late Frost"
    assert bot.ingest([url]).embedded == 0  # unchanged page: nothing embedded
    assert bot.remove(url) == [stored.doc_id]

    refused = make_assistant().ingest([url])  # default policy: no private addresses
    assert [e.source for e in refused.errors] == [url]
    assert "SOURCED_ALLOW_PRIVATE_URLS" in refused.errors[0].reason


def _bad_folder(folder: Path) -> dict[str, str]:
    """Every kind of bad input next to good files; returns file name -> expected reason."""
    folder.mkdir()
    (folder / "good.md").write_text(
        _md("Good news", "The new lifeboat station opened on the pier this morning.")
    )
    (folder / "hidden.html").write_text(
        "<html><head><title>Quiet Street Wins Award</title><style>.x{}</style></head><body>"
        "<article><h1>Quiet Street Wins Award</h1><p>Residents of Elm Row won the city's"
        " tidiest street award for the third year running, the council announced.</p>"
        '<div style="display:none">SECRET HIDDEN KEYWORDS stuffed here for search engines.</div>'
        "<script>document.write('SCRIPT WORDS')</script><style>p{color:red} STYLE WORDS</style>"
        "</article></body></html>"
    )
    make_docx(folder / "memo.docx", ["The ferry timetable changes on the first of May this year."])
    (folder / "empty.txt").write_text("")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64))
    data = pdf_bytes([["A report that was cut off halfway through its download."]])
    (folder / "cut.pdf").write_bytes(data[: len(data) // 2])
    (folder / "huge.txt").write_text("Long line of words that goes on and on. " * 5000)
    (folder / "lines.jsonl").write_text(
        json.dumps({"title": "Line one", "body": "The first line is a fine record about trams."})
        + "\n{broken json\n"
        + json.dumps({"title": "No text here"})
        + "\n"
    )
    (folder / "dangling.md").symlink_to(folder / "nowhere.md")
    return {
        "empty.txt": "empty",
        "image.txt": "binary",
        "cut.pdf": "not a readable PDF",
        "huge.txt": "over the limit",
        "lines.jsonl:line 2": "not valid JSON",
        "lines.jsonl:line 3": "no text field",
        "dangling.md": "link to a missing file",
    }


def test_bad_input_is_reported_by_file_and_the_rest_ingested(make_assistant, tmp_path) -> None:
    expected = _bad_folder(tmp_path / "in")
    bot = make_assistant(max_file_bytes=100_000)
    # A good version of cut.pdf was ingested before; the bad copy must not touch it.
    keep = tmp_path / "in" / "cut.pdf"
    keep_bytes = keep.read_bytes()
    make_pdf(keep, [["The first version of the report said the budget was balanced."]])
    bot.ingest([keep])
    before = set(bot.manifest.chunk_ids(bot.sources()[0].doc_id))
    keep.write_bytes(keep_bytes)

    report = bot.ingest([tmp_path / "in"])
    got = {Path(e.source).name: e.reason for e in report.errors}
    assert set(got) == set(expected)
    for name, reason in expected.items():
        assert reason in got[name], (name, got[name])
    titles = sorted(s.title for s in bot.sources())
    assert titles == ["Good news", "Line one", "Quiet Street Wins Award", "cut", "memo"]
    (pdf,) = [s for s in bot.sources() if s.title == "cut"]
    assert set(bot.manifest.chunk_ids(pdf.doc_id)) == before
    stored = " ".join(r.text for r in bot.manifest.chunks())
    for hidden in ("SECRET HIDDEN", "SCRIPT WORDS", "STYLE WORDS"):
        assert hidden not in stored
    _consistent(bot)


def test_cli_ingest_exits_1_with_a_summary_naming_each_bad_file(tmp_path: Path) -> None:
    expected = _bad_folder(tmp_path / "in")
    runner = CliRunner()
    env = {"SOURCED_MAX_FILE_BYTES": "100000"}
    data = str(tmp_path / "data")
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--data-dir", data], env=env)
    assert result.exit_code == 1
    assert "documents: 4 (4 new, 0 updated)" in result.stdout
    assert f"errors: {len(expected)}" in result.stdout
    for name, reason in expected.items():
        line = next(x for x in result.stderr.splitlines() if f"{name}:" in x or name in x)
        assert reason in line
    # sync of the same folder: nothing new, the same errors, exit 1 again
    again = runner.invoke(
        app, ["sync", str(tmp_path / "in"), "--data-dir", data, "--json"], env=env
    )
    assert again.exit_code == 1
    report = json.loads(again.stdout)
    assert report["documents"] == 0 and report["skipped"] == 4 and report["removed"] == []
    assert len(report["errors"]) == len(expected)
