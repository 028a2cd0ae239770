"""Whoosh queries evaluated with NumPy over whole posting lists, with Whoosh's own scores.

Whoosh's matchers walk postings one document at a time in Python: over 143k news articles a
two-syllable query (each syllable looked up in five fields, plus optional phrase and word
boosts) touches a dozen posting lists of up to 100k entries and costs seconds. Here each posting
list is decoded once into arrays (document numbers, term frequencies), kept per segment in an
LRU cache that outlives commits (segments never change; deletions are applied per reader),
field lengths are read as byte arrays, and a query becomes array arithmetic giving exactly
Whoosh's scores: BM25F with the searcher's B and K1, sums for ``Or``/``And``, ``AndMaybe``,
``AndNot``, compound and term boosts, and phrases as consecutive positions (decoded on first
use and cached like the rest). Anything else raises :class:`Unsupported`; the caller
then asks Whoosh itself. ``tests/test_index.py`` checks the scores against Whoosh's.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from whoosh import query as Q
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.formats import Format
from whoosh.matching import FilterMatcher, Matcher
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

#: ``byte_to_length`` as a lookup table: Whoosh stores field lengths as one byte per document.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """The query uses a construct this evaluator does not reproduce."""


@dataclass
class Match:
    """Matching documents and their scores (zero wherever ``mask`` is false)."""
    mask: np.ndarray      # bool, one per document number
    score: np.ndarray     # float64


@dataclass
class Sparse:
    """Matching documents (sorted, unique) and their scores: a term's or a phrase's result,
    added into a compound's dense arrays without a dense copy of its own."""
    docs: np.ndarray
    score: np.ndarray

    @staticmethod
    def empty() -> Sparse:
        return Sparse(np.zeros(0, np.int64), np.zeros(0))

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.score.nbytes


@dataclass
class _List:
    """One segment's posting list: local document numbers (deleted ones included), term
    frequencies and, once a phrase needed them, each posting's encoded positions (``raw[i]``),
    decoded only for the postings a phrase actually checks (``positions``). Decoding every
    position of a digit that half of 143k articles contain took most of a second; a phrase
    needs them only where all its words meet."""
    ids: np.ndarray
    tfs: np.ndarray
    raw: list[bytes] = field(default_factory=list)
    fmt: Any = None                       # the field's positions format (None: no positions)
    raw_bytes: int = 0

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.tfs.nbytes + self.raw_bytes

    def positions(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row of each position, position) for the given postings."""
        if not len(rows):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        decode = self.fmt.decode_positions
        poses = [decode(self.raw[r]) for r in rows.tolist()]
        lens = np.fromiter(map(len, poses), dtype=np.int64, count=len(poses))
        flat = np.fromiter((x for p in poses for x in p), dtype=np.int64, count=int(lens.sum()))
        return np.repeat(rows, lens), flat


class PostingCache:
    """Decoded posting lists per (segment, field, term), least recently used dropped first."""

    def __init__(self, max_bytes: int = 256 << 20) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, _List | Sparse] = OrderedDict()
        self._bytes = 0

    def memo(self, key: tuple, make: Callable[[], Sparse]) -> Sparse:
        """``make()``, remembered under ``key`` within the byte budget."""
        found = cast("Sparse | None", self._items.get(key))     # memo's keys hold results
        if found is None:
            found = make()
            self._put(key, found)
        else:
            self._items.move_to_end(key)
        return found

    def _put(self, key: tuple, item: _List | Sparse) -> None:
        self._items[key] = item
        self._items.move_to_end(key)
        self._bytes += item.nbytes
        while self._bytes > self.max_bytes and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= dropped.nbytes

    def get(self, leaf: SegmentReader, fieldname: str, btext: bytes, positions: bool = False) -> _List:
        """The term's list in one segment (empty when absent), with positions if asked."""
        segment = leaf.segment()
        assert segment is not None        # a segment reader always has its segment
        key = (segment.segment_id(), fieldname, btext)
        found = cast("_List | None", self._items.get(key))      # get's keys (3-tuples) hold lists
        if found is not None and (found.fmt is not None or not positions):
            self._items.move_to_end(key)
            return found
        if found is not None:
            self._bytes -= found.nbytes
        if (fieldname, btext) in leaf:
            fmt = leaf.schema[fieldname].format if positions else None
            found = _decode(leaf.postings(fieldname, btext), fmt)
        else:
            found = _List(np.zeros(0, np.int32), np.zeros(0, np.float32), [], None)
        self._put(key, found)
        return found


