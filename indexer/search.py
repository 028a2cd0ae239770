"""Searching the index: hits with highlighted snippets, disjunctive facet counts, filters.

The web app talks to :class:`SearchIndex` only. Everything after the query is array work over
document numbers: the query's matches and scores come from :mod:`indexer.postings` (Whoosh's
scores, computed with NumPy; Whoosh itself for constructs it does not cover), facet values are
read from the ``f_*`` columns into integer arrays once per index commit (:class:`FacetTable`),
so a facet's count is a ``bincount`` over the documents that match the query and every *other*
filter (picking Thanh Hóa still shows Nghệ An's count), and the page is a partial sort of the
scores (or dates) with syndicated copies collapsed. Stored records are read and highlighted
for the hits on the page only.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.columns import VarBytesColumn
from whoosh.fields import Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from corpus.record import VN_TZ, published_datetime, published_precision
from indexer.build import current_generation, generations
from indexer.check import IndexDamaged, check_generation
from indexer.postings import Evaluator, PostingCache, Unsupported
from indexer.query import ParsedQuery, parse, to_whoosh
from indexer.schema import FACET_FIELDS, MULTI_SEP

log = logging.getLogger(__name__)
__all__ = ["IndexDamaged", "IndexNotFound", "SearchIndex", "SearchRequest", "SearchResult"]

SORTS = ("relevance", "newest", "oldest")
MAX_PAGE_SIZE = 100
SNIPPET_GRACE = 0.3        # seconds past the deadline before snippets give way to the lead
DEADLINE_NOTE = ("Truy vấn tốn nhiều thời gian: kết quả được trả về sớm, thứ tự và đoạn trích "
                 "có thể chưa đầy đủ.")
MAX_PAGE = 1000
#: Facets shown to users, in order; "year" is derived from the month column.
FACETS = ("province", "year", "month", "type", "issuer", "source")

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
                "type": self.types, "issuer": self.issuers, "source": self.sources}


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


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


class FacetTable:
    """Per-document facet values as integer codes, loaded once per index commit.

    Multi-valued facets (document types, issuers) are (document, value) pairs. Counts are of
    distinct stories: only documents in a cluster of syndicated copies (``multi``) need the
    slower distinct-pair count, every other document is one story by itself.
    """

    def __init__(self, reader: IndexReader) -> None:
        self.size = reader.doc_count_all()
        self.values: dict[str, list[str]] = {}
        self.doc_idx: dict[str, np.ndarray] = {}
        self.val_idx: dict[str, np.ndarray] = {}
        self.dup = _codes(_column_bytes(reader, "dup_key"))[0]
        cluster_size = np.bincount(self.dup, minlength=1)
        self.multi = cluster_size[self.dup] > 1
        self.width = int(self.dup.max()) + 1 if self.size else 1
        for name in ("province", "province_old", "month", "type", "issuer", "source"):
            self._load(name, _column_bytes(reader, FACET_FIELDS[name]))
        self._derive("year", "month", [m[:4].encode("utf-8") for m in self.values["month"]])
        self.date_sort = numeric_column(reader, "date_sort")
        self.official = numeric_column(reader, "official")

    def _load(self, name: str, per_doc: list[bytes]) -> None:
        codes, values = _codes(per_doc)
        if not any(MULTI_SEP in v for v in values):
            has = codes != values.index("") if "" in values else np.ones(len(codes), bool)
            self.doc_idx[name] = np.flatnonzero(has)
            self.val_idx[name] = codes[has]
            self.values[name] = values
            return
        lookup: dict[str, int] = {}
        docs, vals = [], []
        for docnum, code in enumerate(codes.tolist()):
            raw = values[code]
            for value in raw.split(MULTI_SEP) if raw else ():
                docs.append(docnum)
                vals.append(lookup.setdefault(value, len(lookup)))
        self.values[name] = list(lookup)
        self.doc_idx[name] = np.array(docs, dtype=np.int64)
        self.val_idx[name] = np.array(vals, dtype=np.int64)

    def _derive(self, name: str, base: str, mapped: list[bytes]) -> None:
        codes, values = _codes(mapped)
        self.values[name] = values
        self.doc_idx[name] = self.doc_idx[base]
        self.val_idx[name] = codes[self.val_idx[base]] if len(codes) else self.val_idx[base]

    def mask(self, name: str, selected: tuple[str, ...]) -> np.ndarray:
        """Documents carrying any of the selected values."""
        out = np.zeros(self.size, dtype=bool)
        lookup = {v: i for i, v in enumerate(self.values[name])}
        wanted = np.zeros(len(lookup) + 1, dtype=bool)
        wanted[[lookup[v] for v in selected if v in lookup]] = True
        out[self.doc_idx[name][wanted[self.val_idx[name]]]] = True
        return out

    def counts(self, name: str, docs: np.ndarray) -> dict[str, int]:
        """Per value, the number of distinct stories among ``docs`` (copies count once), so
        counts agree with the collapsed result total."""
        doc_idx = self.doc_idx[name]
        sel = docs[doc_idx]
        vals, owners = self.val_idx[name][sel], doc_idx[sel]
        multi = self.multi[owners]
        counts = np.bincount(vals[~multi], minlength=len(self.values[name]))
        if multi.any():
            pairs = np.unique(vals[multi] * self.width + self.dup[owners[multi]])
            counts += np.bincount(pairs // self.width, minlength=len(counts))
        return {self.values[name][i]: int(counts[i]) for i in np.flatnonzero(counts)}

    def stories(self, docs: np.ndarray) -> int:
        """How many distinct stories ``docs`` holds (a cluster of copies is one)."""
        copies = docs & self.multi
        return int(np.count_nonzero(docs) - np.count_nonzero(copies)
                   + len(np.unique(self.dup[copies])))

    def copies(self, docs: np.ndarray, docnum: int) -> int:
        """Other documents of ``docs`` in the same cluster as ``docnum``."""
        if not self.multi[docnum]:
            return 0
        return int(np.count_nonzero(docs & (self.dup == self.dup[docnum]))) - 1

    def first_of_clusters(self, ranked: np.ndarray) -> np.ndarray:
        """``ranked`` without the documents whose cluster already appeared earlier."""
        _, first = np.unique(self.dup[ranked], return_index=True)
        return ranked[np.sort(first)]


def _codes(values: list[bytes]) -> tuple[np.ndarray, list[str]]:
    """Integer codes for UTF-8 values (first seen, first code) and the strings by code."""
    lookup: dict[bytes, int] = {}
    codes = np.fromiter((lookup.setdefault(v, len(lookup)) for v in values), dtype=np.int64,
                        count=len(values))
    return codes, [v.decode("utf-8") for v in lookup]


def _segments(reader: IndexReader) -> list[IndexReader]:
    """The segment readers of a reader (an empty index has none)."""
    return [leaf for leaf, _ in reader.leaf_readers() if leaf.doc_count_all()]


def numeric_column(reader: IndexReader, fieldname: str) -> np.ndarray:
    """A numeric column's value for every document; 0 in segments written without the column
    (an index from an earlier release stays searchable until ``index`` rebuilds it)."""
    return np.concatenate(
        [np.fromiter(leaf.column_reader(fieldname), dtype=np.int64, count=leaf.doc_count_all())
         if fieldname in leaf.schema and leaf.has_column(fieldname)
         else np.zeros(leaf.doc_count_all(), np.int64)
         for leaf in _segments(reader)] or [np.zeros(0, np.int64)])


def _column_bytes(reader: IndexReader, fieldname: str) -> list[bytes]:
    """A string column's value for every document. Whoosh's iterator seeks and reads once per
    document (seconds at 143k); a segment's values are read here as one block and cut."""
    out: list[bytes] = []
    for leaf in _segments(reader):
        col = leaf.column_reader(fieldname, translate=False)
        if not isinstance(col, VarBytesColumn.Reader):
            out.extend(v.encode("utf-8") if isinstance(v, str) else v or b"" for v in col)
            continue
        blob = col._dbfile.get(col._basepos, sum(col._lengths))
        ends = np.cumsum(col._lengths).tolist()
        out.extend(blob[end - n:end] for end, n in zip(ends, col._lengths))
    return out


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
        for leaf in _segments(searcher.reader()):
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
            return [(f, t) for q in built for f, texts in _positive_terms(q).items()
                    for t in texts]

        result = self._on_readable(run, terms)
        notes.extend(parsed.notes)                     # parsing's, and restoration's budget
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

        selections = req.selections()
        province_facet = "province" if req.scheme == "new" else "province_old"
        masks: dict[str, np.ndarray] = {}
        for name, selected in selections.items():
            if selected:
                column = province_facet if name == "province" else name
                masks[name] = table.mask(column, selected)
        date_mask = self._date_mask(table, req)

        def allowed_except(skip: str | None) -> np.ndarray:
            out = matched.copy()
            for name, m in masks.items():
                if name != skip:
                    out &= m
            if date_mask is not None:
                out &= date_mask
            return out

        allowed = allowed_except(None)
        facets: dict[str, list[FacetValue]] = {}
        for name in FACETS:
            column = province_facet if name == "province" else name
            counts = table.counts(column, allowed_except(name) if name in masks else allowed)
            chosen = set(selections[name])
            values = [FacetValue(v, c, v in chosen) for v, c in counts.items()]
            values += [FacetValue(v, 0, True) for v in chosen if v not in counts]
            facets[name] = _order_facet(name, values)

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
        terms = {} if parsed.empty else _positive_terms(query)
        formatter = HtmlFormatter(tagname="mark", between=" … ")
        relevance = scores if sort == "relevance" else None
        reader = view.searcher.reader()   # the searcher's ``stored_fields`` is this reader's
        hits = []
        for docnum in docnums.tolist():
            record = json.loads(reader.stored_fields(docnum)["record"])
            skipped = deadline is not None and time.monotonic() > deadline + SNIPPET_GRACE
            snippet = escape((record.get("sapo") or "")[:240]) if skipped else \
                _snippet(view.searcher.schema, record, terms, formatter)
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


