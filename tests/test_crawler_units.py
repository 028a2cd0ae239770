"""Unit tests: robots rules, sniffing, Retry-After, discovery parsers, soft failures, sources,
the WARC store and frontier crash recovery."""
from __future__ import annotations

import gzip
import textwrap
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from corpus.rawstore import (
    BodyDecoder,
    BodyTooLarge,
    HttpExchange,
    decode_body,
    iter_pages,
    iter_responses,
    warc_dir,
)
from corpus.softfail import classify_soft_failure
from corpus.sources import SourceError, find_source, load_sources
from crawler.discover import (
    discover,
    is_pagination_url,
    parse_feed,
    parse_html,
    parse_sitemap,
)
from crawler.fetch import parse_retry_after, sniff_kind
from crawler.frontier import Frontier, NewUrl
from crawler.robots import DEFAULT_USER_AGENT, product_token, rules_from_response
from crawler.urls import origin, site_key, url_key
from crawler.warcwriter import WarcWriter, record_complete, truncate_partial

pytestmark = pytest.mark.timeout(20)
UA = DEFAULT_USER_AGENT


# ------------------------------------------------------------------ robots
def test_robots_bom_group_is_kept() -> None:
    body = "\ufeffUser-agent: *\nDisallow: /x\nCrawl-delay: 2.5\nSitemap: http://a.vn/s.xml\n".encode()
    rules = rules_from_response("http://a.vn", 200, body, "text/plain")
    assert not rules.allowed("http://a.vn/x/1", UA)
    assert rules.allowed("http://a.vn/y", UA)
    assert rules.crawl_delay(UA) == 2.5 and rules.sitemaps == ["http://a.vn/s.xml"]
    assert product_token(UA) == "UnionSearchBot"


def test_robots_failure_semantics_rfc9309() -> None:
    for status in (401, 403, 404, 410):
        r = rules_from_response("http://a.vn", status, b"", "")
        assert r.allow_all and not r.unavailable and r.allowed("http://a.vn/any", UA)
    for status in (429, 500, 503, None):
        r = rules_from_response("http://a.vn", status, b"", "", error="timeout" if status is None else "")
        assert r.unavailable and not r.allowed("http://a.vn/any", UA)
    html = rules_from_response("http://a.vn", 200, b"<!DOCTYPE html><html>Trang chu</html>", "text/html")
    assert html.allow_all and html.error == "html_as_robots"
    named = rules_from_response("http://a.vn", 200,
                                b"User-agent: UnionSearchBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    assert not named.allowed("http://a.vn/p", UA) and named.allowed("http://a.vn/p", "OtherBot/1.0")


# ------------------------------------------------------------------ fetch helpers
def test_sniff_trusts_bytes_over_content_type() -> None:
    assert sniff_kind(b"\x1f\x8b\x08rest", "application/octet-stream") == "gzip"
    assert sniff_kind(b"%PDF-1.7 ...", "text/html") == "pdf"
    assert sniff_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "application/octet-stream") == "doc"
    assert sniff_kind(b"PK\x03\x04....word/document.xml", "application/octet-stream") == "docx"
    assert sniff_kind(b"\xef\xbb\xbf<?xml version='1.0'?><urlset/>", "text/plain") == "xml"
    assert sniff_kind(b"  <!DOCTYPE html><html>", "application/octet-stream") == "html"
    assert sniff_kind(b"\xff\xd8\xff\xe0JFIF", "application/octet-stream") is None


def test_retry_after_seconds_and_date() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("999999") == 3600.0  # clamped
    now = time.time()
    later = format_datetime(datetime.fromtimestamp(now + 30, UTC), usegmt=True)
    assert 28 <= parse_retry_after(later, now=now) <= 31  # type: ignore[operator]
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_body_decoder_counts_decoded_bytes() -> None:
    bomb = gzip.compress(b"\0" * (10 * 1024 * 1024))
    assert len(bomb) < 20_000
    dec = BodyDecoder("gzip", limit=1024 * 1024)
    with pytest.raises(BodyTooLarge):
        dec.feed(bomb)
    assert decode_body(gzip.compress(b"abc") + gzip.compress(b"def"), "gzip") == b"abcdef"
    import zlib
    raw_deflate = zlib.compressobj(wbits=-15)
    data = raw_deflate.compress(b"hello") + raw_deflate.flush()
    assert decode_body(data, "deflate") == b"hello"
    assert decode_body(zlib.compress(b"hello"), "deflate") == b"hello"


