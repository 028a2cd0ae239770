"""Crawl configuration and the summary a crawl returns."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from corpus.sources import Source

from .robots import DEFAULT_USER_AGENT

if TYPE_CHECKING:
    import httpx

__all__ = ["CrawlConfig", "CrawlSummary"]


@dataclass
class CrawlConfig:
    """Everything a crawl needs. Only ``data_dir`` and some start URL (or source) are required.

    Politeness: the wait between two requests to one site is
    ``max(delay, min(Crawl-delay, max_crawl_delay), Retry-After, backoff)`` (shared/notes/crawler.md
    §1.6), counted from the end of one response to the start of the next.
    """

    data_dir: Path
    start_urls: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    #: hosts the crawl may touch; None = hosts of the start URLs plus the sources' allowed hosts.
    #: ``host:port`` entries count as hosts (loopback servers); ``*.x.vn`` adds subdomains.
    allowed_hosts: set[str] | None = None
    max_pages: int | None = 1000  # URLs fetched to an outcome this run (robots.txt excluded)
    max_depth: int = 3  # link hops from a start URL, sitemap or feed
    delay: float = 1.0  # seconds between requests to one site
    user_agent: str = DEFAULT_USER_AGENT
    deadline: float | None = None  # seconds for the whole crawl
    progress: bool = True  # progress lines and the summary on stderr
    progress_every: int = 25

    # politeness
    concurrency_per_host: int = 1
    max_parallel_hosts: int = 16
    max_crawl_delay: float = 30.0
    max_retry_after: float = 3600.0
    max_retries: int = 2  # extra attempts after a transient failure (429, 5xx, timeout, network)
    backoff_base: float = 2.0  # first backoff; doubles per attempt, ±50 % jitter
    backoff_max: float = 300.0
    max_host_errors: int = 5  # consecutive failures that park a site for the rest of the run

    # per-fetch limits
    fetch_deadline: float = 30.0  # whole exchange, body included (a dripping server is cut)
    connect_timeout: float = 10.0
    read_timeout: float = 15.0
    max_html_bytes: int = 5 * 1024 * 1024  # decoded bytes
    max_document_bytes: int = 50 * 1024 * 1024  # PDF/DOC/DOCX/octet-stream, decoded bytes
    max_redirects: int = 5
    max_pagination: int = 50  # pages followed along one listing (calendar traps)
    max_sitemap_nesting: int = 3

    # robots.txt
    robots_ttl: float = 24 * 3600.0
    robots_retry: float = 300.0  # after 5xx/unreachable, RFC 9309 "disallow and retry later"
    robots_max_attempts: int = 3  # per origin and run; then the origin waits for the next run
    guess_sitemaps: bool = True  # try /sitemap.xml when robots.txt lists none

    # recrawl: done URLs become due again after these intervals
    revisit_after: float = 7 * 24 * 3600.0  # articles and documents
    hub_revisit_after: float = 3600.0  # start URLs, listings, feeds, sitemaps
    #: end the run when nothing is due sooner than this; longer waits (robots.txt retries,
    #: long Retry-After) are left to the next run
    max_idle: float = 60.0

    lease_seconds: float = 600.0
    durable: bool = True  # fsync each WARC record before marking it done
    trust_env: bool = False  # honour HTTP(S)_PROXY and friends
    #: test seam: route requests (e.g. named hosts to loopback servers)
    transport: "httpx.AsyncBaseTransport | None" = None
    #: test seam: called with the URL after its WARC record is flushed, before it is marked done
    on_record_written: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if self.delay < 0 or self.max_depth < 0:
            raise ValueError("delay and max_depth must not be negative")
        if self.concurrency_per_host < 1 or self.max_parallel_hosts < 1:
            raise ValueError("concurrency_per_host and max_parallel_hosts must be at least 1")


@dataclass
class CrawlSummary:
    """What one crawl run did. ``failed`` maps a reason (``http_404``, ``timeout``, ``robots``…)
    to a count of URLs that ended this run with it."""

    fetched: int = 0  # URLs fetched to an outcome (any status or error)
    new: int = 0  # pages stored for the first time
    changed: int = 0  # pages stored again with different content
    unchanged: int = 0  # 304, or same content hash
    redirects: int = 0
    duplicates: int = 0  # same content as the page its rel=canonical names
    failed: Counter = field(default_factory=Counter)
    retries: int = 0
    requests: int = 0  # HTTP requests sent, robots.txt and retries included
    queued: int = 0  # left in the frontier for a later run
    elapsed: float = 0.0
    stopped: str = "done"  # done | max_pages | deadline | idle | interrupted
    run_id: int = 0

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    def format(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.failed.items())) or "none"
        return (
            f"crawl {self.stopped} in {self.elapsed:.1f}s: fetched {self.fetched} "
            f"(new {self.new}, changed {self.changed}, unchanged {self.unchanged}, "
            f"redirects {self.redirects}, duplicates {self.duplicates}); "
            f"failed {self.failed_total} ({reasons}); retries {self.retries}; "
            f"requests {self.requests}; left queued {self.queued}"
        )
