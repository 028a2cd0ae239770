"""Publication dates: meta tags first, then the byline zone, a directive header, the URL.

Day first, always (``10/11/2021`` is 10 November). A wrong date is worse than none: site stamps
("Cập nhật lúc"), header clocks (outside the byline zone) and dates that a sentence merely cites
("Nghị quyết … ngày 12/6/2021") are never taken. Each result records where it came from.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7))

_DMY = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])"
    r"(?:[^\d\n]{0,12}?(\d{1,2})\s*[:hg]\s*(\d{2})(?:\s*:\s*(\d{2}))?)?")
_TIME_FIRST = re.compile(
    r"(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:,|\||-|ngày)?\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})"
    r"\s*[/.-]\s*(\d{4})")
_HEADER_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_URL_DATE = re.compile(r"/(20\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
#: Labels of dates that are not the publication: site stamps, print times, counters, clocks.
_STAMP = re.compile(r"(cập nhật lúc|\(\s*cập nhật|last update|truy cập|hôm nay|lượt xem|"
                    r"in ngày|ngày in|bản in|lúc in|thời gian in|lượt đọc)", re.I)
_SEGMENT_SPLIT = re.compile(r"\s[|•·]\s|\s{3,}|\t")
_CITED = re.compile(
    r"(nghị quyết|kế hoạch|chỉ thị|quyết định|chương trình|thông báo|công văn|hướng dẫn|"
    r"nghị định|thông tư|luật|số)\s*[^\n]{0,40}ngày\s*$", re.I)


def _make(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime | None:
    try:
        return datetime(y, m, d, hh, mm, ss, tzinfo=VN_TZ)
    except ValueError:
        return None


def parse_iso(value: str) -> datetime | None:
    """ISO 8601 from meta tags; a missing offset means Vietnam time."""
    value = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        return _make(int(m[1]), int(m[2]), int(m[3])) if m else None
    return dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


def find_byline_date(text: str) -> datetime | None:
    """The first day-first date in the byline zone that is not a stamp or a cited date.

    A line is cut into segments at ``|`` and ``•`` ("Ngày đăng: 14/03/2024 | Lượt xem: 120"); a
    segment labelled as a stamp is skipped, the rest of the line still counts.
    """
    lines = []
    for line in text.splitlines():
        segments = _SEGMENT_SPLIT.split(line)
        kept = [seg for seg in segments if not _STAMP.search(seg)]
        # "14/03/2024 | 08:15": a time alone in the next segment belongs to the date before it
        lines.append(" ".join(kept) if len(kept) == len(segments) else "\n".join(kept))
    for line in "\n".join(lines).splitlines():
        for m in _TIME_FIRST.finditer(line):
            if not _CITED.search(line[: m.start()]):
                dt = _make(int(m[6]), int(m[5]), int(m[4]), int(m[1]), int(m[2]), int(m[3] or 0))
                if dt:
                    return dt
        for m in _DMY.finditer(line):
            if _CITED.search(line[: m.start()]):
                continue
            dt = _make(int(m[3]), int(m[2]), int(m[1]), int(m[4] or 0), int(m[5] or 0),
                       int(m[6] or 0))
            if dt:
                return dt
    return None


def find_header_date(lines: list[str]) -> datetime | None:
    """``Hải Dương, ngày 24 tháng 9 năm 2021`` in the first lines of a directive."""
    for line in lines[:12]:
        m = _HEADER_DATE.search(line)
        if m and len(line) < 120 and not _CITED.search(line[: m.start()]):
            return _make(int(m[3]), int(m[2]), int(m[1]))
    return None


def find_url_date(url: str) -> datetime | None:
    m = _URL_DATE.search(url)
    return _make(int(m[1]), int(m[2]), int(m[3])) if m else None


_LEAD_DATE = re.compile(
    r"^\s*(?:(?:sáng|chiều|tối|trưa|đêm|rạng sáng|sáng sớm|chiều tối|tối muộn|hôm)\s+(?:nay\s+)?)?"
    r"(?:\(?\s*(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)\s*\)?\s*,?\s*)?"
    r"(?:ngày\s+)?(\d{1,2})\s*[./-]\s*(\d{1,2})(?![\d]|[./-]\d)\s*(?:,|\s+[^\W\d])", re.I)
_LEAD_WORD = re.compile(r"^\s*(sáng|chiều|tối|trưa|đêm|rạng sáng|sáng sớm|chiều tối|tối muộn|"
                        r"hôm|ngày|thứ|chủ nhật)", re.I)


def find_lead_date(lines: list[str], reference: datetime | None) -> datetime | None:
    """A year-less "Sáng 10.11, …" / "Ngày 13/4, …" opening the lead, with the year taken from
    the reference (page or crawl) date: the year before when that would land over two days in
    the future. Only at the very start of the lead, never inside a sentence."""
    if reference is None:
        return None
    for line in lines[:2]:
        if not _LEAD_WORD.match(line):
            continue
        m = _LEAD_DATE.match(line)
        if not m:
            continue
        day, month = int(m[1]), int(m[2])
        dt = _make(reference.year, month, day)
        if dt is None:
            continue
        if dt > reference + timedelta(days=2):
            dt = _make(reference.year - 1, month, day)
        return dt
    return None


def publication_date(*, meta_value: str, meta_source: str, byline_zone: str,
                     body: list[str], url: str,
                     not_after: datetime | None = None, pre_title_zone: str = "",
                     selector_value: str = "", lead: list[str] | None = None) -> tuple[str, str]:
    """(ISO date, provenance) from the best available evidence, or ("", "none").

    Order: the source's date selector, meta tags / JSON-LD / ``<time>``, the byline zone after
    the title, a short date line right before the title, a directive header "…, ngày D tháng M
    năm YYYY", the URL path, and last a year-less "Sáng 10.11" opening the lead (year from the
    crawl date). Provenance: selector | meta | jsonld | time | byline | pretitle | header | url |
    lead | none.
    """
    selector_dt = None
    if selector_value:
        selector_dt = parse_iso(selector_value) if re.match(r"\d{4}-\d{2}-\d{2}", selector_value) \
            else find_byline_date(selector_value)
    candidates = [
        (selector_dt, "selector"),
        (parse_iso(meta_value) if meta_value else None, meta_source or "meta"),
        (find_byline_date(byline_zone), "byline"),
        (find_byline_date(pre_title_zone), "pretitle"),
        (find_header_date(body), "header"),
        (find_url_date(url), "url"),
    ]
    for dt, source in candidates:
        if dt is None or dt.year < 1990:
            continue
        if not_after is not None and dt > not_after + timedelta(days=2):
            continue
        if source == "pretitle" and not_after is not None and \
                abs((not_after - dt).total_seconds()) < 86400:
            continue               # a header clock showing the time the page was fetched
        return dt.isoformat(), source
    dt = find_lead_date(lead or [], not_after)
    if dt is not None:
        return dt.isoformat(), "lead"
    return "", "none"
