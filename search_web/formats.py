"""The machine-readable twins of a search page: JSON (API), Atom (saved-search alert), CSV (export).

Each is a pure function of the SearchResult and the URLs the app hands in, so the HTML page and
its twins can never disagree about what a URL means.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

from feedgen.feed import FeedGenerator

from corpus.record import published_datetime, published_precision
from indexer.search import Hit, SearchRequest, SearchResult
from search_web import params
from search_web.present import value_label

UrlFor = Callable[[SearchRequest], str]
CSV_COLUMNS = ("id", "date", "title", "province_new", "province_old", "source", "doc_numbers",
               "copies", "url", "article_url", "snippet")
_TAG_RE = re.compile(r"<[^>]*>")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain_snippet(snippet_html: str) -> str:
    """The snippet as text: ``<mark>`` tags dropped, entities decoded."""
    return unescape(_TAG_RE.sub("", snippet_html))


def iso_day(published: str) -> str:
    """``2021-08-16T09:30:00+07:00`` → ``2021-08-16``; a month-only date stays ``2012-12``
    ("" when unknown)."""
    dt = published_datetime(published)
    if dt is None:
        return ""
    return published[:7] if published_precision(published) in ("month", "year") else \
        dt.date().isoformat()


# -- JSON ----------------------------------------------------------------------------------------

def hit_json(hit: Hit) -> dict:
    return {
        "id": hit.id,
        "url": hit.url,
        "title": hit.title,
        "date": hit.published,
        "province_new": hit.province_new,
        "province_old": hit.province_old,
        "source": hit.source,
        "snippet": hit.snippet,
        "doc_numbers": hit.doc_numbers,
        "copies": hit.copies,
    }


def query_json(req: SearchRequest) -> dict:
    """Every parameter with its effective value (lists for the repeatable ones)."""
    values = params.request_values(req)
    out = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    out["sort"] = req.effective_sort
    return out


def search_json(result: SearchResult, notes: Iterable[str], url: Callable[[SearchRequest, str], str]
                ) -> dict:
    """``/search.json``: the shape documented in the README; facet links point at JSON twins."""
    req = result.request
    pages = min(result.page_count, params.MAX_PAGE)
    return {
        "total": result.total,
        "page": req.page,
        "page_count": pages,
        "took_ms": round(result.took_ms, 1),
        "query": query_json(req),
        "results": [hit_json(h) for h in result.hits],
        "facets": {
            name: [{"value": v.value, "label": value_label(name, v.value), "count": v.count,
                    "selected": v.selected, "url": url(params.toggle(req, name, v.value), "json")}
                   for v in values]
            for name, values in result.facets.items()
        },
        "notes": list(notes),
        "links": {
            "html": url(req, "html"),
            "json": url(req, "json"),
            "atom": url(req, "atom"),
            "csv": url(req, "csv"),
            "next": url(params.with_page(req, req.page + 1), "json") if req.page < pages else None,
            "prev": url(params.with_page(req, req.page - 1), "json") if req.page > 1 else None,
        },
    }


# -- CSV -----------------------------------------------------------------------------------------

def _cell(value: object) -> str:
    """Text for a spreadsheet cell; a leading ``=``/``+``/``-``/``@`` is defused (CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(hits: Iterable[Hit], article_url: Callable[[str], str]) -> str:
    """UTF-8 text with a BOM (so Excel reads Vietnamese correctly), one row per result."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for h in hits:
        writer.writerow([_cell(v) for v in (
            h.id, iso_day(h.published), h.title, h.province_new, h.province_old, h.source,
            "; ".join(h.doc_numbers), h.copies, h.url, article_url(h.id),
            plain_snippet(h.snippet))])
    return buf.getvalue()


# -- Atom ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedLinks:
    page: str           # absolute URL of the HTML search
    feed: str           # absolute URL of this feed
    article: Callable[[str], str]   # id → absolute URL of the article page


def _when(published: str) -> datetime | None:
    return published_datetime(published)


def feed_title(req: SearchRequest) -> str:
    parts = [f"“{req.q}”"] if req.q else []
    for facet, attr in params.FACET_PARAMS.items():
        parts.extend(value_label(facet, v) for v in getattr(req, attr))
    return "Tin công đoàn: " + (", ".join(parts) if parts else "bài mới nhất")


#: What XML 1.0 cannot carry (lxml refuses it): controls, surrogates, U+FFFE and U+FFFF.
_NOT_XML_RE = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML cannot hold (an index or a query may have them)."""
    return _NOT_XML_RE.sub("", text or "")


def atom_xml(result: SearchResult, links: FeedLinks, now: datetime | None = None) -> bytes:
    """An Atom feed of the newest matches: a journalist's saved search. Every text that enters
    it goes through :func:`xml_text`."""
    fg = FeedGenerator()
    fg.id(links.feed)
    fg.title(xml_text(feed_title(result.request)))
    fg.subtitle("Kết quả tìm kiếm mới nhất, lưu làm nguồn tin theo dõi.")
    fg.language("vi")
    fg.link(href=links.page, rel="alternate", type="text/html")
    fg.link(href=links.feed, rel="self", type="application/atom+xml")
    fg.generator("unionsearch")
    dates = [d for d in (_when(h.published) for h in result.hits) if d]
    fallback = now or datetime.now(UTC)
    fg.updated(max(dates) if dates else fallback)
    for hit in result.hits:
        entry = fg.add_entry(order="append")
        entry.id(links.article(hit.id))
        entry.title(xml_text(hit.title))
        # One link only: feedgen 1.0 drops rel/type on entry links, so a second link (the
        # original) would also read as "alternate". Our article page links the original.
        entry.link(href=links.article(hit.id))
        when = _when(hit.published)
        entry.updated(when or fallback)
        if when:
            entry.published(when)
        entry.author(name=xml_text(hit.source) or "unionsearch")
        entry.summary(xml_text(plain_snippet(hit.snippet)))
        for number in hit.doc_numbers:
            entry.category(term=xml_text(number), label=xml_text(number))
    return fg.atom_str(pretty=True)
