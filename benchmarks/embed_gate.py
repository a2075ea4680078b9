"""The embedder quality gate: which backends are offered, measured on every development query.

    python benchmarks/embed_gate.py [--data-dir DIR] [--write] [--backends onnx-int8,...]

Reference: torch's vectors of the whole MultiHop-RAG corpus. With ``--data-dir`` they are read
from a library of the corpus built with torch (``sourced ingest corpus.json``; looked up by chunk
text), so only the other backends embed; without it torch embeds the corpus here too.
``--wait-for FILE`` lets the other backends embed while that library is still being built.

Per backend (all of them run with ``SOURCED_EMBED_ALLOW_UNGATED``): chunk vectors (approximate
backends embed every chunk; exact ones embed ``--exact-sample`` chunks, enough to check they
are the model's own vectors) and every dev query's vector, chunks/s, and the single-question
embedding latency (p50 over ``--latency-queries`` questions, one at a time, as ``ask`` does).
Dense retrieval is brute-force cosine top-10 over all chunks, per query: recall@10 = share of
its evidence facts (whitespace removed) found in a top-10 passage, MRR@10 = 1/rank of the first
passage holding one. The paired difference to torch (backend minus torch, per query) gets a
percentile bootstrap interval (``--resamples`` draws of the queries, seed 0).

Verdict: an exact backend is offered when the min cosine of its vectors to torch's is at least
0.9999; an approximate one when the interval of both differences excludes a loss larger than
``MAX_LOSS`` (its lower end is >= -0.01). ``--write`` records the verdicts, figures, model and
runtime versions in ``vectorstore/gate.json`` (read by ``vectorstore/backends.py``); without it
the run exits 1 when a verdict differs from the recorded one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import closing
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from reporting import finish  # noqa: E402

from ingest.chunking import Chunker, embedding_text  # noqa: E402
from ingest.config import Settings  # noqa: E402
from ingest.loaders import load_records  # noqa: E402
from vectorstore import backends  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "multihop-rag"
EXACT_MIN_COSINE = 0.9999
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub("", text)


def dev_queries() -> list[dict[str, Any]]:
    """Every development query that has evidence (the null queries have nothing to find)."""
    return [q for q in json.loads((DATA / "queries-dev.json").read_text()) if q["evidence_list"]]


def corpus_chunks(
    embedder: Any, settings: Settings, articles: int | None
) -> tuple[list[str], list[str]]:
    """Embedding texts and passage texts of every chunk of the corpus (its first ``articles``
    for a smoke test), chunked as ingest does."""
    corpus = json.loads((DATA / "corpus.json").read_text())[:articles]
    documents = load_records(corpus, "multihop", settings, line_numbers=False).documents
    chunker = Chunker(embedder, settings.chunk_tokens, settings.model_max_tokens)
    chunks = [(d, c) for d in documents for c in chunker.chunk(d)]
    return [embedding_text(d.title, c.heading, c.text) for d, c in chunks], [
        c.text for _, c in chunks
    ]


def reference_from_store(data_dir: Path, texts: list[str]) -> np.ndarray:
    """The stored vector of each of ``texts`` in a library of the corpus built by an exact
    backend (looked up by embedding text, so the library's document ids do not matter)."""
    import chromadb

    settings = Settings(data_dir=data_dir)
    # Read-only: the reference library may be shared, so not even a schema upgrade is written.
    with closing(sqlite3.connect(f"file:{settings.manifest_path}?mode=ro", uri=True)) as db:
        records = db.execute(
            "SELECT c.chunk_id, d.title, c.heading, c.text"
            " FROM chunks c JOIN documents d ON c.doc_id = d.doc_id"
        ).fetchall()
    client = chromadb.PersistentClient(
        path=str(settings.chroma_dir), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    collection = client.get_collection(settings.collection)
    stored = str((collection.metadata or {}).get("embedding_model"))
    if not backends.same_space(stored, settings.embedding_model):
        raise SystemExit(f"{data_dir} holds {stored!r} vectors, not an exact backend's")
    by_id: dict[str, np.ndarray] = {}
    ids = [r[0] for r in records]
    for i in range(0, len(ids), 2000):
        got = collection.get(ids=ids[i : i + 2000], include=["embeddings"])
        by_id.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
    by_text = {
        embedding_text(title, heading, text): by_id[i] for i, title, heading, text in records
    }
    missing = [t for t in texts if t not in by_text]
    if missing:
        raise SystemExit(
            f"{data_dir} lacks {len(missing)} of the corpus's {len(texts)} chunks; ingest "
            f"{DATA / 'corpus.json'} into it with default settings"
        )
    return np.stack([by_text[t] for t in texts])


def per_query(
    chunk_vecs: np.ndarray, query_vecs: np.ndarray, passages: list[str], queries: list[dict]
) -> tuple[np.ndarray, np.ndarray]:
    """Per-query evidence recall@10 and MRR@10 of brute-force cosine retrieval."""
    squashed = [squash(p) for p in passages]
    recall, rr = np.zeros(len(queries)), np.zeros(len(queries))
    top = np.argsort(-(query_vecs @ chunk_vecs.T), axis=1)[:, :10]
    for n, (q, row) in enumerate(zip(queries, top, strict=True)):
        facts = [squash(e["fact"]) for e in q["evidence_list"]]
        found = {f for i in row for f in facts if f in squashed[i]}
        recall[n] = len(found) / len(facts)
        for rank, i in enumerate(row, start=1):
            if any(f in squashed[i] for f in facts):
                rr[n] = 1.0 / rank
                break
    return recall, rr


def bootstrap(diff: np.ndarray, resamples: int, confidence: float) -> list[float]:
    """Percentile bootstrap interval of the mean of paired per-query differences."""
    rng = np.random.default_rng(0)
    means = diff[rng.integers(0, len(diff), size=(resamples, len(diff)))].mean(axis=1)
    tail = (1 - confidence) / 2 * 100
    return [float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))]


