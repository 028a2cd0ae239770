"""Discovery: URLs out of sitemaps, RSS/Atom feeds and HTML pages.

Feeds and sitemaps come first (Common Crawl's news crawl uses nothing else, and SharePoint/Liferay
portals paginate by JavaScript postback, so links alone miss most of them); in-page links and
pagination come second. Gzip is recognised by its magic bytes ``1f 8b``, never by the content
type: nginx serves ``.xml.gz`` as ``application/octet-stream``. XML is parsed with lxml in
recovery mode without entities or network (CDATA, BOMs, missing namespaces all occur).

Everything returned here is already canonicalised (:func:`crawler.urls.try_normalize`); scope
(allowed hosts, robots, depth) is the engine's job.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from lxml import etree

from corpus.decoding import DecodedText, decode_html

from .urls import site_key, try_normalize

__all__ = [
    "Link",
    "Discovery",
    "discover",
    "parse_html",
    "parse_sitemap",
    "parse_feed",
    "maybe_gunzip",
    "is_pagination_url",
    "GUESSED_SITEMAPS",
]

#: Tried on an origin whose robots.txt names no sitemap.
GUESSED_SITEMAPS = ("/sitemap.xml",)
MAX_XML_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 50_000  # the sitemap protocol's own per-file limit

PAGINATION_TEXTS = frozenset({
    "trang sau", "trang tiếp", "tiếp", "tiếp theo", "tiếp »", "sau", "sau »", "»", "›", ">",
    ">>", "next", "next »", "next page", "xem tiếp", "trang kế", "kế tiếp",
})
_PAGE_URL_RE = re.compile(
    r"(?i)(?:[?&](?:page|trang|pg|pageindex|pagenumber|paged|brsr|cur|pageno)=\d+"
    r"|[?&][^=&]*_cur=\d+"
    r"|/(?:trang|page)[-/]\d+(?:/|\.html?|$)"
    r"|-p\d+(?:\.html?)?$)"
)
_REFRESH_RE = re.compile(r"""(?i)^\s*\d*(?:\.\d+)?\s*[;,]?\s*url\s*=\s*['"]?([^'"]+)""")
_FEED_HREF_RE = re.compile(r"(?i)(?:\.rss$|\.atom$|/rss/?$|/feed/?$|[?&]op=rss|/rss/[^/]+$)")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass(frozen=True)
class Link:
    """A discovered URL and how it was found.

    ``kind``: ``page`` (a link or a sitemap/feed entry), ``pagination`` (next page of a listing),
    ``feed``, ``sitemap``, ``refresh`` (``<meta http-equiv=refresh>``: treated like a redirect).
    """

    url: str
    kind: str = "page"


@dataclass
class Discovery:
    """What a fetched document points to."""

    doc: str  # html | sitemap | sitemapindex | feed | document | unknown
    links: list[Link] = field(default_factory=list)
    canonical: str | None = None
    title: str = ""
    decoded: DecodedText | None = None

    @property
    def is_listing(self) -> bool:
        return any(link.kind == "pagination" for link in self.links)


def is_pagination_url(url: str) -> bool:
    """True for listing-page URLs: ``?Page=N``, ``trang-N``, ``page-N``, ``-pN``, ``BRSR=``…"""
    return bool(_PAGE_URL_RE.search(url))


def maybe_gunzip(data: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    """Strip gzip layers found by magic bytes (double gzip exists), capped at ``limit`` bytes."""
    for _ in range(3):
        if not data.startswith(b"\x1f\x8b"):
            break
        z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = z.decompress(data, limit + 1)
        except zlib.error:
            break
        if len(out) > limit:
            raise ValueError(f"gzip content larger than {limit} bytes")
        data = out
    return data


def _xml_root(data: bytes) -> etree._Element | None:
    data = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not data:
        return None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname.lower() if "}" in tag else tag.split(":")[-1].lower()


def _child_text(el: etree._Element, name: str) -> str:
    for child in el:
        if _local(child) == name:
            return (child.text or "").strip()
    return ""


def parse_sitemap(data: bytes, base_url: str) -> Discovery:
    """A sitemap (``urlset``), a sitemap index, or a plain-text sitemap; gzip or not."""
    data = maybe_gunzip(data)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:8]
    if head.lower().startswith((b"http://", b"https://")):
        urls = [try_normalize(line.strip().decode("utf-8", "replace"))
                for line in data.splitlines()[:MAX_ENTRIES]]
        return Discovery("sitemap", [Link(u) for u in dict.fromkeys(u for u in urls if u)])
    root = _xml_root(data)
    if root is None:
        return Discovery("unknown")
    name = _local(root)
    if name == "sitemapindex":
        locs = [_child_text(el, "loc") for el in root if _local(el) == "sitemap"]
        urls = [try_normalize(loc, base_url) for loc in locs[:MAX_ENTRIES]]
        return Discovery("sitemapindex", [Link(u, "sitemap") for u in dict.fromkeys(u for u in urls if u)])
    if name == "urlset":
        locs = [_child_text(el, "loc") for el in root if _local(el) == "url"]
        urls = [try_normalize(loc, base_url) for loc in locs[:MAX_ENTRIES]]
        return Discovery("sitemap", [Link(u) for u in dict.fromkeys(u for u in urls if u)])
    if name in ("rss", "feed", "rdf"):
        return parse_feed(data, base_url)
    return Discovery("unknown")


