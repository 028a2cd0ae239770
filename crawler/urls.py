"""URL canonicalisation, dedupe keys and the allowed-host check.

Vietnamese news and portal sites publish one article under many spellings: share links with
``utm_*``/``fbclid``/``zarsrc`` (Zalo), raw UTF-8 or ``%c4%91`` slugs, ``http``/``https`` and apex
/``www`` twins. The frontier must see one URL per page, so every URL that enters it goes through
:func:`normalize_url`. Tracking parameters are dropped by an explicit denylist only: content ids
(``cid``, ``ItemID``, ``tabid``, Liferay ``p_p_*``) are identity and are kept, and repeated
parameters are never merged (courlan and crawler4j get both wrong).

Three keys come out of a canonical URL:

* :func:`url_key`: scheme- and ``www``-insensitive page identity (frontier dedupe);
* :func:`site_key`: host without ``www.`` plus a non-default port (politeness slot, sources);
* :func:`origin`: ``scheme://host[:port]`` (robots.txt is per origin, RFC 9309).
"""
from __future__ import annotations

import re
import string
import sys
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

__all__ = [
    "TRACKING_PARAMS",
    "TRACKING_PREFIXES",
    "HostFilter",
    "URLError",
    "host_of",
    "identity",
    "is_tracking_param",
    "normalize_url",
    "origin",
    "site_key",
    "try_normalize",
    "url_key",
]

DEFAULT_PORTS = {"http": 80, "https": 443}

#: Query parameters that never identify content (matched case-insensitively).
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "zarsrc",
    "fb_action_ids", "fb_action_types", "fb_source", "fb_ref", "action_object_map",
    "action_type_map", "action_ref_map", "gs_l", "spm", "vero_id", "oly_enc_id", "oly_anon_id",
    "phpsessid", "jsessionid", "aspsessionid", "cfid", "cftoken", "sessionid",
})
#: Parameter name prefixes that never identify content: ``utm_*``, Zalo's ``zalo*``.
TRACKING_PREFIXES = ("utm_", "zalo", "pk_", "piwik_", "matomo_", "hsa_")

_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = frozenset(_UNRESERVED | set(_SUB_DELIMS) | set(":@/"))
_QUERY_SAFE = frozenset(_UNRESERVED | set(_SUB_DELIMS) | set(":@/?")) - {"&", "="}
_HEX = frozenset("0123456789abcdefABCDEF")
_SESSION_IN_PATH = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^https?://[^/?#\\]", re.IGNORECASE)
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "ftp:", "sms:", "zalo:", "viber:")


class URLError(ValueError):
    """A URL that cannot be crawled; the message names the URL."""


def _normalize_escapes(text: str, safe: frozenset[str]) -> str:
    """Decode escapes of unreserved characters, upper-case the others, escape the rest.

    ``%c4%91``, ``%C4%91`` and a raw ``đ`` all come out as ``%C4%91``.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%" and i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
            byte = int(text[i + 1 : i + 3], 16)
            decoded = chr(byte)
            out.append(decoded if decoded in _UNRESERVED else "%" + text[i + 1 : i + 3].upper())
            i += 3
            continue
        if ch in safe:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    result = "/".join(out)
    if path.startswith("/") and not result.startswith("/"):
        result = "/" + result
    return result


def _idna(host: str, url: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        raise URLError(f"no host in URL {url!r}")
    if host.isascii():
        return host
    try:
        import idna

        return idna.encode(host, uts46=True).decode("ascii")
    except Exception:  # noqa: BLE001 - idna's errors are many; any of them means "not a usable host"
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise URLError(f"bad host {host!r} in URL {url!r}: {exc}") from None


def is_tracking_param(name: str) -> bool:
    """True for a query parameter on the denylist (``utm_*``, ``fbclid``, ``zarsrc``, ``zalo*``…)."""
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _normalize_query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        name, eq, value = part.partition("=")
        name_n = _normalize_escapes(name, _QUERY_SAFE)
        if is_tracking_param(unquote(name_n)):
            continue
        value_n = _normalize_escapes(value, _QUERY_SAFE | {"="})
        pairs.append((name_n, eq + value_n))
    pairs.sort()  # stable: repeated names keep their values, in sorted order
    return "&".join(name + value for name, value in pairs)


def normalize_url(url: str, base: str | None = None) -> str:
    """Return the canonical form of ``url`` (resolved against ``base``) or raise :class:`URLError`.

    Lower-case scheme and host (IDNA), default port and fragment dropped, dot segments resolved,
    percent-encoding normalised, session ids in the path dropped, tracking parameters dropped,
    the query sorted. Only http(s) URLs are accepted.
    """
    raw = (url or "").strip().replace("\\", "/") if url else ""
    raw = re.sub(r"[\t\r\n]", "", raw)
    if not raw or raw.startswith("#"):
        raise URLError(f"empty or fragment-only URL {url!r}")
    if raw.lower().startswith(_SKIP_SCHEMES):
        raise URLError(f"not an http(s) URL: {url!r}")
    if base and not _ABSOLUTE.match(raw):  # sitemaps and feeds list absolute URLs by the 50,000
        raw = urljoin(base, raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise URLError(f"malformed URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise URLError(f"not an http(s) URL: {url!r}")
    if parts.hostname is None:
        raise URLError(f"no host in URL {url!r}")
    host = _idna(parts.hostname, url)
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _SESSION_IN_PATH.sub("", parts.path)
    path = _remove_dot_segments(_normalize_escapes(path, _PATH_SAFE)) or "/"
    if not path.startswith("/"):
        path = "/" + path
    query = _normalize_query(parts.query)
    return urlunsplit((scheme, netloc, path, query, ""))


def try_normalize(url: str | None, base: str | None = None) -> str | None:
    """:func:`normalize_url`, or ``None`` for anything that is not a crawlable http(s) URL."""
    if not url:
        return None
    try:
        return normalize_url(url, base)
    except URLError:
        return None


def host_of(url: str) -> str:
    """``host[:port]`` of a canonical URL, port only when not the default."""
    return urlsplit(url).netloc


def _strip_www(netloc: str) -> str:
    return netloc[4:] if netloc.startswith("www.") else netloc


def site_key(url: str) -> str:
    """Host without ``www.`` plus a non-default port: one politeness slot per site."""
    return _strip_www(host_of(url))


def origin(url: str) -> str:
    """``scheme://host[:port]``: the scope of one robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def url_key(url: str) -> str:
    """Page identity: the canonical URL minus scheme and ``www.`` (http/https/www twins are one)."""
    parts = urlsplit(url)
    key = _strip_www(parts.netloc) + parts.path
    return key + "?" + parts.query if parts.query else key


