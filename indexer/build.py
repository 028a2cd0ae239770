"""Build and update the on-disk index from the corpus file.

Layout of an index directory (``CURRENT`` and the generations: :mod:`indexer.generations`)::

    <index-dir>/CURRENT          name of the live generation, replaced atomically
    <index-dir>/gen-000001/      a Whoosh index (its own TOC makes each commit atomic)
    <index-dir>/words.sqlite     pyvi's word splitting by line hash (survives rebuilds)
    <index-dir>/BUILD.lock       held by the one indexing process

Updates are incremental, keyed by article id (from the canonical URL) and content hash: new and
changed articles are (re)written, vanished ones deleted, in one Whoosh commit, whose table of
contents is renamed into place last, so a crash leaves the previous commit searchable. A full
rebuild writes a new generation beside the live one and flips ``CURRENT`` only when it is
complete. Readers resolve ``CURRENT`` when they open (see ``search.SearchIndex``). Segments
are left as separate files, not packed into Whoosh's compound file: whoosh3 reads a compound
file's parts into memory copies (``BytesIO``) at every open.

Big batches use both cores: each worker process reads its share of the corpus lines, runs pyvi
(cached on disk, so a rebuild after a schema change does not split words again) and writes whole
segments with :class:`~indexer.whooshfast.FastSegmentWriter`; the parent deletes the replaced
documents and commits the workers' segments in one table of contents. A worker starts a new
segment after ``SEGMENT_POSTINGS`` postings, which bounds its memory.

Each generation records ``FORMAT`` (the schema's shape and ``INDEX_FORMAT``); an update finding
another format rebuilds in full, so a new release never mixes old and new analysis.
"""
from __future__ import annotations

import ctypes
import fcntl
import gc
import hashlib
import json
import multiprocessing
import os
import queue
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.queues import Queue
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import FileIndex
from whoosh.reading import IndexReader

from corpus.docnumbers import find_doc_numbers
from corpus.record import NATIONAL, Article, article_id, published_datetime
from indexer.analysis import (
    flush_word_cache,
    fold_syllables,
    folded_syllables,
    join_compounds,
    merge_word_cache,
    syllables,
    use_word_cache,
)
from indexer.generations import (
    DRAFT_PREFIX,
    current_generation,
    flip,
    generation_number,
    generations,
    next_generation,
)
from indexer.schema import MULTI_SEP, make_schema
from indexer.whooshfast import (
    FastSegmentWriter,
    Prepared,
    committed_doc_count,
    docnum_terms,
    finish_part,
)
from indexer.wordcache import cache_path

FORMAT_FILE = "FORMAT"
#: Bumped by hand when analysis changes what a field indexes (the schema's shape is checked
#: on its own).
INDEX_FORMAT = 3
LOCK_FILE = "BUILD.lock"
#: Below this many documents a pool and sub-writers cost more than they save.
PARALLEL_MIN = 200
#: Pool buffer of a writer (only the small fields use Whoosh's pool) before it spills to disk.
WRITER_MB = 256
#: Postings a worker keeps in memory (~50 bytes each) before it writes a segment and starts
#: another: ~30 M is ~30,000 news articles, three segments for VietNews 143k on two cores.
SEGMENT_POSTINGS = 30_000_000
#: Corpus lines handed to a worker at a time (workers take the next batch when done, so both
#: cores stay busy to the end).
BATCH_LINES = 200
PROGRESS_SECONDS = 10.0
#: Posting lists shorter than this live inside the term dictionary rather than in a block of
#: their own: syllable bigrams make millions of rare terms, and writing a block per term was a
#: third of the indexing time (whoosh3 3.54 needs a fix for it: see ``whooshfast.segwriter``).
INLINE_LIMIT = 16

Progress = Callable[[str], None]


class IndexBusy(RuntimeError):
    """Another process is building this index (one writer at a time)."""


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
    """``published`` at any precision (a month-only date sorts and facets as its first day)."""
    return published_datetime(value)


