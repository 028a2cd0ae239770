"""Writing the crawl's WARC files, and cutting off what a crash left half-written.

The record format and the reader are :mod:`corpus.rawstore`'s, so the cleaner reads pages without
importing the crawler; only the crawler writes, so the writer and the crash recovery live here.

Each record is flushed (and fsynced when the writer is ``durable``) before a write returns: the
engine marks a URL done only after that (crawler.frontier, crash protocol). On resume,
:func:`record_complete` tells whether a record staged before a crash reached the disk whole, and
:func:`truncate_partial` cuts an incomplete one off its file.
"""
from __future__ import annotations

import base64
import hashlib
import io
import os
import zlib
from datetime import UTC, datetime

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.rawstore import (
    H_ALIASES,
    H_CANONICAL,
    H_GONE,
    H_REDIRECT_TO,
    H_SOURCE,
    HttpExchange,
    WarcLocation,
    iso_date,
    new_record_id,
    warc_dir,
)

__all__ = ["DEFAULT_ROTATE_BYTES", "WarcWriter", "record_complete", "truncate_partial",
           "warc_payload_digest"]

DEFAULT_ROTATE_BYTES = 1 << 30


def warc_payload_digest(raw: bytes) -> str:
    """WARC-Payload-Digest as warcio writes it (sha1, base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(raw).digest()).decode("ascii")


# --------------------------------------------------------------------------- writing


def _archived_headers(headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    out = []
    for name, value in headers:
        if name.lower() == "transfer-encoding":
            name = "X-Crawler-Transfer-Encoding"
        out.append((name, value))
    return out


class WarcWriter:
    """Appends request/response/revisit records to ``<data-dir>/warc/<series>-<n>.warc.gz``.

    Each write is flushed (and fsynced when ``durable``) before it returns, so a caller can record
    it as done afterwards: that order is what makes a crash lose nothing.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        prefix: str = "crawl",
        rotate_bytes: int = DEFAULT_ROTATE_BYTES,
        durable: bool = True,
        software: str = "unionsearch-crawler/0.1",
        user_agent: str = "",
    ):
        self.dir = warc_dir(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.series = f"{prefix}-{stamp}-{os.getpid()}"
        self.rotate_bytes = rotate_bytes
        self.durable = durable
        self.software = software
        self.user_agent = user_agent
        self._seq = -1
        self._fh: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self._name = ""

    # -- files
    def _open_next(self) -> None:
        self.close()
        self._seq += 1
        self._name = f"{self.series}-{self._seq:05d}.warc.gz"
        self._fh = open(self.dir / self._name, "ab")
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        info = {"software": self.software, "format": "WARC File Format 1.1"}
        if self.user_agent:
            info["http-header-user-agent"] = self.user_agent
        self._writer.write_record(self._writer.create_warcinfo_record(self._name, info))
        self._sync()

    def _ensure_open(self) -> None:
        if self._fh is None or self._fh.tell() >= self.rotate_bytes:
            self._open_next()

    def tell(self) -> WarcLocation:
        """Where the next record will start (opens or rotates the file first)."""
        self._ensure_open()
        assert self._fh is not None
        return WarcLocation(self._name, self._fh.tell())

    def _sync(self) -> None:
        assert self._fh is not None
        self._fh.flush()
        if self.durable:
            os.fsync(self._fh.fileno())

    def fsync(self) -> None:
        """Make every record written so far durable (for writers created with ``durable=False``
        that group their fsyncs)."""
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self._sync()
            self._fh.close()
        self._fh = None
        self._writer = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- records
    def _extension_headers(
        self, canonical_url: str | None, source: str, aliases: tuple[str, ...] | list[str]
    ) -> dict[str, str]:
        extra: dict[str, str] = {}
        if canonical_url:
            extra[H_CANONICAL] = canonical_url
        if source:
            extra[H_SOURCE] = source
        if aliases:
            extra[H_ALIASES] = " ".join(aliases)
        return extra

    def _request_record(self, ex: HttpExchange, date: str, concurrent_to: str) -> ArcWarcRecord:
        assert self._writer is not None
        path = ex.url.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if "/" in path else "/"
        req = StatusAndHeaders(f"{ex.method} {path} {ex.http_version}", list(ex.request_headers),
                               is_http_request=True)
        return self._writer.create_warc_record(
            ex.url, "request", http_headers=req,
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": concurrent_to},
        )

    def write_response(
        self,
        ex: HttpExchange,
        *,
        canonical_url: str | None = None,
        source: str = "",
        aliases: tuple[str, ...] | list[str] = (),
        redirect_to: str | None = None,
        record_id: str | None = None,
        gone: str | None = None,
    ) -> WarcLocation:
        """Write the request and response records of one exchange; returns where they start.

        ``record_id`` (``<urn:uuid:…>``) may be chosen by the caller so it can note it first;
        ``gone`` (a reason) marks the response that retires a stored page.
        """
        loc = self.tell()
        assert self._writer is not None
        date = iso_date(ex.fetched_at)
        record_id = record_id or new_record_id()
        warc_headers = {"WARC-Date": date, "WARC-Record-ID": record_id,
                        **self._extension_headers(canonical_url, source, aliases)}
        if redirect_to:
            warc_headers[H_REDIRECT_TO] = redirect_to
        if gone:
            warc_headers[H_GONE] = gone
        status_line = f"{ex.status} {ex.reason}".strip()
        http_headers = StatusAndHeaders(status_line, _archived_headers(ex.response_headers),
                                        protocol=ex.http_version)
        response = self._writer.create_warc_record(
            ex.url, "response", payload=io.BytesIO(ex.raw_body), length=len(ex.raw_body),
            http_headers=http_headers, warc_headers_dict=warc_headers,
        )
        self._writer.write_record(self._request_record(ex, date, record_id))
        self._writer.write_record(response)
        self._sync()
        digest = response.rec_headers.get_header("WARC-Payload-Digest") or ""
        return WarcLocation(loc.file, loc.offset, record_id, digest)

    def write_revisit(
        self,
        ex: HttpExchange,
        *,
        profile: str,
        refers_to_uri: str,
        refers_to_date: str | None,
        payload_digest: str | None,
        canonical_url: str | None = None,
        source: str = "",
        record_id: str | None = None,
    ) -> WarcLocation:
        """Record that ``ex.url`` was fetched again and had not changed (304 or same content)."""
        loc = self.tell()
        assert self._writer is not None
        date = iso_date(ex.fetched_at)
        record_id = record_id or new_record_id()
        profiles = {
            "server-not-modified": "http://netpreserve.org/warc/1.1/revisit/server-not-modified",
            "identical-payload-digest":
                "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
        }
        warc_headers = {"WARC-Date": date, "WARC-Record-ID": record_id,
                        "WARC-Profile": profiles[profile],
                        "WARC-Refers-To-Target-URI": refers_to_uri,
                        **self._extension_headers(canonical_url, source, ())}
        if refers_to_date:
            warc_headers["WARC-Refers-To-Date"] = refers_to_date
        if payload_digest:
            warc_headers["WARC-Payload-Digest"] = payload_digest
        status_line = f"{ex.status} {ex.reason}".strip()
        http_headers = StatusAndHeaders(status_line, _archived_headers(ex.response_headers),
                                        protocol=ex.http_version)
        revisit = self._writer.create_warc_record(
            ex.url, "revisit", http_headers=http_headers, warc_headers_dict=warc_headers,
        )
        self._writer.write_record(self._request_record(ex, date, record_id))
        self._writer.write_record(revisit)
        self._sync()
        return WarcLocation(loc.file, loc.offset, record_id, payload_digest or "")


# --------------------------------------------------------------------------- crash recovery


def record_complete(data_dir: str | os.PathLike[str], loc: WarcLocation) -> bool:
    """True when the record ``loc.record_id`` written at ``loc`` can be read back whole.

    The gzip members from ``loc.offset`` up to the one carrying the record's ``WARC-Record-ID``
    must be complete (a crash mid-write leaves a member without its trailer, which warcio would
    read silently); what follows belongs to later records.
    """
    path = warc_dir(data_dir) / loc.file
    try:
        with open(path, "rb") as fh:
            fh.seek(loc.offset)
            data = fh.read()
    except OSError:
        return False
    marker = f"WARC-Record-ID: {loc.record_id}\r\n".encode()
    pos = 0
    while pos < len(data):
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = member.decompress(data[pos:])
        except zlib.error:
            return False
        if not member.eof:
            return False
        if marker in out[:8192]:
            return True
        pos = len(data) - len(member.unused_data)
    return False


def truncate_partial(data_dir: str | os.PathLike[str], loc: WarcLocation) -> None:
    """Cut an incomplete record (and anything after it) off the end of its file."""
    path = warc_dir(data_dir) / loc.file
    if path.exists() and path.stat().st_size > loc.offset:
        with open(path, "r+b") as fh:
            fh.truncate(loc.offset)
            fh.flush()
            os.fsync(fh.fileno())


