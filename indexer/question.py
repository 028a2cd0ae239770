"""Natural-language questions as a weighted OR of their words, bigrams and pyvi words.

``Người lao động được nghỉ bao nhiêu ngày phép mỗi năm?`` names its subject in a handful of words
among many that any article may lack; requiring all of them (the keyword mode) finds almost
nothing. Here every word, bigram and pyvi word of the question is optional evidence, scored as
Lucene's BM25 would (Whoosh's idf, ``log(N/(df+1)) + 1``, gives a word in every article nearly
the weight of a rare one; each term's boost carries the ratio to Lucene's
``log(1 + (N - df + .5)/(df + .5))``). A document must contain at least one term that is not in
most documents to match at all, so the result count stays meaningful.

Fields and weights were chosen on ViNewsQA (news questions) and ALQAC (legal questions), see
``bench/relevance.sh``: the article text (syllables, bigrams at half weight, pyvi words at half
weight) carries the ranking; title and lead as extra fields cost 1–8 points on both sets, so a
question is matched against the text only. Question words (``gì``, ``bao nhiêu``…) are dropped
as single terms. A question typed without diacritics is restored first (``restore``) and also
matched on the folded text.
"""
from __future__ import annotations

import functools
import math
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import query as Q
from whoosh.searching import Searcher

from indexer.analysis import BIGRAM_SEP, join_compounds, word_units
from indexer.docrefs import find_refs, full_numbers
from indexer.restore import BUDGET_NOTE, restorer_for
from indexer.synonyms import table as synonym_table
from indexer.terms import bigram_terms, folded

if TYPE_CHECKING:
    from indexer.query import ParsedQuery

TEXT_FIELD = "body"
WORD_FIELD = "text_words"           # pyvi words and syllable bigrams of sapo + body
FOLD_FIELD = "text_fold"
SYLLABLE_WEIGHT = 1.0
BIGRAM_WEIGHT = 0.5
WORD_WEIGHT = 0.5
#: Folded terms of a question typed without diacritics (a hedge against wrong restorations).
FOLD_WEIGHT = 0.4
SYNONYM_WEIGHT = 0.5
DOC_NUMBER_WEIGHT = 3.0
#: Terms in more than this share of the documents score but do not make a document match.
COMMON_SHARE = 0.5
DATA_FILE = Path(__file__).with_name("data") / "question_words.tsv"


@functools.lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    lines = DATA_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def build(parsed: ParsedQuery, searcher: Searcher | None = None) -> Q.Query:
    """The OR query for a question; ``searcher`` enables restoration, bare references and the
    idf correction."""
    plain = parsed.plain
    syllables = [c.syllables[0] for c in plain]
    joined = [c.joined for c in plain]
    restore = searcher is not None and parsed.unaccented
    if restore:
        assert searcher is not None
        restorer = restorer_for(searcher.reader())
        syllables = restorer.restore(syllables, joined)
        if restorer.exhausted and BUDGET_NOTE not in parsed.notes:
            parsed.notes.append(BUDGET_NOTE)
    stop = question_words()
    weights: dict[tuple[str, str], float] = defaultdict(float)

    def add_run(syls: list[str], links: list[bool], weight: float) -> None:
        for s in syls:
            if s not in stop:
                weights[TEXT_FIELD, s] += weight * SYLLABLE_WEIGHT
        for bigram in bigram_terms(syls, links):
            weights[WORD_FIELD, bigram] += weight * BIGRAM_WEIGHT

    add_run(syllables, joined, 1.0)
    text = " ".join(syllables) if restore else parsed.text
    for unit in word_units(join_compounds(text)):
        if BIGRAM_SEP not in unit and unit not in stop:
            weights[WORD_FIELD, unit] += WORD_WEIGHT
    if restore:
        for s in syllables:
            if s not in stop:
                weights[FOLD_FIELD, folded(s)] += FOLD_WEIGHT
    typed = [c.typed for c in plain]
    for match in synonym_table().find(typed):
        for item in match.alternatives:
            add_run(list(item.syllables), list(item.joined), SYNONYM_WEIGHT)
    numbers = [c.doc_number for c in parsed.clauses if c.doc_number]
    if searcher is not None:
        for ref in find_refs(typed):
            numbers += full_numbers(ref, searcher.reader())
    for key in numbers:
        weights["so_hieu", key] += DOC_NUMBER_WEIGHT
    return _combine(weights, searcher)


def _combine(weights: dict[tuple[str, str], float], searcher: Searcher | None) -> Q.Query:
    if searcher is None:
        return Q.Or([Q.Term(f, t, boost=w) for (f, t), w in weights.items()])
    n_docs = max(1, searcher.doc_count_all())
    reader = searcher.reader()        # the searcher's ``doc_frequency`` is this reader's
    selective: list[Q.Query] = []
    common: list[Q.Query] = []
    for (f, t), w in weights.items():
        df = reader.doc_frequency(f, t)
        if not df:
            continue
        lucene = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
        term = Q.Term(f, t, boost=w * lucene / searcher.idf(f, t))
        (common if df > COMMON_SHARE * n_docs else selective).append(term)
    if not selective:
        return Q.Or(common) if common else Q.NullQuery
    required = Q.Or(selective)
    return Q.AndMaybe(required, Q.Or(common)) if common else required
