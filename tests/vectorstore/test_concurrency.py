"""Two writers on one data directory, and readers answering while an ingest runs."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from corpus_gen import start_ingest, wait_for, write_corpus

from ingest.errors import StoreError
from vectorstore.locking import WriteLock

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"


def test_second_writer_fails_fast_naming_the_holder(tmp_path: Path, make_assistant) -> None:
    bot = make_assistant(lock_timeout=0.2)
    with WriteLock(bot.settings.data_dir, 1.0):
        with pytest.raises(StoreError) as info:
            bot.ingest([ARTICLES / "lighthouse.md"])
        with pytest.raises(StoreError):
            bot.sync(ARTICLES)
    message = str(info.value)
    assert "another writer holds" in message and "pid " in message
    assert "SOURCED_CHROMA_URL" in message
    assert bot.sources() == []  # nothing was written
    assert bot.ingest([ARTICLES / "lighthouse.md"]).documents == 1  # free again


@pytest.mark.slow
def test_other_process_writing_second_waits_or_fails_and_readers_keep_answering(
    tmp_path: Path, make_assistant
) -> None:
    corpus = write_corpus(tmp_path / "corpus", 160)
    data = tmp_path / "data"
    reader = make_assistant(data_dir=data)
    reader.ingest([ARTICLES])  # something to answer from while the big ingest runs
    # The writer embeds with torch in small batches so that it holds the lock for the whole
    # test (OpenVINO, the default here, ingests 160 articles before the other writers start);
    # torch and OpenVINO vectors share one store.
    proc = start_ingest(data, corpus, SOURCED_EMBED_BATCH_SIZE="8", SOURCED_EMBED_BACKEND="torch")
    try:
        assert wait_for(proc, 1), proc.stderr.read() if proc.stderr else ""
        # A second writer that does not wait long fails, naming the process that holds the lock.
        impatient = make_assistant(data_dir=data, lock_timeout=0.5)
        with pytest.raises(StoreError, match=f"pid {proc.pid}"):
            impatient.ingest([ARTICLES / "lighthouse.md"])
        # A patient writer waits in a thread while the reader keeps answering.
        patient = make_assistant(data_dir=data, lock_timeout=300)
        extra = tmp_path / "late.md"
        extra.write_text("---\ntitle: Late\n---\nA late article about the quay lights.\n")
        result: dict[str, object] = {}
        waiter = threading.Thread(target=lambda: result.update(r=patient.ingest([extra])))
        waiter.start()
        answers = 0
        while proc.poll() is None:
            passages = reader.retrieve("lighthouse lens restoration", k=5)
            assert passages and "Lighthouse" in passages[0].title
            listed = reader.manifest.all_chunk_ids()
            assert all(p.chunk_id in listed for p in passages)
            answers += 1
        assert answers >= 3
        waiter.join(timeout=300)
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
        assert result["r"].documents == 1  # type: ignore[attr-defined]
    finally:
        if proc.poll() is None:
            proc.kill()
    final = make_assistant(data_dir=data)
    assert final.store.ids() == final.manifest.all_chunk_ids()
    assert len(final.sources()) == 160 + 4 + 1
    hits = final.retrieve("Arden bridge reopened repairs", k=3)
    assert hits and "Arden" in hits[0].title
