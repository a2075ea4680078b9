"""Spotting sources that disagree: two cited sentences that make opposing statements about the
question's own proposition.

One pairwise test, :func:`opposes`, decides whether sentence A and sentence B oppose each
other; :func:`find_disagreement` applies it to the sentences an answer cites. The test reads
each sentence as propositions (its clauses), each a set of word stems with a polarity:

* a negation ("not", "no", "never", "n't", "without", a denial verb, "kept ... from") flips the
  words after it to the end of its clause; "false", "untrue", "a myth" flip the words before;
* a clause that denies what the clause before it said ("— a claim officials denied") is read
  as that clause, negated, so one sentence can hold both sides.

The decision is the claim checker's (:func:`assistant.checker.contradiction`, both ways round,
on the clauses that hold a word of the question): one set of rules decides which statements
contradict, here and in the checker. Only its opposing rules count — negation, direction
("rose"/"fell"), names swapped, a comparison reversed — between two statements that are each
about the other; another figure, date or name is two reports on one subject, not a
disagreement. The clause reading above adds what the checker cannot see: a claim and its denial
in one sentence, and a negation standing right on the question's own word ("no such promise
was made" against "promised"), between propositions that share a predicate word of the
question (or, without a question, any content word) and whose named subjects are not two
different sets ("Finland joined" against "Sweden did not join" is no disagreement). Everything
is generic English grammar; no word list belongs to any one story, and a false alarm costs a
sentence, never a hidden claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import Stemmer

from assistant import claimrules as rules
from assistant.checker import about, compare, contradiction

_STEM = Stemmer.Stemmer("english")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z’']*|\d[\d,.]*|[,;:—–()\"“”]|\s-\s")
_NEGATION = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "nobody",
        "neither",
        "nor",
        "without",
        "cannot",
        "n't",
        "nowhere",
    ]
)
_DENIAL = re.compile(r"^(den(y|ied|ies|ying|ial)|refut\w*|disput\w*|contradict\w*)$")
# Rejection verbs negate a claim, not an event ("was rejected both times" is an event).
_REJECT = re.compile(r"^(reject\w*|dismiss\w*)$")
_CLAIM_NOUN = re.compile(
    r"^(claims?|ideas?|notion|suggestions?|accusations?|allegations?|charges?|reports?|"
    r"assertions?|accounts?|version|narrative|story|that)$"
)
_PREVENT = re.compile(r"^(kept|keep|keeps|keeping|stop\w*|prevent\w*|bar\w*|ban\w*|block\w*)$")
_POST_FALSE = re.compile(r"^(false|untrue|myth|baseless|unfounded|wrong)$")
_ANAPHOR = re.compile(
    r"^(a|an|the)?\s*(claims?|assertions?|accusations?|allegations?|charges?|version|account|"
    r"which|something|this|that)\b"
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "and",
        "or",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "that",
        "this",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "we",
        "our",
        "you",
        "i",
        "me",
        "my",
        "us",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "than",
        "then",
        "so",
        "such",
        "also",
        "only",
        "just",
        "about",
        "into",
        "over",
        "after",
        "before",
        "during",
        "while",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "how",
        "why",
        "if",
        "because",
        "since",
        "until",
        "out",
        "again",
        "ever",
        "still",
        "even",
        "very",
        "most",
        "other",
        "some",
        "any",
        "each",
        "all",
        "both",
        "said",
        "say",
        "says",
        "told",
        "tell",
        "tells",
        "according",
        "argued",
        "argues",
        "claimed",
        "claims",
        "stated",
        "states",
        "noted",
        "notes",
        "added",
        "adds",
        "wrote",
        "writes",
        "reported",
        "reports",
        "insisted",
        "insists",
        "maintained",
        "maintains",
        "believe",
        "believes",
        "described",
        "describes",
    ]
)
_REPORTING = re.compile(
    r"^(say|says|said|argu\w*|claim\w*|insist\w*|told|tell|tells|stat(ed|es)|maintain\w*|"
    r"assert\w*|contend\w*|wrote|writes|note[sd]?|according|believe[sd]?|accus\w*|alleg\w*)$"
)
_SCOPE_END = frozenset(["and", "or", "but", "while", "although", "whereas", '"', "“", "”"])
_CLAUSE_END = frozenset([",", ";", ":", "—", "–", "(", ")", " - ", "but"])


# The checker's rules whose finding is an opposite statement, not a different detail.
_OPPOSING = frozenset({"negation", "direction", "swap", "comparison"})
# Another figure, date or name ("threw for 310 yards" against "314 yards") is left out: two
# reports on one subject give different figures for different events far more often than
# they disagree, and the rules cannot tell the events apart.
_ABOUT = 0.5  # the checker's own share for "this sentence is about that claim"
_SHARED = 3  # words two statements share before they can be one proposition
_PIECE = re.compile(r",|;|:|—|–|\(|\)|\b(?:and|while|whereas|but|though|although)\b")


class Question(Protocol):
    """What the test needs of a question: its key terms (``QueryPlan`` has them)."""

    @property
    def terms(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Proposition:
    """One clause of a sentence: its content stems with their polarity (True = affirmed) and
    the names that appear in it, in order."""

    polarity: dict[str, bool]
    names: tuple[tuple[int, str], ...]  # the names that can be the subject (not speakers)
    order: dict[str, int]
    proper: frozenset[str] = frozenset()  # stems of every name, speakers included
    negated: frozenset[str] = frozenset()  # stems a negation stands right before
    denial: bool = False  # the clause before it, negated by a denial ("a claim ... denied")


@dataclass(frozen=True)
class Disagreement:
    """Two cited sentences (indices into the sentences tested) that oppose, and why."""

    first: int
    second: int
    reason: str


def stem(word: str) -> str:
    return str(_STEM.stemWord(word.lower().replace("’", "'").removesuffix("'s")))


def _clauses(sentence: str) -> list[list[str]]:
    clauses: list[list[str]] = [[]]
    for token in _TOKEN.findall(sentence.replace("n’t", " n't").replace("n't", " n't")):
        if token.strip() in _CLAUSE_END or token in _CLAUSE_END:
            if clauses[-1]:
                clauses.append([])
            continue
        clauses[-1].append(token)
    return [c for c in clauses if c]


def _read_clause(tokens: list[str]) -> Proposition:
    flips = [0] * len(tokens)
    near = [False] * len(tokens)  # a negation stands right before the word ("no such promise")
    lower = [t.lower().replace("’", "'") for t in tokens]
    for i, word in enumerate(lower):
        cue = word in _NEGATION or bool(_DENIAL.match(word))
        if _REJECT.match(word) and any(_CLAIM_NOUN.match(w) for w in lower[i + 1 : i + 5]):
            cue = True
        if word == "from" and any(_PREVENT.match(w) for w in lower[max(0, i - 4) : i]):
            cue = True
        whole = cue and word not in _NEGATION  # a denial denies the whole clause after it
        if cue:  # to the end of the clause, or of the conjunct
            for j in range(i + 1, len(tokens)):
                if lower[j] in _SCOPE_END:
                    break
                flips[j] += 1
                near[j] = near[j] or whole or j - i <= 4
        if _POST_FALSE.match(word):
            for j in range(i):
                flips[j] += 1
                near[j] = True
    polarity: dict[str, bool] = {}
    order: dict[str, int] = {}
    names: list[tuple[int, str]] = []
    close: set[str] = set()
    for i, (token, word) in enumerate(zip(tokens, lower, strict=True)):
        if word in _NEGATION or word in _STOP or len(word) < 3 or not word[0].isalpha():
            continue
        if token[0].isupper() and (i > 0 or word not in _STOP):
            names.append((i, word))
        s = stem(word)
        polarity.setdefault(s, flips[i] % 2 == 0)
        order.setdefault(s, i)
        if near[i]:
            close.add(s)
    # Names before a reporting verb are speakers ("NATO says ..."), not the subject.
    frame = max((i for i, w in enumerate(lower) if _REPORTING.match(w)), default=-1)
    subjects = tuple((i, n) for i, n in names if i > frame)
    return Proposition(
        polarity, subjects, order, frozenset(stem(n) for _, n in names), frozenset(close)
    )


def propositions(sentence: str) -> list[Proposition]:
    """The sentence's clauses as propositions; a clause that denies the one before it ("a
    claim officials have denied") adds that clause, negated."""
    out: list[Proposition] = []
    for tokens in _clauses(sentence):
        text = " ".join(tokens).lower()
        denial = any(_DENIAL.match(t.lower()) or _REJECT.match(t.lower()) for t in tokens)
        if out and denial and _ANAPHOR.match(text):
            before = out[-1]
            out.append(
                Proposition(
                    {s: not p for s, p in before.polarity.items()},
                    before.names,
                    before.order,
                    before.proper,
                    frozenset(before.polarity),
                    denial=True,
                )
            )
            continue
        out.append(_read_clause(tokens))
    return out