def _raw(matcher: Matcher) -> Matcher:
    """The segment's own postings, without Whoosh's per-document deletion filter."""
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def _blocks(matcher: Matcher, with_values: bool
            ) -> Iterator[tuple[Sequence[int], Sequence[float], Sequence[bytes]]]:
    """(ids, weights, values) per block of a posting list: Whoosh's W3 blocks are read whole,
    with no Python work per posting; other matchers (inlined short lists) one by one."""
    m = _raw(matcher)
    if isinstance(m, W3LeafMatcher):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            if with_values:
                m._read_values()
            # Whoosh types these by their between-blocks value, None; ``_read_*`` just set them.
            yield m._ids, m._weights, m._values if with_values else ()  # type: ignore[misc]
            m._next_block()
        return
    ids, weights, values = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if with_values:
            values.append(m.value())
        m.next()
    yield ids, weights, values


def _decode(matcher: Matcher, fmt: Format | None) -> _List:
    """The whole list as arrays; with a positions format, each posting's encoded positions."""
    ids: list[np.ndarray] = []
    tfs: list[np.ndarray] = []
    raw: list[bytes] = []
    for block_ids, weights, values in _blocks(matcher, fmt is not None):
        ids.append(np.asarray(block_ids, dtype=np.int32))
        tfs.append(np.asarray(weights, dtype=np.float32))
        raw.extend(values)
    out = _List(np.concatenate(ids) if ids else np.zeros(0, np.int32),
                np.concatenate(tfs) if tfs else np.zeros(0, np.float32))
    if fmt is not None:
        out.raw, out.fmt = raw, fmt
        out.raw_bytes = sum(map(len, raw)) + 8 * len(raw)
    return out


