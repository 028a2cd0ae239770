"""Serve the three demo sites over real HTTP, one loopback server per site, for the crawler to crawl.

Real sockets (not a mock transport) so the crawler's robots, politeness, keep-alive and error
handling are exercised; the access log lets tests check what the crawler actually requested.
"""

from __future__ import annotations

import contextlib
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .content import Article, load_articles
from .pages import DemoSite, make_environment
from .sites import SITE_IDS, SITES

_HOST_HEADER = re.compile(r"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def _netloc(address: tuple[Any, ...]) -> str:
    host, port = address[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class AccessRecord:
    site: str
    method: str
    path: str  # the request target as sent, query included
    status: int
    timestamp: float  # time.time() when the response headers were sent
    user_agent: str


class AccessLog:
    """Append-only list of AccessRecord, safe to read while server threads write."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[AccessRecord] = []

    def append(self, record: AccessRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[AccessRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def __iter__(self) -> Iterator[AccessRecord]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __getitem__(self, index: int) -> AccessRecord:
        with self._lock:
            return self._records[index]


class RunningSite:
    """A site as served: its id, title, base URL and articles (syndicated copies included)."""

    def __init__(self, site: DemoSite, base_url: str, server: _Server | None = None) -> None:
        self._site = site
        self._server = server
        self.id = site.spec.id
        self.title = site.spec.title
        self.base_url = base_url
        self.articles: list[Article] = site.articles

    def url_for(self, article_id: str) -> str:
        """Absolute URL of the article (or of this site's copy of it)."""
        return self.base_url + self._site.path_for(article_id)

    def publish(self, article: Article) -> str:
        """Publish (or edit) an article while the site runs; returns its absolute URL."""
        path = self._site.publish(article)
        self.articles = self._site.articles
        return self.base_url + path

    def withdraw(self, article_id: str) -> None:
        self._site.withdraw(article_id)
        self.articles = self._site.articles

    def set_down(self, down: bool) -> None:
        """Simulate an outage: while down, every connection is dropped without an answer."""
        if self._server is not None:
            self._server.down = down

    def __repr__(self) -> str:
        return f"RunningSite({self.id!r}, {self.base_url!r}, {len(self.articles)} articles)"


class _Server(ThreadingHTTPServer):
    """Tracks open connections so close() can end idle keep-alive threads instead of waiting."""

    daemon_threads = False
    block_on_close = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], site: DemoSite, log: AccessLog, verbose: bool) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.site, self.log, self.verbose = site, log, verbose
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self.down = False
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if self.down:                 # an outage: the connection is dropped unanswered
            self.shutdown_request(request)
            return
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes; avoid the 40 ms delayed-ACK stall
    timeout = 30  # an idle keep-alive connection is closed after this
    server: _Server

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _serve(self, with_body: bool) -> None:
        host = self.headers.get("Host", "")
        if not _HOST_HEADER.match(host):
            host = _netloc(self.server.server_address)
        page = self.server.site.respond(self.path, origin=f"http://{host}")
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Called for every response, errors from the base class (400, 501) included."""
        headers = getattr(self, "headers", None)
        self.server.log.append(
            AccessRecord(
                site=self.server.site.spec.id,
                method=getattr(self, "command", None) or "",
                path=getattr(self, "path", ""),
                status=int(code),
                timestamp=time.time(),
                user_agent=headers.get("User-Agent", "") if headers else "",
            )
        )
        super().log_request(code, size)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"[{self.server.site.spec.id}] {self.address_string()} {format % args}\n")


class DemoWeb:
    """The running demo web; use as a context manager (or call close()) to stop every server."""

    def __init__(self, servers: list[_Server], log: AccessLog) -> None:
        self._servers = servers
        self.access_log = log
        self.sites: dict[str, RunningSite] = {}
        self._threads: list[threading.Thread] = []
        for server in servers:
            site = RunningSite(server.site, "http://" + _netloc(server.server_address), server)
            self.sites[site.id] = site
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"demo-{site.id}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.drop_connections()
            server.server_close()
        for thread in self._threads:
            thread.join()
        self._servers, self._threads = [], []

    def __enter__(self) -> DemoWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_demo_sites(
    host: str = "127.0.0.1",
    ports: Mapping[str, int] | None = None,
    content_dir: Path | str | None = None,
    verbose: bool = False,
) -> DemoWeb:
    """Start one server per site on `host` (port 0 = ephemeral); the servers run until close()."""
    articles = load_articles(content_dir)
    env = make_environment()
    log = AccessLog()
    servers: list[_Server] = []
    try:
        for site_id in SITE_IDS:
            port = (ports or {}).get(site_id, 0)
            site = DemoSite(SITES[site_id], articles[site_id], env)
            servers.append(_Server((host, port), site, log, verbose))
    except BaseException:
        for server in servers:
            server.server_close()
        raise
    return DemoWeb(servers, log)


def ground_truth(demo_web: DemoWeb) -> dict[str, dict[str, Any]]:
    """What each article URL should yield after crawl and clean: the article's fields as published.

    Syndicated copies are separate URLs; `syndicated_from` names the source site and
    `original_url` the source article, so tests can check deduplication.
    """
    truth: dict[str, dict[str, Any]] = {}
    for site in demo_web.sites.values():
        for article in site.articles:
            record = asdict(article)
            record["published"] = article.published.strftime("%Y-%m-%d %H:%M")
            record["paragraphs"] = list(article.paragraphs)
            record["doc_numbers"] = list(article.doc_numbers)
            record["syndicate_to"] = list(article.syndicate_to)
            record["images"] = [asdict(image) for image in article.images]
            record["credit"] = article.credit
            record["syndicated_from"] = article.source_site if article.is_copy else None
            record["original_url"] = demo_web.sites[article.source_site].url_for(article.id)
            truth[site.url_for(article.id)] = record
    return truth
