"""Checking a claim against passages: supported, contradicted, or not found, with the quotes.

One checker serves three users: :meth:`assistant.api.Assistant.check` (a fact-checker pastes a
claim), the verification of generated answers (:mod:`assistant.verify`), and the test of whether
two sources disagree (:func:`contradiction`). A claim of several sentences is checked sentence
by sentence; the claim is supported only when every sentence is, contradicted when any is.

For each sentence, the few passage sentences that share most of its words or figures are
embedded (not every sentence: the model is nearly all of a check's time), and the closest of
them (a blend of embedding cosine and shared words, counting the sentence's neighbours) are
compared with it by the rules of :mod:`assistant.claimrules`:

- a number, date or name of the claim that the source's neighbourhood lacks makes it not
  supported, and *contradicted* when the source's sentence gives another one in its place;
- the source saying the opposite (negation, a reversed direction, swapped roles, a weaker
  quantifier, a hedge the claim drops, a future for what has happened) makes it contradicted,
  when the claim is about that sentence (most of its other words are there, or its embedding
  is close);
- otherwise it is supported when most of its words are in that sentence's neighbourhood and its
  embedding is close, or its embedding is very close (a paraphrase in other words), or it is a
  paraphrase whose every figure that very sentence gives, and it adds no qualifier ("only",
  "record") the source lacks;
- a sentence about the prompt ("The passage on X is not mentioned") is never supported.

A model (:mod:`assistant.nli`) may give a second opinion; the rules stay a floor under it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

import numpy as np

from assistant import claimcause, claimfigures, claimroles, claimunits
from assistant import claimrules as rules
from assistant.injection import is_instruction
from assistant.types import Citation, Quote
from ingest.sentences import sentence_spans
from vectorstore.embeddings import Embedder
from vectorstore.types import Passage

Verdict = Literal["supported", "contradicted", "not_found"]
Stance = Literal["supports", "contradicts"]


@dataclass(frozen=True)
class Thresholds:
    """Where the checker draws its lines (tuned on the dev split of the claim set)."""

    support_overlap: float = 0.6
    """least share of the claim's words in the quote's neighbourhood for support"""
    support_cosine: float = 0.5
    """least cosine to the quote, with ``support_overlap`` met"""
    paraphrase_cosine: float = 0.72
    """a cosine that supports with fewer shared words (``paraphrase_overlap``)"""
    paraphrase_overlap: float = 0.3
    anchored_cosine: float = 0.65
    """a paraphrase whose names and figures the rules found in the quote: this cosine and
    ``anchored_overlap`` of its words suffice"""
    anchored_overlap: float = 0.45
    figured_cosine: float = 0.65
    """a paraphrase whose every figure the quoted sentence gives: this cosine and
    ``figured_overlap`` of its words in that sentence suffice"""
    figured_overlap: float = 0.25
    align_overlap: float = 0.5
    """least share of the claim's other words in a sentence for it to contradict the claim"""
    align_cosine: float = 0.62
    candidates: int = 4
    embed_pool: int = 3
    """passage sentences embedded per claim sentence: those sharing most words with it (2
    changes no verdict on the dev split, 1 changes four; 3 leaves a margin)"""

    @classmethod
    def from_settings(cls, settings: Any) -> Thresholds:
        """The support thresholds ``SOURCED_VERIFY_MIN_*`` set, the rest as tuned."""
        return cls(
            support_overlap=settings.verify_min_window_overlap,
            support_cosine=settings.verify_min_cosine,
        )

    quote_overlap: float = 0.4
    """least share of the claim's words in the quoted sentence itself (the rest may come from
    its neighbours), so a sentence does not support a claim by borrowing its neighbour's"""
    clause_overlap: float = 0.6
    """an added clause ("…, and that X") with this share of its words (and figures) in the
    supporting passages is theirs"""
    clause_support: float = 1.1
    """otherwise that share plus its best cosine to one of their sentences or clauses must
    reach this (dev split: invented clauses 0.25–1.09, faithful ones 1.12–1.8)"""
    cause_overlap: float = 0.5
    """a stated cause is supported by a sentence holding this share of the words of each of
    its sides"""


@dataclass(frozen=True)
class Finding:
    """How a claim departs from one source sentence: ``kind`` is ``"contradicts"`` (the source
    says otherwise) or ``"missing"`` (the source lacks a number, date or name it needs)."""

    kind: Literal["contradicts", "missing"]
    rule: str
    reason: str


@dataclass(frozen=True)
class CheckedQuote:
    """A sentence of a passage behind a verdict: ``document[start:end] == text``; ``citation``
    is the 1-based number into :attr:`ClaimCheck.citations`."""

    text: str
    start: int
    end: int
    citation: int
    stance: Stance
    sentence: int = 0


