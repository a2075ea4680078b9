"""Spotting sources that disagree: two cited sentences that make opposing statements about the
question's own proposition.

One pairwise test, :func:`opposes`, decides whether sentence A and sentence B oppose each
other; :func:`find_disagreement` applies it to the sentences an answer cites. The test reads
each sentence as propositions (its clauses), each a set of word stems with a polarity, and
finds a word of the question that one proposition affirms and the other denies:

* a negation flips the words after it to the end of its clause or conjunct ("or" continues
  it: "never signed or ratified"), but it *bears on* one word only, the one it negates: the
  first content word after "not", "never", "n't", "without" ("hasn't faced tall strikers"
  denies the facing, not the strikers; "not the most powerful" and "not only" deny no word);
  after "no", the noun phrase when the clause only says it did not exist ("no such promise
  was ever made"), else the verb after it ("no drug of its class has passed a trial" denies
  the passing). That word must be the opposed one, and a word of the question (not of a
  source it names);
* a denial verb ("denied that …", "rejected the claim that …") bears on the whole clause
  after it; "false", "untrue", "a myth" on the words before it back to "that"/"and"; a clause
  that denies the clause before it ("— a claim officials denied") is read as that clause,
  negated, so one sentence can hold both sides;
* what follows "if", "whether" or "unless" is not asserted, and a figure is never the opposed
  word (another figure is another report, not a denial);
* both propositions must say it of the same thing: the heads of their subjects (the
  nearest word before it, after the speaker: "the park café is not open" against "the park
  is open"; a passive's or an intransitive's subject is the other's object: "fares were
  not raised" against "the city raised fares", "the ward has not closed" against "the
  hospital closed its ward"), their objects ("closed to buses" against "closed to
  lorries") and the names before it, in its clause or the clauses before ("In May, Marlow pleaded
  not guilty" against "her deputy, Ines Carvalho, pleaded guilty" is two people);
* and about the same event: two sentences whose explicit dates (years, months) share none
  are about different times; two unattributed statements (no "says", "claims", ...) from
  different articles published on different days report different moments ("scored" in
  one match report, "did not score" in the next) unless one says "ever", "never" or
  "always".

The claim checker's contrary rules (:func:`assistant.checker.contradiction`: direction
"rose"/"fell", a comparison reversed, names swapped) add contrary statements, on clauses that
hold a word of the question and share two words, under the same time test; its negation rule
is left to the clause reading above, which scopes the negation. Everything is generic English
grammar; no word list belongs to any one story, and a false alarm costs a sentence, never a
hidden claim.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import Stemmer

from assistant import claimrules as rules
from assistant.checker import about, compare, contradiction
from vectorstore.question import CALENDAR

_STEM = Stemmer.Stemmer("english")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[A-Za-z][A-Za-z’']*|\d[\d,.]*|[,;:—–()\"“”&]|\s-\s")
_NUMBER_SIGN = re.compile(r"\bNo\.\s*(?=\d)")  # "No. 12 Rovers" ranks, it does not negate
# Negations that bear on the word after them ("not safe", "never approved", "without
# scoring"); "no" is read on its own (its noun phrase or the verb after it).
_NEGATION = _words("not no never none nothing nobody neither nor without cannot n't nowhere")
_DENIAL = re.compile(r"^(den(y|ied|ies|ying)|refut\w*|disput\w*|contradict\w*)$")
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
# What follows these is not asserted ("unclear if the plant will close", "asked whether").
_HYPOTHETICAL = frozenset(["if", "whether", "unless"])
# Auxiliaries: where the noun phrase after "no" ends and its verb begins.
_AUX = _words(
    "is are was were be been being has have had will would can could shall should may "
    "might must do does did"
)
# Words a negation passes over to reach the word it negates ("never even approved").
_PASS_OVER = _words("ever yet even always still also just again so such")
# A negation of a degree ("not the most powerful", "not only") does not deny the word.
_DEGREE = frozenset(["most", "more", "less", "least", "as", "too", "only"])
# Negations that open a noun phrase: its words are what the verb after it is said of.
_DETERMINER_NEGATION = frozenset(["no", "none", "nobody", "nothing", "neither"])
# Before a word that qualifies the noun after it ("a unanimous vote", "its illegal content").
_DETERMINER = frozenset(
    ["a", "an", "the", "its", "their", "his", "her", "our", "this", "these", "those"]
)
_BE = frozenset(["is", "are", "was", "were", "be", "been", "being"])
_UNIVERSAL = frozenset(["ever", "never", "always"])
_PREPOSITION = _words(
    "above across against along among around behind below beneath beside between beyond "
    "despite inside near onto outside past per through throughout toward towards under "
    "unlike upon via within"
)
_NUMBER_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
    "fifty hundred thousand million billion dozen first second third fourth fifth sixth "
    "seventh eighth ninth tenth"
)
# Past forms of common irregular verbs, so "paid" is read as "pay" ("Did they pay?").
_IRREGULAR = {
    form: base
    for pair in _words(
        "make:made pay:paid win:won lose:lost hold:held sell:sold buy:bought build:built "
        "give:gave,given take:took,taken meet:met bring:brought begin:began,begun "
        "break:broke,broken choose:chose,chosen fall:fell,fallen rise:rose,risen "
        "grow:grew,grown know:knew,known see:saw,seen spend:spent send:sent stand:stood "
        "strike:struck,stricken throw:threw,thrown write:wrote,written go:went,gone come:came "
        "become:became find:found lead:led fight:fought catch:caught seek:sought teach:taught "
        "withdraw:withdrew,withdrawn forbid:forbade,forbidden drive:drove,driven "
        "speak:spoke,spoken steal:stole,stolen shoot:shot sink:sank,sunk swim:swam,swum "
        "run:ran leave:left hide:hid,hidden spread:spread tell:told say:said think:thought "
        "feel:felt keep:kept rebuild:rebuilt shut:shut freeze:froze,frozen"
    )
    for base, forms in [pair.split(":")]
    for form in forms.split(",")
}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTH = re.compile(r"\b(" + "|".join(m for m in calendar.month_name if m) + r")\b")
_STOP = _words(
    "a an the of to in on at by for from with and or as is are was were be been being it "
    "its that this these those there their they them he she his her we our you i me my us "
    "has have had do does did will would shall should can could may might must than then "
    "so such also only just about into over after before during while when where which "
    "who whom whose what how why if because since until out again ever still even very "
    "most other some any each all both said say says told tell tells according argued "
    "argues claimed claims stated states noted notes added adds wrote writes reported "
    "reports insisted insists maintained maintains believe believes described describes"
)
_REPORTING = re.compile(
    r"^(say|says|said|argu\w*|claim\w*|insist\w*|told|tell|tells|stat(ed|es)|maintain\w*|"
    r"assert\w*|contend\w*|wrote|writes|note[sd]?|according|believe[sd]?|accus\w*|alleg\w*|"
    r"confirm\w*|announc\w*|report(s|ed)?|show(s|ed)?|found|finds?|conclud\w*|warn\w*)$"
)
# Where a proposition's subject starts: after its speaker, or after "that".
_RESET = frozenset(["that", "who", "which"])
_SCOPE_END = frozenset(["and", "but", "while", "although", "whereas", '"', "“", "”"])
_CLAUSE_END = frozenset([",", ";", ":", "—", "–", "(", ")", " - ", "but"])


# The checker's rules whose finding is a contrary statement, not a different detail. Its
# negation rule is not among them: the clause reading scopes a negation to the word it
# bears on, the checker's rule to anything within a few words.
_OPPOSING = frozenset({"direction", "swap", "comparison"})
# Another figure, date or name ("threw for 310 yards" against "314 yards") is left out: two
# reports on one subject give different figures for different events far more often than
# they disagree, and the rules cannot tell the events apart.
_ABOUT = 0.5  # the checker's own share for "this sentence is about that claim"
_SHARED = 2  # words (or a month or year) two statements share to be one proposition
_PIECE = re.compile(r",|;|:|—|–|\(|\)|\b(?:and|while|whereas|but|though|although)\b")


class Question(Protocol):
    """What the test needs of a question (``QueryPlan`` has it): its key terms, and its text
    without the sources and dates it names (``core``)."""

    @property
    def terms(self) -> tuple[str, ...]: ...

    @property
    def core(self) -> str: ...


@dataclass(frozen=True)
class Statement:
    """A cited sentence with where it comes from: its article (any stable id) and the
    article's publication date (ISO), which tell two reports of different moments apart."""

    text: str
    doc: str = ""
    published: str = ""


