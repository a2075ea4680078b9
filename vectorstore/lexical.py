"""The lexical index: BM25 (bm25s) over title, source, heading and text of every chunk.

It is derived from the manifest and stamped with the manifest's generation, so a stale or
half-written index is noticed and rebuilt instead of trusted. Each build goes into its own
folder and a ``CURRENT`` file (replaced atomically) names the live one, so a reader process
rebuilding a stale index never trips over a writer doing the same.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from ingest.manifest import ChunkRecord, Manifest

_WORD = re.compile(r"\w\w+", re.UNICODE)
_STOPWORDS = frozenset(bm25s.stopwords.STOPWORDS_EN)
_PRUNE_AFTER_S = 300.0


@dataclass(frozen=True)
class LexicalHit:
    chunk_id: str
    score: float


class Analyzer:
    """Lower-cased, stop-worded, Snowball-stemmed word tokens."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")

    def __call__(self, text: str) -> list[str]:
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]
        return list(self._stemmer.stemWords(words))


def lexical_text(record: ChunkRecord) -> str:
    return f"{record.title}\n{record.source}\n{record.heading}\n{record.text}"


class LexicalIndex:
    """BM25 over the manifest's chunks, persisted in ``directory``."""

    def __init__(self, directory: Path, manifest: Manifest) -> None:
        self.directory = directory
        self.manifest = manifest
        self.analyzer = Analyzer()
        self._bm25: bm25s.BM25 | None = None
        self._ids: list[str] = []
        self._generation = -1

    def _current(self) -> str | None:
        try:
            return (self.directory / "CURRENT").read_text().strip() or None
        except OSError:
            return None

    def _load(self) -> bool:
        name = self._current()
        if name is None:
            return False
        try:
            state = json.loads((self.directory / name / "state.json").read_text())
            if state["generation"] != self.manifest.generation():
                return False
            ids = list(state["chunk_ids"])
            bm25 = bm25s.BM25.load(str(self.directory / name / "bm25")) if ids else None
        except Exception:  # missing, half-deleted or foreign files: rebuild instead
            return False
        self._ids, self._bm25 = ids, bm25
        self._generation = int(state["generation"])
        return True

    def rebuild(self) -> None:
        """Index every chunk in the manifest and persist it; the switch to it is atomic."""
        generation = self.manifest.generation()
        records = self.manifest.chunks()
        ids = [r.chunk_id for r in records]
        bm25: bm25s.BM25 | None = None
        name = f"v{generation}-{uuid.uuid4().hex[:12]}"
        folder = self.directory / name
        folder.mkdir(parents=True)
        if records:
            bm25 = bm25s.BM25()
            bm25.index([self.analyzer(lexical_text(r)) for r in records], show_progress=False)
            bm25.save(str(folder / "bm25"), show_progress=False)
        (folder / "state.json").write_text(json.dumps({"generation": generation, "chunk_ids": ids}))
        previous = self._current()
        pointer = self.directory / f"CURRENT.{name}"
        pointer.write_text(name)
        os.replace(pointer, self.directory / "CURRENT")
        self._prune(keep={name, previous, "CURRENT"})
        self._ids, self._bm25 = ids, bm25
        self._generation = generation

    def _prune(self, keep: set[str | None]) -> None:
        """Delete old builds. Recent ones are spared: another process may be writing one, or
        still loading the one that was current a moment ago."""
        cutoff = time.time() - _PRUNE_AFTER_S
        for entry in self.directory.iterdir():
            try:
                if entry.name in keep or entry.stat().st_mtime > cutoff:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
            except OSError:
                continue

    def refresh(self) -> None:
        """Make the index match the manifest: load it if current, else rebuild."""
        if self._generation == self.manifest.generation():
            return
        if not self._load():
            self.rebuild()

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[LexicalHit]:
        """Top ``n`` chunks by BM25; ``allowed`` restricts them to those chunk ids."""
        self.refresh()
        if self._bm25 is None:
            return []
        vocab = self._bm25.vocab_dict
        tokens = [t for t in self.analyzer(query) if t in vocab]
        if not tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if allowed is not None:
            mask = np.fromiter(
                (cid in allowed for cid in self._ids), dtype=bool, count=len(self._ids)
            )
            scores = np.where(mask, scores, 0.0)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [LexicalHit(self._ids[i], float(scores[i])) for i in top if scores[i] > 0]
