"""The headline: which element holds it, the site suffix and print prefix around it, and the
short zones before and after it where dates and bylines sit."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from corpus.clean.dom import attr_value, node_text
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


_TITLE_CLASS = re.compile(r"title|headline|tieu-?de|heading|detail-?head", re.I)


def _cover(heading: str, wanted: str) -> float:
    """How much of the page title a heading is (1.0 = the same text)."""
    if not heading or not wanted:
        return 0.0
    if heading == wanted:
        return 1.0
    if heading in wanted:
        return len(heading) / len(wanted)
    if wanted in heading:
        return len(wanted) / len(heading)
    return 0.0


def title_cover(title: str, meta: Meta) -> float:
    """How much of the page's own title (``og:title`` or ``<title>``) the headline found is."""
    wanted = fold(strip_site_suffix(strip_title_prefix(meta.og_title or meta.html_title))).lower()
    return _cover(fold(title).lower(), wanted)


def syllable_count(text: str) -> int:
    """Words of a headline (a section name has a handful, a headline a sentence's worth)."""
    return len(re.findall(r"\w+", text))


def _prose_follows(node: Tag) -> bool:
    """A paragraph of running text (not link text) within the next few blocks: what a headline
    has below it and a section name or a sidebar heading does not."""
    seen = 0
    for string in node.find_all_next(string=True, limit=80):
        text = string.strip()
        if not text or string.find_parent("a") is not None:
            continue
        if len(text) >= 150:
            return True
        seen += len(text)
        if seen > 1500:
            break
    return False


def find_title_node(soup: BeautifulSoup, meta: Meta) -> tuple[Tag | None, str]:
    """The element holding the headline.

    Candidates are h1–h3 and elements classed as titles; each scores by how much of the page's
    own title (``og:title`` or ``<title>`` without its site suffix) it covers, by being an h1, by
    running text following it, and loses for being a teaser link or a short section name ("Tin
    tức - Sự kiện", "Ảnh") while a longer headline stands on the page. Without a scored heading,
    the first element of any kind whose whole text is the page title (portals use plain divs).
    """
    wanted = fold(strip_site_suffix(strip_title_prefix(meta.og_title or meta.html_title))).lower()
    scored: list[tuple[float, int, Tag]] = []
    for i, h in enumerate(soup.find_all(["h1", "h2", "h3", "div", "p", "span", "strong", "td"])):
        if h.name in ("div", "p", "span", "strong", "td"):
            if not _TITLE_CLASS.search(attr_value(h, "class") + " " + attr_value(h, "id")) \
                    or h.find(["div", "p", "td", "h1", "h2", "h3"]) is not None:
                continue
        text = tidy(node_text(h))
        if not text or len(text) > 300 or len(text) < 3:
            continue
        cover = _cover(fold(text).lower(), wanted)
        score = 3.0 * cover if cover >= 0.5 else 0.0
        score += {"h1": 1.0, "h2": 0.3, "h3": 0.2}.get(h.name, 0.0)
        if h.find_parent("a") is not None or ((a := h.find("a")) is not None and
                                               len(node_text(a)) >= 0.8 * len(text)):
            score -= 1.0 if cover < 1.0 else 0.0
        if score <= 0:
            continue
        scored.append((score, i, h))
    best, best_score = None, 0.0
    for score, _, h in scored:
        if score >= 1.0 and _prose_follows(h):
            score += 0.8
        if score > best_score:
            best, best_score = h, score
    if best is not None and syllable_count(node_text(best)) <= 5:
        # A section name ("Tin tức - Sự kiện") that some CMSs also put in <title>: an h1 that
        # reads as a sentence and has running text below it is the headline.
        headline = next((h for _, _, h in scored if h.name == "h1" and h is not best
                         and syllable_count(node_text(h)) >= 6 and _prose_follows(h)), None)
        if headline is not None:
            best, best_score = headline, max(best_score, 2.0)
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