@dataclass(frozen=True)
class Role:
    """What a word of a clause is said of: the words before it and the nearest of them, its
    subject's head (or the noun it qualifies: "a unanimous vote"), up to two words after it
    (its object), the names before it (in its clause after the speaker, or in the clauses
    before), and whether "be" stands before it ("was approved", "is safe")."""

    before: frozenset[str]
    head: str
    after: frozenset[str]
    names: frozenset[str]
    passive: bool = False
    rest: frozenset[str] = frozenset()  # all the words after it in its conjunct


@dataclass(frozen=True)
class Proposition:
    """One clause of a sentence: its content stems with their polarity (True = affirmed), the
    stems a negation bears on, and, for each stem, what it is said of (its :class:`Role`)."""

    polarity: dict[str, bool]
    order: dict[str, int]
    proper: frozenset[str] = frozenset()  # stems of every name, speakers included
    negated: frozenset[str] = frozenset()  # stems a negation bears on
    denial: bool = False  # the clause before it, negated by a denial ("a claim ... denied")
    roles: dict[str, Role] = field(default_factory=dict)


@dataclass(frozen=True)
class Disagreement:
    """Two cited sentences (indices into the sentences tested) that oppose, and why."""

    first: int
    second: int
    reason: str


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    word = rules.possessive_base(word.lower()).replace("’", "'")
    return str(_STEM.stemWord(_IRREGULAR.get(word, word)))


