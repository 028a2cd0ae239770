"""A small fake web for crawler tests: real HTTP servers on 127.0.0.1 with an access log.

Each :class:`Site` is a ``ThreadingHTTPServer`` (HTTP/1.1, always a Content-Length) bound to
``127.0.0.1:0``, or to another loopback address: ``127.0.0.N`` stand for distinct servers, and
several names may point at one site, as virtual hosts do. Routes are keyed by ``path?query``:
fixed responses or callables (``request -> Resp``) for faults that change over time (429 then
200, endless listings).
Oracles read ``Site.log``: what the server itself saw, when, with which headers.

:func:`build_news_site` and :func:`build_fault_site` generate the multi-page sites the crawl tests
use; ``to_cp1258`` produces real windows-1258 bytes (base letter + combining tone mark).
"""
from __future__ import annotations

import gzip
import hashlib
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

__all__ = [
    "ARTICLE_TEXT",
    "HostMapTransport",
    "LogEntry",
    "Request",
    "Resp",
    "Site",
    "build_fault_site",
    "build_news_site",
    "build_plain_site",
    "html_page",
    "to_cp1258",
]

ARTICLE_TEXT = ("Ban Chấp hành Liên đoàn Lao động tỉnh vừa ban hành Kế hoạch số 119/KH-LĐLĐ thực hiện "
                "Nghị quyết 02-NQ/TW về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong "
                "tình hình mới. Người lao động được bảo vệ quyền lợi hợp pháp, chính đáng.")


@dataclass
class Resp:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    drip: float | None = None  # seconds between single bytes
    delay: float = 0.0  # seconds before the status line (a slow server)
    truncate_at: int | None = None  # send this many bytes of the body, then hang up
    etag: bool = False  # answer If-None-Match with 304
    last_modified: str | None = None  # and If-Modified-Since


@dataclass
class LogEntry:
    t: float  # time.monotonic() when the request line arrived
    method: str
    path: str
    status: int
    headers: dict[str, str]


Route = Resp | Callable[["Request"], Resp]


class _QuietServer(ThreadingHTTPServer):
    """Clients hanging up mid-response are part of the tests, not errors worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    count: int  # how many times this path was requested, this one included


class Site:
    """One web site on its own loopback port (``address`` must be a 127.0.0.N address)."""

    def __init__(self, name: str = "site", address: str = "127.0.0.1"):
        if not address.startswith("127."):
            raise ValueError("test sites bind loopback addresses only")
        self.name = name
        self.address = address
        self.routes: dict[str, Route] = {}
        self.log: list[LogEntry] = []
        self._counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self.active = 0  # requests being answered now
        self.max_active = 0  # the most ever answered at once (a politeness oracle)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else 40 ms delayed-ACK stalls per response

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                site._serve(self)

        self.server = _QuietServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.host = f"{address}:{self.port}"
        self.base = f"http://{self.host}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), name=f"web-{name}",
                                        daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def url_for(self, name: str, path: str = "/") -> str:
        """``path`` under a host ``name`` that the crawl maps to this site's address."""
        return f"http://{name}:{self.port}{path}"

    def add(self, path: str, route: Route | str | bytes, **kw: object) -> None:
        if isinstance(route, str):
            route = Resp(body=route.encode("utf-8"), **kw)  # type: ignore[arg-type]
        elif isinstance(route, bytes):
            route = Resp(body=route, **kw)  # type: ignore[arg-type]
        self.routes[path] = route

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- oracles
    def paths(self) -> list[str]:
        with self._lock:
            return [e.path for e in self.log]

    def count(self, path: str) -> int:
        return sum(1 for p in self.paths() if p == path)

    def entries(self, path: str | None = None) -> list[LogEntry]:
        with self._lock:
            return [e for e in self.log if path is None or e.path == path]

    # -- serving
    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        t = time.monotonic()
        path = h.path
        headers = {k.lower(): v for k, v in h.headers.items()}
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1
            count = self._counts[path]
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            self._answer(h, t, path, headers, count)
        finally:
            with self._lock:
                self.active -= 1

    def _answer(self, h: BaseHTTPRequestHandler, t: float, path: str, headers: dict[str, str],
                count: int) -> None:
        route = self.routes.get(path)
        if route is None:
            resp = Resp(404, b"<html><body>404 Not Found</body></html>")
        elif callable(route):
            resp = route(Request(path, headers, count))
        else:
            resp = route
        status = resp.status
        etag = f'"{hashlib.sha1(resp.body).hexdigest()[:16]}"' if resp.etag and status == 200 else None
        not_modified = status == 200 and (
            (etag is not None and headers.get("if-none-match") == etag)
            or (resp.last_modified is not None and headers.get("if-modified-since") == resp.last_modified)
        )
        if not_modified:
            status = 304
        with self._lock:
            self.log.append(LogEntry(t, h.command, path, status, headers))
        if resp.delay:
            time.sleep(resp.delay)
        try:
            h.send_response(status)
            if resp.content_type and status != 304:
                h.send_header("Content-Type", resp.content_type)
            if etag:
                h.send_header("ETag", etag)
            if resp.last_modified:
                h.send_header("Last-Modified", resp.last_modified)
            for k, v in resp.headers.items():
                h.send_header(k, v)
            body = b"" if status == 304 else resp.body
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if resp.drip is not None:
                for i in range(len(body)):
                    h.wfile.write(body[i : i + 1])
                    h.wfile.flush()
                    time.sleep(resp.drip)
            elif resp.truncate_at is not None:
                h.wfile.write(body[: resp.truncate_at])
                h.wfile.flush()
                h.close_connection = True
            else:
                h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError, OSError):
            h.close_connection = True


