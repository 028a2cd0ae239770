"""The archive web's ground truth holds: what it claims about itself is what a client fetching it
sees. Plain HTTP (httpx) against the generated site; no crawler involved, so a crawler test that
fails on this web fails because of the crawler."""
from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from archiveweb import STYLES, ArchiveWeb, build_archive_web
from crawlweb import Site
from lxml import etree, html

pytestmark = pytest.mark.timeout(60)

#: what a page still has when its listing goes on
NEXT_MARKERS = {
    "query-numbered": 'title="Trang sau"',
    "path-trang": "Trang sau »",
    "path-p-relnext": 'rel="next"',
    "aspnet-numbers": "»</a>",
    "date-month": "« Tháng trước",
    "load-more-html": 'data-url="',
    "load-more-json": "data-href=",
}


@pytest.fixture(scope="module")
def web() -> Iterator[ArchiveWeb]:
    site = Site("archive")
    try:
        yield build_archive_web(site, articles=120)
    finally:
        site.close()


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, trust_env=False) as c:
        yield c


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _article_links(text: str, web: ArchiveWeb) -> set[str]:
    """Article paths linked from the listing part of a page (not the chrome's "Đọc nhiều")."""
    if text.lstrip().startswith("{"):
        text = json.loads(text)["html"] or "<ul></ul>"
    tree = html.fromstring(text or "<ul></ul>")
    lists = tree.xpath('//div[@class="list-news"]') or tree.xpath("//main") or [tree]
    hrefs = [_path(h) for el in lists for h in el.xpath(".//a/@href")]
    return {h for h in hrefs if h in web.articles}


def test_deterministic_and_disjoint(web: ArchiveWeb) -> None:
    other = Site("again")
    try:
        again = build_archive_web(other, articles=120)
    finally:
        other.close()
    assert again.newest_first == web.newest_first
    assert {lst.style for lst in web.listings} == set(STYLES)
    slices = [lst.articles for lst in web.listings]
    assert sum(len(s) for s in slices) == len(web.articles) == 120
    assert frozenset().union(*slices) == web.articles
    dates = [web.published[p] for p in web.newest_first]
    assert dates == sorted(dates, reverse=True)
    assert (dates[0] - dates[-1]).days > 9 * 365
    assert len({_path(p).rsplit("/", 1)[0].split("/")[1] for p in web.articles}) >= 3  # URL shapes


def test_robots_sitemap_nested_three_levels_and_feed(web: ArchiveWeb, client: httpx.Client) -> None:
    robots = client.get(web.site.url("/robots.txt")).text
    assert f"Sitemap: {web.sitemap}" in robots and "Disallow:\n" in robots
    found: set[str] = set()
    depth_of_urlset = set()
    todo = [(web.sitemap, 1)]
    while todo:
        url, depth = todo.pop()
        root = etree.fromstring(client.get(url).content)
        locs = [el.text for el in root.iter("{*}loc")]
        if root.tag.endswith("sitemapindex"):
            todo += [(loc, depth + 1) for loc in locs]
        else:
            depth_of_urlset.add(depth)
            found |= {p for p in map(_path, locs) if p in web.articles}
    assert 3 in depth_of_urlset
    assert found == web.sitemap_articles == set(web.newest_first[:30])
    feed = etree.fromstring(client.get(web.feed).content)
    assert {_path(el.text) for el in feed.iter("link") if el.text and "/rss" not in el.text
            and _path(el.text) != "/"} == web.feed_articles == set(web.newest_first[:20])
    home = client.get(web.home).text
    assert 'type="application/rss+xml"' in home
    assert _article_links(home, web) == web.home_articles == set(web.newest_first[:10])
    assert all(lst.first_page in home for lst in web.listings)


@pytest.mark.parametrize("style", STYLES)
def test_each_listing_walks_to_its_whole_slice(web: ArchiveWeb, client: httpx.Client, style: str) -> None:
    lst = web.listing(style)
    seen: set[str] = set()
    texts = []
    for url in lst.pages:
        r = client.get(url)
        assert r.status_code == 200, url
        texts.append(r.text)
        seen |= _article_links(r.text, web)
    assert seen == lst.articles
    for text, nxt in zip(texts, lst.pages[1:], strict=False):
        assert _path(nxt) in text or nxt in text  # each page names the next one
        assert NEXT_MARKERS[style] in text
    assert NEXT_MARKERS[style] not in texts[-1]  # the last page shows no next link


@pytest.mark.parametrize(("style", "past_end", "expected"), [
    ("query-numbered", "/cong-doan?page=999", "empty"),
    ("path-trang", "/thoi-su/trang-999.html", "404"),
    ("path-p-relnext", "/phap-luat/p999", "404"),
    ("aspnet-numbers", "/viec-lam.aspx?Page=999", "last"),
    ("date-month", "/luu-tru/1990/01/", "empty"),
    ("load-more-html", "/ajax/danh-muc/123?page=999", "empty"),
    ("load-more-json", "/api/v1/category/456/articles?page=999", "empty"),
])
def test_out_of_range_pages(web: ArchiveWeb, client: httpx.Client, style: str, past_end: str,
                            expected: str) -> None:
    lst = web.listing(style)
    assert lst.out_of_range == expected
    r = client.get(web.site.url(past_end))
    if expected == "404":
        assert r.status_code == 404
        return
    assert r.status_code == 200
    if expected == "last":
        assert r.content == client.get(lst.pages[-1]).content
    else:
        assert not _article_links(r.text, web)


def test_traps_answer_forever(web: ArchiveWeb, client: httpx.Client) -> None:
    a = client.get(web.site.url("/lich/1871-03")).text
    assert "/lich/1871-02" in a and "/lich/1871-04" in a
    assert not _article_links(a, web)
    one = _article_links(client.get(web.site.url("/moi-nhat")).text, web)
    far = client.get(web.site.url("/moi-nhat?page=123456")).text
    assert _article_links(far, web) == one and len(one) == 10
    assert "/moi-nhat?page=123457" in far
    assert web.trap_of("/lich/2020-01") == "calendar" and web.trap_of("/moi-nhat?page=3") == "endless"
    assert web.trap_of("/cong-doan") is None


def test_json_api_on_another_host() -> None:
    site, api = Site("archive"), Site("api", "127.0.0.2")
    try:
        web = build_archive_web(site, articles=120, api=api)
        assert web.allowed_hosts == {site.host, api.host}
        pages = web.listing("load-more-json").pages
        assert all(u.startswith(api.base) for u in pages[1:])
        with httpx.Client(trust_env=False) as c:
            r = c.get(pages[1])
        assert r.headers["content-type"].startswith("application/json")
        assert site.base in r.json()["html"]
    finally:
        site.close()
        api.close()
