"""Output safety: the one piece of index HTML we trust, link schemes, response headers.

Autoescaping covers everything else; these cover what autoescaping cannot: a snippet that is
HTML on purpose, and ``href`` values taken from crawled pages (``javascript:`` would be escaped
text yet still a live link).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

_MARK_RE = re.compile(r'(<mark(?: class="[\w -]*")?>|</mark>)')
#: Two marks separated only by a space, ``-`` or ``/``: one run ("Nghị quyết", "02-NQ/TW").
_ADJACENT_RE = re.compile(r'</mark>([ \u00a0/-]{1,3})<mark(?: class="[\w -]*")?>')

CSP = "; ".join([
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])


def safe_snippet(snippet_html: str) -> Markup:
    """The index's snippet as markup, trusting only ``<mark>`` tags.

    The index escapes the text and adds ``<mark class="match termN">`` around each syllable;
    adjacent marks are merged so a phrase reads as one highlight. Anything between the
    marks that still contains ``<`` or ``>`` is escaped again, so a bug upstream shows up as
    visible text rather than as live HTML.
    """
    out = []
    joined = _ADJACENT_RE.sub(r"\1", snippet_html or "")
    for part in _MARK_RE.split(joined):
        if _MARK_RE.fullmatch(part):
            out.append(Markup(part))
        elif "<" in part or ">" in part:
            out.append(escape(part))
        else:
            out.append(Markup(part))
    return Markup("").join(out)


def safe_url(url: str) -> str:
    """``url`` when it is http(s) (or site-relative), else ``""`` (the template drops the link)."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("http", "https") else ""


def security_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Frame-Options": "DENY",
    }