def _tokens(sentence: str) -> list[str]:
    text = _NUMBER_SIGN.sub(" ", sentence).replace("n’t", " n't").replace("n't", " n't")
    return _TOKEN.findall(text)


def _clauses(sentence: str) -> list[list[str]]:
    clauses: list[list[str]] = [[]]
    for token in _tokens(sentence):
        if token.strip() in _CLAUSE_END or token in _CLAUSE_END:
            if clauses[-1]:
                clauses.append([])
            continue
        clauses[-1].append(token)
    return [c for c in clauses if c]


def _is_content(word: str) -> bool:
    return (
        len(word) >= 3
        and word[0].isalpha()
        and word not in _STOP
        and word not in _NEGATION
        and word not in _NUMBER_WORDS
        and word not in _PREPOSITION
    )


def _is_name(tokens: list[str], i: int, first: bool) -> bool:
    """A capitalised word that names someone or something: not a month or weekday, and not a
    common word that opens the sentence ("Council records show ..."), unless a capitalised
    word follows it or it is written in capitals ("NATO says")."""
    token, word = tokens[i], rules.possessive_base(tokens[i].lower()).replace("’", "'")
    if token[0].islower():
        return any(c.isupper() for c in token[1:])  # "eBay", "iPad"
    if word in _STOP or word in CALENDAR or len(word) < 2:
        return False
    if first and i == 0 and not token.isupper() and word in rules.common_words():
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        return following[:1].isupper()
    return True


def _bears_on(lower: list[str], names: set[int], cue: int) -> list[int]:
    """The positions a negation at ``cue`` bears on (see the module's docstring)."""
    end = next((j for j in range(cue + 1, len(lower)) if lower[j] in _SCOPE_END), len(lower))

    def first_content(start: int) -> list[int]:
        for j in range(start, end):
            w = lower[j]
            if w in _DEGREE:
                return []  # "not the most powerful", "not only": the degree is denied
            if j in names or w in _PASS_OVER or (w.endswith("ly") and len(w) > 4):
                continue
            if _is_content(w):
                following = lower[j + 1] if j + 1 < len(lower) else ""
                return [] if following in {"than", "as"} else [j]  # "no better than"
        return []

    if lower[cue] != "no":
        return first_content(cue + 1)
    aux = next((j for j in range(cue + 1, end) if lower[j] in _AUX), None)
    phrase = [j for j in range(cue + 1, aux if aux is not None else end) if _is_content(lower[j])]
    if aux is None:
        return phrase  # "with no binding agreement", "there was no promise"
    rest = [j for j in range(aux + 1, end) if _is_content(lower[j]) and lower[j] not in _PASS_OVER]
    # "no such promise was ever made": the clause says only that it did not exist.
    return phrase + rest if len(rest) <= 1 else rest[:1]


