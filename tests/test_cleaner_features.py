"""The cleaner's behaviours one by one, on small pages written for these tests."""
from __future__ import annotations

import unicodedata

import pytest

from corpus.clean import clean_html
from corpus.clean.dates import (
    day_order,
    find_byline_date,
    find_lead_date,
    find_url_date,
    publication_date,
)
from corpus.clean.text import repair_text
from corpus.clean.title import strip_site_suffix, strip_title_prefix
from corpus.sources import Selectors

P1 = ("Liên đoàn Lao động tỉnh Nghệ An vừa tổ chức hội nghị đối thoại giữa người sử dụng lao "
      "động và đại diện công nhân tại các doanh nghiệp da giày trong khu công nghiệp Nam Cấm.")
P2 = ("Tại hội nghị, nhiều công nhân kiến nghị tăng tiền ăn giữa ca, bố trí thêm nhà để xe và "
      "tổ chức khám sức khỏe định kỳ hai lần mỗi năm cho lao động nữ.")
P3 = ("Đại diện các doanh nghiệp cam kết tiếp thu, trả lời bằng văn bản trong vòng 30 ngày và "
      "phối hợp với công đoàn cơ sở giám sát việc thực hiện.")
TITLE = "Nghệ An: đối thoại với công nhân các doanh nghiệp da giày"
SAPO = ("Hơn 300 công nhân và đại diện 12 doanh nghiệp đã tham gia buổi đối thoại do Liên đoàn "
        "Lao động tỉnh Nghệ An tổ chức.")


def page(*, head: str = "", before: str = "", title_html: str | None = None,
         after_title: str = "", body_extra: str = "", after: str = "",
         title_tag: str = TITLE) -> str:
    title_html = title_html if title_html is not None else f"<h1>{TITLE}</h1>"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title_tag}</title>{head}</head>
<body>{before}<div class="w1">{title_html}{after_title}
<div class="w2"><p>{P1}</p>{body_extra}<p>{P2}</p><p>{P3}</p></div></div>{after}</body></html>"""


def article(html: str, url: str = "http://bao.test/tin/doi-thoai-123.html", **kw):
    result = clean_html(html, url, **kw)
    assert result.article is not None, result.reason
    return result.article


def words(a) -> str:
    return " ".join([a.title, a.sapo, *a.body])


# -- furniture ---------------------------------------------------------------------------------

def test_related_posts_with_compound_class_and_label_inside_the_body():
    related = ('<div class="jp-relatedposts"><h3><em>Có liên quan</em></h3>'
               '<div><h4><a href="/a">Hà Tĩnh bàn giao 35 nhà Mái ấm Công đoàn cho đoàn viên</a></h4>'
               '<p>Trong "Đời sống"</p></div>'
               '<div><h4><a href="/b">Long An đối thoại tiền lương tại 15 doanh nghiệp lớn</a></h4>'
               '<p>Trong "Quan hệ lao động"</p></div></div>')
    a = article(page(body_extra=related))
    assert a.body == [P1, P2, P3]


def test_link_runs_with_meaningless_classes_are_pruned_but_prose_links_stay():
    run = ('<div class="x9"><div class="x1">ĐỌC THÊM</div>'
           '<div class="x2"><a href="/a">Hà Tĩnh bàn giao 35 nhà Mái ấm Công đoàn cho đoàn viên</a></div>'
           '<div class="x2"><a href="/b">Long An đối thoại tiền lương tại 15 doanh nghiệp lớn</a></div>'
           '<div class="x2"><a href="/c">Cà Mau hỗ trợ đoàn viên mất việc do thiếu đơn hàng</a></div></div>')
    prose = ('<p>Xem toàn văn tại <a href="/vb">Kế hoạch số 12/KH-LĐLĐ</a> đăng trên trang '
             'thông tin điện tử của Liên đoàn Lao động tỉnh.</p>')
    a = article(page(body_extra=run + prose))
    text = words(a)
    assert "Hà Tĩnh" not in text and "Cà Mau" not in text and "ĐỌC THÊM" not in text
    assert any(line.startswith("Xem toàn văn tại Kế hoạch số 12/KH-LĐLĐ") for line in a.body)
    assert a.province_old == "Nghệ An"


def test_single_xem_them_link_line_inside_the_body_is_dropped():
    extra = '<p>Xem thêm: <a href="/x">Công đoàn Nghệ An ra mắt mô hình mới cho lao động nữ</a></p>'
    a = article(page(body_extra=extra))
    assert a.body == [P1, P2, P3]


def test_comment_list_counters_share_bar_and_tthc_box_are_removed():
    after = """<div class="k1"><h2>3 bình luận về “Tiêu đề”</h2><ol>