def parse_feed(data: bytes, base_url: str) -> Discovery:
    """Item links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    root = _xml_root(maybe_gunzip(data))
    if root is None or _local(root) not in ("rss", "feed", "rdf"):
        return Discovery("unknown")
    found: list[str] = []
    for el in root.iter():
        name = _local(el)
        if name == "item":
            link = _child_text(el, "link")
            if not link:
                for child in el:
                    if _local(child) == "guid" and child.get("isPermaLink", "true").lower() != "false":
                        link = (child.text or "").strip()
            if link:
                found.append(link)
        elif name == "entry":
            for child in el:
                if _local(child) == "link" and child.get("rel", "alternate") == "alternate":
                    if child.get("href"):
                        found.append(child.get("href", ""))
                        break
    urls = [try_normalize(u, base_url) for u in found[:MAX_ENTRIES]]
    return Discovery("feed", [Link(u) for u in dict.fromkeys(u for u in urls if u)])


def _clean_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).lower()


def parse_html(text: str, page_url: str) -> Discovery:
    """Links, pagination, feeds, canonical and meta refresh of an HTML page (bs4 + lxml)."""
    soup = BeautifulSoup(text, "lxml")
    base = page_url
    base_tag = soup.find("base", href=True)
    if base_tag is not None:
        base = try_normalize(str(base_tag["href"]), page_url) or page_url
    out: dict[str, str] = {}  # url → kind, first kind wins except upgrades below
    canonical: str | None = None

    def add(url: str | None, kind: str) -> None:
        if not url:
            return
        if url not in out or (kind in ("feed", "pagination") and out[url] == "page"):
            out[url] = kind

    for tag in soup.find_all("link", href=True):
        rel = {r.lower() for r in (tag.get("rel") or [])}
        href = str(tag["href"])
        if "canonical" in rel:
            canonical = try_normalize(href, page_url)  # canonical resolves against the page
        elif "alternate" in rel and str(tag.get("type", "")).lower() in _FEED_TYPES:
            add(try_normalize(href, base), "feed")
        elif "next" in rel:
            add(try_normalize(href, base), "pagination")
    for tag in soup.find_all(["a", "area"], href=True):
        url = try_normalize(str(tag["href"]), base)
        if not url or url == page_url:
            continue
        rel = {r.lower() for r in (tag.get("rel") or [])} if tag.get("rel") else set()
        label = _clean_text(tag.get_text(" ") or tag.get("title", "") or tag.get("aria-label", ""))
        same_site = site_key(url) == site_key(page_url)
        if same_site and ("next" in rel or label in PAGINATION_TEXTS or is_pagination_url(url)):
            add(url, "pagination")
        elif _FEED_HREF_RE.search(url.split("#", 1)[0]):
            add(url, "feed")
        else:
            add(url, "page")
    for tag in soup.find_all("meta", attrs={"http-equiv": True}):
        if str(tag.get("http-equiv", "")).lower() == "refresh":
            m = _REFRESH_RE.match(str(tag.get("content", "")))
            if m:
                add(try_normalize(m.group(1).strip(), base), "refresh")
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else ""
    out.pop(page_url, None)
    return Discovery("html", [Link(u, k) for u, k in out.items()], canonical=canonical, title=title)


def discover(body: bytes, url: str, kind: str | None, content_type: str = "") -> Discovery:
    """Dispatch on the sniffed ``kind`` (see :func:`crawler.fetch.sniff_kind`)."""
    if kind in ("gzip", "xml", "text"):
        try:
            found = parse_sitemap(body, url)
        except ValueError:
            return Discovery("unknown")
        if found.doc == "unknown" and kind == "gzip":
            inner = maybe_gunzip(body)
            if inner[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
                return discover(inner, url, "html", "text/html")
        return found
    if kind == "html":
        decoded = decode_html(body, content_type)
        found = parse_html(decoded.text, url)
        found.decoded = decoded
        return found
    if kind in ("pdf", "doc", "docx"):
        return Discovery("document")
    return Discovery("unknown")
