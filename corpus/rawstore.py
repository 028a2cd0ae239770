"""Raw page store: the WARC format of every HTTP response the crawler keeps, and its reader.

The format and the reader belong to ``corpus`` so the cleaner can re-read pages without importing
the crawler and without fetching anything again; the writer and the crash recovery are the
crawler's (:mod:`crawler.warcwriter`).

On-disk layout (``<data-dir>`` is the crawl's data directory)::

    <data-dir>/
      crawl.sqlite                 frontier and page records (crawler-owned; readers never need it)
      crawl.lock                   held while a crawl runs (one crawler per data dir)
      warc/
        crawl-<UTC yyyymmddTHHMMSSffffff>-<pid>-<nnnnn>.warc.gz
                                   one series per crawl run, rotated at ~1 GiB; names sort in
                                   time order; files are append-only and never rewritten

Each ``.warc.gz`` is WARC/1.1, one gzip member per record:

* ``warcinfo`` first (software, format, user agent);
* per fetch, a ``request`` record (the request line and headers that were sent) and a
  ``response`` record: status line, the response headers as received (``Transfer-Encoding``
  renamed ``X-Crawler-Transfer-Encoding``, since the body is stored de-chunked, as Common Crawl
  does) and the body **as received**, i.e. still ``Content-Encoding``-compressed. Responses kept
  are 200s (HTML, XML sitemaps and feeds, PDF/DOC/DOCX) and 3xx redirects;
* ``revisit`` records for a conditional GET answered 304 (profile ``server-not-modified``) or a
  200 whose content equals the stored one (profile ``identical-payload-digest``): the page did not
  change, so readers looking for changes skip it.

Extension fields on response/revisit records (absent when empty):

* ``X-Crawler-Canonical-URI``: the page identity (the fetched URL, or its same-site
  ``<link rel=canonical>``); ``WARC-Target-URI`` is the URL actually fetched;
* ``X-Crawler-Source``: the source name from ``corpus/sources.toml``;
* ``X-Crawler-Aliases``: space-separated URLs known to lead here (redirect sources…);
* ``X-Crawler-Redirect-To``: on 3xx records, the canonicalised target of ``Location``;
* ``X-Crawler-Gone``: on the response that retired a stored page (``http_410`` at once;
  ``http_404`` or ``soft_404`` once confirmed several times, see crawler.recrawl). Its status is
  the one received (410, 404, or 200 for a soft 404).

Readers use :func:`iter_pages` (pages to clean) and :func:`iter_gone` (pages to delete from the
corpus). A page is gone when its latest record is a ``X-Crawler-Gone`` response, or a permanent
redirect (301/308) newer than its latest 200; after such an event :func:`iter_pages` no longer
yields it (a redirect's target carries it as an alias instead). A 200 fetched later brings it
back. A crash can leave one incomplete record at the end of a file; readers stop at it and the
crawler truncates it away when it resumes.
"""
from __future__ import annotations

import logging
import os
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

__all__ = [
    "BadContentEncoding",
    "BodyDecoder",
    "BodyTooLarge",
    "HttpExchange",
    "RawPage",
    "WarcLocation",
    "decode_body",
    "iso_date",
    "iter_gone",
    "iter_pages",
    "iter_responses",
    "new_record_id",
    "warc_dir",
]

log = logging.getLogger(__name__)

#: the extension fields described above (crawler.warcwriter writes them)
H_CANONICAL = "X-Crawler-Canonical-URI"
H_SOURCE = "X-Crawler-Source"
H_ALIASES = "X-Crawler-Aliases"
H_REDIRECT_TO = "X-Crawler-Redirect-To"
H_GONE = "X-Crawler-Gone"
PERMANENT_REDIRECTS = (301, 308)
WARC_SUBDIR = "warc"


