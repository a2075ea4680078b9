"""The ending every benchmark shares: print the JSON report, save it, exit 1 on a miss."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def finish(report: dict[str, Any], misses: list[str], out: Path | None, key: str = "misses") -> int:
    """Record ``misses`` under ``key``, print and (with ``out``) save the report; the exit code."""
    report[key] = misses
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if out:
        out.write_text(text)
    return 1 if misses else 0
