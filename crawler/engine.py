"""The scheduler loop: Scrapy's engine/scheduler split, with one politeness slot per server.

``_dispatch`` starts a worker per server (a slot: the address its sites resolve to, see
crawler.politeness) that has a due URL, up to ``max_parallel_hosts`` servers in parallel; a
worker leases its sites' URLs one at a time from the SQLite frontier, checks robots.txt, waits
its turn, downloads (crawler.fetch), and hands the response to ``_handle``: store, redirect,
retry later, or fail with a reason. Links found go back to the frontier in the same transaction
that stages the outcome (see crawler.frontier for the crash protocol).

Politeness per server: ``max(delay, min(Crawl-delay, cap), Retry-After, backoff)`` from the end
of one response to the start of the next; errors and site-wide soft failures (maintenance pages,
cookie challenges) only lengthen it. Recrawl decisions (adaptive intervals, 404 confirmations,
gone pages) follow crawler.recrawl.

SIGTERM stops gracefully: no new URL is leased, in-flight pages get ``stop_grace`` seconds to
finish, and whatever is still running then goes back to the queue.
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import fcntl
import hashlib
import logging
import os
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from corpus.rawstore import (
    HttpExchange,
    WarcWriter,
    iso_date,
    new_record_id,
    record_complete,
    truncate_partial,
)
from corpus.refetch import clear_refetch, pending_refetch
from corpus.softfail import SITE_REASONS

from .config import CrawlConfig, CrawlSummary
from .discover import GUESSED_SITEMAPS, Discovery, discover
from .fetch import Downloader, FetchLimits, FetchResult
from .frontier import HUB_KINDS, LISTING_KINDS, Frontier, ListingStep, NewUrl, UrlRow, link_hash
from .netguard import AddressPolicy, GuardedBackend, Resolver
from .politeness import HostSlot, Slots, backoff_delay
from .robots import RobotsRules
from .robotscache import RobotsCache
from .scope import PRIORITY, Scope
from .urls import origin, site_key, try_normalize, url_key

__all__ = ["CrawlerBusy", "Engine", "crawl", "crawl_async"]

log = logging.getLogger("crawler")

TRANSIENT_ERRORS = frozenset({"timeout", "connect", "network", "truncated"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
WORKER_SLACK = 2.0  # a worker idles at most this long for its site's next turn, then yields
#: a durable crawl fsyncs its WARC records in groups: this often, or this many records
SYNC_SECONDS = 0.5
SYNC_RECORDS = 64


class CrawlerBusy(RuntimeError):
    """Another crawl holds the data directory."""


def _payload_digest(raw: bytes) -> str:
    """WARC-Payload-Digest as warcio writes it (sha1, base32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(raw).digest()).decode("ascii")


