"""The index on disk: Vietnamese matching, document numbers, query syntax, facets, updates."""
from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from corpus.record import Article, content_hash, corpus_path, read_corpus, write_corpus
from indexer.build import build_index
from indexer.generations import current_generation
from indexer.query import parse
from indexer.search import SearchIndex, SearchRequest


@pytest.fixture(scope="module")
def ix(sample_data_dir: Path) -> SearchIndex:
    return SearchIndex(sample_data_dir / "index")


def titles(ix: SearchIndex, **kw) -> list[str]:
    return [h.title for h in ix.search(SearchRequest(**kw)).hits]


def test_accented_and_unaccented_queries_find_the_same_article(ix):
    for q in ("Thanh Hóa", "thanh hoa", "Thanh Hoá", "THANH HOÁ"):
        assert titles(ix, q=q)[:1] == ["LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch 119/KH-LĐLĐ"], q


def test_nfd_query_is_normalised(ix):
    import unicodedata
    q = unicodedata.normalize("NFD", "Nghệ An")
    assert any("Nghệ An" in t for t in titles(ix, q=q))


def test_all_words_must_match(ix):
    assert titles(ix, q="Kinh Môn đoàn viên") == ["Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở"]
    assert titles(ix, q="Kinh Môn Nghệ An") == []


def test_document_numbers_are_one_token_in_any_spelling(ix):
    for q in ("119/KH-LĐLĐ", "119/kh-lđlđ", "119 / KH - LĐLĐ", "so_hieu:119/KH-LĐLĐ"):
        assert titles(ix, q=q) == ["LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch 119/KH-LĐLĐ"], q
    both = titles(ix, q="02-NQ/TW")
    assert len(both) == 2 and all("02" in t or "119" in t for t in both)


def test_exclusion_phrase_and_or(ix):
    assert "Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở" not in titles(ix, q="công đoàn -Kinh")
    assert titles(ix, q="công đoàn -Kinh")  # the rest still found
    # "tấn công đoàn xe" contains the syllables but not the phrase "công đoàn cơ sở".
    assert titles(ix, q='"công đoàn cơ sở"') and all(
        "tấn công" not in t for t in titles(ix, q='"công đoàn cơ sở"'))
    either = titles(ix, q="Kinh OR Sum")
    assert len(either) == 2


@pytest.mark.parametrize("q", ['"unbalanced', "-", "title:", "so_hieu:", "OR", "((", "*",
                               "x" * 5000, '-"', "title:\"", "\x00", "🙂"])
def test_broken_syntax_never_raises(ix, q):
    result = ix.search(SearchRequest(q=q))
    assert result.total >= 0


def test_empty_query_browses_newest_first(ix):
    hits = ix.search(SearchRequest(q="")).hits
    dates = [h.published for h in hits]
    assert dates == sorted(dates, reverse=True)


def test_syndicated_copies_collapse_with_a_count(ix):
    result = ix.search(SearchRequest(q="Tết Sum vầy"))
    assert [h.title for h in result.hits] == ["Công đoàn Nghệ An chăm lo Tết Sum vầy cho công nhân"]
    assert result.hits[0].copies == 1
    assert result.total == 1


def test_facet_counts_are_disjunctive(ix):
    base = ix.search(SearchRequest(q=""))
    provinces = {v.value: v.count for v in base.facets["province"]}
    assert provinces["Nghệ An"] == 1 and provinces["Thanh Hóa"] == 1   # copies count once
    picked = ix.search(SearchRequest(q="", provinces=("Thanh Hóa",)))
    counts = {v.value: (v.count, v.selected) for v in picked.facets["province"]}
    assert counts["Thanh Hóa"] == (1, True)
    assert counts["Nghệ An"][0] == 1          # still counted while Thanh Hóa is selected
    assert [h.title for h in picked.hits] == ["LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch 119/KH-LĐLĐ"]
    years = {v.value: v.count for v in picked.facets["year"]}
    assert years == {"2021": 1}               # other facets follow the selection


