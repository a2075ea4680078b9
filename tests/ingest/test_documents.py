"""PDF and Word loading, and the bad inputs that must be reported by file, never ingested."""

import os
import random
from pathlib import Path

import pytest
from docmakers import make_docx, make_pdf, pdf_bytes

from ingest.config import Settings
from ingest.errors import IngestError
from ingest.loaders import load_file, load_paths

PAGE_ONE = [
    "The harbour authority approved a new breakwater on Tuesday after a",
    "decade of storms had damaged the old pier beyond repair.",
    "",
    "Engineers said the work would begin in spring and last two years.",
]
PAGE_TWO = [
    "Fishermen welcomed the decision but asked for a temporary mooring while",
    "the cranes are on the quay, because the season cannot wait.",
]


def test_pdf_text_metadata_and_page_starts(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "harbour.pdf", [PAGE_ONE, PAGE_TWO], "Breakwater Approved", "Ana Ruiz"
    )
    (doc,) = load_file(path, Settings()).documents
    assert doc.title == "Breakwater Approved" and doc.author == "Ana Ruiz"
    assert len(doc.page_starts) == 2
    page_two = doc.text[doc.page_starts[1] :]
    assert page_two.startswith("Fishermen welcomed the decision")
    # Visual lines are joined into paragraphs.
    assert "after a decade of storms" in doc.text
    assert doc.page_at(doc.text.index("Engineers")) == 1
    assert doc.page_at(doc.text.index("Fishermen")) == 2


def test_pdf_chunks_carry_their_page(tmp_path: Path, embedder) -> None:
    from ingest.chunking import Chunker

    path = make_pdf(tmp_path / "harbour.pdf", [PAGE_ONE, PAGE_TWO], "Breakwater Approved")
    (doc,) = load_file(path, Settings()).documents
    chunks = Chunker(embedder, 200).chunk(doc)
    assert [c.page for c in chunks] == [1, 2]  # a chunk never spans a page break
    assert chunks[1].text.startswith("Fishermen")


def test_docx_paragraphs_heading_and_properties(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "memo.docx",
        [
            "The council voted to keep the night library open through the winter months.",
            "Staff will rotate shifts so that no one works more than two late evenings a week.",
        ],
        title="Night Library Stays Open",
        author="Mira Holt",
        heading="Decision",
    )
    (doc,) = load_file(path, Settings()).documents
    assert doc.title == "Night Library Stays Open" and doc.author == "Mira Holt"
    assert "no one works more than two late evenings" in doc.text
    assert [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"] == ["Decision"]
    assert doc.page_starts == ()


# --- bad input: each is an IngestError naming the file and the reason ---------------------------


def _truncated_pdf(path: Path) -> Path:
    data = pdf_bytes([PAGE_ONE, PAGE_TWO], "Cut short")
    path.write_bytes(data[: len(data) // 2])
    return path


def _binary_without_nul(path: Path) -> Path:
    rng = random.Random(7)
    path.write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))
    return path


def _dangling_link(path: Path) -> Path:
    path.symlink_to(path.parent / "gone-for-good.md")
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _folder_named_like_a_file(path: Path) -> Path:
    path.mkdir()
    return path


def _truncated_docx(path: Path) -> Path:
    make_docx(path, ["A paragraph that will not survive being cut in half by a bad copy."])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("cut.pdf", _truncated_pdf, "not a readable PDF"),
        ("cut.docx", _truncated_docx, "not a readable Word"),
        ("noise.txt", _binary_without_nul, "binary"),
        ("link.md", _dangling_link, "link to a missing file"),
        ("pipe.txt", _fifo, "not a regular file"),
        ("folder.txt", _folder_named_like_a_file, "a folder"),
    ],
)
def test_bad_inputs_are_reported_by_file(tmp_path: Path, name: str, make, reason: str) -> None:
    path = make(tmp_path / name)
    with pytest.raises(IngestError) as info:
        load_file(path, Settings())
    assert info.value.source == str(path)
    assert reason in info.value.reason


def test_folder_walk_reports_unreadable_entries_and_loads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(
        "---\ntitle: Good\n---\nA paragraph with enough words in it to count as article prose.\n"
    )
    _dangling_link(tmp_path / "link.md")
    _fifo(tmp_path / "pipe.txt")
    _truncated_pdf(tmp_path / "cut.pdf")
    results = list(load_paths([tmp_path], Settings()))
    assert [d.title for r in results for d in r.documents] == ["Good"]
    assert sorted(Path(e.source).name for r in results for e in r.errors) == [
        "cut.pdf",
        "link.md",
        "pipe.txt",
    ]


def test_pdf_over_the_size_limit(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "big.pdf", [PAGE_ONE])
    with pytest.raises(IngestError, match="over the limit"):
        load_file(path, Settings(max_file_bytes=200))


def test_text_with_a_few_control_characters_is_still_text(tmp_path: Path) -> None:
    text = "Officials said\x07 the bridge would reopen next week after the inspection ended.\n" * 40
    path = tmp_path / "bell.txt"
    path.write_text(text)
    (doc,) = load_file(path, Settings()).documents
    assert "bridge would reopen" in doc.text
