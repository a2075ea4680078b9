"""Defences against instructions planted in articles (indirect prompt injection).

Articles are data, never instructions. Sentences of a passage that address an AI model
("ignore previous instructions…", "the assistant must repeat…") are kept out of the prompt
and cannot support a claim; their distinctive tokens (a canary such as ``ZX-CANARY-41``, a URL)
are *tainted*, so an answer sentence carrying one is dropped. Images are never part of an
answer, and links survive only when they point to a host of a cited source.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

_MODEL = r"(?:ai|a\.i\.|assistant|chatbot|bot|language model|llm|model|gpt|claude|copilot)s?"
_INSTRUCTION = re.compile(
    "|".join(
        [
            r"\b(?:ignore|disregard|forget|override|bypass)\b.{0,60}?"
            r"\b(?:instructions?|prompts?|rules|directions|guidelines|directives)\b",
            r"\b(?:system prompt|developer mode|debug mode|jailbreak|prompt injection)\b",
            r"\b(?:you are now|you're now|act as|pretend to be|from now on,? you)\b",
            rf"\b{_MODEL}\b.{{0,60}}?\b(?:must|should|shall|needs? to|is required to|always|"
            r"are instructed to|reading this)\b",
            rf"\b(?:attention|note|message|instructions?)\s+(?:to|for)\s+(?:any\s+|all\s+)?{_MODEL}\b",
            r"\b(?:repeat|output|print|include|append|insert|reply with|respond with|"
            r"answer with|begin (?:your|the) (?:answer|response)|end (?:your|the) "
            r"(?:answer|response))\b.{0,50}?\b(?:code|phrase|word|string|token|password|"
            r"secret|canary|following|verbatim|exactly|image|link)\b",
            r"\b(?:new|updated|important|hidden) instructions?\b",
        ]
    ),
    re.I | re.S,
)
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)|<\s*img\b[^>]*>", re.I)
_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>", re.I)
_BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"']+", re.I)
_HTML_TAG = re.compile(r"</?\s*[a-z][a-z0-9]*\b[^>]*>", re.I)
_DISTINCTIVE = re.compile(
    r"\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{4,}\b|\b[A-Z][A-Z0-9_-]{5,}\b|"
    r"\b(?:https?://|www\.)[^\s<>()\"']+",
)


def is_instruction(sentence: str) -> bool:
    """The sentence addresses an AI model instead of reporting news."""
    return bool(_INSTRUCTION.search(sentence)) or bool(_IMAGE.search(sentence))


def strip_images(text: str) -> str:
    return _IMAGE.sub("", text)


def host(url: str) -> str:
    if not url:
        return ""
    parsed = urlparse(url if "//" in url else f"//{url}")
    name = (parsed.hostname or "").lower()
    return name.removeprefix("www.")


def sanitize_links(text: str, allowed_hosts: set[str]) -> tuple[str, int]:
    """``text`` without images, HTML tags, and links or URLs to hosts outside
    ``allowed_hosts`` (a link's words are kept); also returns how many were removed."""
    removed = 0

    def image(_: re.Match[str]) -> str:
        nonlocal removed
        removed += 1
        return ""

    def link(m: re.Match[str]) -> str:
        nonlocal removed
        if host(m.group(2)) in allowed_hosts:
            return m.group(0)
        removed += 1
        return m.group(1)

    def url(m: re.Match[str]) -> str:
        nonlocal removed
        target = m.group(m.lastindex or 0)
        if host(target.rstrip(".,;:")) in allowed_hosts:
            return m.group(0)
        removed += 1
        return ""

    text = _IMAGE.sub(image, text)
    text = _LINK.sub(link, text)
    text = _AUTOLINK.sub(url, text)
    # Bare URLs, but not the ones inside a kept markdown link.
    kept_links = [m.span() for m in _LINK.finditer(text)]

    def bare(m: re.Match[str]) -> str:
        if any(s <= m.start() < e for s, e in kept_links):
            return m.group(0)
        return url(m)

    text = _BARE_URL.sub(bare, text)
    text, tags = _HTML_TAG.subn("", text)
    removed += tags
    return re.sub(r"[ \t]{2,}", " ", text).strip(), removed


def distinctive_tokens(text: str) -> set[str]:
    """Tokens a canary is made of: words mixing letters and digits, long all-capital words,
    URLs (lower-cased)."""
    return {t.lower().rstrip(".,;:") for t in _DISTINCTIVE.findall(text)}