def warc_dir(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / WARC_SUBDIR


# --------------------------------------------------------------------------- content decoding


class BodyTooLarge(Exception):
    """The decoded body passed its size cap."""


class BadContentEncoding(Exception):
    """``Content-Encoding`` says gzip/deflate but the bytes are not (or the coding is unknown)."""


class BodyDecoder:
    """Streaming ``Content-Encoding`` decoder that counts **decoded** bytes against a cap.

    Counting after decompression is what stops gzip bombs; ``zlib``'s ``max_length`` keeps a single
    chunk from inflating past the cap in memory.
    """

    def __init__(self, content_encoding: str | None, limit: int | None = None):
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise BadContentEncoding(f"stacked content codings {content_encoding!r} not supported")
        self.coding = codings[0] if codings else ""
        if self.coding not in ("", "gzip", "x-gzip", "deflate"):
            raise BadContentEncoding(f"unsupported content coding {self.coding!r}")
        self.limit = limit
        self.size = 0
        self._z: zlib._Decompress | None = None
        self._first = True
        if self.coding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._z = zlib.decompressobj()

    def _count(self, piece: bytes) -> bytes:
        self.size += len(piece)
        if self.limit is not None and self.size > self.limit:
            raise BodyTooLarge(f"body larger than {self.limit} bytes after decoding")
        return piece

    def feed(self, chunk: bytes) -> bytes:
        if self._z is None:
            return self._count(chunk)
        if self._first and self.coding == "deflate":
            self._first = False
            try:  # servers send both zlib-wrapped and raw deflate
                return self._inflate(chunk)
            except BadContentEncoding:
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self.size = 0
        self._first = False
        return self._inflate(chunk)

    def _inflate(self, data: bytes) -> bytes:
        out: list[bytes] = []
        while data:
            assert self._z is not None
            room = 0 if self.limit is None else max(self.limit - self.size + 1, 1)
            try:
                piece = self._z.decompress(data, room)
            except zlib.error as exc:
                raise BadContentEncoding(f"{self.coding} body does not decode: {exc}") from None
            out.append(self._count(piece))
            data = self._z.unconsumed_tail
            if self._z.eof and self._z.unused_data:  # concatenated gzip members
                data = self._z.unused_data
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return b"".join(out)

    def flush(self) -> bytes:
        if self._z is None:
            return b""
        try:
            return self._count(self._z.flush())
        except zlib.error as exc:
            raise BadContentEncoding(f"{self.coding} body does not decode: {exc}") from None


def decode_body(raw: bytes, content_encoding: str | None, limit: int | None = None) -> bytes:
    """Undo ``Content-Encoding`` (gzip, deflate, identity) on a complete body."""
    dec = BodyDecoder(content_encoding, limit)
    return dec.feed(raw) + dec.flush()


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class HttpExchange:
    """One request and its response as sent and received, body still content-encoded."""

    url: str
    status: int
    response_headers: tuple[tuple[str, str], ...]
    raw_body: bytes
    fetched_at: datetime
    method: str = "GET"
    request_headers: tuple[tuple[str, str], ...] = ()
    http_version: str = "HTTP/1.1"
    reason: str = ""


@dataclass(frozen=True)
class WarcLocation:
    """Where a record was written: file name relative to ``<data-dir>/warc``, byte offset."""

    file: str
    offset: int
    record_id: str = ""
    payload_digest: str = ""


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def iso_date(dt: datetime) -> str:
    dt = dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class RawPage:
    """The latest successful fetch of one page, as the cleaner consumes it."""

    url: str  # canonical URL (page identity)
    fetched_url: str  # URL actually requested
    status: int
    headers: dict[str, str] = field(hash=False)  # response headers, lower-case keys
    body: bytes  # content-decoded bytes (gzip/deflate undone), charset untouched
    content_type: str  # media type, lower case, no parameters ("text/html")
    fetched_at: str  # ISO 8601 UTC ("2026-06-02T01:52:00.123456Z")
    source: str = ""  # source name, "" for ad-hoc crawls
    aliases: tuple[str, ...] = ()  # other URLs known to lead to this page


@dataclass(frozen=True)
class _Entry:
    file: Path
    offset: int
    kind: str  # response | revisit
    target: str
    canonical: str
    status: int
    date: str
    source: str
    aliases: tuple[str, ...]
    redirect_to: str
    gone: str = ""


def _parse_iso(text: str) -> datetime:
    text = text.strip().replace("Z", "+00:00")
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _warc_files(data_dir: str | os.PathLike[str]) -> list[Path]:
    folder = warc_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith((".warc.gz", ".warc")))


