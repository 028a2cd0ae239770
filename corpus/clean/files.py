"""Directives published as PDF or DOCX: text, then the same Article record as a web page.

A Vietnamese administrative or Party document opens with a fixed header (Nghị định
30/2020/NĐ-CP, Phụ lục; Hướng dẫn 36-HD/VPTW)::

    LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    Số: 119/KH-LĐLĐ                           Độc lập - Tự do - Hạnh phúc
                                              Thanh Hóa, ngày 16 tháng 8 năm 2021
                           KẾ HOẠCH
          Thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 …

From it come the number (with type and issuer: the first number in ``doc_numbers``), the
issuing body (``author``), the issue date (``published``, ``date_source = "header"``), the place
(a province hint) and the title (type + subject). Text extraction uses pypdf (or pdfminer.six)
and python-docx, imported lazily: without them a document page is reported, not a crash.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from corpus.clean.dates import find_header_date
from corpus.clean.result import CleanResult
from corpus.docnumbers import TYPES, find_doc_numbers
from corpus.gazetteer import all_districts, detect_province, old_province
from corpus.record import NATIONAL, Article, content_hash
from corpus.textnorm import canon, tidy

PDF_TYPES = ("application/pdf", "application/x-pdf")
DOCX_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
FILE_TYPES = PDF_TYPES + DOCX_TYPES


class MissingDependency(RuntimeError):
    """A document reader (pypdf/pdfminer.six, python-docx) is not installed."""


def sniff_kind(data: bytes, content_type: str | None = None, name: str = "") -> str:
    """"pdf", "docx" or "html" from the content type, the magic bytes and the file name."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in PDF_TYPES or data[:5] == b"%PDF-":
        return "pdf"
    if ctype in DOCX_TYPES or (data[:4] == b"PK\x03\x04" and _is_docx(data)):
        return "docx"
    if name.lower().endswith(".pdf") and b"%PDF-" in data[:1024]:
        return "pdf"
    return "html"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


# -- text ---------------------------------------------------------------------------------------

def pdf_lines(data: bytes) -> list[str]:
    """The text lines of a PDF, page by page (pypdf, else pdfminer.six)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        try:
            from pdfminer.high_level import extract_text
        except ImportError as exc:
            raise MissingDependency("reading PDF needs pypdf (pip install pypdf) or pdfminer.six"
                                    ) from exc
        text = extract_text(io.BytesIO(data))
    else:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    return [line for line in (tidy(x) for x in text.splitlines()) if line]


def docx_lines(data: bytes) -> list[str]:
    """Paragraphs of a DOCX in reading order, table cells included (headers are often tables)."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:
        raise MissingDependency("reading DOCX needs python-docx (pip install python-docx)") from exc
    document = docx.Document(io.BytesIO(data))
    out: list[str] = []

    def add(text: str) -> None:
        for line in tidy(text).splitlines():
            if line:
                out.append(line)

    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            add(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:          # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    for p in cell.paragraphs:
                        add(p.text)
    return out


_SENTENCE_END = re.compile(r"[.:;!?…”\")]$")
_ITEM_START = re.compile(r"^(?:[-–•+*]|\d+(?:\.\d+)*[.)]|[a-zđ][)]|[IVXLC]+\.|Điều\s+\d+)\s*")


def join_pdf_lines(lines: list[str]) -> list[str]:
    """PDF text breaks at every visual line: glue a line to the previous one when that did not
    end a sentence and this one does not start a new item or heading."""
    out: list[str] = []
    for line in lines:
        if out and not _SENTENCE_END.search(out[-1]) and not _ITEM_START.match(line) \
                and not _is_caps(out[-1]) and not _is_caps(line) and (line[:1].islower()
                                                                    or len(out[-1]) > 60):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return out


# -- the header ---------------------------------------------------------------------------------

_MOTTO = re.compile(r"(?i)^(cộng hòa xã hội chủ nghĩa việt nam|cộng hoà xã hội chủ nghĩa việt nam|"
                    r"độc lập\s*[-–]\s*tự do\s*[-–]\s*hạnh phúc|đảng cộng sản việt nam|[-_=*]{3,})$")
_NUMBER_LINE = re.compile(r"^\s*Số\s*[:.]?\s*\S", re.I)
_PLACE_DATE = re.compile(r"^(?P<place>[^\W\d][\w .'-]{1,40}?)\s*,\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}"
                         r"\s+năm\s+\d{4}", re.I)
_TYPE_WORDS = {
    "NGHỊ QUYẾT": "NQ", "QUYẾT ĐỊNH": "QĐ", "QUY ĐỊNH": "QĐi", "CHỈ THỊ": "CT", "KẾT LUẬN": "KL",
    "QUY CHẾ": "QC", "THÔNG CÁO": "TC", "THÔNG BÁO": "TB", "HƯỚNG DẪN": "HD",
    "CHƯƠNG TRÌNH": "CTr", "CHƯƠNG TRÌNH HÀNH ĐỘNG": "CTr", "KẾ HOẠCH": "KH",
    "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "BÁO CÁO": "BC", "TỜ TRÌNH": "TTr", "CÔNG VĂN": "CV",
    "THÔNG TƯ": "TT", "NGHỊ ĐỊNH": "NĐ", "GIẤY MỜI": "GM", "CÔNG ĐIỆN": "CĐ", "BIÊN BẢN": "BB",
    "THÔNG TRI": "TT", "LUẬT": "L", "BỘ LUẬT": "BL", "HIẾN PHÁP": "HP", "PHÁP LỆNH": "PL",
}


#: Where a legal text's body begins: its preamble, parts, chapters and articles.
_SECTION = re.compile(r"^(LỜI NÓI ĐẦU|Lời nói đầu|CHƯƠNG\s|Chương\s|PHẦN\s|Phần\s|Điều\s+\d)")


def _is_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) / len(letters) > 0.85


