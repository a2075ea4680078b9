"""Whole-process ingest time of two embedder backends, paired: `sourced ingest` A B A B ...

    python benchmarks/ingest_pair.py [--backends torch,auto] [--limit 60] [--rounds 3]
                                     [--max-ratio 0.75] [--max-seconds S] [--vectors] [--eval]

Each run is a fresh `sourced ingest corpus.json --data-dir NEW` process with
``SOURCED_EMBED_BACKEND`` set, so model loading and a backend's first-use export count. Runs
alternate A B within each round, and the ratio B/A (wall and CPU time of the process) is taken
pair by pair; the report gives every pair and the medians, which damp the machine's drift.

``--vectors`` compares the two libraries of the last round chunk by chunk (same chunk ids):
the min cosine of B's vectors to A's must be at least 0.9999 when both are exact backends
(``--reference DIR``: to the library in DIR instead, e.g. one built earlier by torch). With one
backend (``--backends auto``) it is only timed, ``--rounds`` times.
``--eval`` scores both libraries with `sourced eval` on the MultiHop-RAG dev queries (retrieval
only) and reports both. Exits 1 when the median wall ratio exceeds ``--max-ratio``, a run of B
takes longer than ``--max-seconds``, or the vectors differ. The corpus is
../shared/eval/multihop-rag/corpus.json (skips cleanly when absent); ``--limit 0`` = all of it;
``--corpus FOLDER`` ingests a folder as it is (``--corpus data/sample``: what `make run` does).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "multihop-rag"
EXACT_MIN_COSINE = 0.9999
_EMBEDDER = re.compile(r"^embedder: .*$", re.MULTILINE)


def ingest(corpus: Path, data_dir: Path, backend: str) -> dict[str, Any]:
    """One `sourced ingest` process: wall and CPU seconds, and the embedder it reported."""
    env = os.environ | {
        "SOURCED_EMBED_BACKEND": backend,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
    }
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--data-dir", str(data_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = os.times()
    if done.returncode != 0:
        raise SystemExit(f"ingest with {backend} failed:\n{done.stdout}\n{done.stderr}")
    found = _EMBEDDER.search(done.stdout)
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "embedder": found.group(0) if found else "",
        "summary": done.stdout.strip().splitlines()[0] if done.stdout.strip() else "",
    }


def vectors(data_dir: Path) -> dict[str, np.ndarray]:
    import chromadb

    client = chromadb.PersistentClient(
        path=str(data_dir / "chroma"), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    got = client.get_collection("sourced").get(include=["embeddings"])
    return dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))


def evaluate(data_dir: Path, backend: str) -> dict[str, Any]:
    env = os.environ | {"SOURCED_EMBED_BACKEND": backend, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "eval",
            str(DATA / "queries-dev.json"),
            "--no-answers",
            "--no-ingest",
            "--json",
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    result = json.loads(done.stdout)
    return {k: v for k, v in result.items() if k != "questions"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="torch,auto", help="A,B: B is timed against A")
    parser.add_argument("--limit", type=int, default=60, help="first N articles; 0 = all")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-ratio", type=float, default=0.75, help="median B/A wall, at most")
    parser.add_argument("--max-seconds", type=float, default=None, help="B's wall, at most")
    parser.add_argument("--vectors", action="store_true")
    parser.add_argument("--eval", action="store_true")
    parser.add_argument(
        "--reference", type=Path, default=None, help="compare B's vectors with this library's"
    )
    parser.add_argument("--corpus", type=Path, default=DATA / "corpus.json")
    parser.add_argument("--keep", type=Path, default=None, help="copy B's last library here")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(json.dumps({"skipped": f"{args.corpus} is absent (third-party data)"}))
        return 0
    names = [x.strip() for x in args.backends.split(",") if x.strip()]
    a, b = (names[0], names[-1])
    sides = (("A", a), ("B", b)) if len(names) > 1 else (("B", b),)
    work = Path(tempfile.mkdtemp(prefix="ingest-pair-"))
    if args.corpus.is_dir():  # a folder of articles (data/sample) is ingested as it is
        corpus, articles = args.corpus, [p for p in args.corpus.iterdir() if p.is_file()]
    else:
        articles = json.loads(args.corpus.read_text())
        if args.limit:
            articles = articles[: args.limit]
        corpus = work / "corpus.json"
        corpus.write_text(json.dumps(articles))
    report: dict[str, Any] = {
        "benchmark": "ingest_pair",
        "command": " ".join(["python", "benchmarks/ingest_pair.py", *sys.argv[1:]]),
        "articles": len(articles),
        "backends": {"A": a, "B": b},
        "load_avg_1m_start": round(os.getloadavg()[0], 2),
        "pairs": [],
    }
    last: dict[str, Path] = {}
    try:
        for r in range(args.rounds):
            pair: dict[str, Any] = {}
            for side, backend in sides:
                data_dir = work / f"{side}{r}"
                pair[side] = ingest(corpus, data_dir, backend)
                if r < args.rounds - 1:
                    shutil.rmtree(data_dir, ignore_errors=True)
                last[side] = data_dir
            if "A" in pair:
                pair["wall_ratio"] = round(pair["B"]["wall_s"] / pair["A"]["wall_s"], 3)
                pair["cpu_ratio"] = round(pair["B"]["cpu_s"] / pair["A"]["cpu_s"], 3)
            report["pairs"].append(pair)
            print(json.dumps(pair), file=sys.stderr, flush=True)
        pairs = report["pairs"]
        report["median"] = {
            f"{side}_{what}": statistics.median(p[side][what] for p in pairs)
            for side, _ in sides
            for what in ("wall_s", "cpu_s")
        }
        if len(sides) == 2:
            for what in ("wall_ratio", "cpu_ratio"):
                report["median"][what] = statistics.median(p[what] for p in pairs)
        misses = []
        if report["median"].get("wall_ratio", 0) > args.max_ratio:
            misses.append(f"median wall ratio {report['median']['wall_ratio']} > {args.max_ratio}")
        if args.max_seconds and max(p["B"]["wall_s"] for p in pairs) > args.max_seconds:
            misses.append(f"{b} took longer than {args.max_seconds} s")
        if args.vectors or args.reference:
            va, vb = vectors(args.reference or last["A"]), vectors(last["B"])
            ids = sorted(va)
            same_ids = set(va) == set(vb)
            cos = np.array([float(va[i] @ vb[i]) for i in ids if i in vb])
            report["vectors"] = {
                "chunks": len(ids),
                "same_chunk_ids": same_ids,
                "cosine_mean": round(float(cos.mean()), 6),
                "cosine_min": round(float(cos.min()), 6),
            }
            if not same_ids or cos.min() < EXACT_MIN_COSINE:
                misses.append(f"vectors differ: min cosine {cos.min():.6f}, same ids {same_ids}")
        if args.eval:
            report["eval"] = {b: evaluate(last["B"], b)}
            reference = args.reference or last.get("A")
            if reference:
                report["eval"][f"{a} ({reference.name})"] = evaluate(reference, a)
        report["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    finally:
        if args.keep and "B" in last:
            shutil.copytree(last["B"], args.keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    report["misses"] = misses
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
