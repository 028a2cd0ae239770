"""Publication dates as a reader finds them: the one parser of Vietnamese dates in the project.

Order of evidence (:func:`publication_date`): the source's date selector; a *dateline* printed by
the headline (a short line after it, or just before it: ``Thứ sáu, 28/12/2012, 14:46 GMT+7``,
``Cập nhật: 08:15 | 14/03/2024``, ``Chiều 26-12-12``); the page's metadata (meta tags, JSON-LD,
``<time>``); a date inside the prose right after the headline; a directive's header
(``Hà Nội, ngày 20 tháng 7 năm 2021``); the URL (``/2012/12/``, VCCorp ids ``20121226051446…``);
last, a year-less ``Sáng 10.11`` opening the lead, its year from the crawl date.

Where the printed dateline and the metadata name the same day, the more precise one is kept; where
they disagree, the reader's date wins (metadata on Vietnamese CMSs often holds the time a draft
was created or re-saved). A wrong date is worse than none: site stamps and clocks ("Hôm nay",
"In ngày", "Lượt xem"), header clocks showing the fetch time and dates that a sentence cites
("Nghị quyết … ngày 12/6/2021") are never taken; "Cập nhật lúc" counts only when nothing else
stands by the headline.

Day first unless the page proves otherwise (:func:`day_order`: some number before a month slot is
over 12 on the page, or some number in the month slot is). ``published`` keeps the precision the
page gives: ``2012-12-28T14:46:00+07:00`` with a time, ``2012-12-28`` for a day, ``2012-12`` for a
month (a URL ``/2012/12/``); :func:`corpus.record.published_datetime` reads all three.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from corpus.record import VN_TZ

__all__ = [
    "VN_TZ",
    "Found",
    "day_order",
    "find_byline_date",
    "find_closing_date",
    "find_header_date",
    "find_lead_date",
    "find_url_date",
    "is_dateline",
    "parse_iso",
    "publication_date",
]

PRECISIONS = ("year", "month", "day", "time")


@dataclass(frozen=True)
class Found:
    """A date and how much of it the page gave ("time", "day", "month" or "year")."""

    dt: datetime
    precision: str = "time"

    def iso(self) -> str:
        if self.precision == "time":
            return self.dt.isoformat()
        return self.dt.strftime({"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[self.precision])

    def same_day(self, other: Found) -> bool:
        return self.dt.astimezone(VN_TZ).date() == other.dt.astimezone(VN_TZ).date()

    def finer(self, other: Found) -> bool:
        return PRECISIONS.index(self.precision) > PRECISIONS.index(other.precision)


def _make(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0,
          tz: timezone = VN_TZ) -> datetime | None:
    try:
        return datetime(y, m, d, hh, mm, ss, tzinfo=tz)
    except ValueError:
        return None


def _year(text: str) -> int:
    """Four digits as they are; two (``28/12/12``) in this century unless that is the future."""
    y = int(text)
    if len(text) == 2:
        y += 2000 if y <= (datetime.now().year % 100) + 1 else 1900
    return y


# -- ISO and metadata ---------------------------------------------------------------------------

_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_iso(value: str) -> Found | None:
    """A metadata value: ISO 8601 (a missing offset means Vietnam time; ``2012-12-25`` is a day),
    ``2012-12-25 14:02``, or an RFC 822 date (some CMSs put one in ``pubdate``)."""
    value = value.strip()
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        dt = None
    if dt is not None:
        has_time = len(value) > 10
        return Found(dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ), "time" if has_time else "day")
    m = _ISO_DAY.match(value)
    if m:
        made = _make(int(m[1]), int(m[2]), int(m[3]))
        return Found(made, "day") if made else None
    try:
        dt = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return Found(dt if dt.tzinfo else dt.replace(tzinfo=VN_TZ), "time")


# -- printed dates --------------------------------------------------------------------------------

_NUMERIC = re.compile(r"(?<![\d/.,:-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d/]|\.\d)")
_WORDS = re.compile(r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})\s*(?:,|năm)\s*(\d{4})", re.I)
_PRINTED_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_TIME = re.compile(r"(?<![\d/.:])(\d{1,2})\s*(?::|h|g|giờ)\s*(\d{2})(?:\s*:\s*(\d{2}))?(?![\d/])"
                   r"(?:\s*(am|pm|sa|ch)\b)?", re.I)
_AFTERNOON = re.compile(r"\b(chiều|tối|pm|ch)\b", re.I)
_OFFSET = re.compile(r"\b(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.I)
#: Labels of dates that are not the publication: clocks, counters, print times.
_STAMP = re.compile(r"(hôm nay|lượt xem|lượt đọc|truy cập|in ngày|ngày in|bản in|lúc in|"
                    r"thời gian in|last update|hết hạn|ngày hiệu lực|hiệu lực)", re.I)
#: "Cập nhật lúc" is how portals stamp a page (and how some date their articles): second choice.
_UPDATED = re.compile(r"(cập nhật lúc|\(\s*cập nhật|cập nhật lần cuối|sửa đổi)", re.I)
_SEGMENT_SPLIT = re.compile(r"\s[|•·]\s|\s{3,}|\t")
_CITED = re.compile(
    r"(nghị quyết|kế hoạch|chỉ thị|quyết định|chương trình|thông báo|công văn|hướng dẫn|"
    r"nghị định|thông tư|luật|số|văn bản|tờ trình|báo cáo|từ|đến|trước|sau)\s*[^\n]{0,40}?"
    r"(ngày|từ|đến)?\s*$", re.I)
#: A dateline is a short line mostly made of the date: a sentence that contains a date is not.
DATELINE_MAX = 90


def day_order(text: str) -> str:
    """"dmy" or "mdy" for a page's numeric dates: month-first only when some date proves it
    (a second number over 12 and no first number over 12)."""
    firsts = seconds = 0
    for m in _NUMERIC.finditer(text):
        a, b = int(m[1]), int(m[3])
        firsts += a > 12
        seconds += b > 12
    return "mdy" if seconds and not firsts else "dmy"


def _time_near(line: str, start: int, end: int) -> tuple[int, int, int] | None:
    """The clock time printed next to a date (before or after it, within a few words)."""
    best = None
    for m in _TIME.finditer(line):
        gap = start - m.end() if m.end() <= start else m.start() - end
        if gap < 0 or gap > 25:
            continue
        hh, mm, ss = int(m[1]), int(m[2]), int(m[3] or 0)
        if hh > 23 or mm > 59:
            continue
        window = line[max(0, min(start, m.start()) - 12): max(end, m.end()) + 8]
        if hh < 12 and ((m[4] and m[4].lower() in ("pm", "ch")) or _AFTERNOON.search(window)):
            hh += 12
        if best is None or gap < best[0]:
            best = (gap, (hh, mm, ss))
    return best[1] if best else None


def _offset(line: str) -> timezone:
    m = _OFFSET.search(line)
    if not m:
        return VN_TZ
    minutes = int(m[2]) * 60 + int(m[3] or 0)
    return timezone(timedelta(minutes=-minutes if m[1] == "-" else minutes))


def _dates_in(line: str, order: str) -> list[tuple[int, Found]]:
    """Every full date printed in one line, as (position, date)."""
    out: list[tuple[int, datetime | None, str]] = []
    for m in _NUMERIC.finditer(line):
        if m[2] == "." and len(m[4]) == 2:
            continue                     # "10.11.12" is too often a version or a score
        a, b = int(m[1]), int(m[3])
        day, month = (b, a) if order == "mdy" else (a, b)
        out.append((m.start(), *_with_time(line, m, _year(m[4]), month, day)))
    for m in _WORDS.finditer(line):
        out.append((m.start(), *_with_time(line, m, int(m[3]), int(m[2]), int(m[1]))))
    for m in _PRINTED_ISO.finditer(line):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if m[4]:
            dt = _make(y, mo, d, int(m[4]), int(m[5]), int(m[6] or 0), _offset(line))
            out.append((m.start(), dt, "time"))
        else:
            out.append((m.start(), *_with_time(line, m, y, mo, d)))
    return [(pos, Found(dt, precision)) for pos, dt, precision in sorted(out, key=lambda x: x[0])
            if dt is not None]


def _with_time(line: str, m: re.Match[str], y: int, mo: int, d: int
               ) -> tuple[datetime | None, str]:
    clock = _time_near(line, m.start(), m.end())
    if clock is None:
        return _make(y, mo, d), "day"
    return _make(y, mo, d, *clock, tz=_offset(line)), "time"


#: A clock time alone on its line, next to a date on the line before or after it.
_LONE_TIME = re.compile(r"(?m)^[ \t]*\d{1,2}\s*[:h]\s*\d{2}(?:\s*(?:am|pm|sa|ch))?[ \t|,-]*\n(?=[^\n]*\d)|"
                        r"(?<=\d)[ \t]*\n[ \t]*\d{1,2}\s*[:h]\s*\d{2}(?:\s*(?:am|pm|sa|ch))?[ \t]*$",
                        re.I)


def _segments(text: str, *, stamps_ok: bool) -> list[str]:
    """Lines cut at ``|`` and ``•`` ("Ngày đăng: 14/03/2024 | Lượt xem: 120"): a segment labelled
    as a stamp is dropped; a time alone in the next segment stays with the date before it."""
    lines = []
    text = _LONE_TIME.sub(lambda m: m.group(0).replace("\n", " "), text)
    for line in text.splitlines():
        segments = _SEGMENT_SPLIT.split(line)
        kept = [seg for seg in segments if not _STAMP.search(seg)
                and (stamps_ok or not _UPDATED.search(seg))]
        lines.append(" | ".join(kept) if len(kept) == len(segments) else "\n".join(kept))
    return "\n".join(lines).splitlines()


def find_printed_dates(text: str, order: str = "dmy", *, stamps_ok: bool = False
                       ) -> list[tuple[Found, bool]]:
    """Dates printed in a zone, in order, each with whether it stands on a dateline (a short
    line mostly made of the date) rather than inside a sentence."""
    out = []
    for line in _segments(text, stamps_ok=stamps_ok):
        for pos, found in _dates_in(line, order):
            if _CITED.search(line[:pos]) and not _LABEL.fullmatch(line[:pos]):
                continue
            out.append((found, len(line) <= DATELINE_MAX))
    return out


#: What may stand before a dateline's date: a weekday and a label ("Thứ Hai, ngày đăng: ").
_LABEL = re.compile(r"\s*(?:(?:thứ\s+\w+|chủ nhật)\s*,?\s*)?(?:ngày đăng|đăng ngày|cập nhật|xuất bản|"
                    r"đăng lúc|thời gian|đăng)?\s*:?\s*(?:ngày\s*)?", re.I)


def find_byline_date(text: str, order: str = "dmy") -> Found | None:
    """The first date printed in a byline zone that is not a stamp or a cited date; an "updated"
    stamp only when there is nothing else."""
    for stamps_ok in (False, True):
        found = find_printed_dates(text, order, stamps_ok=stamps_ok)
        if found:
            return found[0][0]
    return None


def _dateline(text: str, order: str) -> tuple[Found | None, Found | None]:
    """(first date on a dateline, first date inside prose) of a zone."""
    for stamps_ok in (False, True):
        found = find_printed_dates(text, order, stamps_ok=stamps_ok)
        if found:
            line = next((f for f, short in found if short), None)
            prose = next((f for f, short in found if not short), None)
            return line, prose
    return None, None


_DATELINE_WORDS = re.compile(
    r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật|ngày đăng|đăng lúc|đăng ngày|ngày|"
    r"tháng|năm|cập nhật|thời gian|xuất bản|posted|lúc|gmt|utc|am|pm|sa|ch|sáng|chiều|tối)\b",
    re.I)


def is_dateline(text: str) -> bool:
    """A line that is only a printed date ("15:20 PM | 21/12/2012", "Thứ sáu, 28/12/2012, 14:46
    GMT+7"): page furniture wherever it stands, never body text."""
    if len(text) > DATELINE_MAX or not _dates_in(text, "dmy"):
        return False
    rest = _NUMERIC.sub(" ", _PRINTED_ISO.sub(" ", _WORDS.sub(" ", text)))
    rest = _DATELINE_WORDS.sub(" ", _TIME.sub(" ", rest))
    return len(re.sub(r"[\W\d_]+", "", rest)) <= 2


# -- directive headers, URLs, leads ---------------------------------------------------------------

_HEADER_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)


