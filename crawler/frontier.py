"""The frontier and page records: SQLite (WAL) in ``<data-dir>/crawl.sqlite``.

A URL row moves ``queued → in_flight → done | failed | gone`` (``in_flight`` carries a lease).
Rows are unique on :func:`crawler.urls.url_key`, so http/https/www twins and tracking-parameter
variants are one row. Scrapy's pickled queues break across versions; a table does not.

Crash safety (kill -9 at any moment loses nothing and fetches nothing twice once done):

1. :meth:`Frontier.stage` writes, in one transaction, the links found on the page and the
   outcome as ``pending`` JSON, including where its WARC record is about to start;
2. the engine writes the WARC record and flushes it;
3. :meth:`Frontier.commit` applies ``pending`` (state, ETag, hash…) in one transaction.

On start, :meth:`Frontier.recover` looks at every ``in_flight`` row: if its pending WARC record is
complete the outcome is applied (step 3 redone), otherwise the partial record is cut off the file
and the URL goes back to ``queued``. Links staged in step 1 are inserted idempotently.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Callable, Iterable

from corpus.rawstore import WarcLocation

__all__ = ["Frontier", "UrlRow", "NewUrl", "HUB_KINDS", "STATES", "TRANSIENT_REASONS"]

STATES = ("queued", "in_flight", "done", "failed", "gone")
HUB_KINDS = ("seed", "listing", "feed", "sitemap")
#: failure reasons worth trying again in a later run
TRANSIENT_REASONS = ("timeout", "connect", "network", "truncated", "http_429", "http_500",
                     "http_502", "http_503", "http_504")

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,         -- url_key(): scheme/www-insensitive identity
    url TEXT NOT NULL,                -- canonical URL to fetch
    host TEXT NOT NULL,               -- site_key(): politeness slot
    origin TEXT NOT NULL,             -- scheme://host[:port]: robots scope
    state TEXT NOT NULL DEFAULT 'queued',
    kind TEXT NOT NULL DEFAULT 'page',-- seed | page | listing | feed | sitemap
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
    run_id INTEGER
);
CREATE INDEX IF NOT EXISTS urls_pick ON urls(host, state, priority, id);
CREATE INDEX IF NOT EXISTS urls_state_due ON urls(state, due_at);
CREATE TABLE IF NOT EXISTS aliases (
    alias TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    seen_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY,
    status INTEGER,
    body BLOB,
    content_type TEXT,
    error TEXT,
    fetched_at REAL NOT NULL
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


@dataclass
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


_ROW_FIELDS = [f.name for f in fields(UrlRow)]
_SETTABLE = set(_ROW_FIELDS) - {"id", "key", "pending"}


@dataclass(frozen=True)
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

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ helpers
    def _tx(self) -> "_Tx":
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

    def requeue_due(self, now: float, revisit_after: float, hub_revisit_after: float) -> int:
        """Make done URLs due again after their revisit interval, and transient failures."""
        hubs = ",".join(f"'{k}'" for k in HUB_KINDS)
        transient = ",".join(f"'{k}'" for k in TRANSIENT_REASONS)
        with self._tx():
            n = self.db.execute(
                f"""UPDATE urls SET state='queued', attempts=0, due_at=0
                    WHERE (state='done' AND redirect_to IS NULL AND (
                           (kind IN ({hubs}) AND COALESCE(fetched_epoch,0) + ? <= ?)
                        OR (kind NOT IN ({hubs}) AND COALESCE(fetched_epoch,0) + ? <= ?)))
                       OR (state='failed' AND reason IN ({transient}))""",
                (hub_revisit_after, now, revisit_after, now),
            ).rowcount
        return n

    # ------------------------------------------------------------------ adding
    def add(self, urls: Iterable[NewUrl]) -> int:
        """Insert unknown URLs; returns how many were new."""
        with self._tx():
            return self._insert(urls)

    def _insert(self, urls: Iterable[NewUrl]) -> int:
        before = self.db.total_changes
        self.db.executemany(
            """INSERT OR IGNORE INTO urls(url, key, host, origin, kind, priority, depth, page_seq,
                   hops, discovered_from, source, guessed, due_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [(u.url, u.key, u.host, u.origin, u.kind, u.priority, u.depth, u.page_seq, u.hops,
              u.discovered_from, u.source, int(u.guessed), u.due_at) for u in urls],
        )
        return self.db.total_changes - before

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
    def ready_hosts(self, now: float, exclude_origins: Iterable[str] = (),
                    exclude_hosts: Iterable[str] = (), limit: int = 100) -> list[str]:
        """Sites with a queued URL due now, best priority first."""
        excl_o, excl_h = list(exclude_origins), list(exclude_hosts)
        extra = ""
        if excl_o:
            extra += f" AND origin NOT IN ({','.join('?' * len(excl_o))})"
        if excl_h:
            extra += f" AND host NOT IN ({','.join('?' * len(excl_h))})"
        cur = self.db.execute(
            f"""SELECT host FROM urls WHERE state='queued' AND due_at<=? {extra}
                GROUP BY host ORDER BY MIN(priority), MIN(id) LIMIT ?""",
            (now, *excl_o, *excl_h, limit),
        )
        return [r[0] for r in cur]

    def next_due(self, exclude_origins: Iterable[str] = (), exclude_hosts: Iterable[str] = ()) -> dict[str, float]:
        """Earliest due time per site among queued URLs."""
        excl_o, excl_h = list(exclude_origins), list(exclude_hosts)
        extra = ""
        if excl_o:
            extra += f" AND origin NOT IN ({','.join('?' * len(excl_o))})"
        if excl_h:
            extra += f" AND host NOT IN ({','.join('?' * len(excl_h))})"
        cur = self.db.execute(
            f"SELECT host, MIN(due_at) FROM urls WHERE state='queued' {extra} GROUP BY host",
            (*excl_o, *excl_h),
        )
        return {r[0]: r[1] for r in cur}

    def lease(self, host: str, now: float, lease_seconds: float,
              exclude_origins: Iterable[str] = ()) -> UrlRow | None:
        """Take the best due URL of ``host``: it becomes ``in_flight`` until the lease ends."""
        excl = list(exclude_origins)
        extra = f"AND origin NOT IN ({','.join('?' * len(excl))})" if excl else ""
        with self._tx():
            r = self.db.execute(
                f"""UPDATE urls SET state='in_flight', lease_until=?, attempts=attempts+1
                    WHERE id = (SELECT id FROM urls WHERE host=? AND state='queued' AND due_at<=?
                                {extra} ORDER BY priority, id LIMIT 1)
                    RETURNING *""",
                (now + lease_seconds, host, now, *excl),
            ).fetchone()
        return self._row(r)

    def release(self, url_id: int, due_at: float = 0.0, *, refund_attempt: bool = True,
                **updates: Any) -> None:
        """Put a leased URL back in the queue (deferred until ``due_at``)."""
        sets, values = self._sets(updates)
        dec = ", attempts=MAX(attempts-1, 0)" if refund_attempt else ""
        with self._tx():
            self.db.execute(
                f"UPDATE urls SET state='queued', lease_until=NULL, pending=NULL, due_at=?{dec}{sets} WHERE id=?",
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
    ) -> int:
        """Step 1 of the crash-safe write: links, aliases and the pending outcome, atomically.

        With ``listing_needs_new``, ``listing_links`` (next pages of a listing) are only added
        when ``links`` brought at least one new URL, so an endless listing that shows nothing new
        stops by itself.
        Returns the number of new URLs.
        """
        bad = set(pending) - _SETTABLE - {"warc", "also_done"}
        if bad:
            raise KeyError(f"not a frontier column: {sorted(bad)}")
        with self._tx():
            added = self._insert(links)
            listing = list(listing_links)
            if listing and (added > 0 or not listing_needs_new):
                added += self._insert(listing)
            for alias, url, reason in aliases:
                self._alias(alias, url, reason)
            self.db.execute("UPDATE urls SET pending=? WHERE id=?",
                            (json.dumps(pending, ensure_ascii=False), url_id))
        return added

    def commit(self, url_id: int) -> None:
        """Step 3: apply the staged outcome of ``url_id``."""
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
        with self._tx():
            self.db.execute(
                f"UPDATE urls SET lease_until=NULL, pending=NULL{sets} WHERE id=?",
                (*values, url_id),
            )
            if also:  # a rel=canonical target stored through this fetch
                key = also.pop("key")
                csets, cvalues = self._sets(also)
                self.db.execute(
                    f"UPDATE urls SET lease_until=NULL{csets} WHERE key=? AND state!='in_flight'",
                    (*cvalues, key),
                )

    # ------------------------------------------------------------------ robots and hosts
    def load_robots(self, origin: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM robots WHERE origin=?", (origin,)).fetchone()

    def save_robots(self, origin: str, status: int | None, body: bytes, content_type: str,
                    error: str, fetched_at: float) -> None:
        with self._tx():
            self.db.execute(
                "INSERT OR REPLACE INTO robots(origin, status, body, content_type, error, fetched_at)"
                " VALUES (?,?,?,?,?,?)",
                (origin, status, body, content_type, error, fetched_at),
            )

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
