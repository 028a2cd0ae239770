"""The downloader: one bounded HTTP GET with httpx, no policy beyond the single request.

Why it is built the way it is:

* ``follow_redirects=False``: a redirect is a new frontier URL that must be canonicalised and
  checked against allowed hosts and robots by the engine, so the downloader returns it as is;
* an overall deadline (``asyncio.timeout``) around the whole exchange: httpx timeouts are per
  read, and a server dripping one byte every half second never trips them;
* the body is streamed raw (``aiter_raw``) for the WARC, decoded alongside by
  :class:`corpus.rawstore.BodyDecoder`, and the cap is counted on **decoded** bytes (gzip bombs);
* a content-type allow list checked on headers before reading, then on sniffed bytes
  (``application/octet-stream`` sitemaps and directives are common);
* ``Retry-After`` parsed (seconds or HTTP date) for the engine's politeness rule.

Retry and backoff decisions belong to the engine; this module only classifies failures.
"""
from __future__ import annotations

import asyncio
import email.utils
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from corpus.rawstore import BadContentEncoding, BodyDecoder, BodyTooLarge, HttpExchange

from .netguard import AddressRefused, GuardedBackend, GuardedTransport
from .reasons import Reason

try:  # httpcore runs `import sniffio` on every request; when the package is absent each failed
    import sniffio  # noqa: F401  import rescans sys.path (a tenth of the crawl loop's CPU,
except ImportError:  # bench/crawl_bench.py). Recording the miss makes later tries instant.
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

__all__ = [
    "ALLOWED_MEDIA_TYPES",
    "Downloader",
    "FetchLimits",
    "FetchResult",
    "media_type",
    "parse_retry_after",
    "sniff_kind",
]

#: Media types fetched in full, by the kind of document they announce.
ALLOWED_MEDIA_TYPES: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/rss+xml": "xml",
    "application/atom+xml": "xml",
    "application/rdf+xml": "xml",
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    # "Xem thêm" buttons load the next page of a listing as JSON (crawler.discover.parse_json)
    "application/json": "json",
    "text/json": "json",
}
#: Media types that say nothing: read (within the cap) and decide from the bytes.
SNIFF_MEDIA_TYPES = frozenset({
    "", "application/octet-stream", "binary/octet-stream", "application/x-gzip", "application/gzip",
    "application/force-download", "application/download", "application/x-download",
    "application/unknown", "text/plain",
})
#: Kinds the crawler keeps after sniffing.
ALLOWED_KINDS = frozenset({"html", "xml", "pdf", "doc", "docx", "gzip", "text", "json"})
DOCUMENT_KINDS = frozenset({"pdf", "doc", "docx"})


@dataclass(frozen=True)
class FetchLimits:
    """Per-fetch bounds. ``deadline`` covers connect + headers + the whole body."""

    deadline: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 15.0
    max_html_bytes: int = 5 * 1024 * 1024
    max_file_bytes: int = 50 * 1024 * 1024


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def sniff_kind(body: bytes, content_type: str = "", url: str = "") -> str | None:
    """Decide what the bytes are: trust order sniffed bytes > Content-Type > extension."""
    head = body[:2048]
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in body[:65536] or url.lower().endswith(".docx") else None
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if text.startswith(b"<?xml"):
        return "html" if b"<html" in head.lower() else "xml"
    if text.startswith((b"<urlset", b"<sitemapindex", b"<rss", b"<feed", b"<rdf:rdf")):
        return "xml"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title",
                        b"<!--", b"<div", b"<script", b"<table", b"<p>", b"<a ")):
        return "html"
    declared = ALLOWED_MEDIA_TYPES.get(media_type(content_type))
    if declared in ("html", "xml") and b"\x00" not in head:
        return declared
    if declared == "json" and text.startswith((b"{", b"[")):
        return "json"
    if url.lower().split("?", 1)[0].endswith(".txt") and text.startswith(b"http"):
        return "text"  # plain-text sitemap
    return None


def parse_retry_after(value: str | None, now: float | None = None, cap: float = 3600.0) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = time.time() if now is None else now
    return max(0.0, min(when.timestamp() - now, cap))


@dataclass
class FetchResult:
    """What one GET produced. ``error`` is set (a crawler.reasons.Reason) when no usable response came."""

    url: str
    status: int | None = None
    reason_phrase: str = ""
    http_version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    raw_body: bytes = b""
    body: bytes = b""
    kind: str | None = None
    error: str | None = None
    detail: str = ""
    started: float = 0.0
    elapsed: float = 0.0
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def header(self, name: str) -> str | None:
        name = name.lower()
        values = [v for k, v in self.headers if k.lower() == name]
        return ", ".join(values) if values else None

    @property
    def content_type(self) -> str:
        return media_type(self.header("content-type"))

    @property
    def retry_after(self) -> float | None:
        return parse_retry_after(self.header("retry-after"))

    @property
    def location(self) -> str | None:
        return self.header("location")

    def exchange(self) -> HttpExchange:
        """The exchange as the WARC writer records it."""
        return HttpExchange(
            url=self.url,
            status=self.status or 0,
            response_headers=tuple(self.headers),
            raw_body=self.raw_body,
            fetched_at=self.fetched_at,
            request_headers=tuple(self.request_headers),
            http_version=self.http_version,
            reason=self.reason_phrase,
        )


