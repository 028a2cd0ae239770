"""Plain BM25 over pre-tokenised documents: the reference the product's ranking is measured
against, computed in the same run on the same documents and queries.

Lucene-style: idf ``log(1 + (N - df + .5) / (df + .5))``, ``k1 = 1.2``, ``b = 0.75``, one field
(title + sapo + text), every query token a clause (repeats count). Postings are NumPy arrays, so
scoring a query is a handful of scatter-adds over a dense score vector.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np


class BM25:
    """An in-memory inverted index with precomputed BM25 term weights per posting."""

    def __init__(self, docs: Iterable[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        vocab: dict[str, int] = {}
        term_ids: list[np.ndarray] = []
        doc_ids: list[np.ndarray] = []
        tfs: list[np.ndarray] = []
        lengths: list[int] = []
        for n, tokens in enumerate(docs):
            counts = Counter(tokens)
            lengths.append(len(tokens))
            term_ids.append(np.fromiter((vocab.setdefault(t, len(vocab)) for t in counts),
                                        dtype=np.int32, count=len(counts)))
            tfs.append(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            doc_ids.append(np.full(len(counts), n, dtype=np.int32))
        self.vocab = vocab
        self.n_docs = len(lengths)
        terms = np.concatenate(term_ids) if term_ids else np.zeros(0, np.int32)
        order = np.argsort(terms, kind="stable")
        self.docs = (np.concatenate(doc_ids) if doc_ids else terms)[order]
        tf = (np.concatenate(tfs) if tfs else np.zeros(0, np.float32))[order]
        self.indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=len(vocab)), out=self.indptr[1:])
        dl = np.asarray(lengths, dtype=np.float32)
        avgdl = float(dl.mean()) if len(dl) else 1.0
        norm = k1 * (1 - b + b * dl[self.docs] / max(avgdl, 1e-9))
        self.weights = (tf * (k1 + 1) / (tf + norm)).astype(np.float32)
        df = np.diff(self.indptr).astype(np.float64)
        self.idf = np.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def scores(self, query: Sequence[str]) -> np.ndarray:
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term, repeat in Counter(query).items():
            t = self.vocab.get(term)
            if t is None:
                continue
            lo, hi = self.indptr[t], self.indptr[t + 1]
            out[self.docs[lo:hi]] += float(self.idf[t] * repeat) * self.weights[lo:hi]
        return out

    def top(self, query: Sequence[str], k: int = 100) -> list[int]:
        """Document numbers of the ``k`` best-scoring documents (matching at least one term)."""
        s = self.scores(query)
        hits = np.flatnonzero(s)
        if len(hits) > k:
            hits = hits[np.argpartition(-s[hits], k - 1)[:k]]
        return hits[np.lexsort((hits, -s[hits]))].tolist()
