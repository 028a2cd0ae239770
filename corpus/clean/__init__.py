"""The cleaner: one fetched page in, one :class:`~corpus.record.Article` (or a reason) out.

It lives in ``corpus`` because it defines what a corpus record is: the crawler only archives
bytes, the indexer only reads records, and both the record format and the Vietnamese text rules
(``textnorm``, ``docnumbers``, ``gazetteer``) that the cleaner applies are shared from here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from corpus.clean.dates import publication_date
from corpus.clean.extract import Extraction, extract
from corpus.clean.gate import article_gate
from corpus.docnumbers import find_doc_numbers
from corpus.gazetteer import detect_province
from corpus.record import NATIONAL, Article, content_hash
from corpus.textnorm import repair_mojibake, tidy

__all__ = ["CleanResult", "clean_html"]


@dataclass
class CleanResult:
    article: Article | None
    reason: str = ""              # why no article: "listing", "soft-404", "too-short"…
    extraction: Extraction | None = None


def clean_html(html: str, url: str, *, source: str = "", source_title: str = "",
               province_hint: str | None = None, fetched_at: str = "",
               aliases: tuple[str, ...] = ()) -> CleanResult:
    """Extract the article of one HTML page, with its metadata; never raises on bad HTML."""
    html = repair_mojibake(html)
    ex = extract(html)
    verdict = article_gate(ex, url)
    if verdict:
        return CleanResult(None, verdict, ex)
    not_after = _parse_fetched(fetched_at)
    published, date_source = publication_date(
        meta_value=ex.meta.published, meta_source=ex.meta.published_source,
        byline_zone=ex.header_text, body=ex.body, url=url, not_after=not_after)
    title, sapo, body = tidy(ex.title), tidy(ex.sapo), [tidy(p) for p in ex.body if tidy(p)]
    text = "\n".join([title, sapo, *body])
    numbers = [{"number": d.number, "type": d.type, "issuer": d.issuer}
               for d in find_doc_numbers(text)]
    guess = detect_province(title, sapo, "\n".join(_without_letterhead(body)),
                            hint=province_hint)
    article = Article(
        url=url, title=title, sapo=sapo, body=body, captions=[tidy(c) for c in ex.captions],
        attachments=ex.attachments, aliases=[a for a in aliases if a != url],
        source=source, source_title=source_title, published=published,
        date_source=date_source, author=tidy(ex.author), kind=_kind(body, numbers),
        province_old_code=guess.old_code, province_old=guess.old_name or NATIONAL,
        province_new_code=guess.new_code, province_new=guess.new_name or NATIONAL,
        doc_numbers=numbers, content_hash=content_hash(title, sapo, body),
        fetched_at=fetched_at,
    )
    return CleanResult(article, "", ex)


_PLACE_DATE_RE = re.compile(r"^[^\W\d][\w .-]{1,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")


def _without_letterhead(body: list[str]) -> list[str]:
    """A directive's "Hà Nội, ngày 20 tháng 7 năm 2021" line says where it was signed, not what
    it is about: it must not vote for a province."""
    return [line for line in body if not _PLACE_DATE_RE.match(line)]


def _parse_fetched(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _kind(body: list[str], numbers: list[dict]) -> str:
    """A directive opens with its own number ("Số: 119/KH-LĐLĐ") in the first lines."""
    head = "\n".join(body[:6])
    if numbers and ("Số:" in head or "Số :" in head) and "Nơi nhận" in "\n".join(body[-8:]):
        return "directive"
    return "news"
