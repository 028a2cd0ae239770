"""The ``clean`` stage: raw page store (WARC) → ``<data-dir>/corpus/articles.jsonl``.

HTML pages go through :func:`corpus.clean.clean_html` (with the source's selectors and
province hint); PDF and DOCX responses (by content type, or by their bytes when served as
``application/octet-stream``) through :func:`corpus.clean.files.clean_file`.

Incremental by default: only pages fetched new or changed since the last clean run are cleaned
(``corpus/clean-state.json`` remembers when that was), pages the crawler found gone are deleted,
and everything else is kept as it was; ``full=True`` re-cleans the whole archive (after a cleaner
change; nothing is fetched again). Pages that are not articles are counted by reason,
syndicated copies get a shared ``dup_key``, and the corpus file is replaced atomically.
"""
from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from corpus.clean import CleanResult, clean_html
from corpus.clean.budget import PageTimeout, deadline
from corpus.clean.files import (
    FILE_TYPES,
    MissingDependency,
    clean_file,
    sniff_kind,
)
from corpus.clean.page import PageOrigin
from corpus.decoding import decode_html
from corpus.dedupe import dup_keys
from corpus.rawstore import iter_gone, iter_pages
from corpus.record import Article, corpus_path, read_corpus, write_corpus
from corpus.refetch import REFETCH_REASONS, request_refetch
from corpus.sources import Source

HTML_TYPES = ("text/html", "application/xhtml+xml")
RUN_MARGIN = timedelta(minutes=5)
#: Generic types under which servers send PDF/DOCX files; the bytes and the URL decide.
OCTET_TYPES = ("application/octet-stream", "binary/octet-stream", "application/download",
               "application/force-download", "application/x-download")


@dataclass
class CleanStats:
    pages: int = 0              # pages cleaned in this run (new or changed since the last one)
    articles: int = 0           # articles in the corpus file afterwards
    changed: int = 0            # articles re-cleaned that were already in the corpus
    kept: int = 0               # articles carried over untouched
    deleted: int = 0            # removed: gone pages, or pages that stopped being articles
    rejected: Counter = field(default_factory=Counter)
    skipped_types: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(self.rejected.items())) or "none"
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped_types.items()))
        return (f"cleaned {self.pages} new or changed pages in {self.seconds:.1f} s → corpus of "
                f"{self.articles} articles ({self.changed} updated, {self.kept} kept, "
                f"{self.deleted} deleted); not articles: {rejected}"
                + (f"; other types: {skipped}" if skipped else ""))


def clean_store(data_dir: Path, *, sources: list[Source] | None = None, full: bool = False,
                progress: Callable[[str], None] | None = None) -> CleanStats:
    """Bring ``data_dir``'s corpus file up to date with its raw page store."""
    started = time.monotonic()
    run_started = datetime.now(UTC)
    by_name = {s.name: s for s in sources or []}
    stats = CleanStats()
    since = None if full else _last_run(data_dir)
    kept: dict[str, Article] = {}
    not_articles = _load_state(data_dir).get("not_articles", {}) if since is not None else {}
    if since is not None:
        kept = {a.url: a for a in read_corpus(corpus_path(data_dir))}
        for url in iter_gone(data_dir, since=since):
            if kept.pop(url, None) is not None:
                stats.deleted += 1
    articles: list[Article] = []
    refetch: list[tuple[str, str]] = []       # challenge or maintenance: the crawler retries
    missing_reader: set[str] = set()
    for page in iter_pages(data_dir, only_changed_since=since):
        known = kept.get(page.url)
        if (known is not None and known.fetched_at == page.fetched_at) or \
                not_articles.get(page.url) == page.fetched_at:
            continue        # inside the time margin, but this very fetch was cleaned already
        ctype = page.content_type or ""
        kind = "html" if ctype in HTML_TYPES else (
            sniff_kind(page.body, ctype, page.url) if ctype in FILE_TYPES + OCTET_TYPES
            else "")
        if kind not in ("html", "pdf", "docx"):
            stats.skipped_types[ctype or "unknown"] += 1
            continue
        stats.pages += 1
        source = by_name.get(page.source)
        common = PageOrigin(source=page.source or _host(page.url),
                            source_title=(source.title if source else "") or _host(page.url),
                            province_hint=source.province if source else None,
                            fetched_at=page.fetched_at, aliases=page.aliases)
        try:
            with deadline():
                if kind == "html":
                    decoded = decode_html(page.body, page.headers.get("content-type"))
                    result = clean_html(decoded.text, page.url,
                                        selectors=source.selectors if source else None, **common)
                else:
                    result = clean_file(page.body, page.url, kind=kind, **common)
        except MissingDependency as exc:
            if kind not in missing_reader and progress:
                progress(f"skipping {kind.upper()} files: {exc}")
            missing_reader.add(kind)
            stats.rejected[f"no-{kind}-reader"] += 1
            continue
        except PageTimeout as exc:
            result = CleanResult(None, f"too-slow: {exc}")
            if progress:
                progress(f"skipped {page.url}: cleaning took {exc}")
        previous = kept.pop(page.url, None)
        if result.article is None:
            stats.rejected[result.reason.split(":", 1)[0]] += 1   # "too-complex: …" → kind
            stats.deleted += previous is not None
            not_articles[page.url] = page.fetched_at
            if result.reason in REFETCH_REASONS:
                refetch.append((page.url, result.reason))
        else:
            articles.append(result.article)
            stats.changed += previous is not None
        if progress and stats.pages % 200 == 0:
            progress(f"cleaned {stats.pages} pages, {len(articles)} articles")
    stats.kept = len(kept)
    articles.extend(kept.values())
    keys = dup_keys([a.sapo + "\n" + a.text for a in articles], [a.id for a in articles])
    for article, key in zip(articles, keys):
        article.dup_key = key
    articles.sort(key=lambda a: a.url)
    stats.articles = write_corpus(corpus_path(data_dir), articles)
    _save_state(data_dir, run_started, not_articles)
    request_refetch(data_dir, refetch)
    stats.seconds = time.monotonic() - started
    return stats


def _state_path(data_dir: Path) -> Path:
    return corpus_path(data_dir).with_name("clean-state.json")


def _load_state(data_dir: Path) -> dict:
    try:
        state = json.loads(_state_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _last_run(data_dir: Path) -> str | None:
    """When the last clean started (minus a margin for pages archived while it ran), or None
    when there is no corpus yet: then everything is cleaned."""
    if not corpus_path(data_dir).is_file():
        return None
    try:
        started = datetime.fromisoformat(_load_state(data_dir)["last_run_started"])
    except (ValueError, KeyError, TypeError):
        return None
    return (started - RUN_MARGIN).isoformat()


def _save_state(data_dir: Path, started: datetime, not_articles: dict[str, str]) -> None:
    """When this run started, and which fetches were found not to be articles (so the time
    margin does not make every later run clean them again)."""
    path = _state_path(data_dir)
    tmp = path.with_suffix(".tmp")
    state = {"last_run_started": started.isoformat(), "not_articles": not_articles}
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def _host(url: str) -> str:
    return url.split("/")[2] if "://" in url else url


def print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
