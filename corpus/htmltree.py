"""One lxml parse per fetched page, shared by the crawler's link discovery and soft-failure checks.

lxml's own HTML parser (libxml2) without BeautifulSoup's Python tree: the crawler reads every
page it fetches, and building a bs4 tree cost more than the rest of the crawl loop together
(bench/crawl_bench.py). It lives in ``corpus`` with :mod:`corpus.softfail`, which the cleaner
also asks; the cleaner otherwise keeps its own parsing.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

__all__ = ["INVISIBLE", "parse_tree", "text_of", "visible_text"]

INVISIBLE = ("script", "style", "noscript", "template")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse_tree(text: str) -> etree._Element | None:
    """The document element of an HTML string, or None when there is nothing to parse."""
    text = _XML_DECL.sub("", text, count=1)  # lxml refuses str input with an encoding declaration
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def text_of(el: etree._Element) -> str:
    """Text of an element, words separated as a browser would show them, whitespace collapsed."""
    # lxml-stubs types itertext() as str | bytes (Python 2 heritage); lxml yields only str.
    return " ".join(" ".join(el.itertext()).split())  # type: ignore[arg-type]


def visible_text(doc: etree._Element) -> str:
    """Text a reader sees: scripts, styles, noscript and templates removed (the tree is changed)."""
    etree.strip_elements(doc, *INVISIBLE, with_tail=False)
    return text_of(doc)