def find_header_date(lines: list[str]) -> datetime | None:
    """``Hải Dương, ngày 24 tháng 9 năm 2021`` in the first lines of a directive."""
    for line in lines[:12]:
        m = _HEADER_DATE.search(line)
        if m and len(line) < 120 and not _CITED.search(line[: m.start()]):
            return _make(int(m[3]), int(m[2]), int(m[1]))
    return None


_CLOSING_DATE = re.compile(r"(?:thông qua|ký|ban hành)\s[^\n]{0,30}?ngày\s+(\d{1,2})\s+tháng\s+"
                           r"(\d{1,2})\s+năm\s+(\d{4})|^[^\W\d][\w .'-]{1,40},\s*ngày\s+(\d{1,2})\s+"
                           r"tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)


def find_closing_date(lines: list[str]) -> datetime | None:
    """A law's or resolution's own date in its closing lines: "… đã được Quốc hội … thông qua
    ngày 27 tháng 11 năm 2015" or a signature block's "Hà Nội, ngày …". Only for texts that open
    with a directive header (a news story's last line may cite any date)."""
    for line in reversed(lines[-10:]):
        m = _CLOSING_DATE.search(line) if len(line) < 300 else None
        if m:
            d, mo, y = (m[1], m[2], m[3]) if m[1] else (m[4], m[5], m[6])
            return _make(int(y), int(mo), int(d))
    return None


_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|\.|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})/")
#: VCCorp and similar CMSs: a 14–18 digit id starting with yyyymmddhhmm (nld, genk, cafef…).
_URL_STAMP = re.compile(r"(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})\d{6,10}(?!\d)")


