"""Pages the cleaner found were not content yet (a JavaScript challenge, a maintenance page, a
block page) and the crawler should fetch again soon.

The crawler judges every page with :mod:`corpus.softfail` before storing it, so such pages are
normally retried and never stored; but the cleaner may meet one that an older crawl stored, or
that its own, fuller reading recognises. It then appends the URL here, and the next crawl run
takes the list and queues those URLs at once. One line per URL (``url<TAB>reason``), appended
and fsynced; the crawler removes the file only after the frontier has them, so a crash between
the two queues them twice at worst, which is harmless.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["REFETCH_REASONS", "clear_refetch", "pending_refetch", "refetch_path", "request_refetch"]

#: Clean reasons that say "not now" about a page rather than "not an article".
REFETCH_REASONS = frozenset({"challenge", "maintenance", "blocked"})


def refetch_path(data_dir: Path) -> Path:
    return Path(data_dir) / "refetch.tsv"


def request_refetch(data_dir: Path, items: list[tuple[str, str]]) -> None:
    """Append (url, reason) pairs for the next crawl."""
    if not items:
        return
    path = refetch_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write("".join(f"{url}\t{reason}\n" for url, reason in items))
        f.flush()
        os.fsync(f.fileno())


def pending_refetch(data_dir: Path) -> list[str]:
    """The URLs asked for, each once, in the order asked."""
    try:
        lines = refetch_path(data_dir).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return list(dict.fromkeys(line.split("\t", 1)[0] for line in lines if line.strip()))


def clear_refetch(data_dir: Path) -> None:
    refetch_path(data_dir).unlink(missing_ok=True)
