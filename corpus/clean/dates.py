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
_STAMP = re.compile(r"(cập nhật|update|truy cập|hôm nay|lượt xem)", re.I)
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
    """The first day-first date in the byline zone that is not a stamp or a cited date."""
    for line in text.splitlines():
        if _STAMP.search(line):
            continue
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


def publication_date(*, meta_value: str, meta_source: str, byline_zone: str,
                     body: list[str], url: str,
                     not_after: datetime | None = None) -> tuple[str, str]:
    """(ISO date, provenance) from the best available evidence, or ("", "none")."""
    candidates = [
        (parse_iso(meta_value) if meta_value else None, meta_source or "meta"),
        (find_byline_date(byline_zone), "byline"),
        (find_header_date(body), "header"),
        (find_url_date(url), "url"),
    ]
    for dt, source in candidates:
        if dt is None or dt.year < 1990:
            continue
        if not_after is not None and dt > not_after + timedelta(days=2):
            continue
        return dt.isoformat(), source
    return "", "none"