@dataclass(frozen=True)
class SentenceCheck:
    """The verdict on one sentence of a claim, the quotes behind it and the reason."""

    text: str
    verdict: Verdict
    reason: str
    quotes: tuple[CheckedQuote, ...] = ()
    rule: str = ""
    supporting: tuple[int, ...] = ()
    """0-based passages that support the sentence, best first"""
    opinion: str = ""
    """the model's second opinion (entails / contradicts / neutral), when one was asked"""
    best_unit: int = -1
    """the passage sentence closest to it (what a model is asked about when no rule quoted)"""


@dataclass(frozen=True)
class ClaimCheck:
    """Whether the passages support a claim, contradict it, or say nothing about it."""

    claim: str
    verdict: Verdict
    reason: str
    quotes: tuple[CheckedQuote, ...]
    citations: tuple[Citation, ...]
    sentences: tuple[SentenceCheck, ...]
    elapsed_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "verdict": self.verdict,
            "reason": self.reason,
            "quotes": [asdict(q) for q in self.quotes],
            "citations": [c.to_dict() for c in self.citations],
            "sentences": [
                {
                    "text": s.text,
                    "verdict": s.verdict,
                    "reason": s.reason,
                    "rule": s.rule,
                    "opinion": s.opinion,
                    "quotes": [asdict(q) for q in s.quotes],
                }
                for s in self.sentences
            ],
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


class SecondOpinion(Protocol):
    """A model that reads a premise and a hypothesis: ``"entails"``, ``"contradicts"`` or
    ``"neutral"`` for each pair."""

    def judge(self, pairs: Sequence[tuple[str, str]]) -> list[str]: ...


@dataclass(frozen=True)
class _Lexical:
    """A claim sentence's shared words with each passage sentence (``overlap``: with its
    neighbourhood, ``own``: with itself) and the sentences worth embedding (``pool``)."""

    stems: set[str]
    overlap: np.ndarray
    own: np.ndarray
    pool: tuple[int, ...]


@dataclass(frozen=True)
class Unit:
    """A sentence of a passage, with its offsets into the document."""

    passage: int
    start: int
    end: int
    text: str


# --- the pairwise comparison -----------------------------------------------------------------


def _polarity(text: str, shared: set[str], lexical: bool = True) -> bool:
    """Is what ``text`` says about the ``shared`` words negated? A negation counts when one
    of them follows it closely ("did not approve the bill"), so "not" in another clause of a
    long sentence does not flip it. Its reach ends with its clause: in "would move 'not one
    inch eastward' if Germany stayed", Germany is not negated. A counterfactual ("would not be
    here had it not been for X", "would not be here without X") negates twice: it affirms
    what it owes to X."""
    if _COUNTERFACTUAL.search(text):
        return False
    text = _NOT_NEGATING.sub(" ", text)
    if lexical:
        text = _LACK.sub("do not have", _UNLESS.sub("if not", text))
    for m in rules._NEGATION.finditer(text):
        scope = _SCOPE_END.split(text[m.start() : m.end() + 70], maxsplit=1)[0]
        if _AS_THE_WAY.search(scope):
            continue  # "haven't used it the way X have": a comparison, read by the comparison rules
        if rules.content(scope) & shared or len(shared) < 2:
            return True
    return False


_NOT_NEGATING = re.compile(
    r"\b(?:not (?:just|only|least|merely|to mention)|no (?:accident|coincidence|doubt|wonder)|"
    r"no (?:less|fewer|more) than|nothing short of|not unlike|without (?:a )?doubt)\b",
    re.I,
)
"""Idioms with a negation word that deny nothing ("not just X but Y", "it is no accident that")."""
_UNLESS = re.compile(r"\bunless\b", re.I)
""""unless X" says "if not X": read so, it has the polarity of "if X doesn't"."""
_LACK = re.compile(r"\black(?:s|ed|ing)?\b(?! of\b)", re.I)
""""lack X" says "do not have X" ("lack of" is a noun, read as the source writes it)."""
_AS_THE_WAY = re.compile(r"\bthe way\b", re.I)
"""A negation before "the way X did" ("haven't used it the way X have") compares."""


_COUNTERFACTUAL = re.compile(
    r"\b(?:had it not been for|were it not for|if it (?:were|was|had) not (?:been )?for|"
    r"if not for|without whom|without which)\b|\b(?:not|never)\b[^.;:]{0,80}\bwithout\b",
    re.I,
)
_SCOPE_END = re.compile(
    r"[,;:]|\b(?:if|unless|because|when|while|whereas|but|although|though)\b", re.I
)