<li><div><b>Trần Văn Hải</b> viết:</div><div>15/03/2024 lúc 9:05 sáng</div>
<p>Công đoàn cần quan tâm hơn đến nhà trọ của công nhân, giá thuê năm nào cũng tăng mà lương
thì tăng rất chậm, mong các cấp có giải pháp.</p><a>Trả lời</a></li></ol>
<div>Để lại một bình luận</div><p>Email của bạn sẽ không được hiển thị công khai.</p></div>
<div class="k2"><span>Chia sẻ</span> <a>Facebook</a> <a>Zalo</a> <a>In bài</a></div>
<div class="k3"><div>Kết quả giải quyết TTHC</div><div>Số hồ sơ xử lý: 757</div>
<div>Trễ hạn: 0</div><div>( Cập nhật lúc:22/09/2023 12:52:06)</div></div>
<div class="k4"><div>Thông tin truy cập</div><div>Đang truy cập: 12</div><div>Hôm nay: 1.024</div>
<div>Tổng truy cập: 873.532</div></div>"""
    a = article(page(after=after))
    text = words(a)
    for junk in ("bình luận", "nhà trọ", "Facebook", "TTHC", "757", "truy cập", "Cập nhật"):
        assert junk not in text, junk


def test_title_repeated_inside_the_body_and_source_prefix_are_removed():
    body_extra = f"<p><strong>{TITLE}</strong></p>"
    after_title = f'<div class="w3"><b>(Baonghean.vn) - {SAPO}</b></div>'
    a = article(page(after_title=after_title, body_extra=body_extra))
    assert a.sapo == SAPO
    assert TITLE not in a.body


def test_source_prefix_on_the_first_body_paragraph_becomes_the_sapo():
    html = page(title_html=f"<h1>{TITLE}</h1>").replace(
        f"<p>{P1}</p>", f"<p>(Baothanhhoa.vn) - {P1}</p>")
    a = article(html)
    assert a.sapo == P1 and a.body == [P2, P3]


# -- title --------------------------------------------------------------------------------------

def test_site_suffix_and_print_prefix_removed_from_titles():
    assert strip_site_suffix("Tiêu đề bài - Báo Người Lao Động Online") == "Tiêu đề bài"
    assert strip_site_suffix("Đại hội nhiệm kỳ 2023 - 2028") == "Đại hội nhiệm kỳ 2023 - 2028"
    assert strip_title_prefix("In bài: Tiêu đề bài") == "Tiêu đề bài"
    html = page(title_html=f'<div class="pt">{TITLE}</div>', title_tag=f"In bài: {TITLE}")
    assert article(html).title == TITLE


# -- text ---------------------------------------------------------------------------------------

def test_nfd_text_and_tone_marks_are_normalised():
    nfd = unicodedata.normalize("NFD", "Công đoàn Thanh Hoá chăm lo cho đoàn viên khó khăn")
    html = page(title_html=f"<h1>{nfd}</h1>", title_tag=nfd)
    a = article(html)
    assert a.title == "Công đoàn Thanh Hóa chăm lo cho đoàn viên khó khăn"
    assert unicodedata.is_normalized("NFC", a.title)
    assert a.province_old == "Thanh Hóa"


def as_windows_1252(text: str) -> str:
    """UTF-8 bytes read as windows-1252 the way browsers do (undefined bytes → C1 controls)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def test_mojibake_repaired_whole_and_in_part():
    good = "Liên đoàn Lao động tỉnh Thanh Hóa ban hành Kế hoạch"
    assert repair_text(as_windows_1252(good)) == good
    mixed = "Trang chủ ạ: " + good.encode("utf-8").decode("latin-1")
    assert repair_text(mixed) == "Trang chủ ạ: " + good
    assert repair_text("Thanh Hóa, Đà Nẵng") == "Thanh Hóa, Đà Nẵng"
    assert article(as_windows_1252(page())).body == [P1, P2, P3]
    half = page().replace(P2, as_windows_1252(P2))         # one paragraph damaged
    assert article(half).body == [P1, P2, P3]


