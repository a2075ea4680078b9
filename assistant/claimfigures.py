"""Rules that read a claim against the list of figures a source sentence gives.

News often lists figures, each after the thing it measures ("petrol (41%), diesel (23%) and
gas (9%)"; "the base model starts at $999 and the largest at $2,499"). Two claims a word
rule misses can be read off such a list:

- a rank or superlative ("X came second", "X is the cheapest") that the order of the figures
  does not bear out (or does: then the claim's "second" is the source's, said by its figures);
- a figure the claim ties to a thing the list ties to another figure ("gas accounts for 41%").

A figure is tied to the content words just before it (up to :data:`_REACH` of them, not
across another figure of a list or a comma; a year between is skipped): the way lists are written in
English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant import claimrules as rules

_REACH = 4
_BREAK = re.compile(r"[,;:()—–]")
_RELATIVE = frozenset(["which", "who", "that", "at", "with"])
"""Words after a comma that still speak of the thing before it ("the Max, which starts at")."""
_COMPOUND = re.compile(r"-[A-Za-z]")

_LISTED = frozenset(["percent", "money", "count"])
"""Kinds of figure a list ranks (not years, scores or ordinals)."""


@dataclass(frozen=True)
class _Figure:
    value: float
    kind: str
    surface: str
    words: frozenset[str]
    """the stems of the content words just before it (what it measures)"""
    near: str = ""
    """the stem of the word right before it ("machinery (3%)"), if a content word"""
    shared: frozenset[str] = frozenset()
    """words it is tied to that another figure of the list is tied to as well"""
    entry: bool = True
    """can it be an entry of a list (a share, sum or count, not "16-inch" or a year)"""


@lru_cache(maxsize=4096)
def _figures(text: str) -> tuple[tuple[str, ...], tuple[tuple[int, _Figure], ...]]:
    """The words of ``text`` (stems, "" for function words and figures) and its figures, each
    with its word index and the words it is tied to."""
    spans = [(m.start(), m.end(), m.group(0)) for m in rules._WORD.finditer(text)]
    located = []
    compound = set()
    for pos, number in rules.numbers_at(text):
        index = next((i for i, (_, end, _w) in enumerate(spans) if end > pos), len(spans))
        located.append((index, number))
        # the surface may start before ``pos`` ("US$ 5"), never after it
        end = text.rfind(number.surface, max(0, pos - 4), pos + len(number.surface))
        end += len(number.surface)
        if _COMPOUND.match(text, end):
            compound.add(index)
    at = {i for i, _ in located}
    terms = tuple(
        ""
        if i in at or not w[0].isalpha() or w.lower() in rules._STOP
        else rules._term(rules.possessive_base(w.lower()))
        for i, (_s, _e, w) in enumerate(spans)
    )
    # "16-inch", "four-year-old": a figure that modifies a noun is no entry of a list
    # "to $14 from $12": the ends of a change of one thing, no entries of a list
    ends = {i for i, _ in located if i > 0 and spans[i - 1][2].lower() in ("from", "to")}
    listed = {i for i, n in located if n.kind in _LISTED and i not in compound | ends}
    out = []
    for index, number in located:
        tied: list[str] = []
        near = ""
        for j in range(index - 1, max(index - 1 - 2 * _REACH, -1), -1):
            if j in listed or len(tied) == _REACH:
                break
            gap = text[spans[j][1] : spans[j + 1][0]]
            if j + 1 < index and _BREAK.search(gap) and spans[j + 1][2].lower() not in _RELATIVE:
                break  # another entry or clause ("…of the exports, followed by gas (9%)")
            if terms[j] and spans[j][2].lower() not in rules._UNIT_WORDS:
                tied.append(terms[j])
                near = near or (terms[j] if j == index - 1 else "-")
        figure = _Figure(
            number.value, number.kind, number.surface, frozenset(tied), near, entry=index in listed
        )
        out.append((index, figure))
    return terms, tuple(out)


@lru_cache(maxsize=4096)
def _listed(text: str) -> tuple[_Figure, ...]:
    """The figures of ``text`` that a list could rank, with the words only each is tied to
    (cached: :func:`ranks`, :func:`crossed_figure` and the checker read one sentence's list
    for many claims)."""
    figures = [f for _, f in _figures(text)[1] if f.entry]
    out = []
    for f in figures:
        others = set().union(*(g.words for g in figures if g.value != f.value))
        out.append(_Figure(f.value, f.kind, f.surface, f.words - others, f.near, f.words & others))
    return tuple(out)


# --- rank ----------------------------------------------------------------------------------
_MAX = "largest|biggest|highest|greatest|priciest|costliest|most expensive|most popular"
_MIN = "smallest|lowest|fewest|cheapest|least expensive"
_ORDINAL = "second|third|fourth|fifth|sixth|2nd|3rd|4th|5th|6th"
_RANK = re.compile(
    rf"\b(?:(?P<ord>{_ORDINAL})(?:[- ](?P<sup1>{_MAX}|{_MIN}))?|(?P<sup>{_MAX}|{_MIN}))\b"
    r"(?P<after>\s*(?:[.,;:)]|$|place\b|behind\b|among\b|with\b|to\b|after\b))?",
    re.I,
)
# "second" … "sixth", then "2nd" … "6th": 2 … 6 ("first" is no rank word: a superlative is)
_ORDINAL_VALUE = {w: 2 + i % 5 for i, w in enumerate(_ORDINAL.split("|"))}


@dataclass(frozen=True)
class Rank:
    """A rank a claim gives (``said``) and the one the source's figures give (``source``)."""

    said: str
    rank: int
    source: int
    figures: str