def _swap(claim: str, evidence: str, both: set[str]) -> str | None:
    """Two names in reverse order around the same verb ("A beat B" vs "B beat A")."""
    if len(both) < 2:
        return None
    cpos = rules.name_spans(claim, both)
    epos = dict((n, i) for i, n in rules.name_spans(evidence, both))
    cw, ew = rules.words(claim), rules.words(evidence)
    for (i, a), (j, b) in itertools.pairwise(cpos):
        if a not in epos or b not in epos or epos[b] >= epos[a]:
            continue
        between_c = [w for w in cw[i + 1 : j] if w not in both]
        between_e = [w for w in ew[epos[b] + 1 : epos[a]] if w not in both]
        if len(between_c) > 8 or len(between_e) > 8:
            continue  # names far apart are in different clauses
        if (
            between_c == ["to"] == between_e
            and cw[i - 1 : i] == ["from"] == ew[epos[b] - 1 : epos[b]]
            and not re.search(rf"\bfrom {re.escape(a)} to {re.escape(b)}\b", evidence, re.I)
        ):
            return f"has it go from {a.title()} to {b.title()}; the source, the other way"
        if ("by" in between_c) != ("by" in between_e):
            continue  # "A beat B" and "B was beaten by A" say the same
        filler = {"the", "a", "an", "and", "of", "to", "in", "on", "at", "with"}
        verbs = {rules.stem(w) for w in between_c if w not in filler}
        tags = rules.axis_tags(set(between_c))
        if verbs & {rules.stem(w) for w in between_e} or tags & rules.axis_tags(set(between_e)):
            return f"has {a.title()} and {b.title()} the other way round from the source"
    return None


_Side = tuple[str, ...]
_VENUE = frozenset(["in", "at", "on"])
_TITLES = frozenset(["winner", "winners", "loser", "losers", "victorious"])
"""Words that name one side ("Cup winners FC Rovers") rather than relate two."""


def _winner_loser(text: str, known: frozenset[str]) -> list[tuple[_Side, _Side]]:
    """(winner, loser) pairs a text states with a win or loss word, each the words of a name
    (empty when not stated): the name closest before "beat"/"victory" wins, a name right after
    it ("beat X", "win over X") loses; the name before "lost"/"eliminated" loses, the one after
    ("lost to X") wins. A name before the word counts only after the previous win or loss word
    ("a defeat in Belgium and a loss to the Netherlands": Belgium did not lose), and a name
    after "in", "at" or "on" is a venue, not an opponent. "A win for X" has X winning and
    leaves the loser unsaid."""
    ws, spans = rules._runs(text, known)
    _, win, lose = next(a for a in rules._AXES if a[0] == "won/lost")
    spots = [i for i, w in enumerate(ws) if (w in win or w in lose) and w not in _TITLES]
    pairs = []
    taken = -1  # the end of the last name read as the object of a win or loss word
    for n, i in enumerate(spots):
        start = max(i - 12, spots[n - 1] + 1 if n else 0, taken)
        stop = min(i + 6, spots[n + 1] if n + 1 < len(spots) else len(ws))
        before = [ws[x:y] for x, y in spans if start <= x and y <= i]
        after = [(x, ws[x:y]) for x, y in spans if i < x <= stop and ws[x - 1] not in _VENUE]
        first = tuple(before[-1] if before else ())
        second = tuple(after[0][1] if after else ())
        if after:
            taken = after[0][0] + len(after[0][1])
        if after and "for" in ws[i + 1 : after[0][0]]:
            first, second = second, ()  # "a triumph for X": X won; the other is unsaid
        pairs.append((first, second) if ws[i] in win else (second, first))
    return pairs


def _reversed_result(claim: str, sentence: str, known: frozenset[str]) -> str | None:
    """ "A beat B" where the source has B beating A (or A losing to B)."""
    for winner, loser in _winner_loser(claim, known):
        if not winner or not loser:
            continue
        for w, lo in _winner_loser(sentence, known):
            if set(w) & set(loser) or set(lo) & set(winner):
                a, b = (" ".join(x).title() for x in (winner, loser))
                return f"has {a} beating {b}; the source has it the other way"
    return None


def _named_in(name: str, low_text: str) -> bool:
    """Is ``name`` in ``low_text``, or a form of it ("Californian" for "California",
    "Indian" for "India", "Swedish" for "Sweden", "French" for "France")?"""
    if name in low_text:
        return True
    if rules.name_form(name, low_text):
        return True  # "Swedish" for "Sweden", "French" for "France"
    return len(name) >= 6 and re.search(rf"\b{re.escape(name[:-2])}", low_text) is not None


_PRONOUN = re.compile(r"\s*(he|she|they|his|her|their)\b", re.I)


def _other_antecedent(
    claim_names: Sequence[str], sentence: str, window: str, known: frozenset[str]
) -> str | None:
    """A sentence that opens with "He" or "She" speaks of someone named before it: a claim
    that gives it a name the source only brings in after it ("Brus is a chemist at MIT" for
    "One of them is Bawendi. He's a chemist at MIT. The second is Brus.") misreads who."""
    m = _PRONOUN.match(sentence)
    at = window.find(sentence)
    if m is None or at < 0:
        return None
    low = sentence.lower()
    before, after = window[:at], window[at + len(sentence) :].lower()
    low_before = before.lower()
    later = [n for n in claim_names if n not in low and n not in low_before and n in after]
    earlier = [n for n in rules.names(before, known) if n not in claim_names]
    if later and earlier:
        who, pronoun = " ".join(later).title(), m.group(1)
        return f"names {who} where the source's “{pronoun}” is {earlier[-1].title()}"
    return None


