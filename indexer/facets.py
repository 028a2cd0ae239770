"""Facet counts: the ``f_*`` columns as integer arrays, counted per query with ``bincount``.

Facet values are read from the columns into integer arrays once per index commit
(:class:`FacetTable`), so a facet's count is a ``bincount`` over the documents that match the
query and every *other* filter (picking Thanh Hóa still shows Nghệ An's count). Counts are of
distinct stories: syndicated copies count once, as in the result total.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader

from indexer.schema import FACET_FIELDS, MULTI_SEP
from indexer.whooshfast import column_bytes, numeric_column

#: Facets shown to users, in order; "year" is derived from the month column.
FACETS = ("province", "kind", "year", "month", "type", "issuer", "cited", "source")
#: Values listed for a facet with very many (every document number the archive cites): the
#: most frequent only, so a browse of 143k articles does not build and sort a list of 100,000.
TOP_VALUES = {"cited": 40}


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


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
        self.dup = _codes(column_bytes(reader, "dup_key"))[0]
        cluster_size = np.bincount(self.dup, minlength=1)
        self.multi = cluster_size[self.dup] > 1
        self.width = int(self.dup.max()) + 1 if self.size else 1
        for name in ("province", "province_old", "month", "type", "issuer", "source", "kind", "cited"):
            # A generation written before a facet existed (the last format) is served, its
            # facet empty, until the next index update rebuilds it: never a 503 in between.
            present = FACET_FIELDS[name] in reader.schema
            self._load(name, column_bytes(reader, FACET_FIELDS[name]) if present
                       else [b""] * self.size)
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

    def counts(self, name: str, docs: np.ndarray, top: int | None = None) -> dict[str, int]:
        """Per value, the number of distinct stories among ``docs`` (copies count once), so
        counts agree with the collapsed result total; with ``top``, only the most frequent."""
        doc_idx = self.doc_idx[name]
        sel = docs[doc_idx]
        vals, owners = self.val_idx[name][sel], doc_idx[sel]
        multi = self.multi[owners]
        counts = np.bincount(vals[~multi], minlength=len(self.values[name]))
        if multi.any():
            pairs = np.unique(vals[multi] * self.width + self.dup[owners[multi]])
            counts += np.bincount(pairs // self.width, minlength=len(counts))
        found = np.flatnonzero(counts)
        if top is not None and len(found) > top:
            found = found[np.argpartition(-counts[found], top - 1)[:top]]
        return {self.values[name][i]: int(counts[i]) for i in found}

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


def count_facets(table: FacetTable, selections: dict[str, tuple[str, ...]], scheme: str,
                 matched: np.ndarray, date_mask: np.ndarray | None
                 ) -> tuple[np.ndarray, dict[str, list[FacetValue]]]:
    """The documents ``matched`` that every filter allows, and each of :data:`FACETS` counted
    over the documents that every filter *but its own* allows (``province`` in ``scheme``)."""
    province_facet = "province" if scheme == "new" else "province_old"
    masks: dict[str, np.ndarray] = {}
    for name, selected in selections.items():
        if selected:
            column = province_facet if name == "province" else name
            masks[name] = table.mask(column, selected)

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
        counts = table.counts(column, allowed_except(name) if name in masks else allowed,
                              TOP_VALUES.get(name))
        chosen = set(selections[name])
        values = [FacetValue(v, c, v in chosen) for v, c in counts.items()]
        values += [FacetValue(v, 0, True) for v in chosen if v not in counts]
        facets[name] = _order_facet(name, values)
    return allowed, facets


def _order_facet(name: str, values: list[FacetValue]) -> list[FacetValue]:
    if name in ("year", "month"):
        return sorted(values, key=lambda v: v.value, reverse=True)
    return sorted(values, key=lambda v: (-v.count, v.value))
