"""Query understanding: named sources, authors and dates matched against stored metadata."""

from datetime import UTC, datetime

from vectorstore.query import QueryAnalyzer, find_dates, source_aliases

SOURCES = [
    "TechCrunch",
    "The Verge",
    "Fortune",
    "The Age",
    "FOX News - Health",
    "FOX News - Lifestyle",
    "Cnbc | World Business News Leader",
    "CBSSports.com",
]
AUTHORS = ["Kyle Wiggers", "Matt O'Brien, The Associated Press"]


def ts(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def test_aliases_drop_the_article_sections_and_domains() -> None:
    assert source_aliases("The Verge") == {"The Verge", "Verge"}
    assert "FOX News" in source_aliases("FOX News - Health")
    assert "Cnbc" in source_aliases("Cnbc | World Business News Leader")
    assert "CBSSports" in source_aliases("CBSSports.com")
    assert "Age" not in source_aliases("The Age")  # too short to stand alone


def test_named_sources_are_found_with_their_clauses() -> None:
    plan = QueryAnalyzer(SOURCES, AUTHORS).analyze(
        "Does the TechCrunch article on Twitch's revenue split differ from what "
        "'The Verge' reported, while the Fox News coverage of flu shots agrees?"
    )
    assert plan.mentions[0].sources == ("TechCrunch",)
    assert plan.mentions[1].sources == ("The Verge",)
    assert plan.mentions[2].sources == ("FOX News - Health", "FOX News - Lifestyle")
    assert "Twitch" in plan.mentions[0].clause and "flu" in plan.mentions[2].clause
    assert "TechCrunch" not in plan.core and "Twitch" in plan.core


def test_common_words_are_not_sources_and_plain_questions_get_an_empty_plan() -> None:
    analyzer = QueryAnalyzer(SOURCES, AUTHORS)
    plan = analyzer.analyze("Did the company spend a fortune on the verge of collapse?")
    assert plan.is_empty() and plan.core == plan.question
    assert analyzer.analyze("Did NATO promise not to expand?").is_empty()


def test_authors_and_dates_are_matched() -> None:
    plan = QueryAnalyzer(SOURCES, AUTHORS).analyze(
        "What did Kyle Wiggers and Matt O'Brien write on November 1, 2023 and in October 2023?"
    )
    assert plan.authors == ("Kyle Wiggers", "Matt O'Brien, The Associated Press")
    day, month = plan.dates
    assert day.start <= ts(2023, 11, 1, 12) <= day.end and day.end - day.start < 4 * 86400
    assert month.start == ts(2023, 10, 1) and month.end == ts(2023, 10, 31, 23, 59, 59)


def test_date_forms() -> None:
    texts = [d.text for d in find_dates("on 2023-12-15, 3rd Dec 2023, Sept. 5, 2023")]
    assert texts == ["2023-12-15", "Sept. 5, 2023", "3rd Dec 2023"]
    assert find_dates("in 1990 the treaty") == []
    assert find_dates("February 30, 2023") == []
