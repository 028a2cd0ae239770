"""The article gate: home pages, listings, search results, soft 404s yield no article.

Every extractor "extracts" teaser text from a listing page and some date can be found on almost
any page, so neither proves an article. The gate asks for prose: enough body text in real
paragraphs, a title, and not a page whose text is mostly links or an error notice.
"""
from __future__ import annotations

import re

from corpus.clean import boilerplate as bp
from corpus.clean.extract import Extraction

MIN_BODY_CHARS = 350
MIN_PARAGRAPHS = 2
_LISTING_URL = re.compile(r"(/|/trang-\d+(\.html?)?|[?&](page|p|trang)=\d+|/page-\d+|"
                          r"/(tim-kiem|search|tag|tags|chuyen-muc|category)(/|\?|$))$", re.I)


def article_gate(ex: Extraction, url: str) -> str:
    """"" for an article, else the reason it is not one."""
    body_chars = sum(len(p) for p in ex.body) + len(ex.sapo)
    long_paras = sum(1 for p in ex.body if len(p) >= 80)
    says_article = ex.meta.og_type == "article" or any(t.endswith("Article")
                                                       for t in ex.meta.ld_types)
    everything = " ".join([ex.title, ex.sapo, *ex.body[:5]])
    if bp.SOFT_404_RE.search(everything) and body_chars < 1500:
        return "soft-404"
    if not ex.title:
        return "no-title"
    if _is_site_root(url):
        return "home-page"
    if body_chars < MIN_BODY_CHARS or long_paras < MIN_PARAGRAPHS:
        return "too-short"
    if ex.root_teasers >= 3 or (ex.root_teasers >= 1 and len(ex.title.split()) <= 4):
        return "listing"          # a list of teaser links (under a category-like title)
    if ex.teaser_links >= 40 and ex.link_density > 0.45:
        return "listing"          # even when the page claims og:type=article (forums do)
    if not says_article:
        # Listing pages: many teaser links and a link-heavy page.
        if ex.teaser_links >= 12 and ex.link_density > 0.35:
            return "listing"
        if _LISTING_URL.search(url.split("#")[0]) and ex.teaser_links >= 8:
            return "listing"
    return ""


def _is_site_root(url: str) -> bool:
    path = url.split("://", 1)[-1].partition("/")[2]
    path = path.split("#")[0]
    return path in ("", "index.html", "index.htm", "index.php", "default.aspx", "trang-chu",
                    "trang-chu.html", "vi", "vi/", "portal", "portal/")
