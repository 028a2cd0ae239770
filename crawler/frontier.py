"""The frontier and page records: SQLite (WAL) in ``<data-dir>/crawl.sqlite``.

A URL row moves ``queued → in_flight → done | failed | gone`` (``in_flight`` carries a lease).
Rows are unique on :func:`crawler.urls.url_key`, so http/https/www twins and tracking-parameter
variants are one row. Scrapy's pickled queues break across versions; a table does not.

Crash safety (kill -9 at any moment loses nothing and fetches nothing twice once done):

1. :meth:`Frontier.stage` writes, in one transaction, the links found on the page and the
   outcome as ``pending`` JSON, including where its WARC record is about to start;
2. the engine writes the WARC record and flushes it (a durable crawl fsyncs records in groups,
   every half second or so, so several rows can wait here, written but not committed);
3. :meth:`Frontier.commit_many` applies ``pending`` (state, ETag, hash…) in one transaction,
   after the fsync: a URL is never marked done before its record is on disk.

On start, :meth:`Frontier.recover` looks at every ``in_flight`` row: if its pending WARC record is
complete the outcome is applied (step 3 redone), otherwise the partial record is cut off the file
and the URL goes back to ``queued``. Links staged in step 1 are inserted idempotently.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from corpus.rawstore import WarcLocation

from .reasons import MISSES, TRANSIENT, Reason
from .recrawl import RevisitPolicy
from .urls import url_key

__all__ = ["HUB_KINDS", "LISTING_KINDS", "STATES", "Frontier", "NewUrl", "UrlRow", "link_hash"]

STATES = ("queued", "in_flight", "done", "failed", "gone")
#: revisited often: how new articles are found
HUB_KINDS = ("seed", "listing", "feed", "sitemap")
#: pages of a listing: its first pages (``listing``, a hub) and its deep archive (``archive``,
#: revisited like an article: what it lists no longer changes)
LISTING_KINDS = ("listing", "archive")

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,         -- url_key(): scheme/www-insensitive identity
    url TEXT NOT NULL,                -- canonical URL to fetch
    host TEXT NOT NULL,               -- site_key(): politeness slot
    origin TEXT NOT NULL,             -- scheme://host[:port]: robots scope
    state TEXT NOT NULL DEFAULT 'queued',
    kind TEXT NOT NULL DEFAULT 'page',-- seed | page | listing | archive | feed | sitemap
    priority INTEGER NOT NULL DEFAULT 10,
    depth INTEGER NOT NULL DEFAULT 0,
    page_seq INTEGER NOT NULL DEFAULT 0,  -- pagination run length / sitemap nesting
    hops INTEGER NOT NULL DEFAULT 0,      -- redirect hops that led here
    guessed INTEGER NOT NULL DEFAULT 0,   -- a guessed discovery URL (/sitemap.xml)
    discovered_from TEXT,
    source TEXT NOT NULL DEFAULT '',
    due_at REAL NOT NULL DEFAULT 0,
    lease_until REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    status INTEGER,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    content_type TEXT,
    fetched_at TEXT,                  -- ISO time of the last response
    fetched_epoch REAL,
    stored_at TEXT,                   -- WARC-Date of the last stored 200 (revisit target)
    payload_digest TEXT,
    redirect_to TEXT,
    canonical_url TEXT,
    warc_file TEXT,
    warc_offset INTEGER,
    pending TEXT,                     -- JSON outcome awaiting its WARC record (see module doc)
    run_id INTEGER,
    revisit_factor REAL NOT NULL DEFAULT 1.0, -- adaptive interval factor (crawler.recrawl)
    misses INTEGER NOT NULL DEFAULT 0, -- 404 confirmations of a stored page
    lastmod REAL,                     -- newest sitemap lastmod / publication date / feed date
    text_hash TEXT,                   -- fingerprint deciding "changed" for the revisit interval
    chain INTEGER,                    -- listing pages: id of the listing's first page
    stale INTEGER NOT NULL DEFAULT 0  -- listing pages: pages before it in a row that listed nothing new
);
CREATE TABLE IF NOT EXISTS listed (
    hub INTEGER NOT NULL,             -- a sitemap or feed (its URL id)
    key TEXT NOT NULL,                -- url_key() of a page it lists
    PRIMARY KEY (hub, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chain_links (
    chain INTEGER NOT NULL,           -- a listing (id of its first page)
    h INTEGER NOT NULL,               -- link_hash() of a page link seen on one of its pages
    PRIMARY KEY (chain, h)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY,
    status INTEGER,                   -- last usable answer (2xx, 4xx); NULL: none yet
    body BLOB,
    content_type TEXT,
    error TEXT,
    fetched_at REAL NOT NULL,
    failed_at REAL,                   -- last 5xx/429/network failure, kept beside the good copy
    failure TEXT
);
CREATE TABLE IF NOT EXISTS hosts (
    host TEXT PRIMARY KEY,
    next_allowed REAL NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    finished_at REAL,
    summary TEXT
);
"""
#: columns added after the first release, for data dirs created before them
_ADDED_COLUMNS = {
    "urls": [("revisit_factor", "REAL NOT NULL DEFAULT 1.0"), ("misses", "INTEGER NOT NULL DEFAULT 0"),
             ("lastmod", "REAL"), ("text_hash", "TEXT"), ("chain", "INTEGER"),
             ("stale", "INTEGER NOT NULL DEFAULT 0")],
    "robots": [("failed_at", "REAL"), ("failure", "TEXT")],
}
INDEXES = """
DROP INDEX IF EXISTS urls_pick;
CREATE INDEX IF NOT EXISTS urls_lease ON urls(host, state, priority, lastmod DESC, id);
CREATE INDEX IF NOT EXISTS urls_state_due ON urls(state, due_at);
CREATE INDEX IF NOT EXISTS urls_host_due ON urls(host, state, due_at);
CREATE INDEX IF NOT EXISTS aliases_url ON aliases(url);
CREATE INDEX IF NOT EXISTS urls_chain ON urls(chain) WHERE chain IS NOT NULL;
INSERT OR IGNORE INTO hosts(host) SELECT DISTINCT host FROM urls;
"""
#: lease order: sitemaps and feeds first, then by priority; newest (sitemap lastmod) first
LEASE_ORDER = "priority, lastmod DESC, id"