# ------------------------------------------------------------------ discovery
def test_sitemaps_gzip_by_magic_index_and_cdata() -> None:
    urlset = (b'\xef\xbb\xbf<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
              b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
              b"<url><loc><![CDATA[https://laodong.vn/a-1.ldo?utm_source=x]]></loc>"
              b"<news:news><news:publication_date>2026-06-02T08:52:00+07:00</news:publication_date></news:news></url>"
              b"<url><loc> https://laodong.vn/b-2.ldo </loc></url></urlset>")
    found = discover(gzip.compress(gzip.compress(urlset)), "https://laodong.vn/s.xml.gz", "gzip")
    assert found.doc == "sitemap"
    assert [link.url for link in found.links] == ["https://laodong.vn/a-1.ldo", "https://laodong.vn/b-2.ldo"]
    index = parse_sitemap(b"<sitemapindex><sitemap><loc>/news-sitemap.xml</loc></sitemap></sitemapindex>",
                          "https://x.vn/sitemap.xml")  # no namespace, relative loc
    assert index.doc == "sitemapindex" and index.links[0].url == "https://x.vn/news-sitemap.xml"
    assert index.links[0].kind == "sitemap"
    text = parse_sitemap(b"https://x.vn/a\nhttps://x.vn/b\n", "https://x.vn/sitemap.txt")
    assert [link.url for link in text.links] == ["https://x.vn/a", "https://x.vn/b"]
    assert parse_sitemap(b"<html>oops</html>", "https://x.vn/").doc == "unknown"


def test_feeds_rss_and_atom() -> None:
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title>'
           b"<link>https://x.vn/a.html</link></item><item><guid>https://x.vn/b.html</guid></item>"
           b"</channel></rss>")
    assert [link.url for link in parse_feed(rss, "https://x.vn/rss").links] == \
        ["https://x.vn/a.html", "https://x.vn/b.html"]
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="/c.html"/>'
            b'<link rel="edit" href="/edit"/></entry></feed>')
    assert [link.url for link in parse_feed(atom, "https://x.vn/atom").links] == ["https://x.vn/c.html"]


def test_html_links_pagination_feeds_canonical() -> None:
    html = """<html><head><link rel="canonical" href="/tin/bai-1.html">
      <link rel="alternate" type="application/rss+xml" href="/rss/tin.rss">
      <meta http-equiv="refresh" content="30; url=/tin/moi.html"></head><body>
      <a href="/tin/bai-2.html?fbclid=1#x">Bài 2</a><a href="mailto:a@b.vn">thư</a>
      <a href="/tin?Page=2">2</a><a href="/chuyen-muc/trang-3">Trang sau</a>
      <a href="/muc/page-4">Tiếp</a><a href="/muc">»</a><a href="/view.aspx?x=1">Sau</a>
      <a href="https://other.vn/x">ngoài</a><a href="/feed/">RSS</a></body></html>"""
    found = parse_html(html, "https://x.vn/tin")
    kinds = {link.url: link.kind for link in found.links}
    assert found.canonical == "https://x.vn/tin/bai-1.html"
    assert kinds["https://x.vn/tin/bai-2.html"] == "page"
    for u in ("https://x.vn/tin?Page=2", "https://x.vn/chuyen-muc/trang-3", "https://x.vn/muc/page-4",
              "https://x.vn/muc", "https://x.vn/view.aspx?x=1"):
        assert kinds[u] == "pagination", u
    assert kinds["https://x.vn/rss/tin.rss"] == "feed" and kinds["https://x.vn/feed/"] == "feed"
    assert kinds["https://x.vn/tin/moi.html"] == "refresh"
    assert kinds["https://other.vn/x"] == "page"  # scope is the engine's job
    assert found.is_listing
    assert is_pagination_url("https://laodongcongdoan.vn/cong-doan?BRSR=14")
    assert not is_pagination_url("https://x.vn/tin/bai-1.html")


def test_base_href_is_honoured() -> None:
    found = parse_html('<base href="https://media.x.vn/"><a href="a.html">a</a>', "https://x.vn/p/q")
    assert found.links[0].url == "https://media.x.vn/a.html"


def test_soft_failures() -> None:
    assert classify_soft_failure("<title>Không tìm thấy trang</title><p>Xin lỗi</p>") == "soft_404"
    assert classify_soft_failure("<h1>Lỗi 404</h1>") == "soft_404"
    assert classify_soft_failure("<p>Trang web đang bảo trì, vui lòng quay lại sau</p>") == "maintenance"
    challenge = ("<html><script>document.cookie='D1N=abc; path=/';window.location.reload();</script>"
                 "</html>")
    assert classify_soft_failure(challenge) == "cookie_challenge"
    article = "<title>Công đoàn</title><p>" + "Nội dung bài viết về công đoàn. " * 50 + \
              "Không tìm thấy trang nào khác.</p>"
    assert classify_soft_failure(article) is None