def compare(
    claim: str, sentence: str, window: str, known: frozenset[str] = frozenset(), before: str = ""
) -> Finding | None:
    """How ``claim`` departs from ``sentence`` (a source sentence; ``window`` is it with its
    neighbours and its document's title, source and author; ``before`` the passage's sentences
    up to it), or None when no rule objects."""
    low_window = window.lower()
    claim_names = rules.names(claim, known)
    missing = [n for n in claim_names if not _named_in(n, low_window)]
    if missing:
        spelled = (
            rules.acronymed(claim, window)
            | rules.unsaid_name_parts(claim, window, known)
            | rules.aliased(missing, window)
        )
        missing = [n for n in missing if n not in spelled]
    if missing:
        others = [n for n in rules.names(sentence, known) if n not in claim_names]
        who = ", ".join(m.title() for m in missing)
        if others:
            return Finding(
                "contradicts",
                "name",
                f"names {who} where the source names {', '.join(o.title() for o in others[:3])}",
            )
        return Finding("missing", "name", f"the source does not name {who}")
    if reason := _other_antecedent(claim_names, sentence, window, known):
        return Finding("contradicts", "name", reason)
    win_numbers = rules.numbers(window)
    sent_numbers = rules.numbers(sentence)
    claim_numbers = rules.numbers(claim)
    ranked = {float(r.rank) for r in claimfigures.ranks(claim, sentence)}
    for n in claim_numbers:
        if n.unit == "part":
            continue  # read with the figure it is part of ("two" of "two in three")
        if rules.given(n, sent_numbers, claim_numbers):
            continue
        if n.unit in ("ratio", "whole"):
            parts = [p for p in claim_numbers if p.unit == "part" and p.surface in n.surface]
            if parts and all(rules.given(p, win_numbers, claim_numbers) for p in parts):
                continue  # "3 in 5 seasons" where the source has "three titles in five seasons"
        if n.kind == "ordinal" and n.value in ranked:
            continue  # "came second": the order of the source's figures tells (see wrong_rank)
        # The sentence the claim is about gives another figure of the same kind: that one
        # counts, even when a neighbouring sentence happens to hold the claim's figure.
        rivals = [
            m
            for m in sent_numbers
            if (m.kind == n.kind or ({m.kind, n.kind} <= {"count", "money"} and m.value >= 1000))
            and not any(rules._close(m.value, c.value) for c in claim_numbers)
        ]
        if rules.given(n, win_numbers, claim_numbers) and (
            not rivals or about(claim, sentence) < 0.6
        ):
            continue
        rule = "date" if n.kind == "year" else "number"
        if rivals:
            return Finding(
                "contradicts", rule, f"says {n.surface}; the source says {rivals[0].surface}"
            )
        if n.surface.lower() in ("one", "once"):
            continue  # "one new offering", "once bids topped": an article or a time, no count
        return Finding("missing", rule, f"the source does not give {n.surface}")
    if reason := claimunits.points_for_percent(claim, claim_numbers, sentence, sent_numbers):
        return Finding("contradicts", "unit", reason)
    for n in claim_numbers:
        sums = [m for m in sent_numbers if m.kind == "money" and rules._close(n.value, m.value)]
        if n.unit and sums and all(m.unit and m.unit != n.unit for m in sums):
            return Finding(
                "contradicts", "unit", f"says {n.surface}; the source says {sums[0].surface}"
            )
    claim_dates, win_dates = rules.dates(claim), rules.dates(window)
    for d in sorted(claim_dates - win_dates):
        others = sorted(rules.dates(sentence) - claim_dates)
        if others:
            return Finding(
                "contradicts", "date", f"says {d.title()}; the source says {others[0].title()}"
            )
        return Finding("missing", "date", f"the source does not say {d.title()}")
    if reason := rules.misbound(claim, sentence) or claimfigures.crossed_figure(claim, sentence):
        return Finding("contradicts", "number", reason)
    if reason := claimunits.wrong_measure(claim, sentence):
        return Finding("contradicts", "unit", reason)
    if reason := claimfigures.wrong_rank(claim, sentence):
        return Finding("contradicts", "comparison", reason)
    low_sentence = sentence.lower()
    present = {n for n in claim_names if n in low_sentence}
    if reason := _swap(claim, sentence, present) or _reversed_result(claim, sentence, known):
        return Finding("contradicts", "swap", reason)
    if reason := (
        rules.role_swap(claim, sentence, known)
        or claimroles.swapped_speaker(claim, sentence, known)
        or claimroles.swapped_subject(claim, sentence, known)
        or claimroles.other_agent(claim, sentence, known)
        or claimroles.swapped_relation(claim, sentence, known)
        or claimroles.other_holder(claim, sentence, known)
    ):
        return Finding("contradicts", "swap", reason)
    if reason := rules.misplaced_name(claim, sentence, known):
        return Finding("contradicts", "name", reason)
    if reason := claimroles.wrong_speaker(claim, sentence, before, known):
        return Finding("contradicts", "attribution", reason)
    shared = rules.content(claim) & rules.content(sentence)
    # "unless" and "lack" are read as negations only to match a negation on the other side
    # ("lack" / "do not have"), never to make one: "needs" against "lacks" is another matter.
    mine, theirs = _polarity(claim, shared), _polarity(sentence, shared)
    if mine != theirs and _polarity(claim, shared, lexical=False) != _polarity(
        sentence, shared, lexical=False
    ):
        said = "denies" if mine else "affirms"
        return Finding("contradicts", "negation", f"{said} what the source says")
    if reason := rules.reversal(claim, sentence):
        return Finding("contradicts", "direction", reason)
    if reason := rules.wrong_comparison(claim, sentence):
        return Finding("contradicts", "comparison", reason)
    if reason := rules.overstated_quantity(claim, sentence) or rules.wrong_ratio(claim, sentence):
        return Finding("contradicts", "quantifier", reason)
    if reason := rules.overstated_certainty(claim, sentence, shared):
        return Finding("contradicts", "modality", reason)
    if reason := rules.understated_certainty(claim, sentence, shared):
        return Finding("contradicts", "modality", reason)
    if reason := rules.wrong_tense(claim, sentence):
        return Finding("contradicts", "tense", reason)
    return None