def identity(url: str) -> tuple[str, str, str]:
    """``(url_key, site_key, origin)`` of a **canonical** URL (from :func:`normalize_url`) in one
    pass, host strings interned: sitemaps bring URLs by the 50,000, all of one or two sites."""
    scheme, _, rest = url.partition("://")
    netloc, slash, tail = rest.partition("/")
    site = _strip_www(netloc)
    return site + slash + tail, sys.intern(site), sys.intern(f"{scheme}://{netloc}")


class HostFilter:
    """Which hosts a crawl may touch.

    Entries are host names (``laodong.vn`` also allows ``www.laodong.vn``), wildcard
    subdomains (``*.laodong.vn``, which includes the apex), or ``host:port`` pairs (loopback test
    servers): an entry with a port allows only that port, one without allows any port.
    """

    def __init__(self, entries: set[str] | list[str] | tuple[str, ...]):
        self._exact: set[tuple[str, int | None]] = set()
        self._suffixes: set[tuple[str, int | None]] = set()
        for entry in entries:
            host, port, wildcard = self._parse(entry)
            (self._suffixes if wildcard else self._exact).add((host, port))

    @staticmethod
    def _parse(entry: str) -> tuple[str, int | None, bool]:
        text = entry.strip().lower()
        if "://" in text:
            text = text.split("://", 1)[1]
        text = text.split("/", 1)[0]
        wildcard = text.startswith(("*.", "."))
        text = text.lstrip("*").lstrip(".")
        port: int | None = None
        if text.count(":") == 1:
            text, _, port_text = text.partition(":")
            if not port_text.isdigit():
                raise URLError(f"bad allowed-host entry {entry!r}")
            port = int(port_text)
        if not text:
            raise URLError(f"bad allowed-host entry {entry!r}")
        return _strip_www(_idna(text, entry)), port, wildcard

    def __bool__(self) -> bool:
        return bool(self._exact or self._suffixes)

    def hosts(self) -> set[str]:
        """The exact host entries (wildcards and ports left out)."""
        return {host for host, _port in self._exact}

    def allows(self, url: str) -> bool:
        """True when the (canonical) ``url`` is on an allowed host."""
        parts = urlsplit(url)
        if parts.hostname is None:
            return False
        host = _strip_www(parts.hostname)
        try:
            port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        except ValueError:
            return False
        for allowed, allowed_port in self._exact:
            if host == allowed and (allowed_port is None or allowed_port == port):
                return True
        for suffix, allowed_port in self._suffixes:
            if (host == suffix or host.endswith("." + suffix)) and (
                allowed_port is None or allowed_port == port
            ):
                return True
        return False

    @classmethod
    def from_urls(cls, urls: list[str]) -> HostFilter:
        """The hosts (with their non-default ports) of ``urls``: the default scope of a crawl."""
        return cls({host_of(normalize_url(u)) for u in urls})
