"""robots.txt for a run: memory, then the frontier's ``robots`` table (TTL), then a fetch.

Fetched through the politeness slot of its site (robots.txt is a request like any other), with
up to five redirects (RFC 9309), at most 512 KiB.

Failures (5xx, 429, network) follow RFC 9309 §2.3.1.4 and §2.4:

* with no usable copy the origin is disallowed and robots.txt retried after ``retry`` seconds,
  ``max_attempts`` times per run; then the origin waits for a later run;
* with a usable copy that has only gone stale (older than ``ttl``), that copy stays in force
  while the file is unreachable, up to ``max_stale`` (the RFC allows the cache beyond 24 h when
  the file is unreachable; Google keeps it 30 days), and the file is retried the same way. A
  server that answers 503 for an hour must not turn a known "Disallow: /admin" into a full stop.

When a fetched robots.txt differs from the copy it replaces, URLs refused by the old one are
handed to ``on_change`` (the engine queues them again: they are checked against the new rules).
"""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable

from .fetch import Downloader
from .frontier import Frontier
from .politeness import HostSlot
from .reasons import Reason
from .robots import MAX_ROBOTS_BYTES, RobotsRules, rules_from_response
from .urls import try_normalize

__all__ = ["RobotsCache"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})


class RobotsCache:
    def __init__(
        self,
        frontier: Frontier,
        downloader: Downloader,
        *,
        user_agent: str,
        ttl: float,
        retry: float,
        max_attempts: int,
        max_crawl_delay: float,
        max_stale: float = 30 * 24 * 3600.0,
        say: Callable[[str], None] = lambda _text: None,
        on_change: Callable[[str], None] = lambda _origin: None,
    ):
        self.frontier = frontier
        self.downloader = downloader
        self.user_agent = user_agent
        self.ttl = ttl
        self.retry = retry
        self.max_attempts = max_attempts
        self.max_crawl_delay = max_crawl_delay
        self.max_stale = max_stale
        self.say = say
        self.on_change = on_change
        self.good: dict[str, RobotsRules] = {}  # last usable copy (2xx or 4xx) per origin
        self.failed: dict[str, RobotsRules] = {}  # last failure, when no usable copy stands in
        self.attempts: Counter[str] = Counter()
        self.retry_at: dict[str, float] = {}
        self.blocked: set[str] = set()  # origins given up on for this run
        self._loaded: set[str] = set()
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, origin: str, slot: HostSlot) -> tuple[RobotsRules, bool]:
        """The rules in force for ``origin`` and whether robots.txt was fetched just now."""
        if self._needs_fetch(origin, slot):
            async with self._locks.setdefault(origin, asyncio.Lock()):
                if self._needs_fetch(origin, slot):  # another worker may have fetched it meanwhile
                    return await self._fetch(origin, slot), True
        return self._in_force(origin), False

    def _age(self, rules: RobotsRules) -> float:
        return time.time() - rules.fetched_at

    def _good(self, origin: str, slot: HostSlot) -> RobotsRules | None:
        """The last usable copy: memory, else the frontier's table (read once per run)."""
        if origin not in self._loaded:
            self._loaded.add(origin)
            stored = self.frontier.load_robots(origin)
            if stored is not None and stored["status"] is not None:
                rules = rules_from_response(origin, stored["status"], stored["body"] or b"",
                                            stored["content_type"] or "", stored["error"] or "")
                if not rules.unavailable:  # data dirs from before failures were kept apart
                    rules.fetched_at = stored["fetched_at"]
                    self.good[origin] = rules
                    self._apply_crawl_delay(origin, rules, slot)
        return self.good.get(origin)

    def _needs_fetch(self, origin: str, slot: HostSlot) -> bool:
        good = self._good(origin, slot)
        if good is not None and self._age(good) < self.ttl:
            return False
        if origin in self.blocked or self.attempts[origin] >= self.max_attempts:
            return False
        return time.time() >= self.retry_at.get(origin, 0.0)

    def _in_force(self, origin: str) -> RobotsRules:
        good = self.good.get(origin)
        if good is not None and self._age(good) < max(self.ttl, self.max_stale):
            return good
        return self.failed.get(origin) or RobotsRules(origin, None, error=Reason.UNAVAILABLE)

    async def _fetch(self, origin: str, slot: HostSlot) -> RobotsRules:
        await slot.turn()
        url = origin + "/robots.txt"
        res = await self.downloader.fetch(url, max_bytes=MAX_ROBOTS_BYTES, truncate=True, any_type=True)
        for _ in range(5):
            target = try_normalize(res.location, url) if res.location else None
            if res.status not in REDIRECTS or target is None:
                break
            url = target
            res = await self.downloader.fetch(url, max_bytes=MAX_ROBOTS_BYTES, truncate=True,
                                              any_type=True)
        status = None if res.error else res.status
        rules = rules_from_response(origin, status, res.body, res.content_type, res.error or "")
        self._apply_crawl_delay(origin, rules, slot)  # before done(): it spaces the next request
        slot.done()
        self.frontier.save_robots(origin, status, res.body, res.content_type, rules.error,
                                  rules.fetched_at)
        if rules.unavailable:
            return self._failure(origin, rules)
        previous = self.good.get(origin)
        self.good[origin] = rules
        self.failed.pop(origin, None)
        self.attempts.pop(origin, None)
        self.retry_at.pop(origin, None)
        if previous is not None and (previous.status, previous.text) != (rules.status, rules.text):
            self.on_change(origin)
        return rules

    def _failure(self, origin: str, rules: RobotsRules) -> RobotsRules:
        self.attempts[origin] += 1
        self.retry_at[origin] = time.time() + self.retry
        good = self.good.get(origin)
        if good is not None and self._age(good) < self.max_stale:
            self.say(f"[crawl] {origin}: robots.txt unavailable ({rules.error}); the copy of "
                     f"{self._age(good) / 3600:.1f} h ago stays in force")
            return good
        self.failed[origin] = rules
        if self.attempts[origin] >= self.max_attempts:
            self.blocked.add(origin)
            self.say(f"[crawl] {origin}: robots.txt unavailable ({rules.error}) after "
                     f"{self.attempts[origin]} tries; its URLs wait for a later run")
        return rules

    def retry_time(self, origin: str) -> float:
        return self.retry_at.get(origin, time.time() + self.retry)

    def _apply_crawl_delay(self, origin: str, rules: RobotsRules, slot: HostSlot) -> None:
        asked = rules.crawl_delay(self.user_agent)
        if asked is None:
            return
        delay = min(asked, self.max_crawl_delay)
        if delay <= slot.crawl_delay:
            return
        if asked > delay:
            self.say(f"[crawl] {origin}: Crawl-delay {asked:g}s capped at {delay:g}s")
        slot.crawl_delay = delay
