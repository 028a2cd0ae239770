"""Gazetteer tables (63 old / 34 new provinces, the 2025 merger) and the article province matcher."""
from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from corpus import gazetteer as gz
from corpus.gazetteer import (
    NATIONAL,
    all_districts,
    all_new,
    all_old,
    detect_province,
    new_province,
    old_province,
    old_to_new,
)
from corpus.textnorm import canon

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


# ------------------------------------------------------------------ tables


def test_counts():
    assert len(all_old()) == 63
    assert len(all_new()) == 34
    assert len({p.code for p in all_old()}) == 63
    assert len(all_districts()) >= 696


def test_every_old_code_maps_to_a_new_one_and_back():
    new_codes = {p.code for p in all_new()}
    for p in all_old():
        assert old_to_new(p.code) in new_codes, p
        assert p.code in new_province(p.new_code).old_codes, p
    assert sorted(c for n in all_new() for c in n.old_codes) == sorted(p.code for p in all_old())


@pytest.mark.parametrize("old_code, old_name, new_code, new_name", [
    ("30", "Hải Dương", "31", "Hải Phòng"),
    ("74", "Bình Dương", "79", "Hồ Chí Minh"),
    ("77", "Bà Rịa - Vũng Tàu", "79", "Hồ Chí Minh"),
    ("62", "Kon Tum", "51", "Quảng Ngãi"),
    ("82", "Tiền Giang", "82", "Đồng Tháp"),
    ("02", "Hà Giang", "08", "Tuyên Quang"),
    ("80", "Long An", "80", "Tây Ninh"),
    ("72", "Tây Ninh", "80", "Tây Ninh"),
    ("24", "Bắc Giang", "24", "Bắc Ninh"),
    ("27", "Bắc Ninh", "24", "Bắc Ninh"),
    ("17", "Hòa Bình", "25", "Phú Thọ"),
    ("67", "Đắk Nông", "68", "Lâm Đồng"),
    ("93", "Hậu Giang", "92", "Cần Thơ"),
    ("46", "Thừa Thiên Huế", "46", "Huế"),
    ("38", "Thanh Hóa", "38", "Thanh Hóa"),
])
def test_merger_table(old_code, old_name, new_code, new_name):
    assert old_province(old_code).name == old_name
    assert old_to_new(old_code) == new_code
    assert new_province(new_code).name == new_name


def test_tien_giang_only_in_dong_thap():
    assert new_province("80").old_codes == ("72", "80")   # Tây Ninh: not Tiền Giang
    assert new_province("82").old_codes == ("82", "87")


def test_names_and_labels():
    assert old_province("79").full_name == "thành phố Hồ Chí Minh"
    assert old_province("38").full_name == "tỉnh Thanh Hóa"
    assert new_province("31").label == "TP Hải Phòng (gồm Hải Dương cũ)"
    assert new_province("38").label == "Thanh Hóa"
    assert "TP.HCM" in old_province("79").aliases and "Sài Gòn" in old_province("79").aliases
    assert "BR-VT" in old_province("77").aliases
    assert "TT-Huế" in old_province("46").aliases


@pytest.mark.parametrize("query, code", [
    ("Thanh Hoá", "38"), ("Thanh Hóa", "38"), (unicodedata.normalize("NFD", "Thanh Hóa"), "38"),
    ("tỉnh Thanh Hóa", "38"), ("thanh hoa", "38"), (38, "38"), ("1", "01"),
    ("TP.HCM", "79"), ("TP. HCM", "79"), ("thành phố Hồ Chí Minh", "79"), ("Sài Gòn", "79"),
    ("Bà Rịa-Vũng Tàu", "77"), ("BR-VT", "77"), ("Huế", "46"), ("Hoà Bình", "17"),
])
def test_old_lookup(query, code):
    assert old_province(query).code == code


def test_new_lookup_only_knows_new_names():
    assert new_province("Hải Phòng").code == "31"
    assert new_province("Thừa Thiên Huế").code == "46"
    assert new_province("Hải Dương") is None
    assert old_province("Atlantis") is None
    with pytest.raises(KeyError):
        old_to_new("99")


