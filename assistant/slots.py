"""What a sentence holds that a question may ask for: names, dates, figures, enumerations.

The extractive answer leads with the sentence that holds what was asked (a person for "who",
a date for "when", a figure for "how many", the items for "which countries"); these are the
tests for "holds", and the rules that give a name in the form an answer states it (the full
name a surname stands for, without titles). Plain patterns over English text and news
writing conventions, nothing keyed to a corpus.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence

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
    """A number that is not just a year, nor the day of a date ("today, November 6")."""
    text = _DATE.sub(" ", text)
    return any(not _YEAR_ONLY.match(m.group(0).strip("$€£")) for m in _FIGURE.finditer(text))


def counts(text: str, noun: str, stem: Callable[[str], list[str]], reach: int = 4) -> bool:
    """A figure that is not a year stands within ``reach`` words of ``noun`` (compared by
    ``stem``): "scored two goals", "240,000 jobs lost", "jobs: 1,900"."""
    target = stem(noun)[:1]
    if not target:
        return False
    words = re.findall(r"[$€£]?\w[\w,.’'-]*", _DATE.sub(" ", text))
    at_noun = [i for i, w in enumerate(words) if stem(w)[:1] == target]
    at_figure = [
        i
        for i, w in enumerate(words)
        if _FIGURE.fullmatch(w.rstrip(".,")) and not _YEAR_ONLY.match(w.strip("$€£.,"))
    ]
    return any(abs(i - j) <= reach for i in at_noun for j in at_figure)


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


# Words that stand before a name without being part of it: titles, roles, honorifics.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "pope",
        "president",
        "vice",
        "prime",
        "minister",
        "chancellor",
        "senator",
        "sen",
        "rep",
        "representative",
        "governor",
        "gov",
        "mayor",
        "judge",
        "justice",
        "attorney",
        "secretary",
        "ambassador",
        "commissioner",
        "chairman",
        "chairwoman",
        "chairperson",
        "ceo",
        "cfo",
        "cto",
        "coo",
        "founder",
        "cofounder",
        "co-founder",
        "director",
        "officer",
        "executive",
        "former",
        "coach",
        "manager",
        "quarterback",
        "analyst",
        "professor",
        "detective",
        "sergeant",
        "colonel",
        "lieutenant",
        "admiral",
        "commander",
        "rabbi",
        "bishop",
        "cardinal",
        "spokesperson",
        "spokesman",
        "spokeswoman",
    ]
)
# Words that open a sentence before a name ("Then Altman said"), never a given name.
_OPENERS = frozenset(
    [
        "then",
        "and",
        "but",
        "so",
        "yet",
        "had",
        "has",
        "have",
        "was",
        "were",
        "when",
        "while",
        "as",
        "if",
        "after",
        "before",
        "since",
        "though",
        "although",
        "now",
        "still",
        "also",
        "even",
        "only",
        "here",
        "there",
        "this",
        "that",
        "with",
        "without",
        "for",
        "from",
        "by",
        "at",
        "in",
        "on",
        "of",
        "to",
        "under",
        "over",
        "did",
        "does",
        "do",
        "is",
        "are",
        "meanwhile",
        "later",
        "earlier",
        "instead",
        "however",
        "moreover",
        "furthermore",
        "additionally",
        "nevertheless",
        "nonetheless",
        "finally",
        "indeed",
        "ultimately",
        "during",
        "despite",
    ]
)
_SPEAKING = "said|says|told|added|wrote|argued|testified|explained|noted|warned"
_GIVEN = r"[A-Z][a-z’'\-]+(?:\s+[A-Z]\.)?"
_MONTH_SET = frozenset(m for m in (*calendar.month_name, *calendar.day_name) if m)
_MID_SENTENCE = re.compile(r"[\w,;)]\s+$")  # what stands before a word inside a sentence
_NAME_WORD = re.compile(r"[A-Z][a-z’'\-]*[A-Za-z’'\-]*[a-z]|[A-Z]\.")


def full_name(name: str, texts: list[str], titles: Sequence[str] = ()) -> str:
    """A surname in its fullest form in ``texts`` and ``titles`` ("Altman" → "Sam Altman"):
    the given name written right before it, when one given name clearly dominates (a shared
    surname, "Eric Trump" and "Ivanka Trump", stays as it is). A title ("President"), a word
    the texts also write in lower case ("Had Altman known…"), or a word seen before the name
    only where a sentence or line starts ("Enter Google", page chrome) is no given name. A
    name of several words is returned unchanged."""
    if " " in name.strip() or not name[:1].isupper():
        return name
    pattern = re.compile(rf"\b({_GIVEN})\s+{re.escape(name)}(?![\w’'-])")
    counts: dict[str, int] = {}
    inside: set[str] = set()  # given names seen mid-sentence or in a headline
    for text in [*texts, *titles]:
        for m in pattern.finditer(text):
            given = m.group(1)
            counts[given] = counts.get(given, 0) + 1
            if text in titles or _MID_SENTENCE.search(text[: m.start()]):
                inside.add(given)
    lower = " ".join(texts)
    for given in list(counts):
        first = given.split()[0]
        if (
            first.lower() in _TITLES
            or first in _MONTH_SET
            or first.lower() in _OPENERS
            or re.search(rf"\b{re.escape(first.lower())}\b", lower)
        ):
            del counts[given]
    ranked = sorted(counts, key=lambda g: -counts[g])
    if not ranked or ranked[0] not in inside:
        return name
    if len(ranked) > 1 and counts[ranked[0]] < 2 * counts[ranked[1]]:
        return name
    return f"{ranked[0]} {name}"


def person_like(name: str, texts: list[str]) -> bool:
    """A name that reads as a person's: two or three capitalised words (no acronym, no
    title) that ``texts`` treat as a person's: its last word stands alone, as news writing
    refers to a person by surname after the first mention ("Sam Altman … Altman said"), or
    the name says something ("Ingrid Solberg said"); not "Trump Tower"."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(
        _NAME_WORD.fullmatch(w) and w.lower() not in _TITLES for w in words
    ):
        return False
    alone = re.compile(rf"(?<!{re.escape(words[-2])} ){re.escape(words[-1])}(?![\w’'-])")
    speaks = re.compile(
        rf"{re.escape(name)},?\s+(?:{_SPEAKING})\b|\b(?:{_SPEAKING}),?\s+{re.escape(name)}\b"
    )
    return any(alone.search(t) or speaks.search(t) for t in texts)


