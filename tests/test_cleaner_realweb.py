"""The cleaner on real pages of real Vietnamese sites (``../shared/pages``): the gate, the
headline, the date at the page's precision and the first paragraph, page by page.

Labels are in ``bench/cleaner/real_labels.json`` as hashes (no page text in the repository);
``python -m bench.cleaner.realweb`` prints the same figures beside trafilatura and the others.
"""
from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SHARED

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def rows():
    if not (SHARED / "pages" / "real").is_dir():
        pytest.skip("../shared is not beside the project")
    from bench.cleaner.realweb import evaluate, load_cases
    cases = load_cases([])
    assert sum(c["is_article"] for c in cases) >= 14 and len(cases) >= 30
    return {r["id"]: r for r in evaluate("ours", cases)[1]}


def test_every_real_article_is_kept_and_every_home_or_listing_page_rejected(rows):
    wrong = [(i, r["accepted"]) for i, r in rows.items() if r["accepted"] != r["is_article"]]
    assert not wrong


def test_headlines_are_the_articles_own(rows):
    wrong = [(i, r["title_out"]) for i, r in rows.items() if r.get("title_ok") is False]
    assert not wrong


def test_dates_are_the_printed_ones_at_the_page_precision(rows):
    wrong = [(i, r["date_out"]) for i, r in rows.items() if r.get("date_ok") is False]
    assert not wrong


def test_no_real_article_loses_its_first_paragraph(rows):
    wrong = [i for i, r in rows.items() if r.get("first_ok") is False]
    assert not wrong


def test_a_vnexpress_story_keeps_its_url_ending_in_a_slash(rows):
    """The URL shape alone never makes an article a listing (it used to)."""
    row = rows["real/myfeed_vnexpress1.html"]
    assert row["accepted"] and row["date_out"].startswith("2012-12-20T10:18")
