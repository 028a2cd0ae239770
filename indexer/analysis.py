"""Vietnamese analysis for Whoosh: syllables (accents kept and folded), pyvi words and syllable
bigrams.

Neither form alone ranks best (``bench/relevance.sh`` measures plain BM25 over each beside the
product): pyvi words win on news, syllables
on legal text, and folded syllables serve users who type without diacritics. Syllable bigrams
beat both: nearly every Vietnamese word has two or more syllables, so a bigram is the unit that
carries meaning and order (with them, questions rank 5–11 nDCG points higher on ViNewsQA and
ALQAC), and a phrase becomes a few term look-ups instead of a positional join. Bigrams live in
the pyvi word fields, beside the words (``liên_đoàn`` and ``liên đoàn``): both are multi-syllable
units, the text with its compounds joined already holds every syllable in order, and those fields store no
positions, so bigrams cost the least there (bigrams in the positional syllable fields made the
index four times larger). Every form starts from :func:`corpus.textnorm.canon` so
``Thanh Hoá``/``Thanh Hóa`` and NFC/NFD are one token, on the index side and the query side
alike.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    Token,
    Tokenizer,
)
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.support.charset import accent_map

from corpus.textnorm import canon
from indexer import wordseg
from indexer.wordcache import WordCache, merge_stages

# Explicit pattern: the Whoosh forks changed the default one (it glues ``*`` into tokens).
SYLLABLE_PATTERN = r"\w+"


class CanonTokenizer(Tokenizer):
    """Applies :func:`canon` before tokenising; ``canon`` keeps the length of NFC text, so the
    character offsets used by highlighting stay valid."""

    def __init__(self, expression: str = SYLLABLE_PATTERN) -> None:
        super().__init__()
        self.expression = expression
        self._inner = RegexTokenizer(expression)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CanonTokenizer) and other.expression == self.expression

    def __call__(self, value: str, **kwargs: Any) -> Iterator[Token]:
        return self._inner(canon(value), **kwargs)


_SYLLABLE_RE = re.compile(SYLLABLE_PATTERN)
#: Two syllables form a bigram only when nothing but spaces separates them: punctuation and
#: line breaks end a phrase.
_JOIN_RE = re.compile(r"[ \t\u00a0]+")
#: A word, or (as an empty group) a run of characters that are neither word characters nor
#: the spaces of ``_JOIN_RE``: what ``word_units`` reads.
_UNIT_RE = re.compile(r"(\w+)|[^\w \t\u00a0]+")
BIGRAM_SEP = " "
#: Whoosh rebinds ``accent_map`` to an ``ord``-keyed table (what ``str.translate`` takes), but
#: its inferred type is that of the first, ``str``-keyed binding.
_ACCENT_TABLE = cast("dict[int, str]", accent_map)


def joinable(gap: str) -> bool:
    """Whether the text between two syllables lets them form a bigram."""
    return bool(_JOIN_RE.fullmatch(gap))


class WordBigramTokenizer(Tokenizer):
    """pyvi output (``Liên_đoàn Lao_động , tỉnh``) → each word (``liên_đoàn``; ``_`` is a word
    character) followed by the syllable bigrams it closes (``liên đoàn``, ``đoàn lao``,
    ``lao động``). Bigrams join syllables inside a word and across a plain space, never across
    punctuation, which pyvi keeps as tokens of its own."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordBigramTokenizer)

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: Any) -> Iterator[Token]:
        text = canon(value)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        prev_syllable, prev_end = "", -1
        for m in _SYLLABLE_RE.finditer(text):
            syllables = [x for x in m.group().split("_") if x]
            if not syllables:
                continue
            units = [m.group()]
            if prev_syllable and joinable(text[prev_end:m.start()]):
                units.append(prev_syllable + BIGRAM_SEP + syllables[0])
            units += [a + BIGRAM_SEP + b for a, b in zip(syllables, syllables[1:])]
            for unit in units:
                t.text, t.boost, t.stopped = unit, 1.0, False
                if keeporiginal:
                    # Token takes any attribute (its ``__dict__``); Whoosh declares no ``original``.
                    t.original = unit     # type: ignore[attr-defined]
                if positions:
                    t.pos = pos
                    pos += 1
                if chars:
                    t.startchar, t.endchar = start_char + m.start(), start_char + m.end()
                yield t
            prev_syllable, prev_end = syllables[-1], m.end()


