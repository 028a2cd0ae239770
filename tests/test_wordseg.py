"""Our pyvi front end segments exactly as pyvi does."""
from __future__ import annotations

import json
import lzma
import warnings
from pathlib import Path

import pytest

from indexer import wordseg

ROOT = Path(__file__).resolve().parents[1]
VIETNEWS = ROOT.parent / "shared" / "data" / "vietnews-labour.jsonl.xz"


def pyvi(line: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pyvi.ViTokenizer import ViTokenizer
    return ViTokenizer.tokenize(line)


def demo_lines() -> list[str]:
    lines = []
    for path in sorted((ROOT / "demo_sites" / "content").glob("[!R]*.json")):
        for article in json.loads(path.read_text(encoding="utf-8")):
            lines += [article.get("title", ""), article.get("sapo", ""),
                      *article.get("paragraphs", [])]
    return [line for line in lines if line.strip()]


EDGE = ["BCH. LĐLĐ Tp. HCM Mr. Dr. ThS. Nguyễn -> ==> ... >> (a) [b]",
        "liên hệ cd@congdoan.vn, http://congdoan.vn/a?b=1 lúc 1.000,5 và 2_3 đồng",
        "CÔNG ĐOÀN VIỆT NAM", "Công Đoàn", "", "   ", "!!!", "a\nb",
        "Nghị quyết 02-NQ/TW ngày 12/6/2021 của Bộ Chính trị"]


def test_same_words_as_pyvi_on_the_demo_articles_and_edge_cases():
    lines = demo_lines() + EDGE
    assert len(lines) > 500
    assert [wordseg.tokenize(x) for x in lines] == [pyvi(x) for x in lines]


@pytest.mark.shared
@pytest.mark.skipif(not VIETNEWS.is_file(), reason="needs ../shared/data")
def test_same_words_as_pyvi_on_real_news():
    lines = []
    with lzma.open(VIETNEWS, "rt", encoding="utf-8") as f:
        for _, row in zip(range(150), f):
            article = json.loads(row)
            lines += [article["title"], *article["text"].split("\n")]
    assert [wordseg.tokenize(x) for x in lines] == [pyvi(x) for x in lines]
