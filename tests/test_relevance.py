"""The relevance evaluation (``unionsearch eval``): metrics, input formats, the index cache, and
— on the real ViNewsQA data beside the project — the product beating plain BM25 in one run."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from indexer.baseline import BM25
from indexer.eval import (
    Doc,
    _top,
    collapse_qrels,
    collapse_run,
    duplicate_groups,
    evaluate,
    read_qrels,
    score_run,
)
from unionsearch.cli import main

ROOT = Path(__file__).resolve().parents[1]
VINEWSQA = ROOT.parent / "shared" / "relevance" / "vinewsqa"


def test_metrics_on_a_hand_computed_run():
    qrels = {"q1": {"a": 1}, "q2": {"b": 1, "c": 1}, "q3": {"z": 1}}
    run = {"q1": ["a", "x"], "q2": ["x", "c"]}                    # q3 never answered
    s = score_run(run, qrels)
    ndcg_q2 = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert s.ndcg == pytest.approx((1 + ndcg_q2 + 0) / 3)
    assert s.mrr == pytest.approx((1 + 0.5 + 0) / 3)
    assert s.recall == pytest.approx((1 + 0.5 + 0) / 3)


def test_qrels_split_on_tabs_only(tmp_path):
    path = tmp_path / "qrels.tsv"
    path.write_text("q1\t0\tBộ luật dân sự#5\t1\n", encoding="utf-8")
    assert read_qrels(path) == {"q1": {"Bộ luật dân sự#5": 1}}


def test_identical_twins_can_be_counted_once():
    text = "Điều khoản về hợp đồng lao động và quyền của người lao động. " * 5
    docs = [Doc("law#1", "Bộ luật Điều 1", "", text), Doc("91/2015#1", "91/2015 Điều 1", "", text),
            Doc("short-a", "", "", "Luật có hiệu lực."), Doc("short-b", "", "", "Luật có hiệu lực.")]
    groups = duplicate_groups(docs)
    assert groups == {"law#1": "law#1", "91/2015#1": "law#1"}      # short texts are never twins
    qrels = {"q": {"91/2015#1": 1}}
    run = {"q": ["law#1", "91/2015#1", "short-a"]}
    assert score_run(run, qrels).mrr == 0.5
    assert score_run(collapse_run(run, groups), collapse_qrels(qrels, groups)).mrr == 1.0


def test_baseline_bm25_prefers_rare_and_repeated_terms():
    bm25 = BM25([["a", "b"], ["a", "c", "c"], ["a"]])
    assert bm25.top(["c"]) == [1]
    assert bm25.top(["a", "b"])[0] == 0
    assert bm25.top(["zzz"]) == []


DOCS = [
    {"id": "d1", "title": "Công đoàn cơ sở chăm lo Tết", "text": "Người lao động nhận quà Tết."},
    {"id": "d2", "title": "Giá xăng tăng", "sapo": "Giá xăng tăng lần thứ ba.",
     "text": "Giá xăng RON 95 tăng mạnh từ chiều nay."},
    {"id": "d 3", "title": "Bão số 3 đổ bộ", "text": "Bão gây mưa lớn ở các tỉnh miền Trung."},
]


def _write_set(tmp_path: Path) -> tuple[Path, Path, Path]:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS),
                      encoding="utf-8")
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tCông nhân được nhận quà gì dịp Tết?\nq2\tgiá xăng\n"
                       "q3\tBão số 3 gây mưa ở đâu?\n", encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\t0\td1\t1\nq2\t0\td2\t1\nq3\t0\td 3\t1\n", encoding="utf-8")
    return corpus, queries, qrels


def test_eval_command_indexes_once_and_reports(tmp_path, capsys):
    corpus, queries, qrels = _write_set(tmp_path)
    args = ["eval", "--corpus", str(corpus), "--queries", str(queries), "--qrels", str(qrels),
            "--cache-dir", str(tmp_path / "cache")]
    assert main(args) == 0
    first = capsys.readouterr()
    assert "unionsearch" in first.out and "BM25 syllables" in first.out
    assert "indexing 3 documents" in first.err
    product = next(line for line in first.out.splitlines() if line.startswith("unionsearch"))
    assert product.split()[1:] == ["1.000", "1.000", "1.000"]
    assert main([*args, "--fold-queries"]) == 0
    second = capsys.readouterr()
    assert "index cached" in second.err and "indexing" not in second.err
    assert "diacritics removed" in second.out


@pytest.mark.shared
@pytest.mark.skipif(not VINEWSQA.is_dir(), reason="needs ../shared/relevance")
def test_product_beats_syllable_bm25_on_vinewsqa_slice(tmp_path):
    report = evaluate(VINEWSQA / "corpus.jsonl", VINEWSQA / "queries-dev.tsv",
                      VINEWSQA / "qrels-dev.tsv", tmp_path, max_queries=200)
    assert report.n_docs == 898 and report.n_queries == 200
    ours, baseline = report.results["unionsearch"], report.results["BM25 syllables"]
    assert ours.ndcg > baseline.ndcg and ours.recall >= baseline.recall - 0.01


def test_product_ties_go_to_official_copies_then_corpus_order():
    import numpy as np

    mask = np.array([True, True, True, False, True])
    score = np.array([1.0, 2.0, 1.0, 0.0, 1.0])
    official = np.array([0, 0, 0, 0, 1])
    position = np.array([2, 0, 1, 3, 4])        # docnum 2 came before docnum 0 in the corpus
    assert _top(mask, score, 10, official, position) == [1, 4, 2, 0]
    # a tie across the cut is decided by the tie-break, not by partition order
    assert _top(mask, score, 2, official, position) == [1, 4]
    assert _top(mask, score, 3, np.zeros(5, int), position) == [1, 2, 0]
