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
import weakref

from whoosh.reading import IndexReader

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


#: The longest Vietnamese syllable (``nghiêng``): longer words are not restored.
MAX_LETTERS = 7
#: The cost bound of one query's restoration, whatever it holds: index look-ups (document
#: frequencies of variants and bigrams, cached per index) and syllables restored. A plausible
#: syllable has at most a few hundred variants, nearly all cached after the first queries; a
#: query past the bound keeps its remaining syllables as typed (the folded fields still match
#: them) and says so. 62 seven-letter words of ``a``/``o`` once made 4.9 million look-ups.
#: 32 words cover the longest ViNewsQA question (35 syllables, 17 % are over 16): at 16, nDCG@10
#: without diacritics fell from 0.705 to 0.699; the worst hostile query at 143k is 0.86 s.
LOOKUP_BUDGET = 8000
MAX_RESTORED = 32
#: The most spellings one typed word may have to be tried: a Vietnamese syllable has a few
#: hundred at most (``thuong``: 96, ``nghieng``: 32), a lower-case abbreviation a handful
#: (``nld``: 2), and ``aoaoaoa``, which is neither, 78,732.
MAX_VARIANTS = 600


def variant_count(folded: str) -> int:
    """How many spellings :func:`variants` would try, without making them."""
    letters = math.prod(len(_LETTERS.get(c, c)) for c in folded)
    vowels = sum(c in _VOWELS for c in folded)
    return letters * (1 + len(_TONES) * vowels)


def restorable(syllable: str) -> bool:
    """A word typed without diacritics that could be a Vietnamese syllable or abbreviation:
    plain ASCII letters, short, with few enough spellings to try."""
    return syllable.isascii() and syllable.isalpha() and len(syllable) <= MAX_LETTERS and \
        variant_count(syllable.lower()) <= MAX_VARIANTS


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


_CACHES: weakref.WeakKeyDictionary[object, dict[str, int]] = weakref.WeakKeyDictionary()
_CACHE_MAX = 300_000
#: What a query that ran out of its restoration budget tells the user.
BUDGET_NOTE = ("Truy vấn dài: chỉ phục hồi dấu cho một phần các từ gõ không dấu; các từ còn lại "
               "được tìm như đã gõ.")


def restorer_for(reader: IndexReader) -> Restorer:
    """A restorer for one query, sharing the document-frequency cache of ``reader``."""
    try:
        cache = _CACHES.get(reader)
        if cache is None or len(cache) > _CACHE_MAX:
            cache = _CACHES[reader] = {}
    except TypeError:                  # a reader that cannot be weakly referenced
        cache = {}
    return Restorer(reader, cache)


class Restorer:
    """Restores syllable sequences against one index reader (document frequencies only).

    ``cache`` (a dict kept beside the reader, shared by queries) remembers document
    frequencies; only look-ups that miss it count against ``budget``.
    """

    def __init__(self, reader: IndexReader, cache: dict[str, int] | None = None,
                 budget: int = LOOKUP_BUDGET) -> None:
        self.reader = reader
        self.n_docs = max(1, reader.doc_count_all())
        self._df: dict[str, int] = cache if cache is not None else {}
        self.budget = budget
        self.exhausted = False

    def df(self, term: str) -> int:
        """Documents holding a syllable, or a bigram (``a b``); 0 once the budget is spent."""
        n = self._df.get(term)
        if n is None:
            if self.budget <= 0:
                self.exhausted = True
                return 0
            self.budget -= 1
            field = BIGRAM_FIELD if BIGRAM_SEP in term else SYLLABLE_FIELD
            n = self._df[term] = self.reader.doc_frequency(field, term)
        return n

    def candidates(self, syllable: str) -> list[str]:
        if not restorable(syllable):
            return [syllable]
        options = variants(syllable)
        if len(options) > self.budget and not all(v in self._df for v in options):
            self.exhausted = True
            return [syllable]
        found = [(self.df(v), v) for v in options]
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
            options = self.candidates(syl) if i < MAX_RESTORED else [syl]
            self.exhausted |= i >= MAX_RESTORED
            if i == 0 or not joined[i]:
                carry = max(best.values()) if best else (0.0, [])
                best = {w: (carry[0] + self._log_unigram(w), carry[1] + [w]) for w in options}
                continue
            best = {w: max((score + self._log_bigram(prev, w), [*path, w])
                           for prev, (score, path) in best.items())
                    for w in options}
        return max(best.values())[1]