def _subject_clash(p: Proposition, q: Proposition, term: str) -> bool:
    """Both clauses name someone before the predicate, and never the same one."""
    before_p = {n for i, n in p.names if i < p.order.get(term, 10**6)}
    before_q = {n for i, n in q.names if i < q.order.get(term, 10**6)}
    return bool(before_p) and bool(before_q) and not (before_p & before_q)


def _names(p: Proposition) -> set[str]:
    return set(p.proper)


def _compare(p: Proposition, q: Proposition, focus: set[str] | None) -> str | None:
    shared = set(p.polarity) & set(q.polarity)
    if len(shared) < 2:
        return None
    predicates = shared - _names(p) - _names(q)
    common = set(predicates)
    if len(common) < 2:
        # One word in common besides names: it must be the question's own word, negated
        # right where it stands ("no such promise was made" against "promised").
        if focus is None:
            return None
        predicates = {t for t in predicates & focus if t in p.negated | q.negated}
    if focus is not None:
        predicates &= focus
    for term in sorted(predicates, key=lambda t: p.order[t]):
        # The negation must bear on the word itself ("not expand", "no such promise"), not
        # on a far part of its clause ("does not meet the standard below the outfall").
        negator = q if p.polarity[term] else p
        if term not in negator.negated:
            continue
        if p.polarity[term] != q.polarity[term] and not _subject_clash(p, q, term):
            said = "affirms" if p.polarity[term] else "denies"
            other = "denies" if p.polarity[term] else "affirms"
            return f"one {said} “{term}”, the other {other} it"
    return None


