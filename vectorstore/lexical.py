"""The lexical index: BM25 (bm25s) over title, source, heading and text of every chunk.

It is derived from the manifest and stamped with the manifest's generation, so a stale or
half-written index is noticed and rebuilt instead of trusted.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from ingest.manifest import ChunkRecord, Manifest

_WORD = re.compile(r"\w\w+", re.UNICODE)
_STOPWORDS = frozenset(bm25s.stopwords.STOPWORDS_EN)


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

    def _state_file(self) -> Path:
        return self.directory / "state.json"

    def _load(self) -> bool:
        try:
            state = json.loads(self._state_file().read_text())
            if state["generation"] != self.manifest.generation():
                return False
            self._ids = list(state["chunk_ids"])
            self._bm25 = bm25s.BM25.load(str(self.directory / "bm25")) if self._ids else None
            self._generation = int(state["generation"])
            return True
        except (OSError, KeyError, ValueError):
            return False

    def rebuild(self) -> None:
        """Index every chunk in the manifest and persist it (old files replaced atomically)."""
        generation = self.manifest.generation()
        records = self.manifest.chunks()
        self._ids = [r.chunk_id for r in records]
        self._bm25 = None
        tmp = self.directory.with_name(self.directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if records:
            bm25 = bm25s.BM25()
            bm25.index([self.analyzer(lexical_text(r)) for r in records], show_progress=False)
            bm25.save(str(tmp / "bm25"), show_progress=False)
            self._bm25 = bm25
        (tmp / "state.json").write_text(
            json.dumps({"generation": generation, "chunk_ids": self._ids})
        )
        old = self.directory.with_name(self.directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.directory.exists():
            self.directory.rename(old)
        tmp.rename(self.directory)
        shutil.rmtree(old, ignore_errors=True)
        self._generation = generation

    def refresh(self) -> None:
        """Make the index match the manifest: load it if current, else rebuild."""
        if self._generation == self.manifest.generation():
            return
        if not self._load():
            self.rebuild()

    def idf(self, tokens: list[str]) -> dict[str, float]:
        """BM25 IDF of each distinct analysed token the index knows (others are left out)."""
        self.refresh()
        if self._bm25 is None:
            return {}
        vocab = self._bm25.vocab_dict
        indptr = self._bm25.scores["indptr"]
        n = len(self._ids)
        out = {}
        for t in set(tokens):
            i = vocab.get(t)
            if i is None:
                continue
            df = int(indptr[i + 1] - indptr[i])
            out[t] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        return out

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
