import json
from pathlib import Path

import pytest

from ingest.config import Settings
from ingest.errors import IngestError
from ingest.loaders import load_file, load_paths

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
CUSTOM = Path(__file__).parents[1] / "fixtures" / "custom-fields"


def _passages(doc) -> str:
    return "\n".join(doc.text[b.start : b.end] for b in doc.blocks if b.kind == "para")


def test_markdown_front_matter() -> None:
    (doc,) = load_file(ARTICLES / "lighthouse.md", Settings()).documents
    assert doc.title == "Restored Lighthouse Lens Returns to Cape Marrow"
    assert doc.author == "Jonas Whitaker"
    assert doc.source == "Port Avalon Gazette"
    assert doc.published_at == "2023-10-05"
    assert doc.url == "https://example.org/gazette/lighthouse-lens"
    assert "title:" not in doc.text
    assert "## A long restoration" not in _passages(doc)


def test_html_main_text_metadata_and_no_hidden_text() -> None:
    (doc,) = load_file(ARTICLES / "orchard.html", Settings()).documents
    assert doc.title == "Cider Orchard Harvest Falls After Late Frost"
    assert doc.author == "Priya Natarajan"
    assert doc.source == "Valley Ledger"
    assert doc.published_at.startswith("2024-09-18")
    text = _passages(doc)
    assert "Benedikt Kraus" in text
    for hidden in ("HIDDEN TEXT", "SCRIPT TEXT", "STYLE TEXT", "Home", "All rights reserved"):
        assert hidden not in doc.text


def test_json_array_with_default_fields() -> None:
    (doc,) = load_file(ARTICLES / "records.json", Settings()).documents
    assert doc.title == "Library Extends Opening Hours for Exam Season"
    assert doc.source == "City Bulletin"
    assert doc.locator == "https://example.org/city/library-hours"


def test_jsonl_with_configured_field_names() -> None:
    settings = Settings(
        json_title_field="headline",
        json_text_fields=("story",),
        json_url_field="link",
        json_author_field="writer",
        json_source_field="outlet",
        json_date_field="date",
    )
    result = load_file(CUSTOM / "records.jsonl", settings)
    assert [d.title for d in result.documents] == [
        "Tram Line Extension Opens to Eastern Suburbs",
        "Night Buses Return After Driver Shortage Eases",
    ]
    assert result.documents[0].author == "Oskar Lind"
    assert result.documents[1].published_at == "2022-11-21"
    assert not result.errors


def test_jsonl_without_configured_fields_reports_each_line() -> None:
    result = load_file(CUSTOM / "records.jsonl", Settings())
    assert not result.documents
    assert [e.source for e in result.errors] == [
        f"{CUSTOM / 'records.jsonl'}:line 1",
        f"{CUSTOM / 'records.jsonl'}:line 2",
    ]
    assert "SOURCED_JSON_TEXT_FIELDS" in result.errors[0].reason


def test_malformed_jsonl_line_is_reported_and_others_load(tmp_path: Path) -> None:
    good = {"title": "Good record", "body": "A good record has enough words to be prose text here."}
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "No text"}) + "\n")
    result = load_file(path, Settings())
    assert [d.title for d in result.documents] == ["Good record"]
    assert [e.source.rsplit(":", 1)[1] for e in result.errors] == ["line 2", "line 3"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"   \n", "empty"),
        ("binary.txt", b"\x00\x01\x02PNG\x00data", "binary"),
        ("bad.json", b'{"title": ', "not valid JSON"),
        ("notes.xyz", b"hello", "unsupported type"),
    ],
)
def test_bad_files_raise_errors_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        load_file(path, Settings())
    assert str(path) in str(info.value)
    assert reason in str(info.value)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(IngestError, match="over the limit"):
        load_file(path, Settings(max_file_bytes=100))


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    text = "Café owners in Zürich said the new rules would cost them a great deal of money."
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("latin-1"))
    (doc,) = load_file(path, Settings()).documents
    assert "Café owners in Zürich" in doc.text


def test_folder_is_walked_recursively_and_errors_do_not_stop_it(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text(
        "---\ntitle: A\n---\nA paragraph with enough words in it to count as article prose.\n"
    )
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / ".hidden.md").write_text("---\ntitle: H\n---\nHidden files are skipped.\n")
    results = list(load_paths([tmp_path], Settings()))
    titles = [d.title for r in results for d in r.documents]
    errors = [e.source for r in results for e in r.errors]
    assert titles == ["A"]
    assert errors == [str(tmp_path / "empty.txt")]


def test_cp1251_text_is_decoded(tmp_path: Path) -> None:
    text = "Министр заявил, что переговоры продолжатся на следующей неделе в Москве."
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    (doc,) = load_file(path, Settings()).documents
    assert doc.text == text


def test_only_http_urls_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(
        "---\ntitle: X\nurl: javascript:alert(1)\n---\n"
        "A paragraph with enough words in it to count as article prose here.\n"
    )
    (doc,) = load_file(path, Settings()).documents
    assert doc.url == ""
    assert doc.locator == str(path.resolve())
