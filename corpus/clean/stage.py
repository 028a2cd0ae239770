"""The ``clean`` stage: raw page store (WARC) → ``<data-dir>/corpus/articles.jsonl``.

HTML pages go through :func:`corpus.clean.clean_html` (with the source's selectors and
province hint); PDF and DOCX responses (by content type, or by their bytes when served as
``application/octet-stream``) through :func:`corpus.clean.documents.clean_document`.

Re-runnable at will (nothing is fetched again): every archived HTML page is cleaned, pages that
are not articles are counted by reason, syndicated copies get a shared ``dup_key``, and the
corpus file is replaced atomically.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from corpus.clean import clean_html
from corpus.clean.documents import DOCUMENT_TYPES, MissingDependency, clean_document, sniff_kind
from corpus.decoding import decode_html
from corpus.dedupe import dup_keys
from corpus.rawstore import iter_pages
from corpus.record import Article, corpus_path, write_corpus
from corpus.sources import Source

HTML_TYPES = ("text/html", "application/xhtml+xml")
#: Generic types under which servers send PDF/DOCX files; the bytes and the URL decide.
OCTET_TYPES = ("application/octet-stream", "binary/octet-stream", "application/download",
               "application/force-download", "application/x-download")


@dataclass
class CleanStats:
    pages: int = 0
    articles: int = 0
    rejected: Counter = field(default_factory=Counter)
    skipped_types: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        rejected = ", ".join(f"{k} {v}" for k, v in sorted(self.rejected.items())) or "none"
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped_types.items()))
        return (f"cleaned {self.pages} pages → {self.articles} articles in {self.seconds:.1f} s; "
                f"not articles: {rejected}" + (f"; other types: {skipped}" if skipped else ""))


def clean_store(data_dir: Path, *, sources: list[Source] | None = None,
                progress: Callable[[str], None] | None = None) -> CleanStats:
    """Clean every archived page of ``data_dir`` and write its corpus file."""
    started = time.monotonic()
    by_name = {s.name: s for s in sources or []}
    stats = CleanStats()
    articles: list[Article] = []
    missing_reader: set[str] = set()
    for page in iter_pages(data_dir):
        ctype = page.content_type or ""
        kind = "html" if ctype in HTML_TYPES else (
            sniff_kind(page.body, ctype, page.url) if ctype in DOCUMENT_TYPES + OCTET_TYPES
            else "")
        if kind not in ("html", "pdf", "docx"):
            stats.skipped_types[ctype or "unknown"] += 1
            continue
        stats.pages += 1
        source = by_name.get(page.source)
        common = dict(source=page.source or _host(page.url),
                      source_title=(source.title if source else "") or _host(page.url),
                      province_hint=source.province if source else None,
                      fetched_at=page.fetched_at, aliases=page.aliases)
        if kind == "html":
            decoded = decode_html(page.body, page.headers.get("content-type"))
            result = clean_html(decoded.text, page.url,
                                selectors=source.selectors if source else None, **common)
        else:
            try:
                result = clean_document(page.body, page.url, kind=kind, **common)
            except MissingDependency as exc:
                if kind not in missing_reader and progress:
                    progress(f"skipping {kind.upper()} files: {exc}")
                missing_reader.add(kind)
                stats.rejected[f"no-{kind}-reader"] += 1
                continue
        if result.article is None:
            stats.rejected[result.reason] += 1
        else:
            articles.append(result.article)
        if progress and stats.pages % 200 == 0:
            progress(f"cleaned {stats.pages} pages, {len(articles)} articles")
    keys = dup_keys([a.sapo + "\n" + a.text for a in articles], [a.id for a in articles])
    for article, key in zip(articles, keys):
        article.dup_key = key
    articles.sort(key=lambda a: a.url)
    stats.articles = write_corpus(corpus_path(data_dir), articles)
    stats.seconds = time.monotonic() - started
    return stats


def _host(url: str) -> str:
    return url.split("/")[2] if "://" in url else url


def print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