class Downloader:
    """Async GETs over one shared httpx client (connection pooling, no redirects, no cookies kept).

    ``backend`` (the production default) resolves and checks every address before connecting
    (crawler.netguard); ``transport`` replaces the whole transport instead (tests route named
    hosts to loopback servers with it, see tests/crawlweb.py).
    """

    def __init__(
        self,
        user_agent: str,
        limits: FetchLimits | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        backend: GuardedBackend | None = None,
        max_connections: int = 64,
        trust_env: bool = False,
    ):
        self.user_agent = user_agent
        self.limits = limits or FetchLimits()
        pool = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)
        if transport is None and backend is not None:
            transport = GuardedTransport(backend, limits=pool, trust_env=trust_env)
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout),
            limits=pool,
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                          "application/pdf;q=0.8,*/*;q=0.5",
                "Accept-Language": "vi,en;q=0.5",
                "Accept-Encoding": "gzip, deflate",
            },
            transport=transport,
            trust_env=trust_env,
        )
        self.requests = 0

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> Downloader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        truncate: bool = False,
        any_type: bool = False,
    ) -> FetchResult:
        """GET ``url`` once. Never raises for network or HTTP trouble: see ``FetchResult.error``.

        ``truncate`` keeps the first ``max_bytes`` instead of failing (robots.txt);
        ``any_type`` skips the content-type allow list (robots.txt).
        """
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = FetchResult(url=url, started=time.time())
        self.requests += 1
        t0 = time.monotonic()
        try:
            async with asyncio.timeout(self.limits.deadline):
                await self._exchange(url, headers, result, max_bytes, truncate, any_type)
        except TimeoutError:
            result.error, result.detail = Reason.TIMEOUT, f"no complete answer within {self.limits.deadline}s"
        except AddressRefused as exc:
            result.error, result.detail = Reason.PRIVATE_ADDRESS, str(exc)
        except httpx.ConnectTimeout as exc:
            result.error, result.detail = Reason.CONNECT, f"connect timeout: {exc}"
        except httpx.ConnectError as exc:
            result.error, result.detail = Reason.CONNECT, str(exc) or type(exc).__name__
        except httpx.TimeoutException as exc:
            result.error, result.detail = Reason.TIMEOUT, f"{type(exc).__name__}: {exc}"
        except httpx.RemoteProtocolError as exc:
            result.error, result.detail = Reason.TRUNCATED, str(exc) or type(exc).__name__
        except (httpx.TransportError, OSError) as exc:
            result.error, result.detail = Reason.NETWORK, f"{type(exc).__name__}: {exc}"
        except httpx.InvalidURL as exc:
            result.error, result.detail = Reason.BAD_URL, str(exc)
        result.elapsed = time.monotonic() - t0
        if result.error:
            result.raw_body = result.body = b""
        return result

    async def _exchange(
        self,
        url: str,
        headers: dict[str, str],
        result: FetchResult,
        max_bytes: int | None,
        truncate: bool,
        any_type: bool,
    ) -> None:
        async with self._client.stream("GET", url, headers=headers) as resp:
            result.fetched_at = datetime.now(UTC)
            result.status = resp.status_code
            result.reason_phrase = resp.reason_phrase
            result.http_version = resp.http_version
            result.headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.headers.raw]
            result.request_headers = [
                (k.decode("latin-1"), v.decode("latin-1")) for k, v in resp.request.headers.raw
            ]
            if resp.status_code != 200:
                # Keep small bodies of redirects and errors for the record; never large ones.
                await self._read(resp, result, 64 * 1024, truncate=True)
                return
            declared = result.content_type
            if not any_type and declared not in ALLOWED_MEDIA_TYPES and declared not in SNIFF_MEDIA_TYPES:
                result.error, result.detail = Reason.CONTENT_TYPE, f"{declared!r} not on the allow list"
                return
            kind = ALLOWED_MEDIA_TYPES.get(declared)
            if max_bytes is None:
                doc = kind in DOCUMENT_KINDS or declared in SNIFF_MEDIA_TYPES - {"", "text/plain"}
                max_bytes = self.limits.max_file_bytes if doc else self.limits.max_html_bytes
            length = resp.headers.get("content-length", "")
            if not truncate and length.isdigit() and int(length) > max_bytes:
                result.error, result.detail = Reason.TOO_LARGE, f"Content-Length {length} > {max_bytes}"
                return
            if not await self._read(resp, result, max_bytes, truncate):
                return
            result.kind = sniff_kind(result.body, declared, url)
            if not any_type and result.kind not in ALLOWED_KINDS:
                result.error = Reason.CONTENT_TYPE
                result.detail = f"{declared or 'no content type'!s}, bytes look like {result.kind}"

    async def _read(self, resp: httpx.Response, result: FetchResult, limit: int, truncate: bool) -> bool:
        try:
            decoder = BodyDecoder(resp.headers.get("content-encoding"), limit)
        except BadContentEncoding as exc:
            result.error, result.detail = Reason.BAD_ENCODING, str(exc)
            return False
        raw: list[bytes] = []
        decoded: list[bytes] = []
        try:
            async for chunk in resp.aiter_raw():
                raw.append(chunk)
                decoded.append(decoder.feed(chunk))
            decoded.append(decoder.flush())
        except BodyTooLarge as exc:
            if not truncate:
                result.error, result.detail = Reason.TOO_LARGE, str(exc)
                return False
        except BadContentEncoding as exc:
            result.error, result.detail = Reason.BAD_ENCODING, str(exc)
            return False
        result.raw_body = b"".join(raw)
        result.body = b"".join(decoded)
        if truncate and len(result.body) > limit:
            result.body = result.body[:limit]
        return True
