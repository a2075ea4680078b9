"""A cause a claim states, read apart: "X because of Y" is two statements and the link.

Two true sentences do not make the cause between them: "losses grew because of competition"
is not supported by one sentence saying losses grew and another that competition is stiff.
"""

from __future__ import annotations

import re

from assistant import claimrules as rules

_CAUSE = re.compile(
    r"\b(?:because(?:\s+of)?|due\s+to|owing\s+to|as\s+a\s+result\s+of|thanks\s+to|"
    r"caused\s+by|driven\s+by|fuell?ed\s+by|in\s+response\s+to|which\s+(?:led|leads)\s+to|"
    r"leading\s+to|resulting\s+in)\b",
    re.I,
)


def causal_parts(claim: str) -> tuple[str, str] | None:
    """The two sides of a cause the claim states ("X because of Y" → (X, Y)), if it states
    one."""
    m = _CAUSE.search(claim)
    if not m:
        return None
    left, right = claim[: m.start()], claim[m.end() :]
    if len(rules.content(left)) < 2 or len(rules.content(right)) < 1:
        return None
    return left, right
