"""One HTML page through the cleaner: extraction, the article gate, date, province, document
numbers, and the record."""
from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict, Unpack

from corpus.clean.budget import inspect_page
from corpus.clean.dates import publication_date
from corpus.clean.extract import extract
from corpus.clean.files import (
    clean_file,
    directive_body,
    issuer_name,
    parse_header,
    place_hint,
    sniff_kind,
)
from corpus.clean.gate import article_gate
from corpus.clean.result import CleanResult
from corpus.clean.site import site_province
from corpus.clean.text import legacy_encoding, repair_text, tcvn3_to_unicode
from corpus.decoding import decode_html
from corpus.docnumbers import find_doc_numbers
from corpus.gazetteer import detect_province
from corpus.record import NATIONAL, VN_TZ, Article, content_hash
from corpus.textnorm import tidy

if TYPE_CHECKING:
    from corpus.sources import Selectors


class PageOrigin(TypedDict, total=False):
    """Where a page came from: the keyword arguments :func:`clean_html` and
    :func:`~corpus.clean.files.clean_file` share."""

    source: str
    source_title: str
    province_hint: str | None
    fetched_at: str
    aliases: tuple[str, ...]


def clean_html(html: str, url: str, *, source: str = "", source_title: str = "",
               province_hint: str | None = None, fetched_at: str = "",
               aliases: tuple[str, ...] = (),
               selectors: Selectors | dict[str, str] | None = None) -> CleanResult:
    """Extract the article of one HTML page, with its metadata; never raises on bad HTML.

    ``selectors`` (the source's ``[source.selectors]``: title/sapo/body/date CSS) win where
    they match; ``province_hint`` is the source's province; ``fetched_at`` (ISO) bounds dates
    and gives year-less "Sáng 10.11" leads their year.
    """
    too_much, soft = inspect_page(html)          # one libxml2 parse: size and soft failures
    if too_much:
        return CleanResult(None, too_much)
    html = repair_text(html)
    legacy = legacy_encoding(html)
    if legacy == "vni":
        return CleanResult(None, "legacy-encoding: VNI (not converted)")
    if legacy == "tcvn3":
        html = tcvn3_to_unicode(html)
    ex = extract(html, selectors)
    verdict = article_gate(ex, url, soft)
    if verdict:
        return CleanResult(None, verdict, ex)
    not_after = _parse_fetched(fetched_at)
    header = parse_header(ex.body)
    # A legal-text page (vbpl.vn) titled by its site section: the document's own heading
    # ("BỘ LUẬT HÌNH SỰ") is the title (and leaves the body with the rest of the header).
    legal_text = header.type_at >= 0 and (ex.title_cover < 0.5 or not ex.title_node_found) \
        and bool(header.heading(ex.body))
    ex_title = header.heading(ex.body) if legal_text else ex.title
    published, date_source = publication_date(
        meta_value=ex.meta.published, meta_source=ex.meta.published_source,
        byline_zone=ex.header_text, body=ex.body, url=url, not_after=not_after,
        pre_title_zone=ex.pre_header_text, selector_value=ex.selector_date,
        lead=[x for x in (ex.sapo, *ex.body[:1]) if x], order=ex.date_order,
        directive=header.type_at >= 0)
    title, sapo, body = tidy(ex_title), tidy(ex.sapo), [tidy(p) for p in ex.body]
    text = "\n".join([title, sapo, *body])
    numbers = [{"number": d.number, "type": d.type, "issuer": d.issuer}
               for d in find_doc_numbers(text)]
    if province_hint is None:
        province_hint = site_province(ex.site_text)
    closing = [ex.author] if ex.author and ex.author not in body else []
    kind = "directive" if legal_text else _kind(body, numbers)
    author = tidy(ex.author)
    issuer = ""
    if kind == "directive":               # its own number first, the issuing body as author
        body = directive_body(body, header)
        if header.number:
            numbers.sort(key=lambda d: d["number"] != header.number)
        if header.issuer:                 # the issuing body, not the signer (as for PDFs)
            author = issuer_name(header.issuer)
        issuer = header.issuer
        province_hint = province_hint or place_hint(header.place)
    guess = detect_province(title, sapo or issuer,
                            "\n".join(_without_letterhead(body) + closing), hint=province_hint)
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


def clean_bytes(data: bytes, url: str, *, content_type: str | None = None,
                selectors: Selectors | dict[str, str] | None = None,
                **kwargs: Unpack[PageOrigin]) -> CleanResult:
    """One fetched response of any supported type: HTML (decoded from its bytes), PDF or DOCX.
    ``selectors`` apply to HTML only."""
    kind = sniff_kind(data, content_type, url)
    if kind in ("pdf", "docx"):
        return clean_file(data, url, kind=kind, **kwargs)
    return clean_html(decode_html(data, content_type).text, url, selectors=selectors, **kwargs)


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
