"""Whose site a page is on: banner, footer and site-name text, and the province a local portal
belongs to."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from corpus.clean.dom import attr_tokens, attr_value, node_text
from corpus.clean.meta import Meta
from corpus.gazetteer import detect_province
from corpus.textnorm import tidy

_SITE_CLASS = re.compile(r"foot|ftr|banner|bnr|header|hdr|logo|copyright|brand|site-?name", re.I)


def site_text(soup: BeautifulSoup, meta: Meta) -> str:
    """Banner, footer and site-name text: a portal names its ward, district or province there."""
    parts = [meta.site_name]
    for node in soup.find_all(["footer", "header", "div", "p", "td", "section"]):
        if node.attrs is None:
            continue
        if node.name in ("footer", "header") or _SITE_CLASS.search(attr_tokens(node)):
            text = node_text(node)
            if 0 < len(text) <= 600:
                parts.append(text)
        for img in node.find_all("img", alt=True, limit=3) if node.name == "header" else ():
            parts.append(attr_value(img, "alt"))
    for img in soup.find_all("img", alt=True):
        if _SITE_CLASS.search(" ".join([attr_tokens(img.parent) if img.parent else "",
                                        attr_value(img, "src")])):
            parts.append(attr_value(img, "alt"))
    tail = node_text(soup.body or soup)[-300:]
    return tidy("\n".join([*(p for p in parts if p), tail]))[:3000]


_PORTAL_RE = re.compile(r"(?i)(cổng|trang) thông tin điện tử|liên đoàn lao động|ủy ban nhân dân|"
                        r"uỷ ban nhân dân|\bubnd\b|đảng bộ|thành ủy|tỉnh ủy|huyện ủy|thị ủy")


#: Newspapers and national bodies name their Hà Nội/HCM office, not the article's province.
_NATIONAL_SITE_RE = re.compile(r"(?i)tòa soạn|toà soạn|tổng biên tập|tổng liên đoàn|trung ương|"
                               r"chính phủ|quốc hội")


def site_province(site_text: str) -> str | None:
    """The province a local portal belongs to, from its banner/footer ("TRANG THÔNG TIN ĐIỆN TỬ
    PHƯỜNG HIỆP SƠN - THỊ XÃ KINH MÔN", "Địa chỉ: … tỉnh Hải Dương"): a hint for the article's
    province (a prior, never a vote). Newspapers' footers (an office address) give none."""
    if not site_text or not _PORTAL_RE.search(site_text) or _NATIONAL_SITE_RE.search(site_text):
        return None
    guess = detect_province(site_text[:400], "", site_text[400:2000])
    return guess.old_code or None
