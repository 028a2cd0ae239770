"""Per-document values of a whole index read at once, as arrays or lists by document number.

Whoosh reads a column value, or a term's postings, one document at a time through Python
iterators: seconds at 143k documents for what the search process loads once per commit (facet
values, dates) and the builder once per update (the ids and content hashes already indexed).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import numpy as np
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.columns import VarBytesColumn
from whoosh.reading import IndexReader


def segment_readers(reader: IndexReader) -> list[IndexReader]:
    """The segment readers of a reader (an empty index has none)."""
    return [leaf for leaf, _ in reader.leaf_readers() if leaf.doc_count_all()]


def numeric_column(reader: IndexReader, fieldname: str) -> np.ndarray:
    """A numeric column's value for every document; 0 in segments written without the column
    (an index from an earlier release stays searchable until ``index`` rebuilds it)."""
    return np.concatenate(
        [np.fromiter(leaf.column_reader(fieldname), dtype=np.int64, count=leaf.doc_count_all())
         if fieldname in leaf.schema and leaf.has_column(fieldname)
         else np.zeros(leaf.doc_count_all(), np.int64)
         for leaf in segment_readers(reader)] or [np.zeros(0, np.int64)])


def column_bytes(reader: IndexReader, fieldname: str) -> list[bytes]:
    """A string column's value for every document. Whoosh's iterator seeks and reads once per
    document (seconds at 143k); a segment's values are read here as one block and cut."""
    out: list[bytes] = []
    for leaf in segment_readers(reader):
        col = leaf.column_reader(fieldname, translate=False)
        if not isinstance(col, VarBytesColumn.Reader):
            out.extend(v.encode("utf-8") if isinstance(v, str) else v or b"" for v in col)
            continue
        blob = col._dbfile.get(col._basepos, sum(col._lengths))
        ends = np.cumsum(col._lengths).tolist()
        out.extend(blob[end - n:end] for end, n in zip(ends, col._lengths))
    return out


def docnum_terms(reader: IndexReader, fieldname: str) -> dict[int, str]:
    """Document number → its term in a one-term-per-document field, for live documents. The
    short posting lists of such fields sit inline in the term dictionary (``INLINE_LIMIT``), so
    no posting file is read; an index written before that reads them the slow way."""
    out: dict[int, str] = {}
    for leaf, base in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        # Whoosh declares the base TermInfo; the W3 codec's terms reader yields W3TermInfo.
        terms = cast("Iterator[tuple[bytes, W3TermInfo]]", leaf.iter_field(fieldname))
        for btext, info in terms:
            if info.is_inlined():
                docnums = [n for n in info.inlined_postings()[0] if not leaf.is_deleted(n)]
            else:
                docnums = list(leaf.postings(fieldname, btext).all_ids())  # deletions skipped
            text = btext.decode("utf-8")
            for docnum in docnums:
                out[base + docnum] = text
    return out
