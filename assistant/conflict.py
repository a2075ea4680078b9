"""Spotting sources that disagree: one passage asserts or reports a claim, another denies it.

A deliberately transparent rule (cue words for assertion and denial, plus shared topic words)
rather than a model: it runs offline, and when it fires the answer shows both sides with their
own citations, so a false alarm costs a sentence, never a hidden claim.
"""

from __future__ import annotations

import re

_ASSERT = re.compile(
    r"\b(promis\w*|assur\w*|pledg\w*|guarant\w*|vow\w*|claim\w*|insist\w*|accus\w*|"
    r"betray\w*|broke|broken|breaking|commit\w*|agreed|confirm\w*)\b",
    re.I,
)
_DENY = re.compile(
    r"\b(den(y|ied|ies|ial)|refut\w*|never|myth|false|untrue|"
    # A rejected request ("joined twice but was rejected") is an event, not a denial: these
    # verbs count when they reject a claim.
    r"(reject|dismiss)\w*\s+(\w+\s+){0,3}?(claims?|ideas?|notion|suggestions?|accusations?|"
    r"allegations?|charges?|reports?|assertions?|accounts?|version|narrative|story|that)|"
    r"(rejected|dismissed)\s+(it|them|this)?\s*as|"
    r"no (legally )?(binding )?(written )?"
    r"(agreement|promise|pledge|guarantee|commitment|evidence|treaty)|"
    r"not (a |an )?(binding|written|formal|legal)|was not made|were not made|no such)\b",
    re.I,
)
_WORD = re.compile(r"[a-z]{4,}")
_STOP = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "have",
        "were",
        "been",
        "their",
        "they",
        "would",
        "which",
        "while",
        "about",
    ]
)


def _topic(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP}


def asserts(text: str) -> bool:
    """The sentence asserts or reports a claim (a promise, an accusation...)."""
    return bool(_ASSERT.search(text))


def denies(text: str) -> bool:
    """The sentence denies or rejects a claim."""
    return bool(_DENY.search(text))


def shares_topic(a: str, b: str) -> bool:
    return len(_topic(a) & _topic(b)) >= 2


def find_conflict(sentences: list[str]) -> bool:
    """True when the sentences hold both an assertion and a denial about a shared topic."""
    asserting = [s for s in sentences if _ASSERT.search(s)]
    denying = [s for s in sentences if _DENY.search(s)]
    for a in asserting:
        for d in denying:
            if a is d:
                if _ASSERT.search(a) and _DENY.search(a) and len(sentences) > 1:
                    return True
                continue
            if len(_topic(a) & _topic(d)) >= 2:
                return True
    return False