# -- dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("Thứ ba 03/08/2021 02:10", "2021-08-03T02:10:00+07:00"),
    ("10/11/2021 07:00 GMT+7", "2021-11-10T07:00:00+07:00"),
    ("14/04/2022 08:38:15", "2022-04-14T08:38:15+07:00"),
    ("Thứ năm, 4/6/2026, 08:00 (GMT+7)", "2026-06-04T08:00:00+07:00"),
    ("Ngày đăng: 14/03/2024 | Lượt xem: 1.203", "2024-03-14"),
    ("Thứ Năm, 14/3/2024 | 8:15", "2024-03-14T08:15:00+07:00"),
    ("In ngày: 20/11/2025 10:00 | Ngày đăng: 14/03/2024", "2024-03-14"),
    ("Thứ sáu, 28/12/2012, 14:46 GMT+7", "2012-12-28T14:46:00+07:00"),
    ("Thứ Năm, ngày 27/12/2012 - 08:15", "2012-12-27T08:15:00+07:00"),
    ("Chủ nhật, 10/11/2021 09:00 (GMT+7)", "2021-11-10T09:00:00+07:00"),
    ("Cập nhật: 08:15 | 14/03/2024", "2024-03-14T08:15:00+07:00"),
    ("Ngày đăng: 26-12-12", "2012-12-26"),                       # two-digit year
    ("Chiều 26/12/2012, 3:30", "2012-12-26T15:30:00+07:00"),     # chiều: afternoon
    ("26/12/2012 | 10:30 PM", "2012-12-26T22:30:00+07:00"),
    ("Ngày 5 tháng 3 năm 2024", "2024-03-05"),
    ("05 tháng 03, 2024 | 07:12", "2024-03-05T07:12:00+07:00"),
    ("2024-03-05 07:12", "2024-03-05T07:12:00+07:00"),
    ("28/12/2012 14:46 GMT+0", "2012-12-28T14:46:00+00:00"),
    ("Cập nhật lúc 09:12 ngày 20/11/2025", "2025-11-20T09:12:00+07:00"),  # nothing else there
])
def test_byline_date_forms(line, expected):
    found = find_byline_date(line)
    assert found is not None and found.iso() == expected


def test_month_first_only_where_the_page_proves_it():
    assert day_order("Đăng 12/25/2012 · 01/03/2013") == "mdy"
    assert day_order("25/12/2012, 01/03/2013") == "dmy"
    assert day_order("01/03/2013") == "dmy"                   # ambiguous: day first
    assert find_byline_date("12/25/2012 08:00", "mdy").iso() == "2012-12-25T08:00:00+07:00"
    assert find_byline_date("01/03/2013", "mdy").iso() == "2013-01-03"


def test_url_dates_keep_their_precision():
    assert find_url_date("http://vnexpress.net/gl/xa-hoi/2012/12/dong-nuoc/").iso() == "2012-12"
    assert find_url_date("https://x.vn/2021/08/16/tin.html").iso() == "2021-08-16"
    assert find_url_date("http://nld.com.vn/20121226051446379p0c1019/thieu.htm").iso() == \
        "2012-12-26"
    assert find_url_date("https://x.vn/tin-tuc/post874715.html") is None
    assert find_url_date("https://x.vn/2021/13/tin.html") is None


def test_stamps_and_cited_dates_are_never_the_date():
    assert find_byline_date("Hôm nay: 20/11/2025 | Lượt xem: 12") is None
    assert find_byline_date("Đang truy cập: 12 | Hôm nay: 20/11/2025") is None
    cited = (f"<p>Thực hiện Nghị quyết số 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị, {P1}</p>")
    a = article(page(after_title="<div>Theo Kế hoạch số 119/KH-LĐLĐ ngày 16/8/2021</div>",
                     body_extra=cited))
    assert a.published == "" and a.date_source == "none"


def test_date_before_the_title_is_used_but_a_header_clock_at_fetch_time_is_not():
    html = page(title_html=f'<div class="d">Thứ Năm, 14/3/2024 | 8:15</div><h1>{TITLE}</h1>')
    a = article(html, fetched_at="2024-03-20T10:00:00+07:00")
    assert (a.published, a.date_source) == ("2024-03-14T08:15:00+07:00", "pretitle")
    clock = page(title_html=f'<div class="c">Thứ Năm, 20/3/2024 09:58</div><h1>{TITLE}</h1>')
    a = article(clock, fetched_at="2024-03-20T10:00:00+07:00")
    assert a.published == ""


