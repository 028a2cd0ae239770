"""A disk cache of pyvi's word splitting (each line with its compounds joined), keyed by a hash
of the line.

Vocabulary: in this project "segment" means a Whoosh index segment only; what pyvi does is called
word splitting, and this is the word cache (``<index>/words.sqlite``; indexes built before the
rename have ``segments.sqlite``, which :func:`cache_path` moves to the new name on first use).

pyvi costs about 5 minutes per 50,000 news articles; rebuilding an index over the same text (an
evaluation after a schema change, a ``--rebuild``) should not pay it again. Lines rather than
documents are the unit, so cached work survives changes in how the indexer joins title, sapo and
body. SQLite in WAL mode lets the indexing worker processes read it at the same time.

New entries do not go straight into the shared table: a random key lands on a random page of a
B-tree that grows to most of a gigabyte, and with two workers taking turns at its write lock that
was a tenth of a 143k build. Each process appends them to a staging file of its own
(``<cache>.stage-<pid>``, rows in arrival order, no lock shared); :func:`merge_stages` adds
them to the table in key order, which SQLite does at the speed of an append. It runs under the
builder's lock before anything reads the cache: at the start of the next build (a first build
never reads the cache, so it does not wait for its own merge) or when the evaluation reads it.
The cache is only an accelerator: when
SQLite stays busy or fails, a look-up is a miss and a store is skipped, never an error that stops
the build.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

#: Bumped when word splitting itself changes (another pyvi, another pre-processing).
SPLITTER_VERSION = b"pyvi-0.1.1/canon-1\n"
_BATCH = 500
_BUFFER = 5000
log = logging.getLogger(__name__)


def _key(line: str) -> bytes:
    return hashlib.sha1(SPLITTER_VERSION + line.encode("utf-8")).digest()[:16]


class WordCache:
    """line → the line with its compounds joined by ``_``; one connection per process (SQLite
    handles must not cross fork).

    New lines are buffered and written ``_BUFFER`` at a time (one transaction, not one
    per article; call :meth:`flush` at the end), and a cache that was empty when this process
    opened it is not read (a first build only writes)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._timeout = 60.0
        self._pending: dict[bytes, str] = {}
        self._empty = False

    def _db(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
            conn.execute("PRAGMA synchronous=NORMAL")
            # Switching the journal mode needs the database to itself and does not wait for
            # other processes: do it once (it persists in the file), never while workers run.
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS seg (k BLOB PRIMARY KEY, v TEXT NOT NULL)"
                         " WITHOUT ROWID")
            self._empty = conn.execute("SELECT 1 FROM seg LIMIT 1").fetchone() is None
            if self._pid not in (-1, os.getpid()):
                self._pending = {}             # inherited from the parent, which writes them
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def prepare(self) -> None:
        """Create the file in WAL mode before worker processes share it; the connection is
        closed so that no forked worker inherits it."""
        self._db().close()
        self._conn = None

    def get_many(self, lines: Iterable[str]) -> dict[str, str]:
        by_key = {_key(line): line for line in lines}
        found: dict[str, str] = {}
        try:
            db = self._db()
            keys = []
            for k, line in by_key.items():
                if k in self._pending:
                    found[line] = self._pending[k]
                else:
                    keys.append(k)
            if self._empty:
                return found
            for i in range(0, len(keys), _BATCH):
                chunk = keys[i:i + _BATCH]
                marks = ",".join("?" * len(chunk))
                for k, v in db.execute(f"SELECT k, v FROM seg WHERE k IN ({marks})", chunk):
                    found[by_key[k]] = v
        except sqlite3.Error as exc:
            log.warning("word cache %s unreadable, splitting afresh: %s", self.path, exc)
        return found

    def put_many(self, pairs: dict[str, str]) -> None:
        for line, joined in pairs.items():
            self._pending[_key(line)] = joined
        if len(self._pending) >= _BUFFER:
            self.flush()

    def flush(self) -> None:
        """Append the buffered lines to this process's staging file."""
        if not self._pending or self._pid not in (-1, os.getpid()):
            self._pending = {}                 # nothing, or the parent's (it writes them)
            return
        rows, self._pending = list(self._pending.items()), {}
        try:
            stage = sqlite3.connect(f"{self.path}.stage-{os.getpid()}", isolation_level=None)
            try:
                stage.execute("PRAGMA synchronous=OFF")
                stage.execute("CREATE TABLE IF NOT EXISTS seg (k BLOB NOT NULL, v TEXT NOT NULL)")
                stage.execute("BEGIN")
                stage.executemany("INSERT INTO seg (k, v) VALUES (?, ?)", rows)
                stage.execute("COMMIT")
            finally:
                stage.close()
        except sqlite3.Error as exc:
            log.warning("word cache %s: staging failed, not stored: %s", self.path, exc)


#: The cache's file name in an index directory, and the name it had before the rename.
FILE_NAME = "words.sqlite"
LEGACY_NAME = "segments.sqlite"


def cache_path(index_dir: Path | str) -> Path:
    """Where the word cache of ``index_dir`` lives. An index built before the rename keeps its
    cache under the old name: move it (with its WAL, shared-memory and staging files) so that a
    rebuild does not split every line again. Runs under the builder's lock."""
    index_dir = Path(index_dir)
    new, old = index_dir / FILE_NAME, index_dir / LEGACY_NAME
    if old.exists() and not new.exists():
        for part in sorted(index_dir.glob(LEGACY_NAME + "*")):
            target = index_dir / (FILE_NAME + part.name[len(LEGACY_NAME):])
            try:
                os.replace(part, target)
            except OSError as exc:          # only an accelerator: the next build splits afresh
                log.warning("word cache: could not move %s to %s: %s", part, target, exc)
        log.info("word cache: moved %s to %s", old, new)
    return new


def merge_stages(path: Path | str) -> int:
    """Move every staged line of the cache at ``path`` into its table, in key order;
    returns how many rows were staged. Call with no worker running (the builder's lock)."""
    path = Path(path)
    moved = 0
    for stage in sorted(path.parent.glob(f"{path.name}.stage-*")):
        try:
            db = WordCache(path)._db()
            try:
                db.execute("ATTACH DATABASE ? AS st", (str(stage),))
                db.execute("BEGIN IMMEDIATE")
                n = db.execute("SELECT count(*) FROM st.seg").fetchone()[0]
                db.execute("INSERT OR REPLACE INTO main.seg (k, v) "
                           "SELECT k, v FROM st.seg ORDER BY k")
                db.execute("COMMIT")
                db.execute("DETACH DATABASE st")
                moved += n
            finally:
                db.close()
        except sqlite3.Error as exc:       # kept for the next build
            log.warning("word cache %s: stage %s not merged: %s", path, stage.name, exc)
            continue
        stage.unlink(missing_ok=True)
    return moved
