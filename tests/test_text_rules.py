"""Vietnamese text rules shared by cleaner and indexer: normalisation, numbers, near-duplicates."""
from __future__ import annotations

import unicodedata

import pytest

from corpus.dedupe import dup_keys, simhash
from corpus.docnumbers import find_doc_numbers, parse_doc_number
from corpus.textnorm import canon, fold, repair_mojibake, tidy


@pytest.mark.parametrize("raw, expected", [
    ("Thanh Hoá", "Thanh Hóa"), ("hoà bình", "hòa bình"), ("Uỷ ban", "Ủy ban"),
    ("thoả ước", "thỏa ước"), ("quý", "quý"), ("hoàn thành", "hoàn thành"), ("toán", "toán"),
    ("HOÁ", "HÓA"), ("khoẻ", "khỏe"),
])
def test_canon_moves_tone_to_one_place(raw, expected):
    assert canon(raw) == expected


def test_canon_makes_nfd_nfc():
    nfd = unicodedata.normalize("NFD", "Công đoàn Việt Nam")
    assert "Công đoàn" not in nfd
    assert canon(nfd) == "Công đoàn Việt Nam"


def test_fold_and_tidy():
    assert fold("Liên đoàn Lao động Đà Nẵng") == "Lien doan Lao dong Da Nang"
    assert tidy("  a\u00a0 b \n\n c\u200b ") == "a b\nc"


def test_mojibake_repaired():
    good = "Liên đoàn Lao động tỉnh Thanh Hóa"
    broken = good.encode("utf-8").decode("cp1252", errors="replace")
    assert repair_mojibake(broken) == good
    assert repair_mojibake(good) == good


def test_doc_numbers_in_canonical_form():
    text = ("Kế hoạch số 119/KH-LĐLĐ thực hiện Nghị quyết 02 - NQ/TW; Số: *41* - KH/ThU; "
            "145/2020/NĐ-CP; Bộ luật 45/2019/QH14; 02/CTr-BCH; ngày 12/6/2021")
    numbers = [(d.number, d.type, d.issuer) for d in find_doc_numbers(text)]
    assert numbers == [("119/KH-LĐLĐ", "KH", "LĐLĐ"), ("02-NQ/TW", "NQ", "TW"),
                       ("41-KH/ThU", "KH", "ThU"), ("145/2020/NĐ-CP", "NĐ", "CP"),
                       ("45/2019/QH14", "QH", "QH14"), ("02/CTr-BCH", "CTr", "BCH")]


def test_dates_and_fractions_are_not_numbers():
    assert find_doc_numbers("ngày 12/6/2021, tỷ lệ 3/4, 10-11/2023") == []


def test_query_that_is_a_number():
    found = parse_doc_number("02-nq/tw")
    assert (found.key, found.type) == ("02-nq/tw", "NQ")
    assert parse_doc_number("số 119 / KH - LĐLĐ").key == "119/kh-lđlđ"
    assert parse_doc_number("kế hoạch 119/KH-LĐLĐ thanh hóa") is None


def test_near_duplicates_share_a_key_and_others_do_not():
    story = " ".join(f"Công nhân khu công nghiệp số {i} nhận quà Tết của công đoàn." for i in
                     range(30))
    copy = story.replace("số 7 ", "số bảy ")
    other = " ".join(f"Người lao động tỉnh {i} tham gia tập huấn an toàn." for i in range(30))
    keys = dup_keys([story, copy, other], ["a", "b", "c"])
    assert keys[0] == keys[1] == "a" and keys[2] == "c"
    assert bin(simhash(story) ^ simhash(copy)).count("1") <= 3
