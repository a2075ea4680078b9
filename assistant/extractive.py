"""The offline answer: the retrieved sentences that answer the question, the answer first,
each attributed and cited.

One pass: read the question (its :class:`~vectorstore.query.QueryPlan`: kind, key terms,
names, dates), decide whether the passages support it, pick the evidence, compose.

* **Abstain on evidence.** The answer abstains when the question names a publisher the
  library lacks, when most of the weight of its names and years is in no passage (counting
  each document's title, source, author and date; a year or a name the whole library lacks
  weighs double; a place adjective counts as its place, and in a question of three clauses
  or more pinned to the library's sources a name the library holds elsewhere does not
  count), when no passage holds the names of a one-clause question together, when a
  question about what someone said ("What did Ann Lee say about the merger?") finds no
  passage reporting that speaker (named beside a verb of saying or a quotation) with at
  least half of the topic's names and key terms in that sentence or the one either side,
  when a "how many X" question has no figure standing by X (a year, or a figure about
  something else, counts nothing), when the question presumes something is represented by a
  letter and no passage states one, or when no sentence is close enough to the question.
  The reason says what is missing.
* **The answer first.** A sentence is scored by embedding similarity and key-term overlap;
  the lead is the best sentence holding what was asked: a person for *who*, a date for
  *when*, a figure for *how many*, the most-supported name for *which* (stated first in full,
  "The sources point to Sam Altman.", when the evidence clearly favours it), the items
  (gathered across passages) for a list, one part per named side for a comparison, dates in
  order for a temporal question, both sides when cited sentences disagree.
* **Readable.** Fragments are never quoted (headings, questions lifted from the text, photo
  credits, cut-off quotes, footnote markers); reported claims are introduced by their source
  and date; about ``answer_words`` words, the rest of the evidence in ``Answer.more``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from assistant.compose import (
    DISAGREE_TEXT,
    Composer,
    Line,
    Selected,
    abstention,
    attributed,
    is_reported_claim,
    label,
    readable,
)
from assistant.conflict import Disagreement, Statement, find_disagreement
from assistant.injection import is_instruction
from assistant.slots import (
    as_written,
    candidate_names,
    counts,
    enumerated,
    full_name,
    has_date,
    has_figure,
    person_like,
    untitled,
)
from assistant.types import Answer
from ingest.config import Settings
from ingest.sentences import sentence_spans
from vectorstore.embeddings import Embedder
from vectorstore.lexical import Analyzer
from vectorstore.query import QueryPlan
from vectorstore.question import (
    fold,
    forms,
    mentioned,
    named_whole,
    publications,
    years,
)
from vectorstore.question import publishers as question_publishers
from vectorstore.types import Passage

_ENDS = tuple(".!…\"”’')»")
_CREDIT = re.compile(
    r"\b(photo|image|picture|illustration|graphic)s?\s*(:|by\b|courtesy\b|credit\b)|"
    r"\bgetty images\b|\(ap photo\b|\bvia getty\b|\bshutterstock\b|^credit:",
    re.I,
)
_MAX_EMBEDDED = 24
_NEGATED = re.compile(
    r"\b(not|no|never|n[o’']t|den(y|ied|ies))\b|n[’']t\b", re.I
)  # sentences embedded per answer: the best by key-term overlap
_LIST_KINDS = frozenset({"who", "entity", "where"})
_WHICH_SOURCE = re.compile(
    r"(?i)\b(which|what)\s+(news\s+)?(source|outlet|publication|publisher|site|newspaper|"
    r"paper|magazine|website)s?\b"
)
_ASKS_PERSON = re.compile(
    r"(?i)^\W*(?:who|which|what)\s+(?:\w+\s+){0,2}?(?:individual|person|man|woman|figure|"
    r"player|executive|official|politician|leader|founder|author|artist|athlete)\b"
)
_CLEAR_LEAD = 1.2  # how far ahead of the next name the stated answer's support must be
# A sentence that reports what someone said: a quotation or a verb of saying.
_SPOKE = re.compile(
    r"[“”\"]|\b(?:say|says|said|saying|tell|tells|told|telling|stat(?:ed|es|ing)|add(?:ed|s)|"
    r"argu(?:ed|es|ing)|claim(?:ed|s)|insist(?:ed|s)|not(?:ed|es)|explain(?:ed|s)|"
    r"respond(?:ed|s)|repl(?:ied|ies)|react(?:ed|s)|(?:dis)?agree(?:d|s)|admit(?:ted|s)|"
    r"acknowledg(?:ed|es)|warn(?:ed|s)|wr(?:ote|ites)|assert(?:ed|s)|believ(?:ed|es)|"
    r"thinks?|comment(?:ed|s)?|remark(?:ed|s)?|reveal(?:ed|s)|descri(?:bed|bes)|"
    r"accord(?:ing)? to|interview|statement|posted|tweeted|announc(?:ed|es)|confirm(?:ed|s)|"
    r"denie[sd]|den(?:y|ying)|urg(?:ed|es)|called|spoke|speaks|praised|criticis(?:ed|es)|"
    r"criticiz(?:ed|es)|blam(?:ed|es)|promis(?:ed|es)|pledg(?:ed|es)|vow(?:ed|s)|"
    r"conced(?:ed|es)|spoken|(?:fired|hit|hits|fires) back)\b",
    re.I,
)
_MONTHS = " ".join(calendar.month_name[1:])
_CONTINUES = re.compile(r"^\W*(?:he|she|they|it|we|i)\b|^\s*[“\"]", re.I)
_STATES_LETTER = re.compile(
    r"\b(?:letters?|initials?)[,:]?\s+(?:of\s+)?['\"“‘]?[A-Z](?![\w’'])|"
    r"(?<![\w’'])['\"“‘][A-Z]['\"”’](?!\w)|\b[A-Z]\s+(?:stands|stood)\s+for\b"
)
_CATEGORY = re.compile(r"(?i)(what|which)\s+(type|kind|sort|category|class|form)s?\s+of\b")


@dataclass(frozen=True)
class Evidence:
    """What the answer rests on: the plan it read, the sentences in answer order (``lead``
    first), the rest (``more``), the list items, a disagreement, or why it abstains."""

    plan: QueryPlan
    lead: tuple[Selected, ...] = ()
    support: tuple[Selected, ...] = ()
    more: tuple[Selected, ...] = ()
    items: tuple[tuple[str, tuple[Selected, ...]], ...] = ()
    disagreement: tuple[Selected, Selected, str] | None = None
    missing: str = ""
    ranked: tuple[Selected, ...] = field(default=(), repr=False)

    @property
    def chosen(self) -> list[Selected]:
        return [*self.lead, *self.support]


_TRAILING_MARKUP = re.compile(r"\s*(?:<[^<>]+>[^<]*)*</?[A-Za-z][^<>]*>\s*$")


def is_fragment(text: str) -> bool:
    """Text that reads badly on its own: a heading, a question, a photo credit, a cut-off
    quotation, a lower-case continuation."""
    t = text.strip()
    # Markup trailing a sentence ("…on Monday. <script>…</script>" in a scraped page) is shown
    # as text with it, but does not make the sentence a fragment.
    end = _TRAILING_MARKUP.sub("", t) or t
    if len(t.split()) < 5 or end.endswith("?") or not end.endswith(_ENDS):
        return True
    if t[0].islower() or t.startswith(("#", "|", "-", "*")) or _CREDIT.search(t):
        return True
    return t.count("“") != t.count("”") or t.count('"') % 2 == 1


def _present(name: str, haystack: str) -> bool:
    """``name`` (or, for a name of several words, each of its long words) is in the text."""
    lower = name.lower()
    if re.search(r"(?<!\w)" + re.escape(lower), haystack):
        return True
    words = [w for w in re.findall(r"[\w’'-]+", lower) if len(w) >= 4]
    if len(words) > 1:
        return all(re.search(r"(?<!\w)" + re.escape(w), haystack) for w in words)
    return False


def _before(s: Selected, reach: int = 300) -> str:
    """The title of a sentence's article and the text of its passage just before it (what a
    pronoun or "the work" in it most likely refers to), lower-cased."""
    at = s.start - s.passage.start
    return f"{s.passage.title}\n{s.passage.text[max(0, at - reach) : at]}".lower()


_DOCUMENT = (
    r"(?:reports?|stud(?:y|ies)|surveys?|articles?|analys[ie]s|papers?|reviews?|statements?|"
    r"documents?|stor(?:y|ies)|pieces?|investigations?|polls?|findings|data|figures)"
)


def _discussed(name: str, folded: str) -> bool:
    """The folded text speaks of a document of ``name``: "the Orkney report", "a study by
    Orkney", "Orkney's latest survey" (up to two words between)."""
    words = fold(name).split()
    if words and words[0] == "the":
        words = words[1:]
    if not words:
        return True
    who = re.escape(" ".join(words))
    gap = r"(?:\s+\w+){0,2}\s+"
    return bool(
        re.search(rf"(?<!\w){who}{gap}{_DOCUMENT}(?!\w)", folded)
        or re.search(rf"(?<!\w){_DOCUMENT}{gap}(?:by|from|of)\s+(?:the\s+)?{who}(?!\w)", folded)
    )


