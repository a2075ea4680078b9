"""What a sentence holds that a question may ask for: names, dates, figures, enumerations.

The extractive answer leads with the sentence that holds what was asked (a person for "who",
a date for "when", a figure for "how many", the items for "which countries"); these are the
tests for "holds". Plain patterns over English text, nothing keyed to a corpus.
"""

from __future__ import annotations

import calendar
import re

from vectorstore.question import names

_MONTHS = "|".join(m for m in (*calendar.month_name, *calendar.month_abbr) if m)
_WEEKDAYS = "|".join(calendar.day_name)
_DATE = re.compile(
    rf"\b(({_MONTHS})\.?\s+\d{{1,2}}|\d{{1,2}}\s+({_MONTHS})|({_MONTHS})\s+\d{{4}}|"
    # a month on its own after a preposition ("in May", "the first Saturday of May"), so a
    # sentence-initial modal "May" is not read as one
    rf"(in|on|of|by|until|since|from|before|after|during|early|late|mid-?)\s+({_MONTHS})|"
    rf"{_WEEKDAYS}|"
    r"(1[6-9]|20)\d\d|\d{4}-\d\d-\d\d|yesterday|today|tomorrow|tonight|"
    r"(last|next|this) (week|month|year|spring|summer|autumn|fall|winter))\b"
)
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve dozen dozens hundred "
    "hundreds thousand thousands million millions billion billions trillion half third quarter "
    "percent"
)
_FIGURE = re.compile(
    r"(?<![\w-])(\$|€|£)?\d[\d,.]*(?!\d)(?!\s*(?:BC|AD)\b)|\b("
    + "|".join(_NUMBER_WORDS.split())
    + r")\b",
    re.I,
)
_YEAR_ONLY = re.compile(r"^(1[6-9]|20)\d\d$")
_ITEM = r"(?:(?:the\s+)?[A-Z][\w’'\-.&]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w’'\-.&]*)*)"
_ENUMERATION = re.compile(
    rf"{_ITEM}(?:\s*,\s*{_ITEM})+,?\s+(?:and|or)\s+{_ITEM}|{_ITEM}\s+and\s+{_ITEM}"
)


def has_date(text: str) -> bool:
    return bool(_DATE.search(text))


def has_figure(text: str) -> bool:
    """A number that is not just a year."""
    return any(not _YEAR_ONLY.match(m.group(0).strip("$€£")) for m in _FIGURE.finditer(text))


def candidate_names(text: str, known: set[str]) -> list[str]:
    """Names in ``text`` that the question does not already hold (``known`` is lower-cased
    words of the question and the names it gives)."""
    out = []
    for name in names(text):
        words = {w.lower().strip(".’'") for w in name.split()}
        if words <= known or name.lower() in known:
            continue
        out.append(name)
    return out


def enumerated(text: str, known: set[str]) -> list[str]:
    """Items of an enumeration of names ("Bulgaria, Estonia, Latvia and Lithuania")."""
    items: list[str] = []
    for m in _ENUMERATION.finditer(text):
        for part in re.split(r"\s*,\s*|\s+(?:and|or)\s+", m.group(0)):
            part = re.sub(r"^the\s+", "", part.strip(" ,"))
            if (
                part
                and part.lower() not in known
                and part.split()[0].lower()
                not in {
                    "the",
                    "and",
                    "but",
                }
            ):
                items.append(part)
    return items
