"""Question sets for ``sourced eval``: MultiHop-RAG JSON, BEIR folders, and a simple JSONL.

Each loader turns its format into :class:`EvalSet`: the questions with what counts as finding
their evidence, and (when the set ships one) the corpus to ingest first. A file that does not
fit its format raises :class:`EvalFormatError` naming the file, the line or item, and the field.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingest.errors import SourcedError

BEIR_PREFIX = "beir"


class EvalFormatError(SourcedError):
    """A question set or its corpus is not in a format ``sourced eval`` reads."""


@dataclass(frozen=True)
class EvalQuestion:
    """One question: the evidence substrings that make a passage a hit, or (BEIR) the graded
    relevance of documents by their corpus id. Unanswerable questions should be abstained on."""

    qid: str
    question: str
    evidence: tuple[str, ...] = ()
    relevant: Mapping[str, int] = field(default_factory=dict)
    answerable: bool = True
    kind: str = ""
    answer: str = ""  # the gold answer, when the set gives one


@dataclass(frozen=True)
class EvalSet:
    """A named question set in one of the three formats, with the corpus records it ships."""

    name: str
    format: str  # "multihop" | "beir" | "jsonl"
    questions: tuple[EvalQuestion, ...]
    corpus: tuple[Mapping[str, Any], ...] = ()
    graded: bool = False


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalFormatError(f"{path}: cannot read it ({exc.strerror}); check the path") from exc
    except json.JSONDecodeError as exc:
        raise EvalFormatError(
            f"{path}: not valid JSON (line {exc.lineno}: {exc.msg}); fix the file"
        ) from exc


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalFormatError(f"{path}: cannot read it ({exc.strerror}); check the path") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFormatError(f"{path}:line {number}: not valid JSON ({exc.msg})") from exc
        if not isinstance(item, dict):
            raise EvalFormatError(f"{path}:line {number}: must be a JSON object {{...}}")
        yield number, item


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EvalFormatError(f"{where}: field {key!r} is missing or empty; add it")
    return value


# --- MultiHop-RAG ----------------------------------------------------------------------------
def load_multihop(queries_path: Path, corpus_path: Path | None = None) -> EvalSet:
    """MultiHop-RAG: a JSON array of ``{query, evidence_list: [{fact, ...}], question_type}``;
    ``null_query`` questions (no evidence) are unanswerable. The corpus is ``corpus.json``
    beside the queries unless given."""
    data = _read_json(queries_path)
    if not isinstance(data, list):
        raise EvalFormatError(f"{queries_path}: must be a JSON array of query objects")
    questions = []
    for i, item in enumerate(data):
        where = f"{queries_path}: item {i}"
        if not isinstance(item, dict):
            raise EvalFormatError(f"{where}: must be a JSON object")
        query = _text(item, "query", where)
        evidence = item.get("evidence_list", [])
        if not isinstance(evidence, list):
            raise EvalFormatError(f"{where}: 'evidence_list' must be a list of {{fact: ...}}")
        facts = tuple(_text(e, "fact", f"{where} evidence {j}") for j, e in enumerate(evidence))
        kind = str(item.get("question_type", ""))
        questions.append(
            EvalQuestion(
                qid=str(item.get("id", i)),
                question=query,
                evidence=facts,
                answerable=bool(facts) and kind != "null_query",
                kind=kind,
                answer=str(item.get("answer", "")),
            )
        )
    corpus_path = corpus_path or queries_path.with_name("corpus.json")
    corpus: tuple[Mapping[str, Any], ...] = ()
    if corpus_path.exists():
        records = _read_json(corpus_path)
        if not isinstance(records, list):
            raise EvalFormatError(f"{corpus_path}: must be a JSON array of article objects")
        corpus = tuple(records)
    return EvalSet(queries_path.stem, "multihop", tuple(questions), corpus)


# --- BEIR --------------------------------------------------------------------------------------
def load_beir(folder: Path, split: str = "test") -> EvalSet:
    """BEIR: ``corpus.jsonl`` ``{_id, title, text}``, ``queries.jsonl`` ``{_id, text}`` and
    ``qrels/SPLIT.tsv`` (``query-id  corpus-id  score``, with a header line); scores > 0 are
    relevant and graded. Corpus records are ingested with id ``beir:<_id>``."""
    qrels_path = folder / "qrels" / f"{split}.tsv"
    if not qrels_path.exists():
        found = ", ".join(sorted(p.stem for p in (folder / "qrels").glob("*.tsv"))) or "none"
        raise EvalFormatError(f"{qrels_path}: missing; pick a split with --split (found: {found})")
    qrels: dict[str, dict[str, int]] = {}
    with qrels_path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle, delimiter="\t"), start=1):
            if not row or (number == 1 and not row[-1].strip().lstrip("-").isdigit()):
                continue  # blank line or the header
            if len(row) < 3 or not row[2].strip().lstrip("-").isdigit():
                raise EvalFormatError(
                    f"{qrels_path}:line {number}: expected 'query-id<TAB>corpus-id<TAB>score'"
                )
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    queries = {}
    for number, item in _jsonl(folder / "queries.jsonl"):
        where = f"{folder / 'queries.jsonl'}:line {number}"
        queries[str(item.get("_id", ""))] = _text(item, "text", where)
    questions = []
    for qid, grades in qrels.items():
        if qid not in queries:
            raise EvalFormatError(f"{qrels_path}: query {qid!r} is not in queries.jsonl")
        relevant = {doc: g for doc, g in grades.items() if g > 0}
        questions.append(
            EvalQuestion(qid=qid, question=queries[qid], relevant=relevant, answerable=True)
        )
    corpus = []
    for number, item in _jsonl(folder / "corpus.jsonl"):
        where = f"{folder / 'corpus.jsonl'}:line {number}"
        doc_id = str(item.get("_id", "")).strip()
        if not doc_id:
            raise EvalFormatError(f"{where}: field '_id' is missing; add it")
        corpus.append(
            {
                "id": f"{BEIR_PREFIX}:{doc_id}",
                "title": str(item.get("title") or ""),
                "text": _text(item, "text", where),
            }
        )
    graded = any(g > 1 for grades in qrels.values() for g in grades.values())
    return EvalSet(folder.name, "beir", tuple(questions), tuple(corpus), graded=graded)


def beir_key(locator: str) -> str | None:
    """The BEIR corpus id of a document ingested from an eval set, from its locator."""
    _, _, key = locator.partition("#")
    return key[len(BEIR_PREFIX) + 1 :] if key.startswith(BEIR_PREFIX + ":") else None


# --- simple JSONL ----------------------------------------------------------------------------
def load_simple(path: Path) -> EvalSet:
    """One object a line: ``{"question": ..., "evidence": ["substring", ...], "answerable":
    true}``; a passage hits when it holds one of the evidence substrings."""
    questions = []
    for number, item in _jsonl(path):
        where = f"{path}:line {number}"
        evidence = item.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            raise EvalFormatError(f"{where}: 'evidence' must be a list of strings")
        answerable = item.get("answerable", True)
        if not isinstance(answerable, bool):
            raise EvalFormatError(f"{where}: 'answerable' must be true or false")
        if answerable and not evidence:
            raise EvalFormatError(
                f"{where}: an answerable question needs 'evidence' substrings; add them or "
                'set "answerable": false'
            )
        questions.append(
            EvalQuestion(
                qid=str(item.get("id", number)),
                question=_text(item, "question", where),
                evidence=tuple(e for e in evidence if e.strip()),
                answerable=answerable,
                kind=str(item.get("type", "")),
                answer=str(item.get("answer", "")),
            )
        )
    return EvalSet(path.stem, "jsonl", tuple(questions))


def half_of(question: EvalQuestion) -> str:
    """``A`` or ``B``: a stable split of a question set into two halves (by a hash of the
    question text), one to tune on and one to report."""
    digest = hashlib.sha256(question.question.strip().encode("utf-8")).digest()
    return "A" if digest[0] % 2 == 0 else "B"


def select_half(eval_set: EvalSet, half: str | None) -> EvalSet:
    """Only the questions of ``half`` (``A`` or ``B``); all of them for None."""
    if half is None:
        return eval_set
    if half not in {"A", "B"}:
        raise EvalFormatError(f"half {half!r}: use A or B")
    kept = tuple(q for q in eval_set.questions if half_of(q) == half)
    return replace(eval_set, name=f"{eval_set.name} (half {half})", questions=kept)


def load_eval_set(path: Path, *, split: str = "test") -> EvalSet:
    """The question set at ``path``, its format told by its shape: a BEIR folder (with
    ``qrels/``), a MultiHop-RAG folder or ``.json`` file, or a ``.jsonl`` of simple questions."""
    if not path.exists():
        raise EvalFormatError(f"{path}: does not exist; check the path")
    if path.is_dir():
        if (path / "qrels").is_dir():
            return load_beir(path, split)
        for name in ("queries-dev.json", "queries.json"):
            if (path / name).exists():
                return load_multihop(path / name)
        raise EvalFormatError(
            f"{path}: neither a BEIR folder (corpus.jsonl, queries.jsonl, qrels/) nor a "
            "MultiHop-RAG folder (corpus.json, queries.json); point at one of those"
        )
    if path.suffix.lower() == ".json":
        return load_multihop(path)
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return load_simple(path)
    raise EvalFormatError(
        f"{path}: unknown question set type {path.suffix!r}; use a MultiHop-RAG .json, a "
        ".jsonl of {{question, evidence, answerable}}, or a BEIR folder"
    )