@dataclass
class DirectiveHeader:
    issuer: str = ""
    number: str = ""
    doc_type: str = ""           # code: KH, NQ, …
    type_name: str = ""          # "Kế hoạch"
    subject: str = ""
    place: str = ""
    date_iso: str = ""
    header_end: int = 0          # index of the first line after the header
    type_at: int = -1            # index of the type line ("KẾ HOẠCH", "BỘ LUẬT")

    def heading(self, lines: list[str]) -> str:
        """The type line and subject as the document prints them ("BỘ LUẬT HÌNH SỰ")."""
        if self.type_at < 0:
            return ""
        parts = (line.strip("*_ ") for line in lines[self.type_at:self.header_end])
        return tidy(" ".join(p for p in parts if p))


def parse_header(lines: list[str]) -> DirectiveHeader:
    """Issuer, number, type, subject, place and date from the first lines of a directive."""
    h = DirectiveHeader()
    head = lines[:30]
    issuer: list[str] = []
    type_at = -1
    for i, line in enumerate(head):
        plain = canon(line).replace("*", "").strip()
        if _MOTTO.match(plain):
            continue
        if not h.number and _NUMBER_LINE.match(plain):
            found = find_doc_numbers(plain)
            if found:
                h.number = found[0].number
                h.doc_type = found[0].type
            continue
        m = _PLACE_DATE.match(plain)
        if m and not h.date_iso:
            h.place = m.group("place").strip()
            dt = find_header_date([plain])
            h.date_iso = dt.date().isoformat() if dt else ""
            continue
        upper = plain.upper()
        if type_at < 0 and upper in _TYPE_WORDS and _is_caps(plain):
            type_at = i
            h.type_name = plain[:1] + plain[1:].lower()
            h.doc_type = h.doc_type or _TYPE_WORDS[upper]
            continue
        if type_at < 0 and _is_caps(plain) and len(plain) <= 90 and (not h.number or not issuer):
            issuer.append(plain)
    h.issuer = " ".join(issuer).strip()
    if type_at >= 0:
        subject: list[str] = []
        j = type_at + 1
        while j < len(lines) and len(subject) < 4:
            line = lines[j]
            if _MOTTO.match(line) or re.match(r"^[-_=*]{3,}$", line):
                j += 1
                break
            if subject and (len(line) > 160 or re.match(r"^(Căn cứ|Thực hiện .{120,}|I\.|1\.)",
                                                       line) or _SECTION.match(line)):
                break
            subject.append(line.strip("*_ "))
            j += 1
            if _SENTENCE_END.search(line) and not line.endswith(")"):
                break
        h.subject = " ".join(subject)
        h.header_end = j
        h.type_at = type_at
    else:
        vv = next((i for i, line in enumerate(head) if re.match(r"(?i)^v/v\b", line)), -1)
        if vv >= 0:
            h.subject = lines[vv]
            h.header_end = vv + 1
            h.type_name = h.type_name or "Công văn"
    if not h.type_name and h.doc_type:
        h.type_name = TYPES.get(h.doc_type, "")
    return h


#: The closing block: the distribution list and the signature ("TM. BAN THƯỜNG VỤ", "KT. CHỦ
#: TỊCH", "PHÓ CHỦ TỊCH", "(Đã ký)").
_CLOSING = re.compile(r"^(nơi nhận\s*:?|(tm|t/m|kt|k/t|q|tl|tuq|tm\.)\.?\s+\S|\(?đã ký\)?$|"
                      r"(phó )?(chủ tịch|bí thư|giám đốc|trưởng ban|chánh văn phòng|thủ tướng|"
                      r"bộ trưởng)$)", re.I)


