"""Analysis behind the query builder: syllable bigrams, phrases as bigram terms, the pyvi cache."""
from __future__ import annotations

from whoosh import query as Q

from indexer import analysis, wordseg
from indexer.analysis import (
    syllable_analyzer,
    syllables_joined,
    word_analyzer,
    word_units,
)
from indexer.query import parse, to_whoosh


def test_word_fields_hold_words_and_bigrams_that_stop_at_punctuation():
    segmented = "Tấn_công , đoàn xe\nmới Liên_đoàn Lao_động"
    assert word_units(segmented) == [
        "tấn_công", "tấn công", "đoàn", "xe", "đoàn xe", "mới", "liên_đoàn", "mới liên",
        "liên đoàn", "lao_động", "đoàn lao", "lao động"]
    assert [t.text for t in word_analyzer()("Thanh_Hoá")] == ["thanh_hóa", "thanh hóa"]
    assert [t.text for t in syllable_analyzer()("Liên đoàn")] == ["liên", "đoàn"]
    assert syllables_joined("công nhân, viên chức") == (
        ["công", "nhân", "viên", "chức"], [False, True, False, True])


def test_phrase_is_a_conjunction_of_bigram_terms():
    query = to_whoosh(parse('"công đoàn cơ sở"'))
    text = [q for q in query.leaves() if getattr(q, "fieldname", "") == "text_words"]
    assert {q.text for q in text} == {"công đoàn", "đoàn cơ", "cơ sở"}
    assert not any(isinstance(q, Q.Phrase) and q.fieldname in ("body", "title")
                   for q in query.leaves())


def test_segmentation_is_cached_by_line(tmp_path, monkeypatch):
    calls: list[str] = []
    real = wordseg.tokenize

    def counting(line: str) -> str:
        calls.append(line)
        return real(line)

    monkeypatch.setattr(wordseg, "tokenize", counting)
    analysis.use_word_cache(tmp_path / "words.sqlite")
    try:
        first = analysis.join_compounds("Liên đoàn Lao động tỉnh\nNgười lao động")
        again = analysis.join_compounds("Người lao động\n  Liên đoàn Lao động tỉnh  ")
    finally:
        analysis.use_word_cache(None)
    assert first.splitlines() == list(reversed(again.splitlines()))
    assert len(calls) == 2                      # the second text's lines were all cached
