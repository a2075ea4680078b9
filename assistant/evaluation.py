"""Scores retrieval and answers on a question set: what ``sourced eval`` prints.

Retrieval: Hits@4 and Hits@10 (a hit passage in the top 4/10), MRR@10 (1 / rank of the first
hit), evidence recall@10 (share of the gold evidence found in the top 10) and, for BEIR sets,
nDCG@10 over documents. A passage is a hit when one gold evidence string, whitespace removed,
is a substring of its text, whitespace removed (the MultiHop-RAG rule), or (BEIR) when its
document is judged relevant. Unanswerable questions are left out of the retrieval scores.

Answers: citation validity (every ``[n]`` in range and every quoted sentence inside the cited
passage and the document at its offsets), abstention accuracy on unanswerable questions, the
wrong-abstention rate on answerable ones, gold-answer containment (the gold answer, when it is
an entity rather than a verdict such as yes/no/consistent, appears in the answer text) and the
rate of answers flagged as disagreement. Each is also given per question type (the set's own
types, and the kind the question reader assigns).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.eval_data import EvalQuestion, EvalSet, beir_key
from assistant.types import Answer
from vectorstore.question import read_question
from vectorstore.types import Passage

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text with all whitespace removed, for the substring hit rule."""
    return _SPACE.sub("", text)


@dataclass(frozen=True)
class QuestionResult:
    """How one question fared."""

    qid: str
    question: str
    kind: str
    answerable: bool
    first_hit: int | None  # 1-based rank of the first hit passage, None if none in the top k
    evidence_found: int
    evidence_total: int
    ndcg: float | None
    retrieve_ms: float
    abstained: bool | None = None  # None when answers were not scored
    citations_valid: bool | None = None
    answer_ms: float | None = None
    gold: str = ""
    answer_text: str = ""
    conflict: bool | None = None
    shape: str = ""  # the kind the question reader gave it (who, when, list, yesno...)


@dataclass(frozen=True)
class EvalReport:
    """Aggregate metrics (``None`` where a metric does not apply) and per-question results."""

    name: str
    format: str
    metrics: dict[str, float | None]
    counts: dict[str, int]
    results: tuple[QuestionResult, ...] = field(default_factory=tuple)
    by_type: dict[str, dict[str, float | None]] = field(default_factory=dict)
    by_shape: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def to_dict(self, per_question: bool = False) -> dict[str, Any]:
        def rounded(m: dict[str, float | None]) -> dict[str, float | None]:
            return {k: (None if v is None else round(v, 4)) for k, v in m.items()}

        data: dict[str, Any] = {
            "name": self.name,
            "format": self.format,
            "metrics": rounded(self.metrics),
            "counts": dict(self.counts),
            "by_type": {k: rounded(v) for k, v in self.by_type.items()},
            "by_shape": {k: rounded(v) for k, v in self.by_shape.items()},
        }
        if per_question:
            data["questions"] = [asdict(r) for r in self.results]
        return data


def citations_valid(answer: Answer, document_text: Callable[[str], str | None]) -> bool:
    """Every ``[n]`` of the answer names a citation, and every quoted sentence lies inside
    its cited passage, which is the document's text at its offsets."""
    numbers = {c.n for c in answer.citations}
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)}
    if not markers <= numbers or numbers != set(range(1, len(answer.citations) + 1)):
        return False
    for claim in answer.claims:
        if not set(claim.citations) <= numbers:
            return False
    for c in answer.citations:
        document = document_text(c.doc_id)
        if document is None or document[c.start : c.end] != c.text:
            return False
        if not c.quotes:
            return False
        for q in c.quotes:
            inside = c.start <= q.start and q.end <= c.end
            if not inside or c.text[q.start - c.start : q.end - c.start] != q.text:
                return False
    return True


