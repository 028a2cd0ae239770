"""The cleaner on pages with real Vietnamese boilerplate: our own page, and ../shared's real ones."""
from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED

from corpus.clean import clean_html
from corpus.clean.title import strip_site_suffix
from corpus.decoding import decode_html

BODY = [
    "Sáng 16/8, Ban Chấp hành Liên đoàn Lao động (LĐLĐ) tỉnh Thanh Hóa tổ chức hội nghị triển "
    "khai Kế hoạch số 119/KH-LĐLĐ với sự tham dự của hơn 200 cán bộ công đoàn chủ chốt.",
    "Theo kế hoạch, đến năm 2025 toàn tỉnh phấn đấu phát triển thêm 20.000 đoàn viên, thành lập "
    "mới 120 công đoàn cơ sở (CĐCS) tại các doanh nghiệp ngoài nhà nước, nhất là tại KCN Nghi Sơn.",
    "Đồng chí Lê Văn Hùng, Chủ tịch LĐLĐ tỉnh nhấn mạnh, các cấp công đoàn cần đổi mới nội dung, "
    "phương thức hoạt động, hướng mạnh về cơ sở, lấy người lao động làm trung tâm.",
]
PAGE = f"""<!doctype html><html><head><meta charset="utf-8">
<title>LĐLĐ Thanh Hóa triển khai Kế hoạch 119/KH-LĐLĐ - CỔNG THÔNG TIN ĐIỆN TỬ LĐLĐ TỈNH</title>
</head><body>
<div class="q1"><a href="/">Trang chủ</a> <a href="/tin">Tin tức</a> <a href="/vb">Văn bản</a></div>
<div class="q2">Thứ sáu 20/11/2026 08:15</div>
<div class="k9">
  <h1 class="z">LĐLĐ Thanh Hóa triển khai Kế hoạch 119/KH-LĐLĐ</h1>
  <div class="z3">16/08/2021 09:30</div>
  <div class="z4"><b>(LĐLĐ) - Ngày 16/8, LĐLĐ tỉnh Thanh Hóa triển khai kế hoạch thực hiện
     Nghị quyết 02-NQ/TW của Bộ Chính trị về đổi mới tổ chức và hoạt động Công đoàn.</b></div>
  <div class="z5">
    <p>{BODY[0]}</p>
    <div class="zz"><div>Tin liên quan</div>
      <div><a href="/a1">Nghệ An: phát triển 5.000 đoàn viên mới trong năm 2021</a></div>
      <div><a href="/a2">Long An tổ chức Tháng Công nhân cho người lao động KCN</a></div></div>
    <p>{BODY[1]}</p>
    <table class="t"><tr><td><img src="a.jpg" alt="LĐLĐ Thanh Hóa triển khai"></td></tr>
      <tr><td>Quang cảnh hội nghị. Ảnh: Thanh Huê</td></tr></table>
    <p>{BODY[2]}</p>
    <p>Thanh Huê</p>
    <div class="zq"><span>In bài</span> <span>Gửi bài viết</span> <span>Chia sẻ</span></div>
    <div class="x8"><h3>Bình luận</h3>
      <div><b>{{name}} - {{time}}</b><div>{{body}}</div><a>Trả lời</a></div>
      <div><b>Nguyễn Văn Nam - 10:30 17/08/2021</b>
        <p>Rất mong công đoàn quan tâm hơn nữa đến công nhân ở các khu công nghiệp của tỉnh,
        nhất là chuyện nhà ở và nhà trẻ cho con em người lao động.</p><a>Trả lời</a></div>
      <p>Ý kiến của bạn sẽ được biên tập trước khi đăng. Xin vui lòng gõ tiếng Việt có dấu.</p>
      <p>0 bình luận</p></div>
  </div>
</div>
<div class="y1"><div>Tin cùng chuyên mục</div>
  <ul><li><a href="/b1">Hà Tĩnh: trao 300 suất quà cho đoàn viên có hoàn cảnh khó khăn</a></li>
  <li><a href="/b2">Long An: ký kết thỏa ước lao động tập thể nhóm doanh nghiệp dệt may</a></li></ul></div>
<div class="y2"><div>Thông tin truy cập</div><div>Đang truy cập: 12</div>
  <div>Hôm nay: 1.024</div><div>Tổng truy cập: 873.532</div></div>
<div class="y3">CỔNG THÔNG TIN ĐIỆN TỬ LĐLĐ TỈNH THANH HÓA - Địa chỉ: 50 Lê Lợi, TP Thanh Hóa</div>
</body></html>"""


