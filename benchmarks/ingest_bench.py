"""Ingest speed: first-ingest throughput next to the raw encoder, and the cost of re-ingesting
an unchanged corpus.

    python benchmarks/ingest_bench.py [--quick] [--limit N] [--corpus PATH]

Prints one JSON report and exits 1 when a target is missed:
- the pipeline (load, clean, chunk, embed, write Chroma + manifest + BM25) reaches at least 0.9
  of the chunks/s of the bare encoder (``SentenceTransformer.encode`` for torch, the
  runtime's batched call for the other backends) on the very same chunk texts, measured in
  the same run (raw encode timed before and after the ingest; their mean is the yardstick, so
  drifting machine load hits both sides alike);
- re-ingesting the unchanged corpus embeds nothing and takes at most 5% of the first ingest.
The corpus is ../shared/eval/multihop-rag/corpus.json (609 articles); when it is absent the
report says so and the exit code is 0. ``--quick`` uses the first 25 articles (for CI).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "multihop-rag" / "corpus.json"
QUICK_ARTICLES = 25
MIN_RATIO = 0.9
MAX_REINGEST_SHARE = 0.05


def _raw_encode(embedder: Any, texts: list[str], batch_size: int) -> float:
    """Seconds for the bare encoder over ``texts``: SentenceTransformer.encode for torch, the
    runtime's own batched call for the other backends."""
    start = time.perf_counter()
    if hasattr(embedder, "model"):
        embedder.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
    else:
        embedder.embed(texts)
    return time.perf_counter() - start


def run(corpus: Path, limit: int | None) -> dict[str, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    sys.path.insert(0, str(ROOT))
    import torch

    from assistant.api import Assistant, load_embedder
    from ingest.chunking import Chunker, embedding_text
    from ingest.config import Settings
    from ingest.loaders import load_file

    articles = json.loads(corpus.read_text())
    if limit:
        articles = articles[:limit]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "corpus.json"
        source.write_text(json.dumps(articles))
        settings = Settings(data_dir=Path(tmp) / "data")
        embedder = load_embedder(settings)
        embedder.embed(["warm up the model"] * 8)

        # The exact texts the pipeline will embed, for the raw yardstick.
        chunker = Chunker(embedder, settings.chunk_tokens, settings.model_max_tokens)
        documents = load_file(source, settings).documents
        texts = [
            embedding_text(d.title, c.heading, c.text) for d in documents for c in chunker.chunk(d)
        ]
        raw_before = _raw_encode(embedder, texts, settings.embed_batch_size)

        bot = Assistant(settings, embedder=embedder)
        start = time.perf_counter()
        first = bot.ingest([source])
        first_s = time.perf_counter() - start

        raw_after = _raw_encode(embedder, texts, settings.embed_batch_size)

        start = time.perf_counter()
        again = bot.ingest([source])
        again_s = time.perf_counter() - start
        consistent = bot.store.ids() == bot.manifest.all_chunk_ids()
        bot.close()

    raw_s = (raw_before + raw_after) / 2
    pipeline_cps = first.chunks / first_s
    raw_cps = len(texts) / raw_s
    ratio = pipeline_cps / raw_cps
    share = again_s / first_s
    targets = {
        "pipeline_vs_raw_at_least_0.9": ratio >= MIN_RATIO,
        "reingest_embeds_nothing": again.embedded == 0 and again.documents == 0,
        "reingest_at_most_5pct_of_first": share <= MAX_REINGEST_SHARE,
        "store_consistent": consistent and first.chunks == len(texts),
    }
    return {
        "benchmark": "ingest",
        "corpus": str(corpus),
        "articles": len(articles),
        "documents": first.documents,
        "errors": len(first.errors),
        "chunks": first.chunks,
        "batch_size": settings.embed_batch_size,
        "torch_threads": torch.get_num_threads(),
        "embedder": getattr(embedder, "backend", ""),
        "first_ingest_s": round(first_s, 3),
        "pipeline_chunks_per_s": round(pipeline_cps, 2),
        "raw_encode_s": {"before": round(raw_before, 3), "after": round(raw_after, 3)},
        "raw_encode_chunks_per_s": round(raw_cps, 2),
        "pipeline_vs_raw": round(ratio, 3),
        "reingest_s": round(again_s, 3),
        "reingest_embedded": again.embedded,
        "reingest_unchanged": len(again.unchanged),
        "reingest_share_of_first": round(share, 4),
        "targets": targets,
        "passed": all(targets.values()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"first {QUICK_ARTICLES} articles")
    parser.add_argument("--limit", type=int, default=None, help="first N articles")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(
            json.dumps({"benchmark": "ingest", "skipped": True, "reason": f"{args.corpus} absent"})
        )
        return 0
    limit = args.limit or (QUICK_ARTICLES if args.quick else None)
    report = run(args.corpus, limit)
    report["mode"] = "quick" if args.quick else ("limit" if args.limit else "full")
    print(json.dumps(report, indent=2))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
