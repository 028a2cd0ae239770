"""A cost bound per page: no page, however large, nested or broken, may hold the clean stage.

A 4.5 MB page of 500k unclosed ``<p><b><i>`` (under the crawler's 5 MiB cap) took 58 s and 748 MB
in the cleaner, because BeautifulSoup builds a Python object per element. Real pages are far
smaller: the largest seen, a full legal code on vbpl.vn (965 KB), has 6,692 elements and a
depth of 26; news pages have 400–2,000. So before the tree is built, libxml2 (C, a third of a
second for 450k elements) counts the elements and the depth, and a page past
:data:`MAX_ELEMENTS` or :data:`MAX_DEPTH` is refused with a reason. :func:`deadline` adds a
wall-clock bound for whatever else could be slow (the clean stage wraps each page in it).
"""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

from lxml import etree

from corpus.htmltree import parse_tree
from corpus.softfail import classify, page_signals

MAX_ELEMENTS = 60_000
MAX_DEPTH = 400
PAGE_SECONDS = 10.0

__all__ = ["MAX_DEPTH", "MAX_ELEMENTS", "PAGE_SECONDS", "PageTimeout", "deadline", "inspect_page",
           "over_budget"]


class PageTimeout(Exception):
    """One page took longer than its budget."""


def inspect_page(html: str) -> tuple[str, str | None]:
    """One libxml2 parse of a page: (budget reason or "", :func:`corpus.softfail.classify`
    verdict or None)."""
    doc = parse_tree(html)
    if doc is None:
        return "", None                # nothing to parse: the cleaner will find nothing either
    reason = over_budget(doc)
    return reason, (None if reason else classify(page_signals(doc)))


def over_budget(doc: etree._Element) -> str:
    """"" when the parsed page is within budget, else the reason ("too-complex: …")."""
    elements = depth = deepest = 0
    for event, _ in etree.iterwalk(doc, events=("start", "end")):
        if event == "start":
            elements += 1
            depth += 1
            deepest = max(deepest, depth)
            if elements > MAX_ELEMENTS:
                return f"too-complex: over {MAX_ELEMENTS:,} elements"
        else:
            depth -= 1
    if deepest > MAX_DEPTH:
        return f"too-complex: nested {deepest} deep"
    return ""


@contextmanager
def deadline(seconds: float = PAGE_SECONDS) -> Iterator[None]:
    """Raise :class:`PageTimeout` in the block after ``seconds`` (main thread only: elsewhere
    the element caps are the bound)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> NoReturn:
        raise PageTimeout(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
