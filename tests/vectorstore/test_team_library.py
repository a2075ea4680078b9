"""A team library: the manifest in a real Postgres, the vectors in a real `chroma run`, and
writers and readers in separate processes with separate data directories (standing in for
separate machines)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from corpus_gen import start_ingest, wait_for

from assistant import Assistant, Settings
from ingest.errors import ConfigError, StoreError
from vectorstore.locking import PostgresWriteLock, write_lock

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
TOWNS = ["Arden", "Belmore", "Calder", "Dunmore", "Elstow", "Farley"]
TOPICS = ["bridge", "library", "harbour", "school", "market"]
N_DOCS = 30


def write_edition(folder: Path, edition: int) -> Path:
    """``N_DOCS`` articles of several chunks each; every paragraph names the edition, so a
    reader can tell the versions of one document apart."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(N_DOCS):
        town, topic = TOWNS[i % len(TOWNS)], TOPICS[i % len(TOPICS)]
        paragraphs = [
            f"Edition {edition} of story {i}: part {k} on the {topic} works in {town}. "
            + " ".join(
                f"The council of {town} reviewed the {topic} budget line {k}-{j} in edition "
                f"{edition}, and residents asked about costs and schedules."
                for j in range(5)
            )
            for k in range(4)
        ]
        (folder / f"s{i:03d}.md").write_text(
            f"---\ntitle: {town} {topic} story {i}\nsource: Team Times\n---\n"
            + "\n\n".join(paragraphs)
            + "\n"
        )
    return folder


def _env(team: dict[str, object], data_dir: Path, **more: str) -> dict[str, str]:
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "SOURCED_DATA_DIR": str(data_dir),
        "SOURCED_DATABASE_URL": str(team["database_url"]),
        "SOURCED_CHROMA_URL": str(team["chroma_url"]),
        "SOURCED_COLLECTION": str(team["collection"]),
        **more,
    }


READER_SCRIPT = r"""
import json, re, sys, time
from pathlib import Path
from assistant import Assistant
bot = Assistant()
stop = Path(sys.argv[1])
queries = [f"{t} {p} budget edition" for t in ("Arden", "Calder", "Elstow", "Farley")
           for p in ("bridge", "harbour", "market", "school")]
print("ready", flush=True)
i = 0
while not stop.exists():
    q = queries[i % len(queries)]
    i += 1
    before = bot.manifest.generation()
    passages = bot.retrieve(q, k=10)
    with bot.manifest.snapshot():
        after, listed = bot.manifest.generation(), bot.manifest.all_chunk_ids()
    editions = {}
    for p in passages:
        editions.setdefault(p.doc_id, set()).update(re.findall(r"edition (\d+)", p.text, re.I))
    print(json.dumps({
        "n": len(passages),
        "mixed": {d: sorted(e) for d, e in editions.items() if len(e) > 1},
        # With no commit during the query, every served chunk must be one the manifest lists.
        "retired": [p.chunk_id for p in passages if p.chunk_id not in listed]
        if before == after else [],
    }), flush=True)
    time.sleep(0.1)
final = [p.text for p in bot.retrieve("Arden bridge budget edition", k=10)]
print(json.dumps({
    "final": sorted({e for t in final for e in re.findall(r"edition (\d+)", t, re.I)}),
    "lexical_current": bot.lexical.chunk_ids() == bot.manifest.all_chunk_ids(),
}), flush=True)
"""


def _reader(team: dict[str, object], data_dir: Path, stop: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", READER_SCRIPT, str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(team, data_dir),
    )


def _ingest(team: dict[str, object], data_dir: Path, corpus: Path, **env: str):
    return start_ingest(data_dir, corpus, **_env(team, data_dir, **env))


def _consistent(bot: Assistant) -> None:
    ids = bot.store.ids()
    stored = bot.store.collection.get(include=[])["ids"]
    assert len(stored) == len(set(stored)), "duplicate vectors"
    assert ids == bot.manifest.all_chunk_ids(), "Chroma and the manifest disagree"
    assert sum(s.chunks for s in bot.sources()) == len(ids)


