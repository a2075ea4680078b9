"""Embedder backends: speed, drift from torch, and retrieval quality on MultiHop-RAG (dev).

    .venv/bin/python benchmarks/embed_bench.py [--quick] [--backends torch,onnx,...] [--out F]

All backends encode the same chunk texts in the same run. Per backend: chunks/s and speed-up
over torch, mean/min cosine of its chunk vectors to torch's, and dense retrieval on the
development queries (brute-force cosine top-10 over the chunks; a query is a hit when a gold
fact, whitespace removed, is a substring of a top-10 passage, whitespace removed; MRR@10 = 1/rank
of the first such passage). The gate: mean cosine >= 0.99 and recall@10 and MRR@10 within 0.01
(absolute) of torch. Torch-only pipeline overheads are measured against the raw encoder.

Prints one JSON report; exits 1 when a backend that vectorstore/gate.json offers fails the
gate (a miss), 0 otherwise. Needs ../shared/eval/multihop-rag (skips cleanly without it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from reporting import finish  # noqa: E402

from assistant.api import load_embedder  # noqa: E402
from ingest.chunking import Chunker, embedding_text  # noqa: E402
from ingest.config import Settings  # noqa: E402
from ingest.loaders import load_records  # noqa: E402
from vectorstore.backends import BACKENDS, gate_verdict  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "multihop-rag"
COSINE_MIN = 0.99
RETRIEVAL_DELTA = 0.01
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub("", text)


def select(n_queries: int, n_articles: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The first ``n_queries`` non-null dev queries, their gold articles, then distractors."""
    queries = [q for q in json.loads((DATA / "queries-dev.json").read_text()) if q["evidence_list"]]
    queries = queries[:n_queries]
    corpus = json.loads((DATA / "corpus.json").read_text())
    gold = {e["url"] for q in queries for e in q["evidence_list"]}
    articles = [a for a in corpus if a["url"] in gold]
    rest = [a for a in corpus if a["url"] not in gold]
    random.Random(0).shuffle(rest)
    articles += rest[: max(0, n_articles - len(articles))]
    return queries, articles


def retrieval(
    chunk_vecs: np.ndarray, query_vecs: np.ndarray, passages: list[str], queries: list[dict]
) -> dict[str, float]:
    squashed = [squash(p) for p in passages]
    hits, rr = 0, 0.0
    top = np.argsort(-(query_vecs @ chunk_vecs.T), axis=1)[:, :10]
    for q, row in zip(queries, top, strict=True):
        facts = [squash(e["fact"]) for e in q["evidence_list"]]
        for rank, i in enumerate(row, start=1):
            if any(f in squashed[i] for f in facts):
                hits += 1
                rr += 1.0 / rank
                break
    return {"recall@10": hits / len(queries), "mrr@10": rr / len(queries)}


def timed_encode(embedder: Any, texts: list[str]) -> tuple[np.ndarray, float]:
    embedder.embed(texts[:8])  # warm-up: first-call allocations and lazy init
    t0 = time.perf_counter()
    vecs = embedder.embed(texts)
    return vecs, time.perf_counter() - t0


