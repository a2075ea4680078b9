"""Retrieval quality on the MultiHop-RAG development queries, measured in one run for three
systems over the same corpus:

- naive: the LangChain tutorial setup, RecursiveCharacterTextSplitter(1000, 200) +
  all-MiniLM-L6-v2 + Chroma similarity top 10;
- bm25: plain BM25 over title + source + text of the project's own chunks;
- project: Sourced's retriever with its default settings.

Prints a JSON report and exits 1 unless the project beats both on Hits@10, MRR@10 and evidence
recall@10 and reaches evidence recall@10 >= 0.65, Hits@10 >= 0.95, MRR@10 >= 0.70 with a
retrieval p50 <= 150 ms. ``--quick`` runs a slice (the first 40 queries, their articles and as
many others) for CI. Without ``../shared/eval/multihop-rag`` it prints a note and exits 0.

    python benchmarks/retrieval_bench.py [--quick] [--cache-dir DIR] [--only project,bm25]

Ingesting embeds every chunk (minutes on a CPU); ``--cache-dir`` keeps the stores between runs
(ingest skips unchanged articles, so a rerun only re-measures).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "eval" / "multihop-rag"
TARGETS = {"evidence_recall@10": 0.65, "hits@10": 0.95, "mrr@10": 0.70}
MAX_P50_MS = 150.0
QUICK_QUERIES = 40

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def select(quick: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(corpus records, queries): all of them, or the quick slice."""
    corpus = json.loads((DATA / "corpus.json").read_text(encoding="utf-8"))
    queries = json.loads((DATA / "queries-dev.json").read_text(encoding="utf-8"))
    if not quick:
        return corpus, queries
    queries = queries[:QUICK_QUERIES]
    gold = {e["url"] for q in queries for e in q["evidence_list"]}
    others = [r for r in corpus if r["url"] not in gold]
    step = max(1, len(others) // max(1, len(gold)))
    distractors = {r["url"] for r in others[::step][: len(gold)]}
    return [r for r in corpus if r["url"] in gold | distractors], queries


def score(
    name: str,
    search: Callable[[str], Sequence[str]],
    queries: list[dict[str, Any]],
) -> dict[str, Any]:
    """Hits@4/10, MRR@10, evidence recall@10 and latency of ``search`` (texts, best first)
    over the answerable queries, with the MultiHop-RAG hit rule."""
    from assistant.evaluation import percentile, squash

    hits4 = hits10 = rr = recall = 0.0
    latencies = []
    scored = [q for q in queries if q["evidence_list"]]
    for q in scored:
        started = time.perf_counter()
        texts = [squash(t) for t in search(q["query"])[:10]]
        latencies.append((time.perf_counter() - started) * 1000)
        facts = [squash(e["fact"]) for e in q["evidence_list"]]
        ranks = [i + 1 for i, t in enumerate(texts) if any(f in t for f in facts)]
        first = ranks[0] if ranks else None
        hits4 += first is not None and first <= 4
        hits10 += first is not None
        rr += 1.0 / first if first else 0.0
        recall += sum(any(f in t for t in texts) for f in facts) / len(facts)
    n = max(1, len(scored))
    return {
        "system": name,
        "queries": len(scored),
        "hits@4": round(hits4 / n, 4),
        "hits@10": round(hits10 / n, 4),
        "mrr@10": round(rr / n, 4),
        "evidence_recall@10": round(recall / n, 4),
        "p50_ms": round(percentile(latencies, 50) or 0.0, 1),
        "p95_ms": round(percentile(latencies, 95) or 0.0, 1),
    }


def project_system(directory: Path, corpus: list[dict[str, Any]], embedder: Any) -> Any:
    from assistant import Assistant, Settings

    bot = Assistant(Settings(data_dir=directory), embedder=embedder)
    report = bot.ingest(corpus)
    if report.errors:
        raise SystemExit(f"ingest failed: {report.errors[:3]}")
    return bot


def naive_system(
    directory: Path, corpus: list[dict[str, Any]], embedder: Any
) -> Callable[[str], list[str]]:
    """The tutorial setup, built once per cache directory (ids make re-adding a no-op)."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    store = Chroma(
        collection_name="naive",
        embedding_function=embedder,
        persist_directory=str(directory),
    )
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    have = set(store.get(include=[])["ids"])
    docs, ids = [], []
    for record in corpus:
        for i, piece in enumerate(splitter.split_text(record["body"])):
            chunk_id = f"{record['url']}#{i}"
            if chunk_id not in have:
                docs.append(Document(page_content=piece, metadata={"url": record["url"]}))
                ids.append(chunk_id)
    for start in range(0, len(docs), 256):
        store.add_documents(docs[start : start + 256], ids=ids[start : start + 256])
    return lambda q: [d.page_content for d in store.similarity_search(q, k=10)]


def bm25_system(bot: Any) -> Callable[[str], list[str]]:
    """Plain BM25 (no fusion, no query understanding) over the project's chunks."""
    import bm25s
    import numpy as np

    from vectorstore.lexical import Analyzer

    records = bot.manifest.chunks()
    analyzer = Analyzer()
    index = bm25s.BM25()
    index.index(
        [analyzer(f"{r.title}\n{r.source}\n{r.text}") for r in records], show_progress=False
    )
    vocab = index.vocab_dict

    def search(query: str) -> list[str]:
        tokens = [t for t in analyzer(query) if t in vocab]
        if not tokens:
            return []
        scores = np.asarray(index.get_scores(tokens))
        top = np.argsort(-scores)[:10]
        return [records[i].text for i in top if scores[i] > 0]

    return search


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a slice, for CI")
    parser.add_argument("--cache-dir", type=Path, help="keep the built stores here")
    parser.add_argument("--only", default="naive,bm25,project", help="systems to run")
    args = parser.parse_args(argv)
    if not (DATA / "corpus.json").exists():
        print(json.dumps({"skipped": f"{DATA} is absent (third-party data)"}))
        return 0
    from assistant.api import load_embedder
    from ingest.config import Settings

    corpus, queries = select(args.quick)
    systems = set(args.only.split(","))
    tmp = None
    if args.cache_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="sourced-bench-")
        cache = Path(tmp.name)
    else:
        cache = args.cache_dir
    tag = "quick" if args.quick else "full"
    embedder = load_embedder(Settings())
    rows = []
    ingest_s = None
    if "naive" in systems:
        rows.append(score("naive", naive_system(cache / f"naive-{tag}", corpus, embedder), queries))
    if systems & {"bm25", "project"}:
        started = time.perf_counter()
        bot = project_system(cache / f"project-{tag}", corpus, embedder)
        ingest_s = round(time.perf_counter() - started, 1)
        if "bm25" in systems:
            rows.append(score("bm25", bm25_system(bot), queries))
        if "project" in systems:
            bot.retrieve("warm-up question", k=10)
            search = lambda q: [p.text for p in bot.retrieve(q, k=10)]  # noqa: E731
            rows.append(score("project", search, queries))
        bot.close()
    report: dict[str, Any] = {
        "benchmark": "retrieval",
        "mode": tag,
        "articles": len(corpus),
        "queries": len(queries),
        "project_ingest_s": ingest_s,
        "results": rows,
        "targets": {**TARGETS, "p50_ms": MAX_P50_MS},
    }
    failures = check(rows)
    report["failures"] = failures
    report["passed"] = not failures
    print(json.dumps(report, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 1 if failures else 0


def check(rows: list[dict[str, Any]]) -> list[str]:
    """What the project misses: a target, or not beating another system on a metric."""
    by_name = {r["system"]: r for r in rows}
    project = by_name.get("project")
    if project is None:
        return ["the project was not run"]
    failures = [f"{m} {project[m]} < {t}" for m, t in TARGETS.items() if project[m] < t]
    if project["p50_ms"] > MAX_P50_MS:
        failures.append(f"p50 {project['p50_ms']} ms > {MAX_P50_MS} ms")
    for other in ("naive", "bm25"):
        if other in by_name:
            for m in ("hits@10", "mrr@10", "evidence_recall@10"):
                if project[m] <= by_name[other][m]:
                    failures.append(f"{m}: project {project[m]} does not beat {other}")
    return failures


if __name__ == "__main__":
    raise SystemExit(main())