def test_year_less_lead_date_takes_the_year_from_the_page_date():
    ref = publication_date(meta_value="", meta_source="", byline_zone="", body=[], url="http://x/",
                           not_after=None, lead=["Sáng 10.11, Tổng Liên đoàn tổ chức hội nghị."])
    assert ref == ("", "none")                      # no reference date: no guess
    from datetime import datetime

    from corpus.record import VN_TZ
    fetched = datetime(2021, 11, 12, 9, 0, tzinfo=VN_TZ)
    assert find_lead_date(["Sáng 10.11, Tổng Liên đoàn tổ chức hội nghị."], fetched).date(
    ).isoformat() == "2021-11-10"
    new_year = datetime(2024, 1, 2, tzinfo=VN_TZ)
    assert find_lead_date(["Chiều 30/12, LĐLĐ tỉnh trao quà Tết."], new_year).date(
    ).isoformat() == "2023-12-30"
    assert find_lead_date(["Tỷ lệ tăng 10.11% so với cùng kỳ."], fetched) is None
    html = page().replace(f"<p>{P1}</p>", f"<p>Sáng 14.3, {P1}</p>")
    a = article(html, fetched_at="2024-03-20T10:00:00+07:00")
    assert (a.published[:10], a.date_source) == ("2024-03-14", "lead")


def test_the_printed_date_wins_and_metadata_gives_it_precision():
    head = '<meta property="article:published_time" content="2024-05-06T10:25:00+07:00">'
    a = article(page(head=head, after_title="<div>07/05/2024 08:00</div>"))
    assert (a.published, a.date_source) == ("2024-05-07T08:00:00+07:00", "byline")
    a = article(page(head=head, after_title="<div>Thứ Hai, 06/05/2024</div>"))
    assert (a.published, a.date_source) == ("2024-05-06T10:25:00+07:00", "meta")
    a = article(page(head=head))
    assert (a.published, a.date_source) == ("2024-05-06T10:25:00+07:00", "meta")


# -- selectors ----------------------------------------------------------------------------------

SELECTED = f"""<html><head><title>Trang chủ</title></head><body>
<div class="hd"><h1>Báo Thử Nghiệm</h1></div>
<div class="tt">{TITLE}</div><span class="tm">Thứ Hai, 06/05/2024 - 10:25</span>
<div class="sp">{SAPO}</div>
<div class="ct"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>
<div class="other"><p>{P1} {P2}</p><p>{P3} {P1}</p></div></body></html>"""


def test_source_selectors_win_when_they_match():
    sel = Selectors(title="div.tt", sapo="div.sp", body="div.ct", date="span.tm")
    result = clean_html(SELECTED, "http://bao.test/a-1.html", selectors=sel)
    a = result.article
    assert a is not None, result.reason
    assert (a.title, a.sapo, a.body) == (TITLE, SAPO, [P1, P2, P3])
    assert (a.published, a.date_source) == ("2024-05-06T10:25:00+07:00", "selector")
    assert set(result.extraction.used_selectors) == {"title", "sapo", "body", "date"}


def test_selectors_that_do_not_match_fall_back_to_the_generic_extractor():
    sel = Selectors(title="h1.nope", body="div[data-role=content]", date="#broken[")
    a = article(page(), selectors=sel)
    assert a.title == TITLE and a.body == [P1, P2, P3]
    assert article(page(), selectors={"body": "div.w2"}).body == [P1, P2, P3]


# -- attachments and provinces -------------------------------------------------------------------

def test_attachments_of_the_article_only():
    extra = '<p>Tải văn bản: <a href="/files/kh-12.pdf">Kế hoạch 12/KH-LĐLĐ</a></p>'
    after = ('<div class="f"><h3>File đính kèm</h3><a href="/dl?id=7" download>bieu-mau.docx</a></div>'
             '<div class="side"><h3>Văn bản mới</h3><a href="/vb/98-qd.pdf">98/QĐ-UBND</a></div>')
    a = article(page(body_extra=extra).replace("</div></div>", "</div>" + after + "</div>", 1))
    urls = [x["url"] for x in a.attachments]
    assert "/files/kh-12.pdf" in urls and "/dl?id=7" in urls and "/vb/98-qd.pdf" not in urls


