"""Store-side scale: build 10k / 100k-chunk stores and time retrieval, ingest, memory and disk.

    .venv/bin/python benchmarks/scale_bench.py [--quick] [--sizes 10000,100000] [--server]

What is real and what is synthetic:
- Text is synthetic but realistic: sentences of words drawn with their real frequencies from
  the MultiHop-RAG corpus (../shared, else data/sample), so BM25 posting lists look like news.
- Documents go through the real ingest path (Indexer: Chroma upsert, manifest transaction,
  incremental lexical update) except chunking, which is one chunk per paragraph here.
  Chunk *vectors* are synthetic (clustered unit vectors, from a hash of the text), since
  embedding 100k real chunks takes hours here; ingest times therefore exclude embedding
  (see embed_bench.py for that cost).
- Queries are embedded by the real model, so dense and hybrid latencies include it.

Reports retrieval p50/p95 (dense, lexical, hybrid) at each size, ingest seconds per 1k chunks
as the store grows, the lexical update cost of one more document, peak memory and disk size;
``--server`` repeats it with Chroma in server mode (``chroma run`` + HttpClient). Exits 1 when
hybrid p50 at the largest size exceeds the target (150 ms).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import random
import resource
import shutil
import socket
import subprocess
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
from ingest.config import Settings  # noqa: E402
from ingest.ids import chunk_id  # noqa: E402
from ingest.loaders import build_document  # noqa: E402
from ingest.manifest import Manifest, content_hash  # noqa: E402
from ingest.models import Chunk, Document  # noqa: E402
from vectorstore.chroma import ChromaStore  # noqa: E402
from vectorstore.indexer import Indexer  # noqa: E402
from vectorstore.lexical import LexicalIndex  # noqa: E402
from vectorstore.retrieval import HybridRetriever  # noqa: E402

CORPUS = ROOT.parent / "shared" / "eval" / "multihop-rag" / "corpus.json"
TARGET_P50_MS = 150.0
DIM = 384


def word_frequencies() -> tuple[list[str], np.ndarray]:
    if CORPUS.exists():
        texts = [a["body"] for a in json.loads(CORPUS.read_text())]
    else:
        texts = [p.read_text() for p in (ROOT / "data" / "sample").glob("*.md")]
    counts = collections.Counter(w for t in texts for w in t.split() if w.isalpha())
    words, freq = zip(*counts.most_common(40_000), strict=True)
    p = np.asarray(freq, dtype=np.float64)
    return list(words), p / p.sum()


class SyntheticVectors:
    """The real tokenizer (so chunking is real) with synthetic, clustered chunk vectors."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.name, self.dim, self.max_tokens = real.name, real.dim, real.max_tokens
        self.centroids = np.random.default_rng(0).normal(size=(256, DIM)).astype(np.float32)

    def count(self, text: str) -> int:
        return int(self.real.count(text))

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        return list(self.real.token_spans(text))

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
            rng = np.random.default_rng(seed)
            out[i] = self.centroids[rng.integers(256)] + 0.6 * rng.normal(size=DIM)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def make_documents(n_docs: int, words: list[str], p: np.ndarray, seed: int) -> list[Document]:
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(p)
    vocab = np.asarray(words)

    def draw(n: int) -> list[str]:
        return vocab[np.minimum(np.searchsorted(cdf, rng.random(n)), len(vocab) - 1)].tolist()

    docs = []
    for i in range(n_docs):
        paras = []
        for _ in range(5):
            sentences = [
                " ".join(draw(int(rng.integers(8, 20)))).capitalize() + "." for _ in range(6)
            ]
            paras.append(" ".join(sentences))
        meta = {
            "title": " ".join(draw(6)).title(),
            "source": f"Source {i % 40}",
            "published_at": "2024-01-01",
        }
        docs.append(
            build_document(
                f"synthetic://{seed}/{i}",
                "\n\n".join(paras),
                meta,
                parse_header=False,
                origin=f"synthetic {i}",
            )
        )
    return docs


