"""Which index generation is live: the ``CURRENT`` pointer and the ``gen-NNNNNN`` directories.

Layout of an index directory (the rest of it is the builder's, see :mod:`indexer.build`)::

    <index-dir>/CURRENT          name of the live generation, replaced atomically
    <index-dir>/gen-000001/      a Whoosh index (its own TOC makes each commit atomic)

A full rebuild writes a new generation beside the live one and flips ``CURRENT`` only when it
is complete; readers resolve ``CURRENT`` when they open and fall back along the older
generations when it is damaged (see ``search.SearchIndex``). Apart from the builder so that a
reader loads none of it.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

POINTER = "CURRENT"
PREFIX = "gen-"
#: A pointer being written; one left by a killed writer is removed by the next build.
DRAFT_PREFIX = ".CURRENT-"


def current_generation(index_dir: Path) -> Path | None:
    pointer = Path(index_dir) / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = Path(index_dir) / name
    return path if name and path.is_dir() else None


def generations(index_dir: Path) -> dict[int, Path]:
    """Every generation directory on disk, by number (readers fall back along them)."""
    return {generation_number(p): p for p in Path(index_dir).glob(f"{PREFIX}*")
            if p.name[len(PREFIX):].isdigit() and p.is_dir()}


def generation_number(gen: Path) -> int:
    return int(gen.name[len(PREFIX):])


def next_generation(index_dir: Path) -> Path:
    return Path(index_dir) / f"{PREFIX}{max(generations(index_dir), default=0) + 1:06d}"


def flip(index_dir: Path, gen: Path) -> None:
    """Make ``gen`` the live generation: ``CURRENT`` is written aside, synced and renamed."""
    fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=DRAFT_PREFIX)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(gen.name)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, Path(index_dir) / POINTER)
