from pathlib import Path

import pytest

from ingest.errors import EmbeddingModelMismatch
from vectorstore.chroma import ChromaStore
from vectorstore.types import Filters

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"


@pytest.fixture(params=["embedded", pytest.param("team", marks=pytest.mark.slow)])
def make_assistant(request: pytest.FixtureRequest, make_assistant):
    """Every store test runs on the embedded default and on a team library (manifest in a real
    Postgres, vectors in a real Chroma server)."""
    if request.param == "embedded":
        return make_assistant
    team = request.getfixturevalue("team_settings")

    def make(**overrides: object):
        return make_assistant(**{**team, **overrides})

    return make


def test_ingesting_twice_duplicates_nothing(make_assistant) -> None:
    bot = make_assistant()
    first = bot.ingest([ARTICLES])
    assert first.documents == 4 and first.chunks > 0 and not first.errors
    count = bot.store.count()
    assert count == first.chunks == len(bot.manifest.all_chunk_ids())
    second = bot.ingest([ARTICLES])
    assert second.documents == 0 and second.embedded == 0
    assert len(second.unchanged) == 4
    assert bot.store.count() == count
    assert bot.store.ids() == bot.manifest.all_chunk_ids()


def test_store_records_model_and_uses_cosine(make_assistant) -> None:
    bot = make_assistant()
    meta = bot.store.collection.metadata
    assert meta["embedding_model"] == "all-MiniLM-L6-v2" and meta["embedding_dim"] == 384
    assert bot.store.collection.configuration["hnsw"]["space"] == "cosine"


def test_opening_a_store_built_with_another_model_fails_clearly(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES / "lighthouse.md"])
    with pytest.raises(EmbeddingModelMismatch) as info:
        ChromaStore(bot.settings, "some-other-model", 384)
    message = str(info.value)
    assert "all-MiniLM-L6-v2" in message and "some-other-model" in message
    assert "--data-dir" in message


def test_changed_document_replaces_its_chunks(make_assistant, tmp_path: Path) -> None:
    bot = make_assistant()
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Story\n---\nThe bridge reopened on Monday after two years of repairs.\n"
    )
    bot.ingest([path])
    old = bot.manifest.all_chunk_ids()
    path.write_text(
        "---\ntitle: Story\n---\nThe bridge stayed closed on Monday because of new cracks.\n"
    )
    report = bot.ingest([path])
    assert len(report.updated) == 1
    assert bot.store.ids() == bot.manifest.all_chunk_ids()
    assert not (bot.store.ids() & old)
    texts = [p.text for p in bot.retrieve("bridge", k=5)]
    assert texts == ["The bridge stayed closed on Monday because of new cracks."]


def test_remove_keeps_lexical_and_dense_in_step(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES])
    (doc_id,) = [s.doc_id for s in bot.sources() if s.title.startswith("Cider")]
    bot.remove(doc_id)
    assert all(p.doc_id != doc_id for p in bot.retrieve("frost cider apples orchard", k=10))
    assert bot.store.ids() == bot.manifest.all_chunk_ids()
    assert all(h.chunk_id in bot.manifest.all_chunk_ids() for h in bot.lexical.search("frost", 10))


def test_repair_removes_orphan_vectors(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES / "lighthouse.md"])
    records = bot.manifest.chunks()
    # Simulate a crash after vectors were written but before the manifest listed them.
    from dataclasses import replace

    orphan = replace(records[0], chunk_id="f" * 64)
    bot.store.upsert([orphan], bot.embedder.embed([orphan.text]))
    assert "f" * 64 not in {p.chunk_id for p in bot.retrieve(orphan.text, k=10)}
    assert bot.indexer.repair() == 1
    assert bot.store.ids() == bot.manifest.all_chunk_ids()


def test_filters_by_source_and_date(make_assistant) -> None:
    bot = make_assistant()
    bot.ingest([ARTICLES])
    only = bot.retrieve("cost in euros", k=10, filters=Filters(sources=("City Bulletin",)))
    assert only and {p.source for p in only} == {"City Bulletin"}
    recent = bot.retrieve("cost in euros", k=10, filters=Filters(since="2024-01-01"))
    assert recent and all(p.published_at >= "2024-01-01" for p in recent)
    window = bot.retrieve("cost", k=10, filters=Filters(since="2023-05-12", until="2023-05-12"))
    assert {p.title for p in window} == {"Library Extends Opening Hours for Exam Season"}


def test_hybrid_finds_exact_names_and_spreads_documents(make_assistant) -> None:
    bot = make_assistant(max_per_document=1)
    bot.ingest([ARTICLES])
    top = bot.retrieve("Benedikt Kraus", k=3)
    assert "Benedikt Kraus" in top[0].text
    assert len({p.doc_id for p in top}) == len(top)