def _order_facet(name: str, values: list[FacetValue]) -> list[FacetValue]:
    if name in ("year", "month"):
        return sorted(values, key=lambda v: v.value, reverse=True)
    return sorted(values, key=lambda v: (-v.count, v.value))


def _positive_terms(query: Q.Query) -> dict[str, set[str]]:
    """Field → the words a snippet should mark: every term of the query but exclusions."""
    out: dict[str, set[str]] = {}

    def walk(q: Q.Query) -> None:
        if isinstance(q, Q.AndNot):
            walk(q.a)
        elif isinstance(q, Q.Not):
            return
        elif q.is_leaf():
            for fieldname, text in q.terms(phrases=True):
                out.setdefault(fieldname, set()).add(
                    text.decode("utf-8") if isinstance(text, bytes) else text)
        else:
            for child in q.children():
                walk(child)

    walk(query)
    # A run of words is searched as bigrams in the word fields: mark its syllables in the text.
    for unit in out.get("text_words", ()):
        out.setdefault("body", set()).update(x for x in re.split(r"[ _]", unit) if x)
        out.setdefault("sapo", set()).update(x for x in re.split(r"[ _]", unit) if x)
    return out


def _snippet(schema: Schema, record: dict, terms: dict[str, set[str]], formatter: HtmlFormatter) -> str:
    body, sapo = record.get("body", []), record.get("sapo", "")
    for fieldname, paragraphs, folded in (("body", body, False), ("sapo", [sapo], False),
                                          ("text_fold", [sapo, *body], True)):
        words = terms.get(fieldname)
        if not words:
            continue
        text = _passages(paragraphs, words, folded)
        if not text:
            continue
        try:
            fragment = highlight(text, words, schema[fieldname].analyzer,
                                 ContextFragmenter(maxchars=220, surround=70), formatter,
                                 top=2, mode="index")
        except Exception:  # noqa: BLE001 - a highlight failure must not fail the search
            fragment = ""
        if fragment:
            return fragment
    lead = sapo or "\n".join(body)
    return escape(lead[:240] + ("…" if len(lead) > 240 else ""))