def to_document(article: Article) -> dict:
    """The Whoosh document for one article (pyvi word splitting included: the slow part)."""
    published = parse_date(article.published)
    body = article.text
    doc_numbers = article.doc_numbers
    province_new = article.province_new or NATIONAL
    province_old = article.province_old or NATIONAL

    # "Loại văn bản" and "Cơ quan ban hành" describe the document the article *is* (a
    # directive's own number comes first); the numbers it only cites have a facet of their own.
    own = doc_numbers[0] if article.kind == "directive" and doc_numbers else None
    # Each text is cut into syllables once, for its accented and its folded field.
    title, sapo = syllables(article.title), syllables(article.sapo)
    text = syllables(body)
    return {
        "id": article.id,
        "url": article.url,
        "content_hash": article.content_hash,
        "title": Prepared(article.title, syllables, title),
        "sapo": Prepared(article.sapo, syllables, sapo),
        "body": Prepared(body, syllables, text),
        "title_fold": Prepared(article.title, folded_syllables, fold_syllables(title)),
        "text_fold": Prepared(article.sapo + "\n" + body, folded_syllables,
                              fold_syllables(sapo + text)),
        "title_words": join_compounds(article.title),
        "text_words": join_compounds(article.sapo + "\n" + body),
        "so_hieu": ",".join(d["number"].lower() for d in doc_numbers),
        "date_sort": int(published.timestamp()) if published else 0,
        "dup_key": (article.dup_key or article.id).encode("utf-8"),
        "official": 1 if find_doc_numbers(article.title) else 0,
        **{name: value.encode("utf-8") for name, value in (
            ("f_province_new", province_new),
            ("f_province_old", province_old),
            ("f_month", published.strftime("%Y-%m") if published else ""),
            ("f_type", own["type"] if own else ""),
            ("f_issuer", own["issuer"] if own else ""),
            ("f_cited", MULTI_SEP.join(sorted({d["number"] for d in doc_numbers} - {
                own["number"] if own else ""}))),
            ("f_source", article.source_title or article.source),
            ("f_kind", article.kind))},
        "record": json.dumps(article.to_json(), ensure_ascii=False),
    }


def _clean_doc(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if v is not None}


def line_document(line: bytes) -> dict:
    """A corpus line → its Whoosh document; runs in the pool workers."""
    return _clean_doc(to_document(Article.from_json(json.loads(line))))


# -- old generations and the remains of a killed build ----------------------------------------
def _prune_generations(index_dir: Path, keep: set[Path]) -> None:
    """Remove every generation but ``keep`` (the live one and its predecessor, which a reader
    may have opened a moment ago). Called with the build lock held, so anything else is an
    old generation or the remains of a killed rebuild."""
    for path in generations(index_dir).values():
        if path not in keep:
            shutil.rmtree(path, ignore_errors=True)


def _remove_orphans(index_dir: Path, live: Path) -> None:
    """Generations newer than the live one were left by a rebuild that never finished; spill
    directories and pointer drafts by a killed writer."""
    live_number = generation_number(live)
    for number, path in generations(index_dir).items():
        if number > live_number:
            shutil.rmtree(path, ignore_errors=True)
    for tmp in live.glob("*.tmp"):
        shutil.rmtree(tmp, ignore_errors=True)
    for draft in Path(index_dir).glob(f"{DRAFT_PREFIX}*"):
        draft.unlink(missing_ok=True)


def index_format() -> str:
    """The schema's shape (field names, types, formats) and ``INDEX_FORMAT``, as one tag."""
    shape = [(name, type(f).__name__, type(f.format).__name__ if f.format else "",
              f.scorable, f.stored, f.unique, type(f.column_type).__name__)
             for name, f in make_schema().items()]
    return hashlib.sha1(json.dumps([INDEX_FORMAT, shape]).encode()).hexdigest()[:16]