@dataclass(slots=True)
class UrlRow:
    id: int
    key: str
    url: str
    host: str
    origin: str
    state: str
    kind: str
    priority: int
    depth: int
    page_seq: int
    hops: int
    guessed: int
    discovered_from: str | None
    source: str
    due_at: float
    lease_until: float | None
    attempts: int
    reason: str | None
    status: int | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    content_type: str | None
    fetched_at: str | None
    fetched_epoch: float | None
    stored_at: str | None
    payload_digest: str | None
    redirect_to: str | None
    canonical_url: str | None
    warc_file: str | None
    warc_offset: int | None
    pending: str | None
    run_id: int | None
    revisit_factor: float = 1.0
    misses: int = 0
    lastmod: float | None = None
    text_hash: str | None = None
    chain: int | None = None
    stale: int = 0

    @property
    def hub(self) -> bool:
        return self.kind in HUB_KINDS


_ROW_FIELDS = [f.name for f in fields(UrlRow)]
_SETTABLE = set(_ROW_FIELDS) - {"id", "key", "pending"}


@dataclass(frozen=True, slots=True)
class NewUrl:
    """A URL to add; ignored when its key is already known."""

    url: str
    key: str
    host: str
    origin: str
    kind: str = "page"
    priority: int = 10
    depth: int = 0
    page_seq: int = 0
    hops: int = 0
    discovered_from: str | None = None
    source: str = ""
    guessed: bool = False
    due_at: float = 0.0
    lastmod: float | None = None  # sitemap lastmod / news publication date / feed item date
    chain: int | None = None  # listing pages: the listing they belong to (its first page's id)
    stale: int = 0  # listing pages: pages before this one in a row that listed nothing new


