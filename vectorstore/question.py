"""Reading a question: what kind of answer it asks for, its key terms and the names it holds.

One reading serves retrieval and answering (:class:`~vectorstore.query.QueryPlan` carries it).
Requests count as questions: "Summarize what Putin said about NATO", "compare the views of A
and B", lowercase text, no question mark. The rules are plain English grammar (question words,
auxiliaries, imperatives, function words), nothing about any one corpus:

* ``kind`` — ``who``, ``when``, ``where``, ``quantity``, ``list``, ``entity`` (which/what
  thing), ``yesno``, ``comparison`` (two named sides), ``temporal`` (before/after, change over
  time) or ``open`` (why/how/explain/summarize); read after a lead-in ("According to X, how
  many…", "Considering the reports by A and B, which…") where the whole reads as open.
* ``terms`` — the content words, lower-cased (question words, imperatives and function words
  removed).
* ``entities`` — capitalised names ("NATO-Russia Council", "Sam Bankman-Fried"), never a
  capitalised sentence opener, verb, month or weekday.
* ``numbers`` — years and other figures the question names.
* ``speaker`` and ``topic`` — for a question about what a named person or body said ("What
  did Ann Lee say about the merger?", "How did Acme react to the ruling?"), who and about
  what: the answer must report that speaker saying it, not merely name both.
* ``letter`` — the question presupposes that something is represented by a letter ("which
  company, represented by a single letter, …", "which letter stands for…"): a passage must
  state such a letter ("the letter Q", "'X' stands for").
* ``clauses`` — the parts a question joins ("X said A, while Y said B"; "…, and who …"; in a
  temporal question, the events it orders: "the report on A … before the report on B"): what
  one clause names should stand together in one passage, what two clauses name need not.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

_FUNCTION = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "it's",
        "i",
        "me",
        "my",
        "we",
        "our",
        "us",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "they",
        "them",
        "their",
        "who",
        "whom",
        "whose",
        "what",
        "which",
        "when",
        "where",
        "why",
        "how",
        "whether",
        "if",
        "then",
        "than",
        "and",
        "or",
        "nor",
        "but",
        "so",
        "yet",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "over",
        "per",
        "to",
        "up",
        "upon",
        "with",
        "within",
        "without",
        "about",
        "above",
        "across",
        "after",
        "against",
        "along",
        "among",
        "around",
        "before",
        "behind",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "during",
        "except",
        "inside",
        "near",
        "since",
        "through",
        "throughout",
        "till",
        "toward",
        "towards",
        "under",
        "until",
        "via",
        "versus",
        "vs",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "doing",
        "has",
        "have",
        "had",
        "having",
        "can",
        "could",
        "will",
        "would",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "ought",
        "not",
        "no",
        "yes",
        "all",
        "any",
        "both",
        "each",
        "either",
        "every",
        "few",
        "many",
        "more",
        "most",
        "much",
        "neither",
        "other",
        "some",
        "such",
        "own",
        "same",
        "very",
        "too",
        "also",
        "just",
        "only",
        "even",
        "still",
        "again",
        "ever",
        "never",
        "please",
        "according",
        "regarding",
        "concerning",
        "considering",
        "based",
        "following",
        "given",
    ]
)
_REQUEST = frozenset(
    [
        "summarize",
        "summarise",
        "compare",
        "contrast",
        "explain",
        "list",
        "describe",
        "give",
        "tell",
        "show",
        "outline",
        "name",
        "identify",
        "discuss",
        "detail",
        "state",
        "find",
        "provide",
        "let",
        "what's",
        "who's",
    ]
)
_GENERIC = (
    frozenset(
        [
            "say",
            "says",
            "said",
            "tell",
            "told",
            "report",
            "reports",
            "reported",
            "reporting",
            "article",
            "articles",
            "source",
            "sources",
            "story",
            "stories",
            "piece",
            "news",
            "mention",
            "mentioned",
            "mentions",
            "write",
            "wrote",
            "written",
            "note",
            "noted",
            "suggest",
            "suggests",
            "suggested",
            "indicate",
            "indicates",
            "indicated",
            "view",
            "views",
            "happen",
            "happened",
            "information",
            "discuss",
            "discussed",
            "discusses",
            "describe",
            "described",
        ]
    )
    | _REQUEST
)
# Month and weekday names, lower case, with their abbreviations: never a name.
CALENDAR = frozenset(
    m.lower() for m in (*calendar.month_name, *calendar.month_abbr, *calendar.day_name) if m
) | {"sept"}
_AUX = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "do",
        "does",
        "did",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "may",
        "might",
        "must",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9’'\-]*|\d[\d,.]*")
_NAME_WORD = re.compile(r"(?:[A-Z][\w’'\-.&]*|\d+[A-Za-z]*)$")
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_TEMPORAL = re.compile(
    r"\b(before|after|earlier|later|prior to|subsequent\w*|since|chronolog\w*|timeline|"
    r"sequence|over time|first|then)\b|\bchang\w*\b.*\bbetween\b"
    r"|\bbetween\b.*\b(and|to)\b.*\bchang",
    re.I,
)
_COMPARE = re.compile(
    r"\b(compar\w*|contrast\w*|differ\w*|similar\w*|same|versus|vs\.?|while|whereas|both|"
    r"agree\w*|disagree\w*|consisten\w*|inconsisten\w*|views? of)\b",
    re.I,
)
_LIST_HEAD = re.compile(r"^(list|name|enumerate|identify)\b|^(which|what)\s+(\w+)\b", re.I)
_NOT_PLURAL = frozenset(
    ["news", "series", "analysis", "basis", "crisis", "status", "process", "press"]
)
_PEOPLE = frozenset(
    [
        "person",
        "people",
        "individual",
        "individuals",
        "man",
        "woman",
        "official",
        "officials",
        "leader",
        "leaders",
        "executive",
        "executives",
        "ceo",
        "founder",
        "minister",
        "president",
        "player",
        "players",
        "author",
        "authors",
    ]
)
_PLACES = frozenset(
    ["country", "countries", "city", "cities", "place", "places", "state", "states", "region"]
)


@dataclass(frozen=True)
class QuestionShape:
    """What a question asks for (see the module docstring)."""

    kind: str
    terms: tuple[str, ...]
    entities: tuple[str, ...]
    numbers: tuple[str, ...]
    request: bool  # phrased as an instruction ("Summarize ...") rather than a question
    clauses: tuple[str, ...] = ()
    speaker: str = ""  # "What did Ann Lee say about the plan?": Ann Lee
    topic: str = ""  # … and what she is asked to have said it about: "the plan"
    letter: bool = False  # the answer asked for is a letter or an initial


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def names(question: str) -> list[str]:
    """Runs of capitalised words, trimmed of function words, requests and calendar words; a
    lone capitalised word opening a sentence is a name only when it is no English function
    word and does not look like a verb form (-ing/-ed/-ize)."""
    names: list[str] = []
    # A sentence ends at ".", "?"… (not after an initial: "A.J. Dillon"); a comma ends a name.
    for sentence in re.split(r"(?<!\b[A-Z]\.)(?<=[.?!;:])\s+|\n+|,\s*", question):
        tokens = re.findall(r"[\w’'\-.&]+", sentence)
        run: list[tuple[int, str]] = []
        for i, token in enumerate([*tokens, ""]):
            word = token.strip(".’'")
            possessive = bool(re.search(r"[’']s$", word))
            word = re.sub(r"[’']s$", "", word)  # "Google's" names Google
            lower = word.lower()
            capital = bool(word) and bool(_NAME_WORD.match(word)) and not word.isdigit()
            joiner = lower in {"of", "de", "von", "van", "la", "&"} and bool(run)
            if capital and lower not in CALENDAR:
                run.append((i, word))
                if possessive:  # "Google's Gemini": two names
                    names.extend(_trim(run))
                    run = []
                continue
            if joiner and i + 1 < len(tokens) and tokens[i + 1][:1].isupper():
                run.append((i, word))
                continue
            names.extend(_trim(run))
            run = []
    return list(dict.fromkeys(names))


def _trim(run: list[tuple[int, str]]) -> list[str]:
    while run and (run[0][1].lower() in _FUNCTION | _REQUEST | _AUX or run[0][1] == "I"):
        run = run[1:]
    while run and run[-1][1].lower() in _FUNCTION | {"of", "de", "&"}:
        run = run[:-1]
    if not run:
        return []
    if len(run) == 1 and run[0][0] == 0:
        word = run[0][1]
        if word.lower() in _GENERIC or (
            re.search(r"(ing|ed|ize|ise|ly)$", word) and not word.isupper()
        ):
            return []
    return [" ".join(w for _, w in run)]


def _terms(question: str) -> list[str]:
    out = []
    for word in _words(question):
        lower = word.lower().strip("’'.,").replace("’", "'")
        if lower.endswith("'s"):
            lower = lower[:-2]
        if len(lower) < 2 or lower in _FUNCTION or lower in _GENERIC or lower in _AUX:
            continue
        out.append(lower)
    return list(dict.fromkeys(out))


def _plural(word: str) -> bool:
    w = word.lower()
    return w.endswith("s") and not w.endswith("ss") and w not in _NOT_PLURAL and len(w) > 3


def _kind(question: str, sides: int, dates: int) -> str:
    lower = question.strip().lower()
    first = (re.findall(r"[a-z']+", lower) or [""])[0]
    temporal = bool(_TEMPORAL.search(lower)) or dates >= 2
    if re.match(r"^(compare|contrast)\b", lower):
        return "comparison"
    if re.match(r"^(explain|tell me|say|find out|check|show me)\s+(whether|if)\b", lower):
        return "yesno"
    if re.match(r"^(who|whom|whose)\b", lower):
        return "who"
    if re.match(r"^(when\b|(what|which) (year|date|day|month|time)\b|how long ago\b)", lower):
        return "when"
    if re.match(r"^where\b", lower):
        return "where"
    if re.match(
        r"^(how (many|much|long|far|old|often)|what (number|percentage|share|amount))", lower
    ):
        return "quantity"
    if re.match(r"^what\b.*\b(cost|costs|price|worth)\b", lower):
        return "quantity"
    if re.match(r"^what (is|was|are|were) the names?\b", lower):
        return "list" if re.match(r"^what (are|were)", lower) else "entity"
    head = _LIST_HEAD.match(lower)
    if head and head.group(1):
        return "list"
    if head and head.group(3):
        noun = head.group(3)
        if noun in _PEOPLE:
            return "list" if _plural(noun) and noun != "people" else "who"
        if noun in _PLACES and not _plural(noun):
            return "where"
        if noun not in _AUX and noun not in _FUNCTION and noun not in {"happened", "happens"}:
            return "list" if _plural(noun) else "entity"
    if temporal and (sides >= 2 or dates >= 1 or first in _AUX):
        return "temporal"
    if _COMPARE.search(lower) and sides >= 2:
        return "comparison"
    if first in _AUX:
        return "yesno"
    return "open"


def read_question(question: str, sides: int = 0, dates: int = 0) -> QuestionShape:
    """The shape of ``question``; ``sides`` is how many distinct sources it names (a library
    that knows its sources can tell "The Verge" from any other capitalised phrase) and
    ``dates`` how many dates. A question of several sentences takes the first kind that is
    not ``open`` ("Tell me about the lens. What did it cost?" asks for a quantity)."""
    entities = names(question)
    named = max(sides, _people_sides(question, entities))
    first = (re.findall(r"[a-z']+", question.lower()) or [""])[0]
    parts = [p for p in re.split(r"(?<=[.?!])\s+", question.strip()) if p.strip()] or [question]
    # Read after a lead-in ("According to X, how many…") unless the whole is a comparison
    # or temporal question between the sides the lead-in names.
    kinds = [
        k
        if (k not in {"open", "temporal", "comparison"} or (k != "open" and named >= 2))
        else _kind(_LEAD_IN.sub("", p), named, dates)
        for p, k in ((p, _kind(p, named, dates)) for p in parts)
    ]
    kind = next((k for k in kinds if k != "open"), "open")
    joined = clauses(question)
    speaker, topic = speech(question)
    return QuestionShape(
        kind=kind,
        terms=tuple(_terms(question)),
        entities=tuple(e for e in entities if _is_entity(e)),
        numbers=tuple(dict.fromkeys(_NUMBER.findall(question))),
        request=first in _REQUEST,
        clauses=tuple(_temporal_clauses(joined) if kind == "temporal" else joined),
        speaker=speaker,
        topic=topic,
        letter=bool(_ASKS_LETTER.search(question)),
    )


# A question that presupposes something is represented by a letter ("which company,
# represented by a single letter, …", "which letter stands for the drive…"): only a source
# that states the letter answers it. "What is the first letter of Acme's name?" is not one:
# the letter is read off a name the sources give.
_ASKS_LETTER = re.compile(
    r"\b(?:represented|identified|denoted|designated|symboli[sz]ed|known)\s+by\s+(?:a|one|its|the)"
    r"\s+(?:single\s+)?(?:letter|initial|character)\b|"
    r"\b(?:which|what)\s+(?:single\s+)?(?:letter|initial|character)s?\s+(?:of\s+the\s+"
    r"(?:english\s+)?alphabet\s+)?(?:represents?|stands?\s+for|denotes?|symboli[sz]es?|"
    r"identifies|is\s+used\s+(?:for|to))\b",
    re.I,
)


_SAY = (
    r"(?:say|said|tell|told|think|thought|claim|argue|reveal|write|wrote|suggest|comment|"
    r"remark|state|believe|feel|felt|predict|note|add|express|mean|meant|warn|deny|denied|"
    r"admit|insist|concede|acknowledge|explain)"
)
_ASKS_SAID = (
    # "How did Ann Lee react to the plan"
    re.compile(
        r"\bhow\s+(?:did|does|do|has|have|had)\s+(?P<who>.{2,80}?)\s+"
        r"(?:respond|react|reply|answer)\w*\s+to\b(?P<about>.*)",
        re.I,
    ),
    # "How did Ann Lee describe the plan"
    re.compile(
        r"\bhow\s+(?:did|does|do|has|have|had)\s+(?P<who>.{2,80}?)\s+"
        r"(?:describe|characteri[sz]e|portray|sum\s+up)\b(?P<about>.*)",
        re.I,
    ),
    # "Did Ann Lee say that the plan failed?", "Has Acme denied the report?"
    re.compile(
        r"^\W*(?:did|does|do|has|have|had)\s+(?P<who>.{2,80}?)\s+" + _SAY + r"\b(?P<about>.*)",
        re.I,
    ),
    # "What was Ann Lee's reaction to the plan"
    re.compile(
        r"\bwhat\s+(?:was|were|is|are)\s+(?P<who>.{2,80}?)['’]s?\s+(?:response|reaction|"
        r"reply|comments?|remarks?|views?|opinion|stance|position|verdict)\s+"
        r"(?:on|to|about|regarding|of)\b(?P<about>.*)",
        re.I,
    ),
    # "What did Ann Lee say (to Bo Park) about the plan"
    re.compile(
        r"\b(?:what|how)\s+(?:did|does|do|has|have|had|will|would)\s+(?P<who>.{2,80}?)\s+"
        + _SAY
        + r"\b(?P<about>.*)",
        re.I,
    ),
    # "Summarize what Ann Lee said about the plan"
    re.compile(
        r"^\W*(?:summari[sz]e|describe|explain|tell me|list|outline|give me)\s+what\s+"
        r"(?P<who>.{2,80}?)\s+" + _SAY + r"s?\b(?P<about>.*)",
        re.I,
    ),
)
# Where the topic of a reported statement ends: the attribution, time or place of the
# question ("… about the fine after he took over in November 2023, according to X").
_TOPIC_END = re.compile(
    r"[,?;]|\b(?:according to|as reported|reported by|in (?:an?|the|its|their) "
    r"(?:article|report|piece|interview|statement))\b|\s+(?:after|before|during|when|while|"
    r"following|since|amid|at the time)\b|\s+in\s+(?=\d{4}\b|(?:"
    + "|".join(calendar.month_name[1:])
    + r")\b)",
    re.I,
)
# Words a speaker's name may carry that are not the name: titles, and the appositive after
# it ("Dr. Ann Lee of the Mayo Clinic").
_TITLE = re.compile(
    r"^(?:the\s+)?(?:(?:dr|mr|mrs|ms|prof|sir|dame|lord|lady|president|senator|sen|rep|"
    r"judge|minister|governor|gov|mayor|chancellor|secretary|commissioner|chair(?:man|woman)?|"
    r"director|general|gen|ceo|coach|manager|captain|king|queen|prince|princess|pope)\.?\s+)*",
    re.I,
)
_APPOSITIVE = re.compile(r",|\s+(?:of|from|at|for|with|in)\s+", re.I)
_NOT_A_ROLE = frozenset(
    ["about", "on", "of", "in", "by", "from", "for", "with", "regarding", "article", "report"]
)
"""Words that make what comes before a name no role of that name ("the article about X")."""
_NAME_PARTICLE = frozenset(
    ["ten", "van", "von", "de", "der", "den", "da", "di", "la", "le", "al", "bin", "del"]
)


def speech(question: str) -> tuple[str, str]:
    """For a question about what a named person or body said ("What did Ann Lee say about
    the plan?", "How did Acme react to the ruling?", "What was Ann Lee's view on it?",
    "What did Ann Lee tell Bo Park after the vote?"): the speaker's name and what the
    statement is asked to be about (for "tell", whom it was told). ``("", "")`` for any
    other question, and where the speaker is no name ("What did the company say…")."""
    for pattern in _ASKS_SAID:
        m = pattern.search(question)
        if not m:
            continue
        who = _APPOSITIVE.split(_TITLE.sub("", m.group("who").strip()), maxsplit=1)[0]
        words = who.split()
        # "Everton manager Sean Dyche", "the company's chief executive Tim Cook": the name
        # is the run of capitalised words after the last word of the role before it
        lower = [i for i, w in enumerate(words) if not w[:1].isupper() and w not in _NAME_PARTICLE]
        role = {w.lower() for w in words[: lower[-1] + 1]} if lower else set()
        if lower and lower[-1] < len(words) - 1 and not role & _NOT_A_ROLE:
            words = words[lower[-1] + 1 :]
            who = " ".join(words)
        if not words or len(words) > 5 or not words[0][:1].isupper():
            return "", ""
        if any(not w[:1].isupper() and w not in _NAME_PARTICLE for w in words):
            return "", ""
        about = _TOPIC_END.split(m.group("about"), maxsplit=1)[0].strip()
        # "say that X", "tell Bo Park that X": X (not "respond to the claim that X")
        if re.search(_SAY + r"\b", m.group(0)[: m.start("about") - m.start()], re.I):
            about = re.sub(r"^(?:.{0,60}?\s)?that\s+", "that ", about)
        # "say about X", "tell Bo Park about X": X; "tell Bo Park": Bo Park
        about = re.sub(r"^(?:.{0,60}?\s)?(?:about|regarding|concerning)\s+", "", about)
        about = re.sub(r"^(?:to\s+.{2,40}?\s+)?(?:on|of)\s+", "", about)
        who = re.sub(r",?\s+(?:Jr|Sr|II|III|IV)\.?$", "", who)  # a suffix sources often drop
        return re.sub(r"['’]s$", "", who), about
    return "", ""


# An attribution or frame before the question proper ("According to the Harbor Times, how
# many…", "Considering the reports by A and B, which…"): the kind is read after it.
_LEAD_IN = re.compile(
    r"^\W*(?:according to|as (?:reported|stated|described) (?:by|in)|based on|considering|"
    r"in light of|given|per)\b[^?]{0,200}?,\s+(?=(?:who|whom|whose|what|which|when|where|how|"
    r"why|is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b)",
    re.I,
)


def _is_entity(name: str) -> bool:
    """A name is not a day of the month ("16th"), a bare figure, or an adjective built on a
    name ("AI-powered", "Prime-themed": the hyphen's last part is a lower-case word)."""
    if re.fullmatch(r"[\d\s.,]*(?:\d(?:st|nd|rd|th))?", name):
        return False
    return not re.search(r"-[a-z]+$", name)


_CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s*|,(?!\s*\d)\s*|\s+(?:while|whereas|but|than|unlike|compared (?:to|with)|"
    r"as well as|as opposed to|in contrast (?:to|with)|(?:similar|different) (?:to|from)|"
    r"and(?=\s+(?:who|which|that|what|where|when|whether|is|are|was|were|has|have|had|also|"
    r"then|does|did|do|the|a|an|its|his|her|their|another|other)\b))\s+",
    re.I,
)


def _temporal_clauses(parts: list[str]) -> list[str]:
    """A temporal question's clauses split where it orders two events ("Was the report on A
    published before the report on B?"): each event may come from another article."""
    out = []
    for part in parts:
        pieces = [p for p in _ORDER_BREAK.split(part) if re.search(r"\w", p)]
        # each side an event of its own, with a name: "after a storm" only dates the first
        if len(pieces) > 1 and all(re.search(r"\b[A-Z]", p[1:]) for p in pieces):
            out += pieces
        else:
            out.append(part)
    return out


_ORDER_BREAK = re.compile(
    r"\s+(?:before|after|prior to|earlier than|later than|following)\s+(?=(?:the|a|an|its|their|"
    r"his|her)\b)",
    re.I,
)


def clauses(question: str) -> list[str]:
    """The question's clauses: split at commas (not in "40,000" or "May 6, 2023"),
    semicolons and colons, and before a conjunction that joins two statements ("while",
    "whereas", "but", "than", "unlike", "compared to", "similar to", "and who/which/the/has
    …")."""
    parts = [p.strip(" ?.!") for p in _CLAUSE_BREAK.split(question)]
    return [p for p in parts if re.search(r"\w", p)]


def _people_sides(question: str, entities: list[str]) -> int:
    """Two names joined as sides: "A and B", "A versus B", "between A and B"."""
    for a in entities:
        for b in entities:
            if a != b and re.search(
                re.escape(a)
                + r"(?:['’]s)?\s+(?:and|versus|vs\.?|with|or)\s+(?:the\s+)?"
                + re.escape(b),
                question,
            ):
                return 2
    return 0


_PUBLICATION = re.compile(
    r"\b(?:articles?|reports?|pieces?|stor(?:y|ies)|analys[ie]s|coverage|interviews?|columns?|"
    r"op-eds?|editorials?|forecasts?|posts?|updates?)\s+(?:by|from|in)\s+(?:the\s+)?"
    r"((?:[A-Z][\w.&’'-]*)(?:\s+(?:of\s+)?[A-Z][\w.&’'-]*)*)"
    r"|\banother\s+(?:one\s+)?(?:by|from|in)\s+(?:the\s+)?"
    r"((?:[A-Z][\w.&’'-]*)(?:\s+(?:of\s+)?[A-Z][\w.&’'-]*)*)"
    r"|\b[Aa]ccording to\s+(?:the\s+)?((?:[A-Z][\w.&’'-]*)(?:\s+[A-Z][\w.&’'-]*)*)"
)


_PUBLISHED_IN = re.compile(
    r"\b(?:an?|the)\s+['‘\"“]?((?:[A-Z][\w.&’'-]*)(?:\s+(?:of\s+)?[A-Z][\w.&’'-]*)*)['’\"”]?\s+"
    r"(?:(?:match|news|opinion|feature|sports?|business|tech|investigative|live)\s+)?"
    r"(?:articles?|pieces?|stor(?:y|ies)|columns?|op-eds?|editorials?|reports?|coverage)\b"
)


def publications(question: str) -> list[str]:
    """Names the question gives as the publisher of an article ("a report by Bloomberg",
    "an article in The Economic Times", "another by Reuters", "according to Fortune")."""
    out = []
    for m in _PUBLICATION.finditer(question):
        found = next((g for g in m.groups() if g), "")
        name = re.sub(r"[’']s$", "", found.strip(".,"))
        if name:
            out.append(name)
    return list(dict.fromkeys(out))


def publishers(question: str) -> list[str]:
    """Names placed before an article noun as its publisher ("a Bloomberg article", "the
    'Sporting News' report", "an ESPN piece"). Weaker than :func:`publications`: "the NATO
    report" may be a report the articles discuss, so a caller also checks the passages."""
    out = []
    for m in _PUBLISHED_IN.finditer(question):
        name = m.group(1).strip(".,'’")
        if name and name.split()[0].lower() not in _FUNCTION | _AUX:
            out.append(name)
    return list(dict.fromkeys(out))


def years(text: str) -> set[str]:
    """The four-digit years in ``text``; not an amount ("$2000", "2000 euros" is still read as
    a year: only a currency sign before it tells)."""
    return {
        m.group(1) for m in _YEAR.finditer(text) if not re.search(r"[$€£¥]\s*$", text[: m.start()])
    }


def fold(text: str) -> str:
    """Lower case without accents, possessive "'s" or joining punctuation ("Bankman-Fried",
    "Space.com", "O’Neill"), so that a name matches however the question spells it."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’'`]s\b", "", text)
    return re.sub(r"[\s\-‐–—_./’'`\"“”‘]+", " ", text)


_DEMONYM = (
    # the adjective's ending -> endings its place's name may take instead
    ("ian", ("ia", "a", "", "y")),  # Tasmanian, Canadian, Brazilian, Italian
    ("ese", ("", "a", "al")),  # Japanese, Chinese, Portuguese
    ("ish", ("and", "-land")),  # Polish, Scottish ("-" drops the stem's last letter)
    ("an", ("a", "", "o", "any")),  # American, Chilean, Mexican, German
    ("i", ("",)),  # Israeli, Pakistani
)


def forms(name: str) -> list[str]:
    """For a one-word adjective of a place ("Tasmanian", "Chinese"), the place names it
    may come from (a question says "the Canadian singer" of an article that says "born in
    Canada"); nothing else. Compare them whole (:func:`named_whole`): a stem that is no
    place ("Altm") is in no text as a word."""
    if " " in name or len(name) < 5:
        return []
    for suffix, endings in _DEMONYM:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            out = [stem[:-1] + e[1:] if e.startswith("-") else stem + e for e in endings]
            return [f for f in dict.fromkeys(out) if len(f) >= 5 and f != name]
    return []


def named_whole(name: str, folded: str) -> bool:
    """``name`` (without a leading "the") is in the folded text as a whole phrase: what a
    publisher's name needs, since its words alone ("Sport", "News") are in many others."""
    words = fold(name).split()
    if words and words[0] == "the":
        words = words[1:]
    return not words or bool(re.search(r"(?<!\w)" + re.escape(" ".join(words)) + r"(?!\w)", folded))


def mentioned(name: str, folded: str) -> bool:
    """``name`` is in the folded text: whole, or (a name of several words) each of its long
    words; a leading "the" and a trailing "Jr"/"Sr" do not count."""
    words = fold(name).split()
    while words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in {"jr", "sr", "inc", "ltd", "co", "corp"}:
        words = words[:-1]
    if not words:
        return True
    if re.search(r"(?<!\w)" + re.escape(" ".join(words)), folded):
        return True
    long = [w for w in words if len(w) >= 4]
    return (
        len(words) > 1
        and bool(long)
        and all(re.search(r"(?<!\w)" + re.escape(w), folded) for w in long)
    )
