"""'More like this' on the article page: term choice as pure functions, then on the real index."""
from __future__ import annotations

import statistics
import time

import pytest

from indexer.search import SearchIndex, SearchRequest
from search_web import related


@pytest.fixture(scope="module")
def index(sample_data_dir):
    return SearchIndex(sample_data_dir / "index")


def record_of(index: SearchIndex, q: str) -> dict:
    hit = index.search(SearchRequest(q=q)).hits[0]
    return index.get(hit.id)


# -- choosing terms ------------------------------------------------------------------------------

def test_candidates_are_compounds_and_acronyms_without_common_words():
    terms = related.candidates("Hà Nội: Kiểm tra ATVSLĐ tại 80 doanh nghiệp, công đoàn cơ sở")
    assert {"hà nội", "kiểm tra", "atvslđ"} <= set(terms)
    assert "doanh nghiệp" not in terms and "công đoàn" not in terms   # in nearly every article
    assert not any(ch.isdigit() for t in terms for ch in t)
    assert related.candidates("") == [] and related.candidates("LĐLĐ, UBND") == []


def test_key_terms_prefer_title_terms_the_text_repeats():
    record = {"title": "Bình Dương: tập huấn an toàn, vệ sinh lao động cho công nhân",
              "sapo": "LĐLĐ tỉnh phối hợp doanh nghiệp tổ chức tập huấn phòng cháy.",
              "body": ["Lớp tập huấn về an toàn điện.", "Tập huấn phòng cháy chữa cháy."]}
    terms = related.key_terms(record)
    assert terms[0] == "tập huấn"                  # in the title and three times in the text
    assert "bình dương" in terms and len(terms) <= related.MAX_TERMS


def test_query_is_an_or_of_title_phrases_and_document_numbers():
    record = {"title": "LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch thực hiện Nghị quyết",
              "sapo": "", "body": [],
              "doc_numbers": [{"number": "119/KH-LĐLĐ"}, {"number": "02-NQ/TW"},
                              {"number": "45/2019/QH14"}, {"number": 'x" OR -y'}]}
    q = related.more_like_this_query(record)
    assert q.startswith('title:"thanh hóa"')       # canonical tone marks
    assert q.endswith(" OR so_hieu:119/KH-LĐLĐ OR so_hieu:02-NQ/TW")
    assert "45/2019" not in q                      # the first two numbers only
    record["doc_numbers"] = [{"number": 'x" OR -y'}, {"number": "a b"}]
    assert "so_hieu" not in related.more_like_this_query(record)   # nothing that bends syntax


# -- on the index --------------------------------------------------------------------------------

def test_shared_document_number_ranks_first(index):
    record = record_of(index, "119/KH-LĐLĐ")
    hits = related.more_like_this(index, record)
    assert len(hits) == related.MLT_SIZE
    assert hits[0].title.startswith("Tổng LĐLĐ Việt Nam ban hành Chương trình hành động")
    assert record["id"] not in {h.id for h in hits}
    assert len({h.id for h in hits}) == len(hits)


def test_article_and_its_syndicated_copies_are_left_out(index):
    record = record_of(index, "Tết Sum vầy")
    copies = index.copies_of(record["id"])
    assert copies
    hits = related.more_like_this(index, record, {c["id"] for c in copies})
    ids = {h.id for h in hits}
    assert record["id"] not in ids and not ids & {c["id"] for c in copies}
    assert all(h.title != record["title"] for h in hits)
    assert len(hits) == 5


def test_unrelated_article_is_filled_with_newest_stories(index):
    record = record_of(index, "xe tải")
    hits = related.more_like_this(index, record)
    assert len(hits) == 5 and record["id"] not in {h.id for h in hits}


def test_more_like_this_is_fast(index):
    """Under 50 ms of CPU per article (the demo figure is printed by bench/web_load.py)."""
    records = [index.get(h.id) for h in index.search(SearchRequest(page_size=20)).hits]
    related.more_like_this(index, records[0])          # pyvi's model loads once
    times = []
    for record in records:
        started = time.process_time()
        related.more_like_this(index, record)
        times.append((time.process_time() - started) * 1000)
    assert statistics.median(times) < 50, times
