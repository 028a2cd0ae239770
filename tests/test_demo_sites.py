"""The demo sites over real HTTP on 127.0.0.1: crawlable, complete, realistic and deterministic."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx
import pytest
from bs4 import BeautifulSoup
from protego import Protego

from demo_sites import (
    ContentError,
    DemoWeb,
    ground_truth,
    load_articles,
    start_demo_sites,
)

SITE_IDS = ("baocongnhan", "congdoan", "congttdt")
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

BOILERPLATE = {
    "baocongnhan": [
        "(Baocongnhan.vn) - ",
        "Chia sẻ",
        "In bài",
        "Từ khóa:",
        "{name} - {time}",
        "{body}",
        "Trả lời",
        "0 bình luận",
        "Ý kiến của bạn sẽ được biên tập trước khi đăng. Xin vui lòng gõ tiếng Việt có dấu",
        "Tin cùng chuyên mục",
        "Thời tiết",
        "Tòa soạn:",
        "Giấy phép",
        "Thứ sáu, 20/11/2026",
    ],
    "congdoan": [
        "Thứ sáu 20/11/2026 08:15",
        "In bài",
        "Gửi bài viết",
        "Tin liên quan",
        "Tin cùng chuyên mục",
        "Thông tin truy cập",
        "Đang truy cập",
        "Hôm nay",
        "Tổng truy cập",
        "Văn Bản Mới",
        "Xem phiên bản di động",
        "Ý kiến bạn đọc",
    ],
    "congttdt": [
        "( Cập nhật lúc:20/11/2026 08:15:06)",
        "Kết quả giải quyết TTHC",
        "Số hồ sơ xử lý: 757",
        "Dịch vụ công trực tuyến",
        "Đăng nhập",
        "Đang truy cập:",
        "Tất cả:",
        "CỔNG THÔNG TIN ĐIỆN TỬ THÀNH PHỐ HẢI PHÒNG - Cơ quan chủ quản:",
        "Địa chỉ:",
        "Các tin khác",
    ],
}
LISTING_ITEM = {
    "baocongnhan": ".main-col article.story h3 a",
    "congdoan": ".tin-tom-tat h3 a",
    "congttdt": ".k6b a",
}


@pytest.fixture(scope="module")
def web() -> Iterator[DemoWeb]:
    with start_demo_sites() as demo:
        yield demo


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, headers={"User-Agent": "demo-sites-test/1.0"}) as c:
        yield c


def soup_of(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def norm(text: str) -> str:
    return " ".join(text.split())


def sample_article(web: DemoWeb, site_id: str, copy: bool = False, kind: str | None = None):
    site = web.sites[site_id]
    for article in site.articles:
        if article.is_copy == copy and (kind is None or article.kind == kind):
            return article
    pytest.skip(f"no {'copy' if copy else 'original'} {kind or ''} article on {site_id}")


# -- site plumbing ---------------------------------------------------------------------------------


def test_sites_bind_loopback_and_know_their_articles(web: DemoWeb) -> None:
    assert set(web.sites) == set(SITE_IDS)
    for site in web.sites.values():
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", site.base_url)
        assert site.articles and site.title
        assert site.url_for(site.articles[0].id).startswith(site.base_url + "/")
    with pytest.raises(KeyError):
        web.sites["congttdt"].url_for("bcn-999")


def test_robots(web: DemoWeb, client: httpx.Client) -> None:
    delays = []
    for site in web.sites.values():
        response = client.get(site.base_url + "/robots.txt")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
        assert f"Sitemap: {site.base_url}/sitemap.xml" in response.text
        robots = Protego.parse(response.text)
        disallowed = re.findall(r"^Disallow: (/\S+)$", response.text, re.M)
        assert disallowed
        assert not robots.can_fetch(site.base_url + disallowed[0], "unionsearch")
        assert robots.can_fetch(site.url_for(site.articles[0].id), "unionsearch")
        delays.append(robots.crawl_delay("unionsearch"))
    assert sorted(delays, key=str) == [1.0, None, None]


def test_sitemap_lists_every_article_and_each_answers(web: DemoWeb, client: httpx.Client) -> None:
    for site in web.sites.values():
        response = client.get(site.base_url + "/sitemap.xml")
        assert response.status_code == 200
        urls = ET.fromstring(response.content).findall("sm:url", SITEMAP_NS)
        locs = [u.findtext("sm:loc", namespaces=SITEMAP_NS) for u in urls]
        assert sorted(locs) == sorted(site.url_for(a.id) for a in site.articles)
        assert all(
            re.fullmatch(
                r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+07:00", u.findtext("sm:lastmod", namespaces=SITEMAP_NS)
            )
            for u in urls
        )
        for loc in locs:
            page = client.get(loc)
            assert page.status_code == 200, loc
            assert page.headers["content-type"] == "text/html; charset=utf-8"


def test_rss_parses_and_links_answer(web: DemoWeb, client: httpx.Client) -> None:
    for site in web.sites.values():
        home = soup_of(client.get(site.base_url + "/"))
        feed_link = home.find("link", rel="alternate", type="application/rss+xml")
        feed = feedparser.parse(client.get(urljoin(site.base_url + "/", feed_link["href"])).content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == "rss20"
        assert len(feed.entries) == min(20, len(site.articles))
        dates = [entry.published_parsed for entry in feed.entries]
        assert dates == sorted(dates, reverse=True)
        for entry in feed.entries:
            assert client.get(entry.link).status_code == 200


# -- article pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_article_page_carries_the_article(web: DemoWeb, client: httpx.Client, site_id: str) -> None:
    site = web.sites[site_id]
    for copy in (False, True):
        article = next((a for a in site.articles if a.is_copy == copy), None)
        if article is None:
            continue
        url = site.url_for(article.id)
        response = client.get(url)
        assert response.status_code == 200 and response.text.startswith("<!DOCTYPE html>")
        soup = soup_of(response)
        assert soup.find("meta", charset="utf-8")
        assert soup.title.string.startswith(article.title)
        assert soup.find("link", rel="canonical")["href"] == urlsplit(url).path
        text = norm(soup.get_text(" "))
        for part in (article.title, article.sapo, *article.paragraphs, *(i.caption for i in article.images)):
            assert norm(part) in text
        if copy:
            assert f"Theo {web.sites[article.source_site].title}" in text
        for tag, attr in (
            ("a", "href"),
            ("img", "src"),
            ("img", "data-src"),
            ("link", "href"),
            ("form", "action"),
        ):
            for element in soup.find_all(tag, attrs={attr: True}):
                assert element[attr].startswith(("/", "#")), (url, element[attr])


def test_baocongnhan_article_metadata(web: DemoWeb, client: httpx.Client) -> None:
    article = sample_article(web, "baocongnhan")
    url = web.sites["baocongnhan"].url_for(article.id)
    assert re.fullmatch(r"http://[^/]+/[a-z0-9-]+/[a-z0-9-]+-\d+\.htm", url)
    soup = soup_of(client.get(url))
    iso = article.published.strftime("%Y-%m-%dT%H:%M:00+07:00")
    assert soup.title.string == f"{article.title} | Báo Công Nhân"
    assert soup.find("meta", property="og:title")["content"] == article.title
    assert soup.find("meta", property="og:type")["content"] == "article"
    assert soup.find("meta", property="article:published_time")["content"] == iso
    jsonld = json.loads(soup.find("script", type="application/ld+json").string)
    assert jsonld["@type"] == "NewsArticle" and jsonld["datePublished"] == iso
    assert norm(soup.select_one("h2.sapo").get_text()) == norm(f"(Baocongnhan.vn) - {article.sapo}")
    assert re.fullmatch(
        r"Thứ (hai|ba|tư|năm|sáu|bảy)|Chủ nhật", soup.select_one(".time").get_text().split(",")[0]
    )
    assert soup.select_one(".time").get_text().endswith(article.published.strftime("%d/%m/%Y, %H:%M (GMT+7)"))
    assert soup.select("figure figcaption") or not article.images
    related = soup.select("section.same-category .story-title a")
    assert 0 < len(related) <= 5


def test_congdoan_article_layout(web: DemoWeb, client: httpx.Client) -> None:
    article = sample_article(web, "congdoan", kind="directive")
    url = web.sites["congdoan"].url_for(article.id)
    assert re.fullmatch(r"http://[^/]+/vi/news/[a-z0-9-]+/[a-z0-9-]+-\d+\.html", url)
    html = client.get(url).text
    soup = BeautifulSoup(html, "html.parser")
    assert "article:published_time" not in html and "ld+json" not in html and "<time" not in html
    assert soup.select_one("h1.title").get_text() == article.title
    assert norm(soup.select_one("div.hometext").get_text()) == norm(article.sapo)
    assert soup.select_one("span.small").get_text() == article.published.strftime("%d/%m/%Y %H:%M")
    body = soup.select_one("div#news-bodyhtml")
    related = body.select_one(".tinlienquan")
    assert len(related.select("a")) == 3
    assert len(related.find_previous_siblings("p")) == min(2, len(article.paragraphs))
    attachment = soup.select_one(".news-download-file a")
    assert "File đính kèm" in soup.select_one(".news-download-file").get_text()
    assert attachment.get_text().endswith(".pdf")
    assert client.get(urljoin(url, attachment["href"])).status_code == 404
    vanban = soup.select(".vanbanmoi a")
    assert vanban and all(a.get_text() in {x.title for x in web.sites["congdoan"].articles} for a in vanban)


def test_congttdt_article_layout(web: DemoWeb, client: httpx.Client) -> None:
    article = sample_article(web, "congttdt")
    url = web.sites["congttdt"].url_for(article.id)
    p = article.published
    assert f"/portal/Pages/{p.year}-{p.month}-{p.day}/" in url and url.endswith(".aspx")
    soup = soup_of(client.get(url))
    assert soup.title.string == f"{article.title} - CỔNG THÔNG TIN ĐIỆN TỬ THÀNH PHỐ HẢI PHÒNG"
    divs = [norm(d.get_text()) for d in soup.find_all("div")]
    assert divs.count(article.title) >= 2 and p.strftime("%d/%m/%Y") in divs
    assert any(img.get("alt") == article.title for img in soup.find_all("img")) or not article.images
    assert any(par.get_text() == "\xa0" for par in soup.find_all("p"))
    assert not soup.find(["h1", "article", "time"])


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_boilerplate_blocks_present(web: DemoWeb, client: httpx.Client, site_id: str) -> None:
    article = sample_article(web, site_id)
    text = norm(soup_of(client.get(web.sites[site_id].url_for(article.id))).get_text(" "))
    missing = [snippet for snippet in BOILERPLATE[site_id] if norm(snippet) not in text]
    assert not missing


# -- listings, errors, determinism ---------------------------------------------------------------


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_pagination_reaches_every_article_of_each_category(
    web: DemoWeb, client: httpx.Client, site_id: str
) -> None:
    site = web.sites[site_id]
    article_urls = {site.url_for(a.id): a for a in site.articles}
    home = soup_of(client.get(site.base_url + "/"))
    menu = {a.get_text(strip=True): urljoin(site.base_url + "/", a["href"]) for a in home.find_all("a")}
    categories = {a.category for a in site.articles}
    for category in categories:
        queue, seen, found = deque([menu[category]]), set(), set()
        while queue:
            page_url = queue.popleft()
            if page_url in seen:
                continue
            seen.add(page_url)
            response = client.get(page_url)
            assert response.status_code == 200, page_url
            soup = soup_of(response)
            items = [urljoin(page_url, a["href"]) for a in soup.select(LISTING_ITEM[site_id])]
            assert 0 < len(items) <= 10 and all(article_urls[u].category == category for u in items)
            found |= set(items)
            pager = soup.find("a", string="Trang sau")
            if pager:
                queue.append(urljoin(page_url, pager["href"]))
        expected = {u for u, a in article_urls.items() if a.category == category}
        assert found == expected, category
        assert len(seen) == -(-len(expected) // 10)


def test_unknown_paths_answer_404(web: DemoWeb, client: httpx.Client) -> None:
    for site in web.sites.values():
        wrong_id = re.sub(r"-\d+(\.\w+)$", r"-999999\1", site.url_for(site.articles[0].id))
        for url in (site.base_url + "/khong-ton-tai.htm", wrong_id, site.base_url + "/admin/"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.headers["content-length"] == str(len(response.content))
            assert "Không tìm thấy trang" in response.text


def test_http11_keepalive_head_and_access_log(web: DemoWeb) -> None:
    site = web.sites["congdoan"]
    with httpx.Client(headers={"User-Agent": "keepalive-check"}) as c:
        first, second = c.get(site.base_url + "/"), c.head(site.base_url + "/robots.txt")
    assert first.http_version == "HTTP/1.1" and int(first.headers["content-length"]) == len(first.content)
    assert second.status_code == 200 and second.content == b""
    records = [r for r in web.access_log if r.user_agent == "keepalive-check"]
    assert [(r.site, r.method, r.path, r.status) for r in records] == [
        ("congdoan", "GET", "/", 200),
        ("congdoan", "HEAD", "/robots.txt", 200),
    ]
    assert records[0].timestamp <= records[1].timestamp


def test_rendering_is_deterministic(web: DemoWeb, client: httpx.Client) -> None:
    with start_demo_sites() as other:
        for site_id, site in web.sites.items():
            twin = other.sites[site_id]
            article = site.articles[len(site.articles) // 2]
            for path in ("/", urlsplit(site.url_for(article.id)).path, "/nope"):
                assert client.get(site.base_url + path).content == client.get(twin.base_url + path).content
            feeds = [
                client.get(s.base_url + "/sitemap.xml").text.replace(s.base_url, "") for s in (site, twin)
            ]
            assert feeds[0] == feeds[1]
    with pytest.raises(httpx.ConnectError):  # closed means closed: the ports are released
        httpx.get(twin.base_url + "/", timeout=2)


def test_ground_truth_covers_every_served_article(web: DemoWeb) -> None:
    truth = ground_truth(web)
    assert set(truth) == {s.url_for(a.id) for s in web.sites.values() for a in s.articles}
    for url, record in truth.items():
        assert {"site", "province_old", "province_new", "published", "doc_numbers", "title"} <= set(record)
        assert url.startswith(web.sites[record["site"]].base_url)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", record["published"])
        if record["syndicated_from"]:
            assert truth[record["original_url"]]["title"] == record["title"]


# -- content loading -----------------------------------------------------------------------------


def _article(article_id: str, category: str, **extra: object) -> dict:
    return {
        "id": article_id,
        "category": category,
        "kind": "news",
        "title": f"Tin {article_id}",
        "sapo": "Tóm tắt.",
        "paragraphs": ["Đoạn một theo Kế hoạch 12/KH-LĐLĐ.", "Đoạn hai."],
        "author": "Minh An",
        "published": "2024-05-01 07:30",
        "province_old": "Hải Dương",
        "province_new": "Hải Phòng",
        "doc_numbers": ["12/KH-LĐLĐ"],
        **extra,
    }


def _write_corpus(directory: Path, **changes: dict) -> Path:
    corpus = {
        "baocongnhan": [_article("bcn-001", "Công đoàn", syndicate_to=["congdoan", "congttdt"])],
        "congdoan": [_article("cd-001", "Văn bản chỉ đạo", kind="directive")],
        "congttdt": [_article("ttdt-001", "Văn bản")],
    }
    for article_id, fields in changes.items():
        for articles in corpus.values():
            for article in articles:
                if article["id"] == article_id.replace("_", "-"):
                    article.update(fields)
    for site, articles in corpus.items():
        (directory / f"{site}.json").write_text(json.dumps(articles, ensure_ascii=False), encoding="utf-8")
    return directory


def test_syndicated_copies_use_the_other_sites_scheme(tmp_path: Path) -> None:
    articles = load_articles(_write_corpus(tmp_path))
    copies = {site: [a for a in articles[site] if a.is_copy] for site in SITE_IDS}
    assert [a.id for a in copies["congdoan"]] == ["bcn-001"] == [a.id for a in copies["congttdt"]]
    copy = copies["congdoan"][0]
    assert (copy.category, copy.credit, copy.source_site) == (
        "Tin hoạt động",
        "Theo Báo Công Nhân",
        "baocongnhan",
    )
    with start_demo_sites(content_dir=tmp_path) as demo, httpx.Client() as c:
        url = demo.sites["congttdt"].url_for("bcn-001")
        assert "/portal/Pages/2024-5-1/Tin-bcn-001-" in url
        assert "Theo Báo Công Nhân" in c.get(url).text
        assert ground_truth(demo)[url]["original_url"] == demo.sites["baocongnhan"].url_for("bcn-001")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"cd_001": {"category": "Thể thao"}}, "category 'Thể thao'"),
        ({"cd_001": {"published": "16/08/2021"}}, "not 'YYYY-MM-DD HH:MM'"),
        ({"cd_001": {"doc_numbers": ["99/QĐ-UBND"]}}, "doc number '99/QĐ-UBND'"),
        ({"cd_001": {"images": [{"after": 5, "file": "a.jpg", "caption": ""}]}}, "paragraph index"),
        ({"cd_001": {"syndicate_to": ["congdoan"]}}, "syndicate_to 'congdoan'"),
        ({"cd_001": {"sapo_text": "x"}}, "unknown field"),
    ],
)
def test_bad_content_names_file_and_article(tmp_path: Path, changes: dict, message: str) -> None:
    with pytest.raises(ContentError) as error:
        load_articles(_write_corpus(tmp_path, **changes))
    assert "congdoan.json: article cd-001:" in str(error.value) and message in str(error.value)