def test_old_and_new_province_schemes(ix):
    new = ix.search(SearchRequest(provinces=("Hải Phòng",)))
    old = ix.search(SearchRequest(provinces=("Hải Dương",), scheme="old"))
    assert [h.title for h in new.hits] == [h.title for h in old.hits] == [
        "Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở"]
    assert {v.value for v in old.facets["province"]} >= {"Hải Dương", "Bình Dương"}


def test_date_range_and_sort(ix):
    r = ix.search(SearchRequest(date_from=date(2021, 7, 1), date_to=date(2021, 12, 31),
                                sort="oldest"))
    assert [h.published[:10] for h in r.hits] == ["2021-07-20", "2021-08-16"]


def test_type_facet_from_document_numbers(ix):
    r = ix.search(SearchRequest(types=("CTr",)))
    assert [h.title for h in r.hits] == [
        "Tổng LĐLĐ Việt Nam ban hành Chương trình hành động 02/CTr-BCH"]


def test_snippet_highlights_and_escapes(ix):
    hit = ix.search(SearchRequest(q="Nghi Lộc")).hits[0]
    assert "<mark" in hit.snippet and "Nghi" in hit.snippet


def test_paging_is_bounded(ix):
    r = ix.search(SearchRequest(page=10**9))
    assert r.hits == [] and r.notes
    r = ix.search(SearchRequest(page_size=10**6))
    assert r.request.page_size == 100


def test_parse_keeps_exclusions_out_of_highlighting():
    parsed = parse('Thanh Hoá -"Nghệ An" so_hieu:02-NQ/TW')
    assert [c.negate for c in parsed.clauses].count(True) == 1
    assert any(c.doc_number == "02-nq/tw" for c in parsed.clauses)


