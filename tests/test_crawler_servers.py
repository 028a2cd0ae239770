"""Servers, not names: politeness per resolved address (sites on 127.0.0.2 share one slot,
127.0.0.3 runs beside them), the guard that keeps crawls off internal addresses, site-wide soft
failures that back the server off, and SIGTERM (a graceful stop that loses nothing).

Names map to loopback addresses through ``CrawlConfig.hosts`` (an /etc/hosts-like table), so the
real transport, resolver and guard are exercised; servers bind 127.0.0.N only.
"""
from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpcore
import pytest
from crawlweb import Request, Resp, Site, article, build_plain_site, html_page

from corpus.rawstore import iter_pages, iter_responses
from corpus.softfail import classify_soft_failure
from crawler import CrawlConfig, crawl
from crawler.fetch import Downloader
from crawler.frontier import Frontier
from crawler.netguard import (
    AddressPolicy,
    AddressRefused,
    GuardedBackend,
    Resolver,
    is_public,
    slot_key,
)

pytestmark = pytest.mark.timeout(40)

ROOT = Path(__file__).resolve().parents[1]
EPS = 0.02


def _small_site(site: Site, n: int = 5) -> None:
    site.add("/robots.txt", Resp(404, b""))
    site.add("/", html_page("Trang chủ", "", [(f"/bai/{i}.html", f"Bài {i}") for i in range(n)]))
    for i in range(n):
        site.add(f"/bai/{i}.html", article(f"Bài {i}", i))


# ------------------------------------------------------------------ one slot per address
def test_sites_on_one_address_share_a_politeness_slot(tmp_path: Path) -> None:
    shared, alone = Site("province", "127.0.0.2"), Site("elsewhere", "127.0.0.3")
    try:
        _small_site(shared)
        _small_site(alone)
        for site in (shared, alone):  # a slow server makes overlapping requests likely
            for route in list(site.routes.values()):
                if isinstance(route, Resp):
                    route.delay = 0.02
        hosts = {"a.phuong.vn": "127.0.0.2", "b.phuong.vn": "127.0.0.2", "c.tinh.vn": "127.0.0.3"}
        starts = [shared.url_for("a.phuong.vn"), shared.url_for("b.phuong.vn"), alone.url_for("c.tinh.vn")]
        delay = 0.08
        summary = crawl(CrawlConfig(data_dir=tmp_path, start_urls=starts, hosts=hosts, delay=delay,
                                    allow_private_addresses=True, guess_sitemaps=False,
                                    progress=False, durable=False))
        assert summary.stopped == "done" and summary.new == 3 * 6
        names = {e.headers["host"].split(":")[0] for e in shared.entries()}
        assert names == {"a.phuong.vn", "b.phuong.vn"}  # two portals, one server
        assert len(shared.entries()) == 2 * 7 and shared.max_active == 1
        times = [e.t for e in shared.entries()]
        assert min(b - a for a, b in zip(times, times[1:])) >= delay - EPS
        span = (times[0], times[-1])  # the other server was crawled at the same time
        assert sum(1 for e in alone.entries() if span[0] < e.t < span[1]) >= 5
    finally:
        shared.close()
        alone.close()


def test_slot_keys_and_address_policy() -> None:
    assert slot_key(["203.113.131.2"], 443) == "203.113.131.2" == slot_key(["203.113.131.2"], 80)
    assert slot_key(["203.113.131.9", "203.113.131.2"], 443) == "203.113.131.2"
    assert slot_key(["127.0.0.2"], 8001) == "127.0.0.2:8001"  # loopback: one server per port
    assert is_public("203.113.131.2") and not is_public("10.1.2.3") and not is_public("169.254.169.254")
    assert not is_public("::ffff:192.168.1.1") and not is_public("100.64.0.1") and not is_public("::1")
    strict = AddressPolicy(literals={"127.0.0.1"})
    assert strict.permits("congdoan.vn", "203.113.131.2")
    assert strict.permits("127.0.0.1", "127.0.0.1")  # named literally on the allowed list
    assert not strict.permits("127.0.0.2", "127.0.0.2")
    assert not strict.permits("localhost", "127.0.0.1")  # a name never unlocks an internal address
    assert not strict.permits("ldld.tinh.gov.vn", "10.0.0.5")
    assert AddressPolicy(allow_private=True).permits("ldld.tinh.gov.vn", "10.0.0.5")


def test_names_on_internal_addresses_are_refused_without_a_request(tmp_path: Path) -> None:
    site = Site("intranet", "127.0.0.2")
    try:
        _small_site(site)
        summary = crawl(CrawlConfig(data_dir=tmp_path, start_urls=[site.url_for("noibo.tinh.vn")],
                                    hosts={"noibo.tinh.vn": "127.0.0.2"}, progress=False, durable=False))
        assert site.log == []
        assert summary.failed == {"private_address": 1} and summary.queued == 0
        [row] = Frontier(tmp_path / "crawl.sqlite").rows()
        assert (row.state, row.reason) == ("failed", "private_address")
    finally:
        site.close()


