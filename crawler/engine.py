"""The scheduler loop: Scrapy's engine/scheduler split, with one politeness slot per server.

``_dispatch`` starts a worker per server (a slot: the address its sites resolve to, see
crawler.politeness) that has a due URL, up to ``max_parallel_hosts`` servers in parallel; a
worker leases its sites' URLs one at a time from the SQLite frontier, checks robots.txt, waits
its turn, downloads (crawler.fetch), and hands the response to crawler.outcomes, which records
it: store, redirect, retry later, or fail with a reason. The engine keeps the bookkeeping of its
leases (page budget, open rows, progress) and schedules; it decides no outcome itself.

Politeness per server: ``max(delay, min(Crawl-delay, cap), Retry-After, backoff)`` from the end
of one response to the start of the next; errors and site-wide soft failures (maintenance pages,
cookie challenges) only lengthen it.

SIGTERM stops gracefully: no new URL is leased, in-flight pages get ``stop_grace`` seconds to
finish, and whatever is still running then goes back to the queue.
"""
from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import signal
import sqlite3
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any

from corpus.refetch import clear_refetch, pending_refetch

from .config import CrawlConfig, CrawlSummary
from .discover import GUESSED_SITEMAPS, Discovery, discover
from .fetch import Downloader, FetchLimits, FetchResult
from .frontier import Frontier, UrlRow
from .netguard import AddressPolicy, GuardedBackend, Resolver
from .outcomes import Outcomes
from .politeness import HostSlot, Slots, backoff_delay
from .reasons import NETWORK_ERRORS, SITE_WIDE, Reason
from .robots import RobotsRules
from .robotscache import RobotsCache
from .scope import Scope
from .urls import try_normalize
from .warcwriter import WarcWriter, record_complete, truncate_partial

__all__ = ["CrawlerBusy", "Engine", "crawl", "crawl_async"]

log = logging.getLogger("crawler")

WORKER_SLACK = 2.0  # a worker idles at most this long for its site's next turn, then yields


class CrawlerBusy(RuntimeError):
    """Another crawl holds the data directory."""


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
        self.spent = 0
        self._stopping: str | None = None
        self._signals = 0
        self._wake: asyncio.Event | None = None
        self._halt: asyncio.Event | None = None  # set when the run stops: turns are not waited
        self._lock_fh: Any = None
        self.frontier: Frontier | None = None
        self.writer: WarcWriter | None = None
        self.outcomes: Outcomes | None = None
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
            self.writer = WarcWriter(self.data_dir, durable=False,  # fsyncs grouped: Outcomes.sync()
                                     user_agent=self.cfg.user_agent)
            self.outcomes = Outcomes(
                self.cfg, self.scope, self.policy, self.frontier, self.writer, self.summary,
                closed=self._closed, release=self._retry_later, wake=self._wake_up,
            )
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
        self._wake_up()

    def _shutdown(self) -> None:
        if self.outcomes is not None:
            self.outcomes.sync(force=True)
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
            self.summary.listings_ended = self.frontier.listings_ended
            self.summary.listings_capped = self.frontier.listings_capped
            self.summary.rechecked = self.frontier.unlisted_rechecked
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
        assert self.frontier is not None and self.outcomes is not None and self._wake is not None
        tasks: set[asyncio.Task[None]] = set()
        deadline = self.started + self.cfg.deadline if self.cfg.deadline else None
        try:
            while True:
                tasks = {t for t in tasks if not t.done()}
                now = time.time()
                self.outcomes.sync()
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
        assert self.outcomes is not None
        n = self.outcomes.fail_site(site)
        if n:
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
        assert self.frontier is not None and self.outcomes is not None
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
                    if _disk_full(exc):
                        self._out_of_space(row, exc)
                        return
                    log.error("internal error on %s: %s", row.url, exc)
                    traceback.print_exc(file=sys.stderr)
                    self.outcomes.fail(row, Reason.INTERNAL_ERROR)
        finally:
            slot.workers -= 1
            self._wake_up()

    def _out_of_space(self, row: UrlRow, exc: Exception) -> None:
        """The disk is full: stop the crawl, store nothing more. The row stays in flight with
        its staged outcome, so the next start cuts its partial WARC record and queues it
        again (crawler.frontier's recovery), as after a crash: nothing stored is lost."""
        self._open.discard(row.id)
        self.spent -= 1
        where = getattr(exc, "filename", None) or self.data_dir
        self._say(f"[crawl] disk full writing {where}: stopping; nothing stored is lost, "
                  "the next run resumes ({exc})")
        self._stop("disk_full")

    # ------------------------------------------------------------------ closing rows
    def _release(self, row: UrlRow, due_at: float = 0.0, *, refund: bool = True,
                 refund_attempt: bool = True) -> None:
        assert self.frontier is not None
        self.frontier.release(row.id, due_at, refund_attempt=refund_attempt)
        self._open.discard(row.id)
        if refund:
            self.spent -= 1

    def _closed(self, row: UrlRow, fetched: bool = True) -> None:
        """A leased row is settled (Outcomes reports it): its lease, page budget and progress."""
        self._open.discard(row.id)
        if not fetched:  # no page fetched (robots refusal, same page respelled): no budget spent
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

    def _retry_later(self, row: UrlRow, due_at: float) -> None:
        """A retry: back to the queue with its page budget refunded and its attempt counted."""
        self._release(row, due_at, refund_attempt=False)

    def _wake_up(self) -> None:
        if self._wake is not None:
            self._wake.set()

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
        if added:
            self._wake_up()
        return added

    def _robots_changed(self, org: str) -> None:
        """robots.txt of ``org`` changed: URLs the old one refused are checked again."""
        assert self.frontier is not None
        n = self.frontier.requeue_robots_blocked(org)
        if n:
            self._say(f"[crawl] {org}: robots.txt changed; {n} refused URL(s) checked again")
            self._wake_up()

    # ------------------------------------------------------------------ one URL
    async def _process(self, row: UrlRow, slot: HostSlot) -> None:
        assert self.downloader is not None and self.outcomes is not None
        rules = await self._robots(row, slot)
        if rules is None:
            return
        if not rules.allowed(row.url, self.cfg.user_agent):
            self.outcomes.fail(row, Reason.ROBOTS, fetched=False)
            return
        if not await slot.turn(self._halt):  # stopping: the URL goes back untouched
            self._release(row)
            return
        res = await self.downloader.fetch(row.url, etag=row.etag, last_modified=row.last_modified)
        found, soft = self._inspect(row, res)
        self._politeness_after(row, slot, res, soft)
        self.outcomes.handle(row, res, found, soft)

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
        site_soft = soft in SITE_WIDE  # maintenance, challenge, block page: the whole site
        transient = (res.error in NETWORK_ERRORS or (res.status or 0) >= 500
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


def _disk_full(exc: BaseException) -> bool:
    """ENOSPC from a file write, or SQLite's own "database or disk is full"."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(exc, sqlite3.OperationalError) and "disk is full" in str(exc)


async def crawl_async(config: CrawlConfig) -> CrawlSummary:
    """Run one crawl in the current event loop."""
    return await Engine(config).run()


def crawl(config: CrawlConfig) -> CrawlSummary:
    """Run one crawl to completion (or its page limit or deadline) and return its summary.

    Re-running on the same ``data_dir`` resumes: queued URLs are fetched, done ones only when their
    revisit interval has passed (then with conditional GET).
    """
    return asyncio.run(crawl_async(config))
