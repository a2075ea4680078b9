"""The project's own BM25 index against maintained engines with incremental updates.

    python benchmarks/lexical_engines_bench.py [--sizes 10000,100000] [--store DIR]
                                               [--queries N] [--engines own,fts5,tantivy]

Engines, all fed the same analysed tokens (the project's Analyzer: lower-case, bm25s' English
stop words, Snowball stemming), so that only the index and its scoring differ:

- ``own``: :class:`vectorstore.lexical.LexicalIndex` (segmented BM25 on numpy/scipy, k1=1.5,
  b=0.75, Lucene IDF), updated from the manifest.
- ``fts5``: an SQLite FTS5 table in the manifest's own database (``bm25()``: k1=1.2, b=0.75),
  written in the same transaction as the manifest, so it can never be stale.
- ``tantivy``: a tantivy index (Lucene-style BM25, k1=1.2, b=0.75) beside the manifest,
  updated with delete-by-document + add + commit.

Measured:
1. Quality on the MultiHop-RAG development queries (``../shared/eval/multihop-rag``): each
   engine alone (its top 10) and inside the hybrid retriever (dense + lexical fusion +
   sentence re-scoring, the engine also supplying the IDF weights), over the chunks of a
   Sourced store of the corpus (``--store``: a data directory with it ingested, opened
   read-only; copied to a temporary folder first).
2. Speed on synthetic corpora of 10k and 100k chunks (``scale_bench``'s generator: words with
   the corpus's frequencies): query p50/p95 for the dev questions (engines interleaved query by
   query, so machine drift hits all alike), the update cost of one more document (5 chunks),
   the full build time and disk size.

Prints a JSON report. The adoption rule: an engine is adopted if its MRR@10 is within 0.005 of
the own index (alone and in the hybrid) and its query p50 is not slower at any size. Exits 0
either way (this is a comparison, not a target); ``tantivy`` needs ``pip install tantivy``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from ingest.manifest import ChunkRecord, Manifest, content_hash  # noqa: E402
from vectorstore.lexical import Analyzer, LexicalHit, LexicalIndex, lexical_text  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "multihop-rag"
_SAFE = re.compile(r"^\w+$")


def idf(n: int, df: int) -> float:
    """The Lucene IDF every engine's weights are reported in (for the sentence re-scorer)."""
    import math

    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class Fts5Index:
    """FTS5 over pre-analysed tokens, in the manifest's own SQLite database."""

    name = "fts5"

    def __init__(self, manifest_path: Path) -> None:
        self.analyzer = Analyzer()
        self.conn = sqlite3.connect(manifest_path, check_same_thread=False)
        self.conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5("
            "terms, chunk_id UNINDEXED, doc_id UNINDEXED, tokenize='unicode61')"
        )
        self.conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocab USING fts5vocab(chunk_terms, 'row')"
        )

    def build(self, records: Iterable[ChunkRecord], tokens: Sequence[list[str]]) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM chunk_terms")
            self.conn.executemany(
                "INSERT INTO chunk_terms(terms, chunk_id, doc_id) VALUES (?, ?, ?)",
                ((" ".join(t), r.chunk_id, r.doc_id) for r, t in zip(records, tokens, strict=True)),
            )

    def replace_document(self, doc_id: str, records: list[ChunkRecord]) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM chunk_terms WHERE doc_id = ?", (doc_id,))
            self.conn.executemany(
                "INSERT INTO chunk_terms(terms, chunk_id, doc_id) VALUES (?, ?, ?)",
                ((" ".join(self.analyzer(lexical_text(r))), r.chunk_id, r.doc_id) for r in records),
            )

    @staticmethod
    def _match(tokens: list[str]) -> str:
        return " OR ".join(f'"{t}"' for t in dict.fromkeys(tokens) if _SAFE.match(t))

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[LexicalHit]:
        match = self._match(self.analyzer(query))
        if not match or n <= 0:
            return []
        if allowed is None:
            rows = self.conn.execute(
                "SELECT chunk_id, bm25(chunk_terms) AS s FROM chunk_terms WHERE chunk_terms "
                "MATCH ? ORDER BY s LIMIT ?",
                (match, n),
            ).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT chunk_id, bm25(chunk_terms) AS s FROM chunk_terms WHERE chunk_terms "
                "MATCH ? AND chunk_id IN (SELECT value FROM json_each(?)) ORDER BY s LIMIT ?",
                (match, json.dumps(sorted(allowed)), n),
            ).fetchall()
        return [LexicalHit(str(c), -float(s)) for c, s in rows]

    def idf(self, tokens: list[str]) -> dict[str, float]:
        terms = sorted(set(tokens))
        if not terms:
            return {}
        n = int(self.conn.execute("SELECT count(*) FROM chunk_terms").fetchone()[0])
        marks = ",".join("?" * len(terms))
        rows = self.conn.execute(
            f"SELECT term, doc FROM chunk_vocab WHERE term IN ({marks})", terms
        ).fetchall()
        return {str(t): idf(n, int(d)) for t, d in rows}

    def disk_bytes(self) -> int:
        pages = self.conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'chunk_terms%'"
        ).fetchone()[0]
        return int(pages or 0)

    def refresh(self) -> None:
        pass


