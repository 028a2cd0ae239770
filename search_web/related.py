"""Related stories for the article page ("more like this"), from the public search API only.

The query is the indexer's (:func:`indexer.related.more_like_this_query`: the article's key
terms and document numbers). Here the list is made for the page: the article and its
syndicated copies are dropped by id and by identical title; when too few stories match, the
list is filled with recent local news.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from corpus.record import NATIONAL
from corpus.textnorm import canon
from indexer.related import MAX_TERMS, candidates, key_terms, more_like_this_query
from indexer.search import Hit, SearchIndex, SearchRequest

#: The term choice is the indexer's; its names stay importable here for the tests of this page.
__all__ = ["MAX_TERMS", "MLT_SIZE", "candidates", "key_terms", "more_like_this",
           "more_like_this_query"]

MLT_SIZE = 5


def _title_key(title: str) -> str:
    return " ".join(canon(title).casefold().split())


def _fetch(index: SearchIndex, req: SearchRequest, exclude_ids: set[str], exclude_title: str,
           limit: int) -> list[Hit]:
    """Up to ``limit`` hits of ``req`` that are not excluded, adding them to ``exclude_ids``.

    Every hit costs a highlighted snippet in the index, so the first page asks for just one
    more than needed (the article's own story, copies collapsed into it); a second page is
    read only when exclusions ate more than that.
    """
    out: list[Hit] = []
    for page in (1, 2):
        result = index.search(replace(req, page=page, page_size=limit + 1))
        for hit in result.hits:
            if hit.id in exclude_ids or _title_key(hit.title) == exclude_title:
                continue
            exclude_ids.add(hit.id)
            out.append(hit)
            if len(out) == limit:
                return out
        if page >= result.page_count:
            break
    return out


def more_like_this(index: SearchIndex, record: dict, exclude_ids: Iterable[str] = (),
                   limit: int = MLT_SIZE) -> list[Hit]:
    """Up to ``limit`` other stories most like ``record``, best first.

    When too few stories share a key term, the list is filled with the newest stories from
    the same province, then from anywhere (empty queries: no scoring, no highlighting).
    """
    ids = {record.get("id", ""), *exclude_ids}
    title = _title_key(record.get("title", ""))
    found: list[Hit] = []
    q = more_like_this_query(record)
    if q:
        found = _fetch(index, SearchRequest(q=q), ids, title, limit)
    fillers = (SearchRequest(provinces=(record.get("province_new") or NATIONAL,)),
               SearchRequest())
    for req in fillers:
        if len(found) < limit:
            found += _fetch(index, req, ids, title, limit - len(found))
    return found
