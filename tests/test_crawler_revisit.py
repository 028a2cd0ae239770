"""Recrawl policy on the real local web: adaptive intervals, lying ETags, 404 confirmations and
gone pages for the cleaner, sitemap lastmod (newest first, unchanged skipped), robots.txt kept
on a 5xx and re-checked when it changes.

Time passes by moving the crawl's own clock back: :func:`age` shifts every recorded fetch time
in ``crawl.sqlite`` by the given seconds, as if the last run had happened that long ago.
"""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from crawlweb import Request, Resp, Site, article, build_plain_site, html_page

from corpus.rawstore import iter_gone, iter_pages
from crawler import CrawlConfig, crawl
from crawler.frontier import Frontier, NewUrl, UrlRow
from crawler.recrawl import DAY, HOUR, RevisitPolicy
from crawler.urls import origin, site_key, url_key

pytestmark = pytest.mark.timeout(40)


def _config(data_dir: Path, site: Site, **kw) -> CrawlConfig:
    kw.setdefault("delay", 0.01)
    return CrawlConfig(data_dir=data_dir, start_urls=[site.url("/")], progress=False,
                       durable=False, **kw)


def age(data_dir: Path, seconds: float) -> None:
    """Pretend the previous runs happened ``seconds`` earlier."""
    db = sqlite3.connect(data_dir / "crawl.sqlite")
    with db:
        db.execute("UPDATE urls SET fetched_epoch = fetched_epoch - ? WHERE fetched_epoch IS NOT NULL",
                   (seconds,))
        db.execute("UPDATE robots SET fetched_at = fetched_at - ?", (seconds,))
    db.close()


def rows(data_dir: Path, site: Site) -> dict[str, UrlRow]:
    f = Frontier(data_dir / "crawl.sqlite")
    try:
        return {r.url.removeprefix(site.base): r for r in f.rows()}
    finally:
        f.close()


def requested(site: Site, since: int) -> list[str]:
    return [e.path for e in site.log[since:] if e.path != "/robots.txt"]


# ------------------------------------------------------------------ adaptive intervals
def test_revisit_policy_arithmetic() -> None:
    p = RevisitPolicy()
    assert p.interval(False, 1.0) == 7 * DAY and p.interval(True, 1.0) == HOUR
    assert p.interval(False, 1.4) == pytest.approx(9.8 * DAY)
    assert p.interval(False, 0.8) == pytest.approx(5.6 * DAY)
    f = 1.0
    for _ in range(40):  # unchanged for ever: clamped at 90 days, hubs at one day
        f = p.next_factor(False, f, changed=False)
    assert p.interval(False, f) == 90 * DAY
    f = 1.0
    for _ in range(40):
        f = p.next_factor(False, f, changed=True)
    assert p.interval(False, f) == HOUR
    assert p.next_factor(False, f, changed=False) == pytest.approx(1.4 * HOUR / (7 * DAY))
    h = 1.0
    for _ in range(40):
        h = p.next_factor(True, h, changed=False)
    assert p.interval(True, h) == DAY
    forced = RevisitPolicy(page_initial=0, hub_initial=0)  # "recrawl everything now"
    assert forced.interval(False, 5.0) == 0 and forced.interval(True, 5.0) == 0


def test_intervals_grow_when_unchanged_and_shrink_when_changed(tmp_path: Path, site: Site) -> None:
    paths = build_plain_site(site, 4)
    crawl(_config(tmp_path, site))
    assert {r.revisit_factor for r in rows(tmp_path, site).values()} == {1.0}

    age(tmp_path, 8 * DAY)  # past every initial interval (articles 7 d, hubs 1 h)
    site.add("/bai/3.html", Resp(body=article("Bài đã sửa", 3).encode(), etag=True))
    mark = len(site.log)
    second = crawl(_config(tmp_path, site))
    assert sorted(requested(site, mark)) == sorted(paths)
    assert second.unchanged == len(paths) - 1 and second.changed == 1
    r = rows(tmp_path, site)
    assert r["/bai/3.html"].revisit_factor == pytest.approx(0.8)  # changed: 5.6 days
    assert r["/bai/0.html"].revisit_factor == pytest.approx(1.4)  # 304: 9.8 days
    assert r["/"].revisit_factor == pytest.approx(1.4)

    age(tmp_path, 8 * DAY)
    mark = len(site.log)
    crawl(_config(tmp_path, site))
    # the start page (a hub: 1.4 h) and the changed article (5.6 d) are due; unchanged pages
    # (9.8 d) are not; /muc/a and /muc/b have no paging, so they count as pages, not listings
    assert sorted(requested(site, mark)) == ["/", "/bai/3.html"]


