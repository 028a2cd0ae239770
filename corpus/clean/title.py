"""The headline: which element holds it, the site suffix and print prefix around it, and the
short zones before and after it where dates and bylines sit."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from corpus.clean.dom import node_text
from corpus.clean.meta import Meta
from corpus.textnorm import fold, tidy

_SUFFIX_SPLIT = re.compile(r"\s+[|\-–—:»]\s+")
_TITLE_PREFIX = re.compile(r"^\s*(?:in bài|bản in|in trang|print|xem bản in)\s*[:|-]\s*", re.I)


def strip_title_prefix(title: str) -> str:
    """``In bài: Tiêu đề`` (print views) → ``Tiêu đề``."""
    return _TITLE_PREFIX.sub("", title).strip()


_CRUMB_SPLIT = re.compile(r"\s+(?:>|&gt;|›|»|>>)\s+")


def strip_site_suffix(title: str) -> str:
    """``Tiêu đề - CỔNG THÔNG TIN ĐIỆN TỬ …`` / ``Tiêu đề | Báo X`` → ``Tiêu đề``; a breadcrumb
    title ``SITE > Tin tức > Tiêu đề`` → its last, longest part."""
    crumbs = _CRUMB_SPLIT.split(title)
    if len(crumbs) >= 2 and len(crumbs[-1]) >= 20 and len(crumbs[-1]) >= max(map(len, crumbs)):
        title = crumbs[-1]
    parts = _SUFFIX_SPLIT.split(title)
    if len(parts) < 2:
        return title.strip()
    last = parts[-1]
    letters = [c for c in last if c.isalpha()]
    if not letters:                      # "nhiệm kỳ 2023 - 2028": a range, not a site name
        return title.strip()
    shouting = letters and sum(c.isupper() for c in letters) / len(letters) > 0.7
    sitey = re.search(r"(?i)\b(báo|cổng|trang|portal|online|điện tử|\.vn|\.com|tạp chí)\b",
                      last)
    if shouting or sitey or len(last) < 0.5 * len(" ".join(parts[:-1])):
        return strip_site_suffix(title[: title.rfind(last)].rstrip(" |-–—:»"))
    return title.strip()


def find_title_node(soup: BeautifulSoup, meta: Meta) -> tuple[Tag | None, str]:
    """The element holding the headline: an h1/h2 that matches the page title best, else the
    first element of any kind whose whole text is that title (portals use plain divs)."""
    wanted = fold(strip_site_suffix(strip_title_prefix(meta.og_title or meta.html_title))).lower()
    best, best_score = None, -1.0
    for h in soup.find_all(["h1", "h2"]):
        text = tidy(node_text(h))
        if not text or len(text) > 300:
            continue
        folded = fold(text).lower()
        score = 0.0
        if wanted and (folded == wanted or folded in wanted or wanted in folded):
            score = 3.0 if folded == wanted else 2.0
        elif h.name == "h1":
            score = 1.0
        if score > best_score:
            best, best_score = h, score
    if best is not None and best_score >= 2.0:
        return best, tidy(node_text(best))
    if wanted and len(wanted) >= 15:
        loose = None
        for node in soup.find_all(["div", "span", "p", "td", "strong", "h3", "h4"]):
            if node.find(["div", "p", "td"]) is not None:
                continue
            folded = fold(tidy(node_text(node))).lower()
            if folded == wanted:
                return node, tidy(node_text(node))
            if loose is None and folded.startswith(wanted) and len(wanted) >= 0.6 * len(folded) \
                    and len(folded) <= 300:
                loose = node                 # the page title was cut short
        if loose is not None:
            return loose, tidy(node_text(loose))
    if best is not None and best_score >= 1.0:
        return best, tidy(node_text(best))
    return None, strip_site_suffix(strip_title_prefix(meta.og_title or meta.html_title))


def header_text(title_node: Tag | None) -> str:
    """Text right after the title: where bylines and publication dates sit."""
    if title_node is None:
        return ""
    parts: list[str] = []
    own = {id(t) for t in title_node.find_all(string=True)}
    for el in title_node.find_all_next(string=True, limit=60):
        if id(el) in own:
            continue
        text = el.strip()
        if text:
            parts.append(text)
        if sum(len(p) for p in parts) > 400:
            break
    return tidy(" \n".join(parts))


def pre_header_text(title_node: Tag | None) -> str:
    """Short text just before the title inside its own container (some CMSs put the date line
    above the headline); header clocks sit in other containers and stay out."""
    if title_node is None:
        return ""
    parts: list[str] = []
    node = title_node
    for _ in range(2):
        for sib in node.previous_siblings:
            text = sib.strip() if isinstance(sib, NavigableString) else (
                node_text(sib) if isinstance(sib, Tag) else "")
            if not text:
                continue
            if len(text) > 160 or len(parts) >= 2:
                break
            parts.insert(0, text)
        if parts or node.parent is None or len(node_text(node.parent)) > len(node_text(node)) + 200:
            break
        node = node.parent
    return tidy("\n".join(parts))