def _member_complete(path: Path, offset: int) -> bool:
    """True when the gzip member at ``offset`` (one WARC record) ends with its trailer."""
    member = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(path, "rb") as fh:
        fh.seek(offset)
        while not member.eof:
            chunk = fh.read(1 << 16)
            if not chunk:
                return False
            try:
                member.decompress(chunk)
            except zlib.error:
                return False
    return True


def _index(data_dir: str | os.PathLike[str]) -> Iterator[_Entry]:
    """Response/revisit records of every file, in file order.

    A crash can leave the last record of a file incomplete; warcio reads such a record
    silently (or fails on its digest), so the last record seen is only yielded once its gzip
    member is known to be complete.
    """
    for path in _warc_files(data_dir):
        held: _Entry | None = None
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh, check_digests="raise")
            try:
                for record in it:
                    if held is not None:  # the iterator moved past it: it was complete
                        yield held
                        held = None
                    if record.rec_type not in ("response", "revisit"):
                        continue
                    h = record.rec_headers
                    status = int(record.http_headers.get_statuscode()) if record.http_headers else 0
                    target = h.get_header("WARC-Target-URI") or ""
                    held = _Entry(
                        file=path,
                        offset=it.get_record_offset(),
                        kind=record.rec_type,
                        target=target,
                        canonical=h.get_header(H_CANONICAL) or target,
                        status=status,
                        date=h.get_header("WARC-Date") or "",
                        source=h.get_header(H_SOURCE) or "",
                        aliases=tuple((h.get_header(H_ALIASES) or "").split()),
                        redirect_to=h.get_header(H_REDIRECT_TO) or "",
                        gone=h.get_header(H_GONE) or "",
                    )
            except Exception as exc:  # noqa: BLE001 - truncated tail left by a crash: keep what was read
                log.warning("%s: stopped reading at an incomplete record (%s)", path, exc)
        if held is not None:
            if _member_complete(path, held.offset):
                yield held
            else:
                log.warning("%s: last record (%s) is incomplete; skipped", path, held.target)


def iter_responses(data_dir: str | os.PathLike[str]) -> Iterator[tuple[str, str, int, str]]:
    """``(kind, WARC-Target-URI, HTTP status, WARC-Date)`` of every response and revisit record;
    ``kind`` is the record type, or ``gone`` for a response that retired a page (a confirmed
    soft 404 is a 200 that stores nothing).

    A cheap listing for audits and tests (e.g. "no page stored twice").
    """
    for e in _index(data_dir):
        yield ("gone" if e.gone else e.kind), e.target, e.status, e.date


def _read_page(entry: _Entry, aliases: tuple[str, ...]) -> RawPage:
    with open(entry.file, "rb") as fh:
        fh.seek(entry.offset)
        record = next(iter(ArchiveIterator(fh)))
        raw = record.raw_stream.read()
        headers: dict[str, str] = {}
        for name, value in record.http_headers.headers:
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
    try:
        body = decode_body(raw, headers.get("content-encoding"))
    except BadContentEncoding:
        log.warning("%s: %s stored with a bad content coding; body kept as stored",
                    entry.file, entry.target)
        body = raw
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return RawPage(
        url=entry.canonical,
        fetched_url=entry.target,
        status=entry.status,
        headers=headers,
        body=body,
        content_type=media,
        fetched_at=entry.date,
        source=entry.source,
        aliases=aliases,
    )


@dataclass
class _Scan:
    """What the whole archive says, per URL (see :func:`_scan`)."""

    latest: dict[str, _Entry] = field(default_factory=dict)  # canonical → latest 200
    aliases: dict[str, set[str]] = field(default_factory=dict)
    superseded: set[str] = field(default_factory=set)  # pages replaced by a newer redirect
    gone: dict[str, tuple[datetime, str]] = field(default_factory=dict)  # URL → (when, why)