def test_incremental_update_adds_changes_and_deletes(sample_data_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    articles = list(read_corpus(corpus_path(data)))
    changed = articles[0]
    changed.title = "Thanh Hóa: tiêu đề đã sửa về kế hoạch"
    changed.content_hash = content_hash(changed.title, changed.sapo, changed.body)
    removed = articles.pop(1)
    new = Article(url="http://bao.test/moi.htm", title="Bài mới về Quảng Ninh",
                  sapo="Công nhân mỏ than Quảng Ninh.", body=["Nội dung bài mới " * 10],
                  published="2025-09-01T08:00:00+07:00", province_old="Quảng Ninh",
                  province_new="Quảng Ninh", content_hash="x")
    write_corpus(corpus_path(data), [*articles, new])
    gen_before = current_generation(data / "index")
    stats = build_index(corpus_path(data), data / "index")
    assert (stats.added, stats.updated, stats.deleted) == (1, 1, 1)
    assert current_generation(data / "index") == gen_before      # same generation, new commit
    ix = SearchIndex(data / "index")
    assert titles(ix, q="tiêu đề đã sửa") == ["Thanh Hóa: tiêu đề đã sửa về kế hoạch"]
    assert titles(ix, q="Quảng Ninh") == ["Bài mới về Quảng Ninh"]
    assert ix.get(removed.id) is None
    again = build_index(corpus_path(data), data / "index")
    assert (again.added, again.updated, again.deleted) == (0, 0, 0)


def test_rebuild_flips_generation_and_open_readers_keep_working(sample_data_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    ix = SearchIndex(data / "index")
    before = ix.search(SearchRequest(q="Kinh Môn")).total
    old_gen = current_generation(data / "index")
    build_index(corpus_path(data), data / "index", rebuild=True)
    assert current_generation(data / "index") != old_gen
    assert ix.search(SearchRequest(q="Kinh Môn")).total == before   # old reader still fine
    ix.refresh()
    assert ix.search(SearchRequest(q="Kinh Môn")).total == before


def test_article_record_round_trips(ix):
    hit = ix.search(SearchRequest(q="Kinh Môn")).hits[0]
    record = ix.get(hit.id)
    assert record["province_old"] == "Hải Dương" and record["province_new"] == "Hải Phòng"
    assert json.dumps(record, ensure_ascii=False)


EQUIVALENCE_QUERIES = ["Thanh Hóa", "thanh hoa", "công đoàn -Kinh", '"công đoàn cơ sở"',
                       "Kinh OR Sum", "119/KH-LĐLĐ", "02-NQ/TW", "title:Nghệ", "người lao động",
                       "đoàn viên công đoàn", "Tết Sum vầy", '-"Nghệ An" công đoàn', "xyzzy"]


def assert_same_as_whoosh(index_dir: Path) -> None:
    """The NumPy evaluator matches exactly Whoosh's documents, with Whoosh's scores."""
    import numpy as np
    from whoosh import index as whoosh_index

    from indexer.query import to_whoosh
    from indexer.whooshfast import Evaluator, PostingCache

    searcher = whoosh_index.open_dir(str(current_generation(index_dir))).searcher()
    evaluator = Evaluator(searcher, PostingCache())
    for q in EQUIVALENCE_QUERIES:
        query = to_whoosh(parse(q))
        expected = {docnum: score for score, docnum in searcher.search(query, limit=None).top_n}
        got = evaluator.evaluate(query)
        assert set(np.flatnonzero(got.mask).tolist()) == set(expected), q
        for docnum, score in expected.items():
            assert got.score[docnum] == pytest.approx(score, rel=1e-9), q


def test_fast_evaluator_gives_whoosh_scores(sample_data_dir):
    assert_same_as_whoosh(sample_data_dir / "index")


def test_fast_evaluator_across_segments_and_deletions(sample_data_dir, tmp_path):
    from whoosh import index as whoosh_index

    from indexer.build import to_document

    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    ix = whoosh_index.open_dir(str(current_generation(data / "index")))
    writer = ix.writer()
    for a in list(read_corpus(corpus_path(data)))[:3]:
        a.sapo += " Công đoàn cơ sở tiếp tục chăm lo người lao động."
        writer.update_document(**{k: v for k, v in to_document(a).items() if v is not None})
    writer.commit(merge=False)                     # a second segment; three deletions in the first
    with ix.reader() as reader:
        assert len(reader.leaf_readers()) == 2 and reader.doc_count_all() == 10
    assert_same_as_whoosh(data / "index")


def test_page_ranking_follows_scores_and_collapses_copies(ix):
    result = ix.search(SearchRequest(q="công đoàn", page_size=100))
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True) and len(result.hits) == result.total
    assert len({h.title for h in result.hits}) == len(result.hits)      # copies collapsed
    second = ix.search(SearchRequest(q="công đoàn", page=2, page_size=2)).hits
    assert [h.id for h in second] == [h.id for h in result.hits[2:4]]


def test_an_empty_index_answers_every_request(tmp_path):
    write_corpus(corpus_path(tmp_path), [])
    build_index(corpus_path(tmp_path), tmp_path / "index")
    ix = SearchIndex(tmp_path / "index")
    for req in (SearchRequest(q="công đoàn"), SearchRequest(q='"công đoàn"'), SearchRequest(),
                SearchRequest(provinces=("Hà Nội",), date_from=date(2021, 1, 1))):
        result = ix.search(req)
        assert result.total == 0 and result.hits == []


def test_constructs_the_fast_path_lacks_are_answered_by_whoosh(ix, monkeypatch):
    from whoosh import query as Q

    import indexer.search

    monkeypatch.setattr(indexer.search, "to_whoosh",
                        lambda parsed, searcher: Q.Prefix("body", "tập"))
    result = ix.search(SearchRequest(q="anything"))
    assert [h.title for h in result.hits] == [
        "Bình Dương: tập huấn an toàn, vệ sinh lao động cho 500 công nhân"]
    assert result.facets["province"][0].value == "Hồ Chí Minh"


def test_snippet_finds_a_match_deep_in_a_long_paragraph(tmp_path):
    filler = "Nội dung không liên quan đến truy vấn. " * 80
    body = ["Đoạn đầu.", filler + "Công nhân khu chế xuất nhận thưởng Tết. " + filler]
    write_corpus(corpus_path(tmp_path), [Article(url="http://bao.test/dai.htm", title="Bài dài",
                                                 sapo="Mở đầu.", body=body, content_hash="x")])
    build_index(corpus_path(tmp_path), tmp_path / "index")
    hit = SearchIndex(tmp_path / "index").search(SearchRequest(q="khu chế xuất")).hits[0]
    assert '<mark class="match term0">khu chế xuất</mark>' in hit.snippet and "thưởng Tết" in hit.snippet
    assert len(hit.snippet) < 600


@pytest.mark.parametrize("official_first_in_corpus", [False, True])
def test_identical_copies_are_represented_by_the_one_that_names_its_number(
        tmp_path, official_first_in_corpus):
    body = ["Ban Thường vụ yêu cầu các cấp công đoàn tổ chức đối thoại với người lao động "
            "tại doanh nghiệp trước ngày 30 tháng 6."]
    sapo = "Hướng dẫn tổ chức đối thoại định kỳ."
    copies = [Article(url=f"http://{site}.test/a.htm", title=title, sapo=sapo, body=body,
                      content_hash=content_hash(title, sapo, body), dup_key="same-story")
              for site, title in (("bao", "Tổ chức đối thoại trước tháng 7"),
                                  ("ldld", "Hướng dẫn 15/HD-LĐLĐ về đối thoại"))]
    if official_first_in_corpus:
        copies.reverse()
    write_corpus(corpus_path(tmp_path), copies)
    build_index(corpus_path(tmp_path), tmp_path / "index")
    result = SearchIndex(tmp_path / "index").search(SearchRequest(q="người lao động tại doanh nghiệp"))
    assert [(h.title, h.copies) for h in result.hits] == [
        ("Hướng dẫn 15/HD-LĐLĐ về đối thoại", 1)]


def test_numeric_columns_missing_from_an_older_index_read_as_zero(tmp_path):
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, NUMERIC, Schema

    from indexer.whooshfast import numeric_column

    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True),
                                                      date_sort=NUMERIC(sortable=True)))
    with ix.writer() as writer:
        writer.add_document(id="a", date_sort=7)
        writer.add_document(id="b", date_sort=9)
    with ix.reader() as reader:
        assert numeric_column(reader, "date_sort").tolist() == [7, 9]
        assert numeric_column(reader, "official").tolist() == [0, 0]