def ranks(claim: str, evidence: str) -> list[Rank]:
    """The ranks and superlatives of ``claim`` ("gas came second", "X is the cheapest") that
    the figures of ``evidence`` can rank: the thing ranked (the words before the rank word, or
    after it) is tied to one of the source's figures, which has others of its kind beside it.
    A source that uses the rank word itself is read by the other rules. An ordinal counts only
    as a rank ("came second.", "second behind X", "second with 2.1 million", "second-largest"),
    not before a noun ("second quarter")."""
    return list(_ranks(claim, evidence))


@lru_cache(maxsize=4096)
def _ranks(claim: str, evidence: str) -> tuple[Rank, ...]:
    """:func:`ranks`, cached: the checker asks for one claim's ranks against one sentence
    several times (the ordinals it bears out, then the rank it gets wrong)."""
    out = []
    low_evidence = evidence.lower()
    for m in _RANK.finditer(claim):
        word = m.group(0).strip(" .,;:)").lower()
        if m.group("ord") and not (m.group("sup1") or m.group("after") is not None):
            continue
        superlative = (m.group("sup") or m.group("sup1") or "").lower()
        said = superlative or word
        if re.search(rf"\b{re.escape(said)}\b", low_evidence) or (
            rules.content(said) and rules.content(said) <= rules.content(evidence)
        ):
            continue  # the source says it in its own words (or a synonym)
        rank = _ORDINAL_VALUE.get(m.group("ord").lower(), 0) if m.group("ord") else 1
        lowest_first = bool(superlative) and re.fullmatch(_MIN, superlative) is not None
        figure = _ranked_figure(claim, m.start(), m.end(), evidence)
        if figure is None:
            continue
        peers = sorted(
            {f.value for f in _listed(evidence) if f.kind == figure.kind},
            reverse=not lowest_first,
        )
        if len(peers) < 2 or rank > len(peers) + 1:
            continue
        source = peers.index(figure.value) + 1
        out.append(Rank(word, rank, source, ", ".join(f"{v:g}" for v in peers)))
    return tuple(out)


def _ranked_figure(claim: str, start: int, end: int, evidence: str) -> _Figure | None:
    """The source's figure tied to what the claim ranks: the nearest content words before the
    rank word in its clause, else those after it."""
    before = rules._CLAUSE.split(claim[:start])[-1]
    after = rules._CLAUSE.split(claim[end:])[0]
    listed = [f for f in _listed(evidence) if f.words]
    present = rules.content(evidence)
    for stretch in (list(reversed(rules.words(before))), rules.words(after)):
        terms = [rules._term(w) for w in stretch if w and w not in rules._STOP and w[0].isalpha()]
        terms = terms[:3]
        for term in terms:
            tied = [f for f in listed if term in f.words]
            if len(tied) != 1:
                continue
            # every word of the thing that the source has must be tied to that figure:
            # "the Vela Max" is not ranked by a figure tied only to "Vela"
            if all(t in tied[0].words | tied[0].shared for t in terms if t in present):
                return tied[0]
            return None
    return None


def wrong_rank(claim: str, evidence: str) -> str | None:
    """A rank or superlative of the claim that the source's figures put elsewhere."""
    for r in _ranks(claim, evidence):
        if r.rank != r.source:
            return f"says “{r.said}”; the source's figures ({r.figures}) put it {_place(r.source)}"
    return None


def confirmed_ordinals(claim: str, evidence: str) -> set[float]:
    """Ordinals of the claim that the order of the source's figures bears out."""
    return {float(r.rank) for r in _ranks(claim, evidence) if r.rank == r.source and r.rank > 1}


def _place(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


# --- figures tied to another thing ------------------------------------------------------------
def crossed_figure(claim: str, evidence: str) -> str | None:
    """A figure the claim ties to a thing the source's list ties to another figure: the claim
    lacks every word only the figure's own entry has, and ties the figure to a word only
    another entry has, whose figure the claim does not give or gives to something else
    ("machinery 15%" where the list has "jewellery (15%)" and "machinery (3%)")."""
    listed = _listed(evidence)
    if len(listed) < 2:
        return None
    claimed: dict[float, frozenset[str]] = {}
    for _, c in _figures(claim)[1]:
        claimed[c.value] = claimed.get(c.value, frozenset()) | c.words
    for f in listed:
        if f.value not in claimed or not f.words or f.words & claimed[f.value]:
            continue
        for g in listed:
            shared = g.words & claimed[f.value]
            if g.kind != f.kind or not (len(shared) > 1 or g.near in shared):
                continue  # one shared word counts only when it names the entry ("gas (9%)")
            if g.value in claimed and claimed[g.value] & g.words:
                continue  # the claim gives the other entry its own figure too
            term = g.near if g.near in shared else min(shared)
            thing = next((w for w in rules.words(claim) if rules._term(w) == term), term)
            return f"ties {f.surface} to “{thing}”; the source gives {g.surface} for it"
    return None
