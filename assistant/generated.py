"""Generated answers from a chat model, checked sentence by sentence before they are shown.

The model is asked only when the extractive scorer finds passages that support an answer
(otherwise the answer abstains). Its output is cut into sentences as it streams; each sentence
is verified (:mod:`assistant.verify`) and emitted only once it passed, so the streamed text is
exactly the final, verified text. Left-out sentences, removed markers and links are listed in
``answer.notes``; when no sentence survives or the model fails before any did, the extractive
answer is given instead, with a note saying so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from langchain_core.language_models import BaseChatModel

from assistant.checker import Thresholds
from assistant.compose import (
    DISAGREE_TEXT,
    CitationBook,
    Selected,
    abstention,
    attributed,
    claim_line,
    is_reported_claim,
    source_label,
)
from assistant.conflict import find_conflict
from assistant.extractive import Evidence, ExtractiveAnswerer
from assistant.injection import host, sanitize_links
from assistant.markers import Marked, SentenceStream, read_markers
from assistant.prompts import answer_messages
from assistant.types import Answer, Claim, Quote, Verification
from assistant.verify import Verifier
from ingest.config import Settings
from vectorstore.query import QueryPlan
from vectorstore.types import Passage

HEADER = DISAGREE_TEXT + "\n\n"
_ENDINGS = tuple(".!?…:;\"”’')»")
_COMMON_FIRST = re.compile(r"^(The|A|An|It|This|That|These|Those|There|Both|Some|In|On)\b")


def finished(sentence: str, passages: int) -> bool:
    """Does ``sentence`` (markers aside) end as a sentence does?"""
    text = read_markers(sentence, passages).text.rstrip()
    return text.endswith(_ENDINGS)


def _heading(p: Passage) -> str:
    return " — ".join(x for x in (p.title, p.source, p.published_at) if x)


def _attribute(text: str, quotes: tuple[Quote, ...], label: str) -> str:
    """A sentence resting on a reported claim names who reports it, so the answer never
    states a claim as fact."""
    if not any(is_reported_claim(q.text) for q in quotes) or is_reported_claim(text):
        return text
    if _COMMON_FIRST.match(text):
        text = text[0].lower() + text[1:]
    return f"According to {label}, {text}"


class _Draft:
    """The verified answer as it is built, sentence by sentence."""

    def __init__(self, passages: list[Passage], verifier: Verifier, header: str) -> None:
        self.passages = passages
        self.verifier = verifier
        self.header = header
        self.book = CitationBook()
        self.claims: list[Claim] = []
        self.quotes: list[str] = []
        self.pieces: list[str] = []
        self.stems: list[set[str]] = []
        self.sentences = 0
        self.dropped: list[tuple[str, str]] = []
        self.reattributed = 0
        self.markers_removed = 0
        self.links_removed = 0

    def _read(self, sentence: str) -> tuple[Marked, str] | None:
        """The sentence's markers and its plain text (counting removed markers), or None for
        filler such as "Answer:" or "Sure!"."""
        marked = read_markers(sentence, len(self.passages))
        self.markers_removed += marked.out_of_range + marked.malformed
        plain, _ = sanitize_links(marked.text, set())
        if len(re.findall(r"\w+", plain)) < 3:
            return None
        self.sentences += 1
        return marked, plain

    def take(self, sentence: str) -> str | None:
        """The verified piece of text for a generated sentence, or None when it is left out."""
        if (read := self._read(sentence)) is None:
            return None
        marked, plain = read
        verdict = self.verifier.check(plain, marked.cited)
        if not verdict.kept:
            self.dropped.append((plain, verdict.reason))
            return None
        stems = set(self.verifier.analyzer(plain))
        if any(len(stems & s) / len(stems | s) > 0.8 for s in self.stems):
            self.dropped.append((plain, "repeats an earlier sentence"))
            return None
        hosts = {host(self.passages[i].url) for i in verdict.passages} - {""}
        text, links = sanitize_links(marked.text, hosts)
        self.links_removed += links
        self.reattributed += int(verdict.reattributed)
        label = source_label(self.passages[verdict.passages[0]])
        text = _attribute(text, verdict.quotes, label)
        numbers = tuple(
            self.book.cite(self.passages[i], q)
            for i, q in zip(verdict.passages, verdict.quotes, strict=True)
        )
        return self._emit(text, numbers, [q.text for q in verdict.quotes], stems)

    def drop(self, sentence: str, reason: str) -> None:
        """Leave ``sentence`` out of the answer, saying why."""
        if (read := self._read(sentence)) is not None:
            self.dropped.append((read[1], reason))

    def add_selected(self, item: Selected) -> str:
        """An extractive sentence (the other side of a contested claim), attributed."""
        number = self.book.cite(item.passage, Quote(item.text, item.start, item.end))
        stems = set(self.verifier.analyzer(item.text))
        return self._emit(attributed(item, True), (number,), [item.text], stems, paragraph=True)

    def _emit(
        self,
        text: str,
        numbers: tuple[int, ...],
        quotes: list[str],
        stems: set[str],
        paragraph: bool = False,
    ) -> str:
        sep = ("\n\n" if paragraph else " ") if self.pieces else self.header
        piece = sep + claim_line(text, numbers)
        self.claims.append(Claim(text, numbers))
        self.quotes.extend(quotes)
        self.stems.append(stems)
        self.pieces.append(piece)
        return piece

    def texts(self) -> list[str]:
        return [c.text for c in self.claims] + self.quotes


class GeneratedAnswerer:
    """Answers with a LangChain chat model; every sentence shown is verified and cited."""

    mode = "generated"

    def __init__(
        self,
        model: BaseChatModel,
        extractive: ExtractiveAnswerer,
        settings: Settings,
        label: str,
    ) -> None:
        self.model = model
        self.extractive = extractive
        self.settings = settings
        self.label = label

    def answer(
        self, question: str, passages: list[Passage], plan: QueryPlan | None = None
    ) -> Iterator[str | Answer]:
        """Yields verified sentences as the model writes them, then the :class:`Answer`."""
        evidence = self.extractive.evidence(question, passages, plan)
        if evidence.missing:
            yield from self._abstain(question, evidence.missing)
            return
        disagree = evidence.disagreement is not None
        verifier = Verifier(
            passages,
            self.extractive.embedder,
            self.extractive.analyzer,
            Thresholds.from_settings(self.settings),
        )
        numbered = [(i + 1, _heading(p), verifier.prompt_text(i)) for i, p in enumerate(passages)]
        messages = answer_messages(question, numbered, self.settings.answer_sentences, disagree)
        draft = _Draft(passages, verifier, HEADER if disagree else "")
        splitter = SentenceStream()
        raw: list[str] = []
        failure = ""
        try:
            for chunk in self.model.stream(messages):
                token = chunk.text if isinstance(chunk.text, str) else str(chunk.content)
                raw.append(token)
                for sentence in splitter.feed(token):
                    if (piece := draft.take(sentence)) is not None:
                        yield piece
            rest = splitter.flush()
            for k, sentence in enumerate(rest):
                if k == len(rest) - 1 and not finished(sentence, len(passages)):
                    # The model stopped mid-sentence (its token limit): the missing end could
                    # reverse what the start says.
                    draft.drop(sentence, "was cut off before its end")
                elif (piece := draft.take(sentence)) is not None:
                    yield piece
        except Exception as exc:  # any provider error: connection refused, quota, timeout…
            failure = f"{type(exc).__name__}: {exc}"
        verification = Verification(
            draft="".join(raw),
            sentences=draft.sentences,
            kept=len(draft.claims),
            dropped=tuple(draft.dropped),
            reattributed=draft.reattributed,
            markers_removed=draft.markers_removed,
            links_removed=draft.links_removed,
        )
        if not draft.claims:
            reason = (
                f"The language model ({self.label}) could not be used: {failure}."
                if failure
                else f"None of the {draft.sentences} sentence(s) the language model "
                f"({self.label}) wrote could be verified against the sources."
            )
            yield from self._fallback(question, evidence, reason, verification)
            return
        notes: list[str] = []
        if failure:
            notes.append(f"The language model ({self.label}) stopped early: {failure}.")
        conflict = self._other_sides(draft, evidence)
        for piece in conflict[1]:
            yield piece
        notes.extend(self._notes(draft, conflict[0]))
        yield Answer(
            question=question,
            text="".join(draft.pieces),
            citations=draft.book.citations(),
            abstained=False,
            claims=tuple(draft.claims),
            notes=tuple(notes),
            conflict=conflict[0],
            mode=self.mode,
            verification=verification,
        )

    def _other_sides(self, draft: _Draft, evidence: Evidence) -> tuple[bool, list[str]]:
        """When the sources disagree, make sure the answer carries each side: a side the model
        left out is added from the passages, attributed and cited."""
        texts = draft.texts()
        if evidence.disagreement is None:
            if not find_conflict(texts, evidence.plan):
                return False, []
            piece = "\n\nThe sources disagree on this; each side is cited above."
            draft.pieces.append(piece)
            return True, [piece]
        pieces: list[str] = []
        sides: list[Selected] = list(dict.fromkeys(evidence.disagreement[:2]))
        for side in sides:
            if side.text not in texts:
                texts.append(side.text)
                pieces.append(draft.add_selected(side))
        return True, pieces

    @staticmethod
    def _notes(draft: _Draft, conflict: bool) -> list[str]:
        notes = []
        if draft.dropped:
            listed = "; ".join(f"“{t}” ({why})" for t, why in draft.dropped)
            notes.append(
                f"Left out {len(draft.dropped)} sentence(s) of the model's answer that the "
                f"sources do not support: {listed}"
            )
        if draft.reattributed:
            notes.append(
                f"{draft.reattributed} sentence(s) cited a passage that does not support them "
                "and now cite the one that does."
            )
        if draft.markers_removed:
            notes.append(
                f"Removed {draft.markers_removed} citation marker(s) that point to no passage."
            )
        if draft.links_removed:
            notes.append(
                f"Removed {draft.links_removed} image(s) or link(s) to hosts that are not "
                "cited sources."
            )
        return notes

    def _abstain(self, question: str, reason: str) -> Iterator[str | Answer]:
        answer = abstention(question, reason, mode=self.mode)
        answer = replace(answer, notes=(*answer.notes, "The language model was not asked."))
        yield answer.text
        yield answer

    def _fallback(
        self, question: str, evidence: Evidence, reason: str, verification: Verification
    ) -> Iterator[str | Answer]:
        note = f"{reason} Showing the quoted passages instead."
        answer = self.extractive.compose(question, evidence)
        yield answer.text
        yield replace(answer, notes=(note, *answer.notes), verification=verification)