def test_tsv_files_are_canonical():
    for name in ("provinces_old.tsv", "provinces_new.tsv", "districts_old.tsv"):
        with (gz.DATA_DIR / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        assert len({len(r) for r in rows}) == 1, name
        for row in rows:
            for cell in row:
                assert cell == canon(cell) == unicodedata.normalize("NFC", cell), (name, cell)


@pytest.mark.skipif(importlib.util.find_spec("vietnamadminunits") is None,
                    reason="vietnamadminunits (build-time tool) not installed")
def test_tsv_files_match_the_build_script():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "override" not in proc.stderr   # the package agrees with the notes' merger table


# ------------------------------------------------------------------ matcher


def guess(title: str, sapo: str = "", body: str = "", hint: str | None = None) -> tuple[str, str]:
    g = detect_province(title, sapo, body, hint)
    return g.old_name, g.new_name


def test_plain_province_in_title():
    g = detect_province("LĐLĐ tỉnh Thanh Hóa ban hành kế hoạch thực hiện Nghị quyết 02")
    assert (g.old_code, g.new_code, g.old_name, g.new_name) == ("38", "38", "Thanh Hóa", "Thanh Hóa")
    assert g.evidence == ["tỉnh Thanh Hóa"] and g.score == gz.TITLE_W


def test_tone_variants_and_nfd_are_equal():
    a = detect_province("Công đoàn Thanh Hoá trao quà cho công nhân")
    b = detect_province("Công đoàn Thanh Hóa trao quà cho công nhân")
    c = detect_province(unicodedata.normalize("NFD", "Công đoàn Thanh Hóa trao quà cho công nhân"))
    assert a.old_code == b.old_code == c.old_code == "38"


def test_hcm_person_is_national():
    assert guess("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                 "Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh, Đoàn TNCS Hồ Chí Minh tổ chức mít tinh.") \
        == (NATIONAL, NATIONAL)


@pytest.mark.parametrize("title", [
    "Công nhân TP.HCM nhận quà Tết", "Công nhân TP. HCM nhận quà Tết",
    "Công nhân Thành phố Hồ Chí Minh nhận quà Tết", "Công nhân TPHCM nhận quà Tết",
    "Công nhân Sài Gòn nhận quà Tết", "LĐLĐ TP Hồ Chí Minh trao quà Tết",
])
def test_hcm_forms(title):
    assert guess(title) == ("Hồ Chí Minh", "Hồ Chí Minh")


def test_byline_is_not_hue():
    body = "Công nhân được hỗ trợ tiền thuê nhà trong đợt dịch.\nThanh Huê\n"
    assert guess("Hỗ trợ công nhân thuê trọ", "", body) == (NATIONAL, NATIONAL)
    body2 = "Công nhân được hỗ trợ tiền thuê nhà trong đợt dịch.\nThanh Huế\n"
    assert guess("Hỗ trợ công nhân thuê trọ", "", body2) == (NATIONAL, NATIONAL)
    assert guess("Món ngon Huế và Đại học Huế") == (NATIONAL, NATIONAL)


@pytest.mark.parametrize("title", ["LĐLĐ thành phố Huế tổ chức hội nghị", "Tỉnh ủy Thừa Thiên Huế chỉ đạo",
                                   "Công đoàn TT-Huế thăm công nhân", "Thành ủy Huế ban hành kế hoạch"])
def test_hue_needs_a_unit_word(title):
    assert guess(title) == ("Thừa Thiên Huế", "Huế")


def test_shared_district_alone_is_not_resolved():
    assert guess("LĐLĐ huyện Châu Thành trao quà cho đoàn viên") == (NATIONAL, NATIONAL)


def test_shared_district_resolves_with_its_province():
    assert guess("LĐLĐ huyện Châu Thành trao quà cho đoàn viên",
                 "Hoạt động diễn ra tại tỉnh Tiền Giang.") == ("Tiền Giang", "Đồng Tháp")
    assert guess("LĐLĐ huyện Châu Thành trao quà cho đoàn viên",
                 hint="Tiền Giang") == ("Tiền Giang", "Đồng Tháp")


def test_district_after_unit_word():
    g = detect_province("LĐLĐ thị xã Kinh Môn tổ chức hội nghị quán triệt Nghị quyết 02")
    assert (g.old_code, g.old_name, g.new_code, g.new_name, g.scheme) == \
        ("30", "Hải Dương", "31", "Hải Phòng", "old")
    assert guess("Thành ủy Đà Lạt ban hành kế hoạch") == ("Lâm Đồng", "Lâm Đồng")
    assert guess("Công đoàn thành phố Đà Lạt ra quân") == ("Lâm Đồng", "Lâm Đồng")
    assert guess("LĐLĐ Quận 1 khen thưởng") == ("Hồ Chí Minh", "Hồ Chí Minh")
    # the same name as a district elsewhere: "huyện Quảng Ninh" is in Quảng Bình
    assert guess("Công an huyện Quảng Ninh khởi tố vụ án") == ("Quảng Bình", "Quảng Trị")
    assert guess("Công đoàn huyện Hòa Bình nhận bằng khen") == ("Bạc Liêu", "Cà Mau")
    assert guess("Công đoàn thành phố Hòa Bình nhận bằng khen") == ("Hòa Bình", "Phú Thọ")


def test_district_name_without_unit_word_is_ignored():
    assert guess("Kinh Môn đón nhận bằng khen") == (NATIONAL, NATIONAL)


def test_names_are_word_and_name_bounded():
    assert guess("Ông Nguyễn Thái Bình nhận giải thưởng") == (NATIONAL, NATIONAL)
    assert guess("Tàu hàng vượt Thái Bình Dương") == (NATIONAL, NATIONAL)
    assert guess("Hội đồng hương Hà Nam Ninh gặp mặt") == (NATIONAL, NATIONAL)
    assert guess("Công ty Long Anh tuyển dụng") == (NATIONAL, NATIONAL)
    assert guess("long an toàn lao động") == (NATIONAL, NATIONAL)   # lower case is not a name
    assert guess("LIÊN ĐOÀN LAO ĐỘNG TỈNH LONG AN") == ("Long An", "Tây Ninh")


def test_related_list_does_not_beat_title_evidence():
    body = ("Công đoàn tỉnh tiếp tục đổi mới hoạt động.\n" + "x " * 250 + "\nTin cùng chuyên mục\n"
            + "LĐLĐ tỉnh Long An hỗ trợ công nhân khó khăn\n" * 3
            + "Long An: trao 500 suất quà cho người lao động\n")
    assert guess("Công đoàn Hà Tĩnh chủ động đổi mới tổ chức", "", body) == ("Hà Tĩnh", "Hà Tĩnh")
    # without title evidence, the same Long An votes win: the list is all the text says
    assert guess("Công đoàn chủ động đổi mới tổ chức", "", body) == ("Long An", "Tây Ninh")


def test_close_vote_without_title_evidence_is_national():
    sapo = "Đoàn công tác của LĐLĐ tỉnh Nghệ An làm việc với LĐLĐ tỉnh Hà Tĩnh."
    assert guess("Trao đổi kinh nghiệm hoạt động công đoàn", sapo) == (NATIONAL, NATIONAL)
    # the source's own province breaks the tie
    assert guess("Trao đổi kinh nghiệm hoạt động công đoàn", sapo, hint="Hà Tĩnh") == ("Hà Tĩnh", "Hà Tĩnh")


def test_hint_alone_does_not_make_an_article_local():
    assert guess("Tổng Liên đoàn Lao động Việt Nam tổ chức hội nghị",
                 hint="Thanh Hóa") == (NATIONAL, NATIONAL)


def test_national_federation_alone_is_national():
    g = detect_province("Tổng Liên đoàn Lao động Việt Nam ban hành Chương trình 02/CTr-BCH",
                        "Ban Chấp hành Tổng LĐLĐ Việt Nam yêu cầu các LĐLĐ tỉnh, thành phố triển khai.")
    assert g.is_national and g.old_name == g.new_name == NATIONAL and g.old_code == g.new_code == ""


def test_single_mention_deep_in_body_is_not_enough():
    body = "Người lao động được chăm lo. " * 30 + "Đoàn đã đến thăm Hà Nội."
    assert guess("Chăm lo đời sống người lao động", "", body) == (NATIONAL, NATIONAL)


def test_post_merger_old_marker():
    g = detect_province("LĐLĐ tỉnh Bắc Ninh (Bắc Giang cũ) thăm công nhân khu công nghiệp")
    assert (g.old_name, g.new_name, g.scheme) == ("Bắc Giang", "Bắc Ninh", "new")
    g = detect_province("Doanh nghiệp ở khu vực Bình Dương (cũ) tăng lương cho công nhân")
    assert (g.old_code, g.new_code, g.scheme) == ("74", "79", "new")


def test_post_merger_new_name():
    g = detect_province("Công đoàn TP Hải Phòng sau sáp nhập có hơn 600.000 đoàn viên")
    assert (g.old_name, g.new_name, g.scheme) == ("Hải Phòng", "Hải Phòng", "new")
    g = detect_province("TP Huế ra mắt Công đoàn ngành mới")
    assert (g.old_name, g.new_name) == ("Thừa Thiên Huế", "Huế")


def test_weights_sapo_and_lead():
    # one sapo mention (3) against one mention in the body's lead (2): a gap of 1 is not below
    # the margin max(1, 20 % of 3), so the sapo's province wins
    assert guess("Hội nghị công đoàn", "LĐLĐ tỉnh Nghệ An tổ chức hội nghị.",
                 "Đại biểu tỉnh Hà Tĩnh dự.") == ("Nghệ An", "Nghệ An")


def test_speed():
    text = ("Ban Chấp hành LĐLĐ tỉnh Thanh Hóa vừa ban hành Kế hoạch số 119/KH-LĐLĐ thực hiện "
            "Nghị quyết 02-NQ/TW của Bộ Chính trị về đổi mới tổ chức Công đoàn Việt Nam. ") * 30
    detect_province("warm-up")
    t0 = time.perf_counter()
    for _ in range(20):
        detect_province("LĐLĐ Thanh Hóa cụ thể hóa Nghị quyết 02", "", text)
    per_doc = (time.perf_counter() - t0) / 20
    assert per_doc < 0.01, f"{per_doc * 1000:.1f} ms for {len(text)} chars"


# ------------------------------------------------------------------ real pages (../shared)


SEEDS = {
    "000": ("38", "38"),      # Thanh Hóa
    "001": ("42", "42"),      # Hà Tĩnh, despite Long An in its related list
    "002": ("", ""),          # Tổng LĐLĐ: Toàn quốc
    "003": ("30", "31"),      # thị xã Kinh Môn, Hải Dương -> Hải Phòng
    "004": ("68", "68"),      # Thành ủy Đà Lạt, Lâm Đồng
}


@pytest.mark.shared
@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_pages(prefix):
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds not present")
    (path,) = sorted((SHARED / "seeds").glob(f"{prefix}_*.txt"))
    g = detect_province("", "", path.read_text(encoding="utf-8"))   # whole page, boilerplate included
    assert (g.old_code, g.new_code) == SEEDS[prefix], g


@pytest.mark.parametrize("title, body, expected", [
    # a post-2025 article names only the new province and a new commune
    ("Công đoàn phường Thủ Dầu Một trao quà Tết",
     "Ngày 10/1/2026, Công đoàn phường Thủ Dầu Một, TP Hồ Chí Minh trao 200 suất quà.",
     ("Bình Dương", "Hồ Chí Minh")),
    ("Công đoàn xã Tân Yên trao quà", "Công đoàn xã Tân Yên, tỉnh Bắc Ninh trao quà cho đoàn viên.",
     ("Bắc Giang", "Bắc Ninh")),
    ("Công đoàn phường Sài Gòn trao quà", "Công đoàn phường Sài Gòn, TP Hồ Chí Minh trao quà.",
     ("Hồ Chí Minh", "Hồ Chí Minh")),
    # a company whose name holds a province, and places in passing
    ("Công nhân Công ty May Thái Bình ở Hà Nội được tăng lương",
     "Ngày 5/3, Công ty CP May Thái Bình (quận Long Biên, Hà Nội) tổ chức hội nghị người lao động.",
     ("Hà Nội", "Hà Nội")),
    ("LĐLĐ tỉnh Nghệ An thăm công nhân",
     "Đoàn LĐLĐ tỉnh Nghệ An thăm công nhân. Nhiều công nhân quê ở Hà Tĩnh, Thanh Hóa.",
     ("Nghệ An", "Nghệ An")),
])
def test_old_province_of_a_new_commune_and_names_in_passing(title, body, expected):
    pytest.importorskip("vietnamadminunits")
    g = detect_province(title, "", body)
    assert (g.old_name, g.new_name) == expected
