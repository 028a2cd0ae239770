"""Searching the index: hits with highlighted snippets, disjunctive facet counts, filters.

The web app talks to :class:`SearchIndex` only. Everything after the query is array work over
document numbers: the query's matches and scores come from :mod:`indexer.whooshfast` (Whoosh's
scores, computed with NumPy; Whoosh itself for constructs it does not cover), facet counts are
``bincount`` calls over arrays loaded once per index commit (:mod:`indexer.facets`), and the
page is a partial sort of the scores (or dates) with syndicated copies collapsed. Stored
records are read and highlighted for the hits on the page only (:mod:`indexer.snippets`).
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.searching import Searcher

from corpus.record import VN_TZ, published_datetime, published_precision
from indexer.check import IndexDamaged, check_generation
from indexer.facets import FacetTable, FacetValue, count_facets
from indexer.generations import current_generation, generations
from indexer.query import ParsedQuery, mark_units, parse, to_whoosh
from indexer.snippets import Snippets, positive_terms
from indexer.whooshfast import Evaluator, PostingCache, Unsupported, segment_readers

log = logging.getLogger(__name__)
__all__ = ["FacetValue", "IndexDamaged", "IndexNotFound", "SearchIndex", "SearchRequest",
           "SearchResult"]

SORTS = ("relevance", "newest", "oldest")
MAX_PAGE_SIZE = 100
SNIPPET_GRACE = 0.3        # seconds past the deadline before snippets give way to the lead
DEADLINE_NOTE = ("Truy vấn tốn nhiều thời gian: kết quả được trả về sớm, thứ tự và đoạn trích "
                 "có thể chưa đầy đủ.")
MAX_PAGE = 1000

_T = TypeVar("_T")


class IndexNotFound(RuntimeError):
    pass


def _commit_key(gen: Path) -> tuple[str, int]:
    """A generation and its latest commit (the newest table of contents)."""
    try:
        stamp = max((p.stat().st_mtime_ns for p in gen.glob("_*.toc")), default=0)
    except OSError:
        stamp = 0
    return gen.name, stamp


def _check_terms(view: _View, terms: Sequence[tuple[str, str]]) -> list[str]:
    """Read the postings of a failing query's own terms (damage a sample check can miss)."""
    reader = view.searcher.reader()
    for fieldname, text in terms[:200]:
        try:
            # Whoosh annotates the term as bytes, but the reader encodes a str term itself.
            if (fieldname, text) in reader:  # type: ignore[operator]
                matcher = reader.postings(fieldname, text)
                while matcher.is_active():
                    matcher.weight()
                    matcher.next()
        except Exception as exc:  # noqa: BLE001
            return [f"{view.gen.name}: postings of {fieldname}:{text!r} unreadable "
                    f"({type(exc).__name__})"]
    return []


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    provinces: tuple[str, ...] = ()       # names in the chosen scheme
    scheme: str = "new"                   # "new" (34 provinces) | "old" (63)
    years: tuple[str, ...] = ()           # "2021"
    months: tuple[str, ...] = ()          # "2021-08"
    types: tuple[str, ...] = ()           # document type codes: "KH", "NQ"
    issuers: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()           # the article's own kind: "news", "directive"
    cited: tuple[str, ...] = ()           # document numbers the article cites (not its own)
    sources: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    sort: str = ""                        # "" = relevance with a query, newest without
    page: int = 1
    page_size: int = 10

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS:
            return self.sort
        return "relevance" if self.q.strip() else "newest"

    def selections(self) -> dict[str, tuple[str, ...]]:
        """Facet name → selected values (the ``province`` facet follows the scheme)."""
        return {"province": self.provinces, "year": self.years, "month": self.months,
                "type": self.types, "issuer": self.issuers, "source": self.sources,
                "kind": self.kinds, "cited": self.cited}


@dataclass
class Hit:
    id: str
    url: str
    title: str
    published: str
    province_new: str
    province_old: str
    source: str
    snippet: str                          # safe HTML: escaped text with <mark> around matches
    doc_numbers: list[str]
    copies: int
    kind: str
    score: float | None
    snippet_skipped: bool = False         # the search ran out of time: the lead, unmarked

    @property
    def date_label(self) -> str:
        return format_date(self.published)