def _haystack(p: Passage) -> str:
    return f"{p.title}\n{p.source}\n{p.author}\n{p.published_at}\n{p.text}".lower()


class ExtractiveAnswerer:
    """Answers from the retrieved sentences themselves; works offline."""

    mode = "extractive"

    def __init__(
        self,
        embedder: Embedder,
        settings: Settings,
        holds: Callable[[str], bool] | None = None,
    ) -> None:
        """``holds(name)`` tells whether any article of the library mentions ``name`` (the
        lexical index's :meth:`~vectorstore.lexical.LexicalIndex.holds`): a name the passages
        lack but the library holds is retrieval's miss, a name the library lacks is a
        question about something it does not hold. Without it every name the passages lack
        counts as unknown to the library."""
        self.embedder = embedder
        self.settings = settings
        self.holds = holds
        self.analyzer = Analyzer()
        self.calendar = set(self.analyzer(_MONTHS))

    # --- scoring ------------------------------------------------------------------------------
    def _sentences(self, passages: list[Passage]) -> list[Selected]:
        out: list[Selected] = []
        for passage in passages:
            for s, e in sentence_spans(passage.text):
                text = passage.text[s:e]
                if is_fragment(text) or is_instruction(text):
                    continue  # instructions planted in an article are never quoted
                out.append(Selected(passage, passage.start + s, passage.start + e, text, 0.0))
        return out

    def score(
        self,
        question: str,
        passages: list[Passage],
        plan: QueryPlan | None = None,
        sentences: list[Selected] | None = None,
    ) -> tuple[list[Selected], np.ndarray]:
        """The quotable sentences of the passages with their support score (0.75 × cosine +
        0.25 × key-term overlap), and their vectors. Only the best ``_MAX_EMBEDDED`` by overlap
        are embedded: scoring stays fast on long passages."""
        plan = plan or QueryPlan.read(question)
        if sentences is None:
            sentences = self._sentences(passages)
        if not sentences:
            return [], np.zeros((0, 1))
        terms = set(self.analyzer(" ".join(plan.terms) or question))
        rank = {p.chunk_id: i for i, p in enumerate(passages)}

        def overlap(s: Selected) -> float:
            return len(terms & set(self.analyzer(s.text))) / len(terms) if terms else 0.0

        found = sentences
        overlaps = [overlap(s) for s in found]
        keep = sorted(
            range(len(found)),
            key=lambda i: -(overlaps[i] + 0.02 * (len(passages) - rank[found[i].passage.chunk_id])),
        )[:_MAX_EMBEDDED]
        keep.sort()
        sentences = [sentences[i] for i in keep]
        vectors = self.embedder.embed([question] + [s.text for s in sentences])
        cosine = vectors[1:] @ vectors[0]
        scored = [
            replace(s, score=0.75 * float(c) + 0.25 * overlaps[i])
            for s, c, i in zip(sentences, cosine, keep, strict=True)
        ]
        return scored, vectors[1:]

    # --- the decision to answer ---------------------------------------------------------------
    def _missing(self, plan: QueryPlan, passages: list[Passage], best: float) -> tuple[str, float]:
        """What the passages lack to answer the question ("" when nothing), and the support
        a sentence needs to be quoted."""
        stacks = [fold(_haystack(p)) for p in passages]
        everything = "\n".join(stacks)
        named = fold(" ".join(plan.question[m.start : m.end] for m in plan.mentions))
        # A publisher the question names that neither the library's sources (the plan's
        # mentions) nor any retrieved passage knows: the library holds no such article.
        publishers = fold(" ".join(f"{p.source} {p.author} {p.title}" for p in passages))
        # A publisher's name counts whole: its words alone ("Sport", "News") are in others.
        unknown = [
            p
            for p in publications(plan.question)
            if not mentioned(p, named) and not named_whole(p, publishers)
        ]
        # "a Bloomberg article": the same, unless the passages speak of a report of that name
        # ("the NATO report found"); a passage that only names it ("she told Bloomberg")
        # does not make it a publisher of the library.
        placed = question_publishers(plan.question)
        unknown += [
            p
            for p in placed
            if not mentioned(p, named)
            and not named_whole(p, publishers)
            and not _discussed(p, everything)
        ]
        unknown = list(dict.fromkeys(unknown))
        if unknown:
            return f"The library holds no article from {_join(unknown)}.", 0.0
        publisher_names = {fold(p) for p in placed}
        entities = [
            e for e in plan.entities if not mentioned(e, named) and fold(e) not in publisher_names
        ]
        absent = [
            e
            for e in entities
            if not mentioned(e, everything)
            and not any(named_whole(f, everything) for f in forms(e))
        ]
        unheld = [e for e in absent if self.holds is None or not self.holds(e)]
        # A year is a distinguishing detail: it weighs as much as two names.
        asked = sorted(years(plan.question) - years(" ".join(d.text for d in plan.dates)))
        lost_years = [y for y in asked if y not in everything]
        # A name no article of the library holds weighs double, as a year does.
        weight = len(entities) + 2 * len(asked)
        lost = len(absent) + len(unheld) + 2 * len(lost_years)
        # One name of several may be spelled otherwise in the sources or sit in an article
        # retrieval did not bring; most of the question's weight missing is a question about
        # something the library doesn't hold.
        # A long question pinned to sources the library holds describes its facts in the
        # asker's words ("a Nevada city" for the city an article names): a name the library
        # holds but the passages lack is such a description, not a missing subject.
        pinned = bool(plan.mentions) and len(plan.clauses) >= 3 and not unheld and not lost_years
        if lost and 2 * lost > weight and not pinned:
            return f"No source in the library mentions {_join(absent + lost_years)}.", 0.0
        # A question of one clause states one fact: its names stand together in one passage
        # ("Norway sent troops to Lithuania in 2023"). A question joining several clauses
        # may draw each from another article.
        anchors = [*entities, *asked]
        if (
            len(plan.clauses) <= 1
            and len(anchors) >= 2
            and not any(sum(mentioned(a, s) for a in anchors) >= 2 for s in stacks)
        ):
            return f"No passage speaks of {_join(anchors)} together.", 0.0
        # Something is said to be represented by a letter ("identified by a single initial"):
        # a passage must state a letter as such ("the letter Q", "its initials, R.T.", "'X'
        # stands for"), not only names that begin with one.
        if plan.letter and not any(_STATES_LETTER.search(p.text) for p in passages):
            return (
                "No passage states a letter or an initial that stands for anything asked about.",
                0.0,
            )
        unsaid = self._unsaid(plan, passages)
        if unsaid:
            return unsaid, 0.0
        # A question of several clauses whose names (or named sources: the library's own)
        # the passages all hold is about what the library holds: its cosine to any one
        # sentence is low because it asks several things, and its descriptive words ("the
        # portrayal", "the subsequent analysis") are the asker's, not the articles'.
        anchored = (
            (bool(entities) or bool(plan.mentions))
            and not absent
            and not lost_years
            and len(plan.clauses) >= 2
        )
        floor = self.settings.min_support * (0.8 if anchored else 1.0)
        if best < floor:
            return "No passage is close enough to the question to quote.", 0.0
        # "How many X": X counted in the sources ("How much" asks for an amount: "how much
        # money" is answered by "$4 million", which does not say "money").
        counted = _counted(plan)
        if counted:
            noun = self.analyzer(counted)
            if noun and not any(noun[0] in self.analyzer(s) for s in stacks):
                return f"No source gives a number of {counted}.", 0.0
        # Share of the question's other key terms (not its names) that no passage holds.
        terms = set(self.analyzer(" ".join(plan.core.split()) if plan.core else plan.question))
        terms &= set(self.analyzer(" ".join(plan.terms)))
        terms -= {w for e in plan.entities for w in self.analyzer(e)}
        if len(terms) >= 2 and not anchored:
            held = set(self.analyzer(everything))
            lacking = sorted(terms - held)
            if len(lacking) / len(terms) > self.settings.max_missing_terms:
                words = [
                    t for t in plan.terms if self.analyzer(t) and self.analyzer(t)[0] in lacking
                ]
                return f"No source mentions {_join(words or lacking)}.", 0.0
        return "", floor

    def _unsaid(self, plan: QueryPlan, passages: list[Passage]) -> str:
        """For a question about what someone said ("What did Ann Lee say about the merger?"):
        why no passage reports it, or "". It is reported where a sentence names the speaker
        beside a reporting verb or a quotation (in it or the sentence either side) and those
        sentences hold at least half of what the statement is asked to be about (its names
        and key terms; the question's dates and sources aside). The verb of saying is in the
        sentence naming the speaker, or in the next one when it goes on with "he said" or a
        quotation. A passage that names the speaker and, elsewhere, the topic (or someone
        else speaking of it) does not say that the speaker spoke of it."""
        named = fold(" ".join(plan.question[m.start : m.end] for m in plan.mentions))
        # "What did the Harbor Times say about…" asks what its articles say, not for a quote
        if not plan.speaker or named_whole(plan.speaker, named):
            return ""
        names = [
            e
            for e in plan.entities
            if e in plan.topic and e != plan.speaker and not mentioned(e, named)
        ]
        topic = plan.topic.lower()
        words = [w for w in plan.terms if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", topic)]
        aside = {w for e in [plan.speaker, *names] for w in self.analyzer(e)}
        aside |= {w for d in plan.dates for w in self.analyzer(d.text)}
        terms = {
            t
            for t in self.analyzer(" ".join(words))
            if t not in aside and t not in self.calendar and not re.fullmatch(r"\d{4}", t)
        }
        wanted = len(names) + len(terms)
        if not wanted:
            return ""
        last = fold(plan.speaker).split()[-1]
        # A surname alone names the speaker unless another name of the question shares it
        # ("Donna Kelce" and "Travis Kelce").
        shared = any(last in fold(e).split() for e in plan.entities if e != plan.speaker)
        alone = None if shared or len(last) < 3 else re.compile(rf"(?<!\w){re.escape(last)}(?!\w)")
        for p in passages:
            texts = [p.text[a:b] for a, b in sentence_spans(p.text)]
            folded = [fold(t) for t in texts]
            for i, f in enumerate(folded):
                if not (named_whole(plan.speaker, f) or (alone is not None and alone.search(f))):
                    continue
                # The speaker speaks in the sentence that names them, or in the next one
                # as "he said…" or a quotation: not where someone else is the one speaking.
                follows = texts[i + 1] if i + 1 < len(texts) else ""
                if not (
                    _SPOKE.search(texts[i])
                    or (_CONTINUES.match(follows) and _SPOKE.search(follows))
                ):
                    continue
                near = texts[max(0, i - 1) : i + 2]
                held = " ".join(folded[max(0, i - 1) : i + 2])
                found = sum(mentioned(e, held) for e in names)
                found += len(terms & set(self.analyzer(" ".join(near))))
                if 2 * found >= wanted:
                    return ""
        said = plan.topic if plan.topic.startswith("that ") else f"anything about {plan.topic}"
        return f"No passage reports {plan.speaker} saying {said}."

    # --- evidence -----------------------------------------------------------------------------
    def evidence(
        self, question: str, passages: list[Passage], plan: QueryPlan | None = None
    ) -> Evidence:
        """Read the question, decide whether the passages answer it, pick the evidence."""
        plan = plan or QueryPlan.read(question)
        if not passages:
            return Evidence(plan, missing="Nothing in the library matches it.")
        sentences = self._sentences(passages)
        scored, vectors = self.score(question, passages, plan, sentences)
        order = sorted(range(len(scored)), key=lambda i: -scored[i].score)
        best = scored[order[0]].score if order else 0.0
        missing, quotable = self._missing(plan, passages, best)
        if missing:
            return Evidence(plan, missing=missing)
        if plan.kind == "yesno":  # a stated "no" answers a yes/no question as much as a "yes"
            order.sort(
                key=lambda i: -(scored[i].score + 0.05 * bool(_NEGATED.search(scored[i].text)))
            )
        ranked = [scored[i] for i in order]
        pool = self._distinct(ranked, vectors[order])
        floor = max(quotable, best - 0.3)
        pool = [s for s in pool if s.score >= floor]
        # Candidates for the lead and for the sides of a disagreement: every sentence close
        # enough to quote, not only those near the best (the other side often scores lower).
        near = [s for s in ranked if s.score >= 0.75 * quotable]
        near = near[: self.settings.answer_sentences * 2]
        lead, items = self._lead(plan, pool, near, sentences, ranked)
        if not lead:
            slot = "date" if plan.kind == "when" else "figure"
            if plan.kind == "quantity" and (counted := _counted(plan)):
                slot = f"number of {counted}"
            return Evidence(
                plan, missing=f"No passage gives a {slot} for {_join(self._anchors(plan)) or 'it'}."
            )
        # A question that asks for a name, date, figure or list is answered by the sentence
        # that holds it; disagreement is about a proposition (yes/no, comparison, why/how).
        # A temporal question is answered by the order of dates: what one report says and a
        # later one contradicts is a change over time, shown in date order, not a dispute.
        disagreement = None
        if plan.kind in {"yesno", "open", "comparison"}:
            disagreement = self._disagreement(plan, near)
        if disagreement:
            a, b, _ = disagreement
            sides = [a] if a is b else [a, b]
            lead = [*sides, *(s for s in lead if s not in sides)]
        rest = [s for s in pool if s not in lead]
        budget = self.settings.answer_words
        words = sum(len(s.text.split()) for s in lead)
        words += sum(4 + len(name.split()) for name, _ in items)  # "The sources point to …"
        support: list[Selected] = []
        limit = self.settings.answer_sentences
        for s in rest:
            if len(lead) + len(support) >= limit or words + len(s.text.split()) > budget:
                break
            support.append(s)
            words += len(s.text.split())
        more = [s for s in rest if s not in support][: self.settings.answer_sentences * 2]
        return Evidence(
            plan,
            tuple(lead),
            tuple(support),
            tuple(more),
            tuple(items),
            disagreement,
            ranked=tuple(ranked),
        )

    @staticmethod
    def _distinct(ranked: list[Selected], vectors: np.ndarray) -> list[Selected]:
        """Best first, near-duplicates out, at most three sentences of a passage."""
        kept: list[int] = []
        per: dict[str, int] = {}
        for i, item in enumerate(ranked):
            if per.get(item.passage.chunk_id, 0) >= 3:
                continue
            if any(float(vectors[i] @ vectors[j]) > 0.9 for j in kept):
                continue
            kept.append(i)
            per[item.passage.chunk_id] = per.get(item.passage.chunk_id, 0) + 1
        return [ranked[i] for i in kept]

    def _known(self, plan: QueryPlan) -> set[str]:
        known = {w.lower() for t in plan.terms for w in re.findall(r"[\w’'-]+", t)}
        known |= {w.lower() for e in plan.entities for w in e.split()}
        known |= {s.lower() for m in plan.mentions for s in m.sources}
        known |= {w.lower() for m in plan.mentions for s in m.sources for w in s.split()}
        return known

    def _lead(
        self,
        plan: QueryPlan,
        pool: list[Selected],
        near: list[Selected],
        sentences: list[Selected],
        ranked: list[Selected] | None = None,
    ) -> tuple[list[Selected], list[tuple[str, tuple[Selected, ...]]]]:
        if not pool:
            return [], []
        kind = plan.kind
        top = near or pool
        known = self._known(plan)
        anchors = self._anchors(plan)
        if anchors:  # sentences that hold the question's names first, then by score
            top = sorted(top, key=lambda s: -sum(_present(a, s.text.lower()) for a in anchors))
        if kind in {"when", "quantity"}:
            holds = has_date if kind == "when" else has_figure
            counted = _counted(plan) if kind == "quantity" else ""
            if counted:  # "how many goals": a figure that counts goals, not any figure

                def holds(text: str, noun: str = counted) -> bool:
                    return counts(text, noun, self.analyzer)

            lead = self._slot(plan, top, anchors, holds)
            return ([lead] if lead else []), []
        if kind == "list":
            return self._list([*near, *self._next_to(near[:3], sentences)], known, anchors)
        if kind in _LIST_KINDS:
            if not self._wants_name(plan):  # the best sentence about the question's own names
                return [top[0]], []
            person = bool(_ASKS_PERSON.match(plan.question))
            close = [s for s in ranked or [] if s.score >= 0.75 * self.settings.min_support]
            lead, name, holders = self._named(close or top, known, kind == "who", sentences, person)
            if not name:
                return [lead], []
            return [lead], [(as_written(name, [s.text for s in holders]), holders)]
        if kind == "comparison":
            return self._sides(plan, pool), []
        if kind == "temporal":
            sides = self._sides(plan, pool)
            extra = [s for s in top[:3] if s not in sides]
            return sorted([*sides, *extra][:4], key=lambda s: s.passage.published_at), []
        return [pool[0]], []

    def _named(
        self,
        ranked: list[Selected],
        known: set[str],
        person: bool,
        sentences: list[Selected],
        only_person: bool = False,
    ) -> tuple[Selected, str, tuple[Selected, ...]]:
        """The name most of the evidence points to, in its fullest form ("Sam Altman" rather
        than "Altman"), the best sentence holding it, and the best sentence of each other
        article that holds it. A name counts by the support of the sentences that hold it and
        more for each article it is in (the answer to a question drawn from several reports
        is in several of them); for *who*, a person's name counts more."""
        # The passages and their articles' titles: a name is often written in full only once.
        texts = list(dict.fromkeys(s.passage.text for s in sentences))
        titles = list(dict.fromkeys(s.passage.title for s in sentences))
        every = [*texts, *titles]
        weight: dict[str, float] = {}
        docs: dict[str, set[str]] = {}
        forms: dict[str, set[str]] = {}
        full: dict[str, str] = {}
        bonus: dict[str, float] = {}
        for s in ranked:
            for raw in set(candidate_names(s.text, known)):
                short = untitled(raw)
                if short not in full:
                    full[short] = full_name(short, texts, titles)
                name = full[short]
                if {w.lower() for w in name.split()} <= known:
                    continue
                if name not in bonus:  # for who: a person counts more, an acronym less
                    bonus[name] = 1.0
                    if person and person_like(name, every):
                        bonus[name] = 2.0
                    elif person and name.isupper():  # "FTX": an organisation or a thing
                        bonus[name] = 0.5
                weight[name] = weight.get(name, 0.0) + s.score * bonus[name]
                docs.setdefault(name, set()).add(s.passage.doc_id)
                forms.setdefault(name, set()).update({raw, short, name})
        if not weight:
            return ranked[0], "", ()
        total = {n: weight[n] * (1 + 0.5 * (len(docs[n]) - 1)) for n in weight}
        order = sorted(total, key=lambda n: -total[n])
        name = order[0]
        # Stated only when the evidence clearly favours it; a near tie is no answer to state.
        clear = len(order) == 1 or total[name] >= _CLEAR_LEAD * total[order[1]]
        pool = [*ranked, *(x for x in sentences if x not in ranked)]
        holding = [s for s in pool if any(f in s.text for f in forms[name])]
        lead = next((s for s in holding if name in s.text), holding[0] if holding else ranked[0])
        seen = {lead.passage.doc_id}
        others: list[Selected] = []
        for s in holding:
            if s.passage.doc_id not in seen and len(others) < 2:
                seen.add(s.passage.doc_id)
                others.append(s)
        # A question that asks for a person ("Who is the individual…") is not answered by
        # the name of a company or a place.
        if only_person and bonus.get(name) != 2.0:
            clear = False
        return lead, (name if clear else ""), (lead, *others)

    def _slot(
        self, plan: QueryPlan, top: list[Selected], anchors: list[str], holds: Callable[[str], bool]
    ) -> Selected | None:
        """The best sentence where the question's first name, one of its other key terms and a
        date (or figure) stand close together; None when no sentence has them (the question
        presupposes what the sources never state: "When did Ukraine join NATO?"). A name in
        the article's title or the sentences just before counts as present: the sentence
        refers back to it ("Solberg said… She estimated that the work cost 640,000 euros")."""
        names = [a for a in anchors if not a.isdigit()]
        terms = set(self.analyzer(" ".join(plan.terms))) - {
            w for a in names for w in self.analyzer(a)
        }
        for s in top:
            if not holds(s.text):
                continue
            words = re.findall(r"[\w’'-]+", s.text.lower())
            stems = [self.analyzer(w)[:1] for w in words]
            at_term = [i for i, st in enumerate(stems) if st and st[0] in terms]
            if terms and not at_term:
                continue
            if names:
                # "the Canadian operator" is named by a sentence that says "Canada"
                first = (names[0].split()[-1], *(f.lower() for f in forms(names[0])))
                at_name = [i for i, w in enumerate(words) if w.startswith(first)]
                if not at_name and not any(_present(n, _before(s)) for n in first):
                    continue
                if at_name and at_term and min(abs(i - j) for i in at_name for j in at_term) > 8:
                    continue
            return s
        return None

    def _wants_name(self, plan: QueryPlan) -> bool:
        """Whether the answer is a name the answer can state: not for "Who is Gail Ferris?"
        (every key term is the question's own name: it asks for a description), for "What
        type of shops…" (a category) or for "Which outlet reported…" (the attribution of the
        sentences answers it)."""
        if _CATEGORY.match(plan.question.strip()) or _WHICH_SOURCE.search(plan.question):
            return False
        own = {w for e in plan.entities for w in self.analyzer(e)}
        return not own or bool(set(self.analyzer(" ".join(plan.terms))) - own)

    @staticmethod
    def _next_to(chosen: list[Selected], sentences: list[Selected]) -> list[Selected]:
        """The sentence after each chosen one in its passage (a list often follows the
        sentence that introduces it: "seven countries joined ... Estonia, Latvia and ...")."""
        out = []
        for s in chosen:
            after = [
                x
                for x in sentences
                if x.passage.chunk_id == s.passage.chunk_id and x.start > s.start
            ]
            if after:
                out.append(replace(min(after, key=lambda x: x.start), score=s.score))
        return out

    @staticmethod
    def _anchors(plan: QueryPlan) -> list[str]:
        """The question's names (other than the sources it names) and years, lower-cased."""
        named = " ".join(plan.question[m.start : m.end] for m in plan.mentions).lower()
        out = [e.lower() for e in plan.entities if e.lower() not in named]
        return out + sorted(years(plan.question) - years(" ".join(d.text for d in plan.dates)))

    def _list(
        self, pool: list[Selected], known: set[str], anchors: list[str]
    ) -> tuple[list[Selected], list[tuple[str, tuple[Selected, ...]]]]:
        """Items of enumerations in the evidence, from passages that hold the question's
        names and years (when any passage holds them all)."""
        whole = [s for s in pool if all(_present(a, _haystack(s.passage)) for a in anchors)]
        items: dict[str, list[Selected]] = {}
        for s in whole or pool:
            for item in enumerated(s.text, known):
                items.setdefault(item, []).append(s)
        if not items:
            return [pool[0]], []
        by_count = sorted(pool, key=lambda s: -sum(s in v for v in items.values()))
        found = [(k, tuple(dict.fromkeys(v))) for k, v in items.items()]
        return [by_count[0]], found

    def _sides(self, plan: QueryPlan, pool: list[Selected]) -> list[Selected]:
        """The best sentence for each side the question names (a source, else a name)."""
        picked: list[Selected] = []
        for mention in plan.mentions:
            clause_terms = set(self.analyzer(mention.clause))
            own = [s for s in pool if s.passage.source in mention.sources and s not in picked]
            if own:
                picked.append(
                    max(
                        own,
                        key=lambda s: (
                            s.score + 0.1 * len(clause_terms & set(self.analyzer(s.text)))
                        ),
                    )
                )
        if not plan.mentions:
            for name in plan.entities:
                own = [s for s in pool if name.lower() in s.text.lower() and s not in picked]
                if own:
                    picked.append(own[0])
        return picked or [pool[0]]

    def _disagreement(
        self, plan: QueryPlan, pool: list[Selected]
    ) -> tuple[Selected, Selected, str] | None:
        """Two sentences of the pool that make opposing statements about the question's
        proposition (or one that reports a claim and its denial); their articles and dates
        tell reports of different moments apart."""
        statements = [Statement(s.text, s.passage.doc_id, s.passage.published_at) for s in pool]
        found: Disagreement | None = find_disagreement(statements, plan)
        if found is None:
            return None
        return pool[found.first], pool[found.second], found.reason

    # --- composing ----------------------------------------------------------------------------
    def compose(self, question: str, evidence: Evidence) -> Answer:
        """The answer's text and citations from the evidence."""
        plan = evidence.plan
        # Every sentence names its source where the sides are sources or the question asks
        # which source said it: there the source is the answer.
        always = plan.kind in {"comparison", "temporal"} or (
            len(plan.sources) >= 2 and bool(_WHICH_SOURCE.search(plan.question))
        )
        sides = set(evidence.disagreement[:2]) if evidence.disagreement else set()
        composer = Composer()
        lines: list[Line] = []
        if evidence.items:
            names = [k for k, _ in evidence.items]
            quotes = tuple(dict.fromkeys(s for _, v in evidence.items for s in v))
            if plan.kind in _LIST_KINDS and len(names) == 1:
                lines.append(Line(f"The sources point to {names[0]}.", quotes))
            else:
                lines.append(Line(f"The sources name {_join(names)}.", quotes))
        rest = sorted(
            evidence.support,
            key=lambda s: (
                (s.passage.published_at, s.start)
                if plan.kind == "temporal"
                else (evidence.chosen.index(s), 0)
            ),
        )
        previous: Selected | None = None
        named = ""  # the label the previous line opened with
        for s in [*evidence.lead, *rest]:
            # Who says it, where it reports a claim, takes a side or answers for a named side;
            # not again for the next sentence of the same source and date.
            said = always or s in sides or is_reported_claim(s.text)
            text = attributed(s, said and (label(s.passage) != named or s in sides))
            named = label(s.passage) if said else ""
            new = (
                previous is None
                or s in evidence.lead
                or s.passage.doc_id != previous.passage.doc_id
            )
            lines.append(Line(text, (s,), paragraph=bool(lines) and new))
            previous = s
        header = DISAGREE_TEXT + "\n\n" if evidence.disagreement else ""
        text, claims = composer.write(lines, header)
        shown = len(composer.book)
        more_lines = [Line(attributed(s, True), (s,), paragraph=True) for s in evidence.more]
        more_text, _ = composer.write(more_lines)
        citations = composer.book.citations()
        reason = evidence.disagreement[2] if evidence.disagreement else ""
        return Answer(
            question=question,
            text=text,
            citations=[c for c in citations if c.n <= shown],
            abstained=False,
            claims=tuple(claims),
            conflict=evidence.disagreement is not None,
            kind=plan.kind,
            more=more_text,
            more_citations=[c for c in citations if c.n > shown],
            disagreement=reason,
        )

    def answer(
        self, question: str, passages: list[Passage], plan: QueryPlan | None = None
    ) -> Iterator[str | Answer]:
        """Yields the answer's text in pieces, then the :class:`Answer`."""
        evidence = self.evidence(question, passages, plan)
        if evidence.missing:
            answer = replace(abstention(question, evidence.missing), kind=evidence.plan.kind)
        else:
            answer = self.compose(question, evidence)
        for piece in re.split(r"(?<=\])(?= |\n)", answer.text):
            if piece:
                yield piece
        yield answer


# the head of the counted phrase is its last word before the verb: "how many King
# employees did…" counts employees
_AUXILIARIES = (
    *("did", "does", "do", "were", "was", "are", "is", "has", "have", "had"),
    *("will", "would", "can", "could"),
)
_HOW_MANY_HEAD = re.compile(
    r"\bhow many ((?:[\w’'-]+\s+){0,3}?)([a-z]+)\s+(?:" + "|".join(_AUXILIARIES) + r")\b"
)
_HOW_MANY = re.compile(r"\bhow many ([a-z]+)")


def _counted(plan: QueryPlan) -> str:
    """What a "how many" question counts ("goals" in "how many goals did she score"), or ""."""
    lower = plan.question.lower()
    found = _HOW_MANY_HEAD.search(lower)
    if found:
        return "" if found.group(2) in _OCCURRENCES else found.group(2)
    found = _HOW_MANY.search(lower)
    # "how many have died": a verb right after "how many" counts no noun
    if not found or found.group(1) in _AUXILIARIES or found.group(1) == "of":
        return ""
    return "" if found.group(1) in _OCCURRENCES else found.group(1)


# "How many times" counts occurrences, which a source gives in any words ("twice", "on two
# separate occasions", "rejected both times"): any figure of the slot sentence answers it.
_OCCURRENCES = frozenset(["times", "occasions", "instances"])


def _join(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


__all__ = ["Evidence", "ExtractiveAnswerer", "is_fragment", "label", "readable"]
