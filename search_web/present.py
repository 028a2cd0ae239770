"""What a result page shows, computed from a SearchResult: facet links, chips, pages, bars.

Pure functions over plain data; every link is built by the ``url`` callable the app passes in
(canonical URL of a SearchRequest), so templates never assemble query strings themselves.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from corpus.docnumbers import TYPES
from corpus.record import NATIONAL
from indexer.search import FacetValue, SearchRequest, SearchResult
from search_web import params
from search_web.provinces import Gazetteer

UrlFor = Callable[[SearchRequest], str]

FACET_TITLES = {
    "province": "Tỉnh/thành",
    "year": "Năm",
    "month": "Tháng",
    "type": "Loại văn bản",
    "issuer": "Cơ quan ban hành",
    "source": "Nguồn",
    "kind": "Tin / Văn bản",
    "cited": "Văn bản được nhắc đến",
}
KINDS = {"news": "Tin", "directive": "Văn bản"}
#: Issuer codes of Vietnamese document numbers (the part after the type), as readers name them.
ISSUERS = {
    "CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "TW": "Ban Chấp hành Trung ương Đảng", "BCT": "Bộ Chính trị", "BCH": "Ban Chấp hành",
    "TLĐ": "Tổng LĐLĐ Việt Nam", "LĐLĐ": "LĐLĐ tỉnh, thành phố", "TU": "Tỉnh ủy", "ThU": "Thành ủy",
    "UBND": "Ủy ban nhân dân", "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "LĐTBXH": "Bộ Lao động - Thương binh và Xã hội", "BNV": "Bộ Nội vụ", "BTC": "Bộ Tài chính",
    "SNV": "Sở Nội vụ", "VPTW": "Văn phòng Trung ương Đảng", "CĐN": "Công đoàn ngành",
}
VISIBLE_VALUES = 8      # facet values shown before "Xem thêm"
_PAREN_RE = re.compile(r"\((.*)\)\s*$")


@dataclass(frozen=True)
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool
    url: str            # toggles this value
    note: str = ""      # e.g. "gồm Hải Dương cũ"


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


@dataclass(frozen=True)
class PageLink:
    number: int | None   # None = a gap ("…")
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Bar:
    label: str
    tick: str           # the short label under the bar
    count: int
    url: str            # "" when the bar is not a link (no articles)
    selected: bool
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class Histogram:
    key: str            # "year" | "month" (element ids)
    title: str
    bars: tuple[Bar, ...]
    width: float
    height: float
    bar_width: float


# -- labels ------------------------------------------------------------------------------------

def month_label(value: str) -> str:
    """``2021-08`` → ``08/2021``."""
    year, _, month = value.partition("-")
    return f"{month}/{year}" if month else value


def type_label(code: str) -> str:
    name = TYPES.get(code)
    return f"{name} ({code})" if name else code


def issuer_label(code: str) -> str:
    """``QH15`` → "Quốc hội (QH15)": the issuer's name, the code as printed on the document."""
    name = ISSUERS.get(code) or ISSUERS.get(code.rstrip("0123456789"))
    return f"{name} ({code})" if name else code


def value_label(facet: str, value: str) -> str:
    if facet == "month":
        return month_label(value)
    if facet == "type":
        return type_label(value)
    if facet == "issuer":
        return issuer_label(value)
    if facet == "kind":
        return KINDS.get(value, value)
    return value


def province_label(new: str, old: str) -> str:
    """``Hải Phòng (Hải Dương cũ)`` when the article's old province differs from the new one."""
    new, old = new or NATIONAL, old or NATIONAL
    return new if new == old else f"{new} ({old} cũ)"


