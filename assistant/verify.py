"""Deterministic checks of a generated sentence against the passages the model was given.

Each passage is split into sentences; those that address an AI model (see
:mod:`assistant.injection`) are set aside and can support nothing. A generated sentence is
supported by a passage when its embedding is close to one of the passage's sentences that
agrees with it on negation, most of its words occur in the passage
(``0.5·cosine + 0.5·overlap ≥ min_support``), and every number and proper name in it occurs
there too. A sentence whose cited passages fail is given the
passage that supports it best, if any does; otherwise it is unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.injection import distinctive_tokens, is_instruction, strip_images
from assistant.types import Quote
from ingest.sentences import sentence_spans
from vectorstore.embeddings import Embedder
from vectorstore.lexical import Analyzer
from vectorstore.types import Passage

_NEGATION = re.compile(
    r"\b(no|not|never|none|neither|nor|without|cannot|den(?:y|ied|ies)|reject\w*|refus\w*)\b|"
    r"n[’']t\b",
    re.I,
)
_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")
_NAME = re.compile(r"\b[A-Z][a-zA-Z’'-]+")
_COMMON_WORDS = (
    "I The A An In On At Of For And Or But If Is Are Was Were Did Does Do What Who When Where "
    "Why How Which According Has Have Had Can Could Would Should Will It Its This That These "
    "Those There They Their He His She Her We Our Both Some Many Most No Yes However Also "
    "Moreover Instead While Although Since After Before During As By From To With Without "
    "Meanwhile Despite Because So Then Not Neither Nor Either One Two Three First Second "
    "Western Eastern Northern Southern Cold War"
)
NOT_NAMES = frozenset(_COMMON_WORDS.split())
"""Capitalised words that are not names (sentence openers, function words)."""


@dataclass(frozen=True)
class Unit:
    """A sentence of a passage, with its offsets into the document."""

    passage: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Verdict:
    """What the check found: the supporting passages (0-based), a quote of each, and why a
    sentence is not kept (``reason`` empty when it is kept)."""

    passages: tuple[int, ...]
    quotes: tuple[Quote, ...]
    reason: str = ""
    reattributed: bool = False
    dropped_citations: tuple[int, ...] = ()

    @property
    def kept(self) -> bool:
        return not self.reason


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


class Verifier:
    """Support checks against one answer's passages (their sentences embedded once)."""

    def __init__(
        self, passages: list[Passage], embedder: Embedder, analyzer: Analyzer, min_support: float
    ) -> None:
        self.passages = passages
        self.embedder = embedder
        self.analyzer = analyzer
        self.min_support = min_support
        self.units: list[Unit] = []
        instructions: list[str] = []
        self._prompt_texts: list[str] = []
        for i, p in enumerate(passages):
            parts: list[str] = []
            for s, e in sentence_spans(p.text):
                text = p.text[s:e]
                if is_instruction(text):
                    instructions.append(text)
                    parts.append("[…]")
                    continue
                self.units.append(Unit(i, p.start + s, p.start + e, text))
                parts.append(strip_images(text))
            self._prompt_texts.append(" ".join(parts))
        meta = [f"{p.title} {p.source} {p.author}" for p in passages]
        self._haystacks = [
            f"{m} {t}".lower() for m, t in zip(meta, self._prompt_texts, strict=True)
        ]
        self._numbers = [_numbers(h) for h in self._haystacks]
        self._stems = [set(analyzer(h)) for h in self._haystacks]
        clean = distinctive_tokens(" ".join(self._haystacks) + " " + " ".join(meta))
        self.tainted = distinctive_tokens(" ".join(instructions)) - clean
        self.instructions = tuple(instructions)
        self._negated = [bool(_NEGATION.search(u.text)) for u in self.units]
        self._vectors = (
            embedder.embed([u.text for u in self.units]) if self.units else np.zeros((0, 1))
        )

    def prompt_text(self, index: int) -> str:
        """The passage as the model sees it: instructions aimed at models and images removed."""
        return self._prompt_texts[index]

    def tainted_in(self, text: str) -> set[str]:
        """Tokens of instructions planted in a passage that ``text`` repeats."""
        return distinctive_tokens(text) & self.tainted

    def _names_ok(self, text: str, index: int) -> bool:
        haystack = self._haystacks[index]
        for m in _NAME.finditer(text):
            word = m.group(0)
            if m.start() == 0 or word in NOT_NAMES:
                continue
            if word.lower().rstrip("’'s") not in haystack and word.lower() not in haystack:
                return False
        return True

    def check(self, text: str, cited: tuple[int, ...]) -> Verdict:
        """Is ``text`` (markers removed) supported, and by which passages? ``cited`` are the
        1-based numbers the model wrote."""
        if self.tainted_in(text):
            return Verdict((), (), reason="repeats text planted in an article")
        stems = set(self.analyzer(text))
        if len(stems) < 2 or not self.units:
            return Verdict((), (), reason="says nothing the sources could support")
        vector = self.embedder.embed([text])[0]
        cosine = self._vectors @ vector
        scores: dict[int, float] = {}
        best_unit: dict[int, int] = {}
        negated = bool(_NEGATION.search(text))
        for u, unit in enumerate(self.units):
            # A sentence and the one supporting it agree on negation: "a treaty was signed"
            # is not supported by "no treaty was ever signed".
            if self._negated[u] != negated:
                continue
            if unit.passage not in best_unit or cosine[u] > cosine[best_unit[unit.passage]]:
                best_unit[unit.passage] = u
        numbers = _numbers(text)
        for i, u in best_unit.items():
            overlap = len(stems & self._stems[i]) / len(stems)
            score = 0.5 * float(cosine[u]) + 0.5 * overlap
            if numbers <= self._numbers[i] and self._names_ok(text, i):
                scores[i] = score
        good = [n - 1 for n in cited if scores.get(n - 1, 0.0) >= self.min_support]
        dropped = tuple(n for n in cited if n - 1 not in good)
        if not good:
            ranked = sorted(scores, key=lambda i: -scores[i])
            if not ranked or scores[ranked[0]] < self.min_support:
                return Verdict((), (), reason="no retrieved passage supports it")
            good = [ranked[0]]
        quotes = tuple(
            Quote(
                self.units[best_unit[i]].text,
                self.units[best_unit[i]].start,
                self.units[best_unit[i]].end,
            )
            for i in good
        )
        return Verdict(
            tuple(good),
            quotes,
            reattributed=bool(cited) and bool(dropped) and len(dropped) == len(cited),
            dropped_citations=dropped,
        )
