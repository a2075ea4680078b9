from pathlib import Path

from ingest.cleaning import clean, clean_title
from ingest.config import Settings
from ingest.loaders import load_text

FIXTURE = Path(__file__).parents[1] / "fixtures" / "articles" / "scraped-harbor.txt"


def _para_text(doc) -> str:
    return "\n".join(doc.text[b.start : b.end] for b in doc.blocks if b.kind == "para")


def test_scraped_header_becomes_metadata_and_noise_is_dropped() -> None:
    doc = load_text(FIXTURE, Settings())
    assert doc.title == "Harbor Council Votes to Close Old Pier After Storm Damage Report"
    assert doc.author == "Miriam Castellanos"
    assert doc.source == "Coastline Daily"
    prose = _para_text(doc)
    for noise in ("1 / 3", "desk_editor_41", "😮", "128", "Read more", "By:"):
        assert noise not in prose
    headings = [doc.text[b.start : b.end] for b in doc.blocks if b.kind == "heading"]
    assert "What Happens Next" in headings
    assert prose.startswith("The Port Avalon harbor council voted")


def test_blocks_point_into_the_original_text() -> None:
    raw = FIXTURE.read_text()
    doc = load_text(FIXTURE, Settings())
    assert doc.text == raw
    for block in doc.blocks:
        assert raw[block.start : block.end].strip() == raw[block.start : block.end]


def test_title_tail_emoji_and_counter_removed() -> None:
    assert clean_title("Big News Today🔥94") == "Big News Today"
    assert clean_title("Big News Today 👍 1.2k") == "Big News Today"
    assert clean_title("Plain Headline") == "Plain Headline"


def test_text_without_header_keeps_every_paragraph() -> None:
    text = (
        "The first paragraph is long enough to count as prose in any article we ingest here.\n\n"
        "A second paragraph follows with more words, and it also ends with a full stop."
    )
    cleaned = clean(text, parse_header=False)
    assert [b.kind for b in cleaned.blocks] == ["para", "para"]


def test_seed_article_cleaning(seed_article: Path) -> None:
    doc = load_text(seed_article, Settings())
    assert doc.source == "Global24"
    assert doc.author == "环球焦点"
    assert doc.title.startswith("Putin Says Russia Tried to Join NATO Twice")
    assert "🔥" not in doc.title and not doc.title.endswith("94")
    prose = _para_text(doc)
    assert "1 / 2" not in prose
    assert "open media" not in prose
    assert "Author:" not in prose
    assert "no legally binding agreement was ever signed" in prose
