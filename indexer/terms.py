"""Fields and term builders shared by the two query modes (keywords, questions).

A run of syllables is searched as its bigram terms, which the analyzer indexes in the word
fields (``analysis``): two adjacent syllables are one term look-up, a longer phrase a few, and
no positional join is needed. Syllables that form no bigram with a neighbour (a one-word run,
punctuation in between) are searched alone. The folded fields hold no bigrams: there a run is a
positional phrase.
"""
from __future__ import annotations

from whoosh import query as Q

from corpus.textnorm import fold
from indexer.analysis import BIGRAM_SEP

#: Accent-keeping field → boost; folded field → boost (keyword mode; title and lead first).
EXACT_FIELDS = {"title": 3.0, "sapo": 2.0, "body": 1.0}
FOLD_FIELDS = {"title_fold": 1.2, "text_fold": 0.4}
#: pyvi words and syllable bigrams of the title, and of sapo + body.
WORD_FIELDS = {"title_words": 2.0, "text_words": 1.0}
#: Where a run is looked for: its bigrams in a word field, its lone syllables in the
#: syllable fields of the same text, with the boost of the place.
PLACES = {"title": ("title_words", ("title",), 3.0),
          "text": ("text_words", ("sapo", "body"), 1.0)}


def folded(syllable: str) -> str:
    return fold(syllable).lower()


def bigram_terms(syllables: list[str], joined: list[bool]) -> list[str]:
    """The bigram terms of a run: one per pair of neighbours with only spaces between them."""
    return [syllables[i - 1] + BIGRAM_SEP + syllables[i]
            for i in range(1, len(syllables)) if joined[i]]


def lone_syllables(syllables: list[str], joined: list[bool]) -> list[str]:
    """Syllables of a run that belong to no bigram."""
    return [s for i, s in enumerate(syllables)
            if not (i > 0 and joined[i]) and not (i + 1 < len(syllables) and joined[i + 1])]


def syllable_query(syllable: str, exact: dict[str, float],
                   fold_fields: dict[str, float]) -> Q.Query:
    """One syllable in any field: accent-exact fields (boosted) or folded ones."""
    subs: list[Q.Query] = [Q.Term(f, syllable, boost=b) for f, b in exact.items()]
    subs += [Q.Term(f, folded(syllable), boost=b) for f, b in fold_fields.items()]
    return Q.Or(subs)


def run_query(syllables: list[str], joined: list[bool], places: tuple[str, ...],
              fold_fields: dict[str, float], weight: float = 1.0,
              spelled_as_is: bool = False) -> Q.Query:
    """A run of syllables in order, within one text (any of ``places``, or a folded field).

    ``spelled_as_is``: the run is written this way, not typed without its accents (an
    abbreviation from the synonym table, ``TP HCM``): its bigrams suffice, and the folded phrase
    that would decode the positions of every ``tp`` is skipped."""
    bigrams = bigram_terms(syllables, joined)
    lone = lone_syllables(syllables, joined)
    subs: list[Q.Query] = []
    for place in places:
        word_field, syllable_fields, boost = PLACES[place]
        parts: list[Q.Query] = [Q.Term(word_field, b) for b in bigrams]
        parts += [_any(syllable_fields, s) for s in lone]
        subs.append(parts[0].with_boost(boost * weight) if len(parts) == 1
                    else Q.And(parts, boost=boost * weight))
    folded_run = [folded(s) for s in syllables]
    if len(folded_run) > 1 and (folded_run != syllables or spelled_as_is):
        # Typed with diacritics: the accent-exact bigrams above find the run, and a folded
        # phrase would decode the positions of every common syllable (seconds at 143k
        # articles) to add only texts that spell the words with other accents.
        return subs[0] if len(subs) == 1 else Q.Or(subs)
    for f, b in fold_fields.items():
        subs.append(Q.Term(f, folded_run[0], boost=b * weight) if len(folded_run) == 1
                    else Q.Phrase(f, folded_run, boost=b * weight))
    return Q.Or(subs)


def _any(fieldnames: tuple[str, ...], text: str) -> Q.Query:
    terms = [Q.Term(f, text) for f in fieldnames]
    return terms[0] if len(terms) == 1 else Q.Or(terms)


def positional_phrase(syllables: list[str], fold_fields: dict[str, float]) -> Q.Query:
    """Consecutive positions regardless of punctuation: a document number written out
    (``119/KH-LĐLĐ`` is ``119``, ``kh``, ``ldld`` in the folded fields, the ones with
    positions)."""
    return Q.Or([Q.Phrase(f, [folded(s) for s in syllables], boost=b)
                 for f, b in fold_fields.items()])
