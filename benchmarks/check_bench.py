"""The claim checker on the project's claim set: verdict rates and the latency of one check.

Checks every claim of ``benchmarks/claims/claims.jsonl`` (written for this project; its
passages are references into ../shared/eval/multihop-rag/corpus.json) against its passages,
with the rules alone, and reports the rates by label and by error type for the held-aside
``test`` split (and the ``dev`` split the rules were tuned on), plus the p50/p95 time of one
check (embedding the passages and the claim included), and of one check against the passages
of eight rows (about what the library retrieves for a claim). With ``--nli`` it also times the same
checks with a second opinion from a tiny random-weight CrossEncoder built locally (the
plumbing's cost; its opinions mean nothing), and reports the extra time per claim.

Targets (test split, rules alone): supported claims called supported ≥ 85%; contradicted
claims called supported ≤ 5% and contradicted ≥ 60%; not-found claims called supported ≤ 5%;
p50 of one check ≤ 100 ms. Prints a JSON report; exits 1 on a miss; skips (exit 0) when
../shared is absent.

    python benchmarks/check_bench.py [--split test] [--nli] [--out report.json]
"""

from __future__ import annotations

import argparse
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

from reporting import finish  # noqa: E402

from assistant.api import load_embedder  # noqa: E402
from assistant.checker import Checker, text_passages  # noqa: E402
from assistant.claimset import ClaimRow, evaluate_claims, load_claims  # noqa: E402
from ingest.config import Settings  # noqa: E402

CLAIMS = ROOT / "benchmarks" / "claims" / "claims.jsonl"
CORPUS = ROOT.parent / "shared" / "eval" / "multihop-rag" / "corpus.json"


def _timed(
    rows: list[ClaimRow], embedder: Any, opinion: Any = None, others: int = 0
) -> list[float]:
    """The time of each check; with ``others``, the claim is checked against its passages and
    those of the next ``others`` rows, as when the library retrieves several passages."""
    times = []
    for i, row in enumerate(rows):
        passages = [p for r in (rows + rows)[i : i + 1 + others] for p in r.passages or ()]
        started = time.perf_counter()
        Checker(text_passages(passages), embedder, opinion=opinion).check(row.claim)
        times.append(1000 * (time.perf_counter() - started))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="split to report against the targets")
    parser.add_argument("--nli", action="store_true", help="also time a tiny CrossEncoder")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not CORPUS.exists():
        print('{"skipped": "../shared/eval/multihop-rag is absent"}')
        return 0
    embedder = load_embedder(Settings())
    report: dict[str, Any] = {"load": os.getloadavg()[0]}
    misses: list[str] = []
    for split in ("dev", "test"):
        rows = [r for r in load_claims(CLAIMS, CORPUS, split) if r.passages is not None]
        result = evaluate_claims(
            rows, lambda c, p: Checker(text_passages(list(p or ())), embedder).check(c)
        )
        report[split] = result.to_dict()
    target = report[args.split]["by_label"]
    for name, value, ok in [
        ("supported→supported", target["supported"]["supported"], lambda v: v >= 0.85),
        ("contradicted→supported", target["contradicted"]["supported"], lambda v: v <= 0.05),
        ("contradicted→contradicted", target["contradicted"]["contradicted"], lambda v: v >= 0.6),
        ("not_found→supported", target["not_found"]["supported"], lambda v: v <= 0.05),
    ]:
        if not ok(value):
            misses.append(f"{args.split}: {name} {value:.3f}")
    rows = [r for r in load_claims(CLAIMS, CORPUS, args.split) if r.passages is not None]
    _timed(rows[:5], embedder)  # warm-up
    rules = _timed(rows, embedder)
    wide = _timed(rows, embedder, others=7)
    report["p50_ms"] = round(statistics.median(rules), 1)
    report["latency_ms"] = {
        "rules_p50": report["p50_ms"],
        "rules_p95": round(sorted(rules)[int(0.95 * (len(rules) - 1))], 1),
        "eight_rows_passages_p50": round(statistics.median(wide), 1),
    }
    if report["p50_ms"] > 100:
        misses.append(f"p50 {report['p50_ms']} ms > 100 ms")
    if args.nli:
        sys.path.insert(0, str(ROOT / "tests" / "assistant"))
        from tinynli import build_tiny_nli

        from assistant.nli import CrossEncoderOpinion

        with tempfile.TemporaryDirectory() as tmp:
            opinion = CrossEncoderOpinion(str(build_tiny_nli(Path(tmp) / "nli")))
            _timed(rows[:5], embedder, opinion)
            pairs = []
            for _ in range(3):  # paired runs: rules, rules + model, median of three
                a = _timed(rows, embedder)
                b = _timed(rows, embedder, opinion)
                pairs.append(statistics.median(b) - statistics.median(a))
            report["latency_ms"]["tiny_crossencoder_extra_p50"] = round(statistics.median(pairs), 1)
    return finish(report, misses, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