class _Rebinding(Resolver):
    """Answers a public address first, then an internal one (a DNS rebinding attack)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def resolve(self, host: str) -> list[str]:
        self.calls += 1
        return ["203.113.131.2"] if self.calls == 1 else ["127.0.0.2"]


def test_guard_checks_the_address_it_connects_to() -> None:
    site = Site("target", "127.0.0.2")
    try:
        _small_site(site)
        asyncio.run(_guarded_fetches(site))
        assert site.count("/") == 1  # only the fetch to the allowed literal got through
    finally:
        site.close()


async def _guarded_fetches(site: Site) -> None:
    resolver = _Rebinding()
    backend = GuardedBackend(resolver, AddressPolicy())
    assert await resolver.resolve("rebind.vn") == ["203.113.131.2"]  # what a pre-check saw
    async with Downloader("Bot/1.0", backend=backend) as dl:
        res = await dl.fetch(site.url_for("rebind.vn", "/"))
        assert res.error == "private_address" and "127.0.0.2" in res.detail
        literal = await dl.fetch(site.url("/"))  # not on any allowed list
        assert literal.error == "private_address"
    assert site.log == []
    mixed = GuardedBackend(Resolver({"mixed.vn": ["203.113.131.2", "10.0.0.1"]}), AddressPolicy())
    with pytest.raises(AddressRefused):
        await mixed.connect_tcp("mixed.vn", 80)
    with pytest.raises(httpcore.ConnectError):
        await GuardedBackend(Resolver(use_dns=False), AddressPolicy()).connect_tcp("nowhere.vn", 80)
    allowed = GuardedBackend(Resolver(), AddressPolicy(literals={"127.0.0.2"}))
    async with Downloader("Bot/1.0", backend=allowed) as dl:
        assert (await dl.fetch(site.url("/"))).status == 200


# ------------------------------------------------------------------ soft failures
@pytest.mark.parametrize("html, reason", [
    ("<title>Thông báo</title><h1>Trang web đang bảo trì</h1><p>Xin quay lại sau.</p>", "maintenance"),
    ("<title>Cổng TTĐT tỉnh</title><nav>" + "<a href='/x'>Chuyên mục tin tức</a>" * 80 + "</nav>"
     "<h1>Trang bạn yêu cầu không tồn tại</h1>", "soft_404"),
    ("<title>Không tìm thấy trang - Cổng thông tin điện tử</title>" + "<p>Menu</p>" * 200, "soft_404"),
    ("<p>Khong tim thay trang ban yeu cau</p>", "soft_404"),
    ('<script src="/aes.js"></script><script>function toNumbers(d){return d}'
     'document.cookie="__test="+toHex(slowAES.decrypt(c,2,a,b))+"; path=/";'
     'location.href="/tin.html?i=1";</script><noscript>Cần bật JavaScript</noscript>', "cookie_challenge"),
    ('<script>document.cookie="vnc=1;path=/";setTimeout(function(){window.location.reload()},50)'
     "</script><p>Đang chuyển hướng…</p>", "cookie_challenge"),
    ("<title>Just a moment...</title><p>Checking your browser before accessing laodong.vn</p>",
     "cookie_challenge"),
    ("<title>Truy cập bị từ chối</title><p>Địa chỉ IP của bạn đã bị chặn.</p>", "blocked"),
    ("<title>Cầu Long Biên đang được nâng cấp, người dân đi lại khó khăn</title><h1>Cầu Long Biên "
     "đang được nâng cấp, người dân đi lại khó khăn</h1><p>" + "Nội dung bài báo. " * 60 + "</p>", None),
    ("<title>Doanh nghiệp nợ BHXH: địa chỉ trụ sở không tồn tại</title><p>" + "Nội dung. " * 90
     + "</p>", None),
    ("<title>Tin ngắn</title><script>document.cookie='_ga=1';var u=window.location.href;</script><p>"
     + "Công đoàn tỉnh trao quà cho công nhân khó khăn. " * 6 + "</p>", None),
])
def test_soft_failure_phrases(html: str, reason: str | None) -> None:
    assert classify_soft_failure(html) == reason


def test_site_wide_soft_failures_back_the_server_off(tmp_path: Path) -> None:
    site = Site("flaky")
    try:
        _small_site(site, 4)
        maintenance = html_page("Thông báo", "Trang web đang bảo trì, vui lòng quay lại sau.")
        challenge = ('<html><script>document.cookie="D1N=8f1c2; path=/"; window.location.reload();'
                     "</script></html>")

        def flaky(req: Request) -> Resp:
            return Resp(body=(maintenance if req.count <= 2 else article("Bài 1", 1)).encode())

        site.routes["/bai/1.html"] = flaky
        site.add("/bai/2.html", challenge)
        site.add("/bai/3.html", html_page("Lỗi", "Trang bạn yêu cầu không tồn tại."))
        delay, base = 0.01, 0.1
        summary = crawl(CrawlConfig(data_dir=tmp_path, start_urls=[site.url("/")], delay=delay,
                                    backoff_base=base, max_retries=2, guess_sitemaps=False,
                                    progress=False, durable=False))
        assert site.count("/bai/1.html") == 3 and site.count("/bai/2.html") == 3  # bounded retries
        assert site.count("/bai/3.html") == 1
        assert dict(summary.failed) == {"cookie_challenge": 1, "soft_404": 1}
        entries = site.entries()
        soft = {("/bai/1.html", 1), ("/bai/1.html", 2), ("/bai/2.html", 1), ("/bai/2.html", 2),
                ("/bai/2.html", 3)}
        seen: dict[str, int] = {}
        for a, b in zip(entries, entries[1:]):
            seen[a.path] = seen.get(a.path, 0) + 1
            if (a.path, seen[a.path]) in soft:  # the server backs off after such an answer
                assert b.t - a.t >= 0.5 * base - EPS, (a.path, seen[a.path])
        stored = {p.url for p in iter_pages(tmp_path)}
        assert site.url("/bai/1.html") in stored
        assert not {site.url("/bai/2.html"), site.url("/bai/3.html")} & stored
        archived = {target for _kind, target, _status, _date in iter_responses(tmp_path)}
        assert not {site.url("/bai/2.html"), site.url("/bai/3.html")} & archived  # never archived
        rows = {r.url: r for r in Frontier(tmp_path / "crawl.sqlite").rows()}
        assert rows[site.url("/bai/2.html")].reason == "cookie_challenge"
        assert rows[site.url("/bai/3.html")].reason == "soft_404"
    finally:
        site.close()


# ------------------------------------------------------------------ SIGTERM
SCRIPT = """
import json, sys
from pathlib import Path
from crawler import CrawlConfig, crawl