def _dcg(gains: Iterable[float]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def _ndcg(doc_keys: list[str | None], relevant: dict[str, int], k: int) -> float:
    seen: set[str] = set()
    gains = []
    for key in doc_keys[:k]:
        if key is None or key in seen:
            gains.append(0.0)
            continue
        seen.add(key)
        gains.append(float(relevant.get(key, 0)))
    ideal = _dcg(sorted(relevant.values(), reverse=True)[:k])
    return _dcg(gains) / ideal if ideal > 0 else 0.0


def score_passages(
    question: EvalQuestion, passages: list[Passage], doc_keys: list[str | None], k: int = 10
) -> tuple[int | None, int, int, float | None]:
    """(first hit rank, evidence found in top k, evidence total, nDCG@k or None)."""
    top = passages[:k]
    if question.relevant:
        relevant = dict(question.relevant)
        hits = [key is not None and key in relevant for key in doc_keys[:k]]
        found = len({key for key in doc_keys[:k] if key in relevant})
        first = next((i + 1 for i, h in enumerate(hits) if h), None)
        return first, found, len(relevant), _ndcg(doc_keys, relevant, k)
    facts = [squash(e) for e in question.evidence]
    texts = [squash(p.text) for p in top]
    first = next((i + 1 for i, t in enumerate(texts) if any(f in t for f in facts)), None)
    found = sum(1 for f in facts if any(f in t for t in texts))
    return first, found, len(facts), None


def percentile(values: list[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100), linear between ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


VERDICTS = frozenset(
    [
        "yes",
        "no",
        "true",
        "false",
        "agree",
        "agreement",
        "disagree",
        "disagreement",
        "consistent",
        "inconsistent",
        "similar",
        "same",
        "different",
        "before",
        "after",
        "contradictory",
        "insufficient",
    ]
)


def is_verdict(gold: str) -> bool:
    """A gold answer that is a verdict (yes, no, consistent...) rather than an entity."""
    words = re.findall(r"[a-z]+", gold.lower())
    return not words or words[0] in VERDICTS


def contains_gold(answer_text: str, gold: str) -> bool:
    """The gold answer appears in the answer text (case, spacing and the gold's closing full stop
    aside: a gold written "Google." is found in "...point to Google [1]")."""
    wanted = squash(gold.lower()).rstrip(".")
    return bool(wanted) and wanted in squash(answer_text.lower())


def answer_metrics(results: list[QuestionResult]) -> dict[str, float | None]:
    """Answer quality of a group of questions (answers must have been scored)."""
    done = [r for r in results if r.abstained is not None]
    answerable = [r for r in done if r.answerable]
    unanswerable = [r for r in done if not r.answerable]
    entity = [r for r in answerable if r.gold and not is_verdict(r.gold)]
    return {
        "questions": float(len(results)),
        "answered_rate": _mean([float(not r.abstained) for r in answerable]),
        "wrong_abstention": _mean([float(bool(r.abstained)) for r in answerable]),
        "null_abstention": _mean([float(bool(r.abstained)) for r in unanswerable]),
        "gold_containment": _mean([float(contains_gold(r.answer_text, r.gold)) for r in entity]),
        "disagreement_rate": _mean([float(bool(r.conflict)) for r in done if not r.abstained]),
        "answer_p50_ms": percentile([r.answer_ms for r in done if r.answer_ms is not None], 50),
    }


def _grouped(
    results: list[QuestionResult], key: Callable[[QuestionResult], str]
) -> dict[str, dict[str, float | None]]:
    groups: dict[str, list[QuestionResult]] = {}
    for r in results:
        groups.setdefault(key(r) or "(none)", []).append(r)
    if not any(r.abstained is not None for r in results):
        return {}
    return {k: answer_metrics(v) for k, v in sorted(groups.items())}


def summarise(name: str, fmt: str, results: list[QuestionResult], graded: bool) -> EvalReport:
    """Aggregate per-question results into the report's metrics."""
    scored = [r for r in results if r.answerable and r.evidence_total > 0]
    unanswerable = [r for r in results if not r.answerable]
    answered = [r for r in results if r.abstained is False]
    metrics: dict[str, float | None] = {
        "hits@4": _mean([float(r.first_hit is not None and r.first_hit <= 4) for r in scored]),
        "hits@10": _mean([float(r.first_hit is not None) for r in scored]),
        "mrr@10": _mean([1.0 / r.first_hit if r.first_hit else 0.0 for r in scored]),
        "evidence_recall@10": _mean([r.evidence_found / r.evidence_total for r in scored]),
        "ndcg@10": _mean([r.ndcg for r in scored if r.ndcg is not None]) if graded else None,
        "citation_validity": _mean([float(bool(r.citations_valid)) for r in answered]),
        "abstention_accuracy": _mean(
            [float(bool(r.abstained)) for r in unanswerable if r.abstained is not None]
        ),
        "answered_rate": _mean(
            [float(r.abstained is False) for r in scored if r.abstained is not None]
        ),
        "retrieve_p50_ms": percentile([r.retrieve_ms for r in results], 50),
        "retrieve_p95_ms": percentile([r.retrieve_ms for r in results], 95),
        "answer_p50_ms": percentile([r.answer_ms for r in results if r.answer_ms is not None], 50),
        "answer_p95_ms": percentile([r.answer_ms for r in results if r.answer_ms is not None], 95),
    }
    if any(r.abstained is not None for r in results):
        overall = answer_metrics(results)
        for key in ("wrong_abstention", "gold_containment", "disagreement_rate"):
            metrics[key] = overall[key]
    counts = {
        "questions": len(results),
        "scored": len(scored),
        "unanswerable": len(unanswerable),
        "answered": len(answered),
    }
    return EvalReport(
        name,
        fmt,
        metrics,
        counts,
        tuple(results),
        _grouped(results, lambda r: r.kind),
        _grouped(results, lambda r: r.shape),
    )


def _shape(bot: Any, question: str) -> str:
    """The kind of answer the question asks for, as the question reader sees it."""
    plan = bot.retriever.plan(question)
    sides = len({m.sources[0] for m in plan.mentions if m.sources}) + len(plan.authors)
    return read_question(question, sides, len(plan.dates)).kind


def evaluate(
    bot: Any,
    eval_set: EvalSet,
    *,
    k: int = 10,
    answers: bool = True,
    limit: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> EvalReport:
    """Run every question of ``eval_set`` (the first ``limit``) through ``bot``'s retrieval
    and, with ``answers``, its answering, and score them. The corpus must already be in the
    library (``Assistant.evaluate`` ingests it first)."""
    keys: dict[str, str | None] = {}
    if eval_set.format == "beir":
        keys = {s.doc_id: beir_key(s.locator) for s in bot.sources()}
    results = []
    for question in eval_set.questions[:limit]:
        started = time.perf_counter()
        passages = bot.retrieve(question.question, k=k)
        retrieve_ms = (time.perf_counter() - started) * 1000
        doc_keys = [keys.get(p.doc_id) for p in passages]
        first, found, total, ndcg = score_passages(question, passages, doc_keys, k)
        abstained = valid = answer_ms = conflict = None
        text = shape = ""
        if answers:
            started = time.perf_counter()
            answer = bot.ask(question.question)
            answer_ms = (time.perf_counter() - started) * 1000
            abstained = answer.abstained
            conflict = answer.conflict
            text = answer.text
            shape = _shape(bot, question.question)
            if not answer.abstained:
                valid = citations_valid(answer, bot.manifest.document_text)
        results.append(
            QuestionResult(
                qid=question.qid,
                question=question.question,
                kind=question.kind,
                answerable=question.answerable,
                first_hit=first,
                evidence_found=found,
                evidence_total=total,
                ndcg=ndcg,
                retrieve_ms=retrieve_ms,
                abstained=abstained,
                citations_valid=valid,
                answer_ms=answer_ms,
                gold=question.answer,
                answer_text=text,
                conflict=conflict,
                shape=shape,
            )
        )
        if on_progress:
            on_progress(1)
    return summarise(eval_set.name, eval_set.format, results, eval_set.graded or bool(keys))
