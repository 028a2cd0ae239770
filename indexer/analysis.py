"""Vietnamese analysis for Whoosh: syllables (accents kept), folded syllables, pyvi words.

Neither form alone ranks best (../shared/notes/search.md §6): pyvi words win on news, syllables
on legal text, and folded syllables serve users who type without diacritics. Every form starts
from :func:`corpus.textnorm.canon` so ``Thanh Hoá``/``Thanh Hóa`` and NFC/NFD are one token, on
the index side and the query side alike.
"""
from __future__ import annotations

import functools
import warnings

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    Tokenizer,
)
from whoosh.support.charset import accent_map

from corpus.textnorm import canon

# Explicit pattern: the Whoosh forks changed the default one (it glues ``*`` into tokens).
SYLLABLE_PATTERN = r"\w+"


class CanonTokenizer(Tokenizer):
    """Applies :func:`canon` before tokenising; ``canon`` keeps the length of NFC text, so the
    character offsets used by highlighting stay valid."""

    def __init__(self, expression: str = SYLLABLE_PATTERN):
        super().__init__()
        self.expression = expression
        self._inner = RegexTokenizer(expression)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CanonTokenizer) and other.expression == self.expression

    def __call__(self, value, **kwargs):  # type: ignore[override]
        return self._inner(canon(value), **kwargs)


def syllable_analyzer():
    """Accent-keeping syllables: ``Liên đoàn`` → ``liên``, ``đoàn``."""
    return CanonTokenizer() | LowercaseFilter()


def folded_analyzer():
    """Accent-free syllables: ``Liên đoàn`` → ``lien``, ``doan`` (``đ`` → ``d``)."""
    return CanonTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def word_analyzer():
    """Pre-segmented pyvi text (``liên_đoàn lao_động``): ``_`` is a word character, so the
    syllable pattern keeps compounds whole and drops the punctuation pyvi splits off."""
    return CanonTokenizer() | LowercaseFilter()


@functools.lru_cache(maxsize=1)
def _pyvi():
    with warnings.catch_warnings():  # pyvi 0.1.1 has invalid-escape warnings in its source
        warnings.simplefilter("ignore")
        from pyvi import ViTokenizer
    return ViTokenizer


def segment(text: str) -> str:
    """pyvi word segmentation of canonical text; compounds joined by ``_``.

    Segmentation depends on case and context, so it runs on the original-case canonical text,
    line by line (pyvi is slow on very long strings).
    """
    tokenizer = _pyvi()
    out = []
    for line in canon(text).splitlines():
        if line.strip():
            out.append(tokenizer.tokenize(line))
    return "\n".join(out)


def syllables(text: str) -> list[str]:
    return [t.text for t in syllable_analyzer()(text)]


def folded(text: str) -> list[str]:
    return [t.text for t in folded_analyzer()(text)]


def words(text: str) -> list[str]:
    return [t.text for t in word_analyzer()(segment(text))]