def directive_body(lines: list[str], h: DirectiveHeader) -> list[str]:
    """The text of a directive and nothing else: without its heading block (issuer, motto,
    number, place and date, type and subject) and without its closing block (signature and
    "Nơi nhận"), which the record carries as number, author, date and province instead."""
    start = h.header_end if h.type_at >= 0 else 0
    while start < len(lines) and start < 10 and h.type_at < 0:
        plain = canon(lines[start]).replace("*", "").strip()
        if not (_MOTTO.match(plain) or _NUMBER_LINE.match(plain) or _PLACE_DATE.match(plain)
                or (_is_caps(plain) and len(plain) <= 90)):
            break
        start += 1
    end = len(lines)
    for i in range(max(start + 1, len(lines) - 25), len(lines)):
        if _CLOSING.match(canon(lines[i]).strip()) and \
                all(len(x) <= 160 for x in lines[i:]):
            end = i
            break
    body = lines[start:end]
    return body if sum(map(len, body)) >= 100 else lines


def place_hint(place: str) -> str | None:
    """Old province code for a header's place: a province, or a district/city of one province."""
    if not place:
        return None
    place = re.sub(r"(?i)^(tp\.?|thành phố|tỉnh|thị xã|huyện|quận)\s+", "", place.strip())
    prov = old_province(place)
    if prov is not None:
        return prov.code
    codes = {d.province_code for d in all_districts() if d.name.casefold() == place.casefold()}
    return codes.pop() if len(codes) == 1 else None


def directive_title(h: DirectiveHeader, lines: list[str]) -> str:
    if h.subject and h.type_name and not h.subject.lower().startswith("v/v"):
        subject = h.subject[:1].lower() + h.subject[1:] if not _is_caps(h.subject[:12]) \
            else h.subject
        return tidy(f"{h.type_name} {h.number} {subject}" if h.number
                    else f"{h.type_name} {subject}")
    if h.subject:
        return tidy(f"{h.type_name or 'Văn bản'} {h.number} {h.subject}".replace("  ", " "))
    if h.type_name and h.number:
        return f"{h.type_name} số {h.number}"
    return next((line for line in lines if len(line) >= 20), lines[0] if lines else "")


# -- the record ---------------------------------------------------------------------------------

def clean_file(data: bytes, url: str, *, kind: str | None = None, content_type: str = "",
                   source: str = "", source_title: str = "", province_hint: str | None = None,
                   fetched_at: str = "", aliases: tuple[str, ...] = ()) -> CleanResult:
    """A PDF or DOCX directive as a :class:`~corpus.clean.CleanResult`."""
    kind = kind or sniff_kind(data, content_type, url)
    try:
        lines = join_pdf_lines(pdf_lines(data)) if kind == "pdf" else docx_lines(data)
    except MissingDependency:
        raise
    except Exception:                    # noqa: BLE001 - a damaged or encrypted file: no article, no crash
        return CleanResult(None, f"unreadable-{kind}")
    text_chars = sum(len(x) for x in lines)
    if text_chars < 200:
        return CleanResult(None, "no-text" if kind == "pdf" else "too-short")
    h = parse_header(lines)
    title = directive_title(h, lines)
    lines = [line for line in lines if line]
    numbers = [{"number": d.number, "type": d.type, "issuer": d.issuer}
               for d in find_doc_numbers("\n".join([title, *lines]))]
    body = directive_body(lines, h)
    if h.number:                         # the document's own number first
        numbers.sort(key=lambda d: d["number"] != h.number)
    hint = province_hint or place_hint(h.place)
    letterhead = re.compile(r"^[^\W\d][\w .'-]{1,40},\s*ngày\s+\d{1,2}\s+tháng", re.I)
    guess = detect_province(title, h.issuer, "\n".join(x for x in body if not letterhead.match(x)),
                            hint=hint)
    published = h.date_iso or ""           # a day: the header gives no time
    article = Article(
        url=url, title=title, sapo="", body=body, captions=[], attachments=[],
        aliases=[a for a in aliases if a != url], source=source, source_title=source_title,
        published=published, date_source="header" if published else "none",
        author=issuer_name(h.issuer), kind="directive",
        province_old_code=guess.old_code, province_old=guess.old_name or NATIONAL,
        province_new_code=guess.new_code, province_new=guess.new_name or NATIONAL,
        doc_numbers=numbers, content_hash=content_hash(title, "", body), fetched_at=fetched_at)
    return CleanResult(article, "")


def issuer_name(issuer: str) -> str:
    """``LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA`` → ``Liên Đoàn Lao Động Tỉnh Thanh Hóa`` (readable,
    proper names keep their capitals; the original casing is in the body)."""
    if not issuer or not _is_caps(issuer):
        return issuer
    keep_upper = {"ubnd", "lđlđ", "tw", "hđnd", "ubkt", "mttq", "tp", "tp."}
    words = [w.upper() if w.lower() in keep_upper else w[:1].upper() + w[1:].lower()
             for w in issuer.split()]
    return " ".join(words)


__all__ = [
    "DOCX_TYPES",
    "FILE_TYPES",
    "PDF_TYPES",
    "MissingDependency",
    "clean_file",
    "directive_body",
    "docx_lines",
    "parse_header",
    "pdf_lines",
    "sniff_kind",
]
