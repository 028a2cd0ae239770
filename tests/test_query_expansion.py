"""Query-side knowledge on a real on-disk index: abbreviation synonyms both ways, bare document
references through the numbers the index holds, diacritic restoration, and the choice between
keyword (AND) and question (OR) mode."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from corpus.docnumbers import find_doc_numbers
from corpus.record import Article, article_id, content_hash, corpus_path, write_corpus
from indexer.build import build_index
from indexer.docrefs import find_refs, full_numbers
from indexer.generations import current_generation
from indexer.query import parse, to_whoosh
from indexer.restore import Restorer
from indexer.search import SearchIndex, SearchRequest

# (slug, title, body)
DOCS = [
    ("nld-long", "Chăm lo đời sống người lao động dịp cuối năm",
     "Công đoàn thăm hỏi người lao động có hoàn cảnh khó khăn."),
    ("nld-short", "Hỗ trợ NLĐ bị mất việc tại Bình Dương",
     "Nhiều NLĐ được nhận trợ cấp từ quỹ xã hội."),
    ("ldld-long", "Liên đoàn Lao động tỉnh Nghệ An tổng kết năm",
     "Hội nghị đánh giá phong trào thi đua trong năm qua."),
    ("ldld-short", "LĐLĐ tỉnh Hà Tĩnh trao quà Tết",
     "Ban Thường vụ trao 500 suất quà cho đoàn viên."),
    ("nq02-tw", "Đổi mới tổ chức và hoạt động Công đoàn theo tinh thần 02-NQ/TW",
     "Các cấp công đoàn quán triệt tinh thần 02-NQ/TW của Bộ Chính trị."),
    ("nq02-cp", "Chính phủ ban hành 02/NQ-CP về cải thiện môi trường kinh doanh",
     "Văn bản 02/NQ-CP nêu các giải pháp trọng tâm trong năm."),
    ("kcn-cs", "Thành lập công đoàn cơ sở tại khu công nghiệp Nam Cấm",
     "Công đoàn cơ sở mới có 300 đoàn viên, người lao động phấn khởi."),
    ("thanh-hoa", "Thanh Hóa tổ chức tháng công nhân",
     "Tỉnh Thanh Hóa phát động tháng công nhân tại các doanh nghiệp."),
    ("hoa", "Hội hoa xuân tại công viên",
     "Người dân đi xem hoa, mua hoa và chụp ảnh bên những bông hoa."),
    ("co-so", "Khai trương cơ sở y tế mới",
     "Cơ sở khám bệnh phục vụ công nhân khu công nghiệp."),
]


def _article(slug: str, title: str, body: str) -> Article:
    numbers = [{"number": d.number, "type": d.type, "issuer": d.issuer}
               for d in find_doc_numbers(title + "\n" + body)]
    return Article(url=f"http://bao.test/{slug}.htm", title=title, body=[body],
                   doc_numbers=numbers, content_hash=content_hash(title, "", [body]),
                   published="2024-01-01T08:00:00+07:00")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("expansion")
    write_corpus(corpus_path(data), [_article(*d) for d in DOCS])
    build_index(corpus_path(data), data / "index", procs=1)
    return data / "index"


@pytest.fixture(scope="module")
def searcher(index_dir):
    s = whoosh_index.open_dir(str(current_generation(index_dir))).searcher()
    yield s
    s.close()


def slugs(searcher, q: str, with_index: bool = True) -> list[str]:
    """Slugs of the matching documents, best first (``with_index``: the builder may consult
    the index, as the search engine lets it)."""
    ids = {article_id(f"http://bao.test/{slug}.htm"): slug for slug, _, _ in DOCS}
    query = to_whoosh(parse(q), searcher if with_index else None)
    return [ids[hit["id"]] for hit in searcher.search(query, limit=None)]


def test_abbreviation_finds_its_expansion_and_back(searcher):
    assert slugs(searcher, "NLĐ")[:2] == ["nld-short", "nld-long"]            # literal first
    assert slugs(searcher, "người lao động")[0] in ("nld-long", "kcn-cs")
    assert "nld-short" in slugs(searcher, "người lao động")
    assert slugs(searcher, "LĐLĐ Nghệ An") == ["ldld-long"]
    assert slugs(searcher, "Liên đoàn Lao động Hà Tĩnh") == ["ldld-short"]
    assert slugs(searcher, "nld")[:2] == ["nld-short", "nld-long"]             # typed lower-case


def test_synonyms_work_through_the_search_page(index_dir):
    ix = SearchIndex(index_dir)
    titles = [h.title for h in ix.search(SearchRequest(q="NLĐ")).hits]
    assert titles[0] == "Hỗ trợ NLĐ bị mất việc tại Bình Dương"
    assert "Chăm lo đời sống người lao động dịp cuối năm" in titles


def test_short_abbreviation_needs_capitals():
    from indexer.synonyms import table
    assert table().find(["TW"]) and not table().find(["tư"])


def test_bare_reference_reaches_the_numbers_the_index_holds(searcher):
    refs = find_refs("Nghị quyết số 02 của Bộ Chính trị".split())
    assert [(r.start, r.end, r.number) for r in refs] == [(0, 4, "02")]
    assert sorted(full_numbers(refs[0], searcher.reader())) == ["02-nq/tw", "02/nq-cp"]
    for q in ("Nghị quyết 02", "NQ 02", "nghi quyet so 02"):
        assert set(slugs(searcher, q)) == {"nq02-tw", "nq02-cp"}, q
    assert slugs(searcher, "Nghị quyết 02", with_index=False) == []           # needs the index
    assert slugs(searcher, "Nghị quyết 77") == []                               # not in the corpus
    assert slugs(searcher, "Nghị quyết 02 Bộ Chính trị") == ["nq02-tw"]


def test_restoration_follows_the_corpus_bigrams(searcher):
    restorer = Restorer(searcher.reader())
    assert restorer.restore(["cong", "doan", "co", "so"], [False, True, True, True]) == \
        ["công", "đoàn", "cơ", "sở"]
    assert restorer.restore(["thanh", "hoa"], [False, True]) == ["thanh", "hóa"]
    assert restorer.restore(["mua", "hoa"], [False, True]) == ["mua", "hoa"]
    assert restorer.restore(["xyzq"], [False]) == ["xyzq"]                      # unknown: kept


def test_unaccented_query_ranks_the_restored_reading_first(searcher):
    assert slugs(searcher, "thanh hoa")[0] == "thanh-hoa"
    assert slugs(searcher, "cong doan co so khu cong nghiep")[0] == "kcn-cs"


def test_keywords_require_every_word_questions_do_not(searcher):
    assert not parse("công đoàn cơ sở Nam Cấm").question
    assert parse("Công đoàn cơ sở ở đâu?").question
    assert parse("công đoàn cơ sở mới thành lập tại khu công nghiệp nào").question  # 8+ words
    assert not parse('"công đoàn cơ sở" mới thành lập tại khu công nghiệp nào').question
    assert parse('Định nghĩa của "người lao động"?').question     # quotes cite a term
    assert not parse("công đoàn -Nghệ thành lập tại khu công nghiệp mới nào").question
    # Keyword mode: one missing word (Hải Phòng) and nothing matches.
    assert slugs(searcher, "công đoàn cơ sở Hải Phòng") == []
    # The same words as a question: the article about the new grassroots union comes first.
    assert slugs(searcher, "Công đoàn cơ sở nào ở Hải Phòng mới được thành lập?")[0] == "kcn-cs"


def test_question_ignores_question_words(searcher):
    query = to_whoosh(parse("Người lao động được nhận gì bao nhiêu?"), searcher)
    texts = {t for _, t in query.all_terms()}
    assert "gì" not in texts and "bao" not in texts and "lao động" in texts


class _CountingReader:
    """A reader that counts the index look-ups restoration makes."""

    def __init__(self, reader) -> None:
        self.reader, self.lookups = reader, 0

    def doc_count_all(self) -> int:
        return self.reader.doc_count_all()

    def doc_frequency(self, field: str, term: str) -> int:
        self.lookups += 1
        return self.reader.doc_frequency(field, term)


HOSTILE = "+".join("".join(p) for p in itertools.product("ao", repeat=7))[:495].replace("+", " ")


def test_restoration_has_a_bounded_cost_per_query(searcher):
    """62 seven-letter words of a/o once cost 78,732 look-ups each under the index lock."""
    from indexer.restore import LOOKUP_BUDGET, restorable
    assert not restorable("aoaoaoa") and restorable("nghieng") and restorable("thuong")
    reader = _CountingReader(searcher.reader())
    restorer = Restorer(reader)
    words = HOSTILE.split() + ["cong", "doan"] * 40          # plausible syllables past the cap
    restorer.restore(words, [False] + [True] * (len(words) - 1))
    assert reader.lookups <= LOOKUP_BUDGET
    many = ["nguyen", "thuong", "nghieng", "truong", "khuong"] * 20
    bounded = Restorer(_CountingReader(searcher.reader()), budget=50)
    bounded.restore(many, [False] + [True] * (len(many) - 1))
    assert bounded.reader.lookups <= 50 and bounded.exhausted


def test_a_query_past_the_budget_says_so(index_dir):
    from indexer.restore import BUDGET_NOTE
    index = SearchIndex(index_dir)
    words = " ".join(["cong doan co so khu cong nghiep"] * 6)
    result = index.search(SearchRequest(q=words))
    assert BUDGET_NOTE in result.notes                     # 42 syllables: 32 restored
    assert BUDGET_NOTE not in index.search(SearchRequest(q="cong doan")).notes
    index.close()


def test_positional_clauses_past_the_budget_are_dropped_with_a_note(searcher, monkeypatch):
    """59 document numbers, each a phrase over common syllables, once read 1.9 s of positions."""
    import indexer.query as query
    q = " ".join(f"{i}-NQ/TW" for i in range(1, 60))
    full = parse(q)
    assert sum(1 for c in full.clauses if c.doc_number) >= 50        # 500 characters
    monkeypatch.setattr(query, "POSITIONS_BUDGET", 3)
    parsed = parse(q)
    to_whoosh(parsed, searcher)
    kept = [c for c in parsed.clauses if c.doc_number]
    assert 1 <= len(kept) < 50 and query.POSITIONS_NOTE in parsed.notes
    plain = parse("công đoàn cơ sở khu công nghiệp")
    to_whoosh(plain, searcher)
    assert query.POSITIONS_NOTE not in plain.notes and len(plain.clauses) == 7
