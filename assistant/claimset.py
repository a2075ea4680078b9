"""Claim sets for measuring the checker: JSONL rows of ``{"claim", "passages", "label"}``.

``passages`` is ``null`` (the claim is checked against the library, retrieving), a list of
plain strings (a user's own text), or a list of references ``{"url", "start", "end"}`` into a
corpus file (a JSON list of articles with ``url`` and ``body``, as MultiHop-RAG's
``corpus.json``), so a set can point at third-party text without copying it. Optional fields:
``error_type`` (what the claim gets wrong, for the report by type), ``split`` (``dev`` or
``test``) and ``id``.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import SourcedError
from vectorstore.types import Passage

LABELS = ("supported", "contradicted", "not_found")


@dataclass(frozen=True)
class ClaimRow:
    """One labelled claim and the passages to check it against (None: the library)."""

    claim: str
    label: str
    passages: tuple[str | Passage, ...] | None
    error_type: str = ""
    split: str = ""
    id: str = ""
    batch: str = ""
    """who wrote the row, and when (rows written later measure rules that never saw them)"""


def _corpus_index(corpus: Path) -> dict[str, dict[str, Any]]:
    try:
        articles = json.loads(corpus.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourcedError(f"cannot read the corpus {corpus}: {exc}") from exc
    return {a["url"]: a for a in articles if isinstance(a, dict) and a.get("url")}


def _passage(
    ref: Any, where: str, corpus: Callable[[], dict[str, dict[str, Any]]]
) -> str | Passage:
    if isinstance(ref, str):
        return ref
    if isinstance(ref, dict) and isinstance(ref.get("text"), str):
        return str(ref["text"])
    if isinstance(ref, dict) and {"url", "start", "end"} <= ref.keys():
        article = corpus().get(ref["url"])
        if article is None:
            raise SourcedError(f"{where}: no article with url {ref['url']!r} in the corpus")
        body = article.get("body") or article.get("text") or ""
        start, end = int(ref["start"]), int(ref["end"])
        if not 0 <= start < end <= len(body):
            raise SourcedError(f"{where}: offsets {start}-{end} lie outside the article")
        author = str(article.get("author") or "")
        return Passage(
            f"{ref['url']}#{start}",
            ref["url"],
            body[start:end],
            start,
            end,
            str(article.get("title") or ""),
            str(article.get("source") or ""),
            "" if author == "None" else author,
            ref["url"],
            str(article.get("published_at") or "")[:10],
        )
    raise SourcedError(
        f'{where}: a passage must be a string, {{"text"}} or {{"url", "start", "end"}}'
    )


def load_claims(path: Path, corpus: Path | None = None, split: str | None = None) -> list[ClaimRow]:
    """The rows of a claim set (only ``split``'s when given). References are read from
    ``corpus``; a set that holds them without a corpus raises :class:`SourcedError`."""
    cache: dict[str, dict[str, dict[str, Any]]] = {}

    def index() -> dict[str, dict[str, Any]]:
        if corpus is None:
            raise SourcedError(f"{path} refers to articles by url; pass --corpus CORPUS.json")
        if "x" not in cache:
            cache["x"] = _corpus_index(corpus)
        return cache["x"]

    rows: list[ClaimRow] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SourcedError(f"cannot read the claim set {path}: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise SourcedError(f"{where}: not JSON ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("claim"), str):
            raise SourcedError(f'{where}: each row needs a "claim" string')
        label = data.get("label")
        if label not in LABELS:
            raise SourcedError(f'{where}: "label" is {label!r}; use one of {", ".join(LABELS)}')
        if split and data.get("split") != split:
            continue
        refs = data.get("passages")
        if refs is not None and not isinstance(refs, list):
            raise SourcedError(f'{where}: "passages" must be a list or null')
        passages = None if refs is None else tuple(_passage(r, where, index) for r in refs)
        rows.append(
            ClaimRow(
                data["claim"],
                label,
                passages,
                str(data.get("error_type") or ""),
                str(data.get("split") or ""),
                str(data.get("id") or n),
                str(data.get("batch") or ""),
            )
        )
    return rows


def is_claim_set(path: Path) -> bool:
    """Is ``path`` a JSONL claim set (its first row has a "claim")?"""
    if path.suffix != ".jsonl" or not path.is_file():
        return False
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                try:
                    return "claim" in json.loads(line)
                except ValueError:
                    return False
    return False


@dataclass
class ClaimReport:
    """Verdict rates by label, by error type and (when rows name batches) by batch and
    label, and the check's latency."""

    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: ClaimRow, verdict: str, reason: str, ms: float) -> None:
        self.rows.append(
            {
                "id": row.id,
                "claim": row.claim,
                "label": row.label,
                "error_type": row.error_type,
                "batch": row.batch,
                "verdict": verdict,
                "reason": reason,
                "ms": ms,
            }
        )

    @staticmethod
    def _rates(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
        counts = Counter(r["verdict"] for r in rows)
        return {"n": len(rows), **{v: round(counts[v] / len(rows), 3) for v in LABELS}}

    def by(self, *keys: str) -> dict[str, dict[str, Any]]:
        """Rates per value of ``keys`` ("fresh-3a / supported" for ``by("batch", "label")``)."""
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.rows:
            groups[" / ".join(r[k] or "-" for k in keys)].append(r)
        return {k: self._rates(v) for k, v in sorted(groups.items())}

    @property
    def batched(self) -> bool:
        """Do the rows come from more than one batch?"""
        return len({r["batch"] for r in self.rows}) > 1

    def latency(self) -> dict[str, float]:
        ms = sorted(r["ms"] for r in self.rows)
        if not ms:
            return {}
        return {
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),
        }

    def to_dict(self, per_claim: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "claims": len(self.rows),
            "by_label": self.by("label"),
            "by_error_type": self.by("error_type"),
            **self.latency(),
        }
        if self.batched:
            data["by_batch_and_label"] = self.by("batch", "label")
        if per_claim:
            data["rows"] = self.rows
        return data


def evaluate_claims(
    rows: Sequence[ClaimRow],
    check: Callable[[str, Sequence[str | Passage] | None], Any],
    on_progress: Callable[[int], None] | None = None,
) -> ClaimReport:
    """Checks every row with ``check(claim, passages)`` (e.g. :meth:`Assistant.check`)."""
    report = ClaimReport()
    for row in rows:
        started = time.perf_counter()
        result = check(row.claim, row.passages)
        report.add(row, result.verdict, result.reason, 1000 * (time.perf_counter() - started))
        if on_progress:
            on_progress(1)
    return report
