"""Analysis behind the query builder: syllable bigrams, phrases as bigram terms, the pyvi cache."""
from __future__ import annotations

from whoosh import query as Q

from indexer import analysis
from indexer.analysis import bigrams, folded_analyzer, syllable_analyzer, syllables_joined
from indexer.query import parse, to_whoosh


def test_bigrams_sit_beside_syllables_and_stop_at_punctuation():
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in syllable_analyzer()("Tấn công, đoàn xe\nmới", positions=True, chars=True)]
    assert tokens == [("tấn", 0, 0, 3), ("tấn công", 0, 0, 8), ("công", 1, 4, 8),
                      ("đoàn", 2, 10, 14), ("đoàn xe", 2, 10, 17), ("xe", 3, 15, 17),
                      ("mới", 4, 18, 21)]
    assert "cong doan" not in [t.text for t in folded_analyzer()("Tấn công, đoàn xe")]
    assert bigrams("Liên đoàn Lao động") == ["liên đoàn", "đoàn lao", "lao động"]
    assert syllables_joined("công nhân, viên chức") == (
        ["công", "nhân", "viên", "chức"], [False, True, False, True])


def test_phrase_is_a_conjunction_of_bigram_terms():
    query = to_whoosh(parse('"công đoàn cơ sở"'))
    body = [q for q in query.leaves() if getattr(q, "fieldname", "") == "body"]
    assert {q.text for q in body} == {"công đoàn", "đoàn cơ", "cơ sở"}
    assert not any(isinstance(q, Q.Phrase) for q in query.leaves())


def test_segmentation_is_cached_by_line(tmp_path, monkeypatch):
    calls: list[str] = []
    real = analysis._pyvi()

    class Counting:
        @staticmethod
        def tokenize(line: str) -> str:
            calls.append(line)
            return real.tokenize(line)

    monkeypatch.setattr(analysis, "_pyvi", lambda: Counting)
    analysis.use_segment_cache(tmp_path / "segments.sqlite")
    try:
        first = analysis.segment("Liên đoàn Lao động tỉnh\nNgười lao động")
        again = analysis.segment("Người lao động\n  Liên đoàn Lao động tỉnh  ")
    finally:
        analysis.use_segment_cache(None)
    assert first.splitlines() == list(reversed(again.splitlines()))
    assert len(calls) == 2                      # the second text's lines were all cached
