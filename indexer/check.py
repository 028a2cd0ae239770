"""Is an index generation readable? Postings, stored records, columns and the table of contents,
read for real.

A damaged file does not announce itself: Whoosh opens a generation whose postings or stored
fields hold random bytes, and the damage shows only when a query decodes them (as a parse error
that used to reach the user as "remove special characters") or when an article page unpickles
its record. An empty search reads neither. This module reads them:

* :func:`check_generation` with ``full=False`` (at start-up, and before a server switches to a
  new generation): the table of contents, every segment's term table, the postings of a sample
  of terms of every field (the first, the last and evenly spaced ones), the stored record of a
  sample of documents and every column; a fraction of a second at 143k documents;
* ``full=True`` (``unionsearch index --check``): every term's postings and every stored record.

Each problem is one line naming the generation, segment, field and term or document.
"""
from __future__ import annotations

import json
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.reading import IndexReader

__all__ = ["IndexDamaged", "check_generation"]

SAMPLE_TERMS = 24
SAMPLE_DOCS = 64


class IndexDamaged(RuntimeError):
    """No readable index generation (the message names what is damaged)."""


def _spread(n: int, k: int) -> list[int]:
    if n <= k:
        return list(range(n))
    step = (n - 1) / (k - 1)
    return sorted({round(i * step) for i in range(k)})


def check_generation(gen: Path, *, full: bool = False) -> list[str]:
    """Problems found reading ``gen`` (empty when it reads cleanly)."""
    try:
        ix = whoosh_index.open_dir(str(gen))
        searcher = ix.searcher()
    except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
        return [f"{gen.name}: cannot open ({type(exc).__name__}: {exc})"[:300]]
    problems: list[str] = []
    try:
        for leaf, _ in searcher.reader().leaf_readers():
            segment = leaf.segment()
            if segment is None:               # an empty index has no segment to read
                continue
            seg = segment.segment_id()
            problems += _check_postings(gen, seg, leaf, full)
            problems += _check_stored(gen, seg, leaf, full)
            problems += _check_columns(gen, seg, leaf)
            if len(problems) > 20:
                break
    except Exception as exc:  # noqa: BLE001
        problems.append(f"{gen.name}: {type(exc).__name__}: {exc}"[:300])
    finally:
        try:
            searcher.close()
        except Exception:  # noqa: BLE001 - closing a damaged reader may fail too
            pass
    return problems


def _check_postings(gen: Path, seg: str, leaf: IndexReader, full: bool) -> list[str]:
    problems = []
    for name, field in leaf.schema.items():
        if not field.indexed:
            continue
        try:
            terms = list(leaf.lexicon(name)) if full else None
            if terms is None:
                terms = []
                for i, term in enumerate(leaf.lexicon(name)):
                    terms.append(term)
                    if i >= 4000:             # enough to spread a sample over
                        break
                terms = [terms[i] for i in _spread(len(terms), SAMPLE_TERMS)]
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{gen.name} segment {seg}: term table of {name!r} unreadable "
                            f"({type(exc).__name__})")
            continue
        for term in terms:
            try:
                matcher = leaf.postings(name, term)
                while matcher.is_active():
                    matcher.id()
                    matcher.weight()
                    matcher.next()
            except Exception as exc:  # noqa: BLE001
                text = term.decode("utf-8", "replace") if isinstance(term, bytes) else term
                problems.append(f"{gen.name} segment {seg}: postings of {name}:{text!r} "
                                f"unreadable ({type(exc).__name__})")
                break
    return problems


def _check_stored(gen: Path, seg: str, leaf: IndexReader, full: bool) -> list[str]:
    n = leaf.doc_count_all()
    for docnum in (range(n) if full else _spread(n, SAMPLE_DOCS)):
        if leaf.is_deleted(docnum):
            continue
        try:
            record = leaf.stored_fields(docnum).get("record")
            if record is not None:
                json.loads(record)
        except Exception as exc:  # noqa: BLE001
            return [f"{gen.name} segment {seg}: stored record of document {docnum} unreadable "
                    f"({type(exc).__name__})"]
    return []


def _check_columns(gen: Path, seg: str, leaf: IndexReader) -> list[str]:
    n = leaf.doc_count_all()
    for name, field in leaf.schema.items():
        if not getattr(field, "column_type", None) or not leaf.has_column(name):
            continue
        try:
            column = leaf.column_reader(name)
            for docnum in _spread(n, 8):
                column[docnum]
        except Exception as exc:  # noqa: BLE001
            return [f"{gen.name} segment {seg}: column {name!r} unreadable "
                    f"({type(exc).__name__})"]
    return []
