"""A conversation as a Markdown document: each question, its answer, and the answer's numbered
sources with the quoted sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from assistant import Answer

# Characters that can start a Markdown construct (links, images, emphasis, HTML, tables, code).
# Escaping them keeps untrusted text inert in any Markdown viewer and still readable as text.
_ACTIVE = re.compile(r"([\\`*_\[\]<>!#|~{}])")


def md_text(text: str) -> str:
    """``text`` with Markdown-active characters backslash-escaped, line breaks kept."""
    return _ACTIVE.sub(r"\\\1", text).replace("\r", "")


def _quote_block(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in md_text(text).split("\n"))


def answer_markdown(answer: Answer) -> str:
    """One answer with its numbered sources."""
    lines = [md_text(answer.text).strip(), ""]
    if answer.citations:
        lines += ["Sources:", ""]
    for c in answer.citations:
        meta = ", ".join(md_text(x) for x in (c.source, c.author, c.published_at) if x)
        entry = f"{c.n}. **{md_text(c.title)}**" + (f" — {meta}" if meta else "")
        if c.url and re.match(r"https?://", c.url):
            entry += f" <{c.url.replace('>', '%3E').replace(' ', '%20')}>"
        lines.append(entry)
        quoted = " … ".join(q.text for q in c.quotes) if c.quotes else c.text
        lines += ["", "   " + _quote_block(quoted).replace("\n", "\n   "), ""]
    return "\n".join(lines).rstrip() + "\n"


def conversation_markdown(
    turns: Sequence[tuple[str, Answer | None]], when: datetime | None = None
) -> str:
    """The conversation (question, answer or ``None`` when it failed) as Markdown."""
    stamp = (when or datetime.now()).strftime("%Y-%m-%d %H:%M")
    parts = [f"# Sourced conversation\n\nExported {stamp}.\n"]
    for i, (question, answer) in enumerate(turns, start=1):
        parts.append(f"## {i}. {md_text(question).strip()}\n")
        parts.append(answer_markdown(answer) if answer else "_No answer._\n")
    return "\n".join(parts)
