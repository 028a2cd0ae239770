"""The cleaner: one fetched page in, one :class:`~corpus.record.Article` (or a reason) out.

It lives in ``corpus`` because it defines what a corpus record is: the crawler only archives
bytes, the indexer only reads records, and both the record format and the Vietnamese text rules
(``textnorm``, ``docnumbers``, ``gazetteer``) that the cleaner applies are shared from here.

Modules: ``extract`` (metadata, furniture pruning, root choice, blocks, captions, byline),
``boilerplate`` (Vietnamese furniture vocabularies), ``gate`` (article or not), ``dates``
(publication date and its provenance: selector | meta | jsonld | time | byline | pretitle |
header | url | lead | none), ``text`` (NFC and mojibake repair, also partial), ``documents``
(PDF/DOCX directives), ``stage`` (the clean stage over the WARC store).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from corpus.clean.dates import VN_TZ, publication_date
from corpus.clean.extract import Extraction, extract
from corpus.clean.gate import article_gate
from corpus.docnumbers import find_doc_numbers
from corpus.gazetteer import detect_province
from corpus.record import NATIONAL, Article, content_hash
from corpus.clean.text import repair_text
from corpus.textnorm import tidy

__all__ = ["CleanResult", "clean_html", "clean_bytes"]


@dataclass
class CleanResult:
    article: Article | None
    reason: str = ""              # why no article: "listing", "soft-404", "too-short"…
    extraction: Extraction | None = None


def clean_html(html: str, url: str, *, source: str = "", source_title: str = "",
               province_hint: str | None = None, fetched_at: str = "",
               aliases: tuple[str, ...] = (), selectors=None) -> CleanResult:
    """Extract the article of one HTML page, with its metadata; never raises on bad HTML.

    ``selectors`` (the source's ``[source.selectors]``: title/sapo/body/date CSS) win where
    they match; ``province_hint`` is the source's province; ``fetched_at`` (ISO) bounds dates
    and gives year-less "Sáng 10.11" leads their year.
    """
    html = repair_text(html)
    ex = extract(html, selectors)
    verdict = article_gate(ex, url)
    if verdict:
        return CleanResult(None, verdict, ex)
    not_after = _parse_fetched(fetched_at)
    published, date_source = publication_date(
        meta_value=ex.meta.published, meta_source=ex.meta.published_source,
        byline_zone=ex.header_text, body=ex.body, url=url, not_after=not_after,
        pre_title_zone=ex.pre_header_text, selector_value=ex.selector_date,
        lead=[x for x in (ex.sapo, *ex.body[:1]) if x])
    title, sapo, body = tidy(ex.title), tidy(ex.sapo), [tidy(p) for p in ex.body if tidy(p)]
    text = "\n".join([title, sapo, *body])
    numbers = [{"number": d.number, "type": d.type, "issuer": d.issuer}
               for d in find_doc_numbers(text)]
    if province_hint is None:
        province_hint = site_province(ex.site_text)
    closing = [ex.author] if ex.author and ex.author not in body else []
    kind = _kind(body, numbers)
    author = tidy(ex.author)
    if kind == "directive":               # its own number first, the issuing body as author
        from corpus.clean.documents import issuer_name, parse_header
        header = parse_header(body)
        if header.number:
            numbers.sort(key=lambda d: d["number"] != header.number)
        if header.issuer and not author:
            author = issuer_name(header.issuer)
    guess = detect_province(title, sapo, "\n".join(_without_letterhead(body) + closing),
                            hint=province_hint)
    article = Article(
        url=url, title=title, sapo=sapo, body=body, captions=[tidy(c) for c in ex.captions],
        attachments=ex.attachments, aliases=[a for a in aliases if a != url],
        source=source, source_title=source_title, published=published,
        date_source=date_source, author=author, kind=kind,
        province_old_code=guess.old_code, province_old=guess.old_name or NATIONAL,
        province_new_code=guess.new_code, province_new=guess.new_name or NATIONAL,
        doc_numbers=numbers, content_hash=content_hash(title, sapo, body),
        fetched_at=fetched_at,
    )
    return CleanResult(article, "", ex)


def clean_bytes(data: bytes, url: str, *, content_type: str | None = None, **kwargs) -> CleanResult:
    """One fetched response of any supported type: HTML (decoded from its bytes), PDF or DOCX."""
    from corpus.clean.documents import clean_document, sniff_kind
    from corpus.decoding import decode_html

    kind = sniff_kind(data, content_type, url)
    if kind in ("pdf", "docx"):
        kwargs.pop("selectors", None)
        return clean_document(data, url, kind=kind, **kwargs)
    return clean_html(decode_html(data, content_type).text, url, **kwargs)


_PORTAL_RE = re.compile(r"(?i)(cổng|trang) thông tin điện tử|liên đoàn lao động|ủy ban nhân dân|"
                        r"uỷ ban nhân dân|\bubnd\b|đảng bộ|thành ủy|tỉnh ủy|huyện ủy|thị ủy")


#: Newspapers and national bodies name their Hà Nội/HCM office, not the article's province.
_NATIONAL_SITE_RE = re.compile(r"(?i)tòa soạn|toà soạn|tổng biên tập|tổng liên đoàn|trung ương|"
                               r"chính phủ|quốc hội")


def site_province(site_text: str) -> str | None:
    """The province a local portal belongs to, from its banner/footer ("TRANG THÔNG TIN ĐIỆN TỬ
    PHƯỜNG HIỆP SƠN - THỊ XÃ KINH MÔN", "Địa chỉ: … tỉnh Hải Dương"): a hint for the article's
    province (a prior, never a vote). Newspapers' footers (an office address) give none."""
    if not site_text or not _PORTAL_RE.search(site_text) or _NATIONAL_SITE_RE.search(site_text):
        return None
    guess = detect_province(site_text[:400], "", site_text[400:2000])
    return guess.old_code or None


_PLACE_DATE_RE = re.compile(r"^[^\W\d][\w .-]{1,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")


def _without_letterhead(body: list[str]) -> list[str]:
    """A directive's "Hà Nội, ngày 20 tháng 7 năm 2021" line says where it was signed, not what
    it is about: it must not vote for a province."""
    return [line for line in body if not _PLACE_DATE_RE.match(line)]


def _parse_fetched(value: str) -> datetime | None:
    try:
        dt = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return dt.replace(tzinfo=VN_TZ) if dt is not None and dt.tzinfo is None else dt


def _kind(body: list[str], numbers: list[dict]) -> str:
    """A directive opens with its own number ("Số: 119/KH-LĐLĐ") in the first lines."""
    head = "\n".join(body[:6])
    if numbers and ("Số:" in head or "Số :" in head) and "Nơi nhận" in "\n".join(body[-8:]):
        return "directive"
    return "news"
