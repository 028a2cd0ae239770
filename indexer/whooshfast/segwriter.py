"""A Whoosh segment writer that keeps the postings of the big text fields out of the pool.

Whoosh's ``SegmentWriter`` puts every posting (about a thousand per news article) as a tuple
into a sorting pool, sorts them all at commit and writes them one method call at a time: at
143,000 articles that is most of the indexing time. This writer keeps the postings of
:class:`~indexer.whooshfast.textfields.UnitText` fields in parallel arrays (``_FieldPostings``:
term number, document, frequency), groups them by term with one stable sort at commit and
writes each posting list block by block in the whoosh3 format (same blocks, term infos and
inlining as Whoosh's own writer would produce: ``tests/test_segwriter.py`` compares the two).
Every other field, deletions, merges and the table of contents stay Whoosh's.

The files differ from Whoosh's in two format-legal ways, both for speed: pickles use protocol
3 rather than 2, in which every ``bytes`` value becomes a ``_codecs.encode`` call (slower to
write and to read, and larger; protocols 4 and 5 add a 9-byte frame to every small pickle), and
the term table is hashed with CRC-32 rather than the CDB hash (``_TermIndex``). Whoosh's readers
unpickle any protocol and use the hash type the file records.

Written against whoosh3 3.54.0 (pinned): it uses the W3 codec's private writer attributes
(listed in ``whooshfast.PRIVATE_NAMES``).
"""
from __future__ import annotations

import functools
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator
from itertools import groupby, repeat
from operator import itemgetter, sub
from typing import Any

