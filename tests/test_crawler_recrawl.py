"""Recrawl (conditional GET, changed pages), run limits, robots outages, sources, canonical."""
from __future__ import annotations

import fcntl
from datetime import UTC, datetime
from pathlib import Path

import pytest
from crawlweb import (
    ARTICLE_TEXT,
    HostMapTransport,
    Request,
    Resp,
    Site,
    article,
    build_plain_site,
    html_page,
)

from corpus.rawstore import iter_pages
from corpus.sources import Source
from crawler import CrawlConfig, CrawlerBusy, crawl

pytestmark = pytest.mark.timeout(40)


def _config(data_dir: Path, site: Site, **kw) -> CrawlConfig:
    kw.setdefault("delay", 0.02)
    return CrawlConfig(data_dir=data_dir, start_urls=[site.url("/")], progress=False, durable=False, **kw)


def _now() -> str:
    return datetime.now(UTC).isoformat()


@pytest.mark.parametrize("etag", [True, False], ids=["etag", "last-modified"])
def test_second_crawl_is_conditional_and_only_changes_go_on(tmp_path: Path, site: Site, etag: bool) -> None:
    paths = build_plain_site(site, 8, etag=etag)
    first = crawl(_config(tmp_path, site))
    assert first.new == len(paths) and first.unchanged == 0

    # resuming a finished crawl fetches nothing: done pages wait for their revisit interval
    again = crawl(_config(tmp_path, site))
    assert again.fetched == 0 and again.requests == 0

    mark, since = len(site.log), _now()
    second = crawl(_config(tmp_path, site, revisit_after=0, hub_revisit_after=0))
    log = site.log[mark:]
    assert sorted(e.path for e in log) == sorted(paths)  # robots.txt still fresh: not re-read
    articles = [e for e in log if e.path.startswith("/bai/")]
    assert all(e.status == 304 for e in articles)
    assert all("if-modified-since" in e.headers for e in articles)
    if etag:
        assert all("if-none-match" in e.headers and e.status == 304 for e in log)
    assert second.unchanged == len(paths) and second.new == second.changed == 0
    assert list(iter_pages(tmp_path, only_changed_since=since)) == []

    site.add(paths[-1], Resp(body=article("Bài đã sửa", 99).encode(), etag=etag))
    since = _now()
    third = crawl(_config(tmp_path, site, revisit_after=0, hub_revisit_after=0))
    assert third.changed == 1 and third.unchanged == len(paths) - 1
    changed = list(iter_pages(tmp_path, only_changed_since=since))
    assert [p.url for p in changed] == [site.url(paths[-1])]
    assert "Bài đã sửa" in changed[0].body.decode()
    assert len(list(iter_pages(tmp_path))) == len(paths)
    from warcio.cli import main as warcio_main  # revisit records included

    for warc in (tmp_path / "warc").iterdir():
        with pytest.raises(SystemExit) as exc:
            warcio_main(["check", str(warc)])
        assert exc.value.code == 0, warc


def test_max_pages_and_deadline_stop_and_the_next_run_goes_on(tmp_path: Path, site: Site) -> None:
    paths = build_plain_site(site, 20)
    limited = crawl(_config(tmp_path, site, max_pages=5))
    assert limited.stopped == "max_pages" and limited.fetched == 5
    assert len([p for p in site.paths() if p != "/robots.txt"]) == 5

    slow = crawl(_config(tmp_path, site, delay=0.3, deadline=1.0))
    assert slow.stopped == "deadline" and 0 < slow.fetched <= 5 and slow.queued > 0
    assert slow.elapsed < 2.0

    rest = crawl(_config(tmp_path, site))
    assert rest.stopped == "done" and rest.queued == 0
    fetched = [p for p in site.paths() if p not in ("/robots.txt", "/sitemap.xml")]
    assert sorted(fetched) == sorted(paths)  # every page once over the three runs
    assert site.count("/sitemap.xml") == 1  # guessed once (robots.txt names none), a 404