def _conflict_words(claim: str, window: str) -> set[str]:
    """Stems of the claim's words that a rule reads (names the source lacks, antonyms), left
    out when measuring whether the claim is about a sentence."""
    low = window.lower()
    out = {rules.stem(n) for n in rules.names(claim) if n not in low}
    ws = set(rules.words(claim))
    for _, a, b in rules._AXES:
        out |= {rules.stem(w) for w in ws & (a | b)}
    return out


def about(claim: str, sentence: str) -> float:
    """Share of the claim's words (other than those a rule reads) found in ``sentence``."""
    mine = rules.content(claim) - _conflict_words(claim, sentence)
    if not mine:
        return 0.0
    return len(mine & rules.content(sentence)) / len(mine)


def contradiction(claim: str, evidence: str, threshold: float = 0.5) -> str | None:
    """Why ``evidence`` (a passage: one or more sentences) contradicts ``claim``, or None.

    The rules of the checker without embeddings, for telling which sources disagree: a
    sentence of ``evidence`` must be about the claim (``threshold`` of its other words) and
    say the opposite, another number, date or name, or less certainty."""
    spans = sentence_spans(evidence) or [(0, len(evidence))]
    known = frozenset(rules.names(evidence))
    best: tuple[float, str] | None = None
    for s, e in spans:
        sentence = evidence[s:e]
        share = about(claim, sentence)
        if share < threshold:
            continue
        finding = compare(claim, sentence, sentence, known)
        if (
            finding is not None
            and finding.kind == "contradicts"
            and (best is None or share > best[0])
        ):
            best = (share, finding.reason)
    return best[1] if best else None


# --- the checker -----------------------------------------------------------------------------


