"""Discovery: URLs out of sitemaps, RSS/Atom feeds and HTML pages.

Feeds and sitemaps come first (Common Crawl's news crawl uses nothing else, and SharePoint/Liferay
portals paginate by JavaScript postback, so links alone miss most of them); in-page links and
pagination come second. Gzip is recognised by its magic bytes ``1f 8b``, never by the content
type: nginx serves ``.xml.gz`` as ``application/octet-stream``. XML is parsed with lxml in
recovery mode without entities or network (CDATA, BOMs, missing namespaces all occur).

Sitemap ``lastmod`` and ``news:publication_date`` (and feed item dates) come back on each link:
the frontier fetches the newest first and skips, on a recrawl, pages not modified since their
last fetch. Each document also gets a :func:`fingerprint` deciding "changed" for the revisit
interval (crawler.recrawl).

Everything returned here is already canonicalised (:func:`crawler.urls.try_normalize`); scope
(allowed hosts, robots, depth) is the engine's job.
"""
from __future__ import annotations

import email.utils
import hashlib
import json
import re
import time
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from lxml import etree

from corpus.decoding import DecodedText, decode_html
from corpus.htmltree import parse_tree, text_of
from corpus.record import VN_TZ  # dates without a zone are Vietnamese local time
from corpus.softfail import classify, page_signals

from .urls import site_key, try_normalize

__all__ = [
    "GUESSED_SITEMAPS",
    "Discovery",
    "Link",
    "discover",
    "fingerprint",
    "is_pagination_url",
    "maybe_gunzip",
    "parse_date",
    "parse_feed",
    "parse_html",
    "parse_json",
    "parse_sitemap",
]

#: Tried on an origin whose robots.txt names no sitemap.
GUESSED_SITEMAPS = ("/sitemap.xml",)
MAX_XML_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 50_000  # the sitemap protocol's own per-file limit
MAX_JSON_BYTES = 5 * 1024 * 1024
MAX_JSON_VALUES = 200_000  # values walked in one JSON answer: a bound on a hostile one

PAGINATION_TEXTS = frozenset({
    "trang sau", "trang tiếp", "tiếp", "tiếp theo", "tiếp »", "sau", "sau »", "»", "›", ">",
    ">>", "next", "next »", "next page", "xem tiếp", "trang kế", "kế tiếp",
    # date archives and blog-style listings going back in time
    "ngày trước", "« ngày trước", "ngày hôm trước", "tháng trước", "« tháng trước", "cũ hơn",
    "« cũ hơn", "tin cũ hơn", "bài cũ hơn", "older", "older posts", "« older posts",
})
_PAGE_URL_RE = re.compile(
    r"(?i)(?:[?&](?:page|trang|pg|pageindex|pagenumber|paged|brsr|cur|pageno)=\d+"
    r"|[?&][^=&]*_cur=\d+"
    r"|/(?:trang|page)[-/]\d+(?:/|\.html?|$)"
    r"|-p\d+(?:\.html?)?$"
    r"|/p\d+/?$"                                               # /phap-luat/p2
    # date archives: /2024/05/, /2024/05/12/, /lich/2024-05, ?ngay=12/05/2024, ?date=2024-05-12
    r"|/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])(?:/(?:0?[1-9]|[12]\d|3[01]))?/?$"
    r"|/(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?/?$"
    r"|[?&](?:ngay|date|thang|month|day)=[\d/.-]+(?:&|$))"
)
#: "Xem thêm" buttons: the next page's URL sits in a data attribute and comes back as an HTML
#: fragment or JSON (see :func:`parse_json`); the link itself is ``javascript:;`` or absent.
_LOAD_MORE_ATTRS = ("data-url", "data-href", "data-next", "data-next-url", "data-link", "data-api",
                    "data-load-more", "data-ajax-url", "data-source")
_LOAD_MORE_XPATH = "//*[" + " or ".join(f"@{a}" for a in _LOAD_MORE_ATTRS) + "]"
_LOAD_MORE_TEXTS = frozenset({"xem thêm", "tải thêm", "xem thêm tin", "xem tiếp", "load more",
                              "view more", "more", "thêm"})