#: Combining marks dropped and đ → d: the folded field's form, without ``fold``'s regex pass.
_FOLD_TABLE = {**dict.fromkeys(range(768, 880)), ord("đ"): "d", ord("Đ"): "D"}


def _quick_fold(text: str) -> str:
    return unicodedata.normalize("NFD", text).translate(_FOLD_TABLE)


def _passages(paragraphs: list[str], words: set[str], folded: bool, keep: int = 2,
              reach: int = 150) -> str:
    """Up to ``keep`` stretches of text around query words, from the paragraphs holding the
    most of them, in text order. The highlighter re-tokenises what it is given, and whole
    articles cost more than a page's budget: a substring test finds the paragraphs, and only
    ``reach`` characters either side of the first word found are kept (a snippet fragment is
    220). Stored text is already canonical (NFC, one tone placement), so the test needs no
    normalisation but folding."""
    found = []
    for i, text in enumerate(paragraphs):
        probe = (_quick_fold(text) if folded else text).lower()
        starts = [at for at in (probe.find(w) for w in words) if at >= 0]
        if starts:
            aligned = len(probe) == len(text)
            found.append((-len(starts), i, min(starts) if aligned else -1))
    best = sorted(sorted(found)[:keep], key=lambda f: f[1])
    return "\n".join(_around(paragraphs[i], at, reach) for _, i, at in best)


def _around(text: str, at: int, reach: int) -> str:
    """``text`` cut to whole words within ``reach`` characters of ``at`` (all of it if
    ``at`` is unknown)."""
    if at < 0 or len(text) <= 2 * reach:
        return text
    start = max(0, at - reach)
    end = min(len(text), at + reach)
    if start:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > at else end
    return text[start:end]
