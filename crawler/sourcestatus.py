"""Per-source health, read from ``crawl.sqlite`` for the service's status page.

One row per site: the last successful fetch, pages stored, what failed in the latest run that
touched the site, the next visit, and whether the site has *gone quiet*: its newest article is
older than ``QUIET_FACTOR`` times its usual gap between articles (at least ``QUIET_MIN``). A
union portal that publishes twice a day and has shown nothing for four days is worth a look (a
changed layout, a new domain, a block), while one that posts weekly is not. Article times are
the sitemap/feed date when one was given, else when the page was first stored.

Reads only (SQLite ``mode=ro``), so the status page never contends with the crawler's writes.
"""
from __future__ import annotations

import sqlite3
import statistics
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["QUIET_FACTOR", "QUIET_MIN", "SourceStatus", "source_status"]

QUIET_FACTOR = 4.0
QUIET_MIN = 2 * 86400.0
#: newest articles whose gaps make a site's usual rhythm
RHYTHM_SAMPLE = 30


@dataclass
class SourceStatus:
    """One site's health; times are epoch seconds (None: never)."""

    host: str
    source: str
    last_success: float | None
    stored_pages: int
    newest_article: float | None
    usual_gap: float | None
    quiet: bool
    next_visit: float | None
    queued: int
    errors: dict[str, int] = field(default_factory=dict)
    consecutive_errors: int = 0

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("last_success", "newest_article", "next_visit"):
            value = out[key]
            out[key] = datetime.fromtimestamp(value).astimezone().isoformat(timespec="seconds") \
                if value else None
        return out


def source_status(crawl_db: Path, now: float) -> list[SourceStatus]:
    """Every site the crawl knows, busiest first; [] when there is no crawl yet."""
    if not crawl_db.is_file():
        return []
    db = sqlite3.connect(f"file:{crawl_db}?mode=ro", uri=True, timeout=5.0)
    try:
        return _read(db, now)
    finally:
        db.close()


def _read(db: sqlite3.Connection, now: float) -> list[SourceStatus]:
    hosts = {r[0]: r[1] for r in db.execute("SELECT host, errors FROM hosts")}
    rows = db.execute(
        """SELECT host, MAX(source),
                  MAX(CASE WHEN status BETWEEN 200 AND 399 THEN fetched_epoch END),
                  SUM(kind = 'page' AND stored_at IS NOT NULL),
                  SUM(state = 'queued'),
                  MIN(CASE WHEN state = 'queued' THEN due_at END)
           FROM urls GROUP BY host""").fetchall()
    out = []
    for host, source, last_success, stored, queued, due in rows:
        times = [r[0] for r in db.execute(
            """SELECT COALESCE(lastmod, CAST(strftime('%s', stored_at) AS REAL)) AS t FROM urls
               WHERE host = ? AND kind = 'page' AND stored_at IS NOT NULL AND t IS NOT NULL
               ORDER BY t DESC LIMIT ?""", (host, RHYTHM_SAMPLE + 1))]
        newest = times[0] if times else None
        gaps = [a - b for a, b in zip(times, times[1:]) if a > b]
        usual = statistics.median(gaps) if len(gaps) >= 3 else None
        quiet = (newest is not None and usual is not None
                 and now - newest > max(QUIET_FACTOR * usual, QUIET_MIN))
        last_run = db.execute("SELECT MAX(run_id) FROM urls WHERE host = ?", (host,)).fetchone()[0]
        errors = dict(db.execute(
            """SELECT reason, COUNT(*) FROM urls WHERE host = ? AND run_id = ? AND reason IS NOT NULL
                 AND reason NOT IN ('robots', 'duplicate') GROUP BY reason""", (host, last_run)))
        out.append(SourceStatus(
            host=host, source=source or "", last_success=last_success, stored_pages=stored or 0,
            newest_article=newest, usual_gap=usual, quiet=quiet,
            next_visit=max(due, now) if due is not None else None, queued=queued or 0,
            errors=errors, consecutive_errors=hosts.get(host, 0)))
    out.sort(key=lambda s: (-s.stored_pages, s.host))
    return out
