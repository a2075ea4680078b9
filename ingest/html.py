"""Article text and metadata from HTML, with trafilatura; hidden text never comes through."""

from __future__ import annotations

import re

import trafilatura
from lxml import html as lxml_html

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")


def strip_hidden(markup: str) -> str:
    """Remove scripts, styles and elements hidden from readers (``display:none``, ``hidden``,
    ``aria-hidden``): text a reader cannot see must never become passage text."""
    try:
        tree = lxml_html.document_fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return markup
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        hidden = (
            element.tag in _DROP_TAGS
            or element.get("hidden") is not None
            or element.get("aria-hidden") == "true"
            or _HIDDEN_STYLE.search(element.get("style") or "")
        )
        if hidden and element.getparent() is not None:
            element.drop_tree()
    return str(lxml_html.tostring(tree, encoding="unicode"))


def extract_article(markup: str, url: str = "") -> tuple[str, dict[str, str]]:
    """The article's main text (one paragraph a line) and its metadata."""
    visible = strip_hidden(markup)
    text = (
        trafilatura.extract(
            visible,
            url=url or None,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
        )
        or ""
    )
    meta = trafilatura.extract_metadata(visible, default_url=url or None)
    fields: dict[str, str] = {}
    if meta is not None:
        for key, attr in (
            ("title", "title"),
            ("author", "author"),
            ("source", "sitename"),
            ("published_at", "date"),
            ("url", "url"),
        ):
            value = getattr(meta, attr, None)
            if value:
                fields[key] = str(value)
    return text, fields
