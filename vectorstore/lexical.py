"""The lexical index: the project's own BM25 over title, source, heading and text of every chunk.

This is not bm25s (nor any search engine): it is a segmented BM25 written here on numpy and
scipy (:mod:`vectorstore.lexical_segments`), scored like bm25s' default "lucene" variant
(k1=1.5, b=0.75). bm25s supplies only the English stop-word list of :class:`Analyzer`
(lower-case ``\\w\\w+`` words, stop words dropped, Snowball-stemmed by PyStemmer) and serves as
the reference that tests compare rankings against.

Why our own: measured with ``benchmarks/lexical_engines_bench.py`` against SQLite FTS5 (in
the manifest's database, same transaction) and tantivy, all fed the same analysed tokens.
On the 563 answerable MultiHop-RAG dev queries (10,758 chunks) inside the hybrid retriever,
MRR@10 is 0.705 (own), 0.711 (FTS5), 0.705 (tantivy). FTS5 is 6-13x slower per query (15 vs
1.1 ms at 10k chunks, 129 vs 22 ms at 100k), so it fails the "not slower" bar. tantivy is
faster on a plain query (1.5 vs 22 ms at 100k) and on a one-document update (89 vs 565 ms), but
4x slower on the retriever's per-source sub-queries, which restrict the search to a set of
chunk ids (190 vs 46 ms at 100k); adopting it means filtering by indexed source/author/date
fields instead (not done yet).
The README's "Lexical index" section has the table.

It is derived from the manifest and stamped with the manifest's generation, so a stale or
half-written index is noticed and updated instead of trusted. The index files are each
process's own (in its data directory) even when the manifest is shared in Postgres: every
reader, on any machine, brings its copy up to the shared generation before a search. Updates
are incremental (see :mod:`vectorstore.lexical_segments`): only changed documents are analysed
again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from filelock import FileLock

from ingest.manifest import ChunkRecord, Manifest
from vectorstore.lexical_segments import Segment, bm25_scores, idf_weights
from vectorstore.question import fold, mentioned

_WORD = re.compile(r"\w\w+", re.UNICODE)
_STOPWORDS = frozenset(bm25s.stopwords.STOPWORDS_EN)
_FORMAT = 2  # state.json layout: segments + dead rows + document hashes


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
    """BM25 over the manifest's chunks, persisted in ``directory`` and updated incrementally.

    On disk: immutable segment files (``seg-*.npz``) and ``state.json``, which names the live
    segments, their dead rows, each indexed document's content hash and the manifest
    generation it matches. An update writes a new small segment, then replaces ``state.json``
    atomically, then deletes files no state names, so a crash leaves either the old or the new
    index, both internally consistent; a state that does not match the manifest is brought up
    to date by diffing document hashes, never trusted.
    """

    #: Merge everything into one base segment when delta rows plus dead rows exceed this
    #: fraction of the base, or when there are more than ``MAX_SEGMENTS`` segments.
    MERGE_FRACTION = 0.1
    MAX_SEGMENTS = 8

    def __init__(self, directory: Path, manifest: Manifest) -> None:
        self.directory = directory
        self.manifest = manifest
        self.analyzer = Analyzer()
        self._segments: list[Segment] = []
        self._docs: dict[str, str] = {}
        self._generation = -1
        self._row_of: dict[str, tuple[int, int]] | None = None

    def _state_file(self) -> Path:
        return self.directory / "state.json"

    def _read_state(self) -> bool:
        """Load the persisted state (reusing segments already in memory); False if unusable."""
        try:
            state = json.loads(self._state_file().read_text())
            if state.get("format") != _FORMAT:
                return False
            # An index built from another library (the data directory pointed at another
            # database) could carry the same generation number: never trust it.
            if state.get("library", self.manifest.library_id()) != self.manifest.library_id():
                return False
            cached = {s.name: s for s in self._segments}
            segments = []
            for name in state["segments"]:
                seg = cached.get(name) or Segment.load(self.directory, name)
                dead = np.zeros(seg.rows, dtype=bool)
                dead[np.asarray(state["dead"].get(name, []), dtype=np.int64)] = True
                seg.dead = dead
                segments.append(seg)
            self._segments = segments
            self._docs = dict(state["docs"])
            self._generation = int(state["generation"])
            self._row_of = None
            return True
        except (OSError, KeyError, ValueError, IndexError, TypeError):
            return False

    def _write_state(self, generation: int) -> None:
        state = {
            "format": _FORMAT,
            "library": self.manifest.library_id(),
            "generation": generation,
            "segments": [s.name for s in self._segments],
            "dead": {s.name: np.flatnonzero(s.dead).tolist() for s in self._segments},
            "docs": self._docs,
        }
        tmp = self.directory / "state.json.tmp"
        tmp.write_text(json.dumps(state))
        os.replace(tmp, self._state_file())
        self._generation = generation
        keep = {f"{s.name}.npz" for s in self._segments}
        for path in self.directory.iterdir():
            if path.name.startswith("seg-") and path.name not in keep:
                path.unlink(missing_ok=True)
            elif path.name == "bm25" and path.is_dir():  # the pre-segment format
                shutil.rmtree(path, ignore_errors=True)

    def _new_segment(self, generation: int, records: list[ChunkRecord]) -> Segment:
        seg = Segment.build(
            f"seg-{generation}-{uuid.uuid4().hex[:8]}",
            [r.chunk_id for r in records],
            [r.doc_id for r in records],
            [self.analyzer(lexical_text(r)) for r in records],
        )
        seg.save(self.directory)
        return seg

    def _sync(self, full: bool) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.manifest.library_id()  # made (a write) before the read-only snapshot, then cached
        # One snapshot of the manifest for the generation, the hashes and the chunks: a writer
        # committing meanwhile (another process, or another machine) is seen whole or not yet.
        with FileLock(str(self.directory / ".lock")), self.manifest.snapshot():
            generation = self.manifest.generation()
            if not full:
                if not self._read_state():
                    full = True  # missing, old-format or damaged: start over
                elif self._generation == generation:
                    return
            current = {s.doc_id: s.content_hash for s in self.manifest.sources()}
            if full or not self._segments:
                records = self.manifest.chunks()
                self._segments = [self._new_segment(generation, records)] if records else []
                self._docs = current
                self._write_state(generation)
                self._row_of = None
                return
            gone = {d for d, h in self._docs.items() if current.get(d) != h}
            fresh = [d for d, h in current.items() if self._docs.get(d) != h]
            if gone:
                wanted = np.asarray(sorted(gone), dtype=str)
                for seg in self._segments:
                    seg.dead |= np.isin(seg.doc_ids, wanted)
            ids = [c for d in fresh for c in self.manifest.chunk_ids(d)]
            records = self.manifest.chunks(ids) if ids else []
            if records:
                self._segments.append(self._new_segment(generation, records))
            for d in gone:
                self._docs.pop(d, None)
            self._docs.update({d: current[d] for d in fresh})
            base, rest = self._segments[0], self._segments[1:]
            churn = sum(s.rows for s in rest) + int(base.dead.sum())
            if churn > self.MERGE_FRACTION * max(base.rows, 1) or len(rest) >= self.MAX_SEGMENTS:
                merged = Segment.merge(f"seg-{generation}-{uuid.uuid4().hex[:8]}", self._segments)
                merged.save(self.directory)
                self._segments = [merged] if merged.rows else []
            self._write_state(generation)
            self._row_of = None

    def rebuild(self, full: bool = False) -> None:
        """Bring the index in line with the manifest and persist it.

        Only documents whose content hash changed are (re)analysed; ``full=True`` re-indexes
        every chunk from scratch instead.
        """
        self._sync(full)

    def refresh(self) -> None:
        """Make the index match the manifest (a no-op when the generation is unchanged)."""
        if self._generation == self.manifest.generation():
            return
        self._sync(full=False)

    def chunk_ids(self) -> set[str]:
        """The live chunk ids in the index."""
        self.refresh()
        return {str(c) for s in self._segments for c in s.chunk_ids[~s.dead]}

    def _rows(self) -> dict[str, tuple[int, int]]:
        if self._row_of is None:
            self._row_of = {
                str(c): (i, int(r))
                for i, s in enumerate(self._segments)
                for r, c in enumerate(s.chunk_ids)
                if not s.dead[r]
            }
        return self._row_of

    def idf(self, tokens: list[str]) -> dict[str, float]:
        """BM25 IDF of each distinct analysed token the index knows (others are left out)."""
        self.refresh()
        return idf_weights(self._segments, tokens)

    def holds(self, name: str, n: int = 5) -> bool:
        """Whether a chunk of the library mentions ``name`` (however it is spelled: see
        :func:`~vectorstore.question.mentioned`): its ``n`` best chunks by BM25 are read."""
        if not self.analyzer(name):
            return True  # nothing to look up ("A.J."): no evidence that the library lacks it
        hits = self.search(name, n)
        if not hits:
            return False
        records = self.manifest.chunks([h.chunk_id for h in hits])
        return any(mentioned(name, fold(lexical_text(r))) for r in records)

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[LexicalHit]:
        """Top ``n`` chunks by BM25; ``allowed`` restricts them to those chunk ids."""
        self.refresh()
        if not self._segments or n <= 0:
            return []
        tokens = [t for t in self.analyzer(query) if any(t in s.vocab for s in self._segments)]
        if not tokens:
            return []
        per_segment = bm25_scores(self._segments, tokens)
        if allowed is not None:
            masks = [np.zeros(s.rows, dtype=bool) for s in self._segments]
            rows = self._rows()
            for cid in allowed:
                where = rows.get(cid)
                if where is not None:
                    masks[where[0]][where[1]] = True
            per_segment = [np.where(m, sc, 0.0) for m, sc in zip(masks, per_segment, strict=True)]
        scores = np.concatenate(per_segment)
        ids = np.concatenate([s.chunk_ids for s in self._segments])
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [LexicalHit(str(ids[i]), float(scores[i])) for i in top if scores[i] > 0]
