"""The incremental lexical index must rank exactly like a from-scratch bm25s index, with the
manifest in SQLite and in Postgres."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import bm25s
import numpy as np
import pytest

from ingest.ids import chunk_id, document_id
from ingest.manifest import Manifest, content_hash
from ingest.models import Block, Chunk, Document
from vectorstore.lexical import LexicalIndex, lexical_text

WORDS = [
    "harbor",
    "bridge",
    "council",
    "budget",
    "river",
    "frost",
    "orchard",
    "mayor",
    "ferry",
    "school",
    "election",
    "storm",
    "railway",
    "museum",
    "festival",
    "drought",
    "vaccine",
    "tariff",
    "minister",
    "strike",
    "court",
    "housing",
    "energy",
    "wind",
    "solar",
    "grain",
    "port",
    "treaty",
    "border",
    "summit",
    "protest",
    "bakery",
    "library",
    "hospital",
]
QUERIES = [
    "harbor bridge",
    "frost orchard orchard",  # a repeated query word counts twice, as in bm25s
    "minister treaty summit",
    "library hospital budget",
    "wind solar energy",
    "Storm over the river",
]


def make_document(key: str, rng: random.Random, paragraphs: int = 3) -> tuple[Document, list]:
    paras = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))) for _ in range(paragraphs)
    ]
    text = "\n\n".join(paras)
    doc_id = document_id(key)
    blocks, chunks, pos = [], [], 0
    for i, para in enumerate(paras):
        start, end = pos, pos + len(para)
        blocks.append(Block(start, end, "para"))
        chunks.append(Chunk(chunk_id(doc_id, start, end, para), doc_id, i, start, end, para))
        pos = end + 2
    title = f"{rng.choice(WORDS)} report {key}"
    doc = Document(doc_id, key, text, title, tuple(blocks), source=rng.choice(["Post", "Times"]))
    return doc, chunks


def put(manifest: Manifest, key: str, rng: random.Random) -> str:
    doc, chunks = make_document(key, rng)
    manifest.put(doc, chunks, content_hash(doc))
    return doc.doc_id


def oracle(manifest: Manifest, index: LexicalIndex, query: str) -> dict[str, float]:
    """Scores of a from-scratch bm25s index over the manifest's chunks."""
    records = manifest.chunks()
    bm25 = bm25s.BM25()
    bm25.index([index.analyzer(lexical_text(r)) for r in records], show_progress=False)
    tokens = [t for t in index.analyzer(query) if t in bm25.vocab_dict]
    if not tokens:
        return {}
    scores = bm25.get_scores(tokens)
    return {r.chunk_id: float(s) for r, s in zip(records, scores, strict=True) if s > 0}


def assert_matches_scratch(manifest: Manifest, index: LexicalIndex) -> None:
    assert index.chunk_ids() == manifest.all_chunk_ids()
    for query in QUERIES:
        got = {h.chunk_id: h.score for h in index.search(query, 10_000)}
        want = oracle(manifest, index, query)
        assert got.keys() == want.keys(), query
        for cid, score in want.items():
            assert got[cid] == pytest.approx(score, rel=1e-4, abs=1e-5), query
        top = [h.chunk_id for h in index.search(query, 5)]
        assert [want[c] for c in top] == pytest.approx(sorted(want.values(), reverse=True)[:5])


def segment_files(directory: Path) -> set[str]:
    return {p.name for p in directory.glob("seg-*.npz")}


def test_adds_updates_and_removes_match_a_rebuild(
    tmp_path: Path, manifest_location: tuple[Path, str | None]
) -> None:
    rng = random.Random(7)
    manifest = Manifest(*manifest_location)
    docs = [put(manifest, f"doc{i}", rng) for i in range(40)]
    index = LexicalIndex(tmp_path / "lexical", manifest)
    index.rebuild()
    assert_matches_scratch(manifest, index)
    base = segment_files(index.directory)
    assert len(base) == 1

    # Adding one document analyses only that document: a small delta segment appears.
    put(manifest, "new0", rng)
    index.rebuild()
    state = json.loads((index.directory / "state.json").read_text())
    assert len(state["segments"]) == 2
    assert base <= segment_files(index.directory)
    assert len(index._segments[1].chunk_ids) == 3
    assert_matches_scratch(manifest, index)

    # Updating (same key, new text and title) and removing mark old rows dead.
    put(manifest, "doc3", random.Random(99))
    manifest.delete([docs[5]])
    index.refresh()
    state = json.loads((index.directory / "state.json").read_text())
    assert sum(len(rows) for rows in state["dead"].values()) == 6
    assert_matches_scratch(manifest, index)

    # Filtering by allowed ids keeps the same scores for the allowed chunks.
    allowed = set(list(manifest.all_chunk_ids())[:20])
    hits = index.search("harbor bridge", 100, allowed)
    assert hits and all(h.chunk_id in allowed for h in hits)

    # A second process sees the same index without re-analysing anything.
    other = LexicalIndex(tmp_path / "lexical", manifest)
    other.refresh()
    assert [s.name for s in other._segments] == [s.name for s in index._segments]
    assert_matches_scratch(manifest, other)


