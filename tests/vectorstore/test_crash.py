"""SIGKILL an ingest at several points; rerunning completes it, and the store then equals a
clean ingest of the same corpus: same documents, same chunks, Chroma ids == manifest chunk ids,
BM25 over exactly those chunks, the same vectors, no duplicates."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import numpy as np
import pytest
from corpus_gen import start_ingest, wait_for, write_corpus

pytestmark = pytest.mark.slow

N_DOCS = 240


def _snapshot(bot) -> dict:
    manifest_ids = bot.manifest.all_chunk_ids()
    stored = bot.store.collection.get(include=["embeddings"])
    ids = list(stored["ids"])
    assert len(ids) == len(set(ids)), "duplicate vectors"
    assert set(ids) == manifest_ids, "Chroma and manifest disagree"
    bot.lexical.refresh()
    assert sorted(bot.lexical.chunk_ids()) == sorted(manifest_ids), "BM25 out of step"
    sources = bot.sources()
    assert sum(s.chunks for s in sources) == len(manifest_ids)
    return {
        "docs": {s.doc_id: s.content_hash for s in sources},
        "chunks": {r.chunk_id: (r.doc_id, r.start, r.end, r.text) for r in bot.manifest.chunks()},
        "vectors": dict(zip(ids, np.asarray(stored["embeddings"]), strict=True)),
    }


def test_sigkill_at_several_points_then_rerun_equals_a_clean_ingest(
    make_assistant, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus", N_DOCS)
    data = tmp_path / "crashed"
    env = {"SOURCED_EMBED_BATCH_SIZE": "4"}  # many small flushes: more places to die in
    # Kill points: during start-up/repair, then after a few, many and most documents.
    for docs in (0, 3, 90, 200):
        proc = start_ingest(data, corpus, **env)
        reached = wait_for(proc, docs)
        if docs == 0:
            time.sleep(0.3)  # into loading and repair
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert reached, f"the ingest ended before {docs} documents: {proc.stderr.read()[-2000:]}"
        assert proc.returncode == -signal.SIGKILL

    proc = start_ingest(data, corpus, **env)
    out, errors = proc.communicate(timeout=600)
    assert proc.returncode == 0, errors[-3000:]
    assert out.count("doc") == N_DOCS

    crashed = make_assistant(data_dir=data)
    clean = make_assistant()
    clean.ingest([corpus])
    got, want = _snapshot(crashed), _snapshot(clean)
    assert len(got["docs"]) == N_DOCS
    assert got["docs"] == want["docs"]
    assert got["chunks"] == want["chunks"]
    # The same vectors up to float error: OpenVINO's (the default backend's) depend slightly
    # on the padding of the batch a chunk was embedded in, and a re-run batches differently.
    for chunk_id, vector in want["vectors"].items():
        got_vector = np.asarray(got["vectors"][chunk_id])
        cosine = got_vector @ vector / (np.linalg.norm(got_vector) * np.linalg.norm(vector))
        assert cosine >= 0.9999, chunk_id

    again = crashed.ingest([corpus])
    assert again.embedded == 0 and len(again.unchanged) == N_DOCS