_LOAD_MORE_CLASS_RE = re.compile(r"(?i)view-?more|load-?more|xem-?them|btn-?more|show-?more")
#: JSON keys that name the next page of a "Xem thêm" answer
_NEXT_KEY_RE = re.compile(r"(?i)^(?:next|next_?url|next_?page(?:_?url)?|more|more_?url|load_?more)$")
_REFRESH_RE = re.compile(r"""(?i)^\s*\d*(?:\.\d+)?\s*[;,]?\s*url\s*=\s*['"]?([^'"]+)""")
_FEED_HREF_RE = re.compile(r"(?i)(?:\.rss$|\.atom$|/rss/?$|/feed/?$|[?&]op=rss|/rss/[^/]+$)")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_OLDEST = datetime(1990, 1, 1, tzinfo=UTC).timestamp()
_DIGITS = re.compile(r"\d+")
_FEED_DATES = ("updated", "pubdate", "published", "date", "modified")


def parse_date(text: str | None, now: float | None = None) -> float | None:
    """A sitemap/feed date (W3C datetime, ISO 8601 or RFC 822) as epoch seconds.

    No zone means +07:00; dates in the future (clock skew, "lastmod = now + 1 year" lies) are
    clamped to now; nonsense and dates before 1990 give None.
    """
    text = (text or "").strip()
    if not text:
        return None
    when: datetime | None = None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=VN_TZ)
    stamp = when.timestamp()
    if stamp < _OLDEST:
        return None
    now = time.time() if now is None else now
    return min(stamp, now)


def fingerprint(text: str) -> str:
    """What "changed" means for the revisit interval: the visible text, NFC, whitespace collapsed,
    digit runs masked (view counters and header clocks change on every fetch)."""
    norm = _DIGITS.sub("0", " ".join(unicodedata.normalize("NFC", text).split()))
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _links_fingerprint(links: list[Link]) -> str:
    """Sitemaps and feeds change when their entries do, not when their build date does."""
    lines = sorted(f"{link.url} {link.lastmod or ''}" for link in links)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Link:
    """A discovered URL and how it was found.

    ``kind``: ``page`` (a link or a sitemap/feed entry), ``pagination`` (next page of a listing),
    ``feed``, ``sitemap``, ``refresh`` (``<meta http-equiv=refresh>``: treated like a redirect).
    ``lastmod``: epoch seconds from a sitemap or feed entry, when it gives one.
    """

    url: str
    kind: str = "page"
    lastmod: float | None = None


@dataclass
class Discovery:
    """What a fetched document points to."""

    doc: str  # html | sitemap | sitemapindex | feed | file (PDF/DOCX) | unknown
    links: list[Link] = field(default_factory=list)
    canonical: str | None = None
    title: str = ""
    decoded: DecodedText | None = None
    fingerprint: str | None = None  # see fingerprint(); None for files (use the bytes)
    soft: str | None = None  # HTML that is no content: corpus.softfail reason

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
    return tag.rpartition("}")[2].rpartition(":")[2].lower()  # {ns}url, news:news, url


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
        return _listed("sitemap", [Link(u) for u in dict.fromkeys(u for u in urls if u)])
    streamed = _stream_sitemap(data, base_url)
    if streamed is not None:
        return streamed
    root = _xml_root(data)
    if root is not None and _local(root) in ("rss", "feed", "rdf"):
        return parse_feed(data, base_url)
    return Discovery("unknown")