def find_url_date(url: str) -> Found | None:
    """``/2012/12/28/`` is a day, ``/2012/12/`` a month, ``20121226051446379p0c1019`` a day."""
    path = url.split("?")[0]
    m = _URL_DAY.search(path)
    if m:
        made = _make(int(m[1]), int(m[2]), int(m[3]))
        if made:
            return Found(made, "day")
    m = _URL_STAMP.search(path)
    if m:
        made = _make(int(m[1]), int(m[2]), int(m[3]))
        if made:
            return Found(made, "day")
    m = _URL_MONTH.search(path)
    if m and 1 <= int(m[2]) <= 12:
        made = _make(int(m[1]), int(m[2]), 1)
        return Found(made, "month") if made else None
    return None


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


# -- the decision ---------------------------------------------------------------------------------

def publication_date(*, meta_value: str, meta_source: str, byline_zone: str,
                     body: list[str], url: str,
                     not_after: datetime | None = None, pre_title_zone: str = "",
                     selector_value: str = "", lead: list[str] | None = None,
                     order: str = "dmy", directive: bool = False) -> tuple[str, str]:
    """(ISO date at the page's precision, provenance) from the best evidence, or ("", "none").

    Provenance: selector | byline | pretitle | meta | jsonld | time | header | url | lead | none.
    ``order`` is the page's :func:`day_order`; ``directive`` says the body opens with a directive
    header, whose date may also stand in its closing lines (laws: "… thông qua ngày …").
    """
    def usable(found: Found | None, source: str) -> bool:
        if found is None or found.dt.year < 1990:
            return False
        if not_after is not None and found.dt > not_after + timedelta(days=2):
            return False
        # not a header clock showing the time the page was fetched
        return not (source == "pretitle" and not_after is not None
                    and abs((not_after - found.dt).total_seconds()) < 86400)

    selector = None
    if selector_value:
        selector = parse_iso(selector_value) if _ISO_DAY.match(selector_value) \
            else find_byline_date(selector_value, order)
    meta = parse_iso(meta_value) if meta_value else None
    meta_source = meta_source or "meta"
    meta = meta if usable(meta, meta_source) else None
    after_line, after_prose = _dateline(byline_zone, order)
    before_line, _ = _dateline(pre_title_zone, order)
    header = find_header_date(body) or (find_closing_date(body) if directive else None)
    ordered = [
        (selector, "selector"),
        (after_line, "byline"),
        (before_line, "pretitle"),
        (meta, meta_source),
        (after_prose, "byline"),
        (Found(header, "day") if header else None, "header"),
        (find_url_date(url), "url"),
    ]
    for found, source in ordered:
        if not usable(found, source):
            continue
        assert found is not None
        if meta is not None and source in ("selector", "byline", "pretitle") and \
                found.same_day(meta) and meta.finer(found):
            return meta.iso(), meta_source    # the printed day, with the metadata's time
        return found.iso(), source
    dt = find_lead_date(lead or [], not_after)
    if dt is not None:
        return Found(dt, "day").iso(), "lead"
    return "", "none"