def test_requeue_due_by_kind_lastmod_and_404_recheck(tmp_path: Path) -> None:
    f = Frontier(tmp_path / "crawl.sqlite")
    now = 1_000_000_000.0

    def put(path: str, kind: str, fetched_ago: float, **cols) -> None:
        url = "http://x.vn" + path
        f.add([NewUrl(url=url, key=url_key(url), host=site_key(url), origin=origin(url), kind=kind)])
        sets = ", ".join(f"{k}=?" for k in cols)
        f.db.execute(f"UPDATE urls SET state='done', fetched_epoch=?, {sets} WHERE key=?",
                     (now - fetched_ago, *cols.values(), url_key(url)))

    put("/feed", "feed", 2 * HOUR, revisit_factor=1.0)
    put("/old-feed", "feed", 20 * HOUR, revisit_factor=50.0)  # capped at one day
    put("/a", "page", 8 * DAY, revisit_factor=1.0)
    put("/b", "page", 8 * DAY, revisit_factor=1.4)  # 9.8 days
    put("/c", "page", 8 * DAY, revisit_factor=1.0, lastmod=now - 30 * DAY)  # sitemap: unchanged
    put("/d", "page", 2 * DAY, revisit_factor=1.0, reason="http_404", misses=1)
    put("/e", "page", 2 * HOUR, revisit_factor=1.0, reason="http_404", misses=1)
    assert f.requeue_due(now, RevisitPolicy()) == 3
    assert {r.url.removeprefix("http://x.vn") for r in f.rows("queued")} == {"/feed", "/a", "/d"}
    f.close()


# ------------------------------------------------------------------ lying ETags
def test_lying_etags_are_judged_by_content(tmp_path: Path, site: Site) -> None:
    site.add("/robots.txt", Resp(404, b""))
    site.add("/", html_page("Trang chủ", "", [(p, p) for p in ("/lies.html", "/stuck.html", "/honest.html")]))
    body = {"stuck": article("Bài một", 1)}

    def lies(req: Request) -> Resp:  # a new ETag every time, never a 304, same page
        return Resp(body=article("Bài nói dối", 2).encode(), headers={"ETag": f'"v{req.count}"'})

    def stuck(req: Request) -> Resp:  # the same ETag whatever the content, never a 304
        return Resp(body=body["stuck"].encode(), headers={"ETag": '"v1"'})

    def honest(req: Request) -> Resp:  # 304 when the validator matches: trusted as unchanged
        if req.headers.get("if-none-match") == '"h1"':
            return Resp(304, b"", headers={"ETag": '"h1"'})
        return Resp(body=article("Bài thật", 3).encode(), headers={"ETag": '"h1"'})

    site.routes.update({"/lies.html": lies, "/stuck.html": stuck, "/honest.html": honest})
    crawl(_config(tmp_path, site, guess_sitemaps=False))
    body["stuck"] = article("Bài một đã sửa", 1)
    since = datetime.now(UTC).isoformat()
    mark = len(site.log)
    second = crawl(_config(tmp_path, site, guess_sitemaps=False, revisit_after=0, hub_revisit_after=0))
    sent = {e.path: e.headers.get("if-none-match") for e in site.log[mark:]}
    assert sent["/lies.html"] == '"v1"' and sent["/stuck.html"] == '"v1"'
    assert second.changed == 1 and second.unchanged == 3  # lies, honest (304), home
    changed = [p.url for p in iter_pages(tmp_path, only_changed_since=since)]
    assert changed == [site.url("/stuck.html")]
    r = rows(tmp_path, site)
    assert r["/lies.html"].revisit_factor == pytest.approx(1.4)
    assert r["/stuck.html"].revisit_factor == pytest.approx(0.8)


