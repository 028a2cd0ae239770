"""The web front end through Flask's test client, on the real sample index.

Covers every route and twin format, facet arithmetic, canonical URLs, bad input and escaping.
Parameter handling is also tested directly, as the pure functions it is.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import re
import unicodedata
from datetime import date
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import feedparser
import pytest

from corpus.record import Article, content_hash, corpus_path, write_corpus
from indexer.build import build_index
from indexer.search import MAX_PAGE, SearchRequest
from search_web import params
from search_web.app import create_app
from search_web.provinces import gazetteer
from search_web.safety import safe_snippet, safe_url

NGHE_AN = "Nghệ An"
THANH_HOA = "Thanh Hóa"


@pytest.fixture(scope="module")
def app(sample_data_dir):
    return create_app(sample_data_dir / "index")


@pytest.fixture()
def client(app):
    return app.test_client()


def get_json(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "application/json"
    return r.get_json()


def url(path: str, **query) -> str:
    pairs = []
    for k, v in query.items():
        for item in v if isinstance(v, (list, tuple)) else [v]:
            pairs.append((k.rstrip("_"), item))
    return f"{path}?{urlencode(pairs)}" if pairs else path


def canonical_link(html: str) -> str:
    m = re.search(r'<link rel="canonical" href="([^"]+)"', html)
    assert m, "no rel=canonical"
    return m.group(1).replace("&amp;", "&")


# -- pages -------------------------------------------------------------------------------------

def test_home_has_search_box_recent_articles_and_overview(client):
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<html lang="vi">' in html
    assert 'name="q"' in html and '<label for="q"' in html
    assert "Tìm kiếm" in html and "Bài mới nhất" in html
    # newest first: the 2024 Nghệ An article is shown, once (its copy is collapsed)
    assert html.count("Công đoàn Nghệ An chăm lo Tết Sum vầy") == 1
    assert "1 bản đăng lại" in html
    # facet overview links straight into filtered searches
    assert f'href="/search?province={quote(NGHE_AN).replace("%20", "+")}"' in html
    assert "application/atom+xml" in html
    for landmark in ("<header", "<main", "<aside", "<footer"):
        assert landmark in html


def test_search_page_shows_results_and_twins(client):
    r = client.get(url("/search", q="Tết Sum vầy"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Công đoàn Nghệ An chăm lo Tết Sum vầy cho công nhân" in html
    assert re.search(r">1 kết quả \(\d+,\d\d giây\)", html)
    assert "<mark" in html                                # highlighted snippet
    assert "20/01/2024" in html                          # dd/mm/yyyy
    assert "1 bản đăng lại" in html
    for fmt in ("atom", "csv", "json"):
        assert f'href="/search.{fmt}?q=T' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert canonical_link(html).endswith("/search?q=T%E1%BA%BFt+Sum+v%E1%BA%A7y")
    for text in ("Tỉnh/thành", "Thời gian", "Loại văn bản", "Nguồn", "cụm từ chính xác",
                 "so_hieu:"):
        assert text in html


def test_province_shows_old_name_when_it_changed(client):
    html = client.get(url("/search", q="Kinh Môn")).get_data(as_text=True)
    assert "Hải Phòng (Hải Dương cũ)" in html


def test_empty_query_browses_newest_first(client):
    data = get_json(client, "/search.json")
    dates = [r["date"] for r in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert data["query"]["sort"] == "newest"
    assert data["total"] == 6      # 7 articles, one syndicated copy collapsed


def test_search_json_shape(client):
    data = get_json(client, url("/search.json", q="nghị quyết", province=THANH_HOA))
    assert set(data) >= {"total", "page", "page_count", "took_ms", "query", "results", "facets",
                         "notes"}
    assert data["total"] == 1 and data["page"] == 1 and data["page_count"] == 1
    assert list(data["query"]) == list(params.PARAM_ORDER)
    assert data["query"]["province"] == [THANH_HOA] and data["query"]["q"] == "nghị quyết"
    (hit,) = data["results"]
    assert set(hit) == {"id", "url", "title", "date", "province_new", "province_old", "source",
                        "snippet", "doc_numbers", "copies"}
    assert hit["title"] == "LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch 119/KH-LĐLĐ"
    assert "119/KH-LĐLĐ" in hit["doc_numbers"]
    assert set(data["facets"]) == {"province", "kind", "year", "month", "type", "issuer", "cited",
                                   "source"}
    for values in data["facets"].values():
        for v in values:
            assert set(v) >= {"value", "count", "selected", "url"}
            assert v["url"].startswith("/search.json")
    assert data["links"]["html"] == "/search?" + urlencode(
        [("q", "nghị quyết"), ("province", THANH_HOA)])
    # raw UTF-8, not \\u escapes
    raw = client.get(url("/search.json", q="nghị quyết")).get_data(as_text=True)
    assert "Nghị quyết" in raw


@pytest.mark.parametrize("q", ["thanh hoa", "lao động", "nghị quyết", "tập huấn"])
def test_facet_counts_add_up_to_total(client, q):
    data = get_json(client, url("/search.json", q=q, size=100))
    assert all(r["copies"] == 0 for r in data["results"])   # no syndicated copies here
    for name in ("province", "year", "month", "source"):    # single-valued facets
        assert sum(v["count"] for v in data["facets"][name]) == data["total"], name


def test_facet_counts_add_up_to_total_with_syndicated_copies(client):
    data = get_json(client, "/search.json")
    assert sum(v["count"] for v in data["facets"]["province"]) == data["total"]


def test_disjunctive_province_counts(client):
    everything = get_json(client, "/search.json")
    all_counts = {v["value"]: v["count"] for v in everything["facets"]["province"]}
    data = get_json(client, url("/search.json", province=NGHE_AN))
    assert {r["province_new"] for r in data["results"]} == {NGHE_AN}
    counts = {v["value"]: v["count"] for v in data["facets"]["province"]}
    selected = [v["value"] for v in data["facets"]["province"] if v["selected"]]
    assert selected == [NGHE_AN]
    assert counts == all_counts              # the province facet ignores its own selection
    assert counts[THANH_HOA] == 1
    # other facets do respect the province filter
    assert {v["value"] for v in data["facets"]["year"]} == {"2024"}


def test_two_provinces_are_or_ed(client):
    data = get_json(client, url("/search.json", province=[NGHE_AN, THANH_HOA]))
    assert {r["province_new"] for r in data["results"]} == {NGHE_AN, THANH_HOA}
    html = client.get(url("/search", province=[NGHE_AN, THANH_HOA])).get_data(as_text=True)
    assert "Tỉnh/thành: Nghệ An" in html and "Tỉnh/thành: Thanh Hóa" in html
    assert "Xóa tất cả bộ lọc" in html


def test_facet_links_toggle_and_chips_remove(client):
    data = get_json(client, "/search.json")
    link = next(v["url"] for v in data["facets"]["province"] if v["value"] == NGHE_AN)
    filtered = get_json(client, link)
    assert filtered["query"]["province"] == [NGHE_AN]
    again = next(v["url"] for v in filtered["facets"]["province"] if v["value"] == NGHE_AN)
    assert get_json(client, again)["query"]["province"] == []       # clicking again removes
    html = client.get(filtered["links"]["html"]).get_data(as_text=True)
    chip = re.search(r'<a class="chip" href="([^"]+)">Tỉnh/thành: Nghệ An', html)
    assert chip and chip.group(1) == "/search"


def test_old_province_scheme(client):
    data = get_json(client, url("/search.json", scheme="old"))
    values = {v["value"] for v in data["facets"]["province"]}
    assert {"Hải Dương", "Bình Dương"} <= values and "Hải Phòng" not in values
    html = client.get(url("/search", province="Hải Phòng")).get_data(as_text=True)
    switch = re.search(r'<a href="([^"]+)">xem theo 63 tỉnh cũ</a>', html).group(1)
    query = parse_qsl(urlsplit(switch.replace("&amp;", "&")).query)
    assert ("scheme", "old") in query
    assert {v for k, v in query if k == "province"} == {"Hải Dương", "Hải Phòng"}
    old = get_json(client, url("/search.json", province="Hải Dương", scheme="old"))
    assert [r["title"] for r in old["results"]] == [
        "Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở"]


def test_province_facet_lists_all_34_and_national(client):
    html = client.get("/search").get_data(as_text=True)
    aside = html[html.index('<aside'):]
    province = aside[:aside.index('id="facet-time"')]
    names = re.findall(
        r'<span class="facet-label">(?:<span[^>]*>✓</span>)?([^<(]+?)\s*(?:<small>|<)', province)
    assert len(set(names)) == 35 and "Toàn quốc" in names and "Cà Mau" in names


def test_year_and_month_histograms(client):
    html = client.get(url("/search", year="2021")).get_data(as_text=True)
    assert html.count("<svg") == 2
    assert 'href="/search?year=2021&amp;month=2021-08"' in html
    assert 'aria-label="08/2021: 1 bài"' in html
    data = get_json(client, url("/search.json", year="2021", month="2021-08"))
    assert [r["date"][:7] for r in data["results"]] == ["2021-08"]


def test_type_and_source_facets(client):
    data = get_json(client, url("/search.json", type_="KH"))
    assert [r["doc_numbers"] for r in data["results"]] == [["119/KH-LĐLĐ", "02-NQ/TW"]]
    html = client.get("/search").get_data(as_text=True)
    assert "Kế hoạch (KH)" in html and "Chương trình (CTr)" in html
    assert "Nghị quyết (NQ)" not in html          # only cited: not what any article is
    assert "Tổng LĐLĐ Việt Nam (TLĐ)" not in html and "LĐLĐ tỉnh, thành phố (LĐLĐ)" in html
    data = get_json(client, url("/search.json", source="Cổng Thử"))
    assert data["total"] == 3 and {r["source"] for r in data["results"]} == {"Cổng Thử"}


def test_date_range(client):
    data = get_json(client, url("/search.json", from_="2021-07-01", to="2022-12-31"))
    assert sorted(r["date"][:10] for r in data["results"]) == [
        "2021-07-20", "2021-08-16", "2022-03-01"]
    # Vietnamese day-first dates are accepted and written back canonically
    data = get_json(client, url("/search.json", from_="01/07/2021", to="31/12/2022"))
    assert data["total"] == 3
    assert data["links"]["html"] == "/search?from=2021-07-01&to=2022-12-31"


def test_sort_oldest_and_pagination(client):
    data = get_json(client, url("/search.json", sort="oldest", size=2, page=2))
    assert data["page"] == 2 and data["page_count"] == 3
    assert [r["date"][:7] for r in data["results"]] == ["2021-08", "2022-03"]
    assert data["links"]["next"] == "/search.json?sort=oldest&size=2&page=3"
    assert data["links"]["prev"] == "/search.json?sort=oldest&size=2"
    html = client.get(url("/search", sort="oldest", size=2, page=2)).get_data(as_text=True)
    assert 'aria-label="Phân trang"' in html and "Trang sau" in html and "Trang trước" in html
    assert 'aria-current="page" class="current">2<' in html
    assert '<link rel="next" href="/search?sort=oldest&amp;size=2&amp;page=3">' in html


def test_page_size_is_capped(client):
    data = get_json(client, url("/search.json", size="100000"))
    assert data["query"]["size"] == 100
    assert any("tối đa là 100" in n for n in data["notes"])


def test_csv_rows_are_capped(client, monkeypatch):
    monkeypatch.setattr("search_web.app.CSV_MAX_ROWS", 4)
    rows = list(csv.reader(io.StringIO(client.get("/search.csv").data.decode("utf-8-sig"))))
    assert len(rows) == 1 + 4


def test_phrase_is_highlighted_whole(client):
    html = client.get(url("/search", q='"đoàn viên công đoàn"')).get_data(as_text=True)
    assert re.search(r'<mark class="match term\d">đoàn viên công đoàn</mark>', html)
    html = client.get(url("/search", q="02-NQ/TW")).get_data(as_text=True)
    assert re.search(r'<mark class="match term\d">02-NQ/TW</mark>', html)


def test_the_issue_spelling_province_scheme_is_accepted(client):
    data = get_json(client, url("/search.json", province_scheme="old", province="Hải Dương"))
    assert data["query"]["scheme"] == "old" and data["total"] == 1
    assert data["links"]["html"] == "/search?province=H%E1%BA%A3i+D%C6%B0%C6%A1ng&scheme=old"


@pytest.mark.parametrize("path", ["/", "/search?q=c%C3%B4ng+%C4%91o%C3%A0n", "/search?year=2021",
                                  "/khong-co", "ARTICLE"])
def test_one_h1_and_no_skipped_heading_levels(client, path):
    if path == "ARTICLE":
        path = "/article/" + _article_id(client, "thanh hoa")
    html = client.get(path).get_data(as_text=True)
    levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", html)]
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


# -- search semantics through the web ------------------------------------------------------------

def test_query_without_diacritics_finds_thanh_hoa(client):
    data = get_json(client, url("/search.json", q="thanh hoa"))
    assert data["results"][0]["title"].startswith("LĐLĐ tỉnh Thanh Hoá")


def test_minus_excludes(client):
    with_all = get_json(client, url("/search.json", q="công đoàn"))
    without = get_json(client, url("/search.json", q="công đoàn -Nghệ"))
    assert any(r["province_new"] == NGHE_AN for r in with_all["results"])
    assert without["total"] > 0
    assert all(r["province_new"] != NGHE_AN for r in without["results"])


def test_document_number_badges_search_so_hieu(client):
    html = client.get(url("/search", q="thanh hoa")).get_data(as_text=True)
    assert 'href="/search?q=so_hieu%3A02-NQ%2FTW"' in html
    data = get_json(client, url("/search.json", q="so_hieu:02-NQ/TW"))
    assert data["total"] == 2


# -- twins ---------------------------------------------------------------------------------------

def test_csv_round_trips_with_bom_and_diacritics(client):
    r = client.get(url("/search.csv", q="công đoàn"))
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    data = get_json(client, url("/search.json", q="công đoàn", size=100))
    assert [row["id"] for row in rows] == [h["id"] for h in data["results"]]
    by_id = {h["id"]: h for h in data["results"]}
    for row in rows:
        assert row["title"] == by_id[row["id"]]["title"]
        assert row["province_new"] == by_id[row["id"]]["province_new"]
        assert "<mark" not in row["snippet"]
    assert any(row["title"] == "Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở" for row in rows)
    assert any(row["province_old"] == "Hải Dương" for row in rows)


def test_csv_ignores_page_and_exports_everything(client):
    r = client.get(url("/search.csv", size=2, page=3))
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert len(rows) == 1 + 6


def test_atom_parses_with_feedparser(client):
    r = client.get(url("/search.atom", q="công đoàn", sort="oldest"))
    assert r.status_code == 200 and r.mimetype == "application/atom+xml"
    feed = feedparser.parse(r.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert "công đoàn" in feed.feed.title
    assert any(link.rel == "self" and "/search.atom?q=" in link.href for link in feed.feed.links)
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)        # newest first, always
    titles = [e.title for e in feed.entries]
    assert "Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở" in titles
    assert all(e.link.startswith("http://localhost/article/") for e in feed.entries)


def test_atom_of_a_filtered_search(client):
    feed = feedparser.parse(client.get(url("/search.atom", province=NGHE_AN)).data)
    assert [e.title for e in feed.entries] == [
        "Công đoàn Nghệ An chăm lo Tết Sum vầy cho công nhân"]


# -- article pages -------------------------------------------------------------------------------

def _article_id(client, q: str) -> str:
    return get_json(client, url("/search.json", q=q))["results"][0]["id"]


def test_article_page(client):
    doc_id = _article_id(client, "thanh hoa")
    r = client.get(f"/article/{doc_id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<h1" in html and "Kế hoạch số 119/KH-LĐLĐ nêu rõ" in html
    assert "16/08/2021" in html and THANH_HOA in html and "Báo Thử" in html
    assert 'href="/search?q=so_hieu%3A119%2FKH-L%C4%90L%C4%90"' in html
    assert 'href="http://bao.test/cong-doan/thanh-hoa-119.htm"' in html
    assert "Nguồn" in html and '<link rel="canonical" href="http://localhost/article/' in html
    similar = html[html.index('id="bai-tuong-tu"'):]
    assert "Bài tương tự" in similar
    assert similar.count('<li class="story">') == 5           # every other story, 6 in all
    # the TLĐ programme shares 02-NQ/TW, the strongest link: it comes first
    first = re.search(r'<li class="story">\s*<a href="[^"]+">([^<]+)</a>', similar).group(1)
    assert first.startswith("Tổng LĐLĐ Việt Nam ban hành Chương trình hành động")
    assert "LĐLĐ tỉnh Thanh Hoá ban hành" not in similar       # not the article itself


def test_article_page_lists_syndicated_copies(client):
    doc_id = _article_id(client, "Tết Sum vầy")
    html = client.get(f"/article/{doc_id}").get_data(as_text=True)
    assert "Bản đăng lại (1)" in html and "Cổng Thử" in html
    data = get_json(client, f"/article/{doc_id}.json")
    assert data["id"] == doc_id and data["title"].startswith("Công đoàn Nghệ An")
    assert data["body"] and data["province_new"] == NGHE_AN
    assert [c["source"] for c in data["copies"]] == ["Cổng Thử"]


def test_unknown_article_and_route_are_404(client):
    for path in ("/article/0000000000000000", "/khong-co", "/article/" + "x" * 500):
        r = client.get(path)
        assert r.status_code == 404
        assert "Không tìm thấy" in r.get_data(as_text=True)
    r = client.get("/article/0000000000000000.json")
    assert r.status_code == 404 and r.get_json()["status"] == 404
    assert client.get("/search.xml").status_code == 404


# -- bad input -----------------------------------------------------------------------------------

BAD_INPUTS = [
    ({"from": "2024-13-45"}, 400, "Từ ngày không hợp lệ"),
    ({"to": "hôm qua"}, 400, "Đến ngày không hợp lệ"),
    ({"year": "20x4"}, 400, "Năm không hợp lệ"),
    ({"month": "2024-13"}, 400, "Tháng không hợp lệ"),
    ({"page": "0"}, 200, "Trang phải từ 1"),
    ({"page": "-3"}, 200, "Trang phải từ 1"),
    ({"page": str(10**9)}, 200, "Trang tối đa là 1000"),
    ({"page": "9" * 5000}, 200, "Trang tối đa là 1000"),
    ({"page": "abc"}, 200, "không phải là số"),
    ({"q": '"công đoàn'}, 200, ""),
    ({"q": "x" * 5000}, 200, "Truy vấn quá dài"),
    ({"q": "so_hieu:"}, 200, ""),
    ({"q": "- OR \"\" :"}, 200, ""),
    ({"scheme": "moi"}, 200, "Không rõ cách chia tỉnh"),
    ({"sort": "random"}, 200, "Không rõ cách sắp xếp"),
    ({"size": "0"}, 200, "Số kết quả mỗi trang phải từ 1"),
    ({"province": "Atlantis"}, 200, "Không có “Atlantis”"),
    ({"from": "2024-02-01", "to": "2024-01-01"}, 200, "đã đổi chỗ"),
    ({"q": "\x00\x1f công\u200b đoàn"}, 200, ""),
]


@pytest.mark.parametrize("query,status,message", BAD_INPUTS)
@pytest.mark.parametrize("fmt", ["", ".json", ".atom", ".csv"])
def test_bad_input_is_answered_kindly(client, query, status, message, fmt):
    r = client.get(url("/search" + fmt, **query))
    body = r.get_data(as_text=True)
    assert r.status_code == status, body[:500]
    assert "Traceback" not in body
    if fmt in ("", ".json") and message:
        assert message in (body if fmt == "" else json.dumps(r.get_json(), ensure_ascii=False))
    if status == 400 and fmt == ".json":
        assert r.get_json()["error"]
    if status == 400 and fmt == "":
        assert 'role="alert"' in body and 'name="q"' in body   # the form is still there
        assert "Tìm lại, bỏ qua giá trị sai" in body


def test_error_page_offers_the_corrected_search(client):
    r = client.get(url("/search", q="công", from_="2024-13-01", province=NGHE_AN))
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert '<a href="/search?q=c%C3%B4ng&amp;province=Ngh%E1%BB%87+An">Tìm lại' in html
    assert 'class="facet-link selected"' in html           # the valid filter is still shown


def test_malformed_requests(client):
    r = client.get("/search?q=%FF%FE%ZZ&province=%C3")        # broken percent-encoding
    assert r.status_code == 200
    r = client.post("/search", data={"q": "x"})
    assert r.status_code == 405 and "chỉ đọc được bằng GET" in r.get_data(as_text=True)
    r = client.head("/search?q=công")
    assert r.status_code == 200


def test_script_in_query_is_shown_as_text(client):
    r = client.get(url("/search", q="<script>alert(1)</script>"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()


def test_server_error_page_has_no_stack_trace(app, monkeypatch):
    index = app.extensions["search_index"]

    def boom(req):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(index, "search", boom)
    client = app.test_client()
    # Without a query nothing is the user's fault: a failure is the server's (with a query, the
    # index has read its files again before calling the query unrunnable: a 400).
    for path, kind in (("/search?province=Ngh%E1%BB%87+An", "text/html"),
                       ("/search.json", "application/json")):
        r = client.get(path)
        body = r.get_data(as_text=True)
        assert r.status_code == 500 and r.mimetype == kind
        assert "secret internals" not in body and "Traceback" not in body
        assert "Máy chủ gặp lỗi" in body


def test_index_is_refreshed_between_requests(tmp_path):
    from conftest import sample_articles
    articles = sample_articles()
    write_corpus(corpus_path(tmp_path), articles[:2])
    build_index(corpus_path(tmp_path), tmp_path / "index")
    client = create_app(tmp_path / "index").test_client()
    assert get_json(client, url("/search.json", q="Kinh Môn"))["total"] == 0
    write_corpus(corpus_path(tmp_path), articles[:4])
    build_index(corpus_path(tmp_path), tmp_path / "index")     # a new commit, same generation
    assert get_json(client, url("/search.json", q="Kinh Môn"))["total"] == 1
    build_index(corpus_path(tmp_path), tmp_path / "index", rebuild=True)   # a new generation
    assert get_json(client, url("/search.json", q="Kinh Môn"))["total"] == 1


# -- headers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/search?q=a", "/search.json", "/search.atom",
                                  "/search.csv", "/khong-co"])
def test_security_headers(client, path):
    r = client.get(path)
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp      # no scripts at all
    assert "'unsafe-inline'" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"]


def test_pages_need_no_inline_script_or_style(client):
    article = "/article/" + _article_id(client, "thanh hoa")
    for path in ("/", url("/search", q="công đoàn", year="2024"), "/khong-co", article):
        html = client.get(path).get_data(as_text=True)
        assert "<script" not in html and " style=" not in html and "<style" not in html
    css = client.get("/static/style.css")
    assert css.status_code == 200
    body = css.get_data(as_text=True)
    assert '"Noto Sans"' in body and "line-height: 1.6" in body


# -- hostile content in the index ----------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    title = "<script>alert('tiêu đề')</script> Công đoàn <b>đậm</b>"
    body = ["Đoạn có <img src=x onerror=alert(1)> và & ký tự lạ.", "=HYPERLINK(\"http://x\")"]
    article = Article(url="http://bao.test/hostile.htm", title=title, sapo="Tóm tắt <i>in</i>.",
                      body=body, published="2024-05-01T08:00:00+07:00",
                      attachments=[{"url": "javascript:alert(1)", "name": "tệp độc"}],
                      source="bao.test", source_title="Báo <Thử>",
                      content_hash=content_hash(title, "", body))
    data_dir = tmp_path_factory.mktemp("hostile")
    write_corpus(corpus_path(data_dir), [article])
    build_index(corpus_path(data_dir), data_dir / "index")
    return create_app(data_dir / "index").test_client()


def test_hostile_title_and_body_are_text(hostile_client):
    for path in ("/", url("/search", q="công đoàn"), url("/search", q="ký tự")):
        html = hostile_client.get(path).get_data(as_text=True)
        assert "<script" not in html and "<img" not in html and "<b>đậm" not in html
        assert "&lt;script&gt;" in html
    doc_id = get_json(hostile_client, "/search.json")["results"][0]["id"]
    html = hostile_client.get(f"/article/{doc_id}").get_data(as_text=True)
    assert "<script" not in html and "<img" not in html and "&lt;img src=x" in html
    assert "javascript:" not in html and "tệp độc" in html
    assert "Báo &lt;Thử&gt;" in html


def test_csv_defuses_formulas(hostile_client):
    r = hostile_client.get(url("/search.csv", q="công đoàn"))
    row = next(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert row["title"].startswith("<script>")           # CSV is data, not HTML: kept verbatim
    r = hostile_client.get(url("/search.csv", q="hyperlink"))
    row = next(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert not row["snippet"].startswith("=")


# -- parameters as pure functions ----------------------------------------------------------------

def parse(**query) -> params.ParsedParams:
    pairs = []
    for k, v in query.items():
        for item in v if isinstance(v, (list, tuple)) else [v]:
            pairs.append((k.rstrip("_"), item))
    return params.parse_params(pairs, gazetteer().known())


def test_canonical_url_ignores_parameter_order_and_duplicates():
    pairs = [("page", "2"), ("province", THANH_HOA), ("q", "công  đoàn "), ("sort", "newest"),
             ("province", NGHE_AN), ("type", "KH"), ("province", THANH_HOA), ("utm_source", "x")]
    urls = {params.search_url(params.parse_params(p).request)
            for p in itertools.permutations(pairs)}
    assert urls == {"/search?q=c%C3%B4ng+%C4%91o%C3%A0n&province=Ngh%E1%BB%87+An"
                    "&province=Thanh+H%C3%B3a&type=KH&sort=newest&page=2"}


def test_canonical_url_is_nfc_and_drops_defaults():
    nfd = unicodedata.normalize("NFD", THANH_HOA)
    a = params.parse_params([("province", nfd), ("scheme", "new"), ("page", "1"),
                             ("size", "10"), ("sort", "relevance"), ("q", "x")]).request
    b = params.parse_params([("q", "x"), ("province", THANH_HOA)]).request
    assert params.search_url(a) == params.search_url(b) == "/search?q=x&province=Thanh+H%C3%B3a"
    # without a query, "relevance" means newest first: both drop out
    assert params.search_url(params.parse_params([("sort", "relevance")]).request) == "/search"
    assert params.search_url(params.parse_params([("sort", "newest")]).request) == "/search"
    assert params.search_url(SearchRequest(), fmt="json") == "/search.json"


def test_same_state_same_url_through_the_app(client):
    a = client.get("/search?type=KH&q=k%E1%BA%BF+ho%E1%BA%A1ch&page=1&scheme=new").get_data(
        as_text=True)
    b = client.get("/search?q=k%E1%BA%BF%20ho%E1%BA%A1ch&type=KH").get_data(as_text=True)
    expected = "http://localhost/search?q=k%E1%BA%BF+ho%E1%BA%A1ch&type=KH"
    assert canonical_link(a) == canonical_link(b) == expected


def test_parse_params_values():
    p = parse(q="  Thanh   Hóa ", province=[NGHE_AN, ""], year="2024", month="2024-1",
              from_="31/01/2024", to="2024-02-29", sort="date", size="20", page="3")
    r = p.request
    assert p.ok and not p.notes
    assert (r.q, r.provinces, r.years, r.months) == ("Thanh Hóa", (NGHE_AN,), ("2024",),
                                                      ("2024-01",))
    assert (r.date_from, r.date_to) == (date(2024, 1, 31), date(2024, 2, 29))
    assert (r.sort, r.page_size, r.page) == ("newest", 20, 3)


def test_parse_params_corrections_and_errors():
    assert parse(page="0").request.page == 1
    assert parse(page=str(10**9)).request.page == MAX_PAGE
    assert parse(size="5000").request.page_size == 100
    assert parse(scheme="OLD").request.scheme == "old"
    assert parse(scheme="x").request.scheme == "new" and parse(scheme="x").notes
    assert len(parse(q="x" * 5000).request.q) == 500
    assert not parse(from_="2023-02-29").ok
    assert not parse(year="24").ok
    swapped = parse(from_="2024-02-01", to="2024-01-01").request
    assert (swapped.date_from, swapped.date_to) == (date(2024, 1, 1), date(2024, 2, 1))
    assert parse(province=[f"P{i}" for i in range(100)]).request.provinces.__len__() == 40


def test_toggle_without_and_scheme_switch():
    req = SearchRequest(provinces=("Hải Phòng",), page=4)
    added = params.toggle(req, "province", NGHE_AN)
    assert added.provinces == ("Hải Phòng", NGHE_AN) and added.page == 1
    assert params.toggle(added, "province", NGHE_AN).provinces == ("Hải Phòng",)
    assert params.without(added, "province", "Hải Phòng").provinces == (NGHE_AN,)
    old = params.with_scheme(req, "old", gazetteer().mapping("new"))
    assert old.scheme == "old" and old.provinces == ("Hải Dương", "Hải Phòng")
    back = params.with_scheme(old, "new", gazetteer().mapping("old"))
    assert back.provinces == ("Hải Phòng",)


def test_safe_snippet_and_safe_url():
    s = safe_snippet('a &lt;b&gt; <mark class="match term0">x</mark> <script>y</script>')
    assert str(s) == 'a &lt;b&gt; <mark class="match term0">x</mark> &lt;script&gt;y&lt;/script&gt;'
    s = safe_snippet('<mark class="match term0">Nghị</mark> <mark class="match term1">quyết</mark>'
                     ' số <mark class="match term2">02</mark>-<mark class="match term3">NQ</mark>')
    assert str(s) == ('<mark class="match term0">Nghị quyết</mark> số '
                      '<mark class="match term2">02-NQ</mark>')
    assert safe_url("javascript:alert(1)") == "" and safe_url(" JAVASCRIPT:x") == ""
    assert safe_url("https://a.vn/b") == "https://a.vn/b" and safe_url("/search") == "/search"
    assert safe_url("//evil.example/") == ""


def test_facets_describe_the_article_itself_and_what_it_cites(client):
    """"Loại văn bản" and "Cơ quan ban hành" are the document an article is; a number it only
    mentions is in "Văn bản được nhắc đến"; "Tin / Văn bản" asks for documents only."""
    data = get_json(client, url("/search.json", kind="directive"))
    assert {r["title"] for r in data["results"]} == {
        "LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch 119/KH-LĐLĐ",
        "Tổng LĐLĐ Việt Nam ban hành Chương trình hành động 02/CTr-BCH"}
    types = {v["value"] for v in get_json(client, "/search.json")["facets"]["type"]}
    assert types == {"KH", "CTr"}                  # NQ is only ever cited
    cited = get_json(client, url("/search.json", cited="02-NQ/TW"))
    assert cited["total"] >= 2
    assert all("02-NQ/TW" in r["doc_numbers"] for r in cited["results"])
    kinds = {v["value"]: v["label"] for v in get_json(client, "/search.json")["facets"]["kind"]}
    assert kinds == {"news": "Tin", "directive": "Văn bản"}
    html = client.get(url("/search", kind="directive")).get_data(as_text=True)
    assert "Tin / Văn bản: Văn bản" in html        # the chip names it in words