def test_portal_footer_gives_the_province_hint_and_the_byline_counts():
    body = ("<p>Ngày 13/4, LĐLĐ thị xã tổ chức hội nghị quán triệt, triển khai Nghị quyết số "
            "02-NQ/TW của Bộ Chính trị tới cán bộ công đoàn chủ chốt của các công đoàn cơ sở trực "
            "thuộc, với sự tham dự của hơn 120 đại biểu.</p>"
            "<p>Hội nghị giúp cán bộ, đoàn viên nâng cao nhận thức về đổi mới tổ chức và hoạt "
            "động của Công đoàn Việt Nam trong tình hình mới, vận dụng sáng tạo vào thực tiễn.</p>"
            '<p style="text-align:right"><strong>Liên đoàn Lao động thị xã Kinh Môn</strong></p>')
    html = (f"<html><head><title>LĐLĐ thị xã quán triệt Nghị quyết 02</title></head><body>"
            f"<h1>LĐLĐ thị xã quán triệt Nghị quyết 02</h1><div>{body}</div>"
            "<footer>TRANG THÔNG TIN ĐIỆN TỬ PHƯỜNG HIỆP SƠN - THỊ XÃ KINH MÔN<br>"
            "Địa chỉ: Phường Hiệp Sơn - Thị xã Kinh Môn - tỉnh Hải Dương</footer></body></html>")
    a = article(html)
    assert (a.province_old, a.province_new) == ("Hải Dương", "Hải Phòng")
    assert a.author == "Liên đoàn Lao động thị xã Kinh Môn"


def test_byline_thanh_hue_is_not_hue():
    html = page().replace("</div></div>", '<p style="text-align:right"><b>Thanh Huê</b></p></div></div>', 1)
    a = article(html)
    assert a.author == "Thanh Huê" and a.province_old == "Nghệ An"


# -- the gate -----------------------------------------------------------------------------------

def _teasers(n: int, sapo: bool = True) -> str:
    return "".join(f'<div><h3><a href="/t{i}">Công đoàn tỉnh số {i} tổ chức hội nghị tổng kết '
                   f'phong trào thi đua năm</a></h3>'
                   + (f"<p>Hội nghị đánh giá kết quả phong trào, khen thưởng tập thể và cá nhân "
                      f"tiêu biểu của đơn vị số {i}.</p>" if sapo else "") + "</div>"
                   for i in range(n))


@pytest.mark.parametrize("url, html, reasons", [
    ("http://bao.test/trang-chu.htm",
     f"<html><head><title>Báo Thử</title></head><body>{_teasers(12)}</body></html>",
     {"listing", "no-title", "home-page"}),
    ("http://bao.test/cong-doan/",
     f"<html><head><title>Công đoàn</title></head><body><h1>Công đoàn</h1>{_teasers(10)}</body></html>",
     {"listing"}),
    ("http://bao.test/tim-kiem.htm?q=cong+doan",
     f"<html><body><h1>Kết quả tìm kiếm cho “công đoàn”</h1>{_teasers(8)}</body></html>",
     {"listing"}),
    ("http://bao.test/bai-da-xoa-1.html",
     "<html><body><h1>Không tìm thấy trang</h1><p>Trang bạn yêu cầu không tồn tại hoặc đã bị "
     "xóa. Vui lòng quay lại trang chủ.</p></body></html>", {"soft-404"}),
    ("http://portal.test/tin/abc",
     "<html><body><h1>Hệ thống đang bảo trì</h1><p>Cổng thông tin đang được nâng cấp. Quý độc "
     "giả vui lòng quay lại sau.</p></body></html>", {"maintenance"}),
    ("http://bao.test/a-1.ldo",
     '<html><head><script>document.cookie="D1N=abc";location.reload();</script></head><body>'
     "<noscript>Vui lòng bật JavaScript để tiếp tục.</noscript></body></html>",
     {"challenge"}),
])
def test_gate_rejects_non_articles(url, html, reasons):
    result = clean_html(html, url)
    assert result.article is None and result.reason in reasons, result.reason


