"""Searching the index: hits with highlighted snippets, disjunctive facet counts, filters.

The web app talks to :class:`SearchIndex` only. Facet values are read from the ``f_*`` columns
into integer arrays once per index generation (:class:`FacetTable`), so a facet's count is a
NumPy ``bincount`` over the documents that match the query and every *other* filter: picking
Thanh Hóa still shows Nghệ An's count.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from html import escape
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.query import Every, Query

from indexer.build import current_generation
from indexer.query import ParsedQuery, parse, to_whoosh
from indexer.schema import FACET_FIELDS, MULTI_SEP

VN_TZ = timezone(timedelta(hours=7))
SORTS = ("relevance", "newest", "oldest")
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
#: Facets shown to users, in order; "year" is derived from the month column.
FACETS = ("province", "year", "month", "type", "issuer", "source")


class IndexNotFound(RuntimeError):
    pass


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
    """``2021-08-16T09:30:00+07:00`` → ``16/08/2021`` (day first, as Vietnamese readers expect)."""
    try:
        return datetime.fromisoformat(iso).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return ""


class FacetTable:
    """Per-document facet values as (doc, value) code pairs, loaded once per index generation."""

    def __init__(self, reader) -> None:
        self.size = reader.doc_count_all()
        self.values: dict[str, list[str]] = {}
        self.doc_idx: dict[str, np.ndarray] = {}
        self.val_idx: dict[str, np.ndarray] = {}
        dup = self._column(reader, "dup_key")
        codes: dict[str, int] = {}
        self.dup = np.array([codes.setdefault(v, len(codes)) for v in dup], dtype=np.int64)
        columns = {name: FACET_FIELDS[name] for name in ("province", "province_old", "month",
                                                           "type", "issuer", "source")}
        for name, fieldname in columns.items():
            self._load(name, self._column(reader, fieldname))
        months = self.values["month"]
        self._derive("year", "month", [m[:4] for m in months])
        self.date_sort = np.array(list(reader.column_reader("date_sort")), dtype=np.int64)

    def _column(self, reader, fieldname: str) -> list[str]:
        col = reader.column_reader(fieldname)
        out = []
        for v in col:
            if isinstance(v, bytes):
                v = v.decode("utf-8")
            out.append(v or "")
        return out

    def _load(self, name: str, per_doc: list[str]) -> None:
        codes: dict[str, int] = {}
        docs, vals = [], []
        for docnum, raw in enumerate(per_doc):
            for value in raw.split(MULTI_SEP) if raw else ():
                docs.append(docnum)
                vals.append(codes.setdefault(value, len(codes)))
        self.values[name] = list(codes)
        self.doc_idx[name] = np.array(docs, dtype=np.int64)
        self.val_idx[name] = np.array(vals, dtype=np.int64)

    def _derive(self, name: str, base: str, mapped: list[str]) -> None:
        codes: dict[str, int] = {}
        remap = np.array([codes.setdefault(v, len(codes)) for v in mapped] or [0], dtype=np.int64)
        self.values[name] = list(codes)
        self.doc_idx[name] = self.doc_idx[base]
        self.val_idx[name] = remap[self.val_idx[base]] if len(self.val_idx[base]) else \
            self.val_idx[base]

    def mask(self, name: str, selected: tuple[str, ...]) -> np.ndarray:
        """Documents carrying any of the selected values."""
        out = np.zeros(self.size, dtype=bool)
        lookup = {v: i for i, v in enumerate(self.values[name])}
        wanted = [lookup[v] for v in selected if v in lookup]
        if wanted:
            hit = np.isin(self.val_idx[name], wanted)
            out[self.doc_idx[name][hit]] = True
        return out

    def counts(self, name: str, docs: np.ndarray) -> dict[str, int]:
        """Per value, the number of distinct stories (syndicated copies count once), so counts
        agree with the collapsed result total."""
        val = self.val_idx[name]
        if not len(val):
            return {}
        sel = docs[self.doc_idx[name]]
        clusters = self.dup[self.doc_idx[name][sel]]
        width = int(self.dup.max()) + 1 if len(self.dup) else 1
        pairs = np.unique(val[sel] * width + clusters)
        counts = np.bincount(pairs // width, minlength=len(self.values[name]))
        return {self.values[name][i]: int(c) for i, c in enumerate(counts) if c}


class SearchIndex:
    """One open index per process; thread-safe; follows new commits and generations."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.RLock()
        self._gen: Path | None = None
        self._ix = None
        self._searcher = None
        self._facets: FacetTable | None = None
        self._open()

    # -- life cycle -------------------------------------------------------------------------
    def _open(self) -> None:
        gen = current_generation(self.index_dir)
        if gen is None:
            raise IndexNotFound(f"no index in {self.index_dir} (run `unionsearch index` first)")
        ix = whoosh_index.open_dir(str(gen))
        searcher = ix.searcher()
        old = self._searcher
        self._gen, self._ix, self._searcher = gen, ix, searcher
        self._facets = FacetTable(searcher.reader())
        if old is not None:
            old.close()

    def refresh(self) -> None:
        """Pick up a new commit or a rebuilt generation; cheap when nothing changed."""
        with self._lock:
            if current_generation(self.index_dir) != self._gen:
                self._open()
                return
            if not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
                self._facets = FacetTable(self._searcher.reader())

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    @property
    def doc_count(self) -> int:
        with self._lock:
            return self._searcher.doc_count()

    # -- search -----------------------------------------------------------------------------
    def search(self, req: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        notes: list[str] = []
        req = self._sanitise(req, notes)
        parsed = parse(req.q)
        notes.extend(parsed.notes)
        query = to_whoosh(parsed)
        with self._lock:
            result = self._run(req, parsed, query)
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

    def _run(self, req: SearchRequest, parsed: ParsedQuery, query: Query) -> SearchResult:
        searcher, table = self._searcher, self._facets
        size = table.size
        matched = np.zeros(size, dtype=bool)
        if parsed.empty:
            docnums = list(searcher.reader().all_doc_ids())
        else:
            docnums = list(searcher.docs_for_query(query))
        matched[docnums] = True

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

        total = len(np.unique(table.dup[allowed])) if allowed.any() else 0
        hits = self._page(req, parsed, query, allowed, total)
        return SearchResult(req, total, hits, facets, 0.0)

    def _date_mask(self, table: FacetTable, req: SearchRequest) -> np.ndarray | None:
        if req.date_from is None and req.date_to is None:
            return None
        ds = table.date_sort
        mask = ds > 0
        if req.date_from is not None:
            start = datetime.combine(req.date_from, datetime.min.time(), VN_TZ)
            mask &= ds >= int(start.timestamp())
        if req.date_to is not None:
            end = datetime.combine(req.date_to + timedelta(days=1), datetime.min.time(), VN_TZ)
            mask &= ds < int(end.timestamp())
        return mask

    def _page(self, req: SearchRequest, parsed: ParsedQuery, query: Query,
              allowed: np.ndarray, total: int) -> list[Hit]:
        first = (req.page - 1) * req.page_size
        if first >= total:
            return []
        everything = int(allowed.sum()) == self._searcher.doc_count()
        filt = None if everything else set(np.flatnonzero(allowed).tolist())
        sort = req.effective_sort
        if parsed.empty and sort == "relevance":
            sort = "newest"
        kwargs: dict = dict(filter=filt, terms=True)
        if sort != "relevance":
            kwargs.update(sortedby="date_sort", reverse=(sort == "newest"))
        whoosh_query = query if not parsed.empty else Every()
        page_hits = self._collapsed(whoosh_query, kwargs, first, first + req.page_size)
        table = self._facets
        hits = []
        for hit in page_hits:
            record = json.loads(hit["record"])
            copies = int((table.dup[allowed] == table.dup[hit.docnum]).sum()) - 1
            hits.append(Hit(
                id=record["id"], url=record["url"], title=record["title"],
                published=record.get("published", ""),
                province_new=record.get("province_new", ""),
                province_old=record.get("province_old", ""),
                source=record.get("source_title") or record.get("source", ""),
                snippet=_snippet(hit, record, parsed),
                doc_numbers=[d["number"] for d in record.get("doc_numbers", [])],
                copies=max(0, copies), kind=record.get("kind", "news"),
                score=None if sort != "relevance" or parsed.empty else float(hit.score or 0),
            ))
        return hits

    def _collapsed(self, query: Query, kwargs: dict, first: int, last: int) -> list:
        """Hits ``first``..``last`` with syndicated copies collapsed onto their best hit.

        Done here, not with Whoosh's ``collapse=``, which whoosh3 ignores when a filter is set.
        """
        table = self._facets
        limit = max(2 * last, 20)
        while True:
            results = self._searcher.search(query, limit=limit, **kwargs)
            results.fragmenter = ContextFragmenter(maxchars=220, surround=70)
            results.formatter = HtmlFormatter(tagname="mark", between=" … ")
            seen: set[int] = set()
            kept = []
            for hit in results:
                key = int(table.dup[hit.docnum])
                if key not in seen:
                    seen.add(key)
                    kept.append(hit)
            if len(kept) >= last or results.scored_length() < limit:
                return kept[first:last]
            limit *= 4

    # -- single documents -------------------------------------------------------------------
    def get(self, doc_id: str) -> dict | None:
        """The stored article record for an id (``None`` when unknown)."""
        with self._lock:
            fields = self._searcher.document(id=doc_id)
        return json.loads(fields["record"]) if fields else None

    def copies_of(self, doc_id: str) -> list[dict]:
        """Other articles with the same near-duplicate key (syndicated copies)."""
        with self._lock:
            docnum = self._searcher.document_number(id=doc_id)
            if docnum is None:
                return []
            table = self._facets
            same = np.flatnonzero(table.dup == table.dup[docnum])
            out = []
            for n in same.tolist():
                if n != docnum and not self._searcher.reader().is_deleted(n):
                    out.append(json.loads(self._searcher.stored_fields(n)["record"]))
            return out


def _order_facet(name: str, values: list[FacetValue]) -> list[FacetValue]:
    if name in ("year", "month"):
        return sorted(values, key=lambda v: v.value, reverse=True)
    return sorted(values, key=lambda v: (-v.count, v.value))


def _snippet(hit, record: dict, parsed: ParsedQuery) -> str:
    body = "\n".join(record.get("body", []))
    if not parsed.empty:
        for fieldname, text in (("body", body), ("text_fold", body),
                                ("sapo", record.get("sapo", ""))):
            try:
                fragment = hit.highlights(fieldname, text=text, top=2)
            except Exception:  # noqa: BLE001 - a highlight failure must not fail the search
                fragment = ""
            if fragment:
                return fragment
    lead = record.get("sapo") or body
    return escape(lead[:240] + ("…" if len(lead) > 240 else ""))