class HostMapTransport(httpx.AsyncBaseTransport):
    """Route named hosts (``laodong.vn``) to loopback sites; unmapped hosts fail to connect.

    ``*.localhost`` does not resolve on the project machines, so names are mapped here; the
    server still sees the real ``Host`` header.
    """

    def __init__(self, hostmap: dict[str, Site]):
        self.hostmap = hostmap
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        site = self.hostmap.get(request.url.host)
        if site is None:
            raise httpx.ConnectError(f"unmapped host {request.url.host}", request=request)
        inner = httpx.Request(  # a new request: mutating request.url breaks httpx's bookkeeping
            request.method, request.url.copy_with(scheme="http", host="127.0.0.1", port=site.port),
            headers=request.headers, stream=request.stream, extensions=request.extensions)
        return await self.inner.handle_async_request(inner)

    async def aclose(self) -> None:
        await self.inner.aclose()


# --------------------------------------------------------------------------- content helpers

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as windows-1258: letters cp1258 lacks become base letter + combining tone mark."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
        tones = "".join(c for c in d if c in TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def html_page(title: str, body: str = "", links: list[tuple[str, str]] = (),  # type: ignore[assignment]
              head: str = "", charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    anchors = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return (f"<!DOCTYPE html><html lang=\"vi\"><head>{meta}<title>{title}</title>{head}</head>"
            f"<body><h1>{title}</h1><div class=\"content\"><p>{body}</p></div>"
            f"<ul>{anchors}</ul><footer>Bản quyền thuộc về Công đoàn.</footer></body></html>")


def article(title: str, n: int) -> str:
    return html_page(title, f"{ARTICLE_TEXT} Bài số {n}.")


def _sitemap(urls: list[str]) -> bytes:
    items = "".join(f"<url><loc>{u}</loc><lastmod>2026-06-02T08:52:00+07:00</lastmod></url>"
                    for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{items}</urlset>").encode()


# --------------------------------------------------------------------------- generated sites


def build_news_site(site: Site, elsewhere: str) -> dict[str, list[str]]:
    """A union-news site with robots (BOM, Crawl-delay), sitemaps, RSS, paging, redirects…

    ``elsewhere`` is a URL on a host the crawl must never touch. Returns groups of paths the
    tests check.
    """
    b = site.base
    site.add("/robots.txt", Resp(body=("\ufeffUser-agent: *\nDisallow: /private/\nCrawl-delay: 0.15\n"
                                       f"Sitemap: {b}/sitemap_index.xml\n").encode(),
                                 content_type="text/plain"))
    site.add("/sitemap_index.xml", Resp(body=(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{b}/sitemap-news.xml.gz</loc></sitemap></sitemapindex>").encode(),
        content_type="application/xml"))
    sitemap_articles = [f"/tin/s{i}.ldo" for i in range(1, 4)]
    # nginx serves .xml.gz as application/octet-stream: only the magic bytes say gzip
    site.add("/sitemap-news.xml.gz", Resp(body=gzip.compress(_sitemap([b + p for p in sitemap_articles])),
                                          content_type="application/octet-stream"))
    feed_articles = ["/tin/f1.ldo", "/tin/f2.ldo"]
    items = "".join(f"<item><title>Tin {p}</title><link><![CDATA[{b}{p}]]></link></item>"
                    for p in feed_articles)
    site.add("/rss/home.rss", Resp(body=(
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tin</title>'
        f"{items}</channel></rss>").encode(), content_type="application/rss+xml"))
    for i, p in enumerate(sitemap_articles + feed_articles):
        site.add(p, article(f"Tin công đoàn {p}", i))

    listing_pages = ["/cong-doan", "/cong-doan?Page=2", "/cong-doan/trang-3"]
    listing_articles = [f"/cong-doan/c{i}.ldo" for i in range(1, 7)]
    site.add("/cong-doan", html_page("Công đoàn", "", [(p, p) for p in listing_articles[:2]]
                                     + [("/cong-doan?Page=2", "Trang sau")]))
    site.add("/cong-doan?Page=2", html_page("Công đoàn trang 2", "", [(p, p) for p in listing_articles[2:4]]
                                            + [("/cong-doan/trang-3", "Tiếp")]))
    site.add("/cong-doan/trang-3", html_page("Công đoàn trang 3", "", [(p, p) for p in listing_articles[4:]]))
    for i, p in enumerate(listing_articles):
        site.add(p, article(f"Hoạt động công đoàn {i}", 10 + i))

    # a calendar trap: every page links to one new event and to the next page, forever
    def calendar(req: Request) -> Resp:
        n = int(req.path.rsplit("=", 1)[1]) if "=" in req.path else 1
        page = html_page(f"Sự kiện trang {n}", "", [(f"/su-kien/e{n}.html", f"Sự kiện {n}"),
                                                    (f"/su-kien?Page={n + 1}", "»")])
        return Resp(body=page.encode())

    site.routes["/su-kien"] = calendar
    for n in range(1, 200):
        site.routes[f"/su-kien?Page={n}"] = calendar
        site.add(f"/su-kien/e{n}.html", article(f"Sự kiện {n}", 100 + n))

    # tracking-parameter duplicates of one article
    site.add("/tin/a5.ldo", article("Đoàn viên công đoàn", 5))
    # redirects: legacy .bld → .ldo; a loop; a long chain
    site.add("/tin/a6.bld", Resp(301, b"", headers={"Location": "/tin/a6.ldo"}))
    site.add("/tin/a6.ldo", article("Bài chuyển hướng", 6))
    site.add("/loop/1", Resp(302, b"", headers={"Location": f"{b}/loop/2"}))
    site.add("/loop/2", Resp(302, b"", headers={"Location": "/loop/1"}))
    for i in range(10):
        site.add(f"/chain/{i}", Resp(301, b"", headers={"Location": f"/chain/{i + 1}"}))
    site.add("/chain/10", article("Cuối chuỗi", 99))
    # encodings
    title = "Công đoàn tỉnh tổ chức hội nghị"
    site.add("/cp1258.html", Resp(body=to_cp1258(html_page(title, ARTICLE_TEXT, charset="windows-1258")),
                                  content_type="text/html; charset=utf-8"))  # header lies
    site.add("/nfd.html", Resp(body=unicodedata.normalize("NFD", html_page(title, ARTICLE_TEXT)).encode()))
    site.add("/private/secret.html", article("Bí mật", 0))
    site.add("/soft404.html", html_page("Không tìm thấy trang", "Trang bạn tìm không tồn tại."))

    home_links = [
        ("/cong-doan", "Công đoàn"), ("/su-kien", "Sự kiện"),
        ("/tin/a5.ldo?utm_source=zalo&zarsrc=31", "Đoàn viên (Zalo)"),
        ("/tin/a5.ldo?fbclid=IwAR0abc", "Đoàn viên (Facebook)"),
        ("/tin/a5.ldo#binh-luan", "Đoàn viên (bình luận)"),
        ("/tin/a5.ldo", "Đoàn viên"),
        ("/tin/a6.bld", "Bài cũ"), ("/loop/1", "Vòng lặp"), ("/chain/0", "Chuỗi"),
        ("/cp1258.html", "Mã cũ"), ("/nfd.html", "Tổ hợp"), ("/private/secret.html", "Riêng"),
        ("/soft404.html", "Hỏng"), (elsewhere, "Trang khác"), ("mailto:bbt@example.vn", "Thư"),
    ]
    site.add("/", html_page("Báo Công nhân", "", home_links,
                            head='<link rel="alternate" type="application/rss+xml" href="/rss/home.rss">'))
    return {
        "sitemap_articles": sitemap_articles,
        "feed_articles": feed_articles,
        "listing_pages": listing_pages,
        "listing_articles": listing_articles,
    }


def build_fault_site(site: Site) -> None:
    """A site of faults: 429 + Retry-After, 5xx, drip, oversize, gzip bomb, bad gzip, truncation."""

    def busy(req: Request) -> Resp:
        if req.count == 1:
            return Resp(429, b"<html>Too many requests</html>", headers={"Retry-After": "1"})
        return Resp(body=article("Sau khi chờ", 1).encode())

    site.routes["/busy.html"] = busy
    site.add("/err500.html", Resp(500, b"<html>Internal error</html>"))
    site.add("/gone.html", Resp(410, b"<html>Gone</html>"))
    site.add("/drip.html", Resp(body=b"<html>" + b"x" * 200 + b"</html>", drip=0.05))
    site.add("/big.html", Resp(body=b"<html><body>" + b"x" * (3 * 1024 * 1024) + b"</body></html>"))
    site.add("/bomb.html", Resp(body=gzip.compress(b"<html>" + b"\0" * (30 * 1024 * 1024)),
                                headers={"Content-Encoding": "gzip"}))
    site.add("/badgz.html", Resp(body=b"<html>not gzip at all</html>", headers={"Content-Encoding": "gzip"}))
    site.add("/cut.html", Resp(body=b"<html>" + b"y" * 5000 + b"</html>", truncate_at=100))
    site.add("/photo.jpg", Resp(body=b"\xff\xd8\xff\xe0" + b"\0" * 100, content_type="image/jpeg"))
    site.add("/qd-12.pdf", Resp(body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                content_type="application/octet-stream",
                                headers={"Content-Disposition":
                                         "attachment; filename*=UTF-8''Quy%E1%BA%BFt.pdf"}))
    links = [(p, p) for p in ("/busy.html", "/err500.html", "/gone.html", "/missing.html", "/drip.html",
                              "/big.html", "/bomb.html", "/badgz.html", "/cut.html", "/photo.jpg",
                              "/qd-12.pdf")]
    site.add("/", html_page("Trang lỗi", "", links))


def build_plain_site(site: Site, n_articles: int = 20, etag: bool = True) -> list[str]:
    """A plain site (home → 2 listings → articles) for recrawl and resume tests."""
    paths = [f"/bai/{i}.html" for i in range(n_articles)]
    half = n_articles // 2
    site.add("/robots.txt", Resp(body=b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    site.add("/", Resp(body=html_page("Trang chủ", "", [("/muc/a", "Mục A"), ("/muc/b", "Mục B")]).encode(),
                       etag=etag))
    site.add("/muc/a", Resp(body=html_page("Mục A", "", [(p, p) for p in paths[:half]]).encode(), etag=etag))
    site.add("/muc/b", Resp(body=html_page("Mục B", "", [(p, p) for p in paths[half:]]).encode(), etag=etag))
    for i, p in enumerate(paths):
        site.add(p, Resp(body=article(f"Bài {i}", i).encode(), etag=etag,
                         last_modified="Tue, 02 Jun 2026 01:52:00 GMT"))
    return ["/", "/muc/a", "/muc/b", *paths]
