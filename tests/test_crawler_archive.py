"""Deep listings: a crawl walks each listing to the bottom of its archive, in the pagination styles
Vietnamese CMSs use, while endless listings, repeats and calendar traps still end.

Each site lists only its newest articles in the sitemap, as real news sites do: the rest of the
archive is reachable only by paging a category, which the first rule ("follow the next page only
when this one brought a new URL") never did past page two.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from crawlweb import Request, Resp, Site, article, html_page

from corpus.rawstore import iter_pages
from crawler import CrawlConfig, crawl
from crawler.frontier import Frontier

pytestmark = pytest.mark.timeout(60)

PER_PAGE = 10
MENU = [("/", "Trang chủ"), ("/lien-he.html", "Liên hệ")]


def _config(data_dir: Path, site: Site, **kw: object) -> CrawlConfig:
    kw.setdefault("delay", 0.0)
    kw.setdefault("max_pages", 2000)
    return CrawlConfig(data_dir=data_dir, start_urls=[site.url("/")], progress=False,  # type: ignore[arg-type]
                       durable=False, **kw)


def _stored(data_dir: Path) -> set[str]:
    return {p.url for p in iter_pages(data_dir)}


def _archive_site(site: Site, pages: int, page_path: Callable[[int], str],
                  pager: Callable[[int], str]) -> list[str]:
    """Home → category page 1; ``pages`` listing pages of ``PER_PAGE`` articles; the sitemap
    lists only page 1's articles. ``page_path(n)`` is page n's path, ``pager(n)`` its pager HTML."""
    articles = [f"/tin/bai-{i}.html" for i in range(pages * PER_PAGE)]
    site.add("/robots.txt", Resp(body=f"User-agent: *\nAllow: /\nSitemap: {site.url('/sitemap.xml')}\n"
                                 .encode(), content_type="text/plain"))
    items = "".join(f"<url><loc>{site.url(p)}</loc></url>" for p in articles[:PER_PAGE])
    site.add("/sitemap.xml", Resp(body=('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
                                        f'"http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>')
                                  .encode(), content_type="application/xml"))
    site.add("/", html_page("Trang chủ", "", [(page_path(1), "Công đoàn"), *MENU]))
    site.add("/lien-he.html", html_page("Liên hệ", "Địa chỉ toà soạn."))
    for n in range(1, pages + 1):
        shown = articles[(n - 1) * PER_PAGE:n * PER_PAGE]
        links = [(p, f"Bài {p}") for p in shown] + MENU
        site.add(page_path(n), html_page(f"Công đoàn trang {n}", pager(n), links))
    for i, p in enumerate(articles):
        site.add(p, article(f"Bài {i}", i))
    return articles


STYLES: dict[str, tuple[Callable[[int], str], Callable[[int], str]]] = {
    "?page=N numbered": (lambda n: "/cong-doan" if n == 1 else f"/cong-doan?page={n}",
                         lambda n: " ".join(f'<a href="/cong-doan?page={k}">{k}</a>'
                                            for k in range(max(1, n - 2), n + 3))),
    "/trang-N.html": (lambda n: f"/thoi-su/trang-{n}.html",
                      lambda n: f'<a href="/thoi-su/trang-{n + 1}.html">Trang sau »</a>'),
    "/pN rel=next": (lambda n: "/phap-luat" if n == 1 else f"/phap-luat/p{n}",
                     lambda n: f'<a rel="next" href="/phap-luat/p{n + 1}">›</a>'),
    "Page=N »": (lambda n: f"/Tin-tuc.aspx?Page={n}",
                 lambda n: f'<a href="/Tin-tuc.aspx?Page={n + 1}">»</a>'),
    "date archive": (lambda n: f"/luu-tru/2024/{13 - n:02d}/",
                     lambda n: f'<a href="/luu-tru/2024/{12 - n:02d}/">Tháng trước</a>'),
}


@pytest.mark.parametrize("style", list(STYLES))
def test_each_pagination_style_is_walked_to_the_end_of_the_archive(tmp_path: Path, site: Site,
                                                                   style: str) -> None:
    page_path, pager = STYLES[style]
    pages = 12
    articles = _archive_site(site, pages, page_path, lambda n: pager(n) if n < pages else "")
    summary = crawl(_config(tmp_path, site))
    wanted = {site.url(p) for p in articles}
    assert wanted <= _stored(tmp_path), f"{len(wanted & _stored(tmp_path))}/{len(wanted)} reached"
    assert summary.stopped == "done"
    rows = {r.url: r for r in Frontier(tmp_path / "crawl.sqlite").rows()}
    first, deep = rows[site.url(page_path(1))], rows[site.url(page_path(pages))]
    assert deep.kind == "archive" and deep.chain == (first.chain or first.id)     # one listing


def test_the_first_rule_stops_after_the_pages_the_sitemap_covers(tmp_path: Path, site: Site) -> None:
    """The baseline (``deep_listings=False``) misses the archive: the reason for the new rule."""
    page_path, pager = STYLES["/trang-N.html"]
    articles = _archive_site(site, 12, page_path, lambda n: pager(n) if n < 12 else "")
    crawl(_config(tmp_path, site, deep_listings=False, max_pagination=50))
    reached = len(_stored(tmp_path) & {site.url(p) for p in articles})
    assert reached < len(articles) // 2


def test_an_endless_listing_repeating_itself_ends_after_a_few_pages(tmp_path: Path, site: Site) -> None:
    same = [(f"/tin/bai-{i}.html", f"Bài {i}") for i in range(PER_PAGE)]

    def endless(req: Request) -> Resp:
        n = int(req.path.rsplit("=", 1)[1]) if "=" in req.path else 1
        return Resp(body=html_page("Mới nhất", f'<a href="/moi-nhat?page={n + 1}">Trang sau</a>',
                                   same + MENU).encode())

    site.add("/robots.txt", Resp(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    site.add("/", html_page("Trang chủ", "", [("/moi-nhat", "Mới nhất"), *MENU]))
    site.routes["/moi-nhat"] = endless
    for n in range(2, 500):
        site.routes[f"/moi-nhat?page={n}"] = endless
    for i in range(PER_PAGE):
        site.add(f"/tin/bai-{i}.html", article(f"Bài {i}", i))
    crawl(_config(tmp_path, site))
    fetched = [p for p in site.paths() if p.startswith("/moi-nhat")]
    assert len(fetched) == 1 + CrawlConfig.listing_stale_pages  # page 1, then 3 that add nothing


def test_out_of_range_pages_answering_with_the_first_page_end_the_walk(tmp_path: Path, site: Site) -> None:
    pages = 4
    articles = _archive_site(site, pages, lambda n: "/cong-doan" if n == 1 else f"/cong-doan?page={n}",
                             lambda n: f'<a href="/cong-doan?page={n + 1}">Trang sau</a>')
    first = site.routes["/cong-doan"]
    for n in range(pages + 1, 300):
        site.routes[f"/cong-doan?page={n}"] = first       # a CMS that ignores an unknown page
    crawl(_config(tmp_path, site))
    assert {site.url(p) for p in articles} <= _stored(tmp_path)
    beyond = [p for p in site.paths() if p.startswith("/cong-doan?page=")
              and int(p.rsplit("=", 1)[1]) > pages]
    assert 1 <= len(beyond) <= CrawlConfig.listing_stale_pages


def test_a_calendar_of_empty_months_ends_in_both_directions(tmp_path: Path, site: Site) -> None:
    def month(req: Request) -> Resp:
        y, m = map(int, req.path.rsplit("/", 1)[1].split("-"))
        prev = f"{y - (m == 1)}-{12 if m == 1 else m - 1:02d}"
        nxt = f"{y + (m == 12)}-{1 if m == 12 else m + 1:02d}"
        pager = f'<a href="/lich/{prev}">Tháng trước</a> <a href="/lich/{nxt}">Tháng sau</a>'
        return Resp(body=html_page(f"Lịch {y}-{m:02d}", pager, MENU).encode())

    site.add("/robots.txt", Resp(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    site.add("/", html_page("Trang chủ", "", [("/lich/2025-06", "Lịch"), *MENU]))
    for y in range(1990, 2060):
        for m in range(1, 13):
            site.routes[f"/lich/{y}-{m:02d}"] = month
    crawl(_config(tmp_path, site))
    months = {p for p in site.paths() if p.startswith("/lich/")}
    assert len(months) <= 1 + 2 * CrawlConfig.listing_stale_pages


def test_xem_them_buttons_load_html_fragments_and_json(tmp_path: Path, site: Site) -> None:
    """The first page's button names the next page in ``data-url``; that page is an HTML
    fragment whose own button points at JSON pages (``{"html": …, "next": …}``)."""
    articles = [f"/tin/bai-{i}.html" for i in range(6 * PER_PAGE)]

    def items(n: int) -> str:
        return "".join(f'<li><a href="{p}">Bài {p}</a></li>'
                       for p in articles[(n - 1) * PER_PAGE:n * PER_PAGE])

    site.add("/robots.txt", Resp(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    site.add("/", html_page("Trang chủ", "", [("/doi-song", "Đời sống"), *MENU]))
    site.add("/doi-song", Resp(body=html_page(
        "Đời sống", f'<ul>{items(1)}</ul><a class="btn-viewmore" href="javascript:;" '
                    'data-url="/ajax/doi-song?page=2">Xem thêm</a>', MENU).encode()))
    site.add("/ajax/doi-song?page=2", Resp(body=(
        f'<ul>{items(2)}</ul><button data-href="/api/doi-song?page=3">Tải thêm</button>').encode()))
    for n in range(3, 7):
        answer = {"html": f"<ul>{items(n)}</ul>", "next": f"/api/doi-song?page={n + 1}" if n < 6 else None}
        site.add(f"/api/doi-song?page={n}", Resp(body=json.dumps(answer).encode(),
                                                 content_type="application/json"))
    for i, p in enumerate(articles):
        site.add(p, article(f"Bài {i}", i))
    crawl(_config(tmp_path, site))
    assert {site.url(p) for p in articles} <= _stored(tmp_path)


def test_a_listing_holds_at_most_max_pagination_pages(tmp_path: Path, site: Site) -> None:
    """A trap that shows one new link on every page is only ended by the cap."""
    def event(req: Request) -> Resp:
        n = int(req.path.rsplit("=", 1)[1]) if "=" in req.path else 1
        return Resp(body=html_page("Sự kiện", f'<a href="/su-kien?Page={n + 1}">Tiếp</a>',
                                   [(f"/su-kien/{n}.html", "Sự kiện mới"), *MENU]).encode())

    site.add("/robots.txt", Resp(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    site.add("/", html_page("Trang chủ", "", [("/su-kien", "Sự kiện"), *MENU]))
    site.routes["/su-kien"] = event
    for n in range(2, 200):
        site.routes[f"/su-kien?Page={n}"] = event
    crawl(_config(tmp_path, site, max_pagination=8))
    assert len({p for p in site.paths() if p.startswith("/su-kien?Page=")}) == 8   # 2..9 after page 1


def test_deep_archive_pages_are_revisited_rarely_first_pages_often(tmp_path: Path, site: Site) -> None:
    page_path, pager = STYLES["/trang-N.html"]
    _archive_site(site, 8, page_path, lambda n: pager(n) if n < 8 else "")
    crawl(_config(tmp_path, site))
    db = sqlite3.connect(tmp_path / "crawl.sqlite")
    db.execute("UPDATE urls SET fetched_epoch = fetched_epoch - 2 * 3600")      # two hours later
    db.commit()
    db.close()
    frontier = Frontier(tmp_path / "crawl.sqlite")
    frontier.requeue_due(time.time(), CrawlConfig(data_dir=tmp_path).revisit_policy())
    queued = {r.url for r in frontier.rows("queued")}
    assert site.url(page_path(1)) in queued and site.url(page_path(2)) in queued
    assert not any(site.url(page_path(n)) in queued for n in range(4, 9))
    frontier.close()
