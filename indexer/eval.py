"""Relevance evaluation: the product's ranking beside plain BM25, on the same documents and
queries, in one run (``unionsearch eval``).

The documents (JSONL ``{id, title, text}`` with an optional ``sapo``; plain or ``.xz``) become
:class:`~corpus.record.Article` records in a corpus file and go through
:func:`indexer.build.build_index`, so the index has exactly the product's analysis; queries go
through :func:`indexer.query.parse` / :func:`indexer.query.to_whoosh` and the search engine's
evaluator (:mod:`indexer.whooshfast.postings`). The index is cached under ``--cache-dir`` by a
hash of the documents; it is rebuilt when the code that shapes the index changes (pyvi output
stays cached by line, so a rebuild does not split words again). The baselines
(:mod:`indexer.baseline`) are Lucene-style BM25 over syllables and over pyvi words of title +
sapo + text.
"""
from __future__ import annotations

import hashlib
import json
import lzma
import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TextIO

import numpy as np

from corpus.docnumbers import find_doc_numbers
from corpus.record import Article, article_id, content_hash, write_corpus
from corpus.textnorm import canon, fold

Progress = Callable[[str], None]
NDCG_AT, MRR_AT, RECALL_AT = 10, 10, 100
TWIN_MIN_CHARS = 200
#: Modules whose source decides what the index holds: a change rebuilds a cached index.
INDEX_MODULES = ("indexer.analysis", "indexer.wordseg", "indexer.schema",
                 "indexer.whooshfast.textfields", "indexer.build", "indexer.whooshfast.segwriter",
                 "corpus.textnorm", "corpus.docnumbers", "corpus.record")


@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    sapo: str
    text: str


@dataclass
class Scores:
    ndcg: float
    mrr: float
    recall: float


# -- inputs -----------------------------------------------------------------------------------
def _open_text(path: Path) -> TextIO:
    return lzma.open(path, "rt", encoding="utf-8") if path.suffix == ".xz" else \
        open(path, encoding="utf-8")


def read_docs(path: Path, limit: int | None = None) -> Iterator[Doc]:
    with _open_text(Path(path)) as f:
        for line in islice((x for x in f if x.strip()), limit):
            d = json.loads(line)
            yield Doc(str(d["id"]), d.get("title") or "", d.get("sapo") or "", d.get("text") or "")


