"""Crawl configuration and the summary a crawl returns."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.sources import Source

from .recrawl import DAY, HOUR, RevisitPolicy
from .robots import DEFAULT_USER_AGENT

if TYPE_CHECKING:
    import httpx

__all__ = ["CrawlConfig", "CrawlSummary"]


@dataclass
class CrawlConfig:
    """Everything a crawl needs. Only ``data_dir`` and some start URL (or source) are required.

    Politeness: the wait between two requests to one server is
    ``max(delay, min(Crawl-delay, max_crawl_delay), Retry-After, backoff)`` (see
    :mod:`crawler.politeness`), counted from the end of one response to the start of the next.
    A server is an address: sites resolving to the same one share its turn (crawler.politeness).
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
    max_file_bytes: int = 50 * 1024 * 1024  # PDF/DOC/DOCX/octet-stream, decoded bytes
    max_redirects: int = 5
    #: Listings are walked to the bottom of their archive (the sitemap and the feed list only the
    #: newest articles): a walk ends on the listing's last page, after ``listing_stale_pages``
    #: pages in a row that showed no link the listing had not shown before (endless listings,
    #: calendar traps, out-of-range pages repeating another), or at ``max_pagination`` pages (ten
    #: years of a busy category at 20 a page). ``deep_listings=False`` restores the first rule
    #: (the next page only when this one brought a URL new to the crawl), kept as the baseline
    #: of bench/archive_reach.py.
    deep_listings: bool = True
    max_pagination: int = 5000
    listing_stale_pages: int = 3
    #: pages 1..N of a listing are revisited like hubs (new articles land there); deeper pages
    #: like articles
    fresh_listing_pages: int = 3
    max_sitemap_nesting: int = 3

    # robots.txt
    robots_ttl: float = 24 * 3600.0
    robots_retry: float = 300.0  # after 5xx/unreachable, RFC 9309 "disallow and retry later"
    robots_max_attempts: int = 3  # per origin and run; then the origin waits for the next run
    guess_sitemaps: bool = True  # try /sitemap.xml when robots.txt lists none

    robots_max_stale: float = 30 * DAY  # a stale copy stays in force while robots.txt fails

    # recrawl (crawler.recrawl): done URLs become due again after an adaptive interval that
    # starts here, grows ×revisit_grow when a visit finds the page unchanged, shrinks
    # ×revisit_shrink when changed, clamped to [min_revisit, max_revisit] (hubs: hub_max_revisit)
    revisit_after: float = 7 * DAY  # articles and documents; 0 revisits everything next run
    hub_revisit_after: float = HOUR  # start URLs, listings, feeds, sitemaps
    min_revisit: float = HOUR
    max_revisit: float = 90 * DAY
    hub_max_revisit: float = DAY
    revisit_grow: float = 1.4
    revisit_shrink: float = 0.8
    gone_after_404: int = 3  # 404s (or soft 404s) in a row before a stored page counts as gone
    recheck_404_after: float = DAY  # between those confirmations
    #: end the run when nothing is due sooner than this; longer waits (robots.txt retries,
    #: long Retry-After) are left to the next run
    max_idle: float = 60.0

    lease_seconds: float = 600.0
    stop_grace: float = 10.0  # on SIGTERM, in-flight pages get this long to finish

    # addresses (crawler.netguard)
    #: contact private/loopback addresses even for names (else only IP literals listed in the
    #: allowed hosts, e.g. ``127.0.0.1:8000``, may be internal)
    allow_private_addresses: bool = False
    #: static name → address table consulted before DNS, like /etc/hosts (tests, odd setups)
    hosts: dict[str, str] = field(default_factory=dict)
    durable: bool = True  # fsync WARC records (grouped, ≤0.5 s apart) before marking them done
    trust_env: bool = False  # honour HTTP(S)_PROXY and friends
    #: test seam: route requests (e.g. named hosts to loopback servers)
    transport: httpx.AsyncBaseTransport | None = None
    #: test seam: called with the URL after its WARC record is flushed, before it is marked done
    on_record_written: Callable[[str], None] | None = None

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        if self.delay < 0 or self.max_depth < 0:
            raise ValueError("delay and max_depth must not be negative")
        if self.concurrency_per_host < 1 or self.max_parallel_hosts < 1:
            raise ValueError("concurrency_per_host and max_parallel_hosts must be at least 1")
        if self.gone_after_404 < 1:
            raise ValueError("gone_after_404 must be at least 1")

    def revisit_policy(self) -> RevisitPolicy:
        return RevisitPolicy(
            page_initial=self.revisit_after, hub_initial=self.hub_revisit_after,
            min_interval=self.min_revisit, page_max=self.max_revisit, hub_max=self.hub_max_revisit,
            grow=self.revisit_grow, shrink=self.revisit_shrink,
            recheck_404=self.recheck_404_after, gone_after_404=self.gone_after_404,
        )


@dataclass
class CrawlSummary:
    """What one crawl run did. ``failed`` maps a reason (``http_404``, ``timeout``, ``robots``…)
    to a count of URLs that ended this run with it."""

    fetched: int = 0  # URLs fetched to an outcome (any status or error)
    new: int = 0  # pages stored for the first time
    changed: int = 0  # pages stored again with different content
    unchanged: int = 0  # 304, or same content hash
    gone: int = 0  # stored pages retired (410, confirmed 404): corpus.rawstore.iter_gone
    skipped: int = 0  # revisits skipped: the sitemap says not modified since the last fetch
    redirects: int = 0
    duplicates: int = 0  # same content as the page its rel=canonical names
    failed: Counter = field(default_factory=Counter)
    retries: int = 0
    requests: int = 0  # HTTP requests sent, robots.txt and retries included
    queued: int = 0  # left in the frontier for a later run
    listings_ended: int = 0  # listing walks ended by the stop rule (nothing new for a few pages)
    listings_capped: int = 0  # listing walks that reached max_pagination
    rechecked: int = 0  # stored pages queued again because a sitemap or feed stopped listing them
    elapsed: float = 0.0
    stopped: str = "done"  # done | max_pages | deadline | idle | interrupted | disk_full
    run_id: int = 0

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    def format(self) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.failed.items())) or "none"
        return (
            f"crawl {self.stopped} in {self.elapsed:.1f}s: fetched {self.fetched} "
            f"(new {self.new}, changed {self.changed}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, "
            f"redirects {self.redirects}, duplicates {self.duplicates}, gone {self.gone}); "
            f"failed {self.failed_total} ({reasons}); retries {self.retries}; "
            f"requests {self.requests}; left queued {self.queued}; listings ended "
            f"{self.listings_ended} (capped {self.listings_capped}); unlisted pages rechecked "
            f"{self.rechecked}"
        )