def _sidebar(n: int) -> str:
    return "<div class='side'>" + "".join(
        f"<div><a href='/t{i}'>Tin khác số {i}: công đoàn các tỉnh tổ chức hoạt động chăm lo</a></div>"
        for i in range(n)) + "</div>"


def test_a_short_news_item_with_its_dateline_is_an_article_even_beside_link_lists():
    """One paragraph under a dated headline, on a page of sidebars (old VnExpress photo story)."""
    html = (f"<html><head><title>{TITLE} - Báo Thử</title></head><body>"
            f"<div class='w'><div class='d'>Thứ sáu, 28/12/2012, 14:46 GMT+7</div><h1>{TITLE}</h1>"
            f"<h2 class='lead'>{SAPO} Công nhân kiến nghị tăng tiền ăn giữa ca.</h2></div>"
            f"{_sidebar(30)}</body></html>")
    a = article(html, url="http://bao.test/tin/2012/12/doi-thoai/")        # ends in "/"
    assert a.sapo.startswith(SAPO[:40]) and a.published == "2012-12-28T14:46:00+07:00"


def test_a_home_page_calling_itself_an_article_under_its_tagline_is_not_one():
    tagline = "Trang thông tin dành cho đoàn viên công đoàn cả nước"
    html = (f"<html><head><title>{tagline}</title><meta property='og:type' content='article'>"
            f"</head><body><div class='logo-title'>{tagline}</div>"
            f"<div class='top'><a href='/a1'>Tin nổi bật: công đoàn tỉnh tổ chức hội nghị</a>"
            f"<p>{SAPO}</p></div>{_sidebar(45)}</body></html>")
    for url in ("http://bao.test/", "http://bao.test/tin/cong-doan-tinh-to-chuc-hoi-nghi-123456.html",
                ""):
        result = clean_html(html, url)
        assert result.article is None, (url, result.reason)


def test_a_tcvn3_page_is_converted_and_a_vni_page_refused_never_indexed_garbled():
    from corpus.clean import clean_bytes
    from corpus.clean.text import _TCVN3
    to_tcvn3 = str.maketrans({v: k for k, v in _TCVN3.items()})
    html = page().translate(to_tcvn3)
    data = html.replace('charset="utf-8"', 'charset="windows-1252"').encode("cp1252")
    a = clean_bytes(data, "http://bao.test/tin/doi-thoai-123.html",
                    content_type="text/html; charset=windows-1252").article
    assert a is not None and a.title == TITLE and a.body == [P1, P2, P3]
    vni = ('<html><head><meta charset="windows-1252"><title>Ngheä An</title></head><body>'
           '<h1 style="font-family: VNI-Times">Ngheä An: ñoái thoaïi vôùi coâng nhaân</h1><p>'
           + "Lieân ñoaøn Lao ñoäng tænh Ngheä An vöøa toå chöùc hoäi nghò ñoái thoaïi. " * 8
           + "</p></body></html>").encode("cp1252")
    result = clean_bytes(vni, "http://bao.test/tin/vni-1.html",
                         content_type="text/html; charset=windows-1252")
    assert result.article is None and result.reason.startswith("legacy-encoding")


def test_a_link_inside_a_sentence_stays_whatever_its_class():
    """nhandan.vn classes links to topic pages ``cms-relate``: "relate" is furniture for a box,
    not for the words "World Cup" inside a sentence."""
    html = page().replace(f"<p>{P2}</p>", '<p>Tại hội nghị, nhiều <a class="cms-relate" '
                          'href="/cong-nhan">công nhân</a> kiến nghị tăng tiền ăn giữa ca, bố trí '
                          "thêm nhà để xe và tổ chức khám sức khỏe định kỳ hai lần mỗi năm cho lao "
                          "động nữ.</p>")
    assert article(html).body[1] == P2


def test_a_photo_story_told_in_captions_keeps_them_as_its_body():
    caps = [f"{p} Ảnh {i}." for i, p in enumerate((P1, P2, P3))]
    figures = "".join(f'<figure class="box"><img src="/{i}.jpg"><figcaption><p>{c}</p>'
                      "</figcaption></figure>" for i, c in enumerate(caps))
    html = (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
            f"<div class='d'>Thứ hai, 20/07/2026 00:15</div><div class='sapo'>{SAPO}</div>"
            f"<div class='content'>{figures}</div></body></html>")
    a = article(html)
    assert a.body == caps and a.captions == []
