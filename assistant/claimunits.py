"""Units of measure: a claim that gives the source's figure in another unit of the same kind
("15 cm" for "15 mm", "two months" for "two years", "$20,000 a week" for "$20,000 a month"),
or another period for the same thing ("daily active users" for "monthly active users")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import claimrules as rules

_KINDS: dict[str, tuple[str, ...]] = {
    "time": (
        "second seconds sec secs",
        "minute minutes min mins",
        "hour hours hr hrs",
        "day days",
        "week weeks",
        "month months",
        "year years yr yrs",
        "decade decades",
        "century centuries",
    ),
    "length": (
        "mm millimeter millimeters millimetre millimetres",
        "cm centimeter centimeters centimetre centimetres",
        "m meter meters metre metres",
        "km kilometer kilometers kilometre kilometres",
        "inch inches",
        "ft foot feet",
        "yard yards",
        "mile miles",
    ),
    "weight": (
        "g gram grams",
        "kg kilogram kilograms kilo kilos",
        "lb lbs",
        "ton tons tonne tonnes",
    ),
    "data": (
        "kb kilobyte kilobytes",
        "mb megabyte megabytes",
        "gb gigabyte gigabytes",
        "tb terabyte terabytes",
    ),
    "frequency": ("hz hertz", "khz", "mhz", "ghz"),
    "power": (
        "w watt watts",
        "kw kilowatt kilowatts",
        "mw megawatt megawatts",
        "gw gigawatt gigawatts",
    ),
}
"""Units by kind; the words of a group name one unit, read as the group's first word."""
_UNITS = {
    word: (kind, group.split()[0])
    for kind, groups in _KINDS.items()
    for group in groups
    for word in group.split()
}

_UNIT_AFTER = re.compile(r"[\s-]?([A-Za-z]+)\b")
_RATE_AFTER = re.compile(
    r"[^.;:\d$£€¥]{0,30}?(?<!\bin )\b(?:a|an|per|each|every)\s+"
    r"(second|minute|hour|day|week|month|year)\b",
    re.I,
)
_PERIODS = {
    "hourly": "hour",
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
}
_PERIOD = re.compile(r"\b(" + "|".join(_PERIODS) + r")\s+(\w+)", re.I)


def _unit_at(text: str, end: int) -> tuple[str, str] | None:
    m = _UNIT_AFTER.match(text, end)
    return _UNITS.get(m.group(1).lower()) if m else None


def _measures(text: str) -> list[tuple[float, tuple[str, str] | None, str | None]]:
    """Each figure of ``text`` with the unit written after it and the period it is "a"/"per"
    of ("$20,000 a week": week)."""
    out = []
    for at, n in rules.numbers_at(text):
        if n.kind == "year":
            continue
        i = text.find(n.surface, max(0, at - 4))  # a currency sign may stand before ``at``
        end = i + len(n.surface) if i >= 0 else at
        rate = _RATE_AFTER.match(text, end)
        out.append((n.value, _unit_at(text, end), rate.group(1).lower() if rate else None))
    return out


def wrong_measure(claim: str, evidence: str) -> str | None:
    """The claim gives a figure of the source's sentence in another unit of the same kind, or
    as a rate of another period; or calls a thing of the source "daily" where it is
    "monthly"."""
    theirs = _measures(evidence)
    for value, unit, rate in _measures(claim):
        same = [(u, r) for v, u, r in theirs if rules._close(value, v)]
        if not same:
            continue
        if unit and not any(u == unit for u, _ in same):
            other = next((u for u, _ in same if u and u[0] == unit[0]), None)
            if other:
                return f"says {unit[1]} where the source says {other[1]}"
        if rate and not any(r == rate for _, r in same):
            other_rate = next((r for _, r in same if r), None)
            if other_rate:
                return f"says a {rate} where the source says a {other_rate}"
    low = evidence.lower()
    for m in _PERIOD.finditer(claim):
        mine = m.group(1).lower()
        if re.search(rf"\b{mine}\b", low):
            continue
        period, noun = _PERIODS[mine], rules.stem(m.group(2).lower())
        for o in _PERIOD.finditer(evidence):
            other_word = o.group(1).lower()
            if _PERIODS[other_word] != period and rules.stem(o.group(2).lower()) == noun:
                return f"says “{mine}” where the source says “{other_word}”"
    return None


_MARGIN = re.compile(r"\b(?:leads?|led|ahead|behind|trails?|trailed|margin|polls?|polling)\b", re.I)


def points_for_percent(
    claim: str,
    claim_numbers: Sequence[rules.Number],
    sentence: str,
    sentence_numbers: Sequence[rules.Number],
) -> str | None:
    """A count of points ("gained 25 points") where the sentence gives the figure as a
    percentage ("25 per cent"), or the other way round; not in a poll's lead, where "by 5
    points" and "by 5%" are one."""
    if _MARGIN.search(claim) or _MARGIN.search(sentence):
        return None
    for n in claim_numbers:
        points = n.unit == "points" or (n.kind == "percent" and "point" not in n.surface.lower())
        other = [
            m
            for m in sentence_numbers
            if rules._close(n.value, m.value)
            and (m.unit == "points" if n.kind == "percent" else m.kind == "percent")
            and "point" not in m.surface.lower()
        ]
        if points and other and not rules.given(n, [m for m in sentence_numbers if m not in other]):
            return f"says {n.surface}; the source says {other[0].surface}"
    return None