class ParagraphChunker:
    """One chunk per paragraph (~110 tokens): the real chunker costs ~17 ms a chunk on this
    loaded machine, which alone would take half an hour for 100k chunks."""

    def chunk(self, document: Document) -> list[Chunk]:
        return [
            Chunk(
                chunk_id(document.doc_id, b.start, b.end, document.text[b.start : b.end]),
                document.doc_id,
                i,
                b.start,
                b.end,
                document.text[b.start : b.end],
            )
            for i, b in enumerate(x for x in document.blocks if x.kind == "para")
        ]


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.asarray(samples) * 1000
    return {"p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95))}


def disk(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(path: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("chroma server did not start within 60 s")


def peak_rss_mb(pid: int | None = None) -> float:
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(
    sizes: list[int], real: Any, words: list[str], p: np.ndarray, server: bool, n_queries: int
) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    proc = None
    overrides: dict[str, Any] = {"data_dir": root / "data"}
    if server:
        proc, port = start_server(root / "server")
        overrides.update(chroma_host="127.0.0.1", chroma_port=port)
    settings = Settings(**overrides)
    vectors = SyntheticVectors(real)
    manifest = Manifest(settings.manifest_path)
    store = ChromaStore(settings, real.name, real.dim)
    lexical = LexicalIndex(settings.lexical_dir, manifest)
    indexer = Indexer(settings, vectors, store, manifest, lexical)  # type: ignore[arg-type]
    indexer.chunker = ParagraphChunker()  # type: ignore[assignment]
    retriever = HybridRetriever(settings, real, store, lexical, manifest)
    rng = random.Random(1)
    mid = words[200:5000]
    questions = [" ".join(rng.sample(mid, 5)) for _ in range(n_queries)]
    out: dict[str, Any] = {"server": server, "ingest_s_per_1k_chunks": [], "sizes": {}}
    seed = 0
    try:
        for size in sizes:
            while store.count() < size:
                seed += 1
                docs = make_documents(200, words, p, seed)
                t = time.perf_counter()
                stats = indexer.index(docs)
                secs = time.perf_counter() - t
                out["ingest_s_per_1k_chunks"].append(
                    {"store_chunks": store.count(), "s_per_1k": secs * 1000 / max(1, stats.chunks)}
                )
            entry: dict[str, Any] = {"chunks": store.count()}
            qvecs = real.embed(questions)
            timings: dict[str, list[float]] = {
                "dense": [],
                "lexical": [],
                "hybrid": [],
                "embed": [],
            }
            retriever.retrieve(questions[0], k=10)  # warm caches
            for q, v in zip(questions, qvecs, strict=True):
                t = time.perf_counter()
                real.embed([q])
                timings["embed"].append(time.perf_counter() - t)
                t = time.perf_counter()
                store.query(v, settings.candidates)
                timings["dense"].append(time.perf_counter() - t)
                t = time.perf_counter()
                lexical.search(q, settings.candidates)
                timings["lexical"].append(time.perf_counter() - t)
                t = time.perf_counter()
                retriever.retrieve(q, k=10)
                timings["hybrid"].append(time.perf_counter() - t)
            entry["query_embed"] = percentiles(timings["embed"])
            entry["dense_store_only"] = percentiles(timings["dense"])
            entry["lexical"] = percentiles(timings["lexical"])
            entry["hybrid_end_to_end"] = percentiles(timings["hybrid"])
            # One more document at this size: full ingest, then the lexical update alone.
            doc = make_documents(1, words, p, 10_000 + size)[0]
            t = time.perf_counter()
            stats = indexer.index([doc])
            entry["one_document_ingest_s"] = time.perf_counter() - t
            entry["one_document_chunks"] = stats.chunks
            t = time.perf_counter()
            indexer.remove([doc.doc_id])
            entry["one_document_remove_s"] = time.perf_counter() - t
            manifest.put(doc, indexer.chunker.chunk(doc), content_hash(doc))
            t = time.perf_counter()
            lexical.rebuild()
            entry["lexical_update_one_document_s"] = time.perf_counter() - t
            manifest.delete([doc.doc_id])
            lexical.rebuild()
            t = time.perf_counter()
            lexical.rebuild(full=True)
            entry["lexical_full_rebuild_s"] = time.perf_counter() - t
            entry["disk_mb"] = {
                "chroma": disk(root / "server" if server else settings.chroma_dir) / 1e6,
                "manifest": disk(settings.manifest_path) / 1e6
                + disk(settings.manifest_path.with_name("manifest.sqlite3-wal")) / 1e6,
                "lexical": disk(settings.lexical_dir) / 1e6,
            }
            entry["peak_rss_mb"] = peak_rss_mb()
            if proc is not None:
                entry["server_peak_rss_mb"] = peak_rss_mb(proc.pid)
            out["sizes"][str(size)] = entry
    finally:
        manifest.close()
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one 2k-chunk store")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--server", action="store_true", help="also run with a Chroma server")
    parser.add_argument("--server-only", action="store_true")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sizes = [2000] if args.quick else [int(s) for s in args.sizes.split(",")]
    real = load_embedder(Settings())
    words, p = word_frequencies()
    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_avg_1m": os.getloadavg()[0]},
        "text": "synthetic, word frequencies from "
        + ("MultiHop-RAG" if CORPUS.exists() else "data/sample"),
        "vectors": "synthetic clustered chunk vectors; queries embedded by the real model",
        "target_hybrid_p50_ms": TARGET_P50_MS,
        "runs": {},
    }
    if not args.server_only:
        report["runs"]["embedded"] = run(sizes, real, words, p, False, args.queries)
    if args.server or args.server_only:
        report["runs"]["server"] = run(sizes, real, words, p, True, args.queries)
    largest = str(max(sizes))
    misses = [
        name
        for name, r in report["runs"].items()
        if r["sizes"][largest]["hybrid_end_to_end"]["p50_ms"] > TARGET_P50_MS
    ]
    return finish(report, misses, args.out)


if __name__ == "__main__":
    sys.exit(main())
