"""Checks of a generated sentence against the passages the model was given.

The decision is :class:`assistant.checker.Checker`'s, the same rules a fact-checker's claim
check uses (numbers, dates, names, negation, direction, quantifiers, hedges, sentences about the
prompt): a sentence is kept only when the checker finds it supported. What is particular to
generated answers lives here: sentences of a passage that address an AI model (see
:mod:`assistant.injection`) are kept out of the prompt and support nothing, a sentence that
repeats their distinctive tokens is dropped, and a sentence whose cited passages do not support
it is given the passage that does, if any does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.checker import Checker, Thresholds
from assistant.injection import distinctive_tokens, is_instruction, strip_images
from assistant.types import Quote
from ingest.sentences import sentence_spans
from vectorstore.embeddings import Embedder
from vectorstore.lexical import Analyzer
from vectorstore.types import Passage

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


class Verifier:
    """Support checks against one answer's passages (their sentences embedded once)."""

    def __init__(
        self,
        passages: list[Passage],
        embedder: Embedder,
        analyzer: Analyzer,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.passages = passages
        self.embedder = embedder
        self.analyzer = analyzer
        self.checker = Checker(passages, embedder, thresholds)
        instructions: list[str] = []
        self._prompt_texts: list[str] = []
        for p in passages:
            parts: list[str] = []
            for s, e in sentence_spans(p.text):
                text = p.text[s:e]
                if is_instruction(text):
                    instructions.append(text)
                    parts.append("[…]")
                    continue
                parts.append(strip_images(text))
            self._prompt_texts.append(" ".join(parts))
        meta = [f"{p.title} {p.source} {p.author}" for p in passages]
        self._haystacks = [
            f"{m} {t}".lower() for m, t in zip(meta, self._prompt_texts, strict=True)
        ]
        clean = distinctive_tokens(" ".join(self._haystacks) + " " + " ".join(meta))
        self.tainted = distinctive_tokens(" ".join(instructions)) - clean
        self.instructions = tuple(instructions)

    def prompt_text(self, index: int) -> str:
        """The passage as the model sees it: instructions aimed at models and images removed."""
        return self._prompt_texts[index]

    def tainted_in(self, text: str) -> set[str]:
        """Tokens of instructions planted in a passage that ``text`` repeats."""
        return distinctive_tokens(text) & self.tainted

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
        if len(set(self.analyzer(text))) < 2:
            return Verdict((), (), reason="says nothing the sources could support")
        result = self.checker.check_sentence(text)
        if result.verdict != "supported":
            return Verdict((), (), reason=result.reason)
        quote_of = {q.citation: q for q in result.quotes}  # 0-based passage -> its quote
        good = [n - 1 for n in cited if n - 1 in quote_of]
        dropped = tuple(n for n in cited if n - 1 not in good)
        if not good:
            good = [result.supporting[0]]
        quotes = tuple(Quote(quote_of[i].text, quote_of[i].start, quote_of[i].end) for i in good)
        return Verdict(
            tuple(good),
            quotes,
            reattributed=bool(cited) and bool(dropped) and len(dropped) == len(cited),
            dropped_citations=dropped,
        )