def _units(tokens: list[str], names: set[int]) -> dict[int, str]:
    """Each position's item: its stem, or, for a name, the whole run of capitalised words it
    is part of ("european+union"), so "European Union" and "European Commission" differ."""
    out: dict[int, str] = {}
    i = 0
    while i < len(tokens):
        if i not in names:
            out[i] = stem(tokens[i])
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and j + 1 in names:
            j += 1
        unit = "+".join(stem(t) for t in tokens[i : j + 1])
        for k in range(i, j + 1):
            out[k] = unit
        i = j + 1
    return out


def _negations(
    lower: list[str], names: set[int]
) -> tuple[list[int], list[int | None], list[bool], list[bool]]:
    """For each word of a clause: how many negations flip it, the last of them, whether a
    negation bears on it, and whether it is asserted (not after "if" or "whether")."""
    n = len(lower)
    flips = [0] * n
    cue_of: list[int | None] = [None] * n
    near = [False] * n
    asserted = [True] * n
    for i, word in enumerate(lower):
        if word in _HYPOTHETICAL:
            for j in range(i + 1, n):
                asserted[j] = False
        cue = word in _NEGATION or bool(_DENIAL.match(word))
        if _REJECT.match(word) and any(_CLAIM_NOUN.match(w) for w in lower[i + 1 : i + 5]):
            cue = True
        if word == "from" and any(_PREVENT.match(w) for w in lower[max(0, i - 4) : i]):
            cue = True
        if cue:  # to the end of the clause, or of the conjunct
            whole = word not in _NEGATION and word != "from"  # a denial denies all after it
            for j in range(i + 1, n):
                if lower[j] in _SCOPE_END:
                    break
                flips[j] += 1
                cue_of[j] = i
                near[j] = near[j] or whole
            if not whole:
                for j in _bears_on(lower, names, i):
                    near[j] = True
        if _POST_FALSE.match(word):  # "the claim ... was false": back to "that" or "and"
            for j in range(i - 1, -1, -1):
                if lower[j] in _SCOPE_END or lower[j] in _RESET:
                    break
                flips[j] += 1
                cue_of[j] = j
                near[j] = True
    return flips, cue_of, near, asserted


def _read_clause(
    tokens: list[str], names: set[int], unit: dict[int, str], lead: frozenset[str]
) -> Proposition:
    """One clause as a proposition. ``names``: the positions of its names, ``unit``: each
    position's item (:func:`_units`); ``lead``: the names of the clauses before it (after
    their speaker), what it may be said of."""
    n = len(tokens)
    lower = [t.lower().replace("’", "'") for t in tokens]
    flips, cue_of, near, asserted = _negations(lower, names)
    polarity: dict[str, bool] = {}
    order: dict[str, int] = {}
    close: set[str] = set()
    roles: dict[str, Role] = {}
    reset = -1  # the speaker, denial or "that" before the word: its subject starts after it
    speaker = False
    for i, word in enumerate(lower):
        if _REPORTING.match(word) or _DENIAL.match(word) or word in _RESET:
            reset, speaker = i, True
        if not _is_content(word) or not asserted[i]:
            continue
        s = stem(word)
        if s in polarity:
            continue
        polarity[s] = flips[i] % 2 == 0
        order[s] = i
        if near[i]:
            close.add(s)
        # What it is said of: the words before it (before its negation, when denied; after
        # "no" when it opens the clause: "no drug of its class has passed"), its head the
        # last of them, or the word it qualifies ("a unanimous vote" is said of the vote).
        neg = cue_of[i]
        stop = i
        if not polarity[s] and neg is not None and neg > reset:
            opening = not any(_is_content(lower[j]) for j in range(reset + 1, neg))
            stop = i if lower[neg] in _DETERMINER_NEGATION and opening else neg
        span = [
            j for j in range(reset + 1, stop) if j != neg and (j in names or _is_content(lower[j]))
        ]
        before = {unit[j] for j in span}
        head = unit[span[-1]] if span else ""
        attributive = i > 0 and lower[i - 1] in _DETERMINER
        if attributive and i + 1 < n and (i + 1 in names or _is_content(lower[i + 1])):
            head = unit[i + 1]
            before.add(head)
        after: list[str] = []  # what it is done to ("raised bus fares"), the first two
        for j in range(i + 1, n):
            w = lower[j]
            if w in _SCOPE_END or w in _RESET or w in _AUX or w == "&":
                break
            if j in names or _is_content(w):
                after.append(unit[j])
        # After "be" ("was not cut", "is safe") its subject may be the object of an active
        # verb elsewhere ("the company cut jobs").
        passive = any(w in _BE for w in lower[max(reset + 1, i - 3) : i])
        who = {unit[j] for j in names if reset < j < stop}
        roles[s] = Role(
            frozenset(before),
            head,
            frozenset(after[:2]),
            frozenset(who if speaker else who | lead),
            passive,
            frozenset(after),
        )
    return Proposition(
        polarity,
        order,
        frozenset(stem(lower[i]) for i in names),
        frozenset(close),
        roles=roles,
    )


