"""Why a URL failed, was retried or retired: one enumeration, and its groupings defined once.

The values are stored in ``crawl.sqlite`` (``urls.reason``, run summaries) and written into WARC
records (``X-Crawler-Gone``), so they never change; ``Reason`` is a ``StrEnum`` and compares
equal to the stored strings. HTTP statuses without a member of their own are plain
``http_NNN`` strings (:meth:`Reason.for_status`).

The soft-failure verdicts are :mod:`corpus.softfail`'s (the cleaner gives the same verdict and
``corpus`` does not import the crawler): :data:`SOFT` and :data:`SITE_WIDE` are built from its
lists, so a verdict the enumeration lacks fails at import instead of being miscounted.
"""
from __future__ import annotations

import enum

from corpus.softfail import SITE_REASONS, SOFT_REASONS

__all__ = ["MISSES", "NETWORK_ERRORS", "SITE_WIDE", "SOFT", "TRANSIENT", "Reason"]


class Reason(enum.StrEnum):
    # the download failed (crawler.fetch)
    TIMEOUT = "timeout"
    CONNECT = "connect"
    NETWORK = "network"
    TRUNCATED = "truncated"
    BAD_URL = "bad_url"
    CONTENT_TYPE = "content_type"
    TOO_LARGE = "too_large"
    BAD_ENCODING = "bad_encoding"
    PRIVATE_ADDRESS = "private_address"  # an internal address (crawler.netguard)
    # HTTP statuses the crawler acts on by name
    HTTP_404 = "http_404"
    HTTP_410 = "http_410"
    HTTP_429 = "http_429"
    HTTP_500 = "http_500"
    HTTP_502 = "http_502"
    HTTP_503 = "http_503"
    HTTP_504 = "http_504"
    # a 200 that is no content (corpus.softfail)
    SOFT_404 = "soft_404"
    MAINTENANCE = "maintenance"
    COOKIE_CHALLENGE = "cookie_challenge"
    BLOCKED = "blocked"
    # decided by the crawler itself
    ROBOTS = "robots"
    DUPLICATE = "duplicate"  # same content as the stored page its rel=canonical names
    BAD_REDIRECT = "bad_redirect"
    REDIRECT_HOPS = "redirect_hops"
    REDIRECT_OFFSITE = "redirect_offsite"
    REDIRECT_LOOP = "redirect_loop"
    INTERNAL_ERROR = "internal_error"
    # why robots.txt could not be used (crawler.robots, crawler.robotscache)
    HTML_AS_ROBOTS = "html_as_robots"
    UNAVAILABLE = "unavailable"

    @classmethod
    def for_status(cls, status: int | None) -> str:
        """``http_NNN``: the member when there is one, else the plain string."""
        value = f"http_{status}"
        return cls(value) if value in cls._value2member_map_ else value


#: the download failed on the way: retried in the run with backoff, and held against the server
NETWORK_ERRORS = frozenset({Reason.TIMEOUT, Reason.CONNECT, Reason.NETWORK, Reason.TRUNCATED})
#: every soft-failure verdict, and those about the whole site (the site backs off, the URL is
#: retried later)
SOFT = frozenset(Reason(v) for v in SOFT_REASONS)
SITE_WIDE = frozenset(Reason(v) for v in SITE_REASONS)
#: failures worth trying again in a later run (refused addresses included: DNS and
#: configuration change)
TRANSIENT = NETWORK_ERRORS | SITE_WIDE | {
    Reason.HTTP_429, Reason.HTTP_500, Reason.HTTP_502, Reason.HTTP_503, Reason.HTTP_504,
    Reason.PRIVATE_ADDRESS,
}
#: outcomes that count as one confirmation that a stored page has disappeared (crawler.recrawl)
MISSES = frozenset({Reason.HTTP_404, Reason.SOFT_404})
