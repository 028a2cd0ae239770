"""Recrawl policy: when a fetched URL is due again, and when a missing page counts as gone.

* **Adaptive intervals** (after Cho and Garcia-Molina, "Effective page refresh policies for web
  crawlers", ACM TODS 28(4), 2003: revisit what changes, not everything alike): each URL keeps a
  factor on its kind's initial interval, ×1.4 after a visit that found it unchanged and ×0.8 after
  one that found it changed, the interval clamped to 1 h–90 d. Listings, feeds and sitemaps
  ("hubs") start at 1 h and stay under a day, since they are how new articles are found; articles
  start at a week and drift towards months once they stop changing, as union news does after its
  first days.
* **"Changed"** is decided on a fingerprint of the visible text with digits masked (see
  :func:`crawler.discover.fingerprint`), not on bytes or ETags: view counters, header clocks and
  per-request tokens change every byte without changing the page, and some servers send a new
  ETag each time. A 304 is the server's own word and counts as unchanged.
* **Sitemap lastmod**: when the sitemap says a page last changed before our last fetch, the page
  waits for its kind's longest interval instead of its adaptive one.
* **404 is not gone at once** for a page we have stored: portals answer 404 during deploys and
  CMS hiccups, and deleting an article from the corpus is costly to undo. It is confirmed
  ``gone_after_404`` times, ``recheck_404`` apart (:data:`crawler.reasons.MISSES`: a 404 or a
  soft 404); a 410 is final at once.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RevisitPolicy"]

HOUR = 3600.0
DAY = 24 * HOUR


@dataclass(frozen=True)
class RevisitPolicy:
    page_initial: float = 7 * DAY
    hub_initial: float = HOUR
    min_interval: float = HOUR
    page_max: float = 90 * DAY
    hub_max: float = DAY
    grow: float = 1.4  # unchanged
    shrink: float = 0.8  # changed
    recheck_404: float = DAY
    gone_after_404: int = 3

    def bounds(self, hub: bool) -> tuple[float, float, float]:
        """``(initial, lowest, highest)`` interval of a kind.

        An initial interval below ``min_interval`` (0 forces a full recrawl) lowers the floor
        with it, so a configured interval is never overridden upwards.
        """
        initial = self.hub_initial if hub else self.page_initial
        lo = min(self.min_interval, initial)
        hi = max(self.hub_max if hub else self.page_max, lo)
        return initial, lo, hi

    def interval(self, hub: bool, factor: float) -> float:
        initial, lo, hi = self.bounds(hub)
        return min(max(initial * factor, lo), hi)

    def next_factor(self, hub: bool, factor: float, changed: bool) -> float:
        """The factor after a visit; kept where the clamped interval stays reachable."""
        factor *= self.shrink if changed else self.grow
        initial, lo, hi = self.bounds(hub)
        if initial > 0:
            factor = min(max(factor, lo / initial), hi / initial)
        return factor
