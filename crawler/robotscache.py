"""robots.txt for a run: memory, then the frontier's ``robots`` table (TTL), then a fetch.

Fetched through the politeness slot of its site (robots.txt is a request like any other), with
up to five redirects (RFC 9309), at most 512 KiB. Unavailable files (5xx, 429, network) disallow
the origin and are retried after ``retry`` seconds, ``max_attempts`` times per run; then the
origin is blocked until a later run.
"""
from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Callable

from .fetch import Downloader
from .frontier import Frontier
from .politeness import HostSlot
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
        say: Callable[[str], None] = lambda _text: None,
    ):
        self.frontier = frontier
        self.downloader = downloader
        self.user_agent = user_agent
        self.ttl = ttl
        self.retry = retry
        self.max_attempts = max_attempts
        self.max_crawl_delay = max_crawl_delay
        self.say = say
        self.rules: dict[str, RobotsRules] = {}
        self.attempts: Counter[str] = Counter()
        self.retry_at: dict[str, float] = {}
        self.blocked: set[str] = set()  # origins given up on for this run
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, origin: str, slot: HostSlot) -> tuple[RobotsRules, bool]:
        """The rules for ``origin`` and whether robots.txt was fetched just now."""
        rules = self._cached(origin, slot)
        if not self._needs_fetch(origin, rules):
            assert rules is not None
            return rules, False
        async with self._locks.setdefault(origin, asyncio.Lock()):
            rules = self._cached(origin, slot)  # another worker may have fetched it meanwhile
            if not self._needs_fetch(origin, rules):
                assert rules is not None
                return rules, False
            return await self._fetch(origin, slot), True

    def _needs_fetch(self, origin: str, rules: RobotsRules | None) -> bool:
        if rules is None:
            return True
        return rules.unavailable and origin not in self.blocked and time.time() >= self.retry_at.get(origin, 0)

    def _cached(self, origin: str, slot: HostSlot) -> RobotsRules | None:
        rules = self.rules.get(origin)
        if rules is not None:
            fresh = time.time() - rules.fetched_at < self.ttl
            return rules if fresh or rules.unavailable else None
        stored = self.frontier.load_robots(origin)
        if stored is None or time.time() - stored["fetched_at"] >= self.ttl:
            return None
        rules = rules_from_response(origin, stored["status"], stored["body"] or b"",
                                    stored["content_type"] or "", stored["error"] or "")
        if rules.unavailable:
            return None  # a failure stored by an earlier run is retried now
        rules.fetched_at = stored["fetched_at"]
        self.rules[origin] = rules
        self._apply_crawl_delay(origin, rules, slot)
        return rules

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
        self.rules[origin] = rules
        if rules.unavailable:
            self.attempts[origin] += 1
            self.retry_at[origin] = time.time() + self.retry
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
