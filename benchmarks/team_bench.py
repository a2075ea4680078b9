"""A team library on one machine: 1, 2 and 4 client processes against one Postgres and one
Chroma server, next to the embedded default (SQLite + embedded Chroma); the cost of the
network hop per query.

    .venv/bin/python benchmarks/team_bench.py [--docs 200] [--queries 40] [--out report.json]

It starts its own throwaway Postgres (Debian's server binaries, as in the tests) and
``chroma run``, on free ports of 127.0.0.1, and stops both at the end.

- ingest: P processes (separate data directories, as on P machines) each ingest 1/P of a
  generated corpus at the same moment. Writers queue on the library's write lock (a Postgres
  advisory lock), so P does not multiply throughput on one machine; the figure shows what the
  queueing costs. Reported: wall seconds from the first ingest start to the last end, chunks/s.
- query: P processes each run the same questions against the finished library at the same
  moment; per-query p50/p95 ms and the total queries/s.
- ingest, paired: one writer into the embedded default, then one into a team library, three
  times (fresh libraries each time); the median of the three ratios of chunks/s.
- hop: one process, two assistants over the same corpus (embedded and team), the same
  questions alternated A B A B…; per-query extra ms of the team library (median of the paired
  differences), for three rounds, median of three.

Exits 1 when a target is missed: every process ends cleanly; the team library holds every
document once (Chroma ids == manifest chunk ids, no duplicates); the hop adds at most
``HOP_MS`` per query at the median; one team writer ingests at least ``INGEST_RATIO`` of the
embedded default's chunks/s (paired). The machine's load average is in the report: clients,
servers and any other jobs share its cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "vectorstore"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from corpus_gen import write_corpus  # noqa: E402
from reporting import finish  # noqa: E402

from tests.postgres import fresh_database, postgres_server, server_bin  # noqa: E402
from tests.processes import chroma_cli, chroma_server  # noqa: E402

HOP_MS = 40.0
INGEST_RATIO = 0.7
QUESTIONS = [
    f"What did the {topic} repairs in {town} cost?"
    for town in ("Arden", "Belmore", "Calder", "Dunmore", "Elstow", "Farley", "Glenby", "Harrow")
    for topic in ("bridge", "library", "harbour", "school", "market")
]

CLIENT = r"""
import json, sys, time
from pathlib import Path
from assistant import Assistant
mode, go, files = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
bot = Assistant()
bot.retrieve("warm up the model and the connections", k=10)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.01)
started = time.time()
if mode == "ingest":
    report = bot.ingest(files)
    result = {"embedded": report.embedded, "documents": report.documents}
else:
    latencies = []
    for q in files:
        t = time.perf_counter()
        bot.retrieve(q, k=10)
        latencies.append(1000 * (time.perf_counter() - t))
    result = {"latencies": latencies}