def test_two_writers_and_two_readers_on_separate_machines_share_one_library(
    tmp_path: Path, team_settings: dict[str, object], make_assistant
) -> None:
    team = team_settings
    corpus = write_edition(tmp_path / "corpus", 1)
    stop = tmp_path / "stop-readers"
    readers = [_reader(team, tmp_path / f"reader{i}", stop) for i in (1, 2)]
    writers: list[subprocess.Popen[str]] = []  # every writer, so a failed assert stops them too
    try:
        for reader in readers:
            assert reader.stdout is not None
            assert reader.stdout.readline().startswith("ready"), reader.stderr
        # Two writers on two "machines" ingest the same folder at once: one waits for the
        # other's lock, then finds every document unchanged.
        writers += [
            _ingest(team, tmp_path / f"writer{i}", corpus, SOURCED_LOCK_TIMEOUT="600")
            for i in (1, 2)
        ]
        embedded = []
        for writer in writers[:2]:
            out, err = writer.communicate(timeout=600)
            assert writer.returncode == 0, err[-3000:]
            embedded.append(int(out.split("done ")[1]))
        check = make_assistant(data_dir=tmp_path / "check", **team)
        assert len(check.sources()) == N_DOCS
        assert sorted(embedded)[0] == 0 and sorted(embedded)[1] == len(check.store.ids())
        _consistent(check)

        # Edition 2: a writer is SIGKILLed in the middle of it; the next writer repairs.
        write_edition(corpus, 2)
        doomed = _ingest(team, tmp_path / "writer1", corpus, SOURCED_EMBED_BATCH_SIZE="4")
        writers.append(doomed)
        assert wait_for(doomed, 1), doomed.stderr.read() if doomed.stderr else ""
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=60)
        # The dead writer's session is gone, so its advisory lock is free at once.
        with write_lock(Settings(**{**team, "lock_timeout": 10})):  # type: ignore[arg-type]
            orphans = check.store.ids() - check.manifest.all_chunk_ids()
        assert orphans, "the kill left nothing to repair: it came too late"
        healer = _ingest(team, tmp_path / "writer2", corpus, SOURCED_LOCK_TIMEOUT="600")
        writers.append(healer)
        out, err = healer.communicate(timeout=600)
        assert healer.returncode == 0, err[-3000:]
        _consistent(check)
        assert len(check.sources()) == N_DOCS
        texts = [r.text for r in check.manifest.chunks()]
        assert all("Edition 2" in t or "edition 2" in t for t in texts)
        assert not any("edition 1" in t.lower() for t in texts)
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait(timeout=60)
        stop.touch()
        outputs = []
        for reader in readers:
            try:
                out, err = reader.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                reader.kill()
                out, err = reader.communicate()
            outputs.append((reader.returncode, out, err))
    for returncode, out, err in outputs:
        assert returncode == 0, err[-3000:]
        lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        queries, final = lines[:-1], lines[-1]
        assert len(queries) >= 5, "the reader answered too few queries to mean anything"
        assert all(q["n"] > 0 for q in queries[-3:])
        assert [q["mixed"] for q in queries if q["mixed"]] == [], "a half-switched document"
        assert [q["retired"] for q in queries if q["retired"]] == [], "a retired chunk served"
        assert final == {"final": ["2"], "lexical_current": True}


def test_a_writer_on_another_machine_waits_or_fails_naming_the_holder(
    tmp_path: Path, team_settings: dict[str, object], make_assistant
) -> None:
    bot = make_assistant(data_dir=tmp_path / "a", lock_timeout=0.3, **team_settings)
    other = Settings(data_dir=tmp_path / "b", lock_timeout=1, **team_settings)  # type: ignore[arg-type]
    with write_lock(other) as held:
        assert isinstance(held, PostgresWriteLock)
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            bot.ingest([ARTICLES / "lighthouse.md"])
        assert time.monotonic() - started < 5
        assert "pid " in held.holder() and str(os.getpid()) in held.holder()
    message = str(info.value)
    assert "another writer holds the write lock" in message
    assert f"pid {os.getpid()} on " in message and "SOURCED_LOCK_TIMEOUT" in message
    assert bot.sources() == []  # nothing was written
    assert bot.ingest([ARTICLES / "lighthouse.md"]).documents == 1  # free again


def test_a_killed_lock_holder_frees_the_lock_and_a_waiting_writer_gets_it(
    tmp_path: Path, team_settings: dict[str, object], make_assistant
) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from vectorstore.locking import PostgresWriteLock\n"
            "with PostgresWriteLock(sys.argv[1], 5):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(600)\n",
            str(team_settings["database_url"]),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        bot = make_assistant(data_dir=tmp_path / "a", lock_timeout=60, **team_settings)
        lock = PostgresWriteLock(str(team_settings["database_url"]), 0.2)
        assert f"pid {holder.pid} on " in lock.holder()
        with pytest.raises(StoreError):
            lock.__enter__()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        started = time.monotonic()
        assert bot.ingest([ARTICLES / "lighthouse.md"]).documents == 1
        assert time.monotonic() - started < 30
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_a_shared_manifest_without_a_chroma_server_is_refused(
    tmp_path: Path, database_url: str, make_assistant
) -> None:
    with pytest.raises(ConfigError, match="SOURCED_CHROMA_URL"):
        make_assistant(data_dir=tmp_path / "a", database_url=database_url)


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path, make_assistant) -> None:
    from tests.processes import free_port

    url = f"postgresql://someone:secret@127.0.0.1:{free_port()}/library"
    with pytest.raises(StoreError, match=r"cannot open the manifest database .*someone:\*\*\*@"):
        make_assistant(data_dir=tmp_path / "a", database_url=url, chroma_url="http://x:1")


def test_a_read_only_role_asks_but_its_ingest_is_a_clear_error(
    tmp_path: Path, team_settings: dict[str, object], make_assistant
) -> None:
    import uuid

    import psycopg

    writer = make_assistant(data_dir=tmp_path / "w", **team_settings)
    assert writer.ingest([ARTICLES / "lighthouse.md"]).documents == 1
    url = str(team_settings["database_url"])
    role = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader = make_assistant(
        data_dir=tmp_path / "r",
        **{**team_settings, "database_url": url.replace("postgres@", f"{role}@")},
    )
    assert reader.retrieve("lighthouse", k=3)
    with pytest.raises(StoreError, match=r"SOURCED_DATABASE_URL may read but not write"):
        reader.ingest([ARTICLES / "orchard.html"])
    assert [s.title for s in writer.sources()] == [s.title for s in reader.sources()]
    assert len(writer.sources()) == 1  # nothing written, nothing lost
    assert writer.ingest([ARTICLES / "orchard.html"]).documents == 1  # the lock was released