def test_own_page_with_meaningless_classes():
    result = clean_html(PAGE, "http://ldld.test/tin/119-kh-ldld.html")
    a = result.article
    assert a is not None, result.reason
    assert a.title == "LĐLĐ Thanh Hóa triển khai Kế hoạch 119/KH-LĐLĐ"
    assert a.sapo.startswith("Ngày 16/8, LĐLĐ tỉnh Thanh Hóa")      # source prefix removed
    assert a.body == BODY
    assert a.captions == ["Quang cảnh hội nghị. Ảnh: Thanh Huê"]
    assert a.author == "Thanh Huê"
    assert a.published == "2021-08-16T09:30:00+07:00" and a.date_source == "byline"
    assert (a.province_old, a.province_new) == ("Thanh Hóa", "Thanh Hóa")
    assert [d["number"] for d in a.doc_numbers] == ["119/KH-LĐLĐ", "02-NQ/TW"]
    text = " ".join([a.sapo, *a.body])
    for junk in ("Trả lời", "{name}", "Nguyễn Văn Nam", "Long An", "Tổng truy cập", "In bài",
                 "biên tập", "bình luận", "Hà Tĩnh"):
        assert junk not in text, junk


def test_listing_and_soft_404_pages_yield_no_article():
    teasers = "".join(f'<li><h3><a href="/t{i}">Tin số {i}: công đoàn tỉnh tổ chức hội nghị '
                      f'tổng kết năm</a></h3><p>Tóm tắt ngắn {i}.</p></li>' for i in range(20))
    listing = f"<html><body><h1>Tin hoạt động</h1><ul>{teasers}</ul></body></html>"
    result = clean_html(listing, "http://x.test/tin-hoat-dong/trang-2.htm")
    assert result.article is None and result.reason in ("listing", "too-short")
    soft = ("<html><body><h1>Thông báo</h1><p>Không tìm thấy trang bạn yêu cầu. "
            "Vui lòng quay lại trang chủ.</p></body></html>")
    assert clean_html(soft, "http://x.test/bai-viet-1.htm").reason == "soft-404"


def test_site_suffix_removed():
    assert strip_site_suffix("Tiêu đề bài - CỔNG THÔNG TIN ĐIỆN TỬ TỈNH THANH HÓA") == "Tiêu đề bài"
    assert strip_site_suffix("Tiêu đề bài | Báo Công Nhân") == "Tiêu đề bài"
    assert strip_site_suffix("Hà Nội - Hải Phòng: cao tốc mới") == "Hà Nội - Hải Phòng: cao tốc mới"


# -- real pages from ../shared (tests only; never copied into the project) -----------------------

def _f1(pred: list[str], gold: list[str]) -> float:
    p = Counter(unicodedata.normalize("NFC", " ".join(pred)).split())
    g = Counter(unicodedata.normalize("NFC", " ".join(gold)).split())
    inter = sum((p & g).values())
    if not inter:
        return 0.0
    precision, recall = inter / sum(p.values()), inter / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _shared_cases() -> list[tuple[str, str]]:
    return [("fundus_vnexpress_2025-10-22.html", "gold.json"),
            ("htmldate_vnexpress_kinh-doanh.html", "gold.json"),
            ("synthetic/fundus_vnexpress_injected_seed_boilerplate.html", "gold_injected.json"),
            ("synthetic/fundus_vnexpress_injected_inside_article.html", "gold_injected_inside.json"),
            ("synthetic/fundus_vnexpress_injected_inside_article_english_classes.html",
             "gold_injected_inside.json")]


@pytest.mark.shared
@pytest.mark.parametrize("page, gold_file", _shared_cases())
def test_real_pages_against_gold(page, gold_file):
    pages = SHARED / "pages"
    if not pages.is_dir():
        pytest.skip("../shared is not beside the project")
    gold_all = json.loads((pages / gold_file).read_text(encoding="utf-8"))
    gold = gold_all.get(Path(page).name) or next(iter(gold_all.values()))
    body = [p for p in gold["paragraphs"] if p not in gold.get("caption_paragraphs", [])]
    result = clean_html(decode_html((pages / page).read_bytes()).text, gold.get("url", ""))
    assert result.article is not None, result.reason
    a = result.article
    assert _f1([a.sapo, *a.body], body) >= 0.95
    assert a.published[:10] == gold["date"][:10]
    for junk in ("Trả lời", "Tin cùng chuyên mục", "Đang truy cập", "biên tập"):
        assert junk not in " ".join(a.body)


@pytest.mark.shared
def test_real_home_pages_are_not_articles():
    folder = SHARED / "pages" / "homepages"
    if not folder.is_dir():
        pytest.skip("../shared is not beside the project")
    manifest = {m["file"]: m for m in json.loads((folder / "manifest.json").read_text())}
    for page in sorted(folder.glob("*.html")):
        url = (manifest.get(page.name) or {}).get("url") or f"https://example.vn/{page.stem}"
        result = clean_html(decode_html(page.read_bytes()).text, url)
        assert result.article is None, page.name
