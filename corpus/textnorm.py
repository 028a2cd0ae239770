"""Vietnamese text normalisation shared by the cleaner (index side) and the query path.

Web text mixes NFC/NFD and two tone-mark placements (``hoá``/``hóa``). Both sides of the search
must see one form, so this module is the single place that decides it: NFC, tone mark on the
first vowel of a final ``oa/oe/uy`` (``Thanh Hoá`` → ``Thanh Hóa``, ``uỷ`` → ``ủy``; ``quý``
untouched), whitespace tidied. :func:`fold` gives the accent-free form used for queries typed
without diacritics.
"""
from __future__ import annotations

import re
import unicodedata

_TONE = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
#: A candidate pair (``o``/``u`` then a toned vowel, not after ``q``, at the end of a syllable);
#: ``_fix_tone`` keeps the pairs that are not in ``_TONE``. Character classes rather than a
#: case-insensitive alternation: six times faster, and every indexed text passes here.
_TONE_SECOND = "".join(sorted({k[1] for k in _TONE} | {k[1].upper() for k in _TONE}))
_TONE_RE = re.compile(r"(?<![qQ])[oOuU][" + _TONE_SECOND + r"](?![a-zà-ỹđA-ZÀ-ỸĐ])")
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_MOJIBAKE_RE = re.compile("á»|áº|Æ°|Ä‘|Ã¡|Ã |Ã¢|Ãª|Ã´|Ä\u0090")


def _fix_tone(m: re.Match[str]) -> str:
    src = m.group(0)
    dst = _TONE.get(src.lower())
    if dst is None:
        return src
    return "".join(d.upper() if s.isupper() else d for s, d in zip(src, dst))


def canon(text: str) -> str:
    """NFC plus one tone-mark placement; the form every stored and queried text takes."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _TONE_RE.sub(_fix_tone, text)


def tidy(text: str) -> str:
    """:func:`canon` plus collapsed spaces (NBSP, zero-width) and trimmed ends, per line."""
    text = canon(text)
    lines = (_SPACE_RE.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def fold(text: str) -> str:
    """Strip diacritics (``đ`` → ``d``) after :func:`canon`; lower case is left to the caller."""
    decomposed = unicodedata.normalize("NFD", canon(text))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D")


def looks_mojibake(text: str) -> bool:
    """True when UTF-8 bytes were decoded as latin-1/cp1252 somewhere upstream."""
    return len(_MOJIBAKE_RE.findall(text)) >= 2


def repair_mojibake(text: str) -> str:
    """Undo one round of UTF-8-read-as-cp1252; returns the input when that is not the case."""
    if not looks_mojibake(text):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text
