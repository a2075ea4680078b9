"""The recorded embedder gate (vectorstore/gate.json) must describe the code and model we ship.

It is stale, and this fails, when the file's schema is not the one ``backends`` reads, when the
bundled model's files or the code that converts it for each backend changed since it was
measured, when the thresholds it was judged by are not the current ones, or when a backend has
no verdict. Then re-run ``python benchmarks/embed_gate.py --data-dir LIBRARY --write``. (A
runtime upgrade does not fail here; ``gate_verdict`` refuses an int8 backend whose runtime's
major.minor differs from the measured one.)
"""

from __future__ import annotations

from ingest.config import Settings
from vectorstore import backends


def test_the_gate_file_is_current() -> None:
    gate = backends.read_gate()
    assert gate, f"{backends.GATE_FILE} is missing or not schema {backends.GATE_SCHEMA}"
    assert gate["model"]["name"] == Settings().embedding_model
    assert gate["model"]["fingerprint"] == backends.model_fingerprint(
        Settings().embedding_model_path
    ), "the bundled model changed since the gate was measured"
    assert gate["code_fingerprint"] == backends.code_fingerprint(), (
        "the backend exporters changed since the gate was measured"
    )
    assert gate["data"]["n_queries"] >= 500, "measure on every development query"
    assert gate["data"]["articles"] == "all", "measure on the whole corpus"
    assert gate["thresholds"]["max_loss"] == backends.MAX_LOSS
    assert gate["thresholds"]["confidence"] == backends.CONFIDENCE
    for backend in backends.BACKENDS:
        if backend == "torch":
            continue
        entry = gate["backends"].get(backend)
        assert entry and "offered" in entry, f"no verdict for {backend}"
        if not entry["exact"]:
            for metric in ("recall@10", "mrr@10"):
                low, high = entry[metric]["interval"]
                assert low <= entry[metric]["diff"] <= high
            assert entry["offered"] == (
                min(entry[m]["interval"][0] for m in ("recall@10", "mrr@10")) >= -backends.MAX_LOSS
            )


def test_the_verdicts_are_read_from_the_file() -> None:
    gate = backends.read_gate()
    for backend, entry in gate.get("backends", {}).items():
        verdict = backends.gate_verdict(backend, gate)
        if not entry.get("offered"):
            assert verdict and (entry.get("reason") or "") in verdict
        elif entry.get("exact"):
            assert verdict is None
