"""Deterministic checks of a generated sentence against the passages the model was given.

Each passage is split into sentences; those that address an AI model (see
:mod:`assistant.injection`) are set aside and can support nothing. A generated sentence is
supported by a passage when

- ``min_window_overlap`` of its words occur in the passage sentence closest to it that agrees
  with it on negation, or in that sentence's neighbours; and its embedding is close to that
  sentence (cosine ≥ ``min_cosine``) or it holds a name or number. A vague sentence, or one
  that only shares the passage's topic, is neither;
- most of its words occur in the passage (``0.5·cosine + 0.5·overlap ≥ min_support``);
- every number in it occurs in the passage, and every proper name occurs in that sentence, the
  sentences either side of it, or the passage's title, source or author (so a claim is not
  moved from one person to another: "Yeltsin said" is not supported by "Putin said").

A sentence whose cited passages fail is given the passage that supports it best, if any does;
otherwise it is unsupported. Sentences about the prompt rather than the world ("Passage 2
describes…", "The provided sources do not say…") are never kept.
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
_META = re.compile(
    r"\b(?:passages?|excerpts?|snippets?)\s*(?:#|no\.?\s*)?\d|"
    r"\b(?:the|these|those|this|above|given|provided)\s+(?:given\s+|provided\s+|above\s+)?"
    r"(?:passages?|excerpts?|snippets?|context|documents?|texts?|sources?|information)\b"
    r"(?!\s+(?:of|to|for|on|about)\b)",
    re.I,
)
"""Words that talk about the prompt ("passage 2", "the provided context", "the sources")."""


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
        self,
        passages: list[Passage],
        embedder: Embedder,
        analyzer: Analyzer,
        min_support: float,
        min_cosine: float = 0.0,
        min_window_overlap: float = 0.6,
    ) -> None:
        self.passages = passages
        self.embedder = embedder
        self.analyzer = analyzer
        self.min_support = min_support
        self.min_cosine = min_cosine
        self.min_window_overlap = min_window_overlap
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
        self._meta = [m.lower() for m in meta]
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
        self._known_names = {
            m.group(0)
            for u in self.units
            for m in _NAME.finditer(u.text)
            if m.start() > 0 and m.group(0) not in NOT_NAMES
        }
        self._near: dict[int, tuple[str, set[str]]] = {}

    def prompt_text(self, index: int) -> str:
        """The passage as the model sees it: instructions aimed at models and images removed."""
        return self._prompt_texts[index]

    def tainted_in(self, text: str) -> set[str]:
        """Tokens of instructions planted in a passage that ``text`` repeats."""
        return distinctive_tokens(text) & self.tainted

    def _window(self, u: int) -> tuple[str, set[str]]:
        """Unit ``u`` with its neighbours in the same passage and that passage's metadata,
        lower-cased, and its analysed terms (built once per unit: every sentence checks it)."""
        if u not in self._near:
            passage = self.units[u].passage
            near = [
                self.units[v].text
                for v in (u - 1, u, u + 1)
                if 0 <= v < len(self.units) and self.units[v].passage == passage
            ]
            text = f"{self._meta[passage]} {' '.join(near)}".lower()
            self._near[u] = (text, set(self.analyzer(text)))
        return self._near[u]

    def names(self, text: str) -> set[str]:
        """Proper names in ``text``: capitalised words past its first, and a first word the
        passages use as a name ("Yeltsin said…")."""
        found = set()
        for m in _NAME.finditer(text):
            word = m.group(0)
            if word in NOT_NAMES or (m.start() == 0 and word not in self._known_names):
                continue
            found.add(word)
        return found

    @staticmethod
    def _names_ok(names: set[str], haystack: str) -> bool:
        return all(w.lower() in haystack or w.lower().rstrip("’'s") in haystack for w in names)

    def talks_about_prompt(self, text: str) -> bool:
        """Does ``text`` describe the passages instead of the world? A phrase that also occurs
        in a passage ("the passage of the bill") does not count."""
        return any(
            not any(m.group(0).lower() in h for h in self._haystacks) for m in _META.finditer(text)
        )

    def check(self, text: str, cited: tuple[int, ...]) -> Verdict:
        """Is ``text`` (markers removed) supported, and by which passages? ``cited`` are the
        1-based numbers the model wrote."""
        if self.tainted_in(text):
            return Verdict((), (), reason="repeats text planted in an article")
        if self.talks_about_prompt(text):
            return Verdict((), (), reason="talks about the passages, not the question")
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
        names = self.names(text)
        misplaced: set[str] = set()
        for i, u in best_unit.items():
            window, window_stems = self._window(u)
            if not numbers <= self._numbers[i]:
                continue
            if not self._names_ok(names, window):
                if cosine[u] >= self.min_cosine:
                    misplaced |= {w for w in names if not self._names_ok({w}, window)}
                continue
            # Its words sit in that sentence's neighbourhood, not scattered over the passage
            # (a topic match blends claims the passage never makes)...
            near = len(stems & window_stems) / len(stems) >= self.min_window_overlap
            # ...and it says what that sentence says: a close embedding, or, for a short
            # paraphrase of a long sentence (whose cosine can be low), the same names or numbers.
            if near and (float(cosine[u]) >= self.min_cosine or numbers or names):
                overlap = len(stems & self._stems[i]) / len(stems)
                scores[i] = 0.5 * float(cosine[u]) + 0.5 * overlap
        good = [n - 1 for n in cited if scores.get(n - 1, 0.0) >= self.min_support]
        dropped = tuple(n for n in cited if n - 1 not in good)
        if not good:
            ranked = sorted(scores, key=lambda i: -scores[i])
            if not ranked or scores[ranked[0]] < self.min_support:
                if misplaced:
                    who = ", ".join(sorted(misplaced))
                    return Verdict((), (), reason=f"the passage that says it does not name {who}")
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
