"""Query understanding: the sources, authors and dates a question names, matched against what
the library holds, and the clause of the question that goes with each named source.

News questions often say where the answer was published ("according to TechCrunch", "the
Guardian article", "published on November 1, 2023"). Those names are matched against the stored
metadata (a source is also known by its name without a leading "The" or a section suffix such
as "FOX News - Health"); a question that names nothing yields an empty plan and is retrieved as
before. Matching is case-sensitive on the first letter, so "a fortune" is not *Fortune*.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from vectorstore.question import read_question

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_FIRST = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I
)
_MONTH_FIRST = re.compile(
    r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<year>\d{4})\b", re.I
)
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I)
_ISO_DAY = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
# Where one part of a multi-part question ends and the next begins.
_CLAUSE_BREAK = re.compile(
    r",?\s+(?:while|whereas|but|and|or|compared (?:to|with)|than|versus|vs\.?)\s+"
    r"(?=(?:the|a|an|in|by|from|according|as)\b)"
    r"|[;,]\s+(?=(?:and|while|whereas|but|or)\b)|;\s+",
    re.I,
)
_SOURCE_SPLIT = re.compile(r"\s+[-|–—:]\s+|\s*\|\s*|:\s+")
_GENERIC = frozenset({"news", "the", "sports", "business", "world", "science", "media", "today"})


@dataclass(frozen=True)
class DateRange:
    """A named day or month as epoch seconds ``[start, end]`` (inclusive)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceMention:
    """A source named in the question: the stored source names it can mean, where it was
    named, and the clause of the question that goes with it."""

    sources: tuple[str, ...]
    start: int
    end: int
    clause: str


@dataclass(frozen=True)
class QueryPlan:
    """What a question names. ``core`` is the question without the names (what the topic
    is); ``mentions`` are the named sources in order of appearance."""

    question: str
    core: str
    mentions: tuple[SourceMention, ...] = ()
    authors: tuple[str, ...] = ()
    dates: tuple[DateRange, ...] = field(default_factory=tuple)
    kind: str = "open"
    terms: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    request: bool = False
    clauses: tuple[str, ...] = ()
    speaker: str = ""
    topic: str = ""
    letter: bool = False

    @classmethod
    def read(cls, question: str) -> QueryPlan:
        """The plan of a question read without the library's names (no sources matched)."""
        return with_shape(cls(question, question))

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for m in self.mentions for s in m.sources))

    def is_empty(self) -> bool:
        return not (self.mentions or self.authors or self.dates)


def source_aliases(name: str) -> set[str]:
    """Ways a question may name a stored source: the full name, without a leading "The",
    without a section or tagline after " - " / " | " / ":", and without ".com"."""
    name = name.strip()
    if not name:
        return set()
    forms = {name}
    head = _SOURCE_SPLIT.split(name, maxsplit=1)[0].strip()
    if head and head.lower() not in _GENERIC:
        forms.add(head)
    for form in list(forms):
        bare = re.sub(r"\.(?:com|org|net|co\.uk)$", "", form, flags=re.I)
        forms.add(bare)
        if bare.lower().startswith("the ") and len(bare) - 4 >= 5:
            forms.add(bare[4:])
    return {f for f in forms if len(f) >= 3 and f.lower() not in _GENERIC}


def author_aliases(name: str) -> set[str]:
    """Each person named in an author field ("A and B, Agency") with at least two words."""
    parts = re.split(r",|\s+and\s+|&", name)
    return {p.strip() for p in parts if len(p.split()) >= 2 and len(p.strip()) >= 5}


def _day_range(year: int, month: int, day: int, text: str) -> DateRange | None:
    try:
        start = datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
    # A day a day wide either side: publication times are stored in UTC, questions are not.
    return DateRange(
        int((start - timedelta(days=1)).timestamp()),
        int((start + timedelta(days=2)).timestamp()) - 1,
        text,
    )