def vn_number(n: int) -> str:
    """``12345`` → ``12.345`` (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def vn_seconds(ms: float) -> str:
    """``52.3`` ms → ``0,05`` (decimal comma)."""
    return f"{ms / 1000:.2f}".replace(".", ",")


def vn_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


# -- facets ------------------------------------------------------------------------------------

def facet_items(result: SearchResult, facet: str, url: UrlFor,
                gazetteer: Gazetteer | None = None) -> list[FacetItem]:
    """A facet's values with counts and toggle links.

    The province facet lists every province of the chosen scheme (those without hits last and
    count 0), so the list is the same 34 or 63 names whatever the query.
    """
    req = result.request
    values: list[FacetValue] = list(result.facets.get(facet, []))
    if facet == "province" and gazetteer is not None:
        present = {v.value for v in values}
        values += [FacetValue(name, 0) for name in gazetteer.names(req.scheme)
                   if name not in present]
    notes: dict[str, str] = {}
    if facet == "province" and gazetteer is not None and req.scheme == "new":
        for name, label in gazetteer.labels.items():
            m = _PAREN_RE.search(label)
            if m:
                notes[name] = m.group(1)
    chosen = set(getattr(req, params.FACET_PARAMS[facet]))
    return [FacetItem(v.value, value_label(facet, v.value), v.count,
                      v.selected or v.value in chosen, url(params.toggle(req, facet, v.value)),
                      notes.get(v.value, ""))
            for v in values]


def split_visible(items: list[FacetItem], limit: int = VISIBLE_VALUES
                  ) -> tuple[list[FacetItem], list[FacetItem]]:
    """Values with hits (the first ``limit``) plus selected ones, and the rest for a "more" fold."""
    shown: list[FacetItem] = []
    rest: list[FacetItem] = []
    for item in items:
        if item.selected or (item.count and len(shown) < limit):
            shown.append(item)
        else:
            rest.append(item)
    return shown, rest


def chips(req: SearchRequest, url: UrlFor) -> list[Chip]:
    """One removable chip per active filter."""
    out: list[Chip] = []
    for facet, attr in params.FACET_PARAMS.items():
        for value in getattr(req, attr):
            label = f"{FACET_TITLES[facet]}: {value_label(facet, value)}"
            out.append(Chip(label, url(params.without(req, facet, value))))
    if req.date_from:
        out.append(Chip(f"Từ ngày {vn_date(req.date_from)}", url(params.without(req, "from"))))
    if req.date_to:
        out.append(Chip(f"Đến ngày {vn_date(req.date_to)}", url(params.without(req, "to"))))
    return out


def has_filters(req: SearchRequest) -> bool:
    return bool(req.date_from or req.date_to or any(
        getattr(req, attr) for attr in params.FACET_PARAMS.values()))


# -- pagination --------------------------------------------------------------------------------

def page_links(result: SearchResult, url: UrlFor, window: int = 2) -> list[PageLink]:
    """1 … 4 5 [6] 7 8 … 20: first, last and a window around the current page."""
    req, last = result.request, min(result.page_count, params.MAX_PAGE)
    if last <= 1:
        return []
    wanted = {1, last, *range(req.page - window, req.page + window + 1)}
    out: list[PageLink] = []
    previous = 0
    for n in sorted(p for p in wanted if 1 <= p <= last):
        if n - previous > 1:
            out.append(PageLink(None))
        out.append(PageLink(n, url(params.with_page(req, n)), n == req.page))
        previous = n
    return out


# -- histograms (inline SVG) -------------------------------------------------------------------

def _bars(points: list[tuple[str, str, int, str, bool]], height: float, bar_w: float
          ) -> tuple[tuple[Bar, ...], float, float]:
    """Bar geometry; ``points`` are (tick, label, count, url, selected)."""
    gap = 4.0
    top = max((p[2] for p in points), default=0) or 1
    bars = []
    for i, (tick, label, count, link, selected) in enumerate(points):
        h = round(height * count / top, 1) if count else 0.0
        if count and h < 2:
            h = 2.0
        bars.append(Bar(label, tick, count, link, selected, i * (bar_w + gap), height - h, h))
    return tuple(bars), len(points) * (bar_w + gap) - gap, bar_w


def year_histogram(result: SearchResult, url: UrlFor, height: float = 60) -> Histogram | None:
    """Articles per year, oldest left; each bar filters on its year."""
    req = result.request
    counts = {v.value: v for v in result.facets.get("year", []) if v.value.isdigit()}
    if not counts:
        return None
    years = range(int(min(counts)), int(max(counts)) + 1)
    if len(years) > 40:   # a stray date must not squeeze the chart into hairlines
        years = range(int(max(counts)) - 39, int(max(counts)) + 1)
    points = []
    for y in years:
        v = counts.get(str(y))
        count = v.count if v else 0
        link = url(params.toggle(req, "year", str(y))) if count or (v and v.selected) else ""
        points.append((str(y), str(y), count, link, bool(v and v.selected)))
    bars, width, bar_w = _bars(points, height, 30.0)
    return Histogram("year", "Số bài theo năm", bars, width, height, bar_w)


def month_histogram(result: SearchResult, url: UrlFor, height: float = 60) -> Histogram | None:
    """Twelve bars for the one selected year; each bar filters on its month."""
    req = result.request
    if len(req.years) != 1:
        return None
    year = req.years[0]
    counts = {v.value: v for v in result.facets.get("month", [])}
    points = []
    for m in range(1, 13):
        value = f"{year}-{m:02d}"
        v = counts.get(value)
        count = v.count if v else 0
        link = url(params.toggle(req, "month", value)) if count or (v and v.selected) else ""
        points.append((f"{m:02d}", f"{m:02d}/{year}", count, link, bool(v and v.selected)))
    bars, width, bar_w = _bars(points, height, 20.0)
    return Histogram("month", f"Số bài theo tháng năm {year}", bars, width, height, bar_w)
