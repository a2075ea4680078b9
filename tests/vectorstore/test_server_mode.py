"""Server mode: a real `chroma run` on 127.0.0.1; ingest and ask through HttpClient, two CLI
writers at once, and a second library refused on the same collection."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.errors import StoreError
from tests.processes import free_port, stop

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
SAMPLE = Path(__file__).parents[2] / "data" / "sample"


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[str]:
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        found = shutil.which("chroma")
        if found is None:
            pytest.skip("the chroma CLI is not installed")
        chroma = Path(found)
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail("chroma run did not start: " + (tmp_path / "chroma.log").read_text())
            time.sleep(0.5)
        yield url
    finally:
        stop(proc)
        log.close()


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