@dataclass(frozen=True, slots=True)
class ListingStep:
    """What one fetched listing page tells the stop rule (see :meth:`Frontier.stage`).

    ``chain``: the listing (its first page's id); ``links``: :func:`link_hash` of each page link
    on this page; ``stale``: pages before it in a row that listed nothing new; ``stale_limit``:
    that many in a row end the walk; ``max_pages``: pages one listing may hold at most.
    """

    chain: int
    links: Sequence[int]
    stale: int
    stale_limit: int
    max_pages: int


def link_hash(key: str) -> int:
    """A URL key as a signed 64-bit integer (SQLite's INTEGER): the chain_links table holds one
    per link per listing, so ten years of archive pages stay a few megabytes."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big",
                          signed=True)


class Frontier:
    """SQLite-backed frontier; all calls are short synchronous transactions."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # durable against process crashes
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        self._migrate()
        self.db.executescript(INDEXES)
        #: URLs a sitemap said changed since their last fetch (requeued), or unchanged (skipped)
        self.lastmod_requeued = 0
        self.lastmod_skipped = 0
        #: listings whose walk ended (nothing new for several pages) or reached the page cap
        self.listings_ended = 0
        self.listings_capped = 0
        #: stored pages queued again because a sitemap or feed stopped listing them
        self.unlisted_rechecked = 0

    def _migrate(self) -> None:
        for table, columns in _ADDED_COLUMNS.items():
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns:
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ helpers
    def _tx(self) -> _Tx:
        return _Tx(self.db)

    @staticmethod
    def _row(r: sqlite3.Row | None) -> UrlRow | None:
        return UrlRow(**{k: r[k] for k in _ROW_FIELDS}) if r is not None else None

    def get(self, key: str) -> UrlRow | None:
        return self._row(self.db.execute("SELECT * FROM urls WHERE key=?", (key,)).fetchone())

    def get_by_id(self, url_id: int) -> UrlRow | None:
        return self._row(self.db.execute("SELECT * FROM urls WHERE id=?", (url_id,)).fetchone())

    def rows(self, state: str | None = None) -> list[UrlRow]:
        if state is None:
            cur = self.db.execute("SELECT * FROM urls ORDER BY id")
        else:
            cur = self.db.execute("SELECT * FROM urls WHERE state=? ORDER BY id", (state,))
        return [self._row(r) for r in cur]  # type: ignore[misc]

    def counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.db.execute("SELECT state, COUNT(*) FROM urls GROUP BY state")}

    def aliases_of(self, url: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT alias FROM aliases WHERE url=? ORDER BY alias", (url,))]

    def aliases(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT alias, url FROM aliases")}

    # ------------------------------------------------------------------ runs
    def start_run(self) -> int:
        cur = self.db.execute("INSERT INTO runs(started_at) VALUES (?)", (time.time(),))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        self.db.execute("UPDATE runs SET finished_at=?, summary=? WHERE id=?",
                        (time.time(), json.dumps(summary, ensure_ascii=False), run_id))

    # ------------------------------------------------------------------ recovery
    def recover(
        self,
        is_complete: Callable[[WarcLocation], bool],
        truncate: Callable[[WarcLocation], None],
    ) -> tuple[int, int]:
        """Resolve rows left ``in_flight`` by a dead process: ``(completed, requeued)``.

        Only safe while no other crawler uses this data dir (the engine holds a lock file).
        """
        completed = requeued = 0
        rows = self.db.execute(
            "SELECT id, pending FROM urls WHERE state='in_flight' ORDER BY id"
        ).fetchall()
        for r in rows:
            pending = json.loads(r["pending"]) if r["pending"] else None
            loc = _pending_location(pending)
            if loc is not None and is_complete(loc):
                self.commit(r["id"])
                completed += 1
                continue
            if loc is not None:
                truncate(loc)
            with self._tx():
                self.db.execute(  # the interrupted attempt does not count against retries
                    "UPDATE urls SET state='queued', lease_until=NULL, pending=NULL,"
                    " attempts=MAX(attempts-1, 0) WHERE id=?",
                    (r["id"],),
                )
            requeued += 1
        return completed, requeued

    def requeue_due(self, now: float, policy: RevisitPolicy) -> int:
        """Queue done URLs whose revisit interval has passed, and transient failures.

        Intervals follow :class:`crawler.recrawl.RevisitPolicy`; a stored page awaiting another
        404 confirmation is rechecked after ``recheck_404``; transient failures are
        :data:`crawler.reasons.TRANSIENT`.
        """
        hubs = ",".join(f"'{k}'" for k in HUB_KINDS)
        transient = ",".join(f"'{k}'" for k in sorted(TRANSIENT))
        misses = ",".join(f"'{k}'" for k in sorted(MISSES))
        params: dict[str, float] = {"now": now, "recheck": policy.recheck_404}
        for name, hub in (("hub", True), ("page", False)):
            params[f"{name}_init"], params[f"{name}_lo"], params[f"{name}_hi"] = policy.bounds(hub)

        def interval(name: str) -> str:  # sitemap says unchanged since our fetch: longest wait
            return (f"(CASE WHEN lastmod IS NOT NULL AND lastmod <= fetched_epoch THEN :{name}_hi"
                    f" ELSE MIN(MAX(:{name}_init * revisit_factor, :{name}_lo), :{name}_hi) END)")

        with self._tx():
            n = self.db.execute(
                f"""UPDATE urls SET state='queued', attempts=0, due_at=0
                    WHERE (state='done' AND redirect_to IS NULL AND (
                           (reason IN ({misses}) AND COALESCE(fetched_epoch,0) + :recheck <= :now)
                        OR (reason IS NULL OR reason NOT IN ({misses})) AND (
                              (kind IN ({hubs}) AND COALESCE(fetched_epoch,0) + {interval('hub')} <= :now)
                           OR (kind NOT IN ({hubs})
                               AND COALESCE(fetched_epoch,0) + {interval('page')} <= :now))))
                       OR (state='failed' AND reason IN ({transient}))""",
                params,
            ).rowcount
        return n

    def requeue_urls(self, urls: Iterable[str]) -> int:
        """Queue these known URLs now (the cleaner found their stored copy was a challenge or
        maintenance page); unknown URLs are ignored."""
        keys = [url_key(u) for u in urls]
        n = 0
        with self._tx():
            for key in keys:
                # The stored copy is wrong: no validators (no 304) and no hash ("unchanged").
                n += self.db.execute(
                    "UPDATE urls SET state='queued', attempts=0, due_at=0, reason=NULL,"
                    " etag=NULL, last_modified=NULL, content_hash=NULL"
                    " WHERE key=? AND state != 'queued'", (key,)).rowcount
        return n

    def requeue_robots_blocked(self, origin: str) -> int:
        """Queue again the URLs of ``origin`` refused by robots.txt (it has just changed)."""
        with self._tx():
            return self.db.execute(
                "UPDATE urls SET state='queued', attempts=0, due_at=0, reason=NULL"
                " WHERE origin=? AND state='failed' AND reason=?", (origin, Reason.ROBOTS)).rowcount

    def fail_site(self, host: str, reason: str, run_id: int) -> int:
        """Close every queued URL of a site with ``reason`` (an address that may not be crawled)."""
        with self._tx():
            return self.db.execute(
                "UPDATE urls SET state='failed', reason=?, run_id=? WHERE host=? AND state='queued'",
                (reason, run_id, host)).rowcount

    def origin_of(self, host: str) -> str | None:
        """An origin with queued URLs on site ``host`` (what to resolve for it)."""
        r = self.db.execute("SELECT origin FROM urls WHERE host=? AND state='queued' LIMIT 1",
                            (host,)).fetchone()
        return r[0] if r else None

    # ------------------------------------------------------------------ adding
    def add(self, urls: Iterable[NewUrl]) -> int:
        """Insert unknown URLs; returns how many were new."""
        with self._tx():
            return self._insert(urls)

    def _insert(self, urls: Iterable[NewUrl]) -> int:
        urls = list(urls)
        before = self.db.total_changes
        self.db.executemany(
            """INSERT OR IGNORE INTO urls(url, key, host, origin, kind, priority, depth, page_seq,
                   hops, discovered_from, source, guessed, due_at, lastmod, chain, stale)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [(u.url, u.key, u.host, u.origin, u.kind, u.priority, u.depth, u.page_seq, u.hops,
              u.discovered_from, u.source, int(u.guessed), u.due_at, u.lastmod, u.chain, u.stale)
             for u in urls],
        )
        added = self.db.total_changes - before
        if added:  # every site with URLs has a hosts row: the dispatcher's queries start there
            self.db.executemany("INSERT OR IGNORE INTO hosts(host) VALUES (?)",
                                [(h,) for h in {u.host for u in urls}])
        dated = [(u.lastmod, u.key) for u in urls if u.lastmod is not None]
        if dated and added < len(urls):  # all new: their lastmod went in with them
            self._note_lastmod(dated)
        return added

    def _note_lastmod(self, dated: list[tuple[float, str]]) -> None:
        """Apply sitemap/feed dates to known URLs: newer than our fetch → due now; not newer
        than our fetch → a queued revisit is skipped (the page has not changed since)."""
        self.db.executemany(
            "UPDATE urls SET lastmod=?1 WHERE key=?2 AND (lastmod IS NULL OR lastmod < ?1)", dated)
        before = self.db.total_changes
        self.db.executemany(
            """UPDATE urls SET state='queued', attempts=0, due_at=0
               WHERE key=?2 AND state IN ('done', 'gone') AND redirect_to IS NULL
                 AND fetched_epoch IS NOT NULL AND fetched_epoch < ?1""", dated)
        self.lastmod_requeued += self.db.total_changes - before
        before = self.db.total_changes
        self.db.executemany(
            """UPDATE urls SET state='done'
               WHERE key=?2 AND state='queued' AND reason IS NULL AND stored_at IS NOT NULL
                 AND fetched_epoch IS NOT NULL AND fetched_epoch >= ?1""", dated)
        self.lastmod_skipped += self.db.total_changes - before

    def add_alias(self, alias: str, url: str, reason: str) -> None:
        with self._tx():
            self._alias(alias, url, reason)

    def _alias(self, alias: str, url: str, reason: str) -> None:
        if alias != url:
            self.db.execute(
                "INSERT OR REPLACE INTO aliases(alias, url, reason, seen_at) VALUES (?,?,?,?)",
                (alias, url, reason, time.time()),
            )

    # ------------------------------------------------------------------ scheduling
    @staticmethod
    def _not_in(column: str, values: list[str]) -> str:
        return f" AND {column} NOT IN ({','.join('?' * len(values))})" if values else ""

    def ready_hosts(self, now: float, exclude_origins: Iterable[str] = (),
                    exclude_hosts: Iterable[str] = (), limit: int = 100) -> list[str]:
        """Sites with a queued URL due now, best priority first.

        One index probe per known site (the ``hosts`` table), not a scan of the queue: this runs
        every time the dispatcher wakes, and the queue can hold hundreds of thousands of URLs.
        """
        excl_o, excl_h = list(exclude_origins), list(exclude_hosts)
        cur = self.db.execute(
            f"""SELECT host FROM (
                    SELECT h.rowid AS n, h.host AS host,
                           (SELECT priority FROM urls INDEXED BY urls_lease
                             WHERE host=h.host AND state='queued' AND due_at<=?
                                   {self._not_in("origin", excl_o)}
                             ORDER BY {LEASE_ORDER} LIMIT 1) AS best
                    FROM hosts h WHERE 1 {self._not_in("h.host", excl_h)})
                WHERE best IS NOT NULL ORDER BY best, n LIMIT ?""",
            (now, *excl_o, *excl_h, limit),
        )
        return [r[0] for r in cur]

    def next_due(self, exclude_origins: Iterable[str] = (),
                 exclude_hosts: Iterable[str] = ()) -> dict[str, float]:
        """Earliest due time per site among queued URLs."""
        excl_o, excl_h = list(exclude_origins), list(exclude_hosts)
        cur = self.db.execute(
            f"""SELECT host, due FROM (
                    SELECT h.host AS host,
                           (SELECT MIN(due_at) FROM urls WHERE host=h.host AND state='queued'
                             {self._not_in("origin", excl_o)}) AS due
                    FROM hosts h WHERE 1 {self._not_in("h.host", excl_h)})
                WHERE due IS NOT NULL""",
            (*excl_o, *excl_h),
        )
        return {r[0]: r[1] for r in cur}

    def lease(self, hosts: str | Sequence[str], now: float, lease_seconds: float,
              exclude_origins: Iterable[str] = ()) -> UrlRow | None:
        """Take the best due URL of the site(s) ``hosts``: it becomes ``in_flight`` until the
        lease ends. Several sites when they share one server (one politeness slot)."""
        sites = [hosts] if isinstance(hosts, str) else list(hosts)
        excl = list(exclude_origins)
        extra = f"AND origin NOT IN ({','.join('?' * len(excl))})" if excl else ""
        pick = (f"SELECT id, priority, lastmod FROM urls INDEXED BY urls_lease"
                f" WHERE host=? AND state='queued' AND due_at<=?"
                f" {extra} ORDER BY {LEASE_ORDER} LIMIT 1")
        with self._tx():
            best = None
            for site in sites:
                r = self.db.execute(pick, (site, now, *excl)).fetchone()
                if r is None:
                    continue
                rank = (r[1], -(r[2] if r[2] is not None else float("-inf")), r[0])
                if best is None or rank < best:
                    best = rank
            if best is None:
                return None
            r = self.db.execute(
                """UPDATE urls SET state='in_flight', lease_until=?, attempts=attempts+1
                   WHERE id=? RETURNING *""", (now + lease_seconds, best[2])).fetchone()
        return self._row(r)

    def release(self, url_id: int, due_at: float = 0.0, *, refund_attempt: bool = True,
                **updates: Any) -> None:
        """Put a leased URL back in the queue (deferred until ``due_at``)."""
        sets, values = self._sets(updates)
        dec = ", attempts=MAX(attempts-1, 0)" if refund_attempt else ""
        with self._tx():
            self.db.execute(
                "UPDATE urls SET state='queued', lease_until=NULL, pending=NULL, "
                f"due_at=?{dec}{sets} WHERE id=?",
                (due_at, *values, url_id),
            )

    def defer_origin(self, origin: str, due_at: float) -> None:
        with self._tx():
            self.db.execute("UPDATE urls SET due_at=MAX(due_at, ?) WHERE origin=? AND state='queued'",
                            (due_at, origin))

    # ------------------------------------------------------------------ outcomes
    @staticmethod
    def _sets(updates: dict[str, Any]) -> tuple[str, list[Any]]:
        bad = set(updates) - _SETTABLE
        if bad:
            raise KeyError(f"not a frontier column: {sorted(bad)}")
        return "".join(f", {k}=?" for k in updates), list(updates.values())

    def finish(self, url_id: int, state: str, **updates: Any) -> None:
        """Close a URL without a WARC record (failures, robots, duplicates)."""
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        sets, values = self._sets(updates)
        with self._tx():
            self.db.execute(
                f"UPDATE urls SET state=?, lease_until=NULL, pending=NULL{sets} WHERE id=?",
                (state, *values, url_id),
            )

    def stage(
        self,
        url_id: int,
        pending: dict[str, Any],
        links: Iterable[NewUrl] = (),
        aliases: Iterable[tuple[str, str, str]] = (),
        listing_links: Iterable[NewUrl] = (),
        listing_needs_new: bool = False,
        step: ListingStep | None = None,
        listed: tuple[int, Sequence[str]] | None = None,
    ) -> int:
        """Step 1 of the crash-safe write: links, aliases and the pending outcome, atomically.

        ``listed`` is ``(sitemap or feed id, keys of the pages it lists now)``: a stored page it
        listed last time and lists no more is checked again now (taken down, or merely rolled
        off a feed: one request tells), so a deleted article leaves the index within the
        404 confirmations instead of waiting for its own revisit, weeks away.

        ``listing_links`` are the next pages of a listing. With a :class:`ListingStep` they are
        added unless the listing has ended: ``stale_limit`` pages in a row listed no page link
        this listing had not shown before (an endless listing repeating itself, an out-of-range
        page answering with the first or last one, a calendar of empty months all show only
        links already seen), or the listing already holds ``max_pages`` pages. Links already
        known from a sitemap or a feed still count as new to the listing: they are how an
        archive continues below the articles a sitemap lists. Without a step, the first rule:
        with ``listing_needs_new`` they are only added when ``links`` brought a new URL.
        Returns the number of new URLs.
        """
        bad = set(pending) - _SETTABLE - {"warc", "also_done"}
        if bad:
            raise KeyError(f"not a frontier column: {sorted(bad)}")
        with self._tx():
            added = self._insert(links)
            listing = list(listing_links)
            if step is not None:
                listing = self._listing_continues(step, listing)
                if listing:
                    added += self._insert(listing)
            elif listing and (added > 0 or not listing_needs_new):
                added += self._insert(listing)
            for alias, url, reason in aliases:
                self._alias(alias, url, reason)
            if listed is not None:
                self._relist(*listed)
            self.db.execute("UPDATE urls SET pending=? WHERE id=?",
                            (json.dumps(pending, ensure_ascii=False), url_id))
        return added

    def _relist(self, hub: int, keys: Sequence[str]) -> None:
        """Remember what ``hub`` lists; queue stored pages it stopped listing (inside
        :meth:`stage`'s transaction)."""
        now = set(keys)
        before = {r[0] for r in self.db.execute("SELECT key FROM listed WHERE hub=?", (hub,))}
        gone = sorted(before - now)
        if gone:
            changes = self.db.total_changes
            self.db.executemany(
                """UPDATE urls SET state='queued', attempts=0, due_at=0
                   WHERE key=? AND state='done' AND stored_at IS NOT NULL AND redirect_to IS NULL""",
                [(k,) for k in gone])
            self.unlisted_rechecked += self.db.total_changes - changes
            self.db.executemany("DELETE FROM listed WHERE hub=? AND key=?", [(hub, k) for k in gone])
        self.db.executemany("INSERT OR IGNORE INTO listed(hub, key) VALUES (?, ?)",
                            [(hub, k) for k in sorted(now - before)])

    def _listing_continues(self, step: ListingStep, listing: list[NewUrl]) -> list[NewUrl]:
        """The next pages to queue after a listing page (inside :meth:`stage`'s transaction)."""
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO chain_links(chain, h) VALUES (?, ?)",
                            [(step.chain, h) for h in step.links])
        stale = 0 if self.db.total_changes > before else step.stale + 1
        if not listing:
            return []
        if stale >= step.stale_limit:
            self.listings_ended += 1
            return []
        held = self.db.execute("SELECT COUNT(*) FROM urls WHERE chain=?", (step.chain,)).fetchone()[0]
        if held >= step.max_pages:
            self.listings_capped += 1
            return []
        return [replace(u, chain=step.chain, stale=stale) for u in listing[:step.max_pages - held]]

    def commit(self, url_id: int) -> None:
        """Step 3: apply the staged outcome of ``url_id``."""
        self.commit_many([url_id])

    def commit_many(self, url_ids: Iterable[int]) -> None:
        """Step 3 for several URLs whose records were made durable together, in one transaction."""
        with self._tx():
            for url_id in url_ids:
                self._apply(url_id)

    def _apply(self, url_id: int) -> None:
        r = self.db.execute("SELECT pending FROM urls WHERE id=?", (url_id,)).fetchone()
        if r is None or not r["pending"]:
            return
        pending = json.loads(r["pending"])
        loc = pending.pop("warc", None)
        also = pending.pop("also_done", None)
        if loc:
            pending.setdefault("warc_file", loc["file"])
            pending.setdefault("warc_offset", loc["offset"])
        sets, values = self._sets(pending)
        self.db.execute(f"UPDATE urls SET lease_until=NULL, pending=NULL{sets} WHERE id=?",
                        (*values, url_id))
        if also:  # a rel=canonical target stored through this fetch
            key = also.pop("key")
            csets, cvalues = self._sets(also)
            self.db.execute(
                f"UPDATE urls SET lease_until=NULL{csets} WHERE key=? AND state!='in_flight'",
                (*cvalues, key),
            )

    @staticmethod
    def with_pending(row: UrlRow) -> UrlRow:
        """``row`` as it will be once its staged outcome is committed."""
        if not row.pending:
            return row
        pending = {k: v for k, v in json.loads(row.pending).items() if k in _SETTABLE}
        return replace(row, **pending, pending=None)

    # ------------------------------------------------------------------ robots and hosts
    def load_robots(self, origin: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM robots WHERE origin=?", (origin,)).fetchone()

    def save_robots(self, origin: str, status: int | None, body: bytes, content_type: str,
                    error: str, fetched_at: float) -> None:
        """Record a robots.txt answer. A usable one (2xx/4xx) replaces the stored copy; a failure
        (``status`` None, 429, 5xx) is noted beside the last usable copy, which stays."""
        usable = status is not None and status != 429 and status < 500
        with self._tx():
            if usable:
                self.db.execute(
                    "INSERT OR REPLACE INTO robots(origin, status, body, content_type, error,"
                    " fetched_at, failed_at, failure) VALUES (?,?,?,?,?,?,NULL,NULL)",
                    (origin, status, body, content_type, error, fetched_at))
            elif self.db.execute("UPDATE robots SET failed_at=?, failure=? WHERE origin=?",
                                 (fetched_at, error, origin)).rowcount == 0:
                self.db.execute(
                    "INSERT INTO robots(origin, status, body, content_type, error, fetched_at,"
                    " failed_at, failure) VALUES (?,NULL,NULL,NULL,?,?,?,?)",
                    (origin, error, fetched_at, fetched_at, error))

    def load_host(self, host: str) -> tuple[float, int]:
        r = self.db.execute("SELECT next_allowed, errors FROM hosts WHERE host=?", (host,)).fetchone()
        return (r[0], r[1]) if r else (0.0, 0)

    def save_host(self, host: str, next_allowed: float, errors: int) -> None:
        with self._tx():
            self.db.execute(
                "INSERT OR REPLACE INTO hosts(host, next_allowed, errors) VALUES (?,?,?)",
                (host, next_allowed, errors),
            )


def _pending_location(pending: dict[str, Any] | None) -> WarcLocation | None:
    if not pending or not pending.get("warc"):
        return None
    w = pending["warc"]
    return WarcLocation(w["file"], int(w["offset"]), w.get("record_id", ""))


class _Tx:
    """``with`` block = one IMMEDIATE transaction (rolled back on error)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
