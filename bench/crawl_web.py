"""The crawl benchmark's web: N union-news sites on distinct loopback addresses, in a process of
its own (so the crawler under test does not share its interpreter).

    python -m bench.crawl_web --sites 8 --pages 250 [--big-sitemap 50000 [--sitemaps 2]]

Site *i* listens on ``127.0.0.(10+i)`` (a server per address: the crawler's politeness slots are
per address), serves ``/robots.txt``, a home page linking to listing pages ``/muc/K`` of 50
articles each, and articles ``/bai/N.html`` (~6 KB of Vietnamese news with real-looking
boilerplate). With ``--big-sitemap N`` the first site's robots.txt names ``--sitemaps`` sitemaps
``/sitemap-big-K.xml`` of N article URLs each (with ``lastmod`` dates; N = 50,000 is the
protocol's limit per file). One JSON line on stdout says where the sites are
once they listen; the process serves until stdin closes or it is killed. Loopback only.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PER_LISTING = 50
NAV_ITEMS = 30  # menu links on every page, to listings that exist (the crawl fetches each once)
PARAGRAPH = ("Ban Chấp hành Liên đoàn Lao động tỉnh vừa ban hành Kế hoạch số {n}/KH-LĐLĐ thực hiện "
             "Nghị quyết 02-NQ/TW về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình "
             "hình mới; người lao động được bảo vệ quyền, lợi ích hợp pháp, chính đáng. ")


def listings(pages: int) -> int:
    return max(1, -(-pages // PER_LISTING))


def nav(pages: int) -> str:
    n = listings(pages)
    return "".join(f'<li><a href="/muc/{i % n}">Chuyên mục {i}</a></li>' for i in range(NAV_ITEMS))


def article_html(n: int, pages: int) -> bytes:
    body = "".join(f"<p>{PARAGRAPH.format(n=n + k)}</p>" for k in range(12))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin công đoàn số {n}'
            f'</title><link rel="canonical" href="/bai/{n}.html"></head><body><header><nav><ul>{nav(pages)}'
            f'</ul></nav></header><main><h1>Công đoàn chăm lo đời sống đoàn viên, bài {n}</h1>'
            f'<div class="sapo">Tin {n}</div><div class="content">{body}</div></main>'
            f"<footer>Bản quyền thuộc về Liên đoàn Lao động tỉnh.</footer></body></html>").encode()


def listing_html(k: int, pages: int) -> bytes:
    first = k * PER_LISTING
    links = "".join(f'<li><a href="/bai/{n}.html">Tin số {n}</a></li>'
                    for n in range(first, min(first + PER_LISTING, pages)))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Mục {k}</title></head>'
            f"<body><nav><ul>{nav(pages)}</ul></nav><ul>{links}</ul></body></html>").encode()


def home_html(pages: int) -> bytes:
    links = "".join(f'<li><a href="/muc/{k}">Mục {k}</a></li>' for k in range(listings(pages)))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang chủ</title>'
            f"</head><body><ul>{links}</ul></body></html>").encode()


def big_sitemap(base: str, n: int, first: int = 0) -> bytes:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    items = "".join(f"<url><loc>{base}/bai/{i}.html</loc><lastmod>"
                    f"{(start + timedelta(minutes=i)).strftime('%Y-%m-%dT%H:%M:%S+00:00')}</lastmod></url>"
                    for i in range(first, first + n))
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">{items}</urlset>').encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def serve_site(address: str, pages: int, big: int, sitemaps: int = 1) -> _Server:
    cache: dict[str, bytes] = {}
    limit = max(pages, big * sitemaps)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path
            body = cache.get(path)
            if body is None:
                body = render(path)
                if body is not None and not path.startswith("/bai/"):
                    cache[path] = body
            if body is None:
                self._send(404, b"<html>404</html>")
            elif path.endswith((".txt", ".xml")):
                self._send(200, body, "text/plain" if path.endswith(".txt") else "application/xml")
            else:
                self._send(200, body)

    def render(path: str) -> bytes | None:
        if path == "/robots.txt":
            extra = "".join(f"Sitemap: {base}/sitemap-big-{k}.xml\n" for k in range(sitemaps)) if big else ""
            return f"User-agent: *\nAllow: /\n{extra}".encode()
        if path == "/":
            return home_html(pages)
        if big and path.startswith("/sitemap-big-") and path[13:-4].isdigit() and int(path[13:-4]) < sitemaps:
            return big_sitemap(base, big, int(path[13:-4]) * big)
        if path.startswith("/muc/") and path[5:].isdigit() and int(path[5:]) < listings(pages):
            return listing_html(int(path[5:]), pages)
        if path.startswith("/bai/") and path.endswith(".html") and path[5:-5].isdigit():
            n = int(path[5:-5])
            return article_html(n, pages) if n < limit else None
        return None

    server = _Server((address, 0), Handler)
    base = f"http://{address}:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=8)
    ap.add_argument("--pages", type=int, default=250, help="articles per site")
    ap.add_argument("--big-sitemap", type=int, default=0, help="entries in each of site 0's big sitemaps")
    ap.add_argument("--sitemaps", type=int, default=1, help="how many big sitemaps")
    args = ap.parse_args(argv)
    if not 1 <= args.sites <= 200:
        ap.error("--sites must be 1..200")
    servers = [serve_site(f"127.0.0.{10 + i}", args.pages, args.big_sitemap if i == 0 else 0, args.sitemaps)
               for i in range(args.sites)]
    bases = [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers]
    print(json.dumps({"sites": bases, "pages": args.pages, "listings": listings(args.pages)}), flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin (or kills us)
    for s in servers:
        s.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