def _stream_sitemap(data: bytes, base_url: str) -> Discovery | None:
    """A ``urlset`` or ``sitemapindex`` read entry by entry, each dropped once read; None when
    the root is something else.

    A 50,000-entry sitemap (the protocol's limit per file, 5-50 MB) costs five times its size as
    an lxml tree; streamed, only the entries found stay in memory (bench/crawl_bench.py).
    """
    data = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    parser = etree.XMLPullParser(events=("start", "end"), recover=True, resolve_entities=False,
                                 no_network=True, huge_tree=False, remove_comments=True)
    entry = kind = ""
    depth = 0
    now = time.time()
    found: dict[str, float | None] = {}
    try:
        for pos in range(0, len(data), 1 << 16):
            parser.feed(data[pos:pos + (1 << 16)])
            for event, el in parser.read_events():
                assert isinstance(el, etree._Element)   # only start/end events asked for: elements
                if event == "start":
                    depth += 1
                    if depth == 1:
                        name = _local(el)
                        if name not in ("sitemapindex", "urlset"):
                            return None
                        entry, kind = ("sitemap", "sitemap") if name == "sitemapindex" else ("url", "page")
                    continue
                depth -= 1
                if depth != 1:
                    continue
                if _local(el) == entry and len(found) < MAX_ENTRIES:
                    url = try_normalize(_child_text(el, "loc"), base_url)
                    if url is not None:
                        when = _entry_date(el, now)
                        prev = found.get(url)
                        found[url] = when if prev is None or (when is not None and when > prev) else prev
                el.clear()  # drop the entry and the ones before it: the tree stays small
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
        parser.close()
    except (etree.XMLSyntaxError, ValueError):
        pass  # recover mode keeps what was read
    if not entry:
        return None
    links = [Link(u, kind, lastmod) for u, lastmod in found.items()]
    return _listed("sitemapindex" if kind == "sitemap" else "sitemap", links)


def _entry_date(el: etree._Element, now: float) -> float | None:
    """The newest of ``lastmod`` and ``news:publication_date`` of a sitemap entry."""
    dates = [parse_date(_child_text(el, "lastmod"), now)]
    for child in el:
        if _local(child) == "news":
            dates += [parse_date(_child_text(child, "publication_date"), now)]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _listed(doc: str, links: list[Link]) -> Discovery:
    return Discovery(doc, links, fingerprint=_links_fingerprint(links))


