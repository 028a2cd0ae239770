"""The newsroom query set (``bench/newsroom_queries.py``) on a real demo index: places as whole
names, aliases and the 2025 merger, operators, phrases with their synonyms, titles, document
numbers and typos, each through the web app's JSON twin; and the old-province note in Chromium's
place (its links lead where they say)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.newsroom_queries import QUERIES, NewsroomQuery, build_demo_index, check

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from search_web.app import create_app

    index_dir = build_demo_index(Path(tmp_path_factory.mktemp("newsroom")))
    yield create_app(index_dir).test_client()


@pytest.mark.parametrize("spec", QUERIES, ids=[q.q or f"filter-{q.params}" for q in QUERIES])
def test_newsroom_query(client: Any, spec: NewsroomQuery) -> None:
    answer = client.get(spec.url()).get_json()
    assert check(spec, answer) == []


def test_an_old_province_note_links_to_the_old_and_the_new_province(client: Any) -> None:
    answer = client.get("/search.json?q=H%E1%BA%A3i+D%C6%B0%C6%A1ng").get_json()
    (move,) = answer["places"]
    assert (move["old"], move["new"]) == ("Hải Dương", "Hải Phòng")
    old = client.get(move["old_url"].replace("/search?", "/search.json?")).get_json()
    new = client.get(move["new_url"].replace("/search?", "/search.json?")).get_json()
    assert old["total"] >= 3 and all(h["province_old"] == "Hải Dương" for h in old["results"])
    assert new["total"] > old["total"] and all(h["province_new"] == "Hải Phòng" for h in new["results"])
    page = client.get("/search?q=hai+duong").get_data(as_text=True)
    assert "Hải Dương nay thuộc Hải Phòng" in page and "xem tin Hải Dương cũ" in page
