"""Diacritic restoration of a query typed without accents, from the index's own vocabulary.

Journalists often type ``cong doan co so`` for ``công đoàn cơ sở``. The folded fields find such
text, but folding merges words (``cơ sở``/``cổ số``…) and costs 16 nDCG points on news; restoring
the accents first lets the accent-keeping fields rank as they do for an accented query. The
model is the index itself: candidate syllables are the accent variants of each typed syllable
that occur in ``body``, and a bigram Viterbi picks the sequence the indexed text supports best,
from the document frequencies of syllables (``body``) and of syllable bigrams (``text_words``,
where the analyzer indexes them).
"""
from __future__ import annotations

import itertools
import math
import unicodedata

from corpus.textnorm import canon
from indexer.analysis import BIGRAM_SEP

SYLLABLE_FIELD = "body"
BIGRAM_FIELD = "text_words"
#: Candidates kept per syllable (most frequent first) and the smoothing weight of the bigram
#: model (how much a seen bigram outweighs two frequent syllables that never meet).
MAX_CANDIDATES = 8
MU = 20.0

_LETTERS = {"a": "aăâ", "e": "eê", "o": "oôơ", "u": "uư", "d": "dđ"}
_VOWELS = set("aăâeêioôơuưy")
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")


#: The longest Vietnamese syllable (``nghiêng``): longer words are not restored, which also
#: bounds the variants tried (at most a few hundred look-ups a syllable).
MAX_LETTERS = 7


def restorable(syllable: str) -> bool:
    """A syllable typed without diacritics that could be Vietnamese (plain ASCII letters)."""
    return syllable.isascii() and syllable.isalpha() and len(syllable) <= MAX_LETTERS


def variants(folded: str) -> set[str]:
    """Every spelling of ``folded`` with Vietnamese letters and at most one tone mark, in
    canonical tone placement (most are not words; the index says which are)."""
    choices = [_LETTERS.get(c, c) for c in folded]
    out: set[str] = set()
    for letters in itertools.product(*choices):
        out.add(canon("".join(letters)))
        for i, c in enumerate(letters):
            if c in _VOWELS:
                for tone in _TONES:
                    marked = "".join(letters[:i]) + c + tone + "".join(letters[i + 1:])
                    out.add(canon(unicodedata.normalize("NFC", marked)))
    return out


class Restorer:
    """Restores syllable sequences against one index reader (document frequencies only)."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self.n_docs = max(1, reader.doc_count_all())
        self._df: dict[str, int] = {}

    def df(self, term: str) -> int:
        """Documents holding a syllable, or a bigram (``a b``)."""
        if term not in self._df:
            field = BIGRAM_FIELD if BIGRAM_SEP in term else SYLLABLE_FIELD
            self._df[term] = self.reader.doc_frequency(field, term)
        return self._df[term]

    def candidates(self, syllable: str) -> list[str]:
        if not restorable(syllable):
            return [syllable]
        found = [(self.df(v), v) for v in variants(syllable)]
        ranked = sorted(((n, v) for n, v in found if n), key=lambda p: (-p[0], p[1]))
        return [v for _, v in ranked[:MAX_CANDIDATES]] or [syllable]

    def _log_unigram(self, w: str) -> float:
        return math.log((self.df(w) + 0.5) / self.n_docs)

    def _log_bigram(self, a: str, b: str) -> float:
        prior = (self.df(b) + 0.5) / self.n_docs
        return math.log((self.df(a + BIGRAM_SEP + b) + MU * prior) / (self.df(a) + MU))

    def restore(self, syllables: list[str], joined: list[bool]) -> list[str]:
        """The most likely accented form of each syllable. ``joined[i]`` says whether syllable
        ``i`` follows ``i - 1`` with only spaces between (bigram statistics apply)."""
        if not syllables:
            return []
        best: dict[str, tuple[float, list[str]]] = {}
        for i, syl in enumerate(syllables):
            options = self.candidates(syl)
            if i == 0 or not joined[i]:
                carry = max(best.values()) if best else (0.0, [])
                best = {w: (carry[0] + self._log_unigram(w), carry[1] + [w]) for w in options}
                continue
            best = {w: max((score + self._log_bigram(prev, w), path + [w])
                           for prev, (score, path) in best.items())
                    for w in options}
        return max(best.values())[1]