def _lead(
    tokens: list[str], names: set[int], unit: dict[int, str], before: frozenset[str]
) -> frozenset[str]:
    """The names a clause passes on to the next: its own after its speaker, or, without one,
    those it was passed as well."""
    lower = [t.lower() for t in tokens]
    speaker = max((i for i, w in enumerate(lower) if _REPORTING.match(w)), default=-1)
    own = {unit[i] for i in names if i > speaker}
    return frozenset(own) if speaker >= 0 else before | own


@lru_cache(maxsize=4096)
def propositions(sentence: str) -> tuple[Proposition, ...]:
    """The sentence's clauses as propositions; a clause that denies the one before it ("a
    claim officials have denied") adds that clause, negated. (Cached: an answer tests each
    sentence against every other.)"""
    out: list[Proposition] = []
    lead: frozenset[str] = frozenset()
    for k, tokens in enumerate(_clauses(sentence)):
        text = " ".join(tokens).lower()
        denial = any(_DENIAL.match(t.lower()) or _REJECT.match(t.lower()) for t in tokens)
        if out and denial and _ANAPHOR.match(text):
            before = out[-1]
            out.append(
                Proposition(
                    {s: not p for s, p in before.polarity.items()},
                    before.order,
                    before.proper,
                    frozenset(before.polarity),
                    denial=True,
                    roles=before.roles,
                )
            )
            continue
        names = {i for i in range(len(tokens)) if _is_name(tokens, i, k == 0)}
        unit = _units(tokens, names)
        out.append(_read_clause(tokens, names, unit, lead))
        lead = _lead(tokens, names, unit, lead)
    return tuple(out)


def _meet(x: frozenset[str], y: frozenset[str]) -> bool:
    """Something in common: the same word, or names one of which holds the other ("river"
    and "Kestrel River", "Carvalho" and "Ines Carvalho")."""
    if x & y:
        return True
    xs = [set(a.split("+")) for a in x]
    ys = [set(b.split("+")) for b in y]
    return any(a <= b or b <= a for a in xs for b in ys)


def _apart(x: frozenset[str], y: frozenset[str]) -> bool:
    """Two sets of what a word is said of, both known and with nothing in common."""
    return bool(x) and bool(y) and not _meet(x, y)


def _other_subject(p: Role, q: Role) -> bool:
    """The word is said of different things: subjects with different heads ("the park café
    is not open" against "the park is open"), different objects ("not closed to buses"
    against "closed to lorries"), or different names before it ("Finland joined" against
    "Sweden did not join"). A passive's subject is the active's object ("fares were not
    raised" against "the city raised bus fares")."""
    if p.passive != q.passive:
        passive, active = (p, q) if p.passive else (q, p)
        if passive.head and _apart(frozenset([passive.head]), active.before | active.rest):
            return True
    else:
        if p.head and q.head and not _meet(frozenset([p.head]), frozenset([q.head])):
            # "The hospital closed its ward" against "the ward has not closed" is one event.
            crossed = _meet(frozenset([p.head]), q.rest) or _meet(frozenset([q.head]), p.rest)
            if not crossed:
                return True
        if _apart(p.after, q.after):
            return True
    return _apart(p.names, q.names)