def test_robots_unavailable_means_disallow_and_retry(tmp_path: Path, site: Site) -> None:
    build_plain_site(site, 3)
    site.add("/robots.txt", Resp(503, b"busy", content_type="text/plain"))
    down = crawl(_config(tmp_path, site, robots_retry=0.2, robots_max_attempts=2))
    assert site.paths() == ["/robots.txt", "/robots.txt"]
    assert down.fetched == 0 and down.queued == 1 and down.stopped == "done"

    site.add("/robots.txt", Resp(404, b"", content_type="text/plain"))  # 4xx: allow all
    up = crawl(_config(tmp_path, site))
    assert up.new == 3 + 3 and up.queued == 0


def test_sources_seed_the_crawl_and_name_the_pages(tmp_path: Path, site: Site) -> None:
    build_plain_site(site, 2)
    site.add("/rss", Resp(body=(f"<rss><channel><item><link>{site.url('/bai/1.html')}</link></item>"
                                "</channel></rss>").encode(), content_type="application/rss+xml"))
    src = Source(name="demo", title="Demo", homepage=site.url("/"), start_urls=(site.url("/muc/a"),),
                 feeds=(site.url("/rss"),), allowed_hosts=(site.host,), province="Hải Phòng")
    summary = crawl(CrawlConfig(data_dir=tmp_path, sources=[src], delay=0.02, progress=False,
                                durable=False))
    # feeds and sitemaps first (robots.txt names none, so /sitemap.xml is tried)
    assert site.paths()[:3] == ["/robots.txt", "/rss", "/sitemap.xml"]
    pages = list(iter_pages(tmp_path))
    assert {p.source for p in pages} == {"demo"} and summary.new == len(pages)


def test_rel_canonical_stores_one_page_with_its_alias(tmp_path: Path, site: Site) -> None:
    site.add("/robots.txt", Resp(404, b""))
    site.add("/", html_page("Trang chủ", "", [("/in/bai-1.html", "In"), ("/bai-1.html", "Bài")]))
    body = article("Bài một", 1)
    site.add("/in/bai-1.html", body.replace("<title>", '<link rel="canonical" href="/bai-1.html"><title>'))
    site.add("/bai-1.html", body)
    crawl(_config(tmp_path, site))
    assert site.count("/bai-1.html") == 0  # already stored through its print view
    pages = {p.url: p for p in iter_pages(tmp_path)}
    page = pages[site.url("/bai-1.html")]
    assert page.fetched_url == site.url("/in/bai-1.html") and page.aliases == (site.url("/in/bai-1.html"),)


def test_one_crawler_per_data_dir(tmp_path: Path, site: Site) -> None:
    build_plain_site(site, 1)
    with open(tmp_path / "crawl.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(CrawlerBusy, match=str(tmp_path)):
            crawl(_config(tmp_path, site))
    assert site.paths() == []


def test_bad_start_urls_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"ftp://x\.vn"):
        crawl(CrawlConfig(data_dir=tmp_path, start_urls=["ftp://x.vn/"], progress=False))
    with pytest.raises(ValueError, match="outside the allowed hosts"):
        crawl(CrawlConfig(data_dir=tmp_path, start_urls=["http://127.0.0.1:9/"],
                          allowed_hosts={"laodong.vn"}, progress=False))


