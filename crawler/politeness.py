"""Per-site politeness: one slot per ``site_key`` holding the next allowed request time.

The wait between two requests to a site is ``max(delay, min(Crawl-delay, cap), Retry-After,
backoff)`` counted from the end of one response (shared/notes/crawler.md §1.6). Errors only ever
lengthen it (scrapy PR #3061 is the counter-example).
"""
from __future__ import annotations

import asyncio
import random
import time

__all__ = ["HostSlot", "backoff_delay"]


def backoff_delay(base: float, cap: float, attempt: int) -> float:
    """Exponential backoff with ±50 % jitter: ``base·2^(attempt-1)``, capped before jitter."""
    return min(base * (2 ** max(attempt - 1, 0)), cap) * random.uniform(0.5, 1.5)


class HostSlot:
    """Politeness state of one site during a run."""

    def __init__(self, host: str, delay: float, next_allowed: float = 0.0):
        self.host = host
        self.base_delay = delay
        self.crawl_delay = 0.0  # from robots.txt, already capped
        self.next_allowed = next_allowed  # wall-clock time, persisted across runs
        self.errors = 0  # consecutive transient failures
        self.workers = 0
        self.parked = False  # too many failures in a row: no more requests this run
        self.lock = asyncio.Lock()

    @property
    def delay(self) -> float:
        return max(self.base_delay, self.crawl_delay)

    async def turn(self) -> None:
        """Wait until this site may get a request; reserve the start-to-start spacing."""
        async with self.lock:
            wait = self.next_allowed - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self.next_allowed = time.time() + self.delay

    def done(self, extra_wait: float = 0.0) -> None:
        """After a response: the next request waits ``delay``, or longer (Retry-After, backoff)."""
        now = time.time()
        self.next_allowed = max(self.next_allowed, now + self.delay, now + extra_wait)