def _format_of(gen: Path) -> str:
    try:
        return (gen / FORMAT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


# -- one indexing process at a time, and no orphans -------------------------------------------
class _BuildLock:
    """``flock`` on ``BUILD.lock``: released by the kernel when the holder dies, however."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / LOCK_FILE
        self.fd = -1

    def __enter__(self) -> _BuildLock:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            raise IndexBusy(f"another process is indexing into {self.path.parent}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


_building_pid = 0


def _die_with_builder() -> None:
    """In every child forked during a build (pyvi pool, Whoosh sub-writers): die with the
    builder. A child that outlived a killed builder would keep the inherited ``flock`` write
    locks and block every later run."""
    if not _building_pid or sys.platform != "linux":
        return
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # 1 = PR_SET_PDEATHSIG
    if os.getppid() != _building_pid:                              # died before prctl
        os._exit(1)


os.register_at_fork(after_in_child=_die_with_builder)


# -- planning: what changed -------------------------------------------------------------------
@dataclass
class _Plan:
    """What an update has to do, from one pass over the corpus (bodies are not kept)."""
    offsets: list[int] = field(default_factory=list)    # corpus lines to (re)index
    changed: set[str] = field(default_factory=set)      # ids already indexed, to replace
    gone: list[str] = field(default_factory=list)       # ids no longer in the corpus
    unchanged: int = 0


def _scan(corpus_file: Path) -> dict[str, tuple[int, str]]:
    """id → (byte offset of its line, content hash); the last line wins for a repeated URL."""
    found: dict[str, tuple[int, str]] = {}
    offset = 0
    with open(corpus_file, "rb") as f:
        for lineno, line in enumerate(f, 1):
            if line.strip():
                try:
                    data = json.loads(line)
                    found[article_id(data["url"])] = (offset, data.get("content_hash", ""))
                except (ValueError, TypeError, KeyError) as exc:
                    raise ValueError(f"{corpus_file}:{lineno}: not an article record "
                                     f"({exc!r})") from exc
            offset += len(line)
    return found


def _plan(corpus: dict[str, tuple[int, str]], indexed: dict[str, str]) -> _Plan:
    plan = _Plan(gone=[doc_id for doc_id in indexed if doc_id not in corpus])
    for doc_id, (offset, digest) in corpus.items():
        if doc_id not in indexed:
            plan.offsets.append(offset)
        elif indexed[doc_id] != digest:
            plan.offsets.append(offset)
            plan.changed.add(doc_id)
        else:
            plan.unchanged += 1
    plan.offsets.sort()
    return plan


def indexed_hashes(reader: IndexReader) -> dict[str, str]:
    """id → content hash of every live document, from the two fields' term dictionaries: no
    stored record is unpickled (at 143k documents those are half a gigabyte of JSON)."""
    ids = docnum_terms(reader, "id")
    hashes = docnum_terms(reader, "content_hash")
    return {doc_id: hashes.get(docnum, "") for docnum, doc_id in ids.items()}


def _lines(corpus_file: Path, offsets: list[int]) -> Iterator[bytes]:
    with open(corpus_file, "rb") as f:
        for offset in offsets:
            f.seek(offset)
            yield f.readline()


def _writer_options() -> dict:
    return {"limitmb": WRITER_MB, "compound": False, "codec": W3Codec(inlinelimit=INLINE_LIMIT)}


_done = None        # multiprocessing.Value: articles indexed by all workers, for progress


def _count(n: int) -> None:
    if _done is not None:
        with _done.get_lock():
            _done.value += n


def _write_batches(ix: FileIndex, corpus_file: Path, batches: Iterable[list[int]]) -> list[Segment]:
    """Index the corpus lines at ``batches`` of offsets into new segments (none committed):
    a writer per ``SEGMENT_POSTINGS`` postings. Runs in a worker, or in the builder itself.

    The cyclic garbage collector is off meanwhile: the writer holds millions of posting lists,
    which every full collection would walk again, and it makes no cycles (a fifth of the build
    time at 10,000 articles, more at 143,000)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _write_segments(ix, corpus_file, batches)
    finally:
        flush_word_cache()
        if collecting:
            gc.enable()


def _write_segments(ix: FileIndex, corpus_file: Path, batches: Iterable[list[int]]) -> list[Segment]:
    segments, writer = [], None
    for offsets in batches:
        for line in _lines(corpus_file, offsets):
            if writer is None:
                writer = FastSegmentWriter(ix, _lk=False, **_writer_options())
            writer.add_document(**line_document(line))
            if writer.postings_held >= SEGMENT_POSTINGS:
                segment = finish_part(writer)
                assert segment is not None    # it holds the document just added
                segments.append(segment)
                writer = None
        _count(len(offsets))
    if writer is not None and (segment := finish_part(writer)) is not None:
        segments.append(segment)
    return segments


def _ticking_batches(offsets: list[int], ticker: _Ticker) -> Iterator[list[int]]:
    for i in range(0, len(offsets), BATCH_LINES):
        yield offsets[i:i + BATCH_LINES]
        ticker.tick(min(i + BATCH_LINES, len(offsets)))


def _worker(ix: FileIndex, corpus_file: Path, tasks: Queue[list[int] | None],
            results: Queue[tuple[str, list[Segment] | str]]) -> None:
    def batches() -> Iterator[list[int]]:
        while (batch := tasks.get()) is not None:
            yield batch
    try:
        results.put(("ok", _write_batches(ix, corpus_file, batches())))
    except BaseException:  # noqa: BLE001 - the worker's error goes back to the parent whole
        results.put(("error", traceback.format_exc()))


def _write_parallel(ix: FileIndex, corpus_file: Path, offsets: list[int], procs: int,
                    ticker: _Ticker) -> list[Segment]:
    """``procs`` worker processes take batches of lines from a queue until it is empty."""
    global _done
    ctx = multiprocessing.get_context("fork")
    _done = ctx.Value("q", 0)
    tasks, results = ctx.Queue(), ctx.Queue()
    for i in range(0, len(offsets), BATCH_LINES):
        tasks.put(offsets[i:i + BATCH_LINES])
    for _ in range(procs):
        tasks.put(None)
    workers = [ctx.Process(target=_worker, args=(ix, corpus_file, tasks, results), daemon=True)
               for _ in range(procs)]
    for w in workers:
        w.start()
    segments: list = []
    try:
        for _ in workers:
            while True:
                ticker.tick(_done.value)
                try:
                    status, value = results.get(timeout=1)
                    break
                except queue.Empty:
                    dead = [w for w in workers if w.exitcode not in (None, 0)]
                    if dead:
                        raise RuntimeError(f"indexing worker {dead[0].pid} died "
                                           f"(exit code {dead[0].exitcode})") from None
            if status == "error":
                raise RuntimeError(f"indexing worker failed:\n{value}")
            segments += value
    finally:
        for w in workers:
            if w.is_alive():
                w.kill()
            w.join()
        _done = None
    ticker.tick(len(offsets))
    return segments


class _Ticker:
    """Progress lines every few seconds: count, rate, time left."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total, self.progress = total, progress
        self.started = self.last = time.monotonic()
        self.finished = False        # the last line is printed once

    def tick(self, n: int) -> None:
        now = time.monotonic()
        if self.progress is None or self.finished or (now - self.last < PROGRESS_SECONDS
                                                      and n < self.total):
            return
        self.last, self.finished = now, n >= self.total
        rate = n / max(now - self.started, 1e-9)
        left = (self.total - n) / rate if rate else 0.0
        self.progress(f"indexed {n}/{self.total} articles ({rate:.0f}/s, "
                      + ("writing the last segments)" if self.finished
                         else f"{left / 60:.1f} min left)"))


# -- the build --------------------------------------------------------------------------------
def build_index(corpus_file: Path, index_dir: Path, *, rebuild: bool = False,
                procs: int | None = None,
                progress: Progress | None = None) -> IndexStats:
    """Bring ``index_dir`` up to date with ``corpus_file``; returns what changed."""
    global _building_pid
    started = time.monotonic()
    corpus_file, index_dir = Path(corpus_file), Path(index_dir)
    if not corpus_file.is_file():
        raise FileNotFoundError(f"corpus file not found: {corpus_file}")
    index_dir.mkdir(parents=True, exist_ok=True)
    with _BuildLock(index_dir):
        _building_pid = os.getpid()
        use_word_cache(cache_path(index_dir))
        # What earlier builds staged joins the table before anything reads it; what this
        # build stages waits for the next reader (``settle_word_cache``): a first build
        # never reads the cache, so merging it is no part of making the index.
        merge_word_cache()
        try:
            stats = _build(corpus_file, index_dir, rebuild,
                           procs or min(2, os.cpu_count() or 1), progress)
        finally:
            use_word_cache(None)          # stages this process's own lines
            _building_pid = 0
    stats.seconds = time.monotonic() - started
    return stats


def settle_word_cache(index_dir: Path) -> None:
    """Merge the lines the last build staged into the cache table, for a reader of
    the cache other than the next build (which merges them itself)."""
    with _BuildLock(Path(index_dir)):
        use_word_cache(cache_path(index_dir))
        try:
            merge_word_cache()
        finally:
            use_word_cache(None)


def _build(corpus_file: Path, index_dir: Path, rebuild: bool, procs: int,
           progress: Progress | None) -> IndexStats:
    live = current_generation(index_dir)
    if live is not None:
        _remove_orphans(index_dir, live)
    fresh = rebuild or live is None
    # ``live is None`` implies ``fresh``: the two tests below repeat it for the type checker.
    if live is not None and not fresh and _format_of(live) != index_format():
        fresh = True
        if progress:
            progress(f"{live} was written by another version of the indexer: rebuilding")
    gen = next_generation(index_dir) if fresh or live is None else live
    if fresh:
        gen.mkdir()
        ix = whoosh_index.create_in(str(gen), make_schema())
        (gen / FORMAT_FILE).write_text(index_format() + "\n", encoding="utf-8")
        indexed: dict[str, str] = {}
    else:
        ix = whoosh_index.open_dir(str(gen))
        with ix.reader() as reader:
            indexed = indexed_hashes(reader)
    plan = _plan(_scan(corpus_file), indexed)
    try:
        stats = _write(ix, corpus_file, plan, procs, progress)
    except BaseException:
        if fresh:
            shutil.rmtree(gen, ignore_errors=True)
        raise
    if fresh:
        flip(index_dir, gen)
        _prune_generations(index_dir, keep={gen} | ({live} if live else set()))
    stats.total = committed_doc_count(ix)   # no reader to open
    stats.generation = gen.name
    return stats


def _write(ix: FileIndex, corpus_file: Path, plan: _Plan, procs: int,
           progress: Progress | None) -> IndexStats:
    """One Whoosh commit with every deletion, replacement and addition of the plan."""
    writer = FastSegmentWriter(ix, **_writer_options())
    stats = IndexStats(unchanged=plan.unchanged, deleted=len(plan.gone),
                       updated=len(plan.changed),
                       added=len(plan.offsets) - len(plan.changed))
    ticker = _Ticker(len(plan.offsets), progress)
    try:
        for doc_id in [*plan.gone, *plan.changed]:
            writer.delete_by_term("id", doc_id)
        if procs > 1 and len(plan.offsets) >= PARALLEL_MIN:
            segments = _write_parallel(ix, corpus_file, plan.offsets, procs, ticker)
        else:
            segments = _write_batches(ix, corpus_file, _ticking_batches(plan.offsets, ticker))
        if progress and plan.offsets:
            progress("committing")
        writer.commit_with(segments)
    except BaseException:
        writer.cancel()
        raise
    return stats


def main_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
