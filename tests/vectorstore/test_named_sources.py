"""The diversity rule for questions that name several sources: each named source keeps a
share of the top k, taken from the passages of over-represented sources at the bottom."""

from __future__ import annotations

from ingest.manifest import ChunkRecord
from vectorstore.retrieval import Candidate, cover_named_sources


def _ranked(sources: list[str]) -> tuple[list[Candidate], dict[str, ChunkRecord]]:
    ranked, records = [], {}
    for i, source in enumerate(sources):
        cid = f"c{i}"
        ranked.append(Candidate(cid, 1.0 - i / 100))
        records[cid] = ChunkRecord(
            cid, f"d{i}", 0, 0, 1, "", "x", f"t{i}", source, "", "", "", None
        )
    return ranked, records


def _sources(top: list[Candidate], records: dict[str, ChunkRecord]) -> list[str]:
    return [records[c.chunk_id].source for c in top]


def test_each_named_source_gets_its_share_below_an_unchanged_head() -> None:
    ranked, records = _ranked(["A"] * 6 + ["X"] * 2 + ["B"] * 3 + ["C"])
    top = cover_named_sources(ranked, records, ("A", "B", "C"), k=6, per_source=2)
    # B gets two slots and C its one passage, all from A's surplus at the bottom.
    assert _sources(top, records) == ["A", "A", "A", "B", "B", "C"]
    top = cover_named_sources(ranked, records, ("A", "B", "C"), k=8, per_source=2)
    # The two unnamed X passages go first, then one surplus A passage.
    assert _sources(top, records) == ["A", "A", "A", "A", "A", "B", "B", "C"]
    assert [c.chunk_id for c in top[:5]] == ["c0", "c1", "c2", "c3", "c4"]


def test_one_named_source_or_a_share_of_zero_changes_nothing() -> None:
    ranked, records = _ranked(["A"] * 6 + ["B"] * 3)
    assert cover_named_sources(ranked, records, ("B",), k=4, per_source=2) == ranked[:4]
    assert cover_named_sources(ranked, records, ("A", "B"), k=4, per_source=0) == ranked[:4]


def test_a_named_source_already_holding_its_share_is_not_displaced() -> None:
    ranked, records = _ranked(["A", "B", "A", "B", "X", "X", "C"])
    top = cover_named_sources(ranked, records, ("A", "B", "C"), k=5, per_source=2)
    assert _sources(top, records) == ["A", "B", "A", "B", "C"]
