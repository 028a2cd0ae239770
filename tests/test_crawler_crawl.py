"""One crawl of a generated two-site web with injected faults; oracles read the servers' own logs.

The news site has a BOM robots.txt with Crawl-delay 0.15 s, a gzip sitemap served as
application/octet-stream behind a sitemap index, an RSS feed, paging, a calendar trap, tracking
duplicates, redirects (alias, loop, long chain), windows-1258 and NFD pages and a soft 404. The
fault site has 429 + Retry-After, 500, 404, 410, a dripping body, an oversize body, a gzip bomb,
bad gzip, a truncated body, an image and a PDF served as octet-stream. A third server stands for
a host outside the allowed list.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from crawlweb import ARTICLE_TEXT, Site, build_fault_site, build_news_site

from corpus.decoding import decode_html
from corpus.rawstore import RawPage, iter_pages, iter_responses, warc_dir
from corpus.textnorm import canon
from crawler import CrawlConfig, CrawlSummary, crawl
from crawler.frontier import Frontier, UrlRow
from crawler.urls import url_key

pytestmark = pytest.mark.timeout(60)

DELAY = 0.05
CRAWL_DELAY = 0.15  # from the news site's robots.txt
EPS = 0.02
MAX_PAGINATION = 4


@dataclass
class World:
    news: Site
    faults: Site
    other: Site
    groups: dict[str, list[str]]
    summary: CrawlSummary
    pages: dict[str, RawPage]
    rows: dict[str, UrlRow]
    data_dir: Path
    elapsed: float

    def row(self, site: Site, path: str) -> UrlRow:
        return self.rows[url_key(site.url(path))]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    news, faults, other = Site("news"), Site("faults"), Site("other")
    try:
        groups = build_news_site(news, other.url("/tin/ngoai.html"))
        build_fault_site(faults)
        data_dir = tmp_path_factory.mktemp("crawl")
        config = CrawlConfig(
            data_dir=data_dir, start_urls=[news.url("/"), faults.url("/")], max_pages=300,
            max_depth=3, delay=DELAY, deadline=40, progress=False, max_retries=1,
            backoff_base=0.05, fetch_deadline=1.0, read_timeout=0.5, connect_timeout=1.0,
            max_html_bytes=1024 * 1024, max_pagination=MAX_PAGINATION, durable=False,
        )
        t0 = time.monotonic()
        summary = crawl(config)
        elapsed = time.monotonic() - t0
        pages = {p.url: p for p in iter_pages(data_dir)}
        frontier = Frontier(data_dir / "crawl.sqlite")
        rows = {r.key: r for r in frontier.rows()}
        frontier.close()
        yield World(news, faults, other, groups, summary, pages, rows, data_dir, elapsed)
    finally:
        for site in (news, faults, other):
            site.close()


def _gaps(site: Site) -> list[float]:
    times = [e.t for e in site.entries()]
    return [b - a for a, b in zip(times, times[1:])]


def test_crawl_finishes_with_nothing_left(world: World) -> None:
    s = world.summary
    assert s.stopped == "done" and s.queued == 0
    assert s.new == len(world.pages)
    assert world.elapsed < 30


def test_robots_read_first_and_obeyed(world: World) -> None:
    for site in (world.news, world.faults):
        assert site.paths()[0] == "/robots.txt"
        assert site.count("/robots.txt") == 1
    # the Disallow line sits in the first group, right after the BOM
    assert "/private/secret.html" not in world.news.paths()
    assert world.row(world.news, "/private/secret.html").reason == "robots"
    for entry in world.news.entries():
        assert entry.headers["user-agent"].startswith("UnionSearchBot/")


def test_no_host_outside_the_allowed_list_is_touched(world: World) -> None:
    assert world.other.paths() == []


def test_per_host_delay_held(world: World) -> None:
    news_gaps, fault_gaps = _gaps(world.news), _gaps(world.faults)
    assert len(news_gaps) > 30 and len(fault_gaps) > 10
    assert min(news_gaps) >= CRAWL_DELAY - EPS  # Crawl-delay beats the configured delay
    assert min(fault_gaps) >= DELAY - EPS


def test_hosts_crawled_in_parallel(world: World) -> None:
    news_span = (world.news.entries()[0].t, world.news.entries()[-1].t)
    during = [e for e in world.faults.entries() if news_span[0] < e.t < news_span[1]]
    assert len(during) >= 5


def test_sitemap_index_gzip_octet_stream_and_rss(world: World) -> None:
    paths = world.news.paths()
    assert paths.index("/sitemap_index.xml") < paths.index("/")  # robots Sitemap: first
    assert "/sitemap-news.xml.gz" in paths and "/rss/home.rss" in paths
    for p in world.groups["sitemap_articles"] + world.groups["feed_articles"]:
        assert world.news.count(p) == 1
        assert world.news.url(p) in world.pages
    # a guessed /sitemap.xml that is missing on the fault site is no failure
    assert world.faults.count("/sitemap.xml") == 1
    assert "http_404" not in world.summary.failed or world.summary.failed["http_404"] == 1


def test_pagination_followed_and_calendar_trap_capped(world: World) -> None:
    for p in world.groups["listing_pages"] + world.groups["listing_articles"]:
        assert world.news.count(p) == 1, p
    calendar = [p for p in world.news.paths() if p.startswith("/su-kien?Page=")]
    assert len(calendar) == MAX_PAGINATION  # pages 2..5 after /su-kien itself


def test_tracking_parameter_duplicates_fetched_once(world: World) -> None:
    variants = [p for p in world.news.paths() if p.startswith("/tin/a5.ldo")]
    assert variants == ["/tin/a5.ldo"]


def test_redirects_alias_loop_and_chain(world: World) -> None:
    page = world.pages[world.news.url("/tin/a6.ldo")]
    assert page.aliases == (world.news.url("/tin/a6.bld"),)
    assert world.news.count("/tin/a6.bld") == 1 and world.news.count("/tin/a6.ldo") == 1
    assert world.news.count("/loop/1") == 1 and world.news.count("/loop/2") == 1
    assert world.row(world.news, "/loop/2").reason == "redirect_loop"
    chain = [p for p in world.news.paths() if p.startswith("/chain/")]
    assert chain == [f"/chain/{i}" for i in range(6)]  # 5 hops followed, the 6th refused
    assert world.row(world.news, "/chain/5").reason == "redirect_hops"
    assert world.summary.redirects == 1 + 1 + 5


def test_failures_recorded_with_reasons_and_bounded_retries(world: World) -> None:
    expected = {
        "/missing.html": ("gone", "http_404", 1),
        "/gone.html": ("gone", "http_410", 1),
        "/err500.html": ("failed", "http_500", 2),  # max_retries=1
        "/cut.html": ("failed", "truncated", 2),
        "/drip.html": ("failed", "timeout", 2),
        "/big.html": ("failed", "too_large", 1),
        "/bomb.html": ("failed", "too_large", 1),
        "/badgz.html": ("failed", "bad_encoding", 1),
        "/photo.jpg": ("failed", "content_type", 1),
    }
    for path, (state, reason, requests) in expected.items():
        row = world.row(world.faults, path)
        assert (row.state, row.reason) == (state, reason), path
        assert world.faults.count(path) == requests, path
    assert world.row(world.news, "/soft404.html").reason == "soft_404"
    assert world.news.url("/soft404.html") not in world.pages
    failed = world.summary.failed
    assert failed["too_large"] == 2 and failed["robots"] == 1 and failed["soft_404"] == 1
    assert world.summary.retries == 4  # busy, err500, cut, drip


def test_429_retry_after_waited(world: World) -> None:
    first, second = world.faults.entries("/busy.html")
    assert first.status == 429 and second.status == 200
    assert second.t - first.t >= 1.0 - EPS
    # Retry-After holds the whole host, not just the URL
    assert not [e for e in world.faults.entries() if first.t < e.t < first.t + 1.0 - EPS]
    assert world.faults.url("/busy.html") in world.pages


def test_slow_drip_cut_by_the_fetch_deadline(world: World) -> None:
    entries = world.faults.entries()
    for i, e in enumerate(entries[:-1]):
        if e.path == "/drip.html":
            # the server needs 10 s for this body; the crawler gave up after ~1 s
            assert entries[i + 1].t - e.t < 1.0 + 0.6


def test_encodings_decoded_to_nfc(world: World) -> None:
    for path in ("/cp1258.html", "/nfd.html"):
        page = world.pages[world.news.url(path)]
        decoded = decode_html(page.body, page.headers.get("content-type"))
        assert canon(ARTICLE_TEXT) in decoded.text, path
        assert "Công đoàn tỉnh tổ chức hội nghị" in decoded.text
    cp = decode_html(world.pages[world.news.url("/cp1258.html")].body, "text/html; charset=utf-8")
    assert cp.encoding == "cp1258"


def test_documents_sniffed_and_stored(world: World) -> None:
    pdf = world.pages[world.faults.url("/qd-12.pdf")]
    assert pdf.body.startswith(b"%PDF-") and pdf.content_type == "application/octet-stream"


def test_warc_is_valid_and_holds_each_page_once(world: World) -> None:
    from warcio.cli import main as warcio_main

    for path in warc_dir(world.data_dir).iterdir():
        with pytest.raises(SystemExit) as exc:
            warcio_main(["check", str(path)])
        assert exc.value.code == 0
    stored = Counter(target for kind, target, status, _ in iter_responses(world.data_dir)
                     if kind == "response" and status == 200)
    assert stored and max(stored.values()) == 1
    assert set(world.pages) == set(stored)