print(json.dumps({"start": started, "end": time.time(), **result}), flush=True)
"""


def run_clients(mode: str, jobs: list[list[str]], env: dict[str, str], root: Path) -> dict:
    """Start one client per job, release them together; their reports and the wall time."""
    go = root / f"go-{uuid.uuid4().hex[:6]}"
    procs = []
    for i, job in enumerate(jobs):
        proc_env = {**os.environ, **env, "SOURCED_DATA_DIR": str(root / f"client{i}")}
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", CLIENT, mode, str(go), *job],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=proc_env,
                cwd=ROOT,
            )
        )
    errors: list[str] = []
    for proc in procs:
        assert proc.stdout is not None
        if not proc.stdout.readline().startswith("ready"):
            errors.append(proc.communicate()[1][-1500:])
    go.touch()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=1800)
        if proc.returncode != 0:
            errors.append(err[-1500:])
        else:
            reports.append(json.loads(out.strip().splitlines()[-1]))
    if errors or not reports:
        return {"errors": errors}
    wall = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    result: dict[str, Any] = {"clients": len(jobs), "wall_s": round(wall, 2), "errors": []}
    if mode == "ingest":
        result["embedded"] = sum(r["embedded"] for r in reports)
        result["chunks_per_s"] = round(result["embedded"] / wall, 1)
    else:
        latencies = sorted(x for r in reports for x in r["latencies"])
        result["p50_ms"] = round(statistics.median(latencies), 1)
        result["p95_ms"] = round(latencies[int(0.95 * (len(latencies) - 1))], 1)
        result["queries_per_s"] = round(len(latencies) / wall, 1)
    return result


def split(files: list[str], parts: int) -> list[list[str]]:
    return [files[i::parts] for i in range(parts)]


def consistency(settings: dict[str, Any]) -> dict[str, Any]:
    from assistant import Assistant, Settings

    bot = Assistant(Settings(**settings))
    try:
        stored = bot.store.collection.get(include=[])["ids"]
        listed = bot.manifest.all_chunk_ids()
        return {
            "documents": len(bot.sources()),
            "vectors": len(stored),
            "duplicates": len(stored) - len(set(stored)),
            "chroma_equals_manifest": set(stored) == listed,
        }
    finally:
        bot.close()


def hop(corpus: Path, team: dict[str, Any], root: Path, rounds: int, n: int) -> dict[str, Any]:
    """Paired per-query latency: embedded vs team library over the same ingested corpus."""
    from assistant import Assistant, Settings
    from assistant.api import load_embedder

    embedder = load_embedder(Settings(data_dir=root / "hop-embedder"))
    local = Assistant(Settings(data_dir=root / "hop-local"), embedder=embedder)
    shared = Assistant(Settings(data_dir=root / "hop-team", **team), embedder=embedder)
    try:
        local.ingest([corpus])
        shared.ingest([corpus])
        questions = (QUESTIONS * (n // len(QUESTIONS) + 1))[:n]
        for bot in (local, shared):  # warm: model, connections, lexical index in memory
            bot.retrieve(questions[0], k=10)
        medians, base, extra = [], [], []
        for _ in range(rounds):
            diffs = []
            for q in questions:
                t0 = time.perf_counter()
                local.retrieve(q, k=10)
                t1 = time.perf_counter()
                shared.retrieve(q, k=10)
                t2 = time.perf_counter()
                diffs.append(1000 * ((t2 - t1) - (t1 - t0)))
                base.append(1000 * (t1 - t0))
                extra.append(1000 * (t2 - t1))
            medians.append(statistics.median(diffs))
        return {
            "pairs_per_round": n,
            "rounds": rounds,
            "extra_ms_per_query_by_round": [round(m, 2) for m in medians],
            "extra_ms_per_query": round(statistics.median(medians), 2),
            "embedded_p50_ms": round(statistics.median(base), 1),
            "team_p50_ms": round(statistics.median(extra), 1),
        }
    finally:
        local.close()
        shared.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--queries", type=int, default=40, help="per client, and per hop round")
    parser.add_argument("--clients", default="1,2,4")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if server_bin() is None or chroma_cli() is None:
        print("skipped: needs Debian's postgresql (make postgres) and the chroma CLI")
        return 0
    counts = [int(c) for c in args.clients.split(",")]
    root = Path(tempfile.mkdtemp(prefix="team-bench-"))
    if os.geteuid() == 0:
        os.chmod(root, 0o755)
    corpus = write_corpus(root / "corpus", args.docs)
    files = sorted(str(p) for p in corpus.iterdir())
    questions = (QUESTIONS * (args.queries // len(QUESTIONS) + 1))[: args.queries]
    report: dict[str, Any] = {
        "docs": args.docs,
        "load_before": os.getloadavg(),
        "cores": os.cpu_count(),
    }
    misses: list[str] = []
    with postgres_server() as pg, chroma_server(root / "chroma") as chroma:
        # The embedded default: one writer, then one reader (embedded Chroma is one process's).
        local_root = root / "embedded"
        env = {"SOURCED_DATA_DIR": str(local_root)}
        embedded_ingest = run_clients("ingest", [files], env, local_root)
        embedded_query = run_clients("query", [questions], env, local_root)
        report["embedded"] = {"ingest": embedded_ingest, "query": embedded_query}
        report["team"] = {}
        for count in counts:
            team = {
                "SOURCED_DATABASE_URL": fresh_database(pg),
                "SOURCED_CHROMA_URL": chroma,
                "SOURCED_COLLECTION": f"bench-{count}",
                "SOURCED_LOCK_TIMEOUT": "1800",
            }
            where = root / f"team{count}"
            ingest = run_clients("ingest", split(files, count), team, where)
            query = run_clients("query", [questions] * count, team, where)
            check = consistency(
                {
                    "data_dir": where / "check",
                    "database_url": team["SOURCED_DATABASE_URL"],
                    "chroma_url": chroma,
                    "collection": team["SOURCED_COLLECTION"],
                }
            )
            report["team"][str(count)] = {"ingest": ingest, "query": query, "library": check}
            for name, part in (("ingest", ingest), ("query", query)):
                if part.get("errors"):
                    misses.append(f"{count} {name} client(s) failed: {part['errors'][0][:300]}")
            if check["documents"] != args.docs or check["duplicates"]:
                misses.append(f"{count} writers: {check}")
            if not check["chroma_equals_manifest"]:
                misses.append(f"{count} writers: Chroma and the manifest disagree")
        # The ingest ratio, paired (embedded, team, embedded, team…): fresh libraries each time.
        pairs = []
        for r in range(3):
            alone = run_clients("ingest", [files], {}, root / f"pair-embedded{r}")
            team = {
                "SOURCED_DATABASE_URL": fresh_database(pg),
                "SOURCED_CHROMA_URL": chroma,
                "SOURCED_COLLECTION": f"bench-pair{r}",
            }
            shared = run_clients("ingest", [files], team, root / f"pair-team{r}")
            if alone.get("chunks_per_s") and shared.get("chunks_per_s"):
                pairs.append(shared["chunks_per_s"] / alone["chunks_per_s"])
            else:
                misses.append(f"paired ingest {r} failed: {alone} {shared}")
        report["ingest_paired"] = {
            "team_over_embedded_by_pair": [round(x, 3) for x in pairs],
            "team_over_embedded": round(statistics.median(pairs), 3) if pairs else None,
        }
        hop_team = {
            "database_url": fresh_database(pg),
            "chroma_url": chroma,
            "collection": "bench-hop",
        }
        report["hop"] = hop(corpus, hop_team, root, rounds=3, n=args.queries)
    report["load_after"] = os.getloadavg()
    if report["hop"]["extra_ms_per_query"] > HOP_MS:
        misses.append(f"the hop adds {report['hop']['extra_ms_per_query']} ms > {HOP_MS}")
    ratio = report["ingest_paired"]["team_over_embedded"]
    if ratio is not None and ratio < INGEST_RATIO:
        misses.append(f"one team writer ingests at {ratio}x the embedded default < {INGEST_RATIO}x")
    report["targets"] = {"hop_ms_max": HOP_MS, "ingest_ratio_min": INGEST_RATIO}
    import shutil

    shutil.rmtree(root, ignore_errors=True)
    return finish(report, misses, args.out)


if __name__ == "__main__":
    sys.exit(main())