class Checker:
    """Checks claims against a fixed set of passages (their sentences embedded once)."""

    def __init__(
        self,
        passages: Sequence[Passage],
        embedder: Embedder,
        thresholds: Thresholds | None = None,
        opinion: SecondOpinion | None = None,
    ) -> None:
        self.passages = list(passages)
        self.embedder = embedder
        self.t = thresholds or Thresholds()
        self.opinion = opinion
        self.units: list[Unit] = []
        self.instructions: list[str] = []
        for i, p in enumerate(self.passages):
            for s, e in _joined(p.text, sentence_spans(p.text)):
                text = p.text[s:e]
                if is_instruction(text):
                    self.instructions.append(text)
                    continue  # instructions planted for models support nothing
                self.units.append(Unit(i, p.start + s, p.start + e, text))
        self.meta = [
            " ".join(x for x in (p.title, p.source, p.author) if x and x != "None")
            for p in self.passages
        ]
        self.sources_text = " ".join(p.text for p in self.passages).lower()
        self.known = (
            frozenset(n for u in self.units for n in rules.names(u.text) if n)
            | frozenset(n for m in self.meta for n in rules.names(m))
            | rules.opening_names([p.text for p in self.passages])
        )
        self.windows: list[str] = []
        self.window_stems: list[set[str]] = []
        for k, u in enumerate(self.units):
            near = [
                self.units[v].text
                for v in (k - 1, k, k + 1)
                if 0 <= v < len(self.units) and self.units[v].passage == u.passage
            ]
            window = f"{self.meta[u.passage]} {' '.join(near)}"
            self.windows.append(window)
            self.window_stems.append(rules.content(window))
        self.unit_stems = [rules.content(u.text) for u in self.units]
        self.unit_figures = [{n.value for n in rules.numbers(u.text)} for u in self.units]
        self._vectors: dict[str, np.ndarray] = {}
        self._lexical: dict[str, _Lexical] = {}

    def _embed(self, texts: Sequence[str]) -> None:
        """Embeds the ``texts`` not embedded yet, in one batch (a sentence is embedded once per
        checker, however many claims are checked against it)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            self._vectors.update(zip(todo, self.embedder.embed(todo), strict=True))

    def _lexical_of(self, text: str) -> _Lexical:
        """How the claim sentence ``text`` shares words with each passage sentence, and which
        sentences are worth embedding: the :attr:`Thresholds.embed_pool` that share most of
        its words or figures. The model runs on those and the claim only, not on every
        sentence of every passage: embedding is nearly all of a check's time, and a sentence
        that shares no word with the claim can neither support it (support needs shared
        words) nor be about it."""
        if text in self._lexical:
            return self._lexical[text]
        stems = rules.content(text)
        size = max(len(stems), 1)
        overlap = np.array([len(stems & w) / size for w in self.window_stems])
        own = np.array([len(stems & w) / size for w in self.unit_stems])
        figures = {n.value for n in rules.numbers(text)}
        tie = np.array([bool(figures & f) for f in self.unit_figures], dtype=float)
        score = overlap + own + 0.5 * tie
        ranked = [int(k) for k in np.argsort(-score, kind="stable") if score[k] > 0]
        pool = ranked[: self.t.embed_pool] or list(range(len(self.units)))
        lex = self._lexical[text] = _Lexical(stems, overlap, own, tuple(pool))
        return lex

    def _cosines(self, text: str, pool: Sequence[int]) -> np.ndarray:
        """Cosine of ``text`` to each passage sentence of ``pool``; -1 for the others."""
        self._embed([text] + [self.units[k].text for k in pool])
        cosine = np.full(len(self.units), -1.0)
        if pool:
            matrix = np.stack([self._vectors[self.units[k].text] for k in pool])
            cosine[list(pool)] = matrix @ self._vectors[text]
        return cosine

    # -- one sentence --
    def check_sentence(self, text: str) -> SentenceCheck:
        """The verdict on one sentence, with the quotes (0-based passages in ``quotes``'
        ``citation`` until :meth:`check` numbers them)."""
        if phrase := rules.about_the_prompt(text, self.sources_text):
            return SentenceCheck(
                text,
                "not_found",
                f"talks about the passages, not the world (“{phrase}”)",
                rule="prompt",
            )
        if len(rules.content(text)) < 2 or not self.units:
            return SentenceCheck(text, "not_found", "says nothing the sources could support")
        lex = self._lexical_of(text)
        overlap, own = lex.overlap, lex.own
        cosine = self._cosines(text, lex.pool)
        pool = np.array(lex.pool)
        order = pool[np.argsort(-(0.5 * cosine[pool] + 0.5 * overlap[pool]), kind="stable")]
        order = order[: self.t.candidates]
        supports: list[tuple[float, int]] = []
        contradicts: list[tuple[float, int, Finding]] = []
        missing: list[Finding] = []
        qualifier = ""
        shares: dict[int, float] = {}
        figures = rules.numbers(text)
        anchored = bool(figures or rules.names(text, self.known))
        for k in (int(x) for x in order):
            unit = self.units[k]
            finding = compare(text, unit.text, self.windows[k], self.known, self._before(k))
            # A sentence contradicts the claim only when the claim is about it: most of the
            # claim's other words are in that very sentence, or their embeddings are close.
            share = shares[k] = about(text, unit.text)
            aligned = share >= self.t.align_overlap or cosine[k] >= self.t.align_cosine
            if finding is not None:
                if finding.rule == "name" and self._named_elsewhere(text, unit.passage):
                    finding = Finding(
                        "missing", "stitched", "joins what different passages say; none says it all"
                    )
                if finding.rule == "name" and finding.kind == "contradicts" and share < 0.6:
                    # another name in a sentence only loosely about the claim: not a swap
                    finding = Finding("missing", "name", finding.reason.split(" where ")[0])
                if finding.kind == "contradicts" and aligned:
                    contradicts.append((float(cosine[k]) + share, k, finding))
                elif finding.kind == "missing" and (aligned or finding.rule == "stitched"):
                    missing.append(finding)
                continue
            # Most of its words in the sentence's neighbourhood, and a close embedding or, for
            # a short paraphrase of a long sentence (a low cosine), names or figures the rules
            # found there; or a very close embedding with fewer shared words.
            close = (
                overlap[k] >= self.t.support_overlap
                and (cosine[k] >= self.t.support_cosine or anchored)
            ) or (cosine[k] >= self.t.paraphrase_cosine and overlap[k] >= self.t.paraphrase_overlap)
            close = close or (
                anchored
                and cosine[k] >= self.t.anchored_cosine
                and overlap[k] >= self.t.anchored_overlap
            )
            close = close and own[k] >= self.t.quote_overlap
            # A paraphrase close to the sentence itself whose words its neighbourhood holds
            # ("topped out in June, slipped by January, climbed back to a record in July")
            close = close or (
                cosine[k] >= self.t.paraphrase_cosine and overlap[k] >= self.t.support_overlap
            )
            # A paraphrase in other words whose every figure that very sentence gives
            # ("upwards of 240,000 positions" for "more than 240,000 jobs lost")
            close = close or (
                bool(figures)
                and cosine[k] >= self.t.figured_cosine
                and own[k] >= self.t.figured_overlap
                and all(
                    any(rules._close(n.value, m.value) for m in rules.numbers(unit.text))
                    for n in figures
                )
            )
            if not close:
                continue
            if added := rules.added_qualifier(text, self.windows[k]):
                qualifier = qualifier or added
                continue
            supports.append((float(cosine[k]) + float(own[k]), k))
        # A sentence next to one that contradicts the claim does not support it by borrowing
        # that sentence's words.
        against = [(self.units[k].passage, k, shares[k]) for _, k, _ in contradicts]
        supports = [
            (score, k)
            for score, k in supports
            if not any(
                p == self.units[k].passage and abs(j - k) <= 1 and share >= own[k]
                for p, j, share in against
            )
        ]
        contradicts.sort(key=lambda c: -c[0])
        if contradicts and (not supports or contradicts[0][0] >= max(s for s, _ in supports)):
            _, k, finding = contradicts[0]
            return SentenceCheck(
                text,
                "contradicted",
                finding.reason,
                (self._quote(k, "contradicts"),),
                rule=finding.rule,
            )
        if supports:
            supports.sort(key=lambda s: -s[0])
            passages = tuple(dict.fromkeys(self.units[k].passage for _, k in supports))
            if self._cause_unstated(text, [k for _, k in supports]):
                return SentenceCheck(
                    text,
                    "not_found",
                    "gives a cause no sentence gives: its sides are in different sentences",
                    rule="stitched",
                    best_unit=supports[0][1],
                )
            if clause := self._unsupported_clause(text, [k for _, k in supports]):
                return SentenceCheck(
                    text,
                    "not_found",
                    f"adds “{clause}”, which no passage says",
                    rule="clause",
                    best_unit=supports[0][1],
                )
            first: dict[int, int] = {}
            for _, k in supports:
                first.setdefault(self.units[k].passage, k)
            quotes = tuple(self._quote(first[p], "supports") for p in passages)
            return SentenceCheck(
                text, "supported", "the quoted sentence says it", quotes, supporting=passages
            )
        best = int(order[0])
        if missing:
            return SentenceCheck(
                text, "not_found", missing[0].reason, rule=missing[0].rule, best_unit=best
            )
        if qualifier:
            return SentenceCheck(text, "not_found", qualifier, rule="qualifier", best_unit=best)
        return SentenceCheck(text, "not_found", "no passage says it", best_unit=best)

    def _unsupported_clause(self, text: str, supporting: Sequence[int]) -> str | None:
        """A clause of ``text`` after its first ("…, and that X", "…; X", "…, which X") that
        the ``supporting`` sentences and their neighbours do not say: few of its words are there
        and no sentence or clause of theirs is close to it (not the whole passage: an article
        holds most words of any invented clause about its subject). A sentence passes on most
        of its words, so an invented clause tacked onto a quoted one would pass with it."""
        clauses = rules.added_clauses(text)
        if not clauses:
            return None
        units = sorted(
            {
                v
                for k in supporting
                for v in (k - 1, k, k + 1)
                if 0 <= v < len(self.units) and self.units[v].passage == self.units[k].passage
            }
        )
        # a sentence's window is its title line and its neighbours: the same words
        stems = set().union(*(self.window_stems[k] for k in supporting))
        figures = set().union(*(self.unit_figures[k] for k in units))
        # "second" where the order of a supporting sentence's figures puts it second
        ranked = {
            o for k in supporting for o in claimfigures.confirmed_ordinals(text, self.units[k].text)
        }
        for clause in clauses:
            found = rules.numbers(clause)
            ordinals = [n for n in found if n.kind == "ordinal" and n.value in ranked]
            mine = rules.content(clause) - {rules._term(n.surface.lower()) for n in ordinals}
            values = {n.value for n in found if n not in ordinals}
            size = len(mine) + len(values)
            if len(mine) < 2:
                continue
            have = len(mine & stems) + sum(any(rules._close(v, f) for f in figures) for v in values)
            share = have / size
            if share >= self.t.clause_overlap:
                continue
            # its sentences and their clauses: a clause is compared with clauses, not with
            # a long sentence that says it among other things
            near = [self.units[k].text for k in units[:8]]
            near += [p for u in near for p in rules.pieces(u) if len(rules.content(p)) >= 3]
            near = list(dict.fromkeys(near))[:24]
            self._embed([clause, *near])
            best = max(float(self._vectors[u] @ self._vectors[clause]) for u in near)
            if share + best < self.t.clause_support:
                return clause.strip(" ,;.")
        return None

    def _cause_unstated(self, text: str, supporting: Sequence[int]) -> bool:
        """Does ``text`` state a cause ("X because of Y") whose two sides are said in
        different sentences, no supporting sentence holding both? Two true sentences do not
        make the cause between them."""
        if (parts := claimcause.causal_parts(text)) is None:
            return False
        sides = [rules.content(p) for p in parts]

        def share(side: set[str], k: int) -> float:
            return len(side & self.unit_stems[k]) / len(side)

        best = []
        for side in sides:
            top = max(share(side, k) for k in range(len(self.units)))
            best.append({k for k in range(len(self.units)) if share(side, k) == top})
        if best[0] & best[1]:
            return False
        wanted = self.t.cause_overlap
        return not any(all(share(side, k) >= wanted for side in sides) for k in supporting)

    def _before(self, k: int) -> str:
        """The two sentences of its passage before unit ``k`` (where a pronoun finds its
        antecedent)."""
        p = self.units[k].passage
        return " ".join(
            self.units[v].text for v in (k - 2, k - 1) if v >= 0 and self.units[v].passage == p
        )

    def _named_elsewhere(self, text: str, passage: int) -> bool:
        """Does a name of ``text`` that passage ``passage`` lacks occur in another passage?"""
        own = " ".join(u.text for u in self.units if u.passage == passage).lower()
        own += " " + self.meta[passage].lower()
        missing = [n for n in rules.names(text, self.known) if n not in own]
        others = [
            " ".join(u.text for u in self.units if u.passage == i).lower() + " " + m.lower()
            for i, m in enumerate(self.meta)
            if i != passage
        ]
        return bool(missing) and all(any(n in o for o in others) for n in missing)

    def _quote(self, k: int, stance: Stance) -> CheckedQuote:
        u = self.units[k]
        return CheckedQuote(u.text, u.start, u.end, u.passage, stance)

    # -- a claim --
    def check(self, claim: str) -> ClaimCheck:
        """Checks ``claim`` sentence by sentence; quotes are numbered by citation."""
        spans = _joined(claim, sentence_spans(claim)) or [(0, len(claim))]
        sentences = [claim[s:e].strip() for s, e in spans if claim[s:e].strip()]
        if self.units:  # one forward pass for all the sentences and their candidates
            wanted = [s for s in sentences if len(rules.content(s)) >= 2]
            pools = [self.units[k].text for s in wanted for k in self._lexical_of(s).pool]
            self._embed(wanted + pools)
        checked = [self.check_sentence(s) for s in sentences]
        if self.opinion is not None:
            from assistant.nli import second_opinion

            checked = second_opinion(self, checked, self.opinion)
        return self._assemble(claim, checked)

    def _assemble(self, claim: str, checked: list[SentenceCheck]) -> ClaimCheck:
        numbering: dict[int, int] = {}
        quotes: list[CheckedQuote] = []
        final: list[SentenceCheck] = []
        for i, sc in enumerate(checked):
            mine = []
            for q in sc.quotes:
                n = numbering.setdefault(q.citation, len(numbering) + 1)
                mine.append(CheckedQuote(q.text, q.start, q.end, n, q.stance, i))
            quotes.extend(mine)
            final.append(
                SentenceCheck(
                    sc.text,
                    sc.verdict,
                    sc.reason,
                    tuple(mine),
                    sc.rule,
                    sc.supporting,
                    sc.opinion,
                    sc.best_unit,
                )
            )
        citations = []
        for index, n in numbering.items():
            p = self.passages[index]
            citations.append(
                Citation(
                    n,
                    p.text,
                    p.doc_id,
                    p.chunk_id,
                    p.title,
                    p.url,
                    p.source,
                    p.author,
                    p.published_at,
                    p.start,
                    p.end,
                    p.score,
                    tuple(Quote(q.text, q.start, q.end) for q in quotes if q.citation == n),
                    p.page,
                )
            )
        verdict, reason = _overall(final)
        return ClaimCheck(claim, verdict, reason, tuple(quotes), tuple(citations), tuple(final))


def _joined(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans with a fragment of fewer than two content words joined to the sentence
    before it: a split after an abbreviation ("Warner Bros. | Discovery.") or a short tag
    ("…,” | he said.") is no sentence of its own."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and len(rules.content(text[s:e])) < 2:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _overall(checked: list[SentenceCheck]) -> tuple[Verdict, str]:
    if not checked:
        return "not_found", "the claim is empty"
    several = len(checked) > 1

    def said(i: int, sc: SentenceCheck) -> str:
        return f"sentence {i + 1} {sc.reason}" if several else sc.reason

    for i, sc in enumerate(checked):
        if sc.verdict == "contradicted":
            return "contradicted", said(i, sc)
    for i, sc in enumerate(checked):
        if sc.verdict == "not_found":
            return "not_found", said(i, sc)
    return "supported", "the quoted sentences say it" if several else checked[0].reason


def text_passages(texts: Sequence[str | Passage]) -> list[Passage]:
    """Plain strings as passages (a user's own text: no title, offsets into the string)."""
    out = []
    for i, t in enumerate(texts):
        if isinstance(t, Passage):
            out.append(t)
        else:
            out.append(Passage(f"text-{i + 1}", f"text-{i + 1}", t, 0, len(t), f"Text {i + 1}"))
    return out