def parse_feed(data: bytes, base_url: str) -> Discovery:
    """Item links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    root = _xml_root(maybe_gunzip(data))
    if root is None or _local(root) not in ("rss", "feed", "rdf"):
        return Discovery("unknown")
    found: list[tuple[str, float | None]] = []
    now = time.time()
    for el in root.iter():
        name = _local(el)
        link = ""
        if name == "item":
            link = _child_text(el, "link")
            if not link:
                for child in el:
                    if _local(child) == "guid" and child.get("isPermaLink", "true").lower() != "false":
                        link = (child.text or "").strip()
        elif name == "entry":
            for child in el:
                if _local(child) == "link" and child.get("rel", "alternate") == "alternate":
                    if child.get("href"):
                        link = child.get("href", "")
                        break
        if link:
            dates = [parse_date(_child_text(el, n), now) for n in _FEED_DATES]
            known = [d for d in dates if d is not None]
            found.append((link, max(known) if known else None))
    links: dict[str, float | None] = {}
    for raw, when in found[:MAX_ENTRIES]:
        url = try_normalize(raw, base_url)
        if url and url not in links:
            links[url] = when
    return _listed("feed", [Link(u, "page", when) for u, when in links.items()])


def _clean_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).lower()


def parse_html(text: str, page_url: str) -> Discovery:
    """Links, pagination, feeds, canonical, meta refresh, title, fingerprint and soft-failure
    verdict of an HTML page, from one lxml parse (corpus.htmltree)."""
    doc = parse_tree(text)
    if doc is None:
        return Discovery("html", fingerprint=fingerprint(""))
    base = page_url
    base_tag = next((el for el in doc.iter("base") if el.get("href")), None)
    if base_tag is not None:
        base = try_normalize(base_tag.get("href", ""), page_url) or page_url
    out: dict[str, str] = {}  # url → kind, first kind wins except upgrades below
    canonical: str | None = None
    page_site = site_key(page_url)

    def add(url: str | None, kind: str) -> None:
        if not url:
            return
        if url not in out or (kind in ("feed", "pagination") and out[url] == "page"):
            out[url] = kind

    for tag in doc.iter("link", "a", "area", "meta"):
        name = tag.tag
        if name == "meta":
            if (tag.get("http-equiv") or "").strip().lower() == "refresh":
                m = _REFRESH_RE.match(tag.get("content") or "")
                if m:
                    add(_resolve(m.group(1).strip(), base), "refresh")
            continue
        href = tag.get("href")
        if href is None:
            continue
        rel = set((tag.get("rel") or "").lower().split())
        if name == "link":
            if "canonical" in rel:
                canonical = try_normalize(href, page_url)  # canonical resolves against the page
            elif "alternate" in rel and (tag.get("type") or "").strip().lower() in _FEED_TYPES:
                add(_resolve(href, base), "feed")
            elif "next" in rel:
                add(_resolve(href, base), "pagination")
            continue
        url = _resolve(href, base)
        if not url or url == page_url:
            continue
        label = _clean_text(text_of(tag) or tag.get("title") or tag.get("aria-label") or "")
        if site_key(url) == page_site and ("next" in rel or label in PAGINATION_TEXTS
                                           or is_pagination_url(url)):
            add(url, "pagination")
        elif _FEED_HREF_RE.search(url):
            add(url, "feed")
        else:
            add(url, "page")
    found = doc.xpath(_LOAD_MORE_XPATH)
    for el in found if isinstance(found, list) else ():
        if not isinstance(el, etree._Element):
            continue
        label = _clean_text(text_of(el) or el.get("title") or el.get("aria-label") or "")
        named = "data-next" in el.attrib or "data-next-url" in el.attrib or "data-load-more" in el.attrib
        if not (named or label in _LOAD_MORE_TEXTS or _LOAD_MORE_CLASS_RE.search(el.get("class") or "")):
            continue
        for attr in _LOAD_MORE_ATTRS:
            value = (el.get(attr) or "").strip()
            if value and not value.startswith(("#", "javascript:")):
                url = _resolve(value, base)
                if url and url != page_url:     # an API host of its own is common: scope decides
                    add(url, "pagination")
    out.pop(page_url, None)
    signals = page_signals(doc)  # reads scripts, then strips them for the visible text
    return Discovery("html", [Link(u, k) for u, k in out.items()], canonical=canonical,
                     title=signals.title, fingerprint=fingerprint(signals.text),
                     soft=classify(signals))


def parse_json(data: bytes, url: str) -> Discovery:
    """A "Xem thêm" answer in JSON: HTML fragments in its strings give the page links, a
    ``next``-like key the next page; other URL-looking strings are page links. Anything else
    (an API we do not understand) gives no links."""
    try:
        value = json.loads(data[:MAX_JSON_BYTES].decode("utf-8-sig", "replace"))
    except ValueError:
        return Discovery("unknown")
    links: dict[str, str] = {}
    stack: list[tuple[str, object]] = [("", value)]
    seen = 0
    while stack and seen < MAX_JSON_VALUES:
        key, item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            stack.extend((str(k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((key, v) for v in item)
        elif isinstance(item, str):
            text = item.strip()
            if "<" in text and ">" in text:
                for link in parse_html(text, url).links:
                    links.setdefault(link.url, link.kind)
            elif text.startswith(("/", "http://", "https://")) and " " not in text:
                target = _resolve(text, url)
                if target and target != url:
                    links[target] = "pagination" if _NEXT_KEY_RE.match(key) else links.get(target, "page")
    return Discovery("json", [Link(u, k) for u, k in links.items()])


@lru_cache(maxsize=65536)
def _resolve_cached(href: str, base: str) -> str | None:
    return try_normalize(href, base)


def _resolve(href: str, base: str) -> str | None:
    """try_normalize, cached for the links every page of a site repeats (menus, footers)."""
    href = href.strip()
    if href.startswith("/") and not href.startswith("//"):
        base = base[: base.find("/", base.find("//") + 2)] if base.count("/") >= 3 else base
    return _resolve_cached(href, base)


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
        decoded = decode_html(body, content_type, canonical=False)  # NFC is enough for links
        found = parse_html(decoded.text, url)
        found.decoded = decoded
        return found
    if kind == "json":
        return parse_json(body, url)
    if kind in ("pdf", "doc", "docx"):
        return Discovery("file")
    return Discovery("unknown")