def test_a_search_past_its_deadline_returns_what_it_has_and_says_so(sample_data_dir):
    from indexer.search import DEADLINE_NOTE
    index = SearchIndex(sample_data_dir / "index")
    normal = index.search(SearchRequest(q="công đoàn"))
    assert DEADLINE_NOTE not in normal.notes
    index.search_seconds = -10.0                      # already late: only required work
    late = index.search(SearchRequest(q="công đoàn"))
    assert DEADLINE_NOTE in late.notes
    assert late.total == normal.total                 # the matches are never cut
    assert {h.id for h in late.hits} == {h.id for h in normal.hits}
    assert all(h.snippet_skipped and "<mark" not in h.snippet for h in late.hits)
    question = index.search(SearchRequest(q="công đoàn cơ sở ở đâu tổ chức hội nghị người "
                                            "lao động thế nào?"))
    assert DEADLINE_NOTE in question.notes            # an OR keeps what it has evaluated
    index.close()


def test_snippets_mark_the_phrase_that_matched_not_each_syllable(tmp_path):
    body = ["Công ty may mặc tặng quà cho đoàn viên; hoạt động công đoàn được duy trì đều đặn."]
    write_corpus(corpus_path(tmp_path), [Article(url="http://bao.test/cd.htm", title="Quà Tết",
                                                 sapo="Mở đầu.", body=body, content_hash="x")])
    build_index(corpus_path(tmp_path), tmp_path / "index")
    for q in ("công đoàn", "cong doan"):
        snippet = SearchIndex(tmp_path / "index").search(SearchRequest(q=q)).hits[0].snippet
        marked = re.findall(r"<mark[^>]*>([^<]*)</mark>", snippet)
        assert marked == ["công đoàn"], (q, snippet)