class TantivyIndex:
    """tantivy over pre-analysed tokens (whitespace tokenizer), in a folder."""

    name = "tantivy"

    def __init__(self, directory: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.analyzer = Analyzer()
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("terms", stored=False, tokenizer_name="whitespace")
        builder.add_text_field("chunk_id", stored=True, tokenizer_name="raw")
        builder.add_text_field("doc_id", stored=False, tokenizer_name="raw")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(directory))
        self.writer = self.index.writer(heap_size=128_000_000, num_threads=1)

    def _add(self, record: ChunkRecord, tokens: list[str]) -> None:
        self.writer.add_document(
            self.tantivy.Document(
                terms=" ".join(tokens), chunk_id=record.chunk_id, doc_id=record.doc_id
            )
        )

    def build(self, records: Iterable[ChunkRecord], tokens: Sequence[list[str]]) -> None:
        self.writer.delete_all_documents()
        for record, toks in zip(records, tokens, strict=True):
            self._add(record, toks)
        self.writer.commit()
        self.writer.wait_merging_threads()
        self.writer = self.index.writer(heap_size=128_000_000, num_threads=1)
        self.index.reload()

    def replace_document(self, doc_id: str, records: list[ChunkRecord]) -> None:
        self.writer.delete_documents_by_term("doc_id", doc_id)
        for record in records:
            self._add(record, self.analyzer(lexical_text(record)))
        self.writer.commit()
        self.index.reload()

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[LexicalHit]:
        t = self.tantivy
        tokens = list(dict.fromkeys(self.analyzer(query)))
        if not tokens or n <= 0:
            return []
        should = t.Query.boolean_query(
            [(t.Occur.Should, t.Query.term_query(self.schema, "terms", tok)) for tok in tokens]
        )
        if allowed is not None:
            only = t.Query.const_score_query(
                t.Query.term_set_query(self.schema, "chunk_id", sorted(allowed)), 0.0
            )
            should = t.Query.boolean_query([(t.Occur.Must, should), (t.Occur.Must, only)])
        searcher = self.index.searcher()
        hits = searcher.search(should, n).hits
        return [
            LexicalHit(str(searcher.doc(address)["chunk_id"][0]), float(score))
            for score, address in hits
        ]

    def idf(self, tokens: list[str]) -> dict[str, float]:
        searcher = self.index.searcher()
        n = searcher.num_docs
        out = {}
        for tok in set(tokens):
            df = searcher.doc_freq("terms", tok)
            if df:
                out[tok] = idf(n, df)
        return out

    def disk_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.directory.rglob("*") if p.is_file())

    def refresh(self) -> None:
        pass


