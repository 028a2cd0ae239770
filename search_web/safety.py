"""Output safety: the one piece of index HTML we trust, link schemes, response headers.

Autoescaping covers everything else; these cover what autoescaping cannot: a snippet that is
HTML on purpose, and ``href`` values taken from crawled pages (``javascript:`` would be escaped
text yet still a live link).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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


_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_IPV6_RE = re.compile(r"^\[[0-9a-f:.]+\]$")


def host_name(header: str) -> str | None:
    """The host name of a ``Host`` header (lower case, without port), or None when it is not a
    well-formed host: labels of 1–63 letters, digits and inner hyphens, or an IPv6 literal."""
    header = header.strip().lower()
    if not header or len(header) > 255:
        return None
    if header.startswith("["):
        if "]" not in header:
            return None
        name, _, port = header.partition("]")
        name += "]"
        port = port.removeprefix(":") if port.startswith(":") else ("" if not port else "x")
        ok = bool(_IPV6_RE.match(name))
    else:
        name, _, port = header.partition(":")
        ok = all(_LABEL_RE.match(label) for label in name.rstrip(".").split("."))
    if not ok or (port and not (port.isdigit() and len(port) <= 5)):
        return None
    return name.rstrip(".")


class HostGuard:
    """WSGI middleware: a request whose ``Host`` is malformed or not one of ``trusted`` gets a
    plain 400 (with the security headers) before the app sees it, so the Host header can
    never reach a link, a redirect or a URL builder that would choke on it."""

    def __init__(self, app: Callable, trusted: Iterable[str]) -> None:
        self.app = app
        self.trusted = {t.lower().strip("[]") for t in trusted if t}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        name = host_name(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
        if name is None or name.strip("[]") not in self.trusted:
            body = ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Yêu cầu "
                    "không hợp lệ</title><p>Tên máy chủ trong yêu cầu không hợp lệ.</p>"
                    ).encode()
            headers = [("Content-Type", "text/html; charset=utf-8"),
                       ("Content-Length", str(len(body))), *security_headers().items()]
            start_response("400 Bad Request", headers)
            return [body]
        return self.app(environ, start_response)
