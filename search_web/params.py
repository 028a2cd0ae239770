"""Query-string parameters ⇄ :class:`SearchRequest`, as pure functions.

Every page state is one GET URL, so this module is the single place that reads a query string
and the single place that writes one. Parsing never raises: what can be corrected without
changing *which* articles match (page, sort, scheme, page size, an overlong query) is corrected
and explained in a note (HTTP 200); a malformed filter value (a date, year or month that is not
one) is an error (HTTP 400), because silently dropping it would answer a wider search than the
one asked for, which matters most for a saved ``.atom`` alert.

Canonical URLs use a fixed parameter order, drop defaults, sort and de-duplicate repeated
values and NFC-normalise text, so one state has exactly one URL whatever order the parameters
came in. Facet links, chip-removal links, pagination and ``<link rel=canonical>`` all use it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from indexer.query import MAX_QUERY_CHARS
from indexer.search import MAX_PAGE, MAX_PAGE_SIZE, SORTS, SearchRequest
from search_web.provinces import Gazetteer, PlaceMove

#: URL parameter name → SearchRequest attribute, for the repeatable facet filters.
FACET_PARAMS: dict[str, str] = {
    "province": "provinces",
    "year": "years",
    "month": "months",
    "type": "types",
    "issuer": "issuers",
    "source": "sources",
    "kind": "kinds",
    "cited": "cited",
}
#: The canonical parameter order.
PARAM_ORDER = ("q", "province", "scheme", "kind", "year", "month", "type", "issuer", "cited",
               "source", "from", "to", "sort", "size", "page")
SCHEMES = ("new", "old")
DEFAULT_SIZE = 10
MAX_VALUES = 40           # values per repeatable parameter
MAX_VALUE_CHARS = 120     # characters per filter value
SORT_ALIASES = {"date": "newest", "moi-nhat": "newest", "cu-nhat": "oldest",
                "lien-quan": "relevance"}
#: Other spellings of a parameter name (the issue's ``province_scheme``); URLs we write use ours.
PARAM_ALIASES = {"province_scheme": "scheme"}

#: Control, zero-width and non-characters (U+FFFE/U+FFFF, U+FDD0–U+FDEF, lone surrogates): never
#: part of a query, and XML (the Atom twin) refuses several of them.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2028\u2029\ufeff"
                         "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")
_SPACE_RE = re.compile(r"\s+")
_YEAR_RE = re.compile(r"^\d{4}$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_VN_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass(frozen=True)
class ParsedParams:
    """A search request plus what the user should be told about their parameters."""
    request: SearchRequest
    notes: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()       # non-empty → answer 400
    #: old provinces a ``province=`` filter named, read in the old scheme (links both ways)
    moves: tuple[PlaceMove, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Collector:
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def clean_text(value: str) -> str:
    """NFC, no control or zero-width characters, single spaces, trimmed."""
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL_RE.sub("", value)
    return _SPACE_RE.sub(" ", value).strip()


#: Dates a filter may name: the archive starts after 1945, and nothing is published after 2100.
MIN_YEAR, MAX_YEAR = 1900, 2100


def parse_date(value: str) -> date | None:
    """``2024-01-31`` or the Vietnamese ``31/01/2024``; ``None`` when it is not a real date."""
    value = value.strip()
    m = _ISO_DATE_RE.match(value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _VN_DATE_RE.match(value)
        if not m:
            return None
        d, mo, y = (int(g) for g in m.groups())
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None                     # 9999-12-31 would overflow the day after it
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def parse_month(value: str) -> str | None:
    """``2024-1`` / ``2024-01`` → ``2024-01``; ``None`` when not a month."""
    m = _MONTH_RE.match(value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}"


def _group(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(PARAM_ALIASES.get(key, key), []).append(value)
    return grouped


def _first(values: list[str]) -> str:
    return next((v for v in values if v.strip()), "")


def _values(name: str, raw: list[str], out: _Collector) -> tuple[str, ...]:
    """Cleaned, de-duplicated, sorted values of a repeatable parameter."""
    cleaned = {clean_text(v)[:MAX_VALUE_CHARS] for v in raw}
    cleaned.discard("")
    values = sorted(cleaned)
    if len(values) > MAX_VALUES:
        out.notes.append(f"Chỉ dùng {MAX_VALUES} giá trị đầu của bộ lọc “{name}”.")
        values = values[:MAX_VALUES]
    return tuple(values)


def _parse_int(name: str, raw: str, default: int, low: int, high: int, label: str,
               out: _Collector) -> int:
    raw = clean_text(raw)
    if not raw:
        return default
    try:
        n = int(raw[:12])
    except ValueError:
        out.notes.append(f"{label} “{raw[:20]}” không phải là số; dùng {label.lower()} {default}.")
        return default
    if n < low:
        out.notes.append(f"{label} phải từ {low} trở lên; đã chuyển về {label.lower()} {low}.")
        return low
    if n > high:
        out.notes.append(f"{label} tối đa là {high}; đã chuyển về {label.lower()} {high}.")
        return high
    return n


def parse_params(pairs: Iterable[tuple[str, str]],
                 known_provinces: Mapping[str, frozenset[str]] | None = None,
                 places: Gazetteer | None = None) -> ParsedParams:
    """Read query-string pairs into a SearchRequest; never raises.

    ``known_provinces`` (scheme → names) lets an unknown province be explained rather than
    silently match nothing; ``places`` reads province values as users write them (another tone
    placement, an alias, an old name: :meth:`Gazetteer.resolve`).
    """
    args = _group(pairs)
    out = _Collector()

    q = clean_text(_first(args.get("q", [])))
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS].rstrip()
        out.notes.append(f"Truy vấn quá dài, chỉ dùng {MAX_QUERY_CHARS} ký tự đầu.")

    scheme = clean_text(_first(args.get("scheme", []))).lower() or "new"
    if scheme not in SCHEMES:
        out.notes.append(f"Không rõ cách chia tỉnh “{scheme[:20]}”; dùng 34 tỉnh/thành mới "
                         "(scheme=new hoặc scheme=old).")
        scheme = "new"

    facets = {name: _values(name, args.get(name, []), out) for name in FACET_PARAMS}
    for year in facets["year"]:
        if not _YEAR_RE.match(year):
            out.errors.append(f"Năm không hợp lệ: “{year[:20]}”. Hãy dùng dạng 2024.")
    months = []
    for value in facets["month"]:
        month = parse_month(value)
        if month is None:
            out.errors.append(f"Tháng không hợp lệ: “{value[:20]}”. Hãy dùng dạng 2024-01.")
        else:
            months.append(month)
    facets["month"] = tuple(sorted(set(months)))
    moves: tuple[PlaceMove, ...] = ()
    if places is not None and facets["province"]:
        resolved = places.resolve(facets["province"], scheme)
        if resolved.scheme != scheme:
            which = ", ".join(f"{m.old} (nay thuộc {m.new})" for m in resolved.moves)
            out.notes.append(f"{which} là tỉnh/thành cũ: đang lọc theo 63 tỉnh/thành cũ.")
        scheme, moves = resolved.scheme, resolved.moves
        facets["province"] = (*resolved.names, *resolved.unknown)
    if known_provinces is not None:
        known = known_provinces.get(scheme, frozenset())
        for name in facets["province"]:
            if known and name not in known:
                which = "34 tỉnh/thành mới" if scheme == "new" else "63 tỉnh/thành cũ"
                out.notes.append(f"Không có “{name}” trong danh sách {which}.")

    dates: dict[str, date | None] = {}
    for name, label in (("from", "Từ ngày"), ("to", "Đến ngày")):
        raw = clean_text(_first(args.get(name, [])))
        dates[name] = parse_date(raw) if raw else None
        if raw and dates[name] is None:
            out.errors.append(f"{label} không hợp lệ: “{raw[:30]}”. "
                              "Hãy dùng dạng năm-tháng-ngày, ví dụ 2024-01-31.")
    if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        dates["from"], dates["to"] = dates["to"], dates["from"]
        out.notes.append("Ngày bắt đầu sau ngày kết thúc; đã đổi chỗ hai ngày.")

    sort = clean_text(_first(args.get("sort", []))).lower()
    sort = SORT_ALIASES.get(sort, sort)
    if sort and sort not in SORTS:
        out.notes.append(f"Không rõ cách sắp xếp “{sort[:20]}”; dùng mặc định.")
        sort = ""
    size = _parse_int("size", _first(args.get("size", [])), DEFAULT_SIZE, 1, MAX_PAGE_SIZE,
                      "Số kết quả mỗi trang", out)
    page = _parse_int("page", _first(args.get("page", [])), 1, 1, MAX_PAGE, "Trang", out)

    request = SearchRequest(
        q=q, provinces=facets["province"], scheme=scheme, years=facets["year"],
        months=facets["month"], types=facets["type"], issuers=facets["issuer"],
        sources=facets["source"], kinds=facets["kind"], cited=facets["cited"],
        date_from=dates["from"], date_to=dates["to"],
        sort=canonical_sort(q, sort), page=page, page_size=size)
    return ParsedParams(request, tuple(out.notes), tuple(out.errors), moves)


def canonical_sort(q: str, sort: str) -> str:
    """``""`` when ``sort`` is what the request would do anyway (so it drops out of URLs)."""
    default = "relevance" if q.strip() else "newest"
    if sort == default or (not q.strip() and sort == "relevance"):
        return ""   # without a query "relevance" means newest first
    return sort


def canonical_params(req: SearchRequest) -> list[tuple[str, str]]:
    """Query-string pairs in the fixed order, defaults dropped."""
    pairs: list[tuple[str, str]] = []
    values = request_values(req)
    for name in PARAM_ORDER:
        value = values[name]
        if isinstance(value, tuple):
            pairs.extend((name, v) for v in value)
        elif value not in ("", None) and not _is_default(name, value, req):
            pairs.append((name, str(value)))
    return pairs


def _is_default(name: str, value: object, req: SearchRequest) -> bool:
    return ((name == "scheme" and value == "new") or (name == "page" and value == 1)
            or (name == "size" and value == DEFAULT_SIZE)
            or (name == "sort" and canonical_sort(req.q, str(value)) == ""))


def request_values(req: SearchRequest) -> dict[str, object]:
    """Every parameter's value for ``req`` (defaults included), in canonical order."""
    norm = unicodedata.normalize
    return {
        "q": norm("NFC", req.q),
        "province": tuple(sorted({norm("NFC", v) for v in req.provinces})),
        "scheme": req.scheme,
        "kind": tuple(sorted(set(req.kinds))),
        "year": tuple(sorted(set(req.years))),
        "month": tuple(sorted(set(req.months))),
        "type": tuple(sorted({norm("NFC", v) for v in req.types})),
        "issuer": tuple(sorted({norm("NFC", v) for v in req.issuers})),
        "cited": tuple(sorted({norm("NFC", v) for v in req.cited})),
        "source": tuple(sorted({norm("NFC", v) for v in req.sources})),
        "from": req.date_from.isoformat() if req.date_from else "",
        "to": req.date_to.isoformat() if req.date_to else "",
        "sort": req.sort,
        "size": req.page_size,
        "page": req.page,
    }


