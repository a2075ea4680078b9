"""The retrieval stages on a small multi-source library: sub-queries per named source, filters
that still bind, the date boost, and the second stage (sentence re-scorer, cross-encoder)."""

import json
from pathlib import Path

import pytest

from ingest.errors import ConfigError
from vectorstore.types import Filters

CORPUS = Path(__file__).parents[1] / "fixtures" / "eval" / "multihop" / "corpus.json"

pytestmark = pytest.mark.slow


@pytest.fixture()
def library(make_assistant):
    def make(**overrides):
        bot = make_assistant(**overrides)
        report = bot.ingest(json.loads(CORPUS.read_text()))
        assert report.documents == 5 and not report.errors
        return bot

    return make


def test_a_question_naming_two_sources_gets_passages_from_both(library) -> None:
    bot = library()
    question = (
        "Does the Harbor Ledger article on the ferry strike report a longer disruption than "
        "the Valley Courier article on the rail line landslide?"
    )
    plan = bot.retriever.plan(question)
    assert [m.sources for m in plan.mentions] == [("Harbor Ledger",), ("Valley Courier",)]
    top = bot.retrieve(question, k=4)
    titles = [p.title for p in top[:2]]
    assert any("Ferry strike" in t for t in titles) and any("Rail line" in t for t in titles)


def test_filters_bind_even_when_the_question_names_another_source(library) -> None:
    bot = library()
    passages = bot.retrieve(
        "What did the Harbor Ledger report about tidal turbines?",
        k=5,
        filters=Filters(sources=("Valley Courier",)),
    )
    assert passages and {p.source for p in passages} == {"Valley Courier"}
    dated = bot.retrieve("transport news", k=5, filters=Filters(since="2023-11-01"))
    assert dated and all(p.published_at >= "2023-11-01" for p in dated)


def test_a_named_date_lifts_the_article_of_that_day(library) -> None:
    bot = library()
    question = "What did the Valley Courier report on December 2, 2023?"
    assert bot.retrieve(question, k=3)[0].title == "Hollin Bridge reopens after repairs"


def test_sentence_rescoring_prefers_the_passage_whose_sentence_holds_the_question(library):
    bot = library()
    reranker = bot.retriever.reranker
    assert reranker is not None
    plan = bot.retriever.plan("How many homes will the tidal plant supply?")
    records = bot.manifest.chunks()
    coverage = {r.title: reranker.sentence_coverage(plan, r) for r in records}
    best = max(coverage, key=coverage.__getitem__)
    assert best.startswith("Tidewater Energy switches on")


def test_a_missing_reranker_folder_is_a_clear_error(make_assistant, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        make_assistant(reranker=str(tmp_path / "no-model"))
    assert "SOURCED_RERANKER" in str(info.value) and "no-model" in str(info.value)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    with pytest.raises(ConfigError, match="could not be loaded as a CrossEncoder"):
        make_assistant(reranker=str(broken))


def _tiny_cross_encoder(folder: Path, model_path: str) -> None:
    """A one-layer BERT classifier with random weights and MiniLM's tokenizer, built offline."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(model_path)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=1,
    )
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)


def test_a_local_cross_encoder_orders_the_candidates(library, tmp_path: Path) -> None:
    from sentence_transformers import CrossEncoder

    from ingest.config import Settings

    folder = tmp_path / "tiny-ce"
    _tiny_cross_encoder(folder, Settings().embedding_model_path)
    bot = library(reranker=str(folder), max_per_document=10)
    question = "How much did the Hollin Bridge repairs cost?"
    passages = bot.retrieve(question, k=5)
    model = CrossEncoder(str(folder), device="cpu")
    expected = model.predict([(question, f"{p.title}\n{p.text}") for p in passages])
    assert [round(p.score, 4) for p in passages] == [round(float(x), 4) for x in expected]
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


@pytest.mark.parametrize("wide", [300, 1])
def test_a_sub_query_dense_search_stays_within_its_source(library, wide: int) -> None:
    # It cuts a wide unfiltered ranking to the source; a ranking one passage wide holds too few,
    # so it must fall back to Chroma's filtered query.
    bot = library(subquery_dense_depth=wide)
    retriever = bot.retriever
    only = Filters(sources=("Valley Courier",))
    allowed = retriever._allowed(only)
    assert allowed
    vector = retriever.embedder.embed(["the rail line landslide"])[0]
    ids = retriever._dense_within(vector, 3, only, allowed, {})
    assert len(ids) == min(3, len(allowed)) and set(ids) <= allowed