def test_counters_and_clocks_do_not_count_as_changes(tmp_path: Path, site: Site) -> None:
    site.add("/robots.txt", Resp(404, b""))
    site.add("/", html_page("Trang chủ", "", [("/bai.html", "Bài")]))

    def page(req: Request) -> Resp:  # view counter and header clock differ on every fetch
        clock = f"<p>Thứ năm, {req.count:02d}/06/2026 08:5{req.count}</p><p>Lượt xem: {1000 + req.count}</p>"
        return Resp(body=html_page("Bài", "Nội dung bài viết", head="").replace("<body>", "<body>" + clock)
                    .encode())

    site.routes["/bai.html"] = page
    crawl(_config(tmp_path, site, guess_sitemaps=False))
    second = crawl(_config(tmp_path, site, guess_sitemaps=False, revisit_after=0, hub_revisit_after=0))
    assert second.changed == 1  # the bytes changed: stored again, nothing lost
    assert rows(tmp_path, site)["/bai.html"].revisit_factor == pytest.approx(1.4)  # but not "changed"


# ------------------------------------------------------------------ gone pages
def test_404_confirmed_410_at_once_and_moved_pages_reach_the_cleaner(tmp_path: Path, site: Site) -> None:
    names = ["a", "b", "c", "d", "e", "f"]
    site.add("/robots.txt", Resp(404, b""))
    site.add("/", html_page("Trang chủ", "", [(f"/{n}.html", n) for n in names]))
    for i, n in enumerate(names):
        site.add(f"/{n}.html", article(f"Bài {n}", i))
    cfg = dict(guess_sitemaps=False, revisit_after=0, hub_revisit_after=0, recheck_404_after=0,
               gone_after_404=3)
    crawl(_config(tmp_path, site, **cfg))
    assert len(list(iter_pages(tmp_path))) == 7 and list(iter_gone(tmp_path)) == []

    site.add("/a.html", Resp(404, b"<html>404</html>"))  # gone after three 404s
    site.add("/b.html", Resp(410, b"<html>Gone</html>"))  # gone at once
    site.add("/c.html", Resp(301, b"", headers={"Location": "/c2.html"}))  # moved for good
    site.add("/c2.html", article("Bài c", 2))
    site.add("/d.html", html_page("Không tìm thấy trang", "Trang bạn yêu cầu không tồn tại."))  # soft 404
    site.add("/e.html", Resp(404, b"<html>404</html>"))  # a hiccup: back next time
    site.add("/f.html", Resp(302, b"", headers={"Location": "/c2.html"}))  # onto a stored page
    u = site.url
    second = crawl(_config(tmp_path, site, **cfg))
    assert second.gone == 1 and second.failed["http_404"] == 2
    pages = {p.url: p for p in iter_pages(tmp_path)}
    assert {u("/a.html"), u("/d.html"), u("/e.html")} <= set(pages)  # not confirmed yet
    assert not {u("/b.html"), u("/c.html"), u("/f.html")} & set(pages)
    assert pages[u("/c2.html")].aliases == (u("/c.html"), u("/f.html"))
    # what the cleaner deletes is exactly what iter_pages stopped yielding
    assert list(iter_gone(tmp_path)) == [u("/b.html"), u("/c.html"), u("/f.html")]
    r = rows(tmp_path, site)
    assert (r["/a.html"].state, r["/a.html"].reason, r["/a.html"].misses) == ("done", "http_404", 1)

    site.add("/e.html", article("Bài e", 4))
    crawl(_config(tmp_path, site, **cfg))
    assert rows(tmp_path, site)["/e.html"].misses == 0
    since = datetime.now(UTC).isoformat()
    fourth = crawl(_config(tmp_path, site, **cfg))
    assert fourth.gone == 2
    assert sorted(iter_gone(tmp_path, since=since)) == [u("/a.html"), u("/d.html")]
    assert set(iter_gone(tmp_path)) == {u(f"/{n}.html") for n in "abcdf"}
    pages = {p.url for p in iter_pages(tmp_path)}
    assert pages == {u("/"), u("/c2.html"), u("/e.html")}
    r = rows(tmp_path, site)
    assert (r["/a.html"].state, r["/d.html"].state, r["/d.html"].reason) == ("gone", "gone", "soft_404")
    assert site.count("/a.html") == 4 and site.count("/b.html") == 2  # gone URLs are not revisited
    crawl(_config(tmp_path, site, **cfg))
    assert site.count("/a.html") == 4 and site.count("/b.html") == 2

    from warcio.cli import main as warcio_main

    for warc in (tmp_path / "warc").iterdir():
        with pytest.raises(SystemExit) as exc:
            warcio_main(["check", str(warc)])
        assert exc.value.code == 0


