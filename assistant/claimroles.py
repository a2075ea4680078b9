"""Rules that read who does what in a claim against the source sentence it is about.

Two swaps that no marker word ("against", "by") gives away, read from word order alone:

- the speaker and the person spoken of ("A wrote that B should go" where the source has B
  writing that A should go): the name before a verb of saying is its speaker, the names after
  it are what is said;
- the subject of a clause ("EU artists will collect royalties, while US artists get nothing"
  where the source has it the other way): the name that opens a clause does what the clause
  says, and the source's clause that says the same (most of its other words) opens with the
  other name.

Both fire only when each text names both parties, so a claim that names someone the source
does not is left to the name rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from assistant import claimrules as rules

_SAYING = rules._forms(
    "said says say wrote writes told tells claimed argued argues insisted insists stated "
    "suggested warned warns added adds noted notes believes thinks predicted predicts "
    "accused accuses urged urges"
)
_BETWEEN_SAYER = rules._forms(
    "has had have also later previously then once again recently publicly reportedly "
    "himself herself themselves itself"
)
_ROLES = rules._forms(
    "maker makers chief boss founder cofounder co-founder owner manager coach striker star "
    "president minister ceo head executive spokesperson spokesman spokeswoman leader captain "
    "rival parent giant firm company developer publisher singer actor actress rapper author "
    "director secretary chair chairman chairwoman analyst guard forward defender midfielder "
    "quarterback champion champions side team outlet newspaper group brand unit subsidiary "
    "label studio network club retailer carmaker automaker startup player players "
    "teammate rookie veteran winger goalkeeper pitcher senator governor mayor official "
    "officials regulator regulators lawmaker prosecutor prosecutors judge lawyer attorney "
    "striker frontman producer creator designer reporter columnist pundit"
)
"""Nouns by which news names one thing after another ("Fortnite maker Epic Games")."""
_OPENERS = frozenset(["the", "a", "an", "both", "all", "many", "most", "some"])


_SPLIT = re.compile(rules._CLAUSE.pattern + r"|:")
_PUNCT = re.compile(r"[^\s’'-]")


@lru_cache(maxsize=4096)
def _runs(text: str, known: frozenset[str]) -> tuple[tuple[str, ...], tuple[tuple[int, int], ...]]:
    """The words of ``text`` (as :func:`assistant.claimrules._runs` reads them) and its runs of
    name words, a run broken by punctuation ("the Daily Telegraph, Carragher said": two)."""
    ws, spans = rules._runs(text, known)
    at = [m.span() for m in rules._WORD.finditer(text)]
    out: list[tuple[int, int]] = []
    for a, b in spans:
        start = a
        for i in range(a + 1, b):
            if _PUNCT.search(text, at[i - 1][1], at[i][0]):
                out.append((start, i))
                start = i
        out.append((start, b))
    return ws, tuple(out)


def _shown(name: frozenset[str], text: str) -> str:
    """The words of ``name`` as ``text`` writes them, in its order."""
    found = [m.group(0) for m in rules._WORD.finditer(text) if m.group(0).lower() in name]
    return " ".join(dict.fromkeys(found)) or " ".join(sorted(name)).title()


def _name_at(ws: Sequence[str], spans: Sequence[tuple[int, int]], x: int) -> frozenset[str]:
    return next((frozenset(ws[a:b]) for a, b in spans if a == x), frozenset())


def _sayings(
    text: str, known: frozenset[str]
) -> list[tuple[frozenset[str], frozenset[str], set[str]]]:
    """(speaker, names in what is said, its other words) for each verb of saying with a named
    speaker: "B said A …" or "…, said B"."""
    ws, spans = _runs(text, known)
    out = []
    for i, w in enumerate(ws):
        if w not in _SAYING:
            continue
        before = [
            (a, b)
            for a, b in spans
            if b <= i and all(v in _BETWEEN_SAYER for v in ws[b:i]) and i - b <= 2
        ]
        if before:
            a, b = before[-1]
            speaker = frozenset(ws[a:b])
            said = frozenset(v for x, y in spans if x > i for v in ws[x:y])
            what = ws[i + 1 :]
        else:
            after = [(a, b) for a, b in spans if a == i + 1]
            if not after:
                continue
            a, b = after[0]
            speaker = frozenset(ws[a:b])
            said = frozenset(v for x, y in spans if y <= i for v in ws[x:y])
            what = ws[:i]
        if speaker and said - speaker:
            out.append((speaker, said - speaker, rules.content(" ".join(what)) - said))
    return out


def swapped_speaker(claim: str, evidence: str, known: frozenset[str] = frozenset()) -> str | None:
    """The claim has A saying something about B where the source has B saying it (most of
    its words) about A."""
    theirs = _sayings(evidence, known)
    for speaker, said, what in _sayings(claim, known):
        for other, spoken, words in theirs:
            if len(what & words) < 0.5 * len(what):
                continue  # each says something else
            if not speaker & other and speaker & spoken and other & said:
                a, b = _shown(speaker, claim), _shown(other, evidence)
                return f"has {a} saying it; in the source {b} says it, about {a}"
    return None


_PASSIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+\s+)?\w+(?:ed|en|t)\b.*\bby\b", re.I
)
"""A clause in the passive ("is being bought by X"): its opening name is done to, not doing."""


def _subject(clause: str, known: frozenset[str]) -> tuple[frozenset[str], set[str], set[str], bool]:
    """The name that opens ``clause`` (after "the", not after a preposition; the head of "X
    maker Y"), the clause's other content words, all its name words and whether it is in the
    passive."""
    ws, spans = _runs(clause, known)
    named = {v for a, b in spans for v in ws[a:b]}
    rest = rules.content(" ".join(w for w in ws if w not in named))
    passive = _PASSIVE.search(clause) is not None
    first = next((i for i, w in enumerate(ws) if w not in _OPENERS), len(ws))
    if first and ws[first - 1] in ("a", "an"):
        return frozenset(), rest, named, passive  # "a New York jury": the name tells which jury
    opening = [(a, b) for a, b in spans if a >= first]
    if not opening or opening[0][0] != first:
        return frozenset(), rest, named, passive
    a, b = opening[0]
    if len(opening) > 1 and 0 < opening[1][0] - b <= 2 and set(ws[b : opening[1][0]]) <= _ROLES:
        a, b = opening[1]  # "Fortnite maker Epic Games", "Rovers manager Ann Li": the latter
    return frozenset(ws[a:b]), rest, named, passive


def _next_word(clause: str, known: frozenset[str]) -> str:
    """The first content word after the name that opens ``clause`` (its verb or head noun)."""
    ws, spans = _runs(clause, known)
    named = {v for a, b in spans for v in ws[a:b]}
    first = next((i for i, w in enumerate(ws) if w in named), len(ws))
    rest = [w for w in ws[first:] if w not in named and w.isalpha() and w not in rules._STOP]
    return rules._term(rest[0]) if rest else ""


def swapped_subject(claim: str, evidence: str, known: frozenset[str] = frozenset()) -> str | None:
    """A clause of the claim opened by one name where the source's clause that says the same
    (at least two and most of its other words) is opened by another name the claim also
    gives, and names the claim's one in another place."""
    claim_names = set(rules.names(claim, known))
    evidence_names = set(rules.names(evidence, known))
    theirs = [_subject(p, known) for p in _SPLIT.split(evidence) if p.strip()]
    for part in _SPLIT.split(claim):
        if not part or not part.strip():
            continue
        mine, words, _, passive = _subject(part, known)
        if not mine or not mine <= evidence_names or len(words) < 2 or passive:
            continue
        if _next_word(part, known) not in rules.content(evidence):
            continue  # "X joined Y" against "Y signed X": another verb, read by other rules
        best = max(theirs, key=lambda t: len(t[1] & words), default=None)
        if best is None or len(best[1] & words) < max(2, 0.6 * len(words)) or best[3]:
            continue
        other = best[0]
        ties = [t for t in theirs if len(t[1] & words) == len(best[1] & words)]
        if not other or other <= mine or mine <= other or not other <= claim_names or len(ties) > 1:
            continue
        if mine <= best[2]:  # the source's clause has both: one doing it, one not
            a, b = _shown(mine, claim), _shown(other, evidence)
            return f"has {a} doing what the source says {b} does"
    return None


def _after_by(
    ws: Sequence[str], spans: Sequence[tuple[int, int]]
) -> list[tuple[set[str], frozenset[str], frozenset[str]]]:
    """For each "by" followed by a name: the content words just before it (what was done), the
    first name after it, and the name words of the phrase after it (up to six words: "by
    Yankees slugger Aaron Judge")."""
    out = []
    for i, w in enumerate(ws):
        if w != "by":
            continue
        named = [(a, b) for a, b in spans if i < a <= i + 3]
        if not named:
            continue
        first = frozenset(ws[named[0][0] : named[0][1]])
        phrase = frozenset(v for a, b in spans if i < a <= i + 6 for v in ws[a:b])
        done = rules.content(" ".join(ws[max(0, i - 4) : i]))
        out.append((done, first, phrase))
    return out


def other_agent(claim: str, evidence: str, known: frozenset[str] = frozenset()) -> str | None:
    """ "set by X" where the source's "set by" names only others: the agent of the same deed
    ("set last winter by Y") is another name."""
    cw, cspans = _runs(claim, known)
    ew, espans = _runs(evidence, known)
    theirs = _after_by(ew, espans)
    for done, first, _ in _after_by(cw, cspans):
        for did, _, agent in theirs:
            if done & did and not first & agent:
                return (
                    f"has it done by {_shown(first, claim)}; the source by "
                    f"{_shown(agent, evidence)}"
                )
    return None


_RELATIONS = frozenset(
    rules._term(w)
    for w in rules._forms(
        "report acquire buy purchase takeover sell sold succeed replace sue hire appoint sign pay "
        "paid owe lend "
        "invest fund sponsor accuse criticise criticize praise endorse defeat overtake "
        "interview arrest attack"
    )
)
"""Verbs (and their nouns: "acquisition") that one party does to another."""


def _parties(
    ws: Sequence[str], spans: Sequence[tuple[int, int]], i: int, reach: int
) -> tuple[frozenset[str], frozenset[str]]:
    """Who does the deed at word ``i`` (names before it) and to whom (names up to ``reach``
    words after it); "acquired by X" has X doing it."""
    before = frozenset(v for a, b in spans if b <= i for v in ws[a:b])
    after = [(a, b) for a, b in spans if i < a <= i + reach]
    if "by" in ws[i + 1 : i + 3]:
        by = ws.index("by", i + 1)
        agent = frozenset(v for a, b in after if a > by for v in ws[a:b])
        return agent, before
    return before, frozenset(v for a, b in after for v in ws[a:b])


def swapped_relation(claim: str, evidence: str, known: frozenset[str] = frozenset()) -> str | None:
    """ "A acquired B" where the source has B acquiring A (in either voice: "B's acquisition
    of A", "A was bought by B"): the claim's doer is among the source's done-to and not its
    doers, and the other way round."""
    cw, cspans = _runs(claim, known)
    ew, espans = _runs(evidence, known)
    terms = [rules._term(w) if w.isalpha() else "" for w in ew]
    for i, w in enumerate(cw):
        term = rules._term(w) if w.isalpha() else ""
        if term not in _RELATIONS:
            continue
        nearest = [(a, b) for a, b in cspans if b <= i][-1:]
        doer, done = _parties(cw, nearest + [s for s in cspans if s[0] > i], i, 5)
        if not doer or not done:
            continue
        for j, t in enumerate(terms):
            if t != term:
                continue
            doers, dones = _parties(ew, espans, j, 8)
            if doer <= dones and not doer & doers and done <= doers and not done & dones:
                return (
                    f"has {_shown(doer, claim)} “{w}” {_shown(done, claim)}; the source has it "
                    f"the other way round"
                )
    return None


_NAMING = rules._forms(
    "is was has had have been be being named appointed made became becomes become as remains "
    "remained the a an new"
)


def other_holder(claim: str, evidence: str, known: frozenset[str] = frozenset()) -> str | None:
    """ "X has been named interim CEO" where the source gives the title to another name the
    claim does not mention ("…interim CEO, Mira Murati") and names X elsewhere: the title (at
    least two of its words, with the one right before the name) belongs to someone else."""
    cw, cspans = _runs(claim, known)
    ew, espans = _runs(evidence, known)
    given = set(ew)
    titles = []
    for a, b in espans:
        words = [w for w in ew[max(0, a - 3) : a] if w.isalpha() and w not in rules._STOP]
        if words and a > 0 and ew[a - 1] == words[-1]:
            titles.append((frozenset(ew[a:b]), {rules._term(w) for w in words}, ew[a - 1]))
    for a, b in cspans:
        holder = frozenset(cw[a:b])
        if not holder <= given:
            continue
        after = [w for w in cw[b : b + 9] if w.isalpha()]
        said = {rules._term(w) for w in after if w not in _NAMING and w not in rules._STOP}
        if not after or after[0] not in _NAMING:
            continue
        for other, title, head in titles:
            if other & set(cw) or rules._term(head) not in said:
                continue  # the claim names the other too: not a title given away
            if len(title & said) >= 2:
                return (
                    f"gives {_shown(holder, claim)} the title the source gives "
                    f"{_shown(other, evidence)}"
                )
    return None


_SPEAKING = rules._forms(
    "said says say told tells wrote writes claimed claims argued argues insisted insists "
    "stated states warned warns added adds noted notes observed observes recalled recalls "
    "explained explains announced announces declared declares remarked remarks commented "
    "comments admitted admits acknowledged acknowledges conceded concedes asserted asserts "
    "predicted predicts posted posts tweeted tweets replied replies responded responds asked "
    "asks answered answers suggested suggests continued continues"
)
"""Verbs that report what someone said. Not :data:`_SAYING` widened: that list also holds
verbs of belief and blame ("thinks", "accused"), which name no speaker of a quote."""
_TITLE_WORDS = _ROLES | rules._forms("prime vice deputy co ceo cfo cto coo general")
_HE = frozenset(["he", "she", "they"])


def _speakers(text: str, known: frozenset[str]) -> tuple[list[frozenset[str]], bool]:
    """The named speakers of ``text``'s verbs of saying ("X said", "said X", "according to
    X"; of "Check Point CEO Gil Shwed", the name after the title), and whether a verb of
    saying has a pronoun for its speaker ("he observes")."""
    ws, spans = _runs(text, known)
    at = [m.span() for m in rules._WORD.finditer(text)]
    found: list[frozenset[str]] = []
    pronoun = False

    def person(a: int, b: int) -> frozenset[str]:
        run = ws[a:b]
        cut = max((i + 1 for i, w in enumerate(run) if w in _TITLE_WORDS), default=0)
        return frozenset(run[cut:] or run)

    for i, w in enumerate(ws):
        after_according = w == "to" and i > 0 and ws[i - 1] == "according"
        if w not in _SPEAKING and not after_according:
            continue
        # "X said", "X has also said"; not "Microsoft, which owns GitHub, said"
        before = [
            (a, b)
            for a, b in spans
            if b <= i
            and i - b <= 2
            and all(v in _BETWEEN_SAYER for v in ws[b:i])
            and "," not in text[at[b - 1][1] : at[i][0]]
        ]
        after = [(a, b) for a, b in spans if a == i + 1]
        # "…,” Amara Quist, the marina's manager, said": the name before an apposition that
        # a comma closes right before the verb (not "In Paris, the minister said")
        apposed = [
            (a, b)
            for a, b in spans
            if b < i
            and i - b <= 6
            and re.fullmatch(r"[^\s\w]*,[^,]+,\s*", text[at[b - 1][1] : at[i][0]])
        ]
        if before and not after_according:
            found.append(person(*before[-1]))
        elif apposed and not after_according:
            found.append(person(*apposed[-1]))
        elif after:
            found.append(person(*after[0]))
        elif (i > 0 and ws[i - 1] in _HE) or (i + 1 < len(ws) and ws[i + 1] in _HE):
            pronoun = True
    return found, pronoun


def wrong_speaker(
    claim: str, evidence: str, before: str, known: frozenset[str] = frozenset()
) -> str | None:
    """The claim has X say what the source sentence has someone else say: the sentence names
    its own speaker and not X, or its speaker is a pronoun ("he observes") that goes on from
    the last speaker the two sentences before it (``before``) name, and X is not named there.
    Most of the claim's other words must be in the sentence, so it is the same statement."""
    mine, _ = _speakers(claim, known)
    if not mine:
        return None
    theirs, pronoun = _speakers(evidence, known)
    named = bool(theirs)
    if not theirs and pronoun:
        theirs, _ = _speakers(before, known)
        theirs = theirs[-1:]  # "he" goes on from the last speaker named
    if not theirs:
        return None
    speaker_words = {w for s in mine for w in s}
    said = rules.content(claim) - {rules._term(w) for w in speaker_words}
    if not said or len(said & rules.content(evidence)) < 0.5 * len(said):
        return None
    # A sentence that names its speaker gives the words to that speaker, whoever else it
    # names ("O'Connell said it would be 'aggressive' for Jefferson" is not Jefferson's).
    present = {w for s in theirs for w in s}
    if not named:  # "he" may be anyone the sentence or the two before it name
        present |= set(rules.words(evidence)) | set(rules.words(before))
    for speaker in mine:
        initials = "".join(w[0] for w in sorted(speaker, key=claim.lower().find))
        if speaker & present or (len(speaker) > 1 and initials in present):
            continue
        other = _shown(theirs[0], f"{evidence} {before}")
        return f"has {_shown(speaker, claim)} saying it; the source has {other} say it"
    return None