def overheads(embedder: Any, texts: list[str], parse_seconds_per_chunk: float) -> dict[str, Any]:
    """Where torch encoding time goes, against the raw transformer forward pass."""
    import torch

    model = embedder.model
    tok = model.tokenizer
    auto = model[0].auto_model
    out: dict[str, Any] = {"chunks": len(texts)}

    t0 = time.perf_counter()
    for i in range(0, len(texts), 32):
        tok(texts[i : i + 32], padding=True, truncation=True, max_length=256, return_tensors="pt")
    out["tokenize_s_per_chunk"] = (time.perf_counter() - t0) / len(texts)

    def raw(order: list[int], batch: int) -> float:
        t = time.perf_counter()
        with torch.inference_mode():
            for i in range(0, len(order), batch):
                enc = tok(
                    [texts[j] for j in order[i : i + batch]],
                    padding=True,
                    truncation=True,
                    max_length=256,
                    return_tensors="pt",
                )
                hidden = auto(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).float()
                (hidden * mask).sum(1) / mask.sum(1)
        return len(order) / (time.perf_counter() - t)

    shuffled = list(range(len(texts)))
    random.Random(1).shuffle(shuffled)
    by_length = sorted(shuffled, key=lambda j: -len(texts[j]))
    raw(by_length[:16], 16)  # warm-up
    out["raw_encoder_chunks_per_s_unsorted_b32"] = raw(shuffled, 32)
    out["raw_encoder_chunks_per_s_sorted_b32"] = raw(by_length, 32)
    out["pipeline_chunks_per_s_by_batch"] = {}
    for batch in (8, 32, 128):
        embedder.batch_size = batch
        _, secs = timed_encode(embedder, texts)
        out["pipeline_chunks_per_s_by_batch"][str(batch)] = len(texts) / secs
    embedder.batch_size = 32
    threads = torch.get_num_threads()
    out["pipeline_chunks_per_s_by_threads"] = {}
    for n in sorted({1, threads}):
        torch.set_num_threads(n)
        _, secs = timed_encode(embedder, texts)
        out["pipeline_chunks_per_s_by_threads"][str(n)] = len(texts) / secs
    torch.set_num_threads(threads)
    encode_per_chunk = 1.0 / out["pipeline_chunks_per_s_by_batch"]["32"]
    out["parse_and_chunk_s_per_chunk"] = parse_seconds_per_chunk
    out["encode_s_per_chunk"] = encode_per_chunk
    # Overlapping parsing with encoding can hide at most the smaller of the two stages.
    out["overlap_max_saving_fraction"] = min(parse_seconds_per_chunk, encode_per_chunk) / (
        parse_seconds_per_chunk + encode_per_chunk
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="8 queries, their gold articles")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--cache", type=Path, default=None, help="where converted models go")
    parser.add_argument("--no-overheads", action="store_true")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not (DATA / "queries-dev.json").exists():
        print(json.dumps({"skipped": f"{DATA} is absent (third-party data)"}))
        return 0
    n_queries = args.queries or (8 if args.quick else 100)
    n_articles = args.articles if args.articles is not None else (0 if args.quick else 150)
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    if "torch" not in backends:
        backends.insert(0, "torch")
    cache = args.cache or Path(tempfile.mkdtemp(prefix="embed-bench-"))

    queries, articles = select(n_queries, n_articles)
    torch_embedder = load_embedder(Settings(data_dir=cache))
    t0 = time.perf_counter()
    result = load_records(articles, "multihop", Settings(data_dir=cache), line_numbers=False)
    chunker = Chunker(torch_embedder, 200, 256)
    chunks = [(d, c) for d in result.documents for c in chunker.chunk(d)]
    parse_s = (time.perf_counter() - t0) / max(1, len(chunks))
    texts = [embedding_text(d.title, c.heading, c.text) for d, c in chunks]
    passages = [c.text for _, c in chunks]
    questions = [q["query"] for q in queries]

    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": os.getloadavg()[0]},
        "queries": len(queries),
        "articles": len(articles),
        "chunks": len(chunks),
        "gate": {"mean_cosine_min": COSINE_MIN, "retrieval_abs_delta_max": RETRIEVAL_DELTA},
        "backends": {},
    }
    reference: dict[str, Any] = {}
    misses = []
    for backend in backends:
        entry: dict[str, Any] = {"offered_by_code": gate_verdict(backend) is None}
        try:
            t = time.perf_counter()
            embedder = (
                torch_embedder
                if backend == "torch"
                else load_embedder(
                    Settings(data_dir=cache, embed_backend=backend, embed_allow_ungated=True)
                )
            )
            entry["load_or_build_s"] = time.perf_counter() - t
        except Exception as exc:
            entry["error"] = f"{type(exc).__name__}: {exc}"
            report["backends"][backend] = entry
            if entry["offered_by_code"] and backend != "torch":
                misses.append(backend)
            continue
        vecs, secs = timed_encode(embedder, texts)
        qvecs = embedder.embed(questions)
        entry["chunks_per_s"] = len(texts) / secs
        entry.update(retrieval(vecs, qvecs, passages, queries))
        if backend == "torch":
            reference = {"vecs": vecs, "qvecs": qvecs, **entry}
        else:
            cos = np.sum(vecs * reference["vecs"], axis=1)
            qcos = np.sum(qvecs * reference["qvecs"], axis=1)
            entry["speedup_vs_torch"] = entry["chunks_per_s"] / reference["chunks_per_s"]
            entry["cosine_mean"] = float(cos.mean())
            entry["cosine_min"] = float(cos.min())
            entry["query_cosine_min"] = float(qcos.min())
            entry["delta_recall@10"] = entry["recall@10"] - reference["recall@10"]
            entry["delta_mrr@10"] = entry["mrr@10"] - reference["mrr@10"]
            entry["passes_gate"] = bool(
                entry["cosine_mean"] >= COSINE_MIN
                and abs(entry["delta_recall@10"]) <= RETRIEVAL_DELTA
                and abs(entry["delta_mrr@10"]) <= RETRIEVAL_DELTA
            )
            if entry["offered_by_code"] and not entry["passes_gate"]:
                misses.append(backend)
        report["backends"][backend] = entry
        if backend != "torch":
            del embedder
    if not args.no_overheads:
        sample = texts[: min(len(texts), 32 if args.quick else 128)]
        report["torch_overheads"] = overheads(torch_embedder, sample, parse_s)
    return finish(report, misses, args.out)


if __name__ == "__main__":
    sys.exit(main())