def _focus(question: Question | None) -> tuple[set[str] | None, set[str] | None]:
    """The question's key words as this module's stems and as the checker's (None without a
    question)."""
    if question is None:
        return None, None
    words = [w for t in question.terms for w in re.findall(r"[A-Za-z]+", t)]
    if not words:
        return None, None
    return {stem(w) for w in words}, rules.content(" ".join(words))


def _checker_clash(x: str, y: str, focus: set[str] | None) -> str | None:
    """The checker's verdict on ``x`` against ``y`` when it is an opposing statement about
    the proposition both state: each is about the other (the checker's own share of words),
    they share a word of the question, and one of the opposing rules finds the opposite."""
    share = min(about(x, y), about(y, x))
    shared = rules.content(x) & rules.content(y)
    if share < _ABOUT or len(shared) < _SHARED:
        return None
    if focus is not None and not shared & focus:
        return None
    reason = contradiction(x, y, _ABOUT)
    if reason is None:
        return None
    rule = _rule_of(x, y)
    return reason if rule in _OPPOSING else None


def _asks(sentence: str) -> bool:
    return sentence.rstrip(" \"'”’)").endswith("?")


def _pieces(sentence: str, focus: set[str] | None) -> list[str]:
    """What the checker compares: the whole sentence without a question; with one, each of
    its clauses that holds a word of the question, so a negation elsewhere in the sentence
    ("... and the bridge was not repainted") does not count against the question's clause."""
    if focus is None:
        return [sentence]
    parts = [p.strip() for p in _PIECE.split(sentence) if p and p.strip()]
    return [p for p in parts if rules.content(p) & focus]


def _rule_of(x: str, y: str) -> str | None:
    """Which of the checker's rules ``contradiction`` applied (its finding names it)."""
    finding = compare(x, y, y, frozenset(rules.names(y)))
    return finding.rule if finding is not None and finding.kind == "contradicts" else None


def opposes(a: str, b: str, question: Question | None = None) -> str | None:
    """Why sentences ``a`` and ``b`` make opposing statements about the question's
    proposition (or about a shared one, without a question), or None when they do not.
    ``a`` and ``b`` may be the same sentence: it can report a claim and its denial.

    The checker's rules decide (:func:`assistant.checker.contradiction`, both ways round);
    the clause reading of this module adds what the checker cannot see in one sentence: a
    claim and its denial, and a negation scoped to the question's own word ("no such
    promise", "kept NATO from expanding")."""
    if _asks(a) or _asks(b):
        return None  # a question asserts nothing ("Or is this Google behaving differently?")
    focus, checker_focus = _focus(question)
    if a is not b:
        for x in _pieces(a, checker_focus):
            for y in _pieces(b, checker_focus):
                for one, other in ((x, y), (y, x)):
                    if (reason := _checker_clash(one, other, checker_focus)) is not None:
                        return reason
    pa, pb = propositions(a), propositions(b)
    for i, p in enumerate(pa):
        for j, q in enumerate(pb):
            if a is b and (j <= i or not q.denial):
                continue  # one sentence opposes itself only by denying a claim it reports
            if (reason := _compare(p, q, focus)) is not None:
                return reason
    return None


def find_disagreement(
    sentences: list[str], question: Question | None = None
) -> Disagreement | None:
    """The first pair of sentences (or one sentence with itself) that oppose each other."""
    for i, a in enumerate(sentences):
        for j in range(i, len(sentences)):
            b = a if i == j else sentences[j]
            if (reason := opposes(a, b, question)) is not None:
                return Disagreement(i, j, reason)
    return None


def find_conflict(sentences: list[str], question: Question | None = None) -> bool:
    """True when two of the sentences (or one with itself) make opposing statements."""
    return find_disagreement(sentences, question) is not None
