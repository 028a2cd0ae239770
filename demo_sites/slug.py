"""URL slugs the way Vietnamese CMSs make them: diacritics folded to ASCII, words joined by '-'."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")
MAX_SLUG = 100


def ascii_fold(text: str) -> str:
    """'Công đoàn' -> 'Cong doan' (đ/Đ have no decomposition, so they are mapped by hand)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str, keep_case: bool = False) -> str:
    """Slug capped at MAX_SLUG characters on a word boundary; SharePoint keeps case, others lower it."""
    slug = _NON_ALNUM.sub("-", ascii_fold(text)).strip("-")
    if not keep_case:
        slug = slug.lower()
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    return slug