# ------------------------------------------------------------------ sitemap dates
def _sitemap(entries: list[tuple[str, str | None, str | None]]) -> bytes:
    items = []
    for url, lastmod, published in entries:
        extra = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        if published:
            extra += (f"<news:news><news:publication_date>{published}</news:publication_date>"
                      "</news:news>")
        items.append(f"<url><loc>{url}</loc>{extra}</url>")
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(items) + "</urlset>").encode()


def test_sitemap_dates_order_the_frontier_and_skip_unchanged_pages(tmp_path: Path, site: Site) -> None:
    site.add("/robots.txt", Resp(body=f"User-agent: *\nSitemap: {site.url('/sitemap.xml')}\n".encode(),
                                 content_type="text/plain"))
    site.add("/", html_page("Trang chủ"))
    dated = {  # path: (lastmod, news publication date)
        "/t1.html": ("2026-01-03", None),
        "/t2.html": ("2026-01-05T08:00:00+07:00", None),
        "/t3.html": ("2026-01-01T10:00:00Z", "2026-01-07T09:00:00+07:00"),  # published later
        "/t4.html": (None, None),
        "/t5.html": ("2026-01-04 08:00", None),
    }
    entries = [(site.url(p), lm, pub) for p, (lm, pub) in dated.items()]
    site.add("/sitemap.xml", Resp(body=_sitemap(entries), content_type="application/xml"))
    for i, p in enumerate(dated):
        site.add(p, article(f"Tin {p}", i))
    crawl(_config(tmp_path, site, delay=0.01))
    order = [p for p in site.paths() if p.startswith("/t")]
    assert order == ["/t3.html", "/t2.html", "/t5.html", "/t1.html", "/t4.html"]  # newest first

    age(tmp_path, 8 * DAY)  # every article past its 7-day interval
    recent = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    entries[0] = (site.url("/t1.html"), recent, None)  # edited since our fetch
    site.add("/sitemap.xml", Resp(body=_sitemap(entries), content_type="application/xml"))
    site.add("/t1.html", article("Tin đã sửa", 1))
    mark = len(site.log)
    second = crawl(_config(tmp_path, site, delay=0.01))
    # articles the sitemap dates before our fetch wait; the edited one and the undated one go
    assert sorted(requested(site, mark)) == ["/", "/sitemap.xml", "/t1.html", "/t4.html"]
    assert second.changed == 2  # the sitemap itself and /t1.html


def test_sitemap_dates_requeue_and_skip_known_urls(tmp_path: Path) -> None:
    f = Frontier(tmp_path / "crawl.sqlite")

    def new(path: str, lastmod: float | None = None) -> NewUrl:
        url = "http://x.vn" + path
        return NewUrl(url=url, key=url_key(url), host=site_key(url), origin=origin(url), lastmod=lastmod)

    f.add([new("/done"), new("/revisit"), new("/gone"), new("/fresh")])
    f.db.execute("UPDATE urls SET state='done', fetched_epoch=100, stored_at='x' WHERE url LIKE '%/done'")
    f.db.execute("UPDATE urls SET state='queued', fetched_epoch=100, stored_at='x'"
                 " WHERE url LIKE '%/revisit'")
    f.db.execute("UPDATE urls SET state='gone', fetched_epoch=100, stored_at='x' WHERE url LIKE '%/gone'")
    f.add([new("/done", 150.0), new("/revisit", 50.0), new("/gone", 200.0), new("/fresh", 70.0),
           new("/new", 300.0)])
    state = {r.url.removeprefix("http://x.vn"): (r.state, r.lastmod) for r in f.rows()}
    assert state == {"/done": ("queued", 150.0), "/revisit": ("done", 50.0), "/gone": ("queued", 200.0),
                     "/fresh": ("queued", 70.0), "/new": ("queued", 300.0)}
    assert (f.lastmod_requeued, f.lastmod_skipped) == (2, 1)
    f.close()


