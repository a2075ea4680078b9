"""Safe rendering of untrusted text (articles, model output) as Streamlit Markdown.

Every ASCII punctuation character is backslash-escaped, so no Markdown construct (image, link,
HTML tag, directive) in the text can take effect; Streamlit never renders raw HTML without
``unsafe_allow_html``, which this app never sets. The only live Markdown this module emits is
what it writes itself: citation links to in-page anchors and the highlight directive.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_AUTOLINK = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*:(?=//)|\bwww(?=\.)|@)")
_JOINER = "\u2060"
_ESCAPED_MARKER = re.compile(r"\\\[(\d{1,3})\\\]")


def escape(text: str) -> str:
    """Markdown-inert version of ``text`` (newlines kept as paragraph breaks)."""
    # GFM turns bare URLs and e-mail addresses into links after parsing, escaped or not; an
    # invisible word joiner after the scheme, "www" or "@" keeps them plain text.
    text = _AUTOLINK.sub(lambda m: m.group(0) + _JOINER, text)
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    paragraphs = re.split(r"\n\s*\n", escaped)
    return "\n\n".join(p.replace("\n", "  \n") for p in paragraphs)


def citation_anchor(turn: int, n: int) -> str:
    """The in-page anchor of citation ``n`` of answer ``turn``."""
    return f"cite-{turn}-{n}"


def linked_answer(text: str, numbers: Iterable[int], turn: int) -> str:
    """``text`` escaped, with each ``[n]`` marker of a real citation turned into a link to
    that citation's entry under the answer (an in-page anchor, never an outside URL)."""
    known = set(numbers)

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if n not in known:
            return match.group(0)
        return f"[\\[{n}\\]](#{citation_anchor(turn, n)})"

    return _ESCAPED_MARKER.sub(link, escape(text))


def highlighted(context: str, start: int, end: int) -> str:
    """``context`` escaped, with ``context[start:end]`` shown highlighted."""
    return highlighted_spans(context, [(start, end)])


def highlighted_spans(context: str, spans: Iterable[tuple[int, int]], *, bold: bool = True) -> str:
    """``context`` escaped, with each ``context[start:end]`` of ``spans`` highlighted (spans
    are clipped to the context; overlapping ones merged)."""
    clipped = sorted((max(0, min(s, len(context))), max(0, min(e, len(context)))) for s, e in spans)
    merged: list[list[int]] = []
    for s, e in clipped:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        # A directive cannot span paragraphs: mark each paragraph of the span on its own.
        parts = [p.replace("  \n", " ") for p in escape(context[s:e]).split("\n\n")]
        if not any(p.strip() for p in parts):
            continue
        out.append(escape(context[pos:s]))
        out.append("\n\n".join(_mark(p, bold) for p in parts))
        pos = e
    out.append(escape(context[pos:]))
    return "".join(out)


def _mark(escaped: str, bold: bool = True) -> str:
    # Emphasis must hug the text, so surrounding spaces stay outside the directive.
    core = escaped.strip()
    if not core:
        return escaped
    lead = escaped[: len(escaped) - len(escaped.lstrip())]
    trail = escaped[len(escaped.rstrip()) :]
    core = f"**{core}**" if bold else core
    return f"{lead}:orange-background[{core}]{trail}"


def paragraph_around(text: str, start: int, end: int, margin: int = 600) -> tuple[str, int, int]:
    """The paragraph(s) holding ``text[start:end]``, up to ``margin`` characters either side;
    returns the excerpt and the span's offsets inside it."""
    left = text.rfind("\n\n", 0, start)
    left = 0 if left < 0 else left + 2
    left = max(left, start - margin)
    right = text.find("\n\n", end)
    right = len(text) if right < 0 else right
    right = min(right, end + margin)
    # Widen to whole words.
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    while right < len(text) and not text[right].isspace():
        right += 1
    return text[left:right], start - left, end - left


def split_at_passage(text: str, start: int, end: int) -> tuple[str, str, int, int, str]:
    """The whole document cut around the paragraph(s) holding ``text[start:end]``: the text
    before, that paragraph, the span's offsets inside it, and the text after."""
    left = text.rfind("\n\n", 0, start)
    left = 0 if left < 0 else left + 2
    right = text.find("\n\n", end)
    right = len(text) if right < 0 else right
    return text[:left].rstrip(), text[left:right], start - left, end - left, text[right:].strip()


def meta_line(*parts: str) -> str:
    """Non-empty ``parts`` joined with dots, escaped."""
    return escape(" · ".join(p for p in parts if p))