# ------------------------------------------------------------------ sources
def test_shipped_sources_load_and_are_unverified() -> None:
    sources = load_sources()
    names = {s.name for s in sources}
    assert {"congdoan-vn", "laodong-congdoan", "laodongcongdoan-vn"} <= names
    assert all(not s.verified for s in sources)
    lao = find_source(sources, "laodong-congdoan")
    assert lao.feeds and lao.selectors is not None and lao.selectors.body
    assert lao.seed_urls[0] == lao.feeds[0]  # feeds before start pages
    assert all(s.province for s in sources)


def test_source_errors_name_file_and_entry(tmp_path: Path) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text(textwrap.dedent("""
        [[source]]
        name = "ok"
        title = "OK"
        homepage = "https://ok.vn/"

        [[source]]
        name = "lac"
        title = "Lạc"
        homepage = "https://lac.vn/"
        start_urls = ["https://elsewhere.vn/"]
    """), encoding="utf-8")
    with pytest.raises(SourceError, match=r"s\.toml: source #2 \('lac'\).*outside allowed_hosts"):
        load_sources(bad)
    bad.write_text('[[source]]\nname = "x"\ntitle = "X"\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"source #1 \('x'\): missing or empty 'homepage'"):
        load_sources(bad)
    bad.write_text("[[source]\n", encoding="utf-8")
    with pytest.raises(SourceError, match="not valid TOML"):
        load_sources(bad)
    with pytest.raises(SourceError, match="no source named 'zzz'"):
        find_source(load_sources(), "zzz")


# ------------------------------------------------------------------ WARC store
def _exchange(url: str, body: bytes, when: datetime, status: int = 200, **headers: str) -> HttpExchange:
    hdrs = {"Content-Type": "text/html; charset=utf-8", **headers}
    return HttpExchange(url=url, status=status, response_headers=tuple(hdrs.items()), raw_body=body,
                        fetched_at=when, request_headers=(("User-Agent", UA),), reason="OK")


def test_warc_reader_latest_canonical_aliases_and_changed_since(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 2, 1, 0, tzinfo=UTC)
    with WarcWriter(tmp_path, durable=False) as w:
        w.write_response(_exchange("http://x.vn/old.bld", b"", t0, 301, Location="/a.ldo"),
                         redirect_to="http://x.vn/a.ldo")
        w.write_response(_exchange("http://x.vn/a.ldo", b"<p>v1</p>", t0), source="src")
        w.write_response(_exchange("http://x.vn/b?print=1", gzip.compress(b"<p>b</p>"), t0,
                                   **{"Content-Encoding": "gzip", "Transfer-Encoding": "chunked"}),
                         canonical_url="http://x.vn/b")
        w.write_response(_exchange("http://x.vn/a.ldo", b"<p>v2</p>", t0 + timedelta(hours=1)), source="src")
        w.write_revisit(_exchange("http://x.vn/b?print=1", b"", t0 + timedelta(hours=2), 304),
                        profile="server-not-modified", refers_to_uri="http://x.vn/b",
                        refers_to_date="2026-06-02T01:00:00Z", payload_digest=None)
    pages = {p.url: p for p in iter_pages(tmp_path)}
    assert set(pages) == {"http://x.vn/a.ldo", "http://x.vn/b"}
    a, b = pages["http://x.vn/a.ldo"], pages["http://x.vn/b"]
    assert a.body == b"<p>v2</p>" and a.aliases == ("http://x.vn/old.bld",) and a.source == "src"
    assert b.body == b"<p>b</p>" and b.fetched_url == "http://x.vn/b?print=1"
    assert b.aliases == ("http://x.vn/b?print=1",) and b.content_type == "text/html"
    assert "x-crawler-transfer-encoding" in b.headers and "transfer-encoding" not in b.headers
    changed = [p.url for p in iter_pages(tmp_path, only_changed_since="2026-06-02T01:30:00Z")]
    assert changed == ["http://x.vn/a.ldo"]  # b only had a 304 since
    kinds = [k for k, *_ in iter_responses(tmp_path)]
    assert kinds.count("revisit") == 1


def test_partial_record_detected_and_truncated(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 2, tzinfo=UTC)
    w = WarcWriter(tmp_path, durable=False)
    first = w.write_response(_exchange("http://x.vn/1", b"<p>1</p>", t0))
    second = w.write_response(_exchange("http://x.vn/2", b"<p>2</p>" * 100, t0))
    w.close()
    path = warc_dir(tmp_path) / second.file
    size = path.stat().st_size
    assert record_complete(tmp_path, first) and record_complete(tmp_path, second)
    with open(path, "r+b") as fh:  # a crash in the middle of the second write
        fh.truncate(size - 40)
    assert not record_complete(tmp_path, second)
    assert [p.url for p in iter_pages(tmp_path)] == ["http://x.vn/1"]  # reader stops at the tail
    truncate_partial(tmp_path, second)
    assert path.stat().st_size == second.offset
    assert [p.url for p in iter_pages(tmp_path)] == ["http://x.vn/1"]


def _new(url: str, kind: str = "page") -> NewUrl:
    return NewUrl(url=url, key=url_key(url), host=site_key(url), origin=origin(url), kind=kind)


def test_frontier_recovery_applies_or_requeues(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 2, tzinfo=UTC)
    f = Frontier(tmp_path / "crawl.sqlite")
    assert f.add([_new("http://x.vn/a"), _new("http://x.vn/b"), _new("https://www.x.vn/a")]) == 2
    a = f.lease("x.vn", time.time(), 60)
    b = f.lease("x.vn", time.time(), 60)
    assert a is not None and b is not None and a.url == "http://x.vn/a"
    w = WarcWriter(tmp_path, durable=False)
    loc = w.tell()
    f.stage(a.id, {"state": "done", "status": 200, "content_hash": "h",
                   "warc": {"file": loc.file, "offset": loc.offset, "record_id": "<urn:uuid:1>"}},
            links=[_new("http://x.vn/c")])
    w.write_response(_exchange(a.url, b"<p>a</p>", t0), record_id="<urn:uuid:1>")
    loc_b = w.tell()  # b staged, its record never written (killed before the write)
    f.stage(b.id, {"state": "done", "status": 200,
                   "warc": {"file": loc_b.file, "offset": loc_b.offset, "record_id": "<urn:uuid:2>"}})
    w.close()
    f.close()
    f = Frontier(tmp_path / "crawl.sqlite")  # a new process
    done, requeued = f.recover(lambda loc: record_complete(tmp_path, loc),
                               lambda loc: truncate_partial(tmp_path, loc))
    assert (done, requeued) == (1, 1)
    assert f.get(url_key("http://x.vn/a")).state == "done"  # type: ignore[union-attr]
    assert f.get(url_key("http://x.vn/a")).content_hash == "h"  # type: ignore[union-attr]
    assert f.get(url_key("http://x.vn/b")).state == "queued"  # type: ignore[union-attr]
    assert f.get(url_key("http://x.vn/c")) is not None  # staged links survive
    assert f.counts() == {"done": 1, "queued": 2}


def test_warc_reader_newer_redirect_supersedes_old_page(tmp_path: Path) -> None:
    t0 = datetime(2026, 6, 2, tzinfo=UTC)
    with WarcWriter(tmp_path, durable=False) as w:
        w.write_response(_exchange("http://x.vn/a.bld", b"<p>old</p>", t0))
        w.write_response(_exchange("http://x.vn/a.bld", b"", t0 + timedelta(days=1), 301,
                                   Location="/a.ldo"), redirect_to="http://x.vn/a.ldo")
        w.write_response(_exchange("http://x.vn/a.ldo", b"<p>new</p>", t0 + timedelta(days=1)))
        w.write_response(_exchange("http://x.vn/c", b"", t0, 302, Location="/c2"),
                         redirect_to="http://x.vn/c2")
        w.write_response(_exchange("http://x.vn/c", b"<p>c back</p>", t0 + timedelta(days=2)))
    pages = {p.url: p for p in iter_pages(tmp_path)}
    assert set(pages) == {"http://x.vn/a.ldo", "http://x.vn/c"}
    assert pages["http://x.vn/a.ldo"].aliases == ("http://x.vn/a.bld",)
    assert pages["http://x.vn/c"].body == b"<p>c back</p>" and pages["http://x.vn/c"].aliases == ()


def test_a_long_404_template_is_a_soft_404_but_an_article_citing_one_is_not():
    """VnExpress answers a missing article with its whole layout (menus, empty news boxes) under
    <body data-source="404">: too long for the short-page rule, said by the template."""
    filler = "".join(f"<li><a href='/m{i}'>Mục tin số {i} của báo</a></li>" for i in range(120))
    page = ('<html><head><title>VnExpress - Báo tiếng Việt nhiều người xem nhất</title></head>'
            f'<body data-source="404"><ul>{filler}</ul><section class="section page-404">'
            "<strong class='title-404'>Không tìm thấy đường dẫn này</strong></section></body></html>")
    assert classify_soft_failure(page) == "soft_404"
    article = page.replace(' data-source="404"', "").replace("page-404", "box").replace(
        "title-404", "note")
    assert classify_soft_failure(article) is None
