"""Server mode: a real `chroma run` on 127.0.0.1; ingest and ask through HttpClient, two CLI
writers at once, and a second library refused on the same collection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.errors import StoreError
from tests.processes import chroma_cli
from tests.processes import chroma_server as start_chroma

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
SAMPLE = Path(__file__).parents[2] / "data" / "sample"


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[str]:
    if chroma_cli() is None:
        pytest.skip("the chroma CLI is not installed")
    try:
        with start_chroma(tmp_path / "server") as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def _cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
    )


def test_ingest_and_ask_against_a_chroma_server(
    chroma_server: str, make_assistant, tmp_path: Path
) -> None:
    data = tmp_path / "lib"
    bot = make_assistant(data_dir=data, chroma_url=chroma_server)
    report = bot.ingest([ARTICLES])
    assert report.documents == 4 and not report.errors
    assert not (data / "chroma").exists()  # the vectors live on the server
    assert bot.store.ids() == bot.manifest.all_chunk_ids()

    env = {"SOURCED_CHROMA_URL": chroma_server, "SOURCED_DATA_DIR": str(data)}
    asked = _cli("ask", "What happened to the cider harvest after the frost?", "--json", env=env)
    out, err = asked.communicate(timeout=300)
    assert asked.returncode == 0, err
    answer = json.loads(out)
    assert not answer["abstained"]
    assert any("Cider" in c["title"] for c in answer["citations"])

    # Two writers at once: the second waits for the lock, then both finish.
    env["SOURCED_LOCK_TIMEOUT"] = "300"
    extra = tmp_path / "extra.md"
    extra.write_text("---\ntitle: Extra\n---\nThe extra article is about harbour cranes.\n")
    writers = [_cli("ingest", str(SAMPLE), env=env), _cli("ingest", str(extra), env=env)]
    for writer in writers:
        out, err = writer.communicate(timeout=600)
        assert writer.returncode == 0, err
    again = make_assistant(data_dir=data, chroma_url=chroma_server)
    assert len(again.sources()) == 4 + 8 + 1
    assert again.store.ids() == again.manifest.all_chunk_ids()

    # A second library may not share the collection (its repair would delete our vectors).
    with pytest.raises(StoreError, match="belongs to another library"):
        make_assistant(data_dir=tmp_path / "other", chroma_url=chroma_server)
    separate = make_assistant(
        data_dir=tmp_path / "other2", chroma_url=chroma_server, collection="other"
    )
    assert separate.ingest([ARTICLES / "lighthouse.md"]).documents == 1
    assert again.store.count() == len(again.manifest.all_chunk_ids())