def _compare(p: Proposition, q: Proposition, focus: set[str] | None) -> str | None:
    shared = set(p.polarity) & set(q.polarity)
    if len(shared) < 2:
        return None
    predicates = shared - p.proper - q.proper
    if len(predicates) < 2:
        # One word in common besides names: it must be the question's own word, negated
        # right where it stands ("no such promise was made" against "promised").
        if focus is None:
            return None
        predicates = {t for t in predicates & focus if t in p.negated | q.negated}
    if focus is not None:
        predicates &= focus
    for term in sorted(predicates, key=lambda t: p.order[t]):
        if p.polarity[term] == q.polarity[term]:
            continue
        # The negation must bear on the word itself ("not expand", "no such promise"), not
        # on a far part of its clause ("hasn't faced tall strikers": the facing is denied).
        negator = q if p.polarity[term] else p
        if term not in negator.negated:
            continue
        if term in p.roles and term in q.roles and _other_subject(p.roles[term], q.roles[term]):
            continue
        said = "affirms" if p.polarity[term] else "denies"
        other = "denies" if p.polarity[term] else "affirms"
        return f"one {said} “{term}”, the other {other} it"
    return None


def _focus(question: Question | None) -> tuple[set[str] | None, set[str] | None]:
    """The question's key words as this module's stems and as the checker's (None without a
    question)."""
    if question is None:
        return None, None
    # The sources a question names are where to look, not what it asks about.
    kept = {w.lower() for w in re.findall(r"[A-Za-z]+", question.core)}
    words = [w for t in question.terms for w in re.findall(r"[A-Za-z]+", t)]
    words = [w for w in words if w.lower() in kept] if kept else words
    if not words:
        return None, None
    return {stem(w) for w in words}, rules.content(" ".join(words))


def _checker_clash(x: str, y: str, focus: set[str] | None) -> str | None:
    """The checker's verdict on ``x`` against ``y`` when it is a contrary statement about
    the proposition both state: each is about the other (the checker's own share of words),
    they share a word of the question, and one of the contrary rules finds the opposite."""
    shared = (_content(x) & _content(y)) | (_when(x) & _when(y))
    if len(shared) < _SHARED or (focus is not None and not shared & focus):
        return None
    if min(about(x, y), about(y, x)) < _ABOUT:
        return None
    reason = contradiction(x, y, _ABOUT)
    if reason is None:
        return None
    rule = _rule_of(x, y)
    if rule not in _OPPOSING:
        return None
    said = _QUOTED.findall(reason)
    if any(_picks_member(text, word) for text in (x, y) for word in said):
        return None
    return reason


_QUOTED = re.compile(r"“([^”]+)”")
_SUPERLATIVE = re.compile(r"[a-z]{2,}est$|best$|worst$")
_NOT_SUPERLATIVE = frozenset(
    [
        "honest",
        "dishonest",
        "modest",
        "immodest",
        "earnest",
        "interest",
        "protest",
        "harvest",
        "request",
        "forest",
        "arrest",
        "contest",
        "digest",
        "invest",
        "suggest",
        "manifest",
    ]
)
# What may follow a superlative that is said of its subject ("is the cheapest in the league").
_AFTER_PREDICATIVE = frozenset(
    ["in", "of", "among", "on", "at", "for", "to", "than", "ever", "yet", "so", "by"]
)


def _picks_member(sentence: str, word: str) -> bool:
    """``word`` stands in ``sentence`` as an attributive superlative ("the cheapest season
    ticket", "the most expensive seats"): it picks one member of a set, so "the cheapest
    ticket is $867" and "the most expensive tickets" speak of different tickets, not of one
    thing in contrary words."""
    tokens = [t.lower() for t in _tokens(sentence)]
    first = word.lower().split()[0]
    for i, token in enumerate(tokens):
        if token != first:
            continue
        superlative = (bool(_SUPERLATIVE.match(token)) and token not in _NOT_SUPERLATIVE) or (
            i > 0 and tokens[i - 1] in ("most", "least")
        )
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if superlative and after.isalpha() and after not in _AFTER_PREDICATIVE:
            return True
    return False


def _asks(sentence: str) -> bool:
    return sentence.rstrip(" \"'”’)").endswith("?")


@lru_cache(maxsize=4096)
def _content(text: str) -> frozenset[str]:
    return frozenset(rules.content(text))


def _pieces(sentence: str, focus: set[str] | None) -> list[str]:
    """What the checker compares: the whole sentence without a question; with one, each of
    its clauses that holds a word of the question, so a negation elsewhere in the sentence
    ("... and the bridge was not repainted") does not count against the question's clause."""
    if focus is None:
        return [sentence]
    parts = [p.strip() for p in _PIECE.split(sentence) if p and p.strip()]
    return [p for p in parts if _content(p) & focus]


