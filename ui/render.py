"""Safe rendering of untrusted text (articles, model output) as Streamlit Markdown.

Every ASCII punctuation character is backslash-escaped, so no Markdown construct (image, link,
HTML tag, directive) in the text can take effect; Streamlit never renders raw HTML without
``unsafe_allow_html``, which this app never sets.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def escape(text: str) -> str:
    """Markdown-inert version of ``text`` (newlines kept as paragraph breaks)."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    paragraphs = re.split(r"\n\s*\n", escaped)
    return "\n\n".join(p.replace("\n", "  \n") for p in paragraphs)


def highlighted(context: str, start: int, end: int) -> str:
    """``context`` escaped, with ``context[start:end]`` shown highlighted."""
    start = max(0, min(start, len(context)))
    end = max(start, min(end, len(context)))
    inner = escape(context[start:end]).replace("  \n", " ")
    return f"{escape(context[:start])}:orange-background[**{inner}**]{escape(context[end:])}"


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


def citation_caption(title: str, source: str, author: str, published_at: str) -> str:
    meta = " · ".join(x for x in (source, author, published_at) if x)
    return escape(f"{title} — {meta}" if meta else title)