def state_pairs(req: SearchRequest, exclude: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Canonical pairs minus ``exclude`` and the page: the hidden inputs of a form that changes
    only the excluded parameters (a new query or date range starts again at page 1)."""
    skip = {"page", *exclude}
    return [(k, v) for k, v in canonical_params(req) if k not in skip]


def query_string(req: SearchRequest) -> str:
    return urlencode(canonical_params(req))


def search_url(req: SearchRequest, base: str = "/search", fmt: str = "html") -> str:
    """The canonical URL of a search; ``fmt`` picks a twin (``json``, ``atom``, ``csv``)."""
    path = base if fmt == "html" else f"{base}.{fmt}"
    qs = query_string(req)
    return f"{path}?{qs}" if qs else path


# -- state transitions (every link on the page is one of these) ---------------------------------

def with_page(req: SearchRequest, page: int) -> SearchRequest:
    return replace(req, page=max(1, min(page, MAX_PAGE)))


def toggle(req: SearchRequest, facet: str, value: str) -> SearchRequest:
    """Add ``value`` to a facet's selection, or remove it when already selected; back to page 1."""
    attr = FACET_PARAMS[facet]
    current = getattr(req, attr)
    chosen = tuple(v for v in current if v != value) if value in current else (*current, value)
    # Any: mypy cannot tell which field a computed name is (a facet's, a tuple of strings).
    change: dict[str, Any] = {attr: tuple(sorted(set(chosen)))}
    return replace(req, **change, page=1)


def without(req: SearchRequest, param: str, value: str = "") -> SearchRequest:
    """The request with one filter removed (a chip's × link)."""
    if param in FACET_PARAMS:
        attr = FACET_PARAMS[param]
        change: dict[str, Any] = {attr: tuple(v for v in getattr(req, attr) if v != value)}
        return replace(req, **change, page=1)
    if param == "from":
        return replace(req, date_from=None, page=1)
    if param == "to":
        return replace(req, date_to=None, page=1)
    if param == "q":
        return replace(req, q="", sort=canonical_sort("", req.sort), page=1)
    raise ValueError(f"not a removable parameter: {param}")


def cleared(req: SearchRequest) -> SearchRequest:
    """Same query, sort and scheme, no filters."""
    return SearchRequest(q=req.q, scheme=req.scheme, sort=req.sort, page_size=req.page_size)


def with_scheme(req: SearchRequest, scheme: str,
                mapping: Mapping[str, tuple[str, ...]] | None = None) -> SearchRequest:
    """Switch between the 34 new and 63 old provinces, carrying the selection across.

    ``mapping`` maps a province name in the current scheme to its names in the other one
    (Hải Phòng → Hải Dương, Hải Phòng); names it does not know are dropped.
    """
    if scheme == req.scheme:
        return req
    provinces: set[str] = set()
    for name in req.provinces:
        provinces.update((mapping or {}).get(name, ()))
    return replace(req, scheme=scheme, provinces=tuple(sorted(provinces)), page=1)
