"""The speed-limit reference: the same articles and requests through tantivy (Rust, via the
``tantivy`` wheel), doing what a result page needs: the query over accent-keeping and folded
title/text fields, the province/date filters, the top ten (by score or date), snippets of those
ten, and province/year/month/source counts (an extra count per facet that has a selection, as
disjunctive facets need). No pyvi words, phrase boosts or collapse of copies: a lower bound on
what our search could cost, not the same ranking.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import tantivy

from bench.index_speed_corpus import VN_TZ
from bench.index_speed_queries import BenchQuery
from corpus.record import NATIONAL
from indexer.build import parse_date

FACET_FIELDS = {"province": "province_new", "year": "year", "month": "month",
                "source": "source"}
BOOSTS = {"title": 3.0, "text": 1.0, "title_fold": 1.2, "text_fold": 0.4}


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("title", stored=True)
    b.add_text_field("text", stored=True)
    b.add_text_field("title_fold", tokenizer_name="fold")
    b.add_text_field("text_fold", tokenizer_name="fold")
    b.add_text_field("so_hieu", tokenizer_name="raw")
    for name in ("province_new", "province_old", "year", "month", "source"):
        b.add_text_field(name, stored=True, fast=True, tokenizer_name="raw")
    b.add_integer_field("date_sort", stored=True, indexed=True, fast=True)
    return b.build()


def _register(index: tantivy.Index) -> None:
    fold = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold()).build())
    index.register_tokenizer("fold", fold)


def open_index(path: Path) -> tantivy.Index:
    index = tantivy.Index(_schema(), path=str(path), reuse=True)
    _register(index)
    return index


def build(corpus_file: Path, path: Path, threads: int = 2) -> int:
    """Index the corpus file; returns the number of documents."""
    path.mkdir(parents=True, exist_ok=True)
    index = open_index(path)
    writer = index.writer(heap_size=512 << 20, num_threads=threads)
    n = 0
    with open(corpus_file, encoding="utf-8") as f:
        for line in f:
            writer.add_document(_document(json.loads(line)))
            n += 1
    writer.commit()
    writer.wait_merging_threads()
    return n


def _document(a: dict) -> tantivy.Document:
    published = parse_date(a.get("published", ""))
    text = a.get("sapo", "") + "\n" + "\n".join(a.get("body", []))
    return tantivy.Document(
        id=a["url"], title=a["title"], text=text, title_fold=a["title"], text_fold=text,
        so_hieu=[d["number"].lower() for d in a.get("doc_numbers", [])] or [""],
        province_new=a.get("province_new") or NATIONAL,
        province_old=a.get("province_old") or NATIONAL,
        year=published.strftime("%Y") if published else "",
        month=published.strftime("%Y-%m") if published else "",
        source=a.get("source_title") or a.get("source", ""),
        date_sort=int(published.timestamp()) if published else 0)


class Searcher:
    """One open tantivy searcher answering bench requests like a result page."""

    def __init__(self, path: Path) -> None:
        self.index = open_index(path)
        self.index.reload()
        self.searcher = self.index.searcher()
        self.schema = self.index.schema

    def _text_query(self, q: str) -> tantivy.Query:
        if not q.strip():
            return tantivy.Query.all_query()
        query, _ = self.index.parse_query_lenient(
            q, list(BOOSTS), field_boosts=BOOSTS, conjunction_by_default=True)
        return query

    def _filters(self, b: BenchQuery, skip: str = "") -> list[tantivy.Query]:
        out = []
        if b.provinces and skip != "province":
            field = "province_new" if b.scheme == "new" else "province_old"
            out.append(tantivy.Query.term_set_query(self.schema, field, list(b.provinces)))
        if b.date_from or b.date_to:
            lo = _timestamp(b.date_from) if b.date_from else None
            hi = _timestamp(b.date_to) + 86399 if b.date_to else None
            out.append(tantivy.Query.range_query(self.schema, "date_sort",
                                                 tantivy.FieldType.Integer, lo, hi))
        return out

    def _all(self, text: tantivy.Query, filters: list[tantivy.Query]) -> tantivy.Query:
        if not filters:
            return text
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in [text, *filters]])

    def search(self, b: BenchQuery, page_size: int = 10) -> tuple[int, list[dict], dict]:
        text = self._text_query(b.q)
        query = self._all(text, self._filters(b))
        sort = b.sort or ("relevance" if b.q.strip() else "newest")
        kwargs = {}
        if sort != "relevance":
            kwargs = {"order_by_field": "date_sort",
                      "order": tantivy.Order.Desc if sort == "newest" else tantivy.Order.Asc}
        result = self.searcher.search(query, limit=page_size, offset=(b.page - 1) * page_size,
                                      **kwargs)
        snippets = tantivy.SnippetGenerator.create(self.searcher, text, self.schema, "text")
        hits = []
        for _, address in result.hits:
            doc = self.searcher.doc(address)
            hits.append({"title": doc["title"][0],
                         "snippet": snippets.snippet_from_doc(doc).to_html()})
        return result.count, hits, self._facets(b, text, query)

    def _facets(self, b: BenchQuery, text: tantivy.Query, query: tantivy.Query) -> dict:
        aggs = {name: {"terms": {"field": field, "size": 100}}
                for name, field in FACET_FIELDS.items()}
        out = self.searcher.aggregate(query, aggs)
        if b.provinces:                   # disjunctive: the province counts ignore their own pick
            own = self._all(text, self._filters(b, skip="province"))
            only = {"province": aggs["province"]}
            out["province"] = self.searcher.aggregate(own, only)["province"]
        return out


def _timestamp(day: date) -> int:
    """Midnight in Vietnam, as our date filter reads a day."""
    return int(datetime.combine(day, dtime(), VN_TZ).timestamp())
