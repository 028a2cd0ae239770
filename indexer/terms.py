"""Fields and term builders shared by the two query modes (keywords, questions).

A run of syllables is searched as its bigram terms, the unit the analyzer indexes beside the
syllables (``analysis``): two adjacent syllables are one term look-up, a longer phrase a few,
and no positional join is needed. Syllables that form no bigram with a neighbour (a one-word
run, punctuation in between) are searched alone.
"""
from __future__ import annotations

from whoosh import query as Q

from corpus.textnorm import fold
from indexer.analysis import BIGRAM_SEP

#: Accent-keeping field → boost; folded field → boost (keyword mode; title and lead first).
EXACT_FIELDS = {"title": 3.0, "sapo": 2.0, "body": 1.0}
FOLD_FIELDS = {"title_fold": 1.2, "text_fold": 0.4}
WORD_FIELDS = {"title_words": 2.0, "text_words": 1.0}


def folded(syllable: str) -> str:
    return fold(syllable).lower()


def bigram_terms(syllables: list[str], joined: list[bool]) -> list[str]:
    """The bigram terms of a run: one per pair of neighbours with only spaces between them."""
    return [syllables[i - 1] + BIGRAM_SEP + syllables[i]
            for i in range(1, len(syllables)) if joined[i]]


def run_units(syllables: list[str], joined: list[bool]) -> list[str]:
    """What to look up for a run: its bigrams, plus syllables that belong to none."""
    units = bigram_terms(syllables, joined)
    for i, syl in enumerate(syllables):
        linked = (i > 0 and joined[i]) or (i + 1 < len(syllables) and joined[i + 1])
        if not linked:
            units.append(syl)
    return units


def syllable_query(syllable: str, exact: dict[str, float],
                   fold_fields: dict[str, float]) -> Q.Query:
    """One syllable in any field: accent-exact fields (boosted) or folded ones."""
    subs: list[Q.Query] = [Q.Term(f, syllable, boost=b) for f, b in exact.items()]
    subs += [Q.Term(f, folded(syllable), boost=b) for f, b in fold_fields.items()]
    return Q.Or(subs)


def run_query(syllables: list[str], joined: list[bool], exact: dict[str, float],
              fold_fields: dict[str, float], weight: float = 1.0) -> Q.Query:
    """A run of syllables in order, within one field (any of them): all of its units."""
    units = run_units(syllables, joined)
    folded_units = [folded(u) for u in units]
    subs: list[Q.Query] = [_all(f, units, b * weight) for f, b in exact.items()]
    subs += [_all(f, folded_units, b * weight) for f, b in fold_fields.items()]
    return Q.Or(subs)


def _all(fieldname: str, texts: list[str], boost: float) -> Q.Query:
    if len(texts) == 1:
        return Q.Term(fieldname, texts[0], boost=boost)
    return Q.And([Q.Term(fieldname, t) for t in texts], boost=boost)


def positional_phrase(syllables: list[str], exact: dict[str, float],
                      fold_fields: dict[str, float]) -> Q.Query:
    """Consecutive positions regardless of punctuation: a document number written out
    (``119/KH-LĐLĐ`` is ``119``, ``kh``, ``lđlđ`` in the text fields)."""
    subs: list[Q.Query] = [Q.Phrase(f, syllables, boost=b) for f, b in exact.items()]
    subs += [Q.Phrase(f, [folded(s) for s in syllables], boost=b)
             for f, b in fold_fields.items()]
    return Q.Or(subs)
