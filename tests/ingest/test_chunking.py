import itertools
from pathlib import Path

from ingest.chunking import Chunker, embedding_text
from ingest.config import Settings
from ingest.ids import chunk_id
from ingest.loaders import build_document, load_file

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"


def test_chunks_fit_the_model_and_point_into_the_document(embedder) -> None:
    chunker = Chunker(embedder, max_tokens=60)
    for path in sorted(ARTICLES.iterdir()):
        for doc in load_file(path, Settings()).documents:
            chunks = chunker.chunk(doc)
            assert chunks
            for c in chunks:
                assert doc.text[c.start : c.end] == c.text
                full = embedding_text(doc.title, c.heading, c.text)
                assert embedder.count(full) + 2 <= 256
                assert embedder.count(full) <= 60
                assert c.chunk_id == chunk_id(doc.doc_id, c.start, c.end, c.text)
            # Chunks are in order and do not overlap.
            assert all(a.end <= b.start for a, b in itertools.pairwise(chunks))


def test_sentences_are_not_cut_and_headings_are_context(embedder) -> None:
    (doc,) = load_file(ARTICLES / "lighthouse.md", Settings()).documents
    chunks = Chunker(embedder, max_tokens=200).chunk(doc)
    assert all(c.text.rstrip().endswith((".", "”", '"')) for c in chunks)
    assert chunks[1].heading == "A long restoration"
    assert all("##" not in c.text for c in chunks)


def test_an_overlong_sentence_is_split_at_token_boundaries(embedder) -> None:
    sentence = " ".join(f"word{i}" for i in range(600)) + "."
    doc = build_document("x", sentence, {"title": "Long"}, parse_header=False, origin="x")
    chunks = Chunker(embedder, max_tokens=200).chunk(doc)
    assert len(chunks) > 1
    for c in chunks:
        assert embedder.count(embedding_text(doc.title, c.heading, c.text)) <= 200
    assert "".join(c.text for c in chunks).replace(" ", "") == sentence.replace(" ", "")


def test_ids_are_stable_across_loads(embedder) -> None:
    chunker = Chunker(embedder)
    first = [
        c.chunk_id
        for c in chunker.chunk(load_file(ARTICLES / "lighthouse.md", Settings()).documents[0])
    ]
    second = [
        c.chunk_id
        for c in chunker.chunk(load_file(ARTICLES / "lighthouse.md", Settings()).documents[0])
    ]
    assert first == second and len(set(first)) == len(first)