@dataclass
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    took_ms: float
    notes: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int:
        size = self.request.page_size
        return max(1, -(-self.total // size))


def format_date(iso: str) -> str:
    """``2021-08-16T09:30:00+07:00`` → ``16/08/2021`` (day first, as Vietnamese readers expect);
    a month-only date → ``12/2012``, a year → ``2012``."""
    dt = published_datetime(iso) if isinstance(iso, str) else None
    if dt is None:
        return ""
    precision = published_precision(iso)
    return dt.strftime({"month": "%m/%Y", "year": "%Y"}.get(precision, "%d/%m/%Y"))


@dataclass
class _View:
    """Everything opened for one index commit; replaced whole when the index changes."""
    gen: Path
    searcher: Searcher
    facets: FacetTable
    evaluator: Evaluator

    def match(self, query: Q.Query, deadline: float | None = None, ranking_or: bool = False
              ) -> tuple[np.ndarray, np.ndarray]:
        """Matching documents and their scores: NumPy, or Whoosh itself for constructs the
        evaluator does not reproduce (slow, but the same answer). Past ``deadline`` the
        evaluator drops optional work (``evaluator.truncated``)."""
        try:
            found = self.evaluator.evaluate(query, deadline, ranking_or)
            return found.mask, found.score
        except Unsupported:
            pass
        mask = np.zeros(self.facets.size, dtype=bool)
        score = np.zeros(self.facets.size)
        for s, docnum in self.searcher.search(query, limit=None).top_n:
            mask[docnum], score[docnum] = True, s
        return mask, score


class SearchIndex:
    """One open index per process; thread-safe; follows new commits and generations.

    A new commit is opened afresh rather than with ``Searcher.refresh()``: whoosh3 3.54 reuses
    a segment's reader when only the segment's deletions changed, so a refreshed searcher would
    still return updated and deleted documents.

    A generation is read for real (:func:`indexer.check.check_generation`: postings, stored
    records, columns) before it is served, at start-up and whenever ``CURRENT`` or its commit
    changes; a damaged one is logged once and skipped for the newest readable one (the
    builder keeps the previous generation on disk). Damage a sample misses shows when a query
    or an article page fails: the generation is checked again, with the failing query's terms,
    and the index falls back the same way. With no readable generation every call raises
    :class:`IndexDamaged` (the site answers 503) until a good one appears.
    """

    RETRY_SECONDS = 5.0
    #: A search's time after which optional work (boosts, further OR alternatives, snippets)
    #: is skipped and the page says so; what a match must satisfy is always evaluated.
    search_seconds = 1.0

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._postings = PostingCache()
        self._view: _View | None = None
        self._bad: dict[tuple[str, int], str] = {}    # (generation, commit stamp) → problem
        self._damage = ""
        self._tried = 0.0
        try:
            self._open()
        except IndexDamaged as exc:       # serve 503s and retry; the damage is logged once
            log.error("%s", exc)

    # -- life cycle -------------------------------------------------------------------------
    def _open(self) -> None:
        """Serve the newest readable generation, starting from ``CURRENT``."""
        self._tried = time.monotonic()
        gen = current_generation(self.index_dir)
        if gen is None:
            raise IndexNotFound(f"no index in {self.index_dir} (run `unionsearch index` first)")
        older = [g for _, g in sorted(generations(self.index_dir).items(), reverse=True)]
        for candidate in [gen, *[g for g in older if g != gen]]:
            key = _commit_key(candidate)
            if key in self._bad:
                continue
            problems = check_generation(candidate)
            if not problems:
                try:
                    self._switch(candidate)
                except Exception as exc:  # noqa: BLE001 - unreadable after all: next one
                    problems = [f"{candidate.name}: {type(exc).__name__}: {exc}"[:300]]
            if problems:
                self._bad[key] = problems[0]
                log.error("index generation %s is damaged (%s); trying an older one",
                          candidate.name, problems[0])
                continue
            if candidate != gen:
                log.error("serving index generation %s: the current one, %s, is damaged",
                          candidate.name, gen.name)
            self._damage = ""
            return
        self._damage = (f"no readable index generation in {self.index_dir}: "
                        f"{self._bad.get(_commit_key(gen), 'damaged')}")
        if self._view is not None:
            self._view.searcher.close()
            self._view = None
        raise IndexDamaged(self._damage)

    def _switch(self, gen: Path) -> None:
        searcher = whoosh_index.open_dir(str(gen)).searcher()
        try:
            view = _View(gen, searcher, FacetTable(searcher.reader()),
                         self._evaluator(searcher))
        except BaseException:
            searcher.close()
            raise
        old, self._view = self._view, view
        if old is not None:
            old.searcher.close()

    def _evaluator(self, searcher: Searcher) -> Evaluator:
        """The fast evaluator, with every field length and stored record file opened now:
        a later commit may delete merged segments' files, which open handles survive."""
        evaluator = Evaluator(searcher, self._postings)
        for name, fieldobj in searcher.schema.items():
            if fieldobj.scorable:
                evaluator.lengths(name)
        for leaf in segment_readers(searcher.reader()):
            leaf.stored_fields(0)
        return evaluator

    def refresh(self) -> None:
        """Pick up a new commit or a rebuilt generation; cheap when nothing changed."""
        with self._lock:
            view = self._view
            if view is None:
                if time.monotonic() - self._tried < self.RETRY_SECONDS:
                    raise IndexDamaged(self._damage)
                self._open()
                return
            gen = current_generation(self.index_dir)
            if gen is None:
                return                       # CURRENT vanished or garbled: keep serving
            if gen != view.gen or not view.searcher.up_to_date():
                if _commit_key(gen) in self._bad and gen != view.gen:
                    return                   # known damaged: keep the generation we have
                self._open()

    def _current(self) -> _View:
        view = self._view
        if view is None:
            raise IndexDamaged(self._damage or "index closed")
        return view

    def _damaged(self, view: _View, terms: Sequence[tuple[str, str]] = ()) -> bool:
        """After a failure on ``view``: is its generation damaged? If so it is set aside and
        the newest readable generation opened (raises IndexDamaged when there is none)."""
        problems = check_generation(view.gen) or _check_terms(view, terms)
        if not problems:
            return False
        with self._lock:
            if self._view is view:
                self._bad[_commit_key(view.gen)] = problems[0]
                log.error("index generation %s is damaged (%s)", view.gen.name, problems[0])
                self._open()
        return True

    def _on_readable(self, work: Callable[[_View], _T],
                     terms: Callable[[], Sequence[tuple[str, str]]] = list) -> _T:
        """``work(view)`` under the lock; when it fails on a generation found damaged, once more
        on the generation the index fell back to. Other failures (the query's) are raised."""
        for attempt in (1, 2):
            with self._lock:
                view = self._current()
                try:
                    return work(view)
                except Exception:
                    if attempt == 2 or not self._damaged(view, terms()):
                        raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._view is not None:
                self._view.searcher.close()
                self._view = None

    @property
    def doc_count(self) -> int:
        with self._lock:
            return self._current().searcher.doc_count()

    @property
    def generation(self) -> Path:
        """The generation being served (an older one when the current is damaged)."""
        with self._lock:
            return self._current().gen

    # -- search -----------------------------------------------------------------------------
    def search(self, req: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        notes: list[str] = []
        req = self._sanitise(req, notes)
        parsed = parse(req.q)
        deadline = time.monotonic() + self.search_seconds
        built: list[Q.Query] = []

        def run(view: _View) -> SearchResult:
            built[:] = [to_whoosh(parsed, view.searcher)]   # the index informs the query
            return self._run(view, req, parsed, built[0], deadline)

        def terms() -> list[tuple[str, str]]:
            return [(f, t) for q in built for f, texts in positive_terms(q).items()
                    for t in texts]

        result = self._on_readable(run, terms)
        notes.extend(parsed.notes)                     # parsing's, and restoration's budget
        if result.total == 0 and parsed.entities:
            names = ", ".join(f"“{e}”" for e in dict.fromkeys(parsed.entities))
            notes.append(f"Không có bài nào nhắc đến {names} (tìm nguyên cụm tên, không tách từng "
                         "tiếng).")
        result.notes = notes + result.notes
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _sanitise(self, req: SearchRequest, notes: list[str]) -> SearchRequest:
        page_size = min(max(1, req.page_size), MAX_PAGE_SIZE)
        page = req.page
        if page < 1:
            page = 1
        if page > MAX_PAGE:
            notes.append(f"Chỉ xem được tối đa {MAX_PAGE} trang kết quả.")
            page = MAX_PAGE
        scheme = req.scheme if req.scheme in ("new", "old") else "new"
        return replace(req, page=page, page_size=page_size, scheme=scheme)

    def _run(self, view: _View, req: SearchRequest, parsed: ParsedQuery,
             query: Q.Query, deadline: float | None = None) -> SearchResult:
        table = view.facets
        view.evaluator.truncated = False
        if parsed.empty:
            matched, scores = view.evaluator.live.copy(), None
        else:
            matched, scores = view.match(query, deadline, ranking_or=parsed.question)

        allowed, facets = count_facets(table, req.selections(), req.scheme, matched,
                                       self._date_mask(table, req))
        total = table.stories(allowed)
        hits = self._page(view, req, parsed, query, allowed, scores, total, deadline)
        result = SearchResult(req, total, hits, facets, 0.0)
        if view.evaluator.truncated or any(h.snippet_skipped for h in hits):
            result.notes.append(DEADLINE_NOTE)
        return result

    def _date_mask(self, table: FacetTable, req: SearchRequest) -> np.ndarray | None:
        if req.date_from is None and req.date_to is None:
            return None
        ds = table.date_sort
        mask = ds > 0
        if req.date_from is not None:
            start = datetime.combine(req.date_from, datetime.min.time(), VN_TZ)
            mask &= ds >= int(start.timestamp())
        if req.date_to is not None and req.date_to < date.max:
            end = datetime.combine(req.date_to + timedelta(days=1), datetime.min.time(), VN_TZ)
            mask &= ds < int(end.timestamp())
        return mask

    def _page(self, view: _View, req: SearchRequest, parsed: ParsedQuery, query: Q.Query,
              allowed: np.ndarray, scores: np.ndarray | None, total: int,
              deadline: float | None = None) -> list[Hit]:
        first = (req.page - 1) * req.page_size
        if first >= total:
            return []
        sort = req.effective_sort
        if scores is None and sort == "relevance":
            sort = "newest"
        table = view.facets
        key = {"relevance": scores, "newest": table.date_sort,
               "oldest": -table.date_sort}[sort]
        assert key is not None            # without scores the sort is by date (above)
        docnums = _collapsed_ranking(table, allowed, key, first + req.page_size)[first:]
        snippets = Snippets(view.searcher.schema, None if parsed.empty else query,
                            mark_units(parsed))
        relevance = scores if sort == "relevance" else None
        reader = view.searcher.reader()   # the searcher's ``stored_fields`` is this reader's
        hits = []
        for docnum in docnums.tolist():
            record = json.loads(reader.stored_fields(docnum)["record"])
            skipped = deadline is not None and time.monotonic() > deadline + SNIPPET_GRACE
            snippet = snippets.unmarked(record) if skipped else snippets.marked(record)
            hits.append(Hit(
                id=record["id"], url=record["url"], title=record["title"],
                published=record.get("published", ""),
                province_new=record.get("province_new", ""),
                province_old=record.get("province_old", ""),
                source=record.get("source_title") or record.get("source", ""),
                snippet=snippet,
                snippet_skipped=skipped,
                doc_numbers=[d["number"] for d in record.get("doc_numbers", [])],
                copies=table.copies(allowed, docnum), kind=record.get("kind", "news"),
                score=float(relevance[docnum]) if relevance is not None else None,
            ))
        return hits

    # -- single documents -------------------------------------------------------------------
    def get(self, doc_id: str) -> dict | None:
        """The stored article record for an id (``None`` when unknown)."""
        def read(view: _View) -> dict | None:
            fields = view.searcher.document(id=doc_id)
            return json.loads(fields["record"]) if fields else None

        return self._on_readable(read)

    def copies_of(self, doc_id: str) -> list[dict]:
        """Other articles with the same near-duplicate key (syndicated copies)."""
        with self._lock:
            searcher, table = self._current().searcher, self._current().facets
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                return []
            same = np.flatnonzero(table.dup == table.dup[docnum])
            reader = searcher.reader()
            out = []
            for n in same.tolist():
                if n != docnum and not reader.is_deleted(n):
                    out.append(json.loads(reader.stored_fields(n)["record"]))
            return out


def _collapsed_ranking(table: FacetTable, allowed: np.ndarray, key: np.ndarray,
                       last: int) -> np.ndarray:
    """The first ``last`` allowed documents by ``key`` (descending; ties: official copies, see
    ``schema``, then document number), one per cluster of syndicated copies. Only a top slice
    is sorted, widened when copies collapse it below ``last``."""
    candidates = np.flatnonzero(allowed)
    want = min(len(candidates), max(2 * last, 20))
    while True:
        values = key[candidates]
        if want < len(candidates):
            threshold = np.partition(values, len(values) - want)[len(values) - want]
            top = candidates[values >= threshold]
        else:
            top = candidates
        ranked = table.first_of_clusters(top[np.lexsort((top, -table.official[top], -key[top]))])
        if len(ranked) >= last or want >= len(candidates):
            return ranked[:last]
        want = min(len(candidates), want * 4)
