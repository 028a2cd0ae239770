"""Build and update the on-disk index from the corpus file.

Layout of an index directory::

    <index-dir>/CURRENT        name of the live generation, replaced atomically
    <index-dir>/gen-000001/    a Whoosh index (its own TOC makes each commit atomic)

Updates are incremental, keyed by article id (from the canonical URL) and content hash: new and
changed articles are (re)written, vanished ones deleted, in one Whoosh commit, whose table of
contents is renamed into place last, so a crash leaves the previous commit searchable. A full
rebuild writes a new generation beside the live one and flips ``CURRENT`` only when it is
complete. Readers resolve ``CURRENT`` when they open (see ``search.open_index``).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import Pool
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as whoosh_index

from corpus.record import NATIONAL, Article, read_corpus
from indexer.analysis import segment
from indexer.schema import MULTI_SEP, make_schema

POINTER = "CURRENT"


@dataclass
class IndexStats:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    total: int = 0
    seconds: float = 0.0
    generation: str = ""

    def summary(self) -> str:
        return (f"index {self.generation}: {self.total} documents "
                f"(+{self.added} new, {self.updated} changed, -{self.deleted} deleted, "
                f"{self.unchanged} unchanged) in {self.seconds:.1f} s")


def parse_date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def to_document(article: Article) -> dict:
    """The Whoosh document for one article (pyvi segmentation included: the slow part)."""
    published = parse_date(article.published)
    body = article.text
    doc_numbers = article.doc_numbers
    province_new = article.province_new or NATIONAL
    province_old = article.province_old or NATIONAL

    return {
        "id": article.id,
        "url": article.url,
        "content_hash": article.content_hash,
        "title": article.title,
        "sapo": article.sapo,
        "body": body,
        "title_fold": article.title,
        "text_fold": article.sapo + "\n" + body,
        "title_words": segment(article.title),
        "text_words": segment(article.sapo + "\n" + body),
        "so_hieu": ",".join(d["number"].lower() for d in doc_numbers),
        "date": published.replace(tzinfo=None) if published else None,
        "date_sort": int(published.timestamp()) if published else 0,
        "dup_key": article.dup_key or article.id,
        "f_province_new": province_new,
        "f_province_old": province_old,
        "f_month": published.strftime("%Y-%m") if published else "",
        "f_type": MULTI_SEP.join(sorted({d["type"] for d in doc_numbers})),
        "f_issuer": MULTI_SEP.join(sorted({d["issuer"] for d in doc_numbers})),
        "f_source": article.source_title or article.source,
        "f_kind": article.kind,
        "record": json.dumps(article.to_json(), ensure_ascii=False),
    }


def _clean_doc(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if v is not None}


def current_generation(index_dir: Path) -> Path | None:
    pointer = Path(index_dir) / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = Path(index_dir) / name
    return path if name and path.is_dir() else None


def _flip(index_dir: Path, gen: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".CURRENT-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(gen.name)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, Path(index_dir) / POINTER)


def _next_generation(index_dir: Path) -> Path:
    numbers = [int(p.name[4:]) for p in Path(index_dir).glob("gen-*") if p.name[4:].isdigit()]
    return Path(index_dir) / f"gen-{max(numbers, default=0) + 1:06d}"


def _prune_generations(index_dir: Path, keep: set[str]) -> None:
    """Remove generations older than the live one and its predecessor (a reader that opened the
    predecessor a moment ago can still finish its query)."""
    gens = sorted(p for p in Path(index_dir).glob("gen-*") if p.is_dir())
    for path in gens[:-2]:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _documents(articles: list[Article], procs: int) -> Iterable[dict]:
    if procs > 1 and len(articles) > 200:
        with Pool(procs) as pool:
            yield from pool.imap(to_document, articles, chunksize=16)
    else:
        yield from map(to_document, articles)


def build_index(corpus_file: Path, index_dir: Path, *, rebuild: bool = False,
                procs: int | None = None,
                progress: Callable[[str], None] | None = None) -> IndexStats:
    """Bring ``index_dir`` up to date with ``corpus_file``; returns what changed."""
    started = time.monotonic()
    corpus_file, index_dir = Path(corpus_file), Path(index_dir)
    if not corpus_file.is_file():
        raise FileNotFoundError(f"corpus file not found: {corpus_file}")
    index_dir.mkdir(parents=True, exist_ok=True)
    procs = procs or min(2, os.cpu_count() or 1)
    articles = {a.id: a for a in read_corpus(corpus_file)}
    stats = IndexStats()

    gen = None if rebuild else current_generation(index_dir)
    fresh = gen is None
    if fresh:
        gen = _next_generation(index_dir)
        gen.mkdir()
        ix = whoosh_index.create_in(str(gen), make_schema())
        existing: dict[str, str] = {}
    else:
        ix = whoosh_index.open_dir(str(gen))
        existing = _existing_hashes(ix)

    todo = [a for a in articles.values() if existing.get(a.id) != a.content_hash]
    gone = [doc_id for doc_id in existing if doc_id not in articles]
    stats.unchanged = len(articles) - len(todo)
    writer = ix.writer(limitmb=256)
    try:
        for doc_id in gone:
            writer.delete_by_term("id", doc_id)
        for n, doc in enumerate(_documents(todo, procs), 1):
            if doc["id"] in existing:
                writer.update_document(**_clean_doc(doc))
                stats.updated += 1
            else:
                writer.add_document(**_clean_doc(doc))
                stats.added += 1
            if progress and (n % 500 == 0 or n == len(todo)):
                progress(f"indexed {n}/{len(todo)} articles")
        stats.deleted = len(gone)
        writer.commit(optimize=fresh)
    except BaseException:
        writer.cancel()
        if fresh:
            shutil.rmtree(gen, ignore_errors=True)
        raise
    if fresh:
        _flip(index_dir, gen)
        _prune_generations(index_dir, keep={gen.name})
    with ix.searcher() as s:
        stats.total = s.doc_count()
    stats.generation = gen.name
    stats.seconds = time.monotonic() - started
    return stats


def _existing_hashes(ix) -> dict[str, str]:
    with ix.searcher() as s:
        return {fields["id"]: fields.get("content_hash", "") for fields in s.all_stored_fields()}


def main_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