# ------------------------------------------------------------------ robots.txt over time
def test_robots_kept_on_5xx_and_refused_urls_rechecked_when_it_changes(tmp_path: Path, site: Site) -> None:
    build_plain_site(site, 4)
    site.add("/robots.txt", Resp(body=b"User-agent: *\nDisallow: /bai/1.html\n", content_type="text/plain"))
    crawl(_config(tmp_path, site, guess_sitemaps=False))
    assert "/bai/1.html" not in site.paths() and rows(tmp_path, site)["/bai/1.html"].reason == "robots"

    age(tmp_path, 8 * DAY)  # robots.txt stale, every page due
    site.add("/robots.txt", Resp(503, b"busy", content_type="text/plain"))
    mark = len(site.log)
    down = crawl(_config(tmp_path, site, guess_sitemaps=False, robots_retry=0.1, robots_max_attempts=2,
                         delay=0.05))
    log = [e.path for e in site.log[mark:]]
    assert log.count("/robots.txt") == 2  # retried, bounded
    assert {"/", "/muc/a", "/muc/b", "/bai/0.html"} <= set(log)  # the last good copy stays in force
    assert "/bai/1.html" not in log and down.queued == 0

    age(tmp_path, 8 * DAY)
    site.add("/robots.txt", Resp(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    mark = len(site.log)
    up = crawl(_config(tmp_path, site, guess_sitemaps=False))
    assert "/bai/1.html" in requested(site, mark)
    assert rows(tmp_path, site)["/bai/1.html"].state == "done" and up.new == 1


def test_gone_reader_on_a_hand_written_archive(tmp_path: Path) -> None:
    from corpus.rawstore import HttpExchange, iter_responses
    from crawler.warcwriter import WarcWriter

    t0 = datetime(2026, 6, 2, tzinfo=UTC)

    def ex(url: str, status: int, hours: int, body: bytes = b"<p>x</p>", **headers: str) -> HttpExchange:
        return HttpExchange(url=url, status=status, response_headers=tuple(headers.items()),
                            raw_body=body, fetched_at=t0 + timedelta(hours=hours))

    with WarcWriter(tmp_path, durable=False) as w:
        for name in ("a", "b", "c", "d"):
            w.write_response(ex(f"http://x.vn/{name}", 200, 0))
        w.write_response(ex("http://x.vn/a", 410, 1), gone="http_410")
        w.write_response(ex("http://x.vn/b", 404, 1), gone="http_404")
        w.write_response(ex("http://x.vn/b", 200, 2, b"<p>b is back</p>"))  # back after being gone
        w.write_response(ex("http://x.vn/c", 308, 3, b"", Location="https://y.vn/c"),
                         redirect_to="https://y.vn/c")  # moved for good, off the archive
        w.write_response(ex("http://x.vn/d", 302, 3, b"", Location="/login"),
                         redirect_to="http://x.vn/login")  # temporary, to nothing stored: kept
        w.write_response(ex("http://x.vn/never", 410, 1), gone="http_410")  # never stored
    assert list(iter_gone(tmp_path)) == ["http://x.vn/a", "http://x.vn/c"]
    assert list(iter_gone(tmp_path, since="2026-06-02T02:00:00Z")) == ["http://x.vn/c"]
    pages = {p.url: p.body for p in iter_pages(tmp_path)}
    assert pages == {"http://x.vn/b": b"<p>b is back</p>", "http://x.vn/d": b"<p>x</p>"}
    kinds = [k for k, *_ in iter_responses(tmp_path)]
    assert kinds.count("gone") == 3