class OwnIndex:
    """The project's LexicalIndex, kept in step with the manifest (as in production)."""

    name = "own"

    def __init__(self, directory: Path, manifest: Manifest) -> None:
        self.index = LexicalIndex(directory, manifest)
        self.analyzer = self.index.analyzer
        self.directory = directory

    def build(self, records: Iterable[ChunkRecord], tokens: Sequence[list[str]]) -> None:
        self.index.rebuild(full=True)

    def replace_document(self, doc_id: str, records: list[ChunkRecord]) -> None:
        self.index.refresh()  # the manifest already holds the new version

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[LexicalHit]:
        return self.index.search(query, n, allowed)

    def idf(self, tokens: list[str]) -> dict[str, float]:
        return self.index.idf(tokens)

    def disk_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.directory.rglob("*") if p.is_file())

    def refresh(self) -> None:
        self.index.refresh()


def make_engine(name: str, root: Path, manifest: Manifest, manifest_path: Path) -> Any:
    if name == "own":
        return OwnIndex(root / "own", manifest)
    if name == "fts5":
        return Fts5Index(manifest_path)
    if name == "tantivy":
        return TantivyIndex(root / "tantivy")
    raise SystemExit(f"unknown engine {name!r}; use own, fts5, tantivy")


def build_all(engines: list[Any], records: list[ChunkRecord]) -> dict[str, float]:
    analyzer = Analyzer()
    started = time.perf_counter()
    tokens = [analyzer(lexical_text(r)) for r in records]
    analysis = time.perf_counter() - started
    seconds = {}
    for engine in engines:
        started = time.perf_counter()
        engine.build(records, tokens)
        seconds[engine.name] = round(time.perf_counter() - started, 2)
    # The own index analyses inside build(); the others were handed the tokens.
    for name in seconds:
        if name != "own":
            seconds[name] = round(seconds[name] + analysis, 2)
    return seconds


# --- quality ---------------------------------------------------------------------------------
def dev_queries() -> list[dict[str, Any]]:
    return json.loads((DATA / "queries-dev.json").read_text(encoding="utf-8"))


def quality(store: Path, names: list[str], work: Path) -> dict[str, Any]:
    from retrieval_bench import score

    from assistant import Assistant, Settings

    copy = work / "store"
    shutil.copytree(store, copy)
    bot = Assistant(Settings(data_dir=copy))
    records = bot.manifest.chunks()
    engines = [make_engine(n, work, bot.manifest, copy / "manifest.sqlite3") for n in names]
    engines = [bot_own(bot) if e.name == "own" else e for e in engines]
    build_all([e for e in engines if e.name != "own"], records)
    text = {r.chunk_id: r.text for r in records}
    queries = dev_queries()
    out: dict[str, Any] = {"chunks": len(records), "alone": {}, "hybrid": {}}
    for engine in engines:
        search: Callable[[str], list[str]] = lambda q, e=engine: [  # noqa: E731
            text[h.chunk_id] for h in e.search(q, 10)
        ]
        out["alone"][engine.name] = score(engine.name, search, queries)
    for engine in engines:
        bot.retriever.lexical = engine
        if bot.retriever.reranker is not None and hasattr(bot.retriever.reranker, "lexical"):
            bot.retriever.reranker.lexical = engine
        bot.retrieve("warm-up question", k=10)
        hybrid = lambda q: [p.text for p in bot.retrieve(q, k=10)]  # noqa: E731
        out["hybrid"][engine.name] = score(engine.name, hybrid, queries)
    bot.close()
    return out


def bot_own(bot: Any) -> OwnIndex:
    own = OwnIndex.__new__(OwnIndex)
    own.index = bot.lexical
    own.analyzer = bot.lexical.analyzer
    own.directory = bot.settings.lexical_dir
    return own


