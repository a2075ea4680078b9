import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
runner = CliRunner()

CITATION_FIELDS = {
    "n",
    "text",
    "title",
    "url",
    "source",
    "author",
    "published_at",
    "start",
    "end",
    "score",
    "doc_id",
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "data"
    result = runner.invoke(app, ["ingest", str(ARTICLES), "--data-dir", str(path)])
    assert result.exit_code == 0, result.output
    assert "documents: 4" in result.output and "errors: 0" in result.output
    assert "embedder: all-MiniLM-L6-v2 on " in result.output
    return path


def test_ask_json(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "ask",
            "How much did the lighthouse lens restoration cost?",
            "--json",
            "--data-dir",
            str(data_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"answer", "abstained", "citations"}
    assert not data["abstained"] and "640,000" in data["answer"]
    assert data["citations"] and set(data["citations"][0]) >= CITATION_FIELDS


def test_ask_text_streams_answer_and_sources(data_dir: Path) -> None:
    result = runner.invoke(
        app, ["ask", "What happened to the cider harvest?", "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0
    assert (
        "[1]" in result.stdout and "Cider Orchard Harvest Falls After Late Frost" in result.stdout
    )


def test_ask_more_shows_the_rest_of_the_evidence(data_dir: Path) -> None:
    question = ["ask", "What happened to the cider harvest?", "--data-dir", str(data_dir)]
    data = json.loads(runner.invoke(app, [*question, "--json"]).stdout)
    assert data["kind"] == "open" and "more" in data and "more_citations" in data
    plain = runner.invoke(app, question).stdout
    more = runner.invoke(app, [*question, "--more"]).stdout
    if data["more"]:
        assert "More evidence" in more and "More evidence" not in plain
        assert data["more"].split(" [")[0][:40] in more
    else:
        assert more == plain


def test_retrieve_json_and_filters(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "retrieve",
            "euros",
            "-k",
            "3",
            "--json",
            "--source",
            "city bulletin",
            "--data-dir",
            str(data_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    passages = json.loads(result.stdout)
    assert passages and {p["source"] for p in passages} == {"City Bulletin"}
    assert CITATION_FIELDS - {"n"} <= set(passages[0])


def test_sources_json(data_dir: Path) -> None:
    result = runner.invoke(app, ["sources", "--json", "--data-dir", str(data_dir)])
    rows = json.loads(result.stdout)
    assert len(rows) == 4
    assert {"id", "title", "source", "author", "published_at", "chunks"} <= set(rows[0])
    assert {r["embedded_by"] for r in rows} == {_expected_backend()}
    text = runner.invoke(app, ["sources", "--data-dir", str(data_dir)])
    assert f"on {_expected_backend()} (auto: " in text.stdout


def _expected_backend() -> str:
    """What the default (auto) picks here: OpenVINO when it is installed, else torch."""
    import importlib.util

    return "openvino" if importlib.util.find_spec("openvino") else "torch"


def test_ingest_says_which_embedder_it_used(data_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", str(ARTICLES), "--json", "--data-dir", str(data_dir)])
    embedder = json.loads(result.stdout)["embedder"]
    assert embedder["model"] == "all-MiniLM-L6-v2" and embedder["requested"] == "auto"
    assert embedder["backend"] == _expected_backend() and embedder["reason"]


def test_reingest_reports_skipped(data_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", str(ARTICLES), "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    assert "documents: 0" in result.output and "skipped (unchanged): 4" in result.output


def test_handled_errors_exit_1_with_the_fix(data_dir: Path, tmp_path: Path) -> None:
    bad_date = runner.invoke(
        app, ["ask", "x", "--since", "yesterday-ish", "--data-dir", str(data_dir)]
    )
    assert bad_date.exit_code == 1 and "YYYY-MM-DD" in bad_date.stderr
    unknown = runner.invoke(app, ["retrieve", "x", "--source", "Nope", "--data-dir", str(data_dir)])
    assert unknown.exit_code == 1 and "known:" in unknown.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    bad_file = runner.invoke(app, ["ingest", str(empty), "--data-dir", str(data_dir)])
    assert bad_file.exit_code == 1 and "empty.txt" in bad_file.stderr


def test_bad_usage_exits_2() -> None:
    assert runner.invoke(app, ["ask", "--no-such-flag"]).exit_code == 2
    assert runner.invoke(app, ["retrieve", "q", "-k", "zero"]).exit_code == 2


@pytest.mark.slow
def test_installed_console_script(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("sourced")
    if not exe.exists():
        pytest.skip("the sourced console script is not installed in this environment")
    env = {**os.environ, "SOURCED_DATA_DIR": str(tmp_path / "d")}
    ingest = subprocess.run(
        [str(exe), "ingest", str(ARTICLES / "lighthouse.md")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ingest.returncode == 0, ingest.stderr
    ask = subprocess.run(
        [str(exe), "ask", "Who replaced the cracked prisms?", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ask.returncode == 0, ask.stderr
    assert "Ingrid Solberg" in json.loads(ask.stdout)["answer"]


@pytest.mark.parametrize(
    "env",
    [
        {"SOURCED_DATABASE_URL": "postgresql://u:secret@db-host:abc/sourced"},
        {"SOURCED_DATABASE_URL": "postgresql://u:secret@db-host/sourced"},  # no Chroma server
    ],
)
def test_a_bad_team_setting_fails_before_the_embedder_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    def not_yet(*_: object, **__: object) -> None:
        raise AssertionError("the embedder was loaded before the settings were checked")

    monkeypatch.setattr("assistant.api.load_embedder", not_yet)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["sources", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 1, result.output
    assert "SOURCED_DATABASE_URL" in result.stderr and "secret" not in result.stderr


def test_error_messages_are_printed_as_written_not_as_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fix often names an extra in brackets, and the bad value is the user's own text:
    # neither may be swallowed or crash the printer as rich markup.
    monkeypatch.setitem(sys.modules, "psycopg", None)
    monkeypatch.setenv("SOURCED_DATABASE_URL", "postgresql://u@127.0.0.1:1/sourced")
    monkeypatch.setenv("SOURCED_CHROMA_URL", "http://127.0.0.1:1")
    missing = runner.invoke(app, ["sources", "--data-dir", str(tmp_path / "a")])
    assert missing.exit_code == 1 and "'.[team]'" in missing.stderr
    monkeypatch.delenv("SOURCED_DATABASE_URL")
    monkeypatch.delenv("SOURCED_CHROMA_URL")
    odd = runner.invoke(app, ["remove", "[/draft]", "--data-dir", str(tmp_path / "b")])
    assert odd.exit_code == 1 and "'[/draft]'" in odd.stderr


def test_sources_prints_a_title_as_written_not_as_markup(tmp_path: Path) -> None:
    article = tmp_path / "odd.md"
    article.write_text(
        "---\ntitle: Notes [/draft] on [bold]tariffs[/bold]\nsource: Desk\n---\n"
        + "The port authority raised tariffs on grain shipments this spring. " * 3
    )
    data = tmp_path / "data"
    assert runner.invoke(app, ["ingest", str(article), "--data-dir", str(data)]).exit_code == 0
    listed = runner.invoke(app, ["sources", "--wide", "--data-dir", str(data)])
    assert listed.exit_code == 0, listed.output
    assert "Notes [/draft] on [bold]tariffs[/bold]" in listed.stdout
