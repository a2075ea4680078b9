"""A generated corpus of small articles for crash and concurrency tests, and a helper that runs
an ingest in a subprocess printing one line per finished document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TOWNS = ["Arden", "Belmore", "Calder", "Dunmore", "Elstow", "Farley", "Glenby", "Harrow"]
TOPICS = ["bridge", "library", "harbour", "school", "market", "tramway", "clinic", "park"]


def write_corpus(folder: Path, n: int) -> Path:
    """``n`` short markdown articles; every tenth one is long enough for several chunks."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        town, topic = TOWNS[i % len(TOWNS)], TOPICS[(i // len(TOWNS)) % len(TOPICS)]
        paragraphs = [
            f"The {topic} in {town} reopened on day {i} after repairs that cost {i * 37 + 11} "
            f"thousand euros, the council said.",
            f"Residents of {town} had waited {i % 12 + 1} months, and article {i} reports that "
            f"most of them welcomed the news.",
        ]
        if i % 10 == 0:
            paragraphs += [
                f"Paragraph {k} of article {i} adds detail about the {topic} works in {town}, "
                f"including the contractor, the schedule and the complaints about noise."
                for k in range(12)
            ]
        body = "\n\n".join(paragraphs)
        (folder / f"a{i:04d}.md").write_text(
            f"---\ntitle: {town} {topic} story {i}\nsource: Gen Times\n---\n{body}\n"
        )
    return folder


INGEST_SCRIPT = """
import sys
from assistant import Assistant, Settings
bot = Assistant(Settings(data_dir=sys.argv[1]))
print("ready", flush=True)
report = bot.ingest([sys.argv[2]], on_progress=lambda n: print("doc", flush=True))
print("done", report.embedded, flush=True)
"""


def start_ingest(data_dir: Path, corpus: Path, **env: str) -> subprocess.Popen[str]:
    """``python -c INGEST_SCRIPT`` in a subprocess; its stdout says ``ready``, ``doc`` per
    finished document, then ``done N``."""
    import os

    return subprocess.Popen(
        [sys.executable, "-c", INGEST_SCRIPT, str(data_dir), str(corpus)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
    )


def wait_for(proc: subprocess.Popen[str], docs: int) -> bool:
    """Read the subprocess's lines until ``docs`` documents are done; False if it ended first."""
    assert proc.stdout is not None
    seen = 0
    for line in proc.stdout:
        if line.startswith("ready") and docs == 0:
            return True
        if line.startswith("doc"):
            seen += 1
            if seen >= docs:
                return True
    return False
