"""robots.txt per origin (RFC 9309) with protego.

Traps handled here:

* the body is decoded as ``utf-8-sig`` (latin-1 fallback), never via ``response.text``: with a
  byte-order mark protego silently drops the first group (the same bug is open in Scrapy);
* 4xx → allow everything; 5xx, 429, timeouts and network errors → disallow everything and retry
  later (StormCrawler#1042 was an incident caused by "unreachable = allow all");
* an HTML page served with 200 as robots.txt (custom 404 pages) counts as 404;
* Crawl-delay is honoured but capped by the engine; ``Sitemap:`` lines feed discovery.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from protego import Protego

from .reasons import Reason

__all__ = ["DEFAULT_USER_AGENT", "RobotsRules", "decode_robots", "product_token", "rules_from_response"]

DEFAULT_USER_AGENT = "UnionSearchBot/0.1 (+https://github.com/unionsearch)"
MAX_ROBOTS_BYTES = 512 * 1024


def decode_robots(body: bytes) -> str:
    """Bytes → text without the BOM (``utf-8-sig``), latin-1 when not UTF-8."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def product_token(user_agent: str) -> str:
    """``UnionSearchBot/0.1 (+…)`` → ``UnionSearchBot``: what robots.txt groups name."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


def _looks_like_html(body: bytes, content_type: str) -> bool:
    head = body[:512].lstrip().lower()
    return "html" in content_type or head.startswith((b"<!doctype", b"<html", b"<head", b"<?xml"))


@dataclass
class RobotsRules:
    """What one origin's robots.txt says, or the failure policy standing in for it."""

    origin: str
    status: int | None  # HTTP status of the robots fetch; None when unreachable
    fetched_at: float = field(default_factory=time.time)
    text: str = ""
    error: str = ""  # why the file could not be read ("http_503", "timeout"…)
    _parser: Protego | None = field(default=None, repr=False)

    @property
    def unavailable(self) -> bool:
        """True when everything is disallowed for now (5xx, 429, unreachable)."""
        return self._parser is None and not self.allow_all

    @property
    def allow_all(self) -> bool:
        status = self.status
        return self._parser is None and status is not None and 400 <= status < 500 and status != 429

    def allowed(self, url: str, user_agent: str) -> bool:
        if self._parser is not None:
            return self._parser.can_fetch(url, product_token(user_agent))
        return self.allow_all

    def crawl_delay(self, user_agent: str) -> float | None:
        if self._parser is None:
            return None
        delay = self._parser.crawl_delay(product_token(user_agent))
        return float(delay) if delay is not None else None

    @property
    def sitemaps(self) -> list[str]:
        return list(self._parser.sitemaps) if self._parser is not None else []


def rules_from_response(
    origin: str, status: int | None, body: bytes, content_type: str = "", error: str = ""
) -> RobotsRules:
    """Turn a robots.txt fetch outcome into rules, applying the RFC 9309 failure semantics."""
    if status is None or status == 429 or status >= 500:
        return RobotsRules(origin, status, error=error or Reason.for_status(status))
    if 400 <= status < 500:
        return RobotsRules(origin, status)
    if status >= 300:  # redirect not resolved by the caller: treat as unavailable
        return RobotsRules(origin, None, error=error or Reason.for_status(status))
    if _looks_like_html(body, content_type) and b"user-agent" not in body[:4096].lower():
        return RobotsRules(origin, 404, error=Reason.HTML_AS_ROBOTS)
    text = decode_robots(body[:MAX_ROBOTS_BYTES])
    return RobotsRules(origin, status, text=text, _parser=Protego.parse(text))
