"""Extractive answer latency: the time the answerer takes from retrieved passages to the final
:class:`Answer` (reading the question, scoring sentences, picking evidence, composing), apart
from retrieval, over the request set (``tests/fixtures/requests``) on the sample corpus and the
fixtures, or over the MultiHop-RAG development queries of a store given with ``--data-dir``.

Prints a JSON report (p50/p95 of the answer step, and of the whole ``ask`` for reference) and
exits 1 when the answer step's p50 exceeds 300 ms.

    python benchmarks/extractive_latency.py [--data-dir /path/to/multihop-store --limit 100]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reporting import finish  # noqa: E402

from assistant import Assistant, Settings  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
MULTIHOP = ROOT.parent / "shared" / "eval" / "multihop-rag" / "queries-dev.json"
MAX_P50_MS = 300.0


def _questions(data_dir: Path | None, limit: int) -> list[str]:
    if data_dir is not None and MULTIHOP.exists():
        return [q["query"] for q in json.loads(MULTIHOP.read_text(encoding="utf-8"))][:limit]
    lines = (FIXTURES / "requests" / "requests.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()][:limit]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))], 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an existing store (opened read-only)")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(Settings(data_dir=args.data_dir or Path(tmp)))
        if args.data_dir is None:
            bot.ingest(
                [
                    ROOT / "data" / "sample",
                    FIXTURES / "articles",
                    FIXTURES / "requests" / "articles",
                ]
            )
        questions = _questions(args.data_dir, args.limit)
        bot.ask(questions[0])  # warm up: the embedder's first call is slow
        answer_ms: list[float] = []
        ask_ms: list[float] = []
        for question in questions:
            started = time.perf_counter()
            passages = bot.retrieve(question, k=bot.settings.answer_passages)
            plan = bot.retriever.plan(question)
            middle = time.perf_counter()
            for _ in bot.answerer.answer(question, passages, plan=plan):
                pass
            done = time.perf_counter()
            answer_ms.append((done - middle) * 1000)
            ask_ms.append((done - started) * 1000)
        bot.close()
    report = {
        "questions": len(questions),
        "corpus": str(args.data_dir or "data/sample + tests/fixtures"),
        "load": os.getloadavg()[0],
        "answer_ms_p50": round(statistics.median(answer_ms), 1),
        "answer_ms_p95": _pct(answer_ms, 95),
        "ask_ms_p50": round(statistics.median(ask_ms), 1),
        "target_answer_ms_p50": MAX_P50_MS,
    }
    misses = ["answer_ms_p50"] if report["answer_ms_p50"] > MAX_P50_MS else []
    return finish(report, misses, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
