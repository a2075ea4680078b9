"""Follow-up questions rewritten into standalone ones before retrieval.

Without a model a transparent rule does it: a personal pronoun is replaced by the name the
previous question was about ("what did he say about the Baltic states?" after "What did Putin
say about NATO?" → "what did Putin say about the Baltic states?"); a follow-up with nothing to
replace ("what about Finland?", "and in 1999?") gets the previous question's topic appended.
With a model, the model rewrites it, and the rule is used when its rewrite drops the words
of the question or fails.
"""

from __future__ import annotations

import re

from langchain_core.language_models import BaseChatModel

from assistant.answerer import History, turns
from assistant.markers import read_markers
from assistant.prompts import rewrite_messages
from assistant.verify import NOT_NAMES

_PERSON = re.compile(r"\b(he|him|his|she|her|hers)\b", re.I)
_GROUP = re.compile(r"\b(they|them|their|theirs)\b", re.I)
_THING = re.compile(r"\b(it|its|this|that|these|those|there|the same)\b", re.I)
_FOLLOW_START = re.compile(
    r"^\s*(and|but|also|what about|how about|what else|and what|same for|why not)\b", re.I
)
_NAME = re.compile(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")
_QUESTION = re.compile(
    r"^\s*(how much|how many|how often|how long|did|does|do|what|who|whom|when|where|why|"
    r"how|which|is|are|was|were|has|have|had|"
    r"can|could|would|should|will|tell me|according to \w+)\b\s*",
    re.I,
)
_CONTENT = re.compile(r"[A-Za-z][\w’'-]{2,}")
_FUNCTION_WORDS = (
    "the and but also what about how did does was were is are who whom when where why "
    "which say said says tell told with from for this that these those there they "
    "them their he him his she her it its else same any more "
)
_FUNCTION = frozenset(_FUNCTION_WORDS.split())


def looks_like_followup(question: str) -> bool:
    """The question leans on the conversation: a pronoun, a "what about…" opening, or too few
    words of its own."""
    own = [w for w in _CONTENT.findall(question) if w.lower() not in _FUNCTION]
    return bool(
        _PERSON.search(question)
        or _GROUP.search(question)
        or _THING.search(question)
        or _FOLLOW_START.search(question)
        or len(own) < 2
    )


def _names(text: str) -> list[str]:
    out = []
    for match in _NAME.finditer(text):
        words = [w for w in match.group(0).split() if w not in NOT_NAMES]
        if words:
            out.append(" ".join(words))
    return out


def _topic(question: str) -> str:
    return _QUESTION.sub("", question).strip().rstrip("?.! ").strip()


class RuleRewriter:
    """The history-aware rule of the extractive mode (no model)."""

    def rewrite(self, question: str, history: History) -> str:
        asked = [text for role, text in turns(history) if role == "user"]
        if not asked or not looks_like_followup(question):
            return question
        named = next((n for q in reversed(asked) if (n := _names(q))), [])
        people = [n for n in named if not n.isupper()] or named
        groups = [n for n in named if n.isupper() or " " in n] or named
        rewritten = question
        if people:
            person = people[0]

            def person_sub(m: re.Match[str]) -> str:
                return f"{person}’s" if m.group(1).lower() in {"his", "hers"} else person

            rewritten = _PERSON.sub(person_sub, rewritten)
        if groups:
            group = groups[0]

            def group_sub(m: re.Match[str]) -> str:
                return f"{group}’s" if m.group(1).lower().startswith("their") else group

            rewritten = _GROUP.sub(group_sub, rewritten)
        if rewritten != question:
            return rewritten
        topic = _topic(asked[-1])
        return f"{question.strip().rstrip('?.! ')} ({topic})?" if topic else question


class ModelRewriter:
    """Asks the chat model for the standalone question; falls back to the rule when the
    model fails or its rewrite loses the question's own words."""

    def __init__(self, model: BaseChatModel, rule: RuleRewriter | None = None) -> None:
        self.model = model
        self.rule = rule or RuleRewriter()

    def rewrite(self, question: str, history: History) -> str:
        pairs = turns(history)
        if not pairs or not looks_like_followup(question):
            return question
        recent = [(role, read_markers(text, 0).text[:300]) for role, text in pairs[-6:]]
        try:
            reply = self.model.invoke(rewrite_messages(question, recent))
            text = reply.text if isinstance(reply.text, str) else str(reply.content)
        except Exception:
            return self.rule.rewrite(question, history)
        candidate = self._clean(text)
        own = {w.lower() for w in _CONTENT.findall(question) if w.lower() not in _FUNCTION}
        kept = {w.lower() for w in _CONTENT.findall(candidate)}
        if (
            not candidate
            or len(candidate) > 300
            or candidate.strip().lower() == question.strip().lower()
            or (own and len(own & kept) < len(own) / 2)
        ):
            return self.rule.rewrite(question, history)
        return candidate

    @staticmethod
    def _clean(text: str) -> str:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if not lines:
            return ""
        line = re.sub(r"^(rewritten|standalone)?\s*(question)?\s*:\s*", "", lines[0], flags=re.I)
        return line.strip().strip("\"“”'").strip()
