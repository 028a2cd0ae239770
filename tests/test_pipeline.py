"""End to end: demo sites on 127.0.0.1 → crawler → cleaner → Whoosh index → search (and web)."""
from __future__ import annotations

import json

import pytest

from corpus.gazetteer import new_province, old_province
from corpus.record import corpus_path, read_corpus
from corpus.textnorm import tidy
from demo_sites.server import ground_truth, start_demo_sites
from indexer.search import SearchIndex, SearchRequest
from unionsearch.demo import build_demo, prepare_data_dir

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    prepare_data_dir(data_dir)
    with start_demo_sites() as web:
        figures = build_demo(web, data_dir, delay=0.05, max_crawl_delay=0.05)
        truth = ground_truth(web)
        log = web.access_log.snapshot()
        hosts = {s.base_url for s in web.sites.values()}
    return {"data_dir": data_dir, "truth": truth, "figures": figures, "log": log,
            "hosts": hosts, "index": SearchIndex(data_dir / "index")}


def test_every_article_and_nothing_else_reaches_the_corpus(demo):
    articles = {a.url: a for a in read_corpus(corpus_path(demo["data_dir"]))}
    assert set(articles) == set(demo["truth"])
    assert demo["figures"]["index"].total == len(demo["truth"])


def test_cleaned_fields_match_what_was_published(demo):
    articles = {a.url: a for a in read_corpus(corpus_path(demo["data_dir"]))}
    titles = dates = provinces = 0
    for url, truth in demo["truth"].items():
        a = articles[url]
        titles += a.title == tidy(truth["title"])
        dates += a.published[:10] == truth["published"][:10]
        expected = (old_province(truth["province_old"]), new_province(truth["province_new"]))
        provinces += (a.province_old_code, a.province_new_code) == tuple(
            p.code if p else "" for p in expected)
    n = len(demo["truth"])
    assert titles == n
    assert dates == n
    assert provinces >= 0.9 * n, f"{provinces}/{n} provinces right"


def test_known_query_finds_the_right_article_with_province_and_date(demo):
    ix = demo["index"]
    wanted = {url: t for url, t in demo["truth"].items() if "119/KH-LĐLĐ" in t["doc_numbers"]}
    hits = ix.search(SearchRequest(q="119/KH-LĐLĐ")).hits
    assert hits and {h.url for h in hits} == set(wanted)
    truth = wanted[hits[0].url]
    assert (hits[0].province_new, hits[0].province_old) == ("Thanh Hóa", "Thanh Hóa")
    assert hits[0].published[:16].replace("T", " ") == truth["published"]
    # Typed without diacritics, and a merged province found under both schemes.
    unaccented = ix.search(SearchRequest(q="kinh mon")).hits
    assert unaccented and all(h.province_new == "Hải Phòng" for h in unaccented)
    assert any(h.province_old == "Hải Dương" for h in unaccented)


def test_facet_counts_add_up(demo):
    ix = demo["index"]
    result = ix.search(SearchRequest())
    for facet in ("province", "year"):
        assert sum(v.count for v in result.facets[facet]) == result.total, facet
    # A story republished by two sources counts under each of them.
    assert sum(v.count for v in result.facets["source"]) == result.total + 3
    assert result.total == len(demo["truth"]) - 3          # three syndicated copies collapse
    picked = ix.search(SearchRequest(provinces=("Hải Phòng",)))
    assert picked.total == {v.value: v.count for v in result.facets["province"]}["Hải Phòng"]
    assert all(h.province_new == "Hải Phòng" for h in picked.hits)


def test_syndicated_copies_collapse_into_one_hit(demo):
    copies = [t for t in demo["truth"].values() if t["syndicated_from"]]
    assert copies
    result = demo["index"].search(SearchRequest(q=f'"{copies[0]["title"]}"'))
    assert result.total == 1 and result.hits[0].copies == 1


def test_the_crawl_was_polite(demo):
    log = demo["log"]
    assert log, "the demo sites saw no requests"
    first_by_site: dict[str, str] = {}
    for record in log:
        first_by_site.setdefault(record.site, record.path)
    assert set(first_by_site.values()) == {"/robots.txt"}
    from demo_sites.sites import SITES

    for record in log:
        for disallowed in SITES[record.site].robots_disallow:
            assert not record.path.startswith(disallowed), record
    assert all("UnionSearchBot" in (r.user_agent or "") for r in log)


def test_search_page_and_json_twin_over_the_demo_index(demo):
    from search_web.app import create_app

    client = create_app(demo["data_dir"] / "index").test_client()
    page = client.get("/search?q=thanh+hoa")
    assert page.status_code == 200 and "Thanh Hóa" in page.get_data(as_text=True)
    data = json.loads(client.get("/search.json?q=119/KH-LĐLĐ").get_data(as_text=True))
    top = data["results"][0]
    assert top["province_new"] == "Thanh Hóa"
    assert top["date"][:16].replace("T", " ") == demo["truth"][top["url"]]["published"]


def test_cleaning_again_cleans_only_what_changed(demo):
    from corpus.clean.stage import clean_store

    data_dir = demo["data_dir"]
    before = corpus_path(data_dir).read_bytes()
    again = clean_store(data_dir)
    assert again.pages == 0 and again.kept == len(demo["truth"])
    assert corpus_path(data_dir).read_bytes() == before
    full = clean_store(data_dir, full=True)
    assert full.pages > len(demo["truth"]) and full.articles == len(demo["truth"])
