"""The cleaner on the benchmark's labelled pages (bench/cleaner): the issue's targets as tests.

Own pages (9 templates unlike the demo's, plus gate negatives) always run; the seed dumps
rebuilt as HTML and the real pages need ../shared and are marked ``shared``. Baselines are
not run here (``python -m bench.cleaner.run`` does that).
"""
from __future__ import annotations

import sys

import pytest
from conftest import ROOT, SHARED

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cleaner.run import evaluate


def _check(summary: dict, rows: list[dict]) -> None:
    bad = [r["id"] for r in rows if r["is_article"] and r["f1"] < 0.9]
    assert summary["F1"] >= 0.95 and not bad, (summary["F1"], bad)
    assert summary["date"] >= 0.95, [(r["id"], r["date"]) for r in rows
                                     if r["is_article"] and r["date_ok"] is False]
    assert summary["prov_old"] >= 0.95 and summary["prov_new"] >= 0.95, [
        (r["id"], r["prov"]) for r in rows if r["is_article"] and not r["prov_new_ok"]]
    assert summary["neg_passed"] == 0, [r["id"] for r in rows
                                        if r["accepted"] and not r["is_article"]]
    assert summary["art_dropped"] == 0, [r["id"] for r in rows
                                         if r["is_article"] and not r["accepted"]]


def test_own_labelled_pages_meet_the_targets():
    from bench.cleaner.sites import article_cases, negative_cases
    cases = [*article_cases(), *negative_cases()]
    assert len({c["template"] for c in cases if c["is_article"]}) >= 6
    assert sum(c["is_article"] for c in cases) >= 40
    summary, rows = evaluate("ours", cases)
    _check(summary, rows)
    assert summary["docs"] >= 0.95


def test_source_selectors_give_the_same_quality():
    from bench.cleaner.sites import article_cases
    cases = [c for c in article_cases() if c["source"]]
    summary, rows = evaluate("ours+selectors", cases)
    _check(summary, rows)


@pytest.mark.shared
def test_seed_pages_and_real_pages_meet_the_targets():
    if not (SHARED / "seeds").is_dir() or not (SHARED / "pages").is_dir():
        pytest.skip("../shared is not beside the project")
    from bench.cleaner.shared_pages import real_cases, seed_cases
    cases = [*seed_cases(), *real_cases()]
    assert len(cases) >= 18
    summary, rows = evaluate("ours", cases)
    _check(summary, rows)
    assert all(r["date_ok"] and r["prov_old_ok"] and r["prov_new_ok"]
               for r in rows if r["is_article"]), [r for r in rows if r["is_article"]]
