"""A tiny NLI CrossEncoder built here from a random-weight BERT config (nothing downloaded):
real model code runs, so the second-opinion plumbing is tested; its answers mean nothing."""

from __future__ import annotations

from pathlib import Path

from ingest.config import Settings


def build_tiny_nli(folder: Path, seed: int = 0) -> Path:
    """Save a 2-layer, 3-label BERT sequence classifier with the bundled embedder's tokenizer
    in ``folder`` (sentence-transformers' CrossEncoder loads it)."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(Settings().embedding_model_path)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
        num_labels=3,
        id2label={0: "contradiction", 1: "entailment", 2: "neutral"},
        label2id={"contradiction": 0, "entailment": 1, "neutral": 2},
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