def _rule_of(x: str, y: str) -> str | None:
    """Which of the checker's rules ``contradiction`` applied (its finding names it)."""
    finding = compare(x, y, y, frozenset(rules.names(y)))
    return finding.rule if finding is not None and finding.kind == "contradicts" else None


@lru_cache(maxsize=4096)
def _when(sentence: str) -> frozenset[str]:
    """The years and months a sentence names."""
    return frozenset(_YEAR.findall(sentence)) | {m.lower() for m in _MONTH.findall(sentence)}


@lru_cache(maxsize=4096)
def _attributed(sentence: str) -> bool:
    return any(_REPORTING.match(t.lower()) for t in _tokens(sentence))


def _other_moment(a: Statement, b: Statement) -> bool:
    """The two sentences speak of different times: their explicit dates share none, or they
    are unattributed reports from different articles published on different days (a report
    of what happened, not a claim someone makes), neither of them about all time."""
    ta, tb = _when(a.text), _when(b.text)
    if ta and tb and not ta & tb:
        return True
    if not (a.doc and b.doc and a.published and b.published) or a.doc == b.doc:
        return False
    if a.published[:10] == b.published[:10]:
        return False
    if _attributed(a.text) or _attributed(b.text):
        return False
    return not (_timeless(a.text) or _timeless(b.text))


@lru_cache(maxsize=4096)
def _timeless(sentence: str) -> bool:
    """The sentence speaks of all time ("ever", "never", "always")."""
    return any(w.lower() in _UNIVERSAL for w in _tokens(sentence))


def opposes(a: str | Statement, b: str | Statement, question: Question | None = None) -> str | None:
    """Why sentences ``a`` and ``b`` make opposing statements about the question's
    proposition (or about a shared one, without a question), or None when they do not.
    ``a`` and ``b`` may be the same sentence: it can report a claim and its denial. Given as
    :class:`Statement`, their articles and dates also tell reports of different moments apart.

    The clause reading of this module decides negation (scoped to the word it bears on, about
    the same subject); the checker's contrary rules (:func:`assistant.checker.contradiction`,
    both ways round) add contrary words ("rose"/"fell", "more"/"fewer")."""
    return _opposes(a, b, *_focus(question))


def _opposes(
    a: str | Statement, b: str | Statement, focus: set[str] | None, checker_focus: set[str] | None
) -> str | None:
    """:func:`opposes` with the question's focus read already (once per answer, not per pair)."""
    sa = a if isinstance(a, Statement) else Statement(a)
    sb = b if isinstance(b, Statement) else Statement(b)
    # one sentence quoted twice (two overlapping chunks give it) is one sentence
    same = a is b or " ".join(sa.text.split()) == " ".join(sb.text.split())
    if _asks(sa.text) or _asks(sb.text):
        return None  # a question asserts nothing ("Or is this Google behaving differently?")
    if not same and _other_moment(sa, sb):
        return None
    if not same:
        for x in _pieces(sa.text, checker_focus):
            for y in _pieces(sb.text, checker_focus):
                for one, other in ((x, y), (y, x)):
                    if (reason := _checker_clash(one, other, checker_focus)) is not None:
                        return reason
    pa, pb = propositions(sa.text), propositions(sb.text)
    for i, p in enumerate(pa):
        for j, q in enumerate(pb):
            if same and (j <= i or not q.denial):
                continue  # one sentence opposes itself only by denying a claim it reports
            if (reason := _compare(p, q, focus)) is not None:
                return reason
    return None


def find_disagreement(
    sentences: Sequence[str | Statement], question: Question | None = None
) -> Disagreement | None:
    """The first pair of sentences (or one sentence with itself) that oppose each other."""
    focus, checker_focus = _focus(question)
    for i, a in enumerate(sentences):
        for j in range(i, len(sentences)):
            b = a if i == j else sentences[j]
            if (reason := _opposes(a, b, focus, checker_focus)) is not None:
                return Disagreement(i, j, reason)
    return None


def find_conflict(sentences: Sequence[str | Statement], question: Question | None = None) -> bool:
    """True when two of the sentences (or one with itself) make opposing statements."""
    return find_disagreement(sentences, question) is not None
