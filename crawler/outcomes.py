"""Recording what a fetch came to: store, not modified, redirect, retry later, missing, gone or fail.

The engine (crawler.engine) leases, checks robots.txt, waits its turn and downloads; it hands the
response to :meth:`Outcomes.handle`, which decides by status and records the outcome. Scrapy's
engine only coordinates while retry and redirect live in middlewares; here they live in this one
class, apart from the scheduling, with no reference back to the engine: its bookkeeping (page
budget, open leases, progress, waking the dispatcher) is reached through small callbacks.

An outcome with a WARC record follows the crash-safe sequence (:meth:`Outcomes._write`): links
found go back to the frontier in the same transaction that stages the outcome, then the record is
written, then the row committed (see crawler.frontier for the crash protocol). Recrawl decisions
(adaptive intervals, 404 confirmations, gone pages) follow crawler.recrawl; reasons are
crawler.reasons'.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from corpus.rawstore import HttpExchange, iso_date, new_record_id

from .config import CrawlConfig, CrawlSummary
from .discover import Discovery
from .fetch import FetchResult
from .frontier import HUB_KINDS, LISTING_KINDS, Frontier, ListingStep, NewUrl, UrlRow, link_hash
from .politeness import backoff_delay
from .reasons import NETWORK_ERRORS, Reason
from .recrawl import RevisitPolicy
from .scope import PRIORITY, Scope
from .urls import origin, site_key, try_normalize, url_key
from .warcwriter import WarcWriter, warc_payload_digest

__all__ = ["REDIRECT_STATUSES", "Outcomes"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: a durable crawl fsyncs its WARC records in groups: this often, or this many records
SYNC_SECONDS = 0.5
SYNC_RECORDS = 64


class Outcomes:
    """Records outcomes in the frontier, the WARC files and the run summary.

    ``closed(row, fetched)`` is called once a leased row is settled: ``fetched`` counts it as a
    page fetched, otherwise its page budget is refunded (robots refusal, a redirect to the same
    page under another spelling). ``release(row, due_at)`` puts a row back in the queue for a
    retry (its attempt stays counted); ``wake()`` tells the dispatcher new work may be due.
    """

    def __init__(self, cfg: CrawlConfig, scope: Scope, policy: RevisitPolicy, frontier: Frontier,
                 writer: WarcWriter, summary: CrawlSummary, *,
                 closed: Callable[[UrlRow, bool], None],
                 release: Callable[[UrlRow, float], None],
                 wake: Callable[[], None]) -> None:
        self.cfg = cfg
        self.scope = scope
        self.policy = policy
        self.frontier = frontier
        self.writer = writer
        self.summary = summary
        self._closed = closed
        self._release = release
        self._wake = wake
        self._unsynced: set[int] = set()  # rows whose record is written, not yet fsynced/committed
        self._unsynced_since = 0.0

    # ------------------------------------------------------------------ by status
    def handle(self, row: UrlRow, res: FetchResult, found: Discovery | None = None,
               soft: str | None = None) -> None:
        """Record the outcome of one download (``found``/``soft``: the 200's one parse)."""
        status = res.status
        if res.error:
            if res.error in NETWORK_ERRORS:
                self._retry_or_fail(row, res.error, self._backoff(row.attempts))
            else:
                self.fail(row, res.error, status=status)
            return
        assert status is not None
        if status == 200:
            if soft == Reason.SOFT_404:
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
            self._retry_or_fail(row, Reason.for_status(status), wait)
        elif status >= 500:
            self._retry_or_fail(row, Reason.for_status(status), self._backoff(row.attempts))
        elif status == 410:
            self._gone(row, res, Reason.HTTP_410)
        elif status == 404:
            self._missing(row, res, Reason.HTTP_404)
        else:
            self.fail(row, Reason.for_status(status), status=status)

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(self.cfg.backoff_base, self.cfg.backoff_max, attempt)

    # ------------------------------------------------------------------ failures
    def fail(self, row: UrlRow, reason: str, state: str = "failed", *, fetched: bool = True,
             **updates: Any) -> None:
        """Close the row with ``reason`` (``fetched=False``: no request was made, e.g. robots)."""
        self.frontier.finish(row.id, state, reason=reason, run_id=self.summary.run_id, **updates)
        if not row.guessed:  # a guessed /sitemap.xml that is missing is no failure
            self.summary.failed[str(reason)] += 1
        self._closed(row, fetched)

    def fail_site(self, site: str) -> int:
        """Fail every queued URL of a site on an internal address; returns how many."""
        n = self.frontier.fail_site(site, Reason.PRIVATE_ADDRESS, self.summary.run_id)
        if n:
            self.summary.failed[str(Reason.PRIVATE_ADDRESS)] += n
        return n

    def _retry_or_fail(self, row: UrlRow, reason: str, wait: float) -> None:
        if row.attempts <= self.cfg.max_retries:
            self.summary.retries += 1
            self._release(row, time.time() + wait)
            self._wake()
        else:
            self.fail(row, reason)

    def _missing(self, row: UrlRow, res: FetchResult, reason: str) -> None:
        """404 or soft 404. A stored page is gone only after ``gone_after_404`` of them in a row
        (portals answer 404 during deploys); until then it stays as stored and is rechecked."""
        if not row.stored_at:  # nothing stored, nothing to retire
            self.fail(row, reason, state="gone" if reason == Reason.HTTP_404 else "failed",
                      status=res.status)
            return
        misses = row.misses + 1
        if misses >= self.policy.gone_after_404:
            self._gone(row, res, reason, misses=misses)
            return
        self.frontier.finish(row.id, "done", reason=reason, status=res.status, misses=misses,
                             fetched_at=iso_date(res.fetched_at),
                             fetched_epoch=res.fetched_at.timestamp(), run_id=self.summary.run_id)
        self.summary.failed[str(reason)] += 1
        self._closed(row, True)

    def _gone(self, row: UrlRow, res: FetchResult, reason: str, **updates: Any) -> None:
        """Retire the URL. A stored page gets a WARC record saying so, for the cleaner."""
        if not row.stored_at:
            self.fail(row, reason, state="gone", status=res.status, **updates)
            return
        pending = {**self._common(res), "state": "gone", "reason": reason, **updates}
        self._write(row, res, pending, gone=reason, canonical=row.url)
        self.summary.gone += 1
        self.summary.failed[str(reason)] += 1
        self._closed(row, True)

    # ------------------------------------------------------------------ records
    def _write(self, row: UrlRow, res: FetchResult, pending: dict[str, Any], *,
               links: Sequence[NewUrl] = (), listing: Sequence[NewUrl] = (),
               aliases: Sequence[tuple[str, str, str]] = (), step: ListingStep | None = None,
               listed: tuple[int, Sequence[str]] | None = None, revisit: str | None = None,
               canonical: str | None = None, redirect_to: str | None = None, gone: str | None = None) -> int:
        """Stage → write WARC → commit: the crash-safe sequence (no await inside)."""
        record_id = new_record_id()
        loc = self.writer.tell()
        pending["warc"] = {"file": loc.file, "offset": loc.offset, "record_id": record_id}
        pending.setdefault("run_id", self.summary.run_id)
        added = self.frontier.stage(row.id, pending, links, aliases, listing,
                                    listing_needs_new=row.page_seq > 0, step=step, listed=listed)
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
            self.sync()
        else:
            self.frontier.commit(row.id)
        if added:
            self._wake()
        return added

    def sync(self, force: bool = False) -> None:
        """fsync the WARC, then commit the rows written since (crawler.frontier, step 3).

        Grouped: an fsync per record cost half the crawl's throughput on a plain disk
        (bench/crawl_bench.py), and a process crash loses nothing either way: records are
        flushed at once, and recovery commits written-but-uncommitted rows from the WARC.
        """
        if not self._unsynced:
            return
        if not force and len(self._unsynced) < SYNC_RECORDS and \
                time.monotonic() - self._unsynced_since < SYNC_SECONDS:
            return
        self.writer.fsync()
        self.frontier.commit_many(sorted(self._unsynced))
        self._unsynced.clear()

    def _get(self, key: str) -> UrlRow | None:
        """A frontier row as it stands once written records are committed."""
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

    # ------------------------------------------------------------------ 200: store
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
            pending.update(stored_at=stored_at, payload_digest=warc_payload_digest(res.raw_body))
            if also_done is not None:
                also_done.update(stored_at=stored_at, content_hash=content_hash,
                                 fetched_at=pending["fetched_at"],
                                 fetched_epoch=pending["fetched_epoch"])
                pending["also_done"] = also_done
            listed = None
            if found.doc in ("sitemap", "feed"):
                listed = (row.id, [url_key(link.url) for link in found.links if link.kind == "page"])
            self._write(row, res, pending, links=links, listing=listing, aliases=aliases,
                        step=self._listing_step(row, found), listed=listed, canonical=canonical)
            if row.stored_at:
                self.summary.changed += 1
            else:
                self.summary.new += 1
        self._closed(row, True)

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
        self.frontier.finish(row.id, "done", reason=Reason.DUPLICATE, status=200,
                             canonical_url=canonical, run_id=self.summary.run_id)
        self.summary.duplicates += 1
        self._closed(row, True)

    # ------------------------------------------------------------------ 304
    def _not_modified(self, row: UrlRow, res: FetchResult) -> None:
        pending = {**self._common(res), "state": "done",
                   "etag": res.header("etag") or row.etag,
                   "last_modified": res.header("last-modified") or row.last_modified,
                   "revisit_factor": self._revisit_factor(row, changed=False), "misses": 0}
        self._write(row, res, pending, revisit="server-not-modified",
                    canonical=row.canonical_url or row.url)
        self.summary.unchanged += 1
        self._closed(row, True)

    # ------------------------------------------------------------------ 3xx
    def _redirect(self, row: UrlRow, res: FetchResult) -> None:
        target = try_normalize(res.location, row.url) if res.location else None
        if target is None:
            self.fail(row, Reason.BAD_REDIRECT, status=res.status)
            return
        if row.hops + 1 > self.cfg.max_redirects:
            self.fail(row, Reason.REDIRECT_HOPS, status=res.status, redirect_to=target)
            return
        if not self.scope.allows(target):
            self.fail(row, Reason.REDIRECT_OFFSITE, status=res.status, redirect_to=target)
            return
        alias = [(row.url, target, "redirect")]
        key = url_key(target)
        if key == row.key:
            if target == row.url:
                self.fail(row, Reason.REDIRECT_LOOP, status=res.status)
                return
            # The same page under another spelling (http→https, apex→www): fetch it again there.
            pending = {**self._common(res), "state": "queued", "url": target,
                       "origin": origin(target), "hops": row.hops + 1, "due_at": 0,
                       "redirect_to": None}
            self._write(row, res, pending, aliases=alias, redirect_to=target)
            self.summary.redirects += 1
            self._closed(row, False)  # the page itself is still to come: no page budget spent
            return
        existing = self._get(key)
        if existing is not None and self._leads_to(existing, row.url):
            self.fail(row, Reason.REDIRECT_LOOP, status=res.status, redirect_to=target)
            return
        kind = row.kind if row.kind in HUB_KINDS + LISTING_KINDS else "page"
        new = replace(self.scope.new_url(target, kind=kind, depth=row.depth, page_seq=row.page_seq,
                                         hops=row.hops + 1, discovered_from=row.url,
                                         priority=PRIORITY["redirect"]),
                      chain=row.chain, stale=row.stale)
        pending = {**self._common(res), "state": "done", "redirect_to": target}
        self._write(row, res, pending, links=[new], aliases=alias, redirect_to=target)
        self.summary.redirects += 1
        self._closed(row, True)

    def _leads_to(self, start: UrlRow, url: str) -> bool:
        """True when ``start``'s recorded redirect chain comes back to ``url`` (a loop)."""
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