def syllable_analyzer() -> CompositeAnalyzer:
    """Accent-keeping syllables: ``Liên đoàn`` → ``liên``, ``đoàn``."""
    return CanonTokenizer() | LowercaseFilter()


def folded_analyzer() -> CompositeAnalyzer:
    """Accent-free syllables: ``Liên đoàn`` → ``lien``, ``doan`` (``đ`` → ``d``)."""
    return CanonTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def word_analyzer() -> CompositeAnalyzer:
    """Text with its compounds joined (:func:`join_compounds`) → pyvi words and syllable bigrams
    (``WordBigramTokenizer``)."""
    return WordBigramTokenizer() | LowercaseFilter()


_word_cache: WordCache | None = None


def use_word_cache(path: Path | str | None) -> None:
    """Cache pyvi output on disk from now on (``None`` turns it off). Worker processes forked
    afterwards (the indexer's pool) inherit the setting."""
    global _word_cache
    flush_word_cache()
    _word_cache = WordCache(path) if path else None
    if _word_cache is not None:
        _word_cache.prepare()


def flush_word_cache() -> None:
    """Stage this process's buffered lines (a worker calls it when done)."""
    if _word_cache is not None:
        _word_cache.flush()


def merge_word_cache() -> None:
    """Fold every process's staged lines into the cache (under the builder's lock,
    before the cache is read)."""
    if _word_cache is not None:
        _word_cache.flush()
        merge_stages(_word_cache.path)
        _word_cache.prepare()     # the next look-up opens afresh and sees the merged rows


def join_compounds(text: str) -> str:
    """pyvi's word splitting of canonical text: each compound's syllables joined by ``_``.

    Splitting depends on case and context, so it runs on the original-case canonical text,
    line by line (pyvi is slow on very long strings).
    """
    lines = [line.strip() for line in canon(text).splitlines() if line.strip()]
    cache = _word_cache
    known = cache.get_many(lines) if cache is not None and lines else {}
    fresh = {line: wordseg.tokenize(line) for line in lines if line not in known}
    if cache is not None:
        cache.put_many(fresh)
    return "\n".join(known[line] if line in known else fresh[line] for line in lines)


def syllables(text: str) -> list[str]:
    """Lower-case canonical syllables of ``text`` (no bigrams): what ``syllable_analyzer``
    indexes, without its token stream."""
    text = canon(text)
    low = text.lower()
    if len(low) == len(text):         # one lower() for the text, not one per syllable
        return _SYLLABLE_RE.findall(low)
    return [s.lower() for s in _SYLLABLE_RE.findall(text)]    # ``İ`` lowers to two characters


def folded_syllables(text: str) -> list[str]:
    """What ``folded_analyzer`` indexes, without its token stream."""
    return fold_syllables(syllables(text))


def fold_syllables(found: list[str]) -> list[str]:
    """``syllables`` output folded: one translate() call for the whole list (no syllable
    contains NUL)."""
    return "\0".join(found).translate(_ACCENT_TABLE).split("\0") if found else []


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


def words(text: str) -> list[str]:
    """pyvi words of ``text`` (lower case, compounds joined by ``_``)."""
    return [w for w in word_units(join_compounds(text)) if BIGRAM_SEP not in w]


def word_units(joined: str) -> list[str]:
    """What the word fields index for text whose compounds are joined (``WordBigramTokenizer``, lower
    case): each word, then the bigrams it closes. Written out rather than run through the token
    stream because the indexer calls it for every document: one ``findall`` yields the words
    and, as empty strings, the runs of characters that end a phrase."""
    text = canon(joined)
    low = text.lower()
    if len(low) != len(text):         # a letter whose lower case is longer (``İ``): per token
        return [t.text for t in word_analyzer()(joined)]
    out: list[str] = []
    append = out.append
    prev = ""
    for word in _UNIT_RE.findall(low):
        if not word:
            prev = ""
        elif "_" in word:
            syls = [x for x in word.split("_") if x]
            if not syls:
                prev = ""
                continue
            append(word)
            if prev:
                append(prev + BIGRAM_SEP + syls[0])
            for a, b in zip(syls, syls[1:]):
                append(a + BIGRAM_SEP + b)
            prev = syls[-1]
        else:
            append(word)
            if prev:
                append(prev + BIGRAM_SEP + word)
            prev = word
    return out
