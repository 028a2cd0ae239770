"""Politeness slots: one per server, holding the next allowed request time.

The wait between two requests to a server is ``max(delay, min(Crawl-delay, cap), Retry-After,
backoff)`` counted from the end of one response, so a slow server is not asked again sooner than
a fast one. Errors only ever lengthen it (scrapy PR #3061 is the counter-example).

A slot is keyed by the address its sites resolve to (crawler.netguard.slot_key), not by name:
many ward and district portals are virtual hosts on one provincial server, and a name-keyed
crawler would hit that server once per portal in parallel. Sites that cannot be resolved (or
when the crawl routes requests through its own transport) get a slot of their own.
"""
from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from .netguard import AddressPolicy, Resolver, slot_key

__all__ = ["HostSlot", "Slots", "backoff_delay"]


def backoff_delay(base: float, cap: float, attempt: int) -> float:
    """Exponential backoff with ±50 % jitter: ``base·2^(attempt-1)``, capped before jitter."""
    return min(base * (2 ** max(attempt - 1, 0)), cap) * random.uniform(0.5, 1.5)


class HostSlot:
    """Politeness state of one server during a run; ``sites`` are the sites it serves."""

    def __init__(self, key: str, delay: float, next_allowed: float = 0.0):
        self.key = key
        self.sites: set[str] = set()
        self.base_delay = delay
        self.crawl_delay = 0.0  # from robots.txt, already capped; the largest of the sites'
        self.next_allowed = next_allowed  # wall-clock time, persisted per site across runs
        self.errors = 0  # consecutive transient failures
        self.workers = 0
        self.parked = False  # too many failures in a row: no more requests this run
        self.lock = asyncio.Lock()

    @property
    def host(self) -> str:  # the name messages use
        return self.key

    @property
    def delay(self) -> float:
        return max(self.base_delay, self.crawl_delay)

    async def turn(self, halt: asyncio.Event | None = None) -> bool:
        """Wait until this server may get a request; reserve the start-to-start spacing.

        False when ``halt`` is set before the turn comes (the crawl is stopping): nothing is
        reserved and the caller gives its URL back.
        """
        async with self.lock:
            wait = self.next_allowed - time.time()
            if wait > 0:
                if halt is None:
                    await asyncio.sleep(wait)
                else:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(halt.wait(), wait)
            if halt is not None and halt.is_set():
                return False
            self.next_allowed = time.time() + self.delay
            return True

    def done(self, extra_wait: float = 0.0) -> None:
        """After a response: the next request waits ``delay``, or longer (Retry-After, backoff)."""
        now = time.time()
        self.next_allowed = max(self.next_allowed, now + self.delay, now + extra_wait)


class Slots:
    """Sites → slots. Resolves a site once per run; refuses sites on forbidden addresses."""

    def __init__(self, delay: float, resolver: Resolver, policy: AddressPolicy,
                 next_allowed: Callable[[str], float]):
        self.delay = delay
        self.resolver = resolver
        self.policy = policy
        self.next_allowed = next_allowed  # persisted next request time of a site
        self.by_key: dict[str, HostSlot] = {}
        self.of_site: dict[str, HostSlot] = {}
        self.refused: dict[str, str] = {}  # site → why

    def get(self, site: str) -> HostSlot | None:
        return self.of_site.get(site)

    def values(self) -> list[HostSlot]:
        return list(self.by_key.values())

    async def assign(self, site: str, origin: str | None) -> HostSlot | None:
        """The slot of ``site`` (``origin`` says what to resolve); None when it is refused."""
        slot = self.of_site.get(site)
        if slot is not None or site in self.refused:
            return slot
        parts = urlsplit(origin or f"http://{site}")
        name = parts.hostname or site
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = await self.resolver.resolve(name)
        bad = [a for a in addresses if not self.policy.permits(name, a)]
        if bad:
            self.refused[site] = f"{name} resolves to {bad[0]}"
            return None
        key = slot_key(addresses, port) if addresses else site
        slot = self.by_key.get(key)
        if slot is None:
            slot = self.by_key[key] = HostSlot(key, self.delay)
        slot.sites.add(site)
        slot.next_allowed = max(slot.next_allowed, self.next_allowed(site))
        self.of_site[site] = slot
        return slot