# --- speed -----------------------------------------------------------------------------------
def speed(size: int, names: list[str], work: Path, questions: list[str]) -> dict[str, Any]:
    import numpy as np
    from scale_bench import ParagraphChunker, make_documents, word_frequencies

    from vectorstore.indexer import chunk_records

    root = work / f"speed-{size}"
    root.mkdir()
    manifest_path = root / "manifest.sqlite3"
    manifest = Manifest(manifest_path)
    words, p = word_frequencies()
    chunker = ParagraphChunker()
    docs = make_documents(size // 5, words, p, seed=size)
    records: list[ChunkRecord] = []
    for doc in docs:
        chunks = chunker.chunk(doc)
        manifest.put(doc, chunks, content_hash(doc))
        records.extend(chunk_records(doc, chunks))
    engines = [make_engine(n, root, manifest, manifest_path) for n in names]
    build_s = build_all(engines, records)

    timings: dict[str, list[float]] = {e.name: [] for e in engines}
    filtered: dict[str, list[float]] = {e.name: [] for e in engines}
    # A per-source sub-query of the hybrid retriever: restricted to one source's chunks
    # (the synthetic corpus has 40 sources, so 2.5% of the chunks).
    by_source: dict[str, set[str]] = {}
    for r in records:
        by_source.setdefault(r.source, set()).add(r.chunk_id)
    sources = sorted(by_source)
    for engine in engines:
        engine.search("warm up the caches", 40)
    for i, q in enumerate(questions):
        allowed = by_source[sources[i % len(sources)]]
        for engine in engines:  # interleaved: drift hits every engine alike
            started = time.perf_counter()
            engine.search(q, 40)
            timings[engine.name].append(time.perf_counter() - started)
            started = time.perf_counter()
            engine.search(q, 20, allowed)
            filtered[engine.name].append(time.perf_counter() - started)

    update: dict[str, list[float]] = {e.name: [] for e in engines}
    extra = make_documents(5, words, p, seed=size + 1)
    for doc in extra:
        chunks = chunker.chunk(doc)
        manifest.put(doc, chunks, content_hash(doc))
        new = chunk_records(doc, chunks)
        for engine in engines:
            started = time.perf_counter()
            engine.replace_document(doc.doc_id, new)
            update[engine.name].append(time.perf_counter() - started)
    result: dict[str, Any] = {"chunks": len(records)}
    for engine in engines:
        ms = np.asarray(timings[engine.name]) * 1000
        fms = np.asarray(filtered[engine.name]) * 1000
        result[engine.name] = {
            "query_p50_ms": round(float(np.percentile(ms, 50)), 2),
            "query_p95_ms": round(float(np.percentile(ms, 95)), 2),
            "one_source_query_p50_ms": round(float(np.percentile(fms, 50)), 2),
            "update_one_document_ms": round(statistics.median(update[engine.name]) * 1000, 1),
            "update_max_ms": round(max(update[engine.name]) * 1000, 1),
            "build_s": build_s[engine.name],
            "disk_mb": round(engine.disk_bytes() / 1e6, 1),
        }
    manifest.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--store", type=Path, default=None, help="a store of the MH corpus")
    parser.add_argument("--queries", type=int, default=200, help="questions timed per size")
    parser.add_argument("--engines", default="own,fts5,tantivy")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    names = args.engines.split(",")
    work = Path(tempfile.mkdtemp(prefix="lexical-engines-"))
    report: dict[str, Any] = {"benchmark": "lexical engines", "engines": names}
    try:
        if args.store is not None and (DATA / "queries-dev.json").exists():
            report["quality"] = quality(args.store, names, work)
        if (DATA / "queries-dev.json").exists():
            questions = [q["query"] for q in dev_queries()][: args.queries]
        else:
            questions = [f"what did the minister say about {w}" for w in range(args.queries)]
        report["speed"] = {
            size: speed(int(size), names, work, questions) for size in args.sizes.split(",") if size
        }
        report["load_average"] = os.getloadavg()
        report["verdict"] = verdict(report, names)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


def verdict(report: dict[str, Any], names: list[str]) -> dict[str, str]:
    out = {}
    q = report.get("quality")
    for name in names:
        if name == "own":
            continue
        reasons = []
        if q:
            for mode in ("alone", "hybrid"):
                delta = q[mode][name]["mrr@10"] - q[mode]["own"]["mrr@10"]
                if delta < -0.005:
                    reasons.append(f"MRR@10 {mode} {delta:+.4f}")
        else:
            reasons.append("quality not measured (no --store)")
        for size, row in report["speed"].items():
            for key in ("query_p50_ms", "one_source_query_p50_ms"):
                if row[name][key] > row["own"][key]:
                    reasons.append(f"{key} at {size}: {row[name][key]} > {row['own'][key]}")
        out[name] = "adopt" if not reasons else "keep own: " + "; ".join(reasons)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