class Engine:
    def __init__(self, config: CrawlConfig):
        self.cfg = config
        self.data_dir = Path(config.data_dir)
        self.scope = Scope(config)
        self.policy = config.revisit_policy()
        self.summary = CrawlSummary()
        self.resolver = Resolver(config.hosts, use_dns=config.transport is None,
                                 timeout=config.connect_timeout)
        self.guard = AddressPolicy(config.allow_private_addresses, self.scope.literal_hosts)
        self.slots = Slots(config.delay, self.resolver, self.guard, self._next_allowed)
        self.robots: RobotsCache | None = None
        self._open: set[int] = set()  # leased rows not yet closed
        self._unsynced: set[int] = set()  # rows whose record is written, not yet fsynced/committed
        self._unsynced_since = 0.0
        self.spent = 0
        self._stopping: str | None = None
        self._signals = 0
        self._wake: asyncio.Event | None = None
        self._halt: asyncio.Event | None = None  # set when the run stops: turns are not waited
        self._lock_fh: Any = None
        self.frontier: Frontier | None = None
        self.writer: WarcWriter | None = None
        self.downloader: Downloader | None = None
        self.started = 0.0

    # ------------------------------------------------------------------ setup
    def _lock(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(self.data_dir / "crawl.lock", "a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise CrawlerBusy(f"{self.data_dir}: another crawl is running on this data dir") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._lock_fh = fh

    def _say(self, text: str) -> None:
        if self.cfg.progress:
            print(text, file=sys.stderr, flush=True)

    # ------------------------------------------------------------------ run
    async def run(self) -> CrawlSummary:
        self.started = time.time()
        seeds = self.scope.seeds()
        if not seeds:
            raise ValueError("nothing to crawl: give start_urls or sources")
        self._lock()
        self._wake = asyncio.Event()
        self._halt = asyncio.Event()
        try:
            self.frontier = Frontier(self.data_dir / "crawl.sqlite")
            done, requeued = self.frontier.recover(
                lambda loc: record_complete(self.data_dir, loc),
                lambda loc: truncate_partial(self.data_dir, loc),
            )
            if done or requeued:
                self._say(f"[crawl] resumed: {done} in-flight URL(s) completed from the WARC, "
                          f"{requeued} returned to the queue")
            self.summary.run_id = self.frontier.start_run()
            self.frontier.requeue_due(time.time(), self.policy)
            asked = pending_refetch(self.data_dir)
            if asked:
                n = self.frontier.requeue_urls(asked)
                clear_refetch(self.data_dir)
                self._say(f"[crawl] {n} page(s) the cleaner found were a challenge or "
                          f"maintenance page queued again")
            self.frontier.add(seeds)
            self.writer = WarcWriter(self.data_dir, durable=False,  # fsyncs grouped: _sync()
                                     user_agent=self.cfg.user_agent)
            limits = FetchLimits(
                deadline=self.cfg.fetch_deadline, connect_timeout=self.cfg.connect_timeout,
                read_timeout=self.cfg.read_timeout, max_html_bytes=self.cfg.max_html_bytes,
                max_file_bytes=self.cfg.max_file_bytes,
            )
            backend = None if self.cfg.transport else GuardedBackend(self.resolver, self.guard)
            self.downloader = Downloader(
                self.cfg.user_agent, limits, transport=self.cfg.transport, backend=backend,
                max_connections=max(8, self.cfg.max_parallel_hosts * self.cfg.concurrency_per_host * 2),
                trust_env=self.cfg.trust_env,
            )
            self.robots = RobotsCache(
                self.frontier, self.downloader, user_agent=self.cfg.user_agent,
                ttl=self.cfg.robots_ttl, retry=self.cfg.robots_retry,
                max_attempts=self.cfg.robots_max_attempts, max_crawl_delay=self.cfg.max_crawl_delay,
                max_stale=self.cfg.robots_max_stale, say=self._say, on_change=self._robots_changed,
            )
            self._install_signals()
            try:
                await self._dispatch()
            finally:
                self._remove_signals()
                await self.downloader.aclose()
        finally:
            self._shutdown()
        return self.summary

    def _install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGTERM, self._on_sigterm)

    def _on_sigterm(self) -> None:
        self._signals += 1  # a second SIGTERM cuts the grace period short
        self._say("[crawl] SIGTERM: finishing in-flight pages, then stopping")
        self._stop("interrupted")

    def _remove_signals(self) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGTERM)

    def _stop(self, why: str) -> None:
        if self._stopping is None:
            self._stopping = why
        if self._halt is not None:
            self._halt.set()
        if self._wake is not None:
            self._wake.set()

    def _shutdown(self) -> None:
        if self.frontier is not None and self.writer is not None:
            self._sync(force=True)
        if self.frontier is not None:
            for url_id in list(self._open):  # leases of cancelled workers go back to the queue
                self.frontier.release(url_id)
            self._open.clear()
        if self.writer is not None:
            self.writer.close()
        self.summary.elapsed = time.time() - self.started
        if self.downloader is not None:
            self.summary.requests = self.downloader.requests
        if self.frontier is not None:
            counts = self.frontier.counts()
            self.summary.queued = counts.get("queued", 0) + counts.get("in_flight", 0)
            self.summary.skipped = self.frontier.lastmod_skipped
            data = asdict(self.summary)
            data["failed"] = dict(self.summary.failed)
            self.frontier.finish_run(self.summary.run_id, data)
            self.frontier.close()
        if self._lock_fh is not None:
            self._lock_fh.close()
            self._lock_fh = None
        self._say("[crawl] " + self.summary.format())

    # ------------------------------------------------------------------ dispatcher
    def _next_allowed(self, site: str) -> float:
        assert self.frontier is not None
        return self.frontier.load_host(site)[0]  # errors restart at 0 per run

    @property
    def _blocked_origins(self) -> set[str]:
        return self.robots.blocked if self.robots is not None else set()

    def _budget_left(self) -> float:
        if self.cfg.max_pages is None:
            return float("inf")
        return self.cfg.max_pages - self.spent

    async def _dispatch(self) -> None:
        assert self.frontier is not None and self._wake is not None
        tasks: set[asyncio.Task[None]] = set()
        deadline = self.started + self.cfg.deadline if self.cfg.deadline else None
        try:
            while True:
                tasks = {t for t in tasks if not t.done()}
                now = time.time()
                self._sync()
                if deadline is not None and now >= deadline:
                    self._stop("deadline")
                if self._stopping:
                    break
                if self._budget_left() <= 0:
                    if not tasks:
                        self._stopping = "max_pages"
                        break
                else:
                    await self._launch(tasks, now)
                if not tasks:
                    wait = self._idle_wait(now, deadline)
                    if wait is None:
                        break
                else:
                    wait = 1.0
                if deadline is not None:
                    wait = min(wait, max(0.0, deadline - time.time()))
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=max(wait, 0.001))
            if self._stopping == "interrupted":
                await self._grace(tasks)
        finally:
            for t in tasks:
                t.cancel()
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
        if self._stopping is None:
            self._stopping = "done"
        self.summary.stopped = self._stopping

    async def _grace(self, tasks: set[asyncio.Task[None]]) -> None:
        """Let in-flight pages finish (workers lease nothing new once stopping)."""
        end = time.monotonic() + self.cfg.stop_grace
        pending = {t for t in tasks if not t.done()}
        while pending and time.monotonic() < end and self._signals < 2:
            _done, pending = await asyncio.wait(pending, timeout=min(0.1, max(end - time.monotonic(), 0)))

    def _waiting(self, slot: HostSlot, now: float) -> bool:
        return bool(slot.workers) or slot.parked or slot.next_allowed > now + WORKER_SLACK

    async def _launch(self, tasks: set[asyncio.Task[None]], now: float) -> None:
        assert self.frontier is not None
        room = self.cfg.max_parallel_hosts - sum(1 for s in self.slots.values() if s.workers)
        if room <= 0:
            return
        skip = {site for site, slot in self.slots.of_site.items() if self._waiting(slot, now)}
        for site in self.frontier.ready_hosts(now, self._blocked_origins, skip, limit=room):
            if room <= 0 or self._stopping:
                break
            slot = self.slots.get(site)
            if slot is None:
                slot = await self.slots.assign(site, self.frontier.origin_of(site))
                if slot is None:
                    self._refuse(site)
                    continue
            if self._waiting(slot, time.time()):
                continue
            for _ in range(self.cfg.concurrency_per_host):
                slot.workers += 1
                tasks.add(asyncio.create_task(self._worker(slot), name=f"crawl:{slot.key}"))
            room -= 1

    def _refuse(self, site: str) -> None:
        """A site on an internal address: its URLs fail without a request (crawler.netguard)."""
        assert self.frontier is not None
        n = self.frontier.fail_site(site, "private_address", self.summary.run_id)
        if n:
            self.summary.failed["private_address"] += n
            self._say(f"[crawl] {site}: {self.slots.refused.get(site, 'internal address')}; "
                      f"{n} URL(s) not crawled (allow_private_addresses to allow it)")

    def _idle_wait(self, now: float, deadline: float | None) -> float | None:
        """Seconds until something is due, or None when the run should end."""
        assert self.frontier is not None
        parked = [site for site, slot in self.slots.of_site.items() if slot.parked]
        due = self.frontier.next_due(self._blocked_origins, parked)
        if not due:
            self._stopping = self._stopping or "done"
            return None
        when = min(max(t, slot.next_allowed) if (slot := self.slots.get(h)) else t for h, t in due.items())
        if when - now > self.cfg.max_idle:
            self._stopping = "idle"
            return None
        if deadline is not None and when >= deadline:
            self._stopping = "deadline"
            return None
        return max(0.0, when - now)

    # ------------------------------------------------------------------ worker
    async def _worker(self, slot: HostSlot) -> None:
        assert self.frontier is not None
        try:
            while not self._stopping and self._budget_left() > 0 and not slot.parked:
                if slot.next_allowed - time.time() > WORKER_SLACK:
                    return
                row = self.frontier.lease(sorted(slot.sites), time.time(), self.cfg.lease_seconds,
                                          self._blocked_origins)
                if row is None:
                    return
                self._open.add(row.id)
                self.spent += 1
                try:
                    await self._process(row, slot)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a bug must not kill the crawl or loop on one URL
                    log.error("internal error on %s: %s", row.url, exc)
                    traceback.print_exc(file=sys.stderr)
                    self._fail(row, "internal_error")
        finally:
            slot.workers -= 1
            if self._wake is not None:
                self._wake.set()

    # ------------------------------------------------------------------ closing rows
    def _release(self, row: UrlRow, due_at: float = 0.0, *, refund: bool = True,
                 refund_attempt: bool = True) -> None:
        assert self.frontier is not None
        self.frontier.release(row.id, due_at, refund_attempt=refund_attempt)
        self._open.discard(row.id)
        if refund:
            self.spent -= 1

    def _closed(self, row: UrlRow, fetched: bool = True) -> None:
        self._open.discard(row.id)
        if not fetched:  # closed without a request (robots): costs no page budget
            self.spent -= 1
            return
        self.summary.fetched += 1
        every = max(1, self.cfg.progress_every)
        if self.cfg.progress and self.summary.fetched % every == 0:
            assert self.frontier is not None
            counts = self.frontier.counts()
            s = self.summary
            self._say(
                f"[crawl] {time.time() - self.started:6.1f}s fetched {s.fetched} "
                f"(new {s.new}, unchanged {s.unchanged}) failed {s.failed_total} "
                f"queued {counts.get('queued', 0)} sites {sum(1 for x in self.slots.values() if x.workers)}"
            )

    def _fail(self, row: UrlRow, reason: str, state: str = "failed", *, fetched: bool = True,
              **updates: Any) -> None:
        assert self.frontier is not None
        self.frontier.finish(row.id, state, reason=reason, run_id=self.summary.run_id, **updates)
        if not row.guessed:  # a guessed /sitemap.xml that is missing is no failure
            self.summary.failed[reason] += 1
        self._closed(row, fetched)

    # ------------------------------------------------------------------ robots
    async def _robots(self, row: UrlRow, slot: HostSlot) -> RobotsRules | None:
        """The rules for ``row``'s origin, fetching robots.txt first if needed.

        None means the row was put back: robots.txt is unavailable (retry later), or it has just
        named sitemaps, which go first (discovery order: sitemaps and feeds, then links).
        """
        assert self.frontier is not None and self.robots is not None
        rules, fresh = await self.robots.get(row.origin, slot)
        if rules.unavailable:
            retry_at = self.robots.retry_time(row.origin)
            self._release(row, retry_at)
            self.frontier.defer_origin(row.origin, retry_at)
            return None
        if fresh and self._add_sitemaps(row.origin, rules) and row.kind not in ("sitemap", "feed"):
            self._release(row)
            return None
        return rules

    def _add_sitemaps(self, org: str, rules: RobotsRules) -> int:
        """Queue the robots.txt ``Sitemap:`` lines, or a guessed /sitemap.xml; returns how many."""
        assert self.frontier is not None
        robots_url = org + "/robots.txt"
        urls = [try_normalize(u) for u in rules.sitemaps]
        found = [self.scope.new_url(u, kind="sitemap", discovered_from=robots_url)
                 for u in urls if u and self.scope.allows(u)]
        if not found and self.cfg.guess_sitemaps:
            found = [self.scope.new_url(org + path, kind="sitemap", guessed=True, discovered_from=robots_url)
                     for path in GUESSED_SITEMAPS]
        added = self.frontier.add(found) if found else 0
        if added and self._wake is not None:
            self._wake.set()
        return added

    def _robots_changed(self, org: str) -> None:
        """robots.txt of ``org`` changed: URLs the old one refused are checked again."""
        assert self.frontier is not None
        n = self.frontier.requeue_robots_blocked(org)
        if n:
            self._say(f"[crawl] {org}: robots.txt changed; {n} refused URL(s) checked again")
            if self._wake is not None:
                self._wake.set()

    # ------------------------------------------------------------------ one URL
    async def _process(self, row: UrlRow, slot: HostSlot) -> None:
        assert self.downloader is not None
        rules = await self._robots(row, slot)
        if rules is None:
            return
        if not rules.allowed(row.url, self.cfg.user_agent):
            self._fail(row, "robots", fetched=False)
            return
        if not await slot.turn(self._halt):  # stopping: the URL goes back untouched
            self._release(row)
            return
        res = await self.downloader.fetch(row.url, etag=row.etag, last_modified=row.last_modified)
        found, soft = self._inspect(row, res)
        self._politeness_after(row, slot, res, soft)
        self._handle(row, res, found, soft)

    def _inspect(self, row: UrlRow, res: FetchResult) -> tuple[Discovery | None, str | None]:
        """Parse a 200 once: what it links to, and whether it is a soft failure."""
        if res.error or res.status != 200:
            return None, None
        found = discover(res.body, row.url, res.kind, res.header("content-type") or "")
        return found, found.soft

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(self.cfg.backoff_base, self.cfg.backoff_max, attempt)

    def _politeness_after(self, row: UrlRow, slot: HostSlot, res: FetchResult,
                          soft: str | None = None) -> None:
        assert self.frontier is not None
        extra = 0.0
        site_soft = soft in SITE_REASONS  # maintenance, challenge, block page: the whole site
        transient = (res.error in TRANSIENT_ERRORS or (res.status or 0) >= 500
                     or res.status == 429 or site_soft)
        if res.status in (429, 503):
            ra = res.retry_after
            extra = min(ra, self.cfg.max_retry_after) if ra is not None else self._backoff(row.attempts)
        elif site_soft:
            extra = self._backoff(max(row.attempts, slot.errors + 1))
        elif transient:
            extra = self._backoff(row.attempts)
        slot.errors = slot.errors + 1 if transient else 0
        slot.done(extra)
        self.frontier.save_host(row.host, slot.next_allowed, slot.errors)
        if slot.errors >= self.cfg.max_host_errors and not slot.parked:
            slot.parked = True
            self._say(f"[crawl] {slot.key}: {slot.errors} failures in a row; parked for this run")

    def _handle(self, row: UrlRow, res: FetchResult, found: Discovery | None = None,
                soft: str | None = None) -> None:
        status = res.status
        if res.error:
            if res.error in TRANSIENT_ERRORS:
                self._retry_or_fail(row, res.error, self._backoff(row.attempts))
            else:
                self._fail(row, res.error, status=status)
            return
        assert status is not None
        if status == 200:
            if soft == "soft_404":
                self._missing(row, res, soft)
            elif soft:  # maintenance, challenge, block: the site backs off, the URL is retried
                self._retry_or_fail(row, soft, self._backoff(row.attempts))
            else:
                assert found is not None
                self._store(row, res, found)
        elif status == 304 and (row.etag or row.last_modified) and row.stored_at:
            self._not_modified(row, res)
        elif status in REDIRECT_STATUSES:
            self._redirect(row, res)
        elif status in (429, 503):
            ra = res.retry_after
            wait = min(ra, self.cfg.max_retry_after) if ra is not None else self._backoff(row.attempts)
            self._retry_or_fail(row, f"http_{status}", wait)
        elif status >= 500:
            self._retry_or_fail(row, f"http_{status}", self._backoff(row.attempts))
        elif status == 410:
            self._gone(row, res, "http_410")
        elif status == 404:
            self._missing(row, res, "http_404")
        else:
            self._fail(row, f"http_{status}", status=status)

    def _missing(self, row: UrlRow, res: FetchResult, reason: str) -> None:
        """404 or soft 404. A stored page is gone only after ``gone_after_404`` of them in a row
        (portals answer 404 during deploys); until then it stays as stored and is rechecked."""
        assert self.frontier is not None
        if not row.stored_at:  # nothing stored, nothing to retire
            self._fail(row, reason, state="gone" if reason == "http_404" else "failed", status=res.status)
            return
        misses = row.misses + 1
        if misses >= self.policy.gone_after_404:
            self._gone(row, res, reason, misses=misses)
            return
        self.frontier.finish(row.id, "done", reason=reason, status=res.status, misses=misses,
                             fetched_at=iso_date(res.fetched_at),
                             fetched_epoch=res.fetched_at.timestamp(), run_id=self.summary.run_id)
        self.summary.failed[reason] += 1
        self._closed(row)

    def _gone(self, row: UrlRow, res: FetchResult, reason: str, **updates: Any) -> None:
        """Retire the URL. A stored page gets a WARC record saying so, for the cleaner."""
        if not row.stored_at:
            self._fail(row, reason, state="gone", status=res.status, **updates)
            return
        pending = {**self._common(res), "state": "gone", "reason": reason, **updates}
        self._write(row, res, pending, gone=reason, canonical=row.url)
        self.summary.gone += 1
        self.summary.failed[reason] += 1
        self._closed(row)

    def _retry_or_fail(self, row: UrlRow, reason: str, wait: float) -> None:
        if row.attempts <= self.cfg.max_retries:
            self.summary.retries += 1
            self._release(row, time.time() + wait, refund_attempt=False)
            if self._wake is not None:
                self._wake.set()
        else:
            self._fail(row, reason)

    # ------------------------------------------------------------------ outcomes with records
    def _write(self, row: UrlRow, res: FetchResult, pending: dict[str, Any], *,
               links: Sequence[NewUrl] = (), listing: Sequence[NewUrl] = (),
               aliases: Sequence[tuple[str, str, str]] = (), step: ListingStep | None = None,
               revisit: str | None = None, canonical: str | None = None,
               redirect_to: str | None = None, gone: str | None = None) -> int:
        """Stage → write WARC → commit: the crash-safe sequence (no await inside)."""
        assert self.frontier is not None and self.writer is not None
        record_id = new_record_id()
        loc = self.writer.tell()
        pending["warc"] = {"file": loc.file, "offset": loc.offset, "record_id": record_id}
        pending.setdefault("run_id", self.summary.run_id)
        added = self.frontier.stage(row.id, pending, links, aliases, listing,
                                    listing_needs_new=row.page_seq > 0, step=step)
        ex: HttpExchange = res.exchange()
        if revisit:
            self.writer.write_revisit(
                ex, profile=revisit, refers_to_uri=row.canonical_url or row.url,
                refers_to_date=row.stored_at, payload_digest=row.payload_digest,
                canonical_url=canonical, source=row.source, record_id=record_id,
            )
        else:
            known = [] if gone else self.frontier.aliases_of(canonical or row.url)
            self.writer.write_response(ex, canonical_url=canonical, source=row.source,
                                       aliases=known, redirect_to=redirect_to, record_id=record_id,
                                       gone=gone)
        if self.cfg.on_record_written is not None:
            self.cfg.on_record_written(row.url)
        if self.cfg.durable:
            if not self._unsynced:
                self._unsynced_since = time.monotonic()
            self._unsynced.add(row.id)
            self._sync()
        else:
            self.frontier.commit(row.id)
        if added and self._wake is not None:
            self._wake.set()
        return added

    def _sync(self, force: bool = False) -> None:
        """fsync the WARC, then commit the rows written since (crawler.frontier, step 3).

        Grouped: an fsync per record cost half the crawl's throughput on a plain disk
        (bench/crawl_bench.py), and a process crash loses nothing either way: records are
        flushed at once, and recovery commits written-but-uncommitted rows from the WARC.
        """
        if not self._unsynced or self.writer is None or self.frontier is None:
            return
        if not force and len(self._unsynced) < SYNC_RECORDS and \
                time.monotonic() - self._unsynced_since < SYNC_SECONDS:
            return
        self.writer.fsync()
        self.frontier.commit_many(sorted(self._unsynced))
        self._unsynced.clear()

    def _get(self, key: str) -> UrlRow | None:
        """A frontier row as it stands once written records are committed."""
        assert self.frontier is not None
        row = self.frontier.get(key)
        if row is not None and row.id in self._unsynced:
            return self.frontier.with_pending(row)
        return row

    def _common(self, res: FetchResult) -> dict[str, Any]:
        return {
            "reason": None,
            "status": res.status,
            "fetched_at": iso_date(res.fetched_at),
            "fetched_epoch": res.fetched_at.timestamp(),
            "content_type": res.content_type or None,
        }

    def _revisit_factor(self, row: UrlRow, changed: bool) -> float:
        if not row.stored_at:  # first visit: the kind's initial interval
            return row.revisit_factor
        return self.policy.next_factor(row.hub, row.revisit_factor, changed)

    def _store(self, row: UrlRow, res: FetchResult, found: Discovery) -> None:
        content_hash = hashlib.sha256(res.body).hexdigest()
        canonical, also_done, aliases = self._canonical(row, found, content_hash)
        if canonical is None:  # same content already stored under its canonical URL
            return
        unchanged = bool(row.stored_at) and row.content_hash == content_hash
        # "changed" for the revisit interval: the text, not the bytes (counters, clocks, tokens
        # and lying ETags change bytes on every fetch; see crawler.recrawl)
        text_hash = found.fingerprint or content_hash
        changed = row.text_hash != text_hash if row.text_hash else not unchanged
        pending = {
            **self._common(res), "state": "done",
            "etag": res.header("etag"), "last_modified": res.header("last-modified"),
            "content_hash": content_hash, "canonical_url": canonical, "text_hash": text_hash,
            "revisit_factor": self._revisit_factor(row, changed), "misses": 0,
        }
        if found.is_listing and row.kind == "page":  # a category page: revisited like a hub
            pending["kind"] = "listing"
        if unchanged:
            self._write(row, res, pending, revisit="identical-payload-digest", canonical=canonical)
            self.summary.unchanged += 1
        else:
            links, listing = self.scope.links(row, found)
            stored_at = iso_date(res.fetched_at)
            pending.update(stored_at=stored_at, payload_digest=_payload_digest(res.raw_body))
            if also_done is not None:
                also_done.update(stored_at=stored_at, content_hash=content_hash,
                                 fetched_at=pending["fetched_at"],
                                 fetched_epoch=pending["fetched_epoch"])
                pending["also_done"] = also_done
            self._write(row, res, pending, links=links, listing=listing, aliases=aliases,
                        step=self._listing_step(row, found), canonical=canonical)
            if row.stored_at:
                self.summary.changed += 1
            else:
                self.summary.new += 1
        self._closed(row)

    def _listing_step(self, row: UrlRow, found: Discovery) -> ListingStep | None:
        """The stop rule's view of a listing page: which listing it belongs to and the page
        links it shows (see :meth:`crawler.frontier.Frontier.stage`)."""
        if not self.cfg.deep_listings or not (found.is_listing or row.kind in LISTING_KINDS):
            return None
        shown = [link_hash(url_key(link.url)) for link in found.links
                 if link.kind == "page" and self.scope.allows(link.url)]
        return ListingStep(chain=row.chain or row.id, links=shown, stale=row.stale,
                           stale_limit=self.cfg.listing_stale_pages, max_pages=self.cfg.max_pagination)

    def _canonical(self, row: UrlRow, found: Discovery, content_hash: str
                   ) -> tuple[str | None, dict[str, Any] | None, list[tuple[str, str, str]]]:
        """Which URL the page is stored under; None when it duplicates a stored page.

        ``rel=canonical`` is trusted only on the same site, not on listings, and not when it
        names the site root (a common CMS misconfiguration).
        """
        assert self.frontier is not None
        canon = found.canonical
        if (not canon or canon == row.url or found.is_listing or site_key(canon) != site_key(row.url)
                or not self.scope.allows(canon)
                or (canon.rstrip("/").count("/") <= 2 and row.url.rstrip("/").count("/") > 2)):
            return row.url, None, []
        key = url_key(canon)
        if key == row.key:
            return canon, None, [(row.url, canon, "canonical")]
        existing = self._get(key)
        if existing is not None and existing.stored_at:
            if existing.content_hash == content_hash:
                self.frontier.add_alias(row.url, existing.url, "canonical")
                self._fail_quiet_duplicate(row, existing.url)
                return None, None, []
            return row.url, None, []  # different content: the canonical tag is not to be trusted
        if existing is None:
            self.frontier.add([self.scope.new_url(canon, kind="page", depth=row.depth,
                                             discovered_from=row.url)])
        if existing is not None and existing.state == "in_flight":
            return row.url, None, []
        also = {"key": key, "state": "done", "status": 200, "reason": None,
                "canonical_url": canon}
        return canon, also, [(row.url, canon, "canonical")]

    def _fail_quiet_duplicate(self, row: UrlRow, canonical: str) -> None:
        assert self.frontier is not None
        self.frontier.finish(row.id, "done", reason="duplicate", status=200,
                             canonical_url=canonical, run_id=self.summary.run_id)
        self.summary.duplicates += 1
        self._closed(row)

    def _not_modified(self, row: UrlRow, res: FetchResult) -> None:
        pending = {**self._common(res), "state": "done",
                   "etag": res.header("etag") or row.etag,
                   "last_modified": res.header("last-modified") or row.last_modified,
                   "revisit_factor": self._revisit_factor(row, changed=False), "misses": 0}
        self._write(row, res, pending, revisit="server-not-modified",
                    canonical=row.canonical_url or row.url)
        self.summary.unchanged += 1
        self._closed(row)

    def _redirect(self, row: UrlRow, res: FetchResult) -> None:
        assert self.frontier is not None
        target = try_normalize(res.location, row.url) if res.location else None
        if target is None:
            self._fail(row, "bad_redirect", status=res.status)
            return
        if row.hops + 1 > self.cfg.max_redirects:
            self._fail(row, "redirect_hops", status=res.status, redirect_to=target)
            return
        if not self.scope.allows(target):
            self._fail(row, "redirect_offsite", status=res.status, redirect_to=target)
            return
        alias = [(row.url, target, "redirect")]
        key = url_key(target)
        if key == row.key:
            if target == row.url:
                self._fail(row, "redirect_loop", status=res.status)
                return
            # The same page under another spelling (http→https, apex→www): fetch it again there.
            pending = {**self._common(res), "state": "queued", "url": target,
                       "origin": origin(target), "hops": row.hops + 1, "due_at": 0,
                       "redirect_to": None}
            self._write(row, res, pending, aliases=alias, redirect_to=target)
            self.summary.redirects += 1
            self._open.discard(row.id)
            self.spent -= 1  # the page itself is still to come
            return
        existing = self._get(key)
        if existing is not None and self._leads_to(existing, row.url):
            self._fail(row, "redirect_loop", status=res.status, redirect_to=target)
            return
        kind = row.kind if row.kind in HUB_KINDS + LISTING_KINDS else "page"
        new = replace(self.scope.new_url(target, kind=kind, depth=row.depth, page_seq=row.page_seq,
                                         hops=row.hops + 1, discovered_from=row.url,
                                         priority=PRIORITY["redirect"]),
                      chain=row.chain, stale=row.stale)
        pending = {**self._common(res), "state": "done", "redirect_to": target}
        self._write(row, res, pending, links=[new], aliases=alias, redirect_to=target)
        self.summary.redirects += 1
        self._closed(row)

    def _leads_to(self, start: UrlRow, url: str) -> bool:
        """True when ``start``'s recorded redirect chain comes back to ``url`` (a loop)."""
        assert self.frontier is not None
        seen: set[str] = set()
        current: UrlRow | None = start
        for _ in range(self.cfg.max_redirects + 2):
            if current is None or not current.redirect_to or current.url in seen:
                return False
            if current.redirect_to == url:
                return True
            seen.add(current.url)
            current = self._get(url_key(current.redirect_to))
        return False


async def crawl_async(config: CrawlConfig) -> CrawlSummary:
    """Run one crawl in the current event loop."""
    return await Engine(config).run()


def crawl(config: CrawlConfig) -> CrawlSummary:
    """Run one crawl to completion (or its page limit or deadline) and return its summary.

    Re-running on the same ``data_dir`` resumes: queued URLs are fetched, done ones only when their
    revisit interval has passed (then with conditional GET).
    """
    return asyncio.run(crawl_async(config))
