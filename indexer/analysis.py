"""Vietnamese analysis for Whoosh: syllables and syllable bigrams (accents kept and folded), pyvi
words.

Neither form alone ranks best (../shared/notes/search.md §6): pyvi words win on news, syllables
on legal text, and folded syllables serve users who type without diacritics. Syllable bigrams
are indexed beside the syllables in the same fields (Lucene's shingles with unigrams): nearly
every Vietnamese word has two or more syllables, so a bigram is the unit that carries meaning
and order. Bigram terms lift both question benchmarks by 2–11 nDCG points, and a phrase
becomes a few term look-ups instead of a positional join. Every form starts from
:func:`corpus.textnorm.canon` so ``Thanh Hoá``/``Thanh Hóa`` and NFC/NFD are one token, on the
index side and the query side alike.
"""
from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    Token,
    Tokenizer,
)
from whoosh.support.charset import accent_map

from corpus.textnorm import canon
from indexer.segcache import SegmentCache

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


_SYLLABLE_RE = re.compile(SYLLABLE_PATTERN)
#: Two syllables form a bigram only when nothing but spaces separates them: punctuation and
#: line breaks end a phrase.
_JOIN_RE = re.compile(r"[ \t\u00a0]+")
BIGRAM_SEP = " "


def joinable(gap: str) -> bool:
    """Whether the text between two syllables lets them form a bigram."""
    return bool(_JOIN_RE.fullmatch(gap))


class SyllableBigramTokenizer(Tokenizer):
    """Canonical syllables, each preceded by the bigram it closes (``liên đoàn`` after
    ``liên``, before ``đoàn``), so start offsets never go backwards for the highlighter. A
    bigram sits at its first syllable's position; phrase queries over syllables are unaffected.
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SyllableBigramTokenizer)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,  # type: ignore[override]
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):
        text = canon(value)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        prev: re.Match[str] | None = None
        pos = start_pos
        for m in _SYLLABLE_RE.finditer(text):
            if prev is not None and joinable(text[prev.end():m.start()]):
                yield self._fill(t, prev.group() + BIGRAM_SEP + m.group(), pos - 1,
                                 prev.start(), m.end(), start_char, keeporiginal)
            yield self._fill(t, m.group(), pos, m.start(), m.end(), start_char, keeporiginal)
            prev = m
            pos += 1

    @staticmethod
    def _fill(t: Token, text: str, pos: int, start: int, end: int, start_char: int,
              keeporiginal: bool) -> Token:
        t.text, t.boost, t.stopped = text, 1.0, False
        if keeporiginal:
            t.original = text
        if t.positions:
            t.pos = pos
        if t.chars:
            t.startchar, t.endchar = start_char + start, start_char + end
        return t


def syllable_analyzer():
    """Accent-keeping syllables and bigrams: ``Liên đoàn`` → ``liên``, ``liên đoàn``, ``đoàn``."""
    return SyllableBigramTokenizer() | LowercaseFilter()


def folded_analyzer():
    """Accent-free syllables and bigrams: ``Liên đoàn`` → ``lien``, ``lien doan``, ``doan``."""
    return SyllableBigramTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


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


_segment_cache: SegmentCache | None = None


def use_segment_cache(path: Path | str | None) -> None:
    """Cache pyvi output on disk from now on (``None`` turns it off). Worker processes forked
    afterwards (the indexer's pool) inherit the setting."""
    global _segment_cache
    _segment_cache = SegmentCache(path) if path else None


def segment(text: str) -> str:
    """pyvi word segmentation of canonical text; compounds joined by ``_``.

    Segmentation depends on case and context, so it runs on the original-case canonical text,
    line by line (pyvi is slow on very long strings).
    """
    lines = [line.strip() for line in canon(text).splitlines() if line.strip()]
    cache = _segment_cache
    known = cache.get_many(lines) if cache is not None and lines else {}
    fresh = {line: _pyvi().tokenize(line) for line in lines if line not in known}
    if cache is not None:
        cache.put_many(fresh)
    return "\n".join(known[line] if line in known else fresh[line] for line in lines)


def syllables(text: str) -> list[str]:
    """Lower-case canonical syllables of ``text`` (no bigrams)."""
    return [m.group().lower() for m in _SYLLABLE_RE.finditer(canon(text))]


def syllables_joined(text: str) -> tuple[list[str], list[bool]]:
    """Syllables of ``text`` and, for each, whether it forms a bigram with the one before."""
    text = canon(text)
    out: list[str] = []
    joined: list[bool] = []
    prev_end = -1
    for m in _SYLLABLE_RE.finditer(text):
        joined.append(prev_end >= 0 and joinable(text[prev_end:m.start()]))
        out.append(m.group().lower())
        prev_end = m.end()
    return out, joined


def bigrams(text: str) -> list[str]:
    """The bigram terms the index holds for ``text`` (lower-case, accents kept)."""
    return [t.text for t in syllable_analyzer()(text) if BIGRAM_SEP in t.text]


def words(text: str) -> list[str]:
    return [t.text for t in word_analyzer()(segment(text))]
