"""A disk cache of pyvi segmentation, keyed by a hash of each line of text.

pyvi costs about 5 minutes per 50,000 news articles; rebuilding an index over the same text (an
evaluation after a schema change, a ``--rebuild``) should not pay it again. Lines rather than
documents are the unit, so cached work survives changes in how the indexer joins title, sapo and
body. SQLite in WAL mode lets the indexing worker processes read and write it at the same time.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Iterable

#: Bumped when segmentation itself changes (another pyvi, another pre-processing).
SEGMENTER_VERSION = b"pyvi-0.1.1/canon-1\n"
_BATCH = 500


def _key(line: str) -> bytes:
    return hashlib.sha1(SEGMENTER_VERSION + line.encode("utf-8")).digest()[:16]


class SegmentCache:
    """line → segmented line; one connection per process (SQLite handles must not cross fork)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn: sqlite3.Connection | None = None
        self._pid = -1

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS seg (k BLOB PRIMARY KEY, v TEXT NOT NULL)"
                         " WITHOUT ROWID")
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def get_many(self, lines: Iterable[str]) -> dict[str, str]:
        by_key = {_key(line): line for line in lines}
        keys = list(by_key)
        found: dict[str, str] = {}
        db = self._db()
        for i in range(0, len(keys), _BATCH):
            chunk = keys[i:i + _BATCH]
            marks = ",".join("?" * len(chunk))
            for k, v in db.execute(f"SELECT k, v FROM seg WHERE k IN ({marks})", chunk):
                found[by_key[k]] = v
        return found

    def put_many(self, pairs: dict[str, str]) -> None:
        if not pairs:
            return
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany("INSERT OR REPLACE INTO seg (k, v) VALUES (?, ?)",
                           [(_key(line), seg) for line, seg in pairs.items()])
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
