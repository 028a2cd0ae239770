"""Directives as PDF and DOCX: text, header metadata, the clean stage and `unionsearch extract`."""
from __future__ import annotations

import builtins
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from corpus.clean import clean_bytes, clean_html
from corpus.clean.files import (
    DOCX_TYPES,
    MissingDependency,
    clean_file,
    parse_header,
    sniff_kind,
)

HEADER = ["LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "Số: 119/KH-LĐLĐ", "Độc lập - Tự do - Hạnh phúc",
          "Thanh Hóa, ngày 16 tháng 8 năm 2021", "KẾ HOẠCH",
          "Thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị",
          "về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới"]
BODY = ["I. MỤC ĐÍCH, YÊU CẦU",
        "1. Quán triệt sâu rộng Nghị quyết đến toàn thể cán bộ, đoàn viên, người lao động trong",
        "tỉnh; tạo chuyển biến rõ nét về nhận thức và hành động của các cấp công đoàn.",
        "2. Công đoàn các huyện, thị xã, thành phố xây dựng kế hoạch cụ thể, phù hợp thực tế, "
        "báo cáo kết quả về Ban Thường vụ LĐLĐ tỉnh trước ngày 30/9/2021.",
        "Nơi nhận:", "- Tổng LĐLĐ Việt Nam (b/c);", "- Lưu VT."]