def untitled(name: str) -> str:
    """A name without the sentence adverb and the titles before it: "Former Harbor CEO Mina
    Okafor" → "Mina Okafor", "Judge Lewis Brandt" → "Lewis Brandt", "Moreover Okafor" →
    "Okafor", "President Okafor" → "Okafor"; a name with no title unchanged."""
    words = name.split()
    i = 0
    while len(words) - i > 1 and words[i].lower() in _OPENERS:
        i += 1
    # A capitalised function word inside a run marks a break ("Pro During Amazon": a heading
    # run into a sentence); a lower-case joiner does not ("Bank of America").
    breaks = [
        j
        for j in range(i, len(words) - 1)
        if words[j][:1].isupper() and words[j].lower() in _OPENERS
    ]
    if breaks:
        i = breaks[-1] + 1
    titles = [j for j in range(i, len(words) - 1) if words[j].lower() in _TITLES]
    if titles:
        i = titles[-1] + 1
    return " ".join(words[i:])


def as_written(name: str, texts: list[str]) -> str:
    """``name`` as the sentences write it in running text: with the capitalised word before
    it that the name reader trims as a function word ("the All Blacks") and its article
    ("the EU"); the name itself where no sentence has it mid-sentence."""
    pattern = re.compile(rf"(?<=[a-z,;:] )(the\s+)?([A-Z][a-z]*\s+)?{re.escape(name)}(?![\w’'-])")
    found = [m for text in texts for m in pattern.finditer(text)]
    if not found:
        return name
    best = max(found, key=lambda m: len(m.group(0)))
    # "the EU", "the Harbor Trust", "the Commanders" where the texts say so; a one-word name
    # after "the" is mostly a modifier ("the Acme board"), not the name's own article.
    own = name.isupper() or " " in name or name.endswith("s")
    article = "the " if own and 2 * sum(bool(m.group(1)) for m in found) > len(found) else ""
    return f"{article}{best.group(2) or ''}{name}"