def test_churn_past_the_fraction_merges_into_one_base(
    tmp_path: Path, manifest_location: tuple[Path, str | None]
) -> None:
    rng = random.Random(3)
    manifest = Manifest(*manifest_location)
    docs = [put(manifest, f"doc{i}", rng) for i in range(30)]
    index = LexicalIndex(tmp_path / "lexical", manifest)
    index.rebuild()
    for i in range(12):  # 12 updates of 3 rows each: past 10% of the 90-row base
        put(manifest, f"doc{i}", rng)
        index.rebuild()
        assert_matches_scratch(manifest, index) if i % 4 == 0 else None
    manifest.delete(docs[20:])
    index.rebuild()
    assert len(index._segments) <= 2
    assert len(segment_files(index.directory)) == len(index._segments)
    assert_matches_scratch(manifest, index)
    manifest.delete(docs[:20])
    index.rebuild()
    assert index.search("harbor", 10) == [] and index.chunk_ids() == set()


def test_a_crash_before_the_state_switch_leaves_a_usable_index(
    tmp_path: Path, manifest_location: tuple[Path, str | None]
) -> None:
    rng = random.Random(11)
    manifest = Manifest(*manifest_location)
    for i in range(20):
        put(manifest, f"doc{i}", rng)
    index = LexicalIndex(tmp_path / "lexical", manifest)
    index.rebuild()
    saved = tmp_path / "saved-state.json"
    shutil.copy(index.directory / "state.json", saved)
    put(manifest, "late", rng)
    manifest.delete([document_id("doc2")])
    index.rebuild()
    # Simulate a crash after the new segment was written but before state.json switched:
    # the old state is back, an unreferenced segment and a half-written temp file lie around.
    shutil.copy(saved, index.directory / "state.json")
    (index.directory / "state.json.tmp").write_text('{"format": 2, "gen')
    fresh = LexicalIndex(tmp_path / "lexical", manifest)
    assert_matches_scratch(manifest, fresh)
    assert len(segment_files(fresh.directory)) == len(fresh._segments)


def test_unreadable_or_old_format_state_is_rebuilt(
    tmp_path: Path, manifest_location: tuple[Path, str | None]
) -> None:
    rng = random.Random(5)
    manifest = Manifest(*manifest_location)
    for i in range(10):
        put(manifest, f"doc{i}", rng)
    directory = tmp_path / "lexical"
    directory.mkdir()
    (directory / "state.json").write_text(json.dumps({"generation": 1, "chunk_ids": ["x"]}))
    (directory / "bm25").mkdir()
    index = LexicalIndex(directory, manifest)
    assert_matches_scratch(manifest, index)
    assert not (directory / "bm25").exists()
    index.rebuild()
    for seg in segment_files(directory):
        (directory / seg).write_bytes(b"not a segment")
    broken = LexicalIndex(directory, manifest)
    put(manifest, "more", rng)
    assert_matches_scratch(manifest, broken)
    assert np.isfinite([h.score for h in broken.search("harbor", 50)]).all()


def test_an_index_of_another_library_is_not_trusted_at_the_same_generation(
    tmp_path: Path,
) -> None:
    first, second = Manifest(tmp_path / "a.sqlite3"), Manifest(tmp_path / "b.sqlite3")
    for i in range(3):
        put(first, f"first{i}", random.Random(i))
        put(second, f"second{i}", random.Random(10 + i))
    assert first.generation() == second.generation()
    LexicalIndex(tmp_path / "lexical", first).rebuild()
    moved = LexicalIndex(tmp_path / "lexical", second)
    assert_matches_scratch(second, moved)


def test_holds_finds_a_name_however_it_is_spelled(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.sqlite")
    text = "José Núñez-Barros reopened the pier. The harbour board paid for it."
    doc_id = document_id("pier")
    chunk = Chunk(chunk_id(doc_id, 0, len(text), text), doc_id, 0, 0, len(text), text)
    doc = Document(doc_id, "pier", text, "Pier reopens", (Block(0, len(text), "para"),))
    manifest.put(doc, [chunk], content_hash(doc))
    index = LexicalIndex(tmp_path / "lexical", manifest)
    assert index.holds("Jose Nunez Barros")
    assert index.holds("the Harbour Board")
    assert not index.holds("Kirkwall Shipyard")
    assert not index.holds("Nunez Shipyard")  # both long words must be there
    assert index.holds("A.J.")  # nothing to look up: no evidence either way
    manifest.close()