TITLE = ("Kế hoạch 119/KH-LĐLĐ thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị "
         "về đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới")


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing ``lines`` (Type0 font, Identity-H, a ToUnicode CMap), by hand."""
    chars = sorted({c for line in lines for c in line})
    content = "BT /F1 11 Tf 40 800 Td 14 TL\n" + "".join(
        "<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*\n" for line in lines) + "ET"
    cmap = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    for i in range(0, len(chars), 100):
        chunk = chars[i:i + 100]
        cmap += [f"{len(chunk)} beginbfchar", *(f"<{ord(c):04X}> <{ord(c):04X}>" for c in chunk),
                 "endbfchar"]
    cmap.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R "
        ">> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type0 /BaseFont /Arial /Encoding /Identity-H /DescendantFonts "
        "[6 0 R] /ToUnicode 7 0 R >>",
        content.encode("ascii"),
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Arial /CIDSystemInfo << /Registry "
        "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 500 >>",
        "\n".join(cmap).encode("ascii"),
        "<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [0 -200 1000 900] "
        "/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        if isinstance(obj, bytes):
            out += f"{n} 0 obj\n<< /Length {len(obj)} >>\nstream\n".encode() + obj
            out += b"\nendstream\nendobj\n"
        else:
            out += f"{n} 0 obj\n{obj}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def make_docx(*, header_table: bool = True) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    if header_table:          # the usual two-column header: issuer/number | motto/place-date
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = HEADER[0]
        table.cell(0, 1).text = HEADER[1] + "\n" + HEADER[3]
        table.cell(1, 0).text = HEADER[2]
        table.cell(1, 1).text = HEADER[4]
    else:
        for line in HEADER[:5]:
            document.add_paragraph(line)
    for line in [*HEADER[5:6], " ".join(HEADER[6:8])]:
        document.add_paragraph(line)
    for line in [BODY[0], BODY[1] + " " + BODY[2], *BODY[3:]]:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def check_record(a) -> None:
    assert a.kind == "directive"
    assert a.title == TITLE
    assert a.doc_numbers[0] == {"number": "119/KH-LĐLĐ", "type": "KH", "issuer": "LĐLĐ"}
    assert {"number": "02-NQ/TW", "type": "NQ", "issuer": "TW"} in a.doc_numbers
    assert (a.published, a.date_source) == ("2021-08-16", "header")
    assert (a.province_old, a.province_new) == ("Thanh Hóa", "Thanh Hóa")
    assert a.author == "Liên Đoàn Lao Động Tỉnh Thanh Hóa"
    text = "\n".join(a.body)
    assert "1. Quán triệt sâu rộng Nghị quyết đến toàn thể cán bộ, đoàn viên, người lao động " \
           "trong tỉnh; tạo chuyển biến" in text          # PDF line breaks glued back


def test_pdf_directive_to_record():
    pytest.importorskip("pypdf")
    data = make_pdf(HEADER + BODY)
    assert sniff_kind(data) == "pdf"
    result = clean_file(data, "http://ldld.test/files/119-kh.pdf")
    assert result.article is not None, result.reason
    check_record(result.article)


@pytest.mark.parametrize("table", [True, False])
def test_docx_directive_to_record(table):
    data = make_docx(header_table=table)
    assert sniff_kind(data) == "docx"
    result = clean_bytes(data, "http://ldld.test/files/119-kh.docx")
    assert result.article is not None, result.reason
    check_record(result.article)


def test_header_parsing_without_type_line_and_place_hint_from_a_city():
    h = parse_header(["THÀNH ỦY ĐÀ LẠT", "Số 41-KH/ThU", "Đà Lạt, ngày 24 tháng 9 năm 2021",
                      "V/v triển khai Nghị quyết 02-NQ/TW", "Kính gửi: các tổ chức cơ sở Đảng"])
    assert (h.issuer, h.number, h.doc_type, h.date_iso) == ("THÀNH ỦY ĐÀ LẠT", "41-KH/ThU", "KH",
                                                           "2021-09-24")
    from corpus.clean.files import place_hint
    assert place_hint(h.place) == "68"                      # Đà Lạt → Lâm Đồng


def test_missing_reader_gives_a_clear_error(monkeypatch):
    real_import = builtins.__import__

    def no_docx(name, *args, **kwargs):
        if name == "docx" or name.startswith("docx."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    data = make_docx()
    monkeypatch.setattr(builtins, "__import__", no_docx)
    with pytest.raises(MissingDependency, match="python-docx"):
        clean_file(data, "http://x.test/a.docx")


def test_damaged_pdf_is_no_article_not_a_crash():
    pytest.importorskip("pypdf")
    result = clean_file(b"%PDF-1.4\nnot really a pdf", "http://x.test/a.pdf")
    assert result.article is None and result.reason.startswith(("unreadable", "no-text"))


def test_clean_stage_handles_pdf_and_docx_responses(tmp_path: Path):
    pytest.importorskip("pypdf")
    from corpus.clean.stage import clean_store
    from corpus.rawstore import HttpExchange
    from corpus.record import corpus_path, read_corpus
    from crawler.warcwriter import WarcWriter

    t0 = datetime(2021, 8, 20, 1, 0, tzinfo=UTC)

    def exchange(url: str, body: bytes, ctype: str) -> HttpExchange:
        return HttpExchange(url=url, status=200, fetched_at=t0, raw_body=body,
                            response_headers=(("Content-Type", ctype),
                                              ("Content-Length", str(len(body)))))

    with WarcWriter(tmp_path, durable=False) as w:
        w.write_response(exchange("http://ldld.test/files/a.pdf", make_pdf(HEADER + BODY),
                                  "application/pdf"))
        w.write_response(exchange("http://ldld.test/files/b.docx", make_docx(), DOCX_TYPES[0]))
        w.write_response(exchange("http://ldld.test/dl?id=9", make_pdf(HEADER + BODY),
                                  "application/octet-stream"))
        w.write_response(exchange("http://ldld.test/logo.png", b"\x89PNG....", "image/png"))
    stats = clean_store(tmp_path)
    articles = {a.url: a for a in read_corpus(corpus_path(tmp_path))}
    assert set(articles) == {"http://ldld.test/files/a.pdf", "http://ldld.test/files/b.docx",
                             "http://ldld.test/dl?id=9"}
    for a in articles.values():
        check_record(a)
    assert stats.skipped_types == {"image/png": 1}


def test_unionsearch_extract_reads_pdf_and_docx(tmp_path: Path, capsys):
    pytest.importorskip("pypdf")
    from unionsearch.cli import main

    (tmp_path / "kh.pdf").write_bytes(make_pdf(HEADER + BODY))
    (tmp_path / "kh.docx").write_bytes(make_docx())
    for name in ("kh.pdf", "kh.docx"):
        assert main(["extract", str(tmp_path / name), "--url", f"http://ldld.test/{name}"]) == 0
        record = json.loads(capsys.readouterr().out)
        assert record["title"] == TITLE and record["kind"] == "directive"
        assert record["doc_numbers"][0]["number"] == "119/KH-LĐLĐ"
        assert record["published"].startswith("2021-08-16")


def test_directive_page_body_is_the_text_without_heading_and_closing_blocks():
    lines = ["LIÊN ĐOÀN LAO ĐỘNG TỈNH THANH HÓA", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Số: 119/KH-LĐLĐ", "Thanh Hóa, ngày 16 tháng 8 năm 2021",
             "KẾ HOẠCH", "Thực hiện Nghị quyết số 02-NQ/TW về đổi mới tổ chức công đoàn",
             "I. MỤC ĐÍCH, YÊU CẦU",
             "1. Quán triệt sâu sắc nội dung Nghị quyết tới cán bộ, đoàn viên công đoàn trong tỉnh.",
             "2. Cụ thể hóa các nhiệm vụ, giải pháp phù hợp với tình hình thực tế của địa phương.",
             "Nơi nhận:", "- Tổng LĐLĐ Việt Nam;", "- Lưu VT.", "TM. BAN THƯỜNG VỤ", "CHỦ TỊCH",
             "(Đã ký)", "Võ Mạnh Sơn"]
    html = ("<html><head><title>Kế hoạch 119/KH-LĐLĐ thực hiện Nghị quyết 02</title></head><body>"
            "<h1>Kế hoạch 119/KH-LĐLĐ thực hiện Nghị quyết 02</h1><div class='vb'>"
            + "".join(f"<p>{x}</p>" for x in lines) + "</div></body></html>")
    a = clean_html(html, "https://ldld.thanhhoa.test/van-ban/ke-hoach-119-kh-ldld.html").article
    assert a is not None and a.kind == "directive"
    assert a.body == lines[7:10]
    assert a.doc_numbers[0]["number"] == "119/KH-LĐLĐ"
    assert (a.published, a.province_old, a.author) == ("2021-08-16", "Thanh Hóa",
                                                       "Liên Đoàn Lao Động Tỉnh Thanh Hóa")


def test_legal_text_page_titled_by_its_site_section_takes_the_documents_heading():
    articles = "".join(f"<p>Điều {i}. Nội dung điều {i}</p><p>Văn bản quy định chi tiết việc thực "
                       f"hiện các quyền và nghĩa vụ của tổ chức công đoàn tại điều {i} này.</p>"
                       for i in range(1, 6))
    html = ("<html><head><title>Trung ương</title></head><body><div class='nav'>Trung ương</div>"
            "<div class='toanvan'><p><b>LUẬT</b></p><p><b>CÔNG ĐOÀN</b></p><p>Căn cứ Hiến pháp "
            "nước Cộng hòa xã hội chủ nghĩa Việt Nam;</p><p>Chương I</p>" + articles +
            "<p>Luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIII, kỳ "
            "họp thứ 3 thông qua ngày 20 tháng 6 năm 2012.</p></div></body></html>")
    a = clean_html(html, "https://vbpl.test/TW/Pages/vbpq-toanvan.aspx?ItemID=27634").article
    assert a is not None and a.title == "LUẬT CÔNG ĐOÀN"
    assert (a.published, a.date_source) == ("2012-06-20", "header")
    assert a.body[0].startswith("Căn cứ Hiến pháp") and "CÔNG ĐOÀN" not in a.body