def test_apex_to_www_redirect_is_one_page_with_an_alias(tmp_path: Path, site: Site) -> None:
    def page(req: Request) -> Resp:
        if req.headers["host"] == "laodong.vn":
            return Resp(301, b"", headers={"Location": "http://www.laodong.vn/tin/a-1.ldo"})
        return Resp(body=article("Bài", 1).encode())

    site.routes["/tin/a-1.ldo"] = page
    site.add("/robots.txt", Resp(404, b""))
    transport = HostMapTransport({"laodong.vn": site, "www.laodong.vn": site})
    summary = crawl(CrawlConfig(data_dir=tmp_path, start_urls=["http://laodong.vn/tin/a-1.ldo"],
                                delay=0.02, progress=False, durable=False, transport=transport,
                                guess_sitemaps=False))
    hosts = [(e.headers["host"], e.path) for e in site.log]
    assert hosts == [("laodong.vn", "/robots.txt"), ("laodong.vn", "/tin/a-1.ldo"),
                     ("www.laodong.vn", "/robots.txt"), ("www.laodong.vn", "/tin/a-1.ldo")]
    [stored] = list(iter_pages(tmp_path))
    assert stored.url == "http://www.laodong.vn/tin/a-1.ldo"
    assert stored.aliases == ("http://laodong.vn/tin/a-1.ldo",)
    assert summary.new == 1 and summary.redirects == 1 and summary.fetched == 1


def test_depth_limit_and_progress_lines(tmp_path: Path, site: Site,
                                        capfd: pytest.CaptureFixture[str]) -> None:
    build_plain_site(site, 6)
    summary = crawl(CrawlConfig(data_dir=tmp_path, start_urls=[site.url("/")], max_depth=1, delay=0.02,
                                progress=True, progress_every=2, durable=False, guess_sitemaps=False))
    assert sorted(site.paths()) == ["/", "/muc/a", "/muc/b", "/robots.txt"]
    err = capfd.readouterr().err
    assert "[crawl]" in err and "fetched 2" in err
    assert err.strip().splitlines()[-1].startswith("[crawl] crawl done")
    assert summary.fetched == 3


def test_a_stored_challenge_page_is_fetched_again_on_the_cleaners_word(tmp_path: Path, site: Site) -> None:
    """An older crawl stored a JavaScript cookie challenge for an article: the clean stage rejects
    it with its reason and asks for it again, and the next crawl run fetches it at once (not at
    its revisit interval), after which the article is back in the corpus."""
    from corpus.clean.stage import clean_store
    from corpus.rawstore import HttpExchange
    from corpus.record import corpus_path, read_corpus
    from corpus.refetch import pending_refetch
    from crawler.warcwriter import WarcWriter

    build_plain_site(site, 4)
    paras = "".join(f"<p>{ARTICLE_TEXT} Đoạn {i}.</p>" for i in range(3))
    title = "Công đoàn tỉnh trao quà Tết cho công nhân khó khăn"
    site.add("/bai/0.html", Resp(body=(f"<html><head><title>{title}</title></head><body><h1>{title}"
                                       f"</h1><div>{paras}</div></body></html>").encode(), etag=True))
    crawl(_config(tmp_path, site))
    victim = site.url("/bai/0.html")
    challenge = (b'<html><head><script>document.cookie="D1N=8f2a";location.reload();</script>'
                 b"</head><body><noscript>Vui long bat JavaScript.</noscript></body></html>")
    with WarcWriter(tmp_path) as w:
        w.write_response(HttpExchange(url=victim, status=200, raw_body=challenge,
                                      response_headers=(("Content-Type", "text/html"),),
                                      fetched_at=datetime.now(UTC)))
    stats = clean_store(tmp_path, full=True)
    assert stats.rejected["challenge"] == 1
    assert victim not in {a.url for a in read_corpus(corpus_path(tmp_path))}
    assert pending_refetch(tmp_path) == [victim]

    mark = len(site.log)
    crawl(_config(tmp_path, site))              # nothing else is due: only the asked-for page
    assert [(e.path, e.status) for e in site.log[mark:] if e.path.startswith("/bai/")] == [
        ("/bai/0.html", 200)]                   # unconditional: a 304 would keep the challenge
    assert pending_refetch(tmp_path) == []
    clean_store(tmp_path)
    assert victim in {a.url for a in read_corpus(corpus_path(tmp_path))}