import numpy as np
from whoosh.codec.base import FieldWriter, Segment
from whoosh.codec.whoosh3 import (
    COMPRESSION_MIN_SIZE,
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.filedb import filetables
from whoosh.filedb.structfile import StructFile
from whoosh.index import FileIndex
from whoosh.reading import IndexReader
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.util.numeric import length_to_byte as _length_to_byte
from whoosh.util.numlists import GrowableArray
from whoosh.writing import SegmentWriter

from indexer.whooshfast.textfields import UnitText

#: Inlined posting lists (``W3Codec(inlinelimit=...)``, see ``build.INLINE_LIMIT``): whoosh3 3.54
#: never takes this path by default, and it calls a misspelt method (``set_inline`` for
#: ``set_inlined``), hence the alias.
if not hasattr(W3TermInfo, "set_inline"):
    W3TermInfo.set_inline = W3TermInfo.set_inlined  # type: ignore[attr-defined]  # the alias itself

_TERMINFO = W3TermInfo._struct
_LENGTHS = filetables._lengths
_POINTER = filetables._pointer
PROTOCOL = 3
#: Whoosh's bisect over its length table, remembered: a few thousand distinct lengths occur.
length_to_byte = functools.lru_cache(maxsize=None)(_length_to_byte)
_NO_LENGTH = length_to_byte(0)


def dumps(value: object) -> bytes:
    return pickle.dumps(value, PROTOCOL)


def encode_positions(where: list[int]) -> bytes:
    """``Positions.encode``: the count, then the pickled gaps between positions."""
    return pack_uint(len(where)) + dumps(list(map(sub, where, [0, *where[:-1]])))


#: ``encode_positions([p])`` for the first positions: most words occur once in an article.
_SINGLE_POSITIONS = 4096
_SINGLE = [encode_positions([p]) for p in range(_SINGLE_POSITIONS)]


class _Stats:
    """What ``W3TermInfo.add_block`` reads from a block of postings."""

    def __init__(self, ids: list[int], weights: list[float], lengths: list[int],
                 maxweight: float) -> None:
        self._weights = weights
        self._n = len(ids)
        self._minid, self._maxid = ids[0], ids[-1]
        self._minlength = min(filter(None, lengths), default=None)
        self._maxlength = max(lengths)          # lengths are never negative: 0 when all are 0
        self._maxweight = maxweight

    def __len__(self) -> int:
        return self._n

    def min_id(self) -> int:
        return self._minid

    def max_id(self) -> int:
        return self._maxid

    def min_length(self) -> int | None:
        return self._minlength

    def max_length(self) -> int:
        return self._maxlength

    def max_weight(self) -> float:
        return self._maxweight


def _mini_weights(weights: list[float]) -> float | tuple[float, ...] | None:
    first = weights[0]
    if weights.count(first) == len(weights):
        return None if first == 1.0 else first
    return tuple(weights)


def _inlined_info(ids: list[int], weights: list[float], values: list[bytes],
                  lengths: list[int]) -> bytes:
    """``W3TermInfo.to_bytes()`` of a short posting list kept in the term dictionary, as
    ``add_block`` + ``set_inlined`` would compute it, without the objects (most terms are
    rare: this runs for nine terms in ten)."""
    shortest = min(filter(None, lengths), default=0)
    return _TERMINFO.pack(
        True, 0 + sum(weights), len(ids),
        length_to_byte(shortest) if shortest else 0,
        length_to_byte(max(lengths)) if shortest else _NO_LENGTH,
        max(0, *weights), ids[0], ids[-1],
    ) + dumps((tuple(ids), tuple(weights), tuple(values)))


def _single_info(docnum: int, weight: float, value: bytes, length: int) -> bytes:
    """``_inlined_info`` of a one-posting list (most terms of a segment occur once)."""
    byte = length_to_byte(length) if length else 0
    return _TERMINFO.pack(True, weight, 1, byte, byte if length else _NO_LENGTH,
                          max(0, weight), docnum, docnum) + dumps(((docnum,), (weight,), (value,)))


def _uints(numbers: list[int]) -> bytes:
    """``b"".join(map(pack_uint, numbers))`` in one call."""
    return struct.pack(f"!{len(numbers)}I", *numbers)


class _Vocabulary(dict):
    """unit → term number, numbered in order of first appearance."""

    def __missing__(self, unit: str) -> int:
        number = self[unit] = len(self)
        return number


class _FieldPostings:
    """One fast field's postings in a segment as three parallel arrays (term number, document
    number, frequency) plus encoded positions: a document is added with C-level ``map`` and
    ``extend`` calls, with no Python work per posting; the writer groups them by term once,
    with a stable sort, at commit."""

    def __init__(self, positional: bool) -> None:
        self.positional = positional
        self.vocabulary = _Vocabulary()
        self.terms, self.docs, self.freqs = array("i"), array("i"), array("i")
        self.values: list[bytes] = []

    def __len__(self) -> int:
        return len(self.terms)

    def add(self, docnum: int, tally: dict) -> int:
        """Adds a document's tally (unit → count, or → positions); returns its length."""
        self.terms.extend(map(self.vocabulary.__getitem__, tally))
        self.docs.extend(repeat(docnum, len(tally)))
        if self.positional:
            where = tally.values()
            start = len(self.freqs)
            self.freqs.extend(map(len, where))
            single, limit = _SINGLE, _SINGLE_POSITIONS
            self.values.extend([single[w[0]] if len(w) == 1 and w[0] < limit
                                else encode_positions(w) for w in where])
            return sum(self.freqs[start:])
        self.freqs.extend(tally.values())
        return sum(tally.values())

    def grouped(self) -> tuple[list[str], list[int], list[int], list[int], list[bytes] | None]:
        """The postings ordered by unit (code-point order is UTF-8 byte order), then document:
        (units, start of each unit's run plus the end, documents, frequencies, encoded
        positions or ``None``). One stable sort of the term numbers by their unit's rank."""
        units = sorted(self.vocabulary)
        rank = np.empty(len(units), dtype=np.int32)
        rank[np.fromiter(map(self.vocabulary.__getitem__, units), dtype=np.int32,
                         count=len(units))] = np.arange(len(units), dtype=np.int32)
        ranked = rank[np.frombuffer(self.terms, dtype=np.int32)]
        order = np.argsort(ranked, kind="stable")
        starts = np.concatenate(([0], np.cumsum(np.bincount(ranked, minlength=len(units)))))
        docs = np.frombuffer(self.docs, dtype=np.int32)[order].tolist()
        freqs = np.frombuffer(self.freqs, dtype=np.int32)[order].tolist()
        values = list(map(self.values.__getitem__, order.tolist())) if self.positional else None
        return units, starts.tolist(), docs, freqs, values

    def by_term(self) -> Iterator[tuple[str, list[int], list[int], list[bytes] | None]]:
        """(unit, documents, frequencies, encoded positions or ``None``) per term."""
        units, starts, docs, freqs, values = self.grouped()
        for i, unit in enumerate(units):
            lo, hi = starts[i], starts[i + 1]
            yield unit, docs[lo:hi], freqs[lo:hi], values[lo:hi] if values is not None else None


class _TermTable:
    """Buffers ``OrderedHashWriter.add`` calls (keys in increasing order) and writes them as
    one block: the positions are summed rather than asked of the file for every term."""

    def __init__(self, tindex: filetables.OrderedHashWriter, size: int = 20_000) -> None:
        self.tindex, self.size = tindex, size
        self.items: list[tuple[bytes, bytes]] = []

    def add(self, key: bytes, value: bytes) -> None:
        self.items.append((key, value))
        if len(self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.items:
            return
        tindex = self.tindex
        if self.items[0][0] <= tindex.lastkey:
            raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{self.items[0][0]!r}")
        pos = tindex.dbfile.tell()
        index, buckets, hashfn, pack = tindex.index, tindex.buckets, tindex.hashfn, _LENGTHS.pack
        chunks = []
        for key, value in self.items:
            index.append(pos)
            h = hashfn(key)
            buckets[h & 255].append((h, pos))
            record = pack(len(key), len(value)) + key + value
            chunks.append(record)
            pos += len(record)
        tindex.dbfile.write(b"".join(chunks))
        tindex.lastkey = self.items[-1][0]
        self.items = []


class _TermIndex(filetables.OrderedHashWriter):
    """The segment's term table with CRC-32 hashing (hash type 1, recorded in the file, which
    readers honour) instead of Whoosh's default CDB hash, a Python loop over every byte of
    every term; the hash tables are built with the same probing and written in one call per
    bucket instead of one per slot."""

    HASHTYPE = 1

    def __init__(self, dbfile: StructFile) -> None:
        filetables.HashWriter.__init__(self, dbfile, hashtype=self.HASHTYPE)
        self.hashfn = zlib.crc32          # = filetables.crc_hash, without the wrapper
        self.index = GrowableArray("H")
        self.lastkey = b""

    def _write_hashes(self) -> None:
        dbfile, pack = self.dbfile, _POINTER.pack
        for entries in self.buckets:
            numslots = 2 * len(entries)
            self.directory.append((dbfile.tell(), numslots))
            hashes, positions = [0] * numslots, [0] * numslots    # position 0 is the header
            for hashval, position in entries:
                slot = (hashval >> 8) % numslots
                while positions[slot]:
                    slot = slot + 1 if slot + 1 < numslots else 0
                hashes[slot], positions[slot] = hashval, position
            dbfile.write(b"".join(map(pack, hashes, positions)))

    @classmethod
    def replacing(cls, old: filetables.OrderedHashWriter) -> _TermIndex:
        """A term index over ``old``'s file, which holds nothing but its header yet."""
        if old.index or any(old.buckets):
            raise ValueError("the term index already holds terms")
        dbfile = old.dbfile
        dbfile.seek(old.startoffset)
        new = cls(dbfile)                  # rewrites the header with the new hash type
        new.extras = old.extras            # the field writer keeps a reference to its fieldmap
        return new


class FastSegmentWriter(SegmentWriter):
    """``SegmentWriter`` with a direct path for ``UnitText`` fields (see the module doc)."""

    def __init__(self, ix: FileIndex, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.fieldwriter._tindex = _TermIndex.replacing(self.fieldwriter._tindex)
        self._fast = {name for name, f in self.schema.items()
                      if isinstance(f, UnitText) and not f.stored and not f.vector
                      and not f.column_type and not f.separate_spelling()}
        self._postings = {name: _FieldPostings(self.schema[name].positional)
                          for name in self._fast}
        self._lengths: dict[str, dict[int, int]] = {name: {} for name in self._fast}
        self.postings_held = 0

    # -- adding ------------------------------------------------------------------------------
    def add_document(self, **fields: Any) -> None:
        """Whoosh's ``add_document`` (whoosh3 3.54) with the fast fields tallied here."""
        if any(name.startswith("_") for name in fields):      # boosts, custom stored values
            super().add_document(**fields)
            return
        self._check_state()
        schema, docnum = self.schema, self.docnum
        perdocwriter, add_post = self.perdocwriter, self.pool.add
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                if fieldname in self._fast:
                    length = self._tally(fieldname, field, value, docnum)
                    perdocwriter.add_field(fieldname, field, None, length)
                    continue
                length = 0
                if field.indexed:
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        add_post((fieldname, tbytes, docnum, weight * 1.0, vbytes))
                if field.separate_spelling():
                    raise NotImplementedError(f"spelling field {fieldname!r}")
                if field.vector:
                    raise NotImplementedError(f"term vectors of {fieldname!r}")
                perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
                if field.column_type:
                    perdocwriter.add_column_value(fieldname, field.column_type,
                                                  field.to_column_value(value))
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _tally(self, fieldname: str, field: UnitText, value: str, docnum: int) -> int:
        tally = field.tally(value)
        length = self._postings[fieldname].add(docnum, tally)
        if length:
            self._lengths[fieldname][docnum] = byte_to_length(length_to_byte(length))
        self.postings_held += len(tally)
        return length

    def add_postings_to_pool(self, reader: IndexReader, startdoc: int,
                             docmap: dict[int, int] | None) -> None:
        """Merging a segment: whoosh3 3.54 reads an inlined posting list of a value-less
        format (ID, KEYWORD) back with ``""`` as its values, a str, which the pool rejects, so
        every merge of segments written with inlining crashed."""
        add_post = self.pool.add
        for fieldname, tbytes, docnum, weight, value in self._process_posts(
                reader.iter_postings(), startdoc, docmap):
            add_post((fieldname, tbytes, docnum, weight, b"" if value == "" else value))

    # -- writing -----------------------------------------------------------------------------
    def _flush_segment(self) -> None:
        if self.pool.fieldnames & self._fast:
            # A merge put postings of these fields in the pool too (``add_reader``): let the
            # pool sort everything together.
            self._spill_to_pool()
            super()._flush_segment()
            return
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        fw = self.fieldwriter
        fast = sorted(name for name in self._fast if len(self._postings[name]))
        for fieldname, items in groupby(self.pool.iter_postings(), key=itemgetter(0)):
            while fast and fast[0] < fieldname:
                self._write_field(fw, fast.pop(0))
            FieldWriter.add_postings(fw, self.schema, lengths, items)
        for fieldname in fast:
            self._write_field(fw, fieldname)
        fw.close()
        if lengths:
            lengths.close()

    def _spill_to_pool(self) -> None:
        for fieldname in sorted(self._fast):
            field = self.schema[fieldname]
            boost = field.format.field_boost
            for unit, ids, freqs, values in self._postings[fieldname].by_term():
                tbytes = unit.encode("utf-8")
                for docnum, n, value in zip(ids, freqs, values or map(pack_uint, freqs)):
                    self.pool.add((fieldname, tbytes, docnum, n * boost, value))
            self._postings[fieldname] = _FieldPostings(field.positional)

    def _write_field(self, fw: W3FieldWriter, fieldname: str) -> None:
        field = self.schema[fieldname]
        fw.start_field(fieldname, field)
        pw = fw._postwriter
        assert pw is not None             # start_field opened it
        postfile, tindex = pw._postfile, _TermTable(fw._tindex)
        keyprefix = pack_ushort(fw._fieldid)
        boost = field.format.field_boost
        positional = field.positional
        doc_lengths = [0] * self.docnum
        for docnum, length in self._lengths[fieldname].items():
            doc_lengths[docnum] = length
        # ``all_positions`` is None exactly when the field is not ``positional``.
        units, starts, docs, all_freqs, all_positions = self._postings.pop(fieldname).grouped()
        inline_limit, block_limit = pw._inlinelimit, pw._blocklimit
        for i, unit in enumerate(units):
            lo, hi = starts[i], starts[i + 1]
            key = keyprefix + unit.encode("utf-8")
            if hi - lo == 1:
                docnum, n = docs[lo], all_freqs[lo]
                tindex.add(key, _single_info(docnum, n * boost,
                                             all_positions[lo] if all_positions is not None
                                             else pack_uint(n), doc_lengths[docnum]))
                continue
            ids, freqs = docs[lo:hi], all_freqs[lo:hi]
            positions = all_positions[lo:hi] if all_positions is not None else None
            weights = list(map(float, freqs)) if boost == 1.0 else [n * boost for n in freqs]
            lengths = list(map(doc_lengths.__getitem__, ids))
            if len(ids) < inline_limit:
                values = positions if positions is not None else list(map(pack_uint, freqs))
                tindex.add(key, _inlined_info(ids, weights, values, lengths))
                continue
            info = W3TermInfo()
            start = postfile.tell()
            postfile.write(WHOOSH3_HEADER_MAGIC)
            for lo in range(0, len(ids), block_limit):
                hi = lo + block_limit
                # A fixed-size value block is the frequencies as big-endian uints, packed at once.
                block = positions[lo:hi] if positions is not None else _uints(freqs[lo:hi])
                self._write_block(pw, info, ids[lo:hi], weights[lo:hi], block,
                                  lengths[lo:hi], last=hi >= len(ids), fixed=not positional)
            info.set_extent(start, postfile.tell() - start)
            tindex.add(key, info.to_bytes())
        tindex.flush()
        fw.finish_field()

    @staticmethod
    def _write_block(pw: W3PostingsWriter, info: W3TermInfo, ids: list[int], weights: list[float],
                     values: list[bytes] | bytes, lengths: list[int], last: bool,
                     fixed: bool) -> None:
        """One block as ``W3PostingsWriter._write_block`` writes it (``values`` already
        joined when ``fixed``)."""
        stats = _Stats(ids, weights, lengths, max(0, *weights))
        info.add_block(stats)
        deltas = tuple(map(sub, ids, [0, *ids[:-1]]))
        data = (deltas, _mini_weights(weights), values if fixed else tuple(values))
        databytes = dumps(data)
        comp = pw._compression if len(databytes) >= COMPRESSION_MIN_SIZE else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        infobytes = dumps((len(ids), ids[-1], stats._maxweight, comp,
                           length_to_byte(stats._minlength),
                           length_to_byte(stats._maxlength)))
        size = len(infobytes) + len(databytes)
        pw._postfile.write_int(-size if last else size)
        pw._postfile.write(infobytes)
        pw._postfile.write(databytes)

    # -- committing with segments written by other processes --------------------------------
    def commit_with(self, segments: Iterable) -> None:
        """``commit`` that also adds ``segments`` finished by worker processes (their own
        ``FastSegmentWriter`` opened with ``_lk=False``) to the table of contents; the
        writer's merge policy applies to the segments that were there before."""
        self._check_state()
        try:
            final = self._merge_segments(None, None, None)
            final += list(segments)
            if self._added:
                final.append(self._finalize_segment())
            else:
                self._close_segment()
            self._commit_toc(final)
        except Exception:
            self._cleanup_on_error()
            raise
        self._finish()


def committed_doc_count(ix: FileIndex) -> int:
    """Documents in the index's latest commit, from its table of contents (no reader opened)."""
    return sum(seg.doc_count() for seg in ix._segments())


def finish_part(writer: FastSegmentWriter) -> Segment | None:
    """Close a worker's writer and return its segment (``None`` if it holds no documents)."""
    if not writer._added:
        writer._close_segment()
        return None
    return writer._finalize_segment()