def _scan(data_dir: str | os.PathLike[str]) -> _Scan:
    scan = _Scan()
    latest, aliases = scan.latest, scan.aliases
    redirects: dict[str, tuple[str, datetime, int]] = {}
    retired: dict[str, tuple[datetime, str]] = {}
    for entry in _index(data_dir):
        if entry.kind != "response":
            continue
        when = _parse_iso(entry.date)
        if entry.gone:
            prev_gone = retired.get(entry.canonical)
            if prev_gone is None or when >= prev_gone[0]:
                retired[entry.canonical] = (when, entry.gone)
            continue
        if 300 <= entry.status < 400 and entry.redirect_to:
            prev_redirect = redirects.get(entry.target)
            if prev_redirect is None or when >= prev_redirect[1]:
                redirects[entry.target] = (entry.redirect_to, when, entry.status)
            continue
        if entry.status != 200:
            continue
        prev = latest.get(entry.canonical)
        if prev is None or when >= _parse_iso(prev.date):
            latest[entry.canonical] = entry
        known = aliases.setdefault(entry.canonical, set())
        known.update(entry.aliases)
        if entry.target != entry.canonical:
            known.add(entry.target)
    # A redirect newer than a URL's own page supersedes it: a → b → page makes a and b aliases.
    for start, (first, when, status) in redirects.items():
        if start in latest and _parse_iso(latest[start].date) > when:
            continue  # the page came back after the redirect was seen
        if start in latest and status in PERMANENT_REDIRECTS:  # moved for good, wherever to
            scan.gone[start] = (when, f"http_{status}")
            scan.superseded.add(start)
        chain, url = [start], first
        while url not in latest and url in redirects and url not in chain and len(chain) < 20:
            chain.append(url)
            url = redirects[url][0]
        if url in latest and url != start:
            aliases.setdefault(url, set()).update(chain)
            if start in latest:
                scan.superseded.add(start)
                scan.gone.setdefault(start, (when, f"http_{status}"))
                aliases[url].update(aliases.pop(start, set()))
    for url, (when, why) in retired.items():
        if url in latest and _parse_iso(latest[url].date) > when:
            continue  # fetched again after it was retired: back
        if url in latest:
            scan.superseded.add(url)
            scan.gone[url] = (when, why)
    return scan


def iter_pages(
    data_dir: str | os.PathLike[str], *, only_changed_since: str | None = None
) -> Iterator[RawPage]:
    """Yield the latest 200 response per canonical URL, oldest first; gone pages left out.

    ``only_changed_since`` (ISO 8601) keeps pages whose latest content arrived at or after that
    time: unchanged re-fetches are ``revisit`` records, so this is "new or changed since".
    Aliases come from redirect records, ``X-Crawler-Aliases`` and fetches under another URL.
    """
    since = _parse_iso(only_changed_since) if only_changed_since else None
    scan = _scan(data_dir)
    chosen = sorted((e for u, e in scan.latest.items() if u not in scan.superseded),
                    key=lambda e: (_parse_iso(e.date), e.canonical))
    for entry in chosen:
        if since is not None and _parse_iso(entry.date) < since:
            continue
        names = tuple(sorted(scan.aliases.get(entry.canonical, set()) - {entry.canonical}))
        yield _read_page(entry, names)


def iter_gone(data_dir: str | os.PathLike[str], *, since: str | None = None) -> Iterator[str]:
    """Canonical URLs of stored pages that are gone: delete them from the corpus.

    Exactly the URLs that have a stored 200 in the archive but that :func:`iter_pages` leaves
    out: the page's latest record retired it (a 410; a 404 or soft 404 confirmed several times;
    see ``X-Crawler-Gone``), or a redirect newer than its last 200 moved it for good (301/308)
    or onto another stored page (whose record :func:`iter_pages` yields with this URL among its
    aliases). A temporary redirect to a page not stored leaves the old page in place.

    Oldest first; ``since`` (ISO 8601) keeps those gone at or after that time, for incremental
    cleaning: delete ``iter_gone(since=t)``, then (re)clean ``iter_pages(only_changed_since=t)``.
    """
    after = _parse_iso(since) if since else None
    scan = _scan(data_dir)
    for url, (when, _why) in sorted(scan.gone.items(), key=lambda item: (item[1][0], item[0])):
        if after is None or when >= after:
            yield url
