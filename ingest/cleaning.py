"""Find the prose in scraped article text, and the title, author and site in its header.

The rules are structural, not tuned to one site: news prose is made of long, punctuated
paragraphs, so whatever comes before the first such paragraph is a header (site name, headline,
author line, pagination crumbs, notes) and is turned into metadata or dropped. Short unpunctuated
lines inside the body are section headings; credit and navigation lines are dropped. The text
itself is never rewritten: the result is a list of spans into it, so citations can point into
the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Block

_CRUMB = re.compile(r"^\(?\s*(?:page\s+)?\d+\s*(?:/|of)\s*\d+\s*\)?$|^page\s+\d+$", re.I)
_AUTHOR = re.compile(
    r"^(?:by|author|authors|written by|words by|reporter|posted by)\s*[:：]?\s*(?P<name>.+)$", re.I
)
_CREDIT = re.compile(
    r"^(?:reporting|additional reporting|editing|edited|writing|photo|photograph|image|images|"
    r"picture|source|sources|via|read more|related|advertisement|sponsored|share|subscribe|"
    r"follow us|sign up|updated|published|copyright|©|all rights reserved|click here|"
    r"continue reading|listen|watch)\b",
    re.I,
)
# A headline may end with an emoji and a view/like counter: "Headline🔥94".
_TITLE_TAIL = re.compile(
    r"[\s\u200d\ufe0f]*[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF]"
    r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2190-\u21FF\u200d\ufe0f\s]*[\d.,kKmM]*\s*$"
)
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_TERMINAL = re.compile(r"""[.!?…:;]["'”’)\]]*$""")
_WORDS = re.compile(r"\w+")

HEADER_PROSE_MIN_WORDS = 12
BODY_HEADING_MAX_WORDS = 20


@dataclass(frozen=True)
class Cleaned:
    """What cleaning found: the prose/heading blocks and header metadata."""

    blocks: tuple[Block, ...]
    title: str = ""
    author: str = ""
    site: str = ""


def _raw_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of paragraphs: groups of non-blank lines, or single lines when paragraphs are one
    line each (scraped text), so that a heading line is never glued to its paragraph."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    lines = [(s, e) for s, e in lines if text[s:e].strip()]
    if not lines:
        return []
    one_line_paragraphs = any(e - s > 160 for s, e in lines) or "\n\n" not in text
    groups: list[tuple[int, int]] = []
    for s, e in lines:
        line = text[s:e]
        starts_new = (
            not groups
            or one_line_paragraphs
            or "\n\n" in text[groups[-1][1] : s]
            or _MD_HEADING.match(line.strip()) is not None
            or _MD_HEADING.match(text[groups[-1][0] : groups[-1][1]].strip()) is not None
        )
        if starts_new:
            groups.append((s, e))
        else:
            groups[-1] = (groups[-1][0], e)
    out = []
    for s, e in groups:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out


def _words(text: str) -> int:
    return len(_WORDS.findall(text))


def clean_title(title: str) -> str:
    """A headline without a trailing emoji/counter, site suffix or surrounding markup."""
    title = _MD_HEADING.sub("", title.strip())
    title = _TITLE_TAIL.sub("", title).strip()
    return re.sub(r"\s+", " ", title)


def _is_noise(line: str) -> bool:
    return bool(_CRUMB.match(line)) or (bool(_CREDIT.match(line)) and _words(line) <= 15)


def _is_header_prose(line: str) -> bool:
    words = _words(line)
    return words >= HEADER_PROSE_MIN_WORDS and (bool(_TERMINAL.search(line)) or words >= 25)


def clean(text: str, *, parse_header: bool = True) -> Cleaned:
    """Classify the paragraphs of ``text``; with ``parse_header`` read title/author/site from
    the lines before the first prose paragraph (set it off when metadata came from elsewhere)."""
    spans = _raw_blocks(text)
    first_prose = next(
        (i for i, (s, e) in enumerate(spans) if _is_header_prose(text[s:e])), len(spans)
    )
    if first_prose == len(spans):  # a short text: settle for any punctuated sentence
        first_prose = next(
            (
                i
                for i, (s, e) in enumerate(spans)
                if _TERMINAL.search(text[s:e]) and _words(text[s:e]) >= 6
            ),
            len(spans),
        )
    title = author = site = ""
    blocks: list[Block] = []
    pending_site: list[str] = []
    for i, (s, e) in enumerate(spans):
        line = text[s:e].strip()
        author_match = _AUTHOR.match(line)
        if i < first_prose:
            if _is_noise(line):
                continue
            if author_match and _words(line) <= 10:
                author = author or author_match.group("name").strip()
                continue
            if not parse_header:
                if not _TERMINAL.search(line) and _words(line) <= BODY_HEADING_MAX_WORDS:
                    blocks.append(Block(s, e, "heading"))
                elif _words(line) >= 6:
                    blocks.append(Block(s, e, "para"))
                continue
            if not title:
                if _words(line) >= 3 and not _TERMINAL.search(clean_title(line)):
                    title = clean_title(line)
                    site = " ".join(pending_site)
                elif _words(line) <= 4:
                    pending_site.append(line)
                continue
            # After the headline: decks and subheadings give context; short notes are noise.
            if not _TERMINAL.search(line) and _words(line) <= BODY_HEADING_MAX_WORDS:
                blocks.append(Block(s, e, "heading"))
            continue
        if _is_noise(line) or (author_match and _words(line) <= 10):
            continue
        if _MD_HEADING.match(line) or (
            not _TERMINAL.search(line) and _words(line) <= BODY_HEADING_MAX_WORDS
        ):
            blocks.append(Block(s, e, "heading"))
        else:
            blocks.append(Block(s, e, "para"))
    return Cleaned(blocks=tuple(blocks), title=title, author=author, site=site)
