"""The Whoosh fast paths: every use of Whoosh's private names, behind this one interface.

Whoosh spends its time in Python per posting and per document, and its documented seams keep
that cost. A ``Codec`` changes how a segment is written, but ``SegmentWriter`` still runs each
field's analyzer as a chain of ``Token`` generators (about half of all indexing time), puts
every posting (about a thousand per news article) as a tuple into its sorting pool and hands
them to the codec one call at a time after one big sort: at 143,000 articles that is most of
the indexing time. ``MpWriter`` forks per-segment writers, each paying the same per-posting
cost, then merges their segments. Reading, a custom ``Matcher`` or ``Collector`` still walks
postings one document at a time: a two-syllable query (a dozen posting lists of up to 100k
entries) costs seconds at 143k articles, and a column read document by document seconds more.

So the modules here work on Whoosh's own files in bulk, producing and reading exactly what
Whoosh's code does (``tests/test_segwriter.py``, ``tests/test_textfields.py`` and
``tests/test_index.py`` compare them with Whoosh's own paths):

* :mod:`.textfields`: text fields indexed by a plain function returning the terms (the fields
  that the segment writer keeps out of Whoosh's pool);
* :mod:`.segwriter`: postings of those fields in arrays, sorted once, written block by block in
  the whoosh3 format, short lists inlined in the term table (writing a block per term was a
  third of the indexing time), the term table hashed with CRC-32 rather than the CDB hash (a
  Python loop over every byte of every term);
* :mod:`.postings`: queries evaluated with NumPy over whole decoded posting lists and field
  length columns, with Whoosh's BM25F scores;
* :mod:`.columns`: facet and date columns and one-term-per-document fields read whole.

They are written against whoosh3 3.54.0, pinned exactly in ``pyproject.toml``: the private
names they rely on are listed in :data:`PRIVATE_NAMES`, and ``tests/test_whoosh_pin.py`` fails
on any other Whoosh version or when one of the names is gone.
"""
from __future__ import annotations

from indexer.whooshfast.columns import column_bytes, docnum_terms, numeric_column, segment_readers
from indexer.whooshfast.postings import Evaluator, PostingCache, Unsupported
from indexer.whooshfast.segwriter import FastSegmentWriter, committed_doc_count, finish_part
from indexer.whooshfast.textfields import Prepared, UnitText

__all__ = [
    "PRIVATE_NAMES",
    "Evaluator",
    "FastSegmentWriter",
    "PostingCache",
    "Prepared",
    "UnitText",
    "Unsupported",
    "column_bytes",
    "committed_doc_count",
    "docnum_terms",
    "finish_part",
    "numeric_column",
    "segment_readers",
]

_W3 = "whoosh.codec.whoosh3"
_TABLES = "whoosh.filedb.filetables"

#: (module, name or ``Class.attribute``) of every Whoosh internal the modules here use: module
#: level names, methods, and attributes that Whoosh's ``__init__`` methods set on instances.
PRIVATE_NAMES: list[tuple[str, str]] = [
    # segwriter: the W3 codec's writers and term infos
    (_W3, "COMPRESSION_MIN_SIZE"),
    (_W3, "WHOOSH3_HEADER_MAGIC"),
    (_W3, "W3FieldWriter._tindex"),
    (_W3, "W3FieldWriter._postwriter"),
    (_W3, "W3FieldWriter._fieldid"),
    (_W3, "W3PostingsWriter._postfile"),
    (_W3, "W3PostingsWriter._blocklimit"),
    (_W3, "W3PostingsWriter._inlinelimit"),
    (_W3, "W3PostingsWriter._compression"),
    (_W3, "W3PostingsWriter._write_block"),          # reproduced byte for byte
    (_W3, "W3TermInfo._struct"),
    (_W3, "W3TermInfo.set_inlined"),
    # segwriter: the term table file
    (_TABLES, "_lengths"),
    (_TABLES, "_pointer"),
    (_TABLES, "HashWriter._write_hashes"),
    (_TABLES, "OrderedHashWriter.dbfile"),
    (_TABLES, "OrderedHashWriter.startoffset"),
    (_TABLES, "OrderedHashWriter.hashfn"),
    (_TABLES, "OrderedHashWriter.buckets"),
    (_TABLES, "OrderedHashWriter.directory"),
    (_TABLES, "OrderedHashWriter.extras"),
    (_TABLES, "OrderedHashWriter.index"),
    (_TABLES, "OrderedHashWriter.lastkey"),
    # segwriter: the segment writer's steps
    ("whoosh.writing", "SegmentWriter._added"),
    ("whoosh.writing", "SegmentWriter._check_state"),
    ("whoosh.writing", "SegmentWriter._check_fields"),
    ("whoosh.writing", "SegmentWriter._process_posts"),
    ("whoosh.writing", "SegmentWriter._flush_segment"),
    ("whoosh.writing", "SegmentWriter._merge_segments"),
    ("whoosh.writing", "SegmentWriter._finalize_segment"),
    ("whoosh.writing", "SegmentWriter._close_segment"),
    ("whoosh.writing", "SegmentWriter._commit_toc"),
    ("whoosh.writing", "SegmentWriter._cleanup_on_error"),
    ("whoosh.writing", "SegmentWriter._finish"),
    ("whoosh.writing", "PostingPool.fieldnames"),
    ("whoosh.codec.base", "FieldWriter.add_postings"),
    ("whoosh.index", "FileIndex._segments"),
    # postings: posting blocks, field lengths, BM25F's per-field B
    (_W3, "LENGTHS_COLUMN"),
    (_W3, "_lenfield"),
    (_W3, "W3LeafMatcher._read_ids"),
    (_W3, "W3LeafMatcher._read_weights"),
    (_W3, "W3LeafMatcher._read_values"),
    (_W3, "W3LeafMatcher._next_block"),
    (_W3, "W3LeafMatcher._ids"),
    (_W3, "W3LeafMatcher._weights"),
    (_W3, "W3LeafMatcher._values"),
    (_W3, "W3PerDocReader._cached_reader"),
    ("whoosh.reading", "SegmentReader._perdoc"),
    ("whoosh.scoring", "BM25F._field_B"),
    ("whoosh.matching", "FilterMatcher.child"),
    ("whoosh.columns", "NumericColumn.Reader._dbfile"),
    ("whoosh.columns", "NumericColumn.Reader._basepos"),
    ("whoosh.columns", "NumericColumn.Reader._count"),
    # columns: string columns and inlined posting lists
    ("whoosh.columns", "VarBytesColumn.Reader._dbfile"),
    ("whoosh.columns", "VarBytesColumn.Reader._basepos"),
    ("whoosh.columns", "VarBytesColumn.Reader._lengths"),
    (_W3, "W3TermInfo.is_inlined"),
    (_W3, "W3TermInfo.inlined_postings"),
]
