"""The fast text fields index exactly what Whoosh's analyzer path would."""
from __future__ import annotations

import unicodedata

import pytest
from whoosh.fields import TEXT

from corpus.record import Article
from indexer.analysis import join_compounds
from indexer.build import to_document
from indexer.schema import make_schema
from indexer.whooshfast import Prepared

TEXTS = [
    "Liên đoàn Lao động tỉnh Thanh Hoá ban hành Kế hoạch số 119/KH-LĐLĐ ngày 12/6/2021.",
    unicodedata.normalize("NFD", "Người lao động hoà nhập, Công đoàn cơ sở (CĐCS) — thoả ước"),
    "Nghị quyết 02-NQ/TW\n\nvề đổi mới tổ chức và hoạt động của Công đoàn Việt Nam trong tình hình mới.",
    "  lặp lặp lặp  từ  từ; a_b __ 2025 İstanbul ß ﬁ ",
    "tab\tnbsp\u00a0em\u2000cr\rend _lead trail_ a__b ___ v; ǅa \u212a ẞ Ⅻ x\u0301y",
    "",
]


@pytest.mark.parametrize("name", ["title", "body", "title_fold", "text_fold", "title_words",
                                  "text_words"])
@pytest.mark.parametrize("text", TEXTS)
def test_fast_field_matches_analyzer(name, text):
    field = make_schema()[name]
    value = join_compounds(text) if name.endswith("_words") else text
    reference = TEXT(analyzer=field.analyzer, phrase=field.format.__class__.__name__ == "Positions")
    assert type(reference.format) is type(field.format)
    assert sorted(field.index(value)) == sorted(reference.index(value))


@pytest.mark.parametrize("sapo,body", [(TEXTS[0], TEXTS[2]), (TEXTS[3], TEXTS[1]),
                                       (TEXTS[5], TEXTS[3]), ("", TEXTS[4]), (TEXTS[1], "")])
def test_document_analysed_once_indexes_what_each_field_would(sapo, body):
    article = Article(url="http://bao.test/a.htm", title=body[:40], sapo=sapo,
                      body=body.split("\n"))
    doc = to_document(article)
    schema = make_schema()
    prepared = [name for name, value in doc.items() if isinstance(value, Prepared)]
    assert set(prepared) == {"title", "sapo", "body", "title_fold", "text_fold"}
    for name in prepared:
        field = schema[name]
        assert field.tally(doc[name]) == field.tally(str(doc[name])), name
