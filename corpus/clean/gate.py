"""The article gate: one article, or a home, listing, search, error, challenge or maintenance page.

Every extractor "extracts" teaser text from a listing page and some date can be found on almost
any page, so neither proves an article. The decision rests on evidence every real page carries,
not on any one site's template:

* what is not a page at all (JavaScript cookie challenges, maintenance, block pages, soft 404s)
  is judged by :mod:`corpus.softfail`, the verdict the crawler also gives before storing;
* **article evidence**, four independent signals: the page declares itself an article (Open
  Graph, JSON-LD, microdata); a headline element on the page is the page's own
  ``<title>``/``og:title`` and is a sentence, not a section name; a date is printed by the
  headline; the URL has an article's shape (a long slug, a numeric id, a date path);
* **listing evidence**: standalone headline links left in the main block after related lists are
  pruned (a few may be a related list the pruning missed, dozens never are), and a page made
  mostly of teaser links.

A short news item (one paragraph of a few hundred characters, or a photo story's lead) is an
article when a date is printed by its headline and one more signal holds; otherwise the page must
carry real prose (two paragraphs, 350 characters). With two or more signals a link-heavy sidebar
does not make an article a listing. Real pages this replaced
rules for (``../shared/pages/real``): a VnExpress story whose URL ends in ``/`` was a "listing",
a VnExpress photo story with a 200-character lead was "too-short".
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from corpus.clean import boilerplate as bp
from corpus.clean.dates import find_byline_date
from corpus.clean.extract import Extraction
from corpus.clean.title import syllable_count

MIN_BODY_CHARS = 350
MIN_PARAGRAPHS = 2
SHORT_ITEM_CHARS = 150           # a short news item with enough article evidence
#: A softfail verdict as a clean reason.
SOFT_REASONS = {"soft_404": "soft-404", "maintenance": "maintenance",
                "cookie_challenge": "challenge", "blocked": "blocked"}

_ROOT_PATHS = {"", "index.html", "index.htm", "index.php", "index.aspx", "default.aspx",
               "trang-chu", "trang-chu.html", "trang-chu.htm", "home", "vi", "vn", "portal",
               "pages/default.aspx"}
_LISTING_PATH = re.compile(r"(/trang-\d+(\.html?)?|/page[/-]\d+|/p\d+|"
                           r"/(tim-kiem|search|tag|tags|chu-de|chuyen-muc|category|danh-muc|"
                           r"tin-tuc|tin-moi|xem-nhieu)(/|\.html?)?)/?$", re.I)
_PAGE_PARAMS = {"page", "p", "trang", "pageindex", "pagenumber", "paged", "start", "offset",
                "q", "keyword", "tukhoa", "s"}
_ARTICLE_ID = re.compile(r"\d{5,}")
_DATE_PATH = re.compile(r"/(19|20)\d{2}/\d{1,2}/")


def url_shape(url: str) -> str:
    """"root", "listing", "article" or "" (nothing to say) from the URL alone."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    path = parts.path.strip("/").lower()
    query = {k.lower() for k, _ in parse_qsl(parts.query)}
    if path in _ROOT_PATHS and not (query - {"utm_source", "utm_medium", "utm_campaign"}):
        return "root"
    if query & _PAGE_PARAMS or _LISTING_PATH.search("/" + path):
        return "listing"
    last = path.rsplit("/", 1)[-1]
    stem = re.sub(r"\.(html?|chn|aspx?|php|vn|ldo|tld)$", "", last)
    words = [w for w in re.split(r"[-_+]", stem) if w and not w.isdigit()]
    if len(words) >= 4 or _ARTICLE_ID.search(last) or (_DATE_PATH.search("/" + path + "/")
                                                      and len(words) >= 2):
        return "article"
    return ""


def article_evidence(ex: Extraction, shape: str) -> list[str]:
    """Which of the four article signals the page carries (``shape``: :func:`url_shape`)."""
    signals = []
    if ex.meta.says_article:
        signals.append("meta")
    if ex.title_node_found and ex.title_cover >= 0.5 and syllable_count(ex.title) >= 5:
        signals.append("headline")
    if find_byline_date(ex.header_text, ex.date_order) or \
            find_byline_date(ex.pre_header_text, ex.date_order):
        signals.append("dateline")
    if shape == "article":
        signals.append("url")
    return signals


def article_gate(ex: Extraction, url: str, soft: str | None = None) -> str:
    """"" for an article, else the reason it is not one. ``soft`` is the page's
    :func:`corpus.softfail.classify` verdict, if any."""
    if soft:
        return SOFT_REASONS.get(soft, soft.replace("_", "-"))
    body_chars = sum(len(p) for p in ex.body) + len(ex.sapo)
    long_paras = sum(1 for p in ex.body if len(p) >= 80)
    everything = " ".join([ex.title, ex.sapo, *ex.body[:5]])
    if bp.SOFT_404_RE.search(everything) and body_chars < 1500:
        return "soft-404"
    if not ex.title:
        return "no-title"
    shape = url_shape(url)
    if shape == "root":
        return "home-page"
    signals = article_evidence(ex, shape)
    strength = len(signals)
    if ex.root_teasers >= 3 or (ex.root_teasers >= 1 and syllable_count(ex.title) <= 4):
        if not (strength >= 3 and body_chars >= 1500 and ex.root_teasers <= 5):
            return "listing"      # a list of teaser links (under a category-like title)
    if body_chars < MIN_BODY_CHARS or long_paras < MIN_PARAGRAPHS:
        # A short news item: a date printed by its headline and one more signal (a home page
        # that claims og:type=article under its tagline has no dateline).
        short_item = strength >= 2 and "dateline" in signals and body_chars >= SHORT_ITEM_CHARS \
            and (long_paras or len(ex.sapo) >= 80)
        if not short_item:
            return "too-short"
    if ex.teaser_links >= 40 and ex.link_density > 0.45 and strength < 3:
        return "listing"          # even when the page claims og:type=article (forums do)
    if strength < 2:
        if ex.teaser_links >= 12 and ex.link_density > 0.35:
            return "listing"      # many teaser links and a link-heavy page
        if shape == "listing" and ex.teaser_links >= 8:
            return "listing"
    return ""