url, data_dir, grace = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = crawl(CrawlConfig(data_dir=Path(data_dir), start_urls=[url], delay=0.05, progress=False,
                      stop_grace=grace, guess_sitemaps=False))
print(json.dumps({"stopped": s.stopped, "fetched": s.fetched, "queued": s.queued}))
"""


def _sigterm_during(site: Site, data_dir: Path, path: str, grace: float) -> tuple[dict, float]:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, site.url("/"), str(data_dir), str(grace)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while site.count(path) == 0 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.005)
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=15)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err.decode()
    return json.loads(out.decode().strip().splitlines()[-1]), took


@pytest.mark.parametrize("grace, slow, finished", [(5.0, 0.5, True), (0.2, 3.0, False)],
                         ids=["in-flight-page-finished", "in-flight-page-returned"])
def test_sigterm_stops_gracefully_and_loses_nothing(tmp_path: Path, grace: float, slow: float,
                                                     finished: bool) -> None:
    site = Site("sigterm")
    try:
        paths = build_plain_site(site, 14)
        slow_path = "/bai/3.html"
        site.routes[slow_path].delay = slow  # type: ignore[union-attr]
        result, took = _sigterm_during(site, tmp_path, slow_path, grace)
        assert result["stopped"] == "interrupted" and result["queued"] > 0
        assert took < grace + 2.0
        f = Frontier(tmp_path / "crawl.sqlite")
        row = {r.url: r for r in f.rows()}[site.url(slow_path)]
        assert f.counts().get("in_flight", 0) == 0  # no lease left behind
        f.close()
        if finished:
            assert row.state == "done" and row.stored_at
        else:
            assert (row.state, row.attempts, row.stored_at) == ("queued", 0, None)
        site.routes[slow_path].delay = 0  # type: ignore[union-attr]
        rest = crawl(CrawlConfig(data_dir=tmp_path, start_urls=[site.url("/")], delay=0.01,
                                 progress=False, guess_sitemaps=False, durable=False))
        assert rest.stopped == "done" and rest.queued == 0
        assert sorted(p.url.removeprefix(site.base) for p in iter_pages(tmp_path)) == sorted(paths)
        requests = [p for p in site.paths() if p != "/robots.txt"]
        twice = {p for p in requests if requests.count(p) > 1}
        assert twice == (set() if finished else {slow_path})  # only an unfinished page again
        stored = [t for kind, t, status, _ in iter_responses(tmp_path)
                  if kind == "response" and status == 200]
        assert len(stored) == len(set(stored)) == len(paths)
    finally:
        site.close()
