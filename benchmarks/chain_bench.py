"""What the LangChain answer chain costs over calling its stages directly.

Both ways run the same stage functions; the chain adds LangChain's Runnable machinery
(config, callback managers, a run per stage). Each comparison is paired and in alternating
order (A B, B A, …): ``chain.invoke`` and ``chain.stream`` (what ``ask``, the CLI and the UI
use) against the same four stage functions called one after the other
(:func:`assistant.chain.run_stages`). A round's overhead is the median of its paired
differences; the report gives the median of three rounds.

* ``machinery`` (the target): the stages over a library of ``data/sample`` are recorded once
  per question (its passages and answer pieces) and replayed instantly, so the difference is
  the chain's own cost, measured without the ±100 ms noise of embedding and Chroma calls.
* ``library``: the real stages over that library, question by question. It checks the same
  thing end to end, but on a shared 2-core machine its paired differences scatter by tens of
  milliseconds, so it is reported (with its rounds) and not gated.

Target: machinery overhead under 5 ms a question for ``invoke`` and ``stream``. Prints a JSON
report, exits 1 on a miss.

    python benchmarks/chain_bench.py [--pairs 200] [--library-reps 1] [--out report.json]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reporting import finish  # noqa: E402

from assistant import Answer, Assistant, Settings  # noqa: E402
from assistant.api import load_embedder  # noqa: E402
from assistant.chain import Parts, build_chain, run_stages  # noqa: E402
from assistant.modes import Answering  # noqa: E402
from vectorstore.types import Filters, Passage  # noqa: E402

TARGET_MS = 5.0
QUESTIONS = [
    "Did NATO promise not to expand?",
    "What did James Baker tell Gorbachev in February 1990?",
    "When did the Baltic states join NATO?",
    "Why did Finland and Sweden join the alliance?",
    "Which countries joined NATO in 1999?",
    "What does Russia say the West promised?",
    "Who do realists blame for the rift with Russia?",
    "What was agreed in the 1990 treaty on Germany?",
]
HISTORY = [("user", "What did James Baker tell Gorbachev in 1990?"), ("assistant", "…")]


def direct(parts: Parts, value: dict[str, Any]) -> list[str | Answer]:
    """The stages called one by one, without the chain: the pieces."""
    return list(run_stages(parts, value))


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = call()
    return (time.perf_counter() - start) * 1000, out


def paired(
    base: Callable[[Any], Any], other: Callable[[Any], Any], inputs: list[Any], reps: int
) -> dict[str, Any]:
    """Median of ``other - base`` over alternating-order pairs, three rounds."""
    rounds = []
    base_ms: list[float] = []
    other_ms: list[float] = []
    for _ in range(3):
        diffs = []
        for rep in range(reps):
            for i, value in enumerate(inputs):
                if (rep + i) % 2:
                    b, out_b = _timed(lambda v=value: base(v))
                    o, out_o = _timed(lambda v=value: other(v))
                else:
                    o, out_o = _timed(lambda v=value: other(v))
                    b, out_b = _timed(lambda v=value: base(v))
                if out_b != out_o:
                    raise SystemExit(f"the chain's answer to {value!r} differs from the stages'")
                diffs.append(o - b)
                base_ms.append(b)
                other_ms.append(o)
        rounds.append(statistics.median(diffs))
    return {
        "overhead_ms_median_of_3": round(statistics.median(rounds), 3),
        "overhead_ms_rounds": [round(r, 3) for r in rounds],
        "stages_ms_median": round(statistics.median(base_ms), 2),
        "chain_ms_median": round(statistics.median(other_ms), 2),
        "pairs": len(base_ms),
    }


@dataclass
class Replayed:
    """The stages of one question, recorded and replayed instantly."""

    settings: Settings
    answering: Answering
    passages: list[Passage]

    def retrieve(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Passage]:
        return self.passages


class Replay:
    """An answerer that yields recorded pieces."""

    mode = "extractive"

    def __init__(self, pieces: list[str | Answer]) -> None:
        self.pieces = pieces

    def answer(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        yield from self.pieces


def compare(parts: Parts, inputs: list[Any], reps: int) -> dict[str, Any]:
    """invoke and stream of the chain over ``parts`` against the stages called directly."""
    chain = build_chain(parts)
    return {
        "invoke": paired(lambda v: direct(parts, v)[-1], chain.invoke, inputs, reps),
        "stream": paired(lambda v: direct(parts, v), lambda v: list(chain.stream(v)), inputs, reps),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=200, help="machinery pairs per round")
    parser.add_argument(
        "--library-reps", type=int, default=1, help="library pairs per question per round"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    inputs: list[Any] = [{"question": q} for q in QUESTIONS]
    inputs.append({"question": "what did he say about the Baltic states?", "history": HISTORY})
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        bot = Assistant(settings, embedder=load_embedder(settings))
        bot.ingest([ROOT / "data" / "sample"])
        for value in inputs:  # warm caches (query analyzer, torch) both ways
            direct(bot, value)
            bot.chain.invoke(value)

        machinery: dict[str, list[dict[str, Any]]] = {"invoke": [], "stream": []}
        per_question = max(1, args.pairs // len(inputs))
        for value in inputs:
            standalone = value["question"]
            if value.get("history"):
                standalone = bot.answering.rewriter.rewrite(standalone, value["history"])
            passages = bot.retrieve(standalone, k=settings.answer_passages)
            pieces = list(bot.answering.answerer.answer(standalone, passages))
            replayed = Replayed(
                settings, Answering(Replay(pieces), bot.answering.rewriter), passages
            )
            for mode, figures in compare(replayed, [value], per_question).items():
                machinery[mode].append(figures)
        library = compare(bot, inputs, args.library_reps)
        bot.close()

    def summary(figures: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "overhead_ms_median_of_3": round(
                statistics.median(
                    statistics.median(f["overhead_ms_rounds"][r] for f in figures) for r in range(3)
                ),
                3,
            ),
            "overhead_ms_rounds": [
                round(statistics.median(f["overhead_ms_rounds"][r] for f in figures), 3)
                for r in range(3)
            ],
            "stages_ms_median": round(statistics.median(f["stages_ms_median"] for f in figures), 3),
            "chain_ms_median": round(statistics.median(f["chain_ms_median"] for f in figures), 3),
            "pairs": sum(f["pairs"] for f in figures),
        }

    report = {
        "benchmark": "answer chain overhead over the stages called directly (data/sample)",
        "questions": len(inputs),
        "target_ms": TARGET_MS,
        "machinery": {mode: summary(figures) for mode, figures in machinery.items()},
        "library": library,
        "load_1min": os.getloadavg()[0],
    }
    misses = [
        f"{mode} overhead {figures['overhead_ms_median_of_3']} ms ≥ {TARGET_MS} ms"
        for mode, figures in report["machinery"].items()
        if figures["overhead_ms_median_of_3"] >= TARGET_MS
    ]
    return finish(report, misses, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