class Evaluator:
    """Evaluates queries against one open searcher (one commit: scores can be cached)."""

    def __init__(self, searcher: Searcher, cache: PostingCache, scored_bytes: int = 128 << 20) -> None:
        weighting = searcher.weighting
        if type(weighting) is not scoring.BM25F:
            raise Unsupported(f"weighting {type(weighting).__name__}")
        self.searcher = searcher
        self.schema = searcher.schema
        self.reader = searcher.reader()
        # An empty index has no segment; every other leaf of an index on disk is a SegmentReader.
        self.leaves = cast("list[tuple[SegmentReader, int]]",
                           [(leaf, base) for leaf, base in self.reader.leaf_readers()
                            if leaf.doc_count_all()])
        self.size = self.reader.doc_count_all()
        self.cache = cache
        self.B, self.K1, self.field_B = weighting.B, weighting.K1, weighting._field_B
        self.live = np.zeros(self.size, dtype=bool)
        self.live[np.fromiter(self.reader.all_doc_ids(), dtype=np.int64)] = True
        self._lengths: dict[str, np.ndarray] = {}
        self._scored = PostingCache(scored_bytes)
        self.deadline: float | None = None    # time.monotonic() past which optional work stops
        self.truncated = False                # the last evaluation stopped at its deadline
        self._optional = False                # evaluating what may be cut: boosts, a question

    def _late(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    # -- building blocks -----------------------------------------------------------------
    def empty(self) -> Match:
        return Match(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length in the field, as Whoosh's scorer sees it."""
        if fieldname not in self._lengths:
            out = np.zeros(self.size)
            for leaf, base in self.leaves:
                col = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                if col is not None:
                    raw = col._dbfile.get(col._basepos, col._count)
                    out[base:base + col._count] = _LENGTH_OF_BYTE[np.frombuffer(raw, np.uint8)]
            self._lengths[fieldname] = out
        return self._lengths[fieldname]

    def postings(self, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        """Live global document numbers containing the term (sorted), with its frequency."""
        ids, tfs = [np.zeros(0, np.int64)], [np.zeros(0, np.float32)]
        for leaf, base in self.leaves:
            lst = self.cache.get(leaf, fieldname, btext)
            ids.append(lst.ids.astype(np.int64) + base)
            tfs.append(lst.tfs)
        docs, tf = np.concatenate(ids), np.concatenate(tfs)
        keep = self.live[docs]
        return docs[keep], tf[keep]

    def scored(self, fieldname: str, btext: bytes) -> Sparse:
        """The term's live documents and BM25F scores, cached for this commit."""
        return self._scored.memo((fieldname, btext), lambda: self._score_term(fieldname, btext))

    def _score_term(self, fieldname: str, btext: bytes) -> Sparse:
        docs, tf = self.postings(fieldname, btext)
        if not len(docs):                 # as Whoosh: no statistics for an absent term
            return Sparse.empty()
        return Sparse(docs, self.term_scores(fieldname, btext, docs, tf))

    def term_scores(self, fieldname: str, btext: bytes, docs: np.ndarray,
                    tf: np.ndarray) -> np.ndarray:
        """BM25F exactly as ``whoosh.scoring.BM25FScorer`` computes it (same operation order)."""
        weight = tf.astype(np.float64)
        if not self.schema[fieldname].scorable:
            return weight
        idf = self.searcher.idf(fieldname, btext)
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        B = self.field_B.get(fieldname, self.B)
        K1 = self.K1
        fl = self.lengths(fieldname)[docs]
        return idf * ((weight * (K1 + 1)) / (weight + K1 * ((1 - B) + B * fl / avgfl)))

    def _btext(self, fieldname: str, text: str | bytes) -> bytes | None:
        if fieldname not in self.schema:
            return None
        try:
            return self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None

    def dense(self, m: Match | Sparse) -> Match:
        if isinstance(m, Match):
            return m
        out = self.empty()
        out.mask[m.docs] = True
        out.score[m.docs] = m.score
        return out

    # -- query nodes ---------------------------------------------------------------------
    def evaluate(self, q: Q.Query, deadline: float | None = None,
                 ranking_or: bool = False) -> Match:
        """Matches and scores of ``q``; raises :class:`Unsupported` for other constructs.

        Past ``deadline`` (``time.monotonic()``) the work that only reorders stops: optional
        boosts are skipped, an OR inside them keeps the alternatives it has evaluated, and so
        does ``q`` itself when it is a question's ranking OR (``ranking_or``); ``truncated``
        says so. What a keyword match must satisfy is always evaluated whole."""
        self.deadline, self.truncated, self._optional = deadline, False, ranking_or
        try:
            return self.dense(self._node(q))
        finally:
            self.deadline, self._optional = None, False

    def _node(self, q: Q.Query) -> Match | Sparse:
        kind = type(q)
        # Dispatch on the exact type (subclasses differ); the casts state what ``kind`` showed.
        if kind is Q.Term:
            return self._term(cast("Q.Term", q))
        if kind is Q.Phrase:
            return self._phrase(cast("Q.Phrase", q))
        if kind in (Q.And, Q.Or):
            return self._compound(cast("Q.CompoundQuery", q))
        if kind is Q.AndMaybe:
            return self._and_maybe(cast("Q.AndMaybe", q))
        if kind is Q.AndNot:
            return self._and_not(cast("Q.AndNot", q))
        if kind is Q.Every and cast("Q.Every", q).fieldname in (None, "*"):
            return Match(self.live.copy(), np.zeros(self.size))
        if q is Q.NullQuery:
            return Sparse.empty()
        raise Unsupported(kind.__name__)

    def _term(self, q: Q.Term) -> Sparse:
        btext = self._btext(q.fieldname, q.text)
        if btext is None:
            return Sparse.empty()
        found = self.scored(q.fieldname, btext)
        return Sparse(found.docs, found.score * q.boost) if q.boost != 1.0 else found

    def _compound(self, q: Q.CompoundQuery) -> Match | Sparse:
        if type(q) is Q.Or and (q.scale or q.minmatch):
            raise Unsupported("Or with scale or minmatch")
        if not q.subqueries:
            return Sparse.empty()
        if len(q.subqueries) == 1:        # Whoosh ignores the boost of a one-child compound
            return self._node(q.subqueries[0])
        out = self._or(q.subqueries) if type(q) is Q.Or else self._and(q.subqueries)
        if q.boost != 1.0:
            out.score *= q.boost
        return out

    def _or(self, subqueries: Sequence[Q.Query]) -> Match:
        out = self.empty()
        for i, sub in enumerate(subqueries):   # sparse children added in place, never densified
            if i and self._optional and self._late():
                self.truncated = True
                break
            m = self._node(sub)
            if isinstance(m, Sparse):
                out.mask[m.docs] = True
                out.score[m.docs] += m.score
            else:
                out.mask |= m.mask
                out.score += m.score
        return out

    def _and(self, subqueries: Sequence[Q.Query]) -> Match:
        out = self.dense(self._node(subqueries[0]))
        out = Match(out.mask.copy(), out.score.copy())
        for sub in subqueries[1:]:
            m = self.dense(self._node(sub))
            out.mask &= m.mask
            out.score += m.score
        out.score[~out.mask] = 0.0
        return out

    def _and_maybe(self, q: Q.AndMaybe) -> Match:
        required = self.dense(self._node(q.a))
        required = Match(required.mask, required.score.copy())
        if self._late():
            self.truncated = True
            return required
        outer, self._optional = self._optional, True
        try:
            optional = self._node(q.b)
        finally:
            self._optional = outer
        if isinstance(optional, Sparse):
            keep = required.mask[optional.docs]
            required.score[optional.docs[keep]] += optional.score[keep]
        else:
            required.score += optional.score * required.mask
        return required

    def _and_not(self, q: Q.AndNot) -> Match:
        kept = self.dense(self._node(q.a))
        dropped = self._node(q.b)
        docs = dropped.docs if isinstance(dropped, Sparse) else np.flatnonzero(dropped.mask)
        kept = Match(kept.mask.copy(), kept.score.copy())
        kept.mask[docs] = False
        kept.score[docs] = 0.0
        return kept

    def _phrase(self, q: Q.Phrase) -> Sparse:
        """Consecutive positions (Whoosh's ``SpanNear2`` with slop 1); score = the sum of the
        words' scores in the field, times the boost."""
        field = self.schema[q.fieldname] if q.fieldname in self.schema else None  # noqa: SIM401 (Schema has no .get)
        if q.slop != 1 or field is None or not field.format.supports("positions"):
            raise Unsupported("phrase other than slop 1 on a positional field")
        texts = [self._btext(q.fieldname, w) for w in q.words]
        if not texts or any(b is None for b in texts):
            return Sparse.empty()
        btexts = cast("list[bytes]", texts)      # none is None (just checked)
        words = [self.scored(q.fieldname, b) for b in btexts]
        common = min((w.docs for w in words), key=len)
        for w in words:                   # document numbers are sorted: merge, not masks
            common = np.intersect1d(common, w.docs, assume_unique=True)
        if not len(common):
            return Sparse.empty()
        candidates = np.zeros(self.size, dtype=bool)
        candidates[common] = True
        found = self._consecutive(q.fieldname, btexts, candidates)
        score = np.zeros(len(found))
        for w in words:
            score += w.score[np.searchsorted(w.docs, found)]
        return Sparse(found, score * q.boost if q.boost != 1.0 else score)

    def _consecutive(self, fieldname: str, btexts: list[bytes],
                     candidates: np.ndarray) -> np.ndarray:
        """Documents where word k occurs at position p + k for some p."""
        keys = None
        for k, btext in enumerate(btexts):
            parts = [np.zeros(0, np.int64)]
            for leaf, base in self.leaves:
                lst = self.cache.get(leaf, fieldname, btext, positions=True)
                rows = np.flatnonzero(candidates[lst.ids.astype(np.int64) + base])
                row_of, pos = lst.positions(rows)
                parts.append(((lst.ids[row_of].astype(np.int64) + base) << 32) + pos - k)
            word_keys = np.concatenate(parts)
            keys = word_keys if keys is None else np.intersect1d(keys, word_keys,
                                                                 assume_unique=True)
        return np.unique(keys >> 32) if keys is not None else np.zeros(0, np.int64)