def latency_p50_ms(embedder: Any, questions: list[str]) -> float | None:
    if not questions:
        return None
    embedder.embed(questions[:2])
    times = []
    for q in questions:
        t = time.perf_counter()
        embedder.embed([q])
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def latency_report(args: argparse.Namespace, cache: Path, questions: list[str]) -> int:
    """Single-question embedding p50 (ms) per backend, torch first; a timing run, so it runs
    alone (``flock /tmp/bench.lock``)."""
    names = ["torch", *[b.strip() for b in args.backends.split(",") if b.strip() != "torch"]]
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)},
        "questions": len(questions),
        "query_p50_ms": {},
    }
    for backend in names:
        if not backends.installed(backend):
            continue
        settings = Settings(data_dir=cache, embed_backend=backend, embed_allow_ungated=True)
        embedder = backends.load_embedder(settings)
        report["query_p50_ms"][backend] = latency_p50_ms(embedder, questions)
    report["machine"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    return finish(report, [], args.out)


def measure(
    backend: str,
    cache: Path,
    texts: list[str],
    sample: list[int],
    questions: list[str],
    args: argparse.Namespace,
) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """One backend's chunk vectors (all chunks for int8, the sample for exact backends), query
    vectors, speed and single-question latency."""
    exact = backend in backends.EXACT
    entry: dict[str, Any] = {"exact": exact}
    if not backends.installed(backend):
        entry["skipped"] = "not installed"
        return entry, np.zeros(0), np.zeros(0)
    settings = Settings(data_dir=cache, embed_backend=backend, embed_allow_ungated=True)
    t = time.perf_counter()
    embedder = backends.load_embedder(settings)
    entry["load_or_build_s"] = round(time.perf_counter() - t, 2)
    idx = sample if exact else list(range(len(texts)))
    embedder.embed([texts[i] for i in idx[:8]])
    t = time.perf_counter()
    vecs = embedder.embed([texts[i] for i in idx])
    entry["chunks_per_s"] = round(len(idx) / (time.perf_counter() - t), 2)
    entry["chunks_embedded"] = len(idx)
    qvecs = embedder.embed(questions)
    entry["query_p50_ms"] = latency_p50_ms(embedder, questions[: args.latency_queries])
    print(json.dumps({backend: entry}), file=sys.stderr, flush=True)
    return entry, vecs, qvecs


def compare(
    name: str,
    metrics: dict[str, np.ndarray],
    reference: dict[str, np.ndarray],
    kinds: list[str],
    resamples: int,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for metric in ("recall@10", "mrr@10"):
        diff = metrics[metric] - reference[metric]
        by_kind: dict[str, list[float]] = defaultdict(list)
        for kind, d in zip(kinds, diff, strict=True):
            by_kind[kind].append(float(d))
        out[metric] = {
            "torch": round(float(reference[metric].mean()), 4),
            name: round(float(metrics[metric].mean()), 4),
            "diff": round(float(diff.mean()), 4),
            "interval": [round(x, 4) for x in bootstrap(diff, resamples, backends.CONFIDENCE)],
            "queries_changed": int(np.count_nonzero(diff)),
            "diff_by_type": {k: round(float(np.mean(v)), 4) for k, v in sorted(by_kind.items())},
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="a library of the corpus")
    parser.add_argument("--backends", default=",".join(b for b in backends.BACKENDS[1:]))
    parser.add_argument("--exact-sample", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=None, help="first N (a smoke test)")
    parser.add_argument("--latency-queries", type=int, default=100)
    parser.add_argument("--resamples", type=int, default=10000)
    parser.add_argument("--cache", type=Path, default=None, help="where converted models go")
    parser.add_argument(
        "--wait-for", type=Path, default=None, help="wait for this file before reading --data-dir"
    )
    parser.add_argument("--write", action="store_true", help=f"record in {backends.GATE_FILE}")
    parser.add_argument(
        "--latency-only", action="store_true", help="only the single-question latency per backend"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not (DATA / "queries-dev.json").exists():
        print(json.dumps({"skipped": f"{DATA} is absent (third-party data)"}))
        return 0
    cache = args.cache or Path(tempfile.mkdtemp(prefix="embed-gate-"))
    queries = dev_queries()
    questions = [q["query"] for q in queries]
    if args.latency_only:
        return latency_report(args, cache, questions[: args.latency_queries])
    kinds = [str(q.get("question_type", "")) for q in queries]

    torch = backends.load_embedder(Settings(data_dir=cache, embed_backend="torch"))
    texts, passages = corpus_chunks(torch, Settings(data_dir=cache), args.articles)
    sample = sorted(random.Random(0).sample(range(len(texts)), min(args.exact_sample, len(texts))))
    names = [b.strip() for b in args.backends.split(",") if b.strip()]
    measured = {b: measure(b, cache, texts, sample, questions, args) for b in names}
    sample_texts = [texts[i] for i in sample]
    torch.embed(sample_texts[:8])
    t = time.perf_counter()
    torch.embed(sample_texts)
    torch_cps = len(sample) / (time.perf_counter() - t)
    ref_q = torch.embed(questions)
    while args.wait_for and not args.wait_for.exists():
        time.sleep(10)
    ref_vecs = reference_from_store(args.data_dir, texts) if args.data_dir else torch.embed(texts)
    recall, rr = per_query(ref_vecs, ref_q, passages, queries)
    reference = {"recall@10": recall, "mrr@10": rr}

    report: dict[str, Any] = {
        "schema": backends.GATE_SCHEMA,
        "command": "python benchmarks/embed_gate.py --data-dir LIBRARY_OF_THE_CORPUS --write",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": round(os.getloadavg()[0], 2)},
        "model": {
            "name": Settings().embedding_model,
            "fingerprint": backends.model_fingerprint(Settings().embedding_model_path),
        },
        "code_fingerprint": backends.code_fingerprint(),
        "versions": backends.runtime_versions(),
        "thresholds": {
            "max_loss": backends.MAX_LOSS,
            "confidence": backends.CONFIDENCE,
            "exact_min_cosine": EXACT_MIN_COSINE,
            "resamples": args.resamples,
        },
        "data": {
            "corpus": "MultiHop-RAG corpus.json",
            "articles": args.articles or "all",
            "queries": "MultiHop-RAG queries-dev.json, every query with evidence",
            "n_queries": len(queries),
            "n_chunks": len(texts),
            "exact_sample_chunks": len(sample),
        },
        "torch": {
            "recall@10": round(float(recall.mean()), 4),
            "mrr@10": round(float(rr.mean()), 4),
            "chunks_per_s": round(torch_cps, 2),
            "query_p50_ms": latency_p50_ms(torch, questions[: args.latency_queries]),
        },
        "backends": {},
    }
    del torch
    recorded = backends.read_gate()
    misses: list[str] = []
    for backend in names:
        entry, vecs, qvecs = measured[backend]
        if "skipped" in entry:
            report["backends"][backend] = entry
            continue
        exact = entry["exact"]
        idx = sample if exact else list(range(len(texts)))
        cos = np.sum(vecs * ref_vecs[idx], axis=1)
        qcos = np.sum(qvecs * ref_q, axis=1)
        entry["cosine_mean"] = round(float(cos.mean()), 6)
        entry["cosine_min"] = round(float(min(cos.min(), qcos.min())), 6)
        if exact:
            entry["offered"] = entry["cosine_min"] >= EXACT_MIN_COSINE
            entry["reason"] = (
                None
                if entry["offered"]
                else f"min cosine to torch {entry['cosine_min']} < {EXACT_MIN_COSINE}"
            )
        else:
            recall, rr = per_query(vecs, qvecs, passages, queries)
            entry.update(
                compare(
                    backend, {"recall@10": recall, "mrr@10": rr}, reference, kinds, args.resamples
                )
            )
            lows = {m: entry[m]["interval"][0] for m in ("recall@10", "mrr@10")}
            entry["offered"] = all(low >= -backends.MAX_LOSS for low in lows.values())
            entry["reason"] = (
                None
                if entry["offered"]
                else "on {n} dev queries the {c:.0%} interval of its difference to torch "
                "reaches a loss larger than {m}: recall@10 {r}, MRR@10 {rr}".format(
                    n=len(queries),
                    c=backends.CONFIDENCE,
                    m=backends.MAX_LOSS,
                    r=entry["recall@10"]["interval"],
                    rr=entry["mrr@10"]["interval"],
                )
            )
        old = (recorded.get("backends") or {}).get(backend, {})
        if not args.write and old and bool(old.get("offered")) != entry["offered"]:
            misses.append(f"{backend}: measured offered={entry['offered']}, file says otherwise")
        report["backends"][backend] = entry
        print(json.dumps({backend: entry}), file=sys.stderr, flush=True)
    if args.write:
        same = recorded.get("code_fingerprint") == report["code_fingerprint"]
        for backend, old in (recorded.get("backends") or {}).items():
            if same and backend not in report["backends"]:  # not measured this time: kept
                report["backends"][backend] = old
        backends.GATE_FILE.write_text(json.dumps(report, indent=2) + "\n")
    return finish(report, misses, args.out)


if __name__ == "__main__":
    sys.exit(main())