def _tsv(path: Path) -> Iterator[list[str]]:
    """Rows split on TAB only: some document ids contain spaces."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n\r")
            if line.strip():
                yield line.split("\t")


def read_queries(path: Path) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in _tsv(path) if len(row) >= 2]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """TREC qrels ``qid 0 docid rel``."""
    out: dict[str, dict[str, int]] = {}
    for row in _tsv(path):
        if len(row) >= 4:
            out.setdefault(row[0], {})[row[2]] = int(row[3])
    return out


# -- metrics ----------------------------------------------------------------------------------
def score_run(run: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> Scores:
    """nDCG@10, MRR@10 and Recall@100, averaged over the judged queries (a judged query with no
    ranking counts as zero)."""
    ndcg = mrr = recall = 0.0
    judged = [q for q, rels in qrels.items() if any(r > 0 for r in rels.values())]
    for qid in judged:
        rels, ranked = qrels[qid], run.get(qid, [])
        dcg = sum(rels.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:NDCG_AT]))
        ideal = sorted(rels.values(), reverse=True)[:NDCG_AT]
        ndcg += dcg / sum(r / math.log2(i + 2) for i, r in enumerate(ideal))
        first = next((i for i, d in enumerate(ranked[:MRR_AT]) if rels.get(d, 0) > 0), None)
        mrr += 0.0 if first is None else 1.0 / (first + 1)
        relevant = {d for d, r in rels.items() if r > 0}
        recall += len(relevant & set(ranked[:RECALL_AT])) / len(relevant)
    n = max(1, len(judged))
    return Scores(ndcg / n, mrr / n, recall / n)


def duplicate_groups(docs: Iterable[Doc]) -> dict[str, str]:
    """Document id → the first id with the same text (sapo + body; canonical, lower case,
    spaces collapsed), for documents that have such a twin. ALQAC holds the Civil Code twice
    under two titles and judges one copy; which twin wins an exact tie decides 2–10 nDCG
    points there, so the report also scores every system with twins counted once. Short texts
    (a law's "this law takes effect on…") are alike without being the same article: as in
    the product's near-duplicate keys (``corpus.dedupe``), they never count as twins."""
    first: dict[str, str] = {}
    groups: dict[str, str] = {}
    for d in docs:
        text = " ".join(canon(d.sapo + " " + d.text).lower().split())
        if len(text) < TWIN_MIN_CHARS:
            continue
        key = hashlib.sha1(text.encode("utf-8")).hexdigest()
        if key in first:
            groups[d.id] = first[key]
            groups.setdefault(first[key], first[key])
        else:
            first[key] = d.id
    return groups


def collapse_run(run: dict[str, list[str]], groups: dict[str, str]) -> dict[str, list[str]]:
    """Each ranking with twins replaced by their group and repeats dropped."""
    out = {}
    for qid, ranked in run.items():
        out[qid] = list(dict.fromkeys(groups.get(d, d) for d in ranked))    # first of each, in order
    return out


def collapse_qrels(qrels: dict[str, dict[str, int]],
                   groups: dict[str, str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for qid, rels in qrels.items():
        merged = out.setdefault(qid, {})
        for d, r in rels.items():
            g = groups.get(d, d)
            merged[g] = max(merged.get(g, 0), r)
    return out


# -- the product's index ----------------------------------------------------------------------
def eval_url(doc_id: str) -> str:
    return "eval:" + doc_id


def paragraphs(text: str) -> list[str]:
    return [p for p in (x.strip() for x in text.split("\n")) if p]


def to_article(doc: Doc) -> Article:
    """The corpus record the cleaner would have written for this document."""
    body = paragraphs(doc.text)
    text = "\n".join([doc.title, doc.sapo, *body])
    numbers = [{"number": d.number, "type": d.type, "issuer": d.issuer}
               for d in find_doc_numbers(text)]
    return Article(url=eval_url(doc.id), title=doc.title, sapo=doc.sapo, body=body,
                   doc_numbers=numbers, content_hash=content_hash(doc.title, doc.sapo, body))


def corpus_key(docs: Iterable[Doc]) -> str:
    h = hashlib.sha256()
    for d in docs:
        for part in (d.id, d.title, d.sapo, d.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
    return h.hexdigest()[:20]


def index_fingerprint() -> str:
    import importlib

    h = hashlib.sha256()
    for name in INDEX_MODULES:
        source = importlib.import_module(name).__file__
        assert source is not None         # plain source modules, never namespace packages
        h.update(Path(source).read_bytes())
    return h.hexdigest()[:20]


def prepare_index(docs: list[Doc], cache_dir: Path, progress: Progress) -> Path:
    """An index of ``docs`` built by the product's indexer, reused while documents and index
    code are unchanged; returns the index directory."""
    from indexer.build import build_index

    work = Path(cache_dir) / f"corpus-{corpus_key(docs)}"
    index_dir, stamp = work / "index", work / "FINGERPRINT"
    fingerprint = index_fingerprint()
    if stamp.is_file() and stamp.read_text().strip() == fingerprint:
        progress(f"index cached in {index_dir}")
        return index_dir
    corpus_file = work / "articles.jsonl"
    if not corpus_file.is_file():
        write_corpus(corpus_file, (to_article(d) for d in docs))
    progress(f"indexing {len(docs):,} documents into {index_dir}")
    stats = build_index(corpus_file, index_dir, rebuild=stamp.is_file(), progress=progress)
    progress(stats.summary())
    stamp.write_text(fingerprint + "\n")
    return index_dir


def product_run(index_dir: Path, queries: list[tuple[str, str]], doc_ids: list[str],
                progress: Progress, limit: int = RECALL_AT) -> dict[str, list[str]]:
    """Top ``limit`` document ids per query, ranked by the product."""
    from whoosh import index as whoosh_index

    from indexer.generations import current_generation
    from indexer.query import parse, to_whoosh
    from indexer.whooshfast import Evaluator, PostingCache, Unsupported, numeric_column

    gen = current_generation(index_dir)
    if gen is None:
        raise RuntimeError(f"no index in {index_dir}")
    searcher = whoosh_index.open_dir(str(gen)).searcher()
    try:
        evaluator = Evaluator(searcher, PostingCache(512 << 20))
        by_docnum = np.empty(searcher.doc_count_all(), dtype=object)
        # Exact ties (identical twins) are broken as the search page breaks them: the copy
        # whose title names its document number first (``schema``), then corpus order, as
        # the baselines break them (the parallel build numbers documents in the order its
        # workers finish).
        official = numeric_column(searcher.reader(), "official")
        position = np.full(searcher.doc_count_all(), len(doc_ids), dtype=np.int64)
        for i, doc_id in enumerate(doc_ids):
            docnum = searcher.document_number(id=article_id(eval_url(doc_id)))
            if docnum is not None:
                by_docnum[docnum] = doc_id
                position[docnum] = i
        run: dict[str, list[str]] = {}
        ticker = _Ticker(len(queries), "product", progress)
        for qid, text in queries:
            query = to_whoosh(parse(text), searcher)
            try:
                found = evaluator.evaluate(query)
                mask, score = found.mask, found.score
            except Unsupported:
                mask = np.zeros(len(by_docnum), dtype=bool)
                score = np.zeros(len(by_docnum))
                for s, docnum in searcher.search(query, limit=limit).top_n:
                    mask[docnum], score[docnum] = True, s
            run[qid] = [by_docnum[d] for d in _top(mask, score, limit, official, position)]
            ticker.tick()
        return run
    finally:
        searcher.close()


def _top(mask: np.ndarray, score: np.ndarray, limit: int, official: np.ndarray,
         position: np.ndarray) -> list[int]:
    """Matching document numbers by descending score (ties: ``official`` ones, then lower
    ``position``, first)."""
    hits = np.flatnonzero(mask)
    if len(hits) > limit:
        # Whole ties at the cut stay in, so that the tie-break decides who is kept.
        cut = np.partition(-score[hits], limit - 1)[limit - 1]
        hits = hits[-score[hits] <= cut]
    order = np.lexsort((position[hits], -official[hits], -score[hits]))
    return hits[order][:limit].tolist()


# -- baselines --------------------------------------------------------------------------------
def baseline_runs(docs: list[Doc], queries: list[tuple[str, str]], index_dir: Path,
                  folded: bool, progress: Progress,
                  limit: int = RECALL_AT) -> dict[str, dict[str, list[str]]]:
    """Plain BM25 over syllables and over pyvi words (both folded when the queries are)."""
    from indexer.analysis import syllables, use_word_cache, words
    from indexer.baseline import BM25
    from indexer.build import settle_word_cache
    from indexer.wordcache import cache_path

    def norm(tokens: list[str]) -> list[str]:
        return [fold(t).lower() for t in tokens] if folded else tokens

    ids = [d.id for d in docs]
    texts = ["\n".join([d.title, d.sapo, *paragraphs(d.text)]) for d in docs]
    settle_word_cache(index_dir)                       # what the build staged
    use_word_cache(cache_path(index_dir))              # filled when the index was built
    try:
        tokenizers = {"BM25 syllables": syllables, "BM25 pyvi words": words}
        runs: dict[str, dict[str, list[str]]] = {}
        for name, tokenize in tokenizers.items():
            progress(f"{name}: tokenising {len(texts):,} documents")
            bm25 = BM25(norm(tokenize(t)) for t in texts)
            ticker = _Ticker(len(queries), name, progress)
            run = {}
            for qid, text in queries:
                run[qid] = [ids[i] for i in bm25.top(norm(tokenize(text)), limit)]
                ticker.tick()
            runs[name] = run
            del bm25
        return runs
    finally:
        use_word_cache(None)


# -- the whole evaluation ---------------------------------------------------------------------
@dataclass
class Report:
    n_docs: int
    n_queries: int
    folded: bool
    results: dict[str, Scores]
    twins: int = 0                                   # documents with an identical twin
    twins_once: dict[str, Scores] | None = None      # the results with twins counted once

    def table(self) -> str:
        lines = [f"{self.n_docs:,} documents, {self.n_queries:,} judged queries"
                 f"{' (diacritics removed)' if self.folded else ''}"]
        lines += _rows(self.results)
        if self.twins_once:
            lines += ["", f"{self.twins:,} documents have an identical twin; twins counted once:"]
            lines += _rows(self.twins_once)
        return "\n".join(lines)


def _rows(results: dict[str, Scores]) -> list[str]:
    lines = [f"{'system':<22} {'nDCG@10':>8} {'MRR@10':>8} {'R@100':>8}"]
    for name, s in results.items():
        lines.append(f"{name:<22} {s.ndcg:>8.3f} {s.mrr:>8.3f} {s.recall:>8.3f}")
    return lines


def evaluate(corpus: Path, queries_file: Path, qrels_file: Path, cache_dir: Path, *,
             extra_corpus: Path | None = None, extra_limit: int | None = None,
             fold_queries: bool = False, max_queries: int | None = None,
             progress: Progress = lambda m: None) -> Report:
    started = time.monotonic()
    docs = list(read_docs(corpus))
    if extra_corpus is not None:
        seen = {d.id for d in docs}
        docs += [d for d in read_docs(extra_corpus, extra_limit) if d.id not in seen]
    qrels = read_qrels(qrels_file)
    queries = [(q, t) for q, t in read_queries(queries_file) if q in qrels][:max_queries]
    if fold_queries:
        queries = [(q, fold(t)) for q, t in queries]
    qrels = {q: qrels[q] for q, _ in queries}
    progress(f"{len(docs):,} documents, {len(queries):,} judged queries")
    index_dir = prepare_index(docs, cache_dir, progress)
    runs = {"unionsearch": product_run(index_dir, queries, [d.id for d in docs], progress)}
    runs.update(baseline_runs(docs, queries, index_dir, fold_queries, progress))
    report = Report(len(docs), len(queries), fold_queries,
                    {name: score_run(run, qrels) for name, run in runs.items()})
    groups = duplicate_groups(docs)
    if groups:
        once = collapse_qrels(qrels, groups)
        report.twins = len(groups)
        report.twins_once = {name: score_run(collapse_run(run, groups), once)
                             for name, run in runs.items()}
    progress(f"evaluation done in {time.monotonic() - started:.0f} s")
    return report


class _Ticker:
    """A progress line every 10 seconds through a long loop."""

    def __init__(self, total: int, label: str, progress: Progress) -> None:
        self.total, self.label, self.progress = total, label, progress
        self.done = 0
        self.started = self.last = time.monotonic()

    def tick(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= 10 or self.done == self.total:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            self.progress(f"{self.label}: {self.done:,}/{self.total:,} queries ({rate:.0f}/s)")