def find_dates(question: str) -> list[DateRange]:
    """Days ("November 1, 2023", "1 Nov 2023", "2023-11-01") and months ("October 2023")."""
    found: list[DateRange] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_ISO_DAY, _MONTH_FIRST, _DAY_FIRST):
        for m in pattern.finditer(question):
            month = m.group("month")
            month_n = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
            rng = _day_range(int(m.group("year")), month_n, int(m.group("day")), m.group(0))
            if rng:
                found.append(rng)
                taken.append(m.span())
    for m in _MONTH_YEAR.finditer(question):
        if any(s <= m.start() < e for s, e in taken):
            continue
        year, month_n = int(m.group("year")), _MONTHS[m.group("month").lower().rstrip(".")]
        last = calendar.monthrange(year, month_n)[1]
        start = datetime(year, month_n, 1, tzinfo=UTC)
        end = datetime(year, month_n, last, 23, 59, 59, tzinfo=UTC)
        found.append(DateRange(int(start.timestamp()), int(end.timestamp()), m.group(0)))
    return found


class QueryAnalyzer:
    """Matches a question against the library's source and author names."""

    def __init__(self, sources: Iterable[str], authors: Iterable[str]) -> None:
        alias_map: dict[str, set[str]] = {}
        for source in sources:
            for alias in source_aliases(source):
                alias_map.setdefault(alias.lower(), set()).add(source)
        self._sources = alias_map
        self._source_re = self._pattern(alias_map)
        author_map: dict[str, set[str]] = {}
        for author in authors:
            for alias in author_aliases(author):
                author_map.setdefault(alias.lower(), set()).add(author)
        self._authors = author_map
        self._author_re = self._pattern(author_map)

    @staticmethod
    def _pattern(aliases: dict[str, set[str]]) -> re.Pattern[str] | None:
        if not aliases:
            return None
        names = sorted(aliases, key=len, reverse=True)  # longest first: "FOX News - Health"
        body = "|".join(re.escape(n) for n in names)
        return re.compile(r"(?<![\w.])(?:" + body + r")(?![\w])", re.I)

    def _matches(
        self, pattern: re.Pattern[str] | None, question: str
    ) -> list[tuple[int, int, str]]:
        if pattern is None:
            return []
        out = []
        for m in pattern.finditer(question):
            text = m.group(0)
            if text[0].isalpha() and not text[0].isupper():
                continue  # "a fortune" is not Fortune
            out.append((m.start(), m.end(), text.lower()))
        return out

    def analyze(self, question: str) -> QueryPlan:
        """The plan for ``question``: its named sources (with their clauses), authors, dates."""
        source_hits = self._matches(self._source_re, question)
        author_hits = self._matches(self._author_re, question)
        dates = find_dates(question)
        clauses = _clauses(question)
        mentions = []
        for start, end, alias in source_hits:
            clause = next((c for s, e, c in clauses if s <= start < e), question)
            mentions.append(
                SourceMention(tuple(sorted(self._sources[alias])), start, end, _strip(clause))
            )
        authors = tuple(dict.fromkeys(a for _, _, al in author_hits for a in self._authors[al]))
        spans = [(s, e) for s, e, _ in source_hits]
        core = _remove_spans(question, spans + [_span_of(question, d.text) for d in dates])
        plan = QueryPlan(question, core, tuple(mentions), authors, tuple(dates))
        return with_shape(plan)


def with_shape(plan: QueryPlan) -> QueryPlan:
    """``plan`` with what :func:`read_question` reads filled in: the question's kind, key
    terms, names, numbers and clauses, whether it is a request, the speaker and topic of a
    question about what someone said, and whether it asks for a letter."""
    sides = len({s for m in plan.mentions for s in m.sources[:1]}) + len(plan.authors)
    shape = read_question(plan.question, sides, len(plan.dates))
    return replace(
        plan,
        kind=shape.kind,
        terms=shape.terms,
        entities=shape.entities,
        numbers=shape.numbers,
        request=shape.request,
        clauses=shape.clauses,
        speaker=shape.speaker,
        topic=shape.topic,
        letter=shape.letter,
    )


def _span_of(question: str, text: str) -> tuple[int, int]:
    i = question.find(text)
    return (i, i + len(text)) if i >= 0 else (0, 0)


def _remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    out, cursor = [], 0
    for s, e in sorted(spans):
        if s < cursor:
            continue
        out.append(text[cursor:s])
        cursor = e
    out.append(text[cursor:])
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _clauses(question: str) -> list[tuple[int, int, str]]:
    spans, cursor = [], 0
    for m in _CLAUSE_BREAK.finditer(question):
        spans.append((cursor, m.start(), question[cursor : m.start()]))
        cursor = m.end()
    spans.append((cursor, len(question), question[cursor:]))
    return spans


def _strip(clause: str) -> str:
    return clause.strip(" ,;?.")
