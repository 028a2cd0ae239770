"""The source list: which sites the crawler visits and what the cleaner knows about them.

One ``[[source]]`` table per site in ``corpus/sources.toml`` (TOML, read with ``tomllib``). The
crawler takes start URLs, feeds, sitemaps and allowed hosts from it; the cleaner takes the province
hint and the optional CSS selectors. Entries are ``verified = false`` until someone has fetched
the site and recorded pages: selectors drift and were taken from public scrapers.

Fields (``name``, ``title``, ``homepage`` required)::

    name          unique slug, [a-z0-9-]          kind       newspaper | portal | union
    title         human name                      homepage   https://…
    start_urls    list (default [homepage])       feeds      RSS/Atom URLs
    sitemaps      sitemap URLs                    allowed_hosts  hosts (default: homepage host);
                                                  "*.x.vn" adds subdomains
    province      province hint or "Toàn quốc"    verified   bool
    notes         free text                       [source.selectors] title/sapo/body/date
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from corpus.record import NATIONAL

__all__ = ["DEFAULT_PATH", "KINDS", "Selectors", "Source", "SourceError", "find_source", "load_sources"]

DEFAULT_PATH = Path(__file__).with_name("sources.toml")
KINDS = ("newspaper", "portal", "union")
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KNOWN_KEYS = {"name", "title", "kind", "homepage", "start_urls", "feeds", "sitemaps",
               "allowed_hosts", "province", "verified", "notes", "selectors"}
_SELECTOR_KEYS = {"title", "sapo", "body", "date"}


class SourceError(ValueError):
    """A malformed sources file; the message names the file and the entry."""


@dataclass(frozen=True)
class Selectors:
    """CSS selectors the cleaner may try before its generic extractor (None = unknown)."""

    title: str | None = None
    sapo: str | None = None
    body: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    homepage: str
    kind: str = "newspaper"
    start_urls: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    province: str = NATIONAL
    selectors: Selectors | None = None
    verified: bool = False
    notes: str = field(default="", compare=False)

    @property
    def seed_urls(self) -> tuple[str, ...]:
        """Everything the crawler starts from: sitemaps and feeds, then start URLs."""
        return tuple(dict.fromkeys((*self.sitemaps, *self.feeds, *self.start_urls)))


def _is_http_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _url_list(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourceError(f"{where}: {key!r} must be a list of URL strings")
    for v in value:
        if not _is_http_url(v):
            raise SourceError(f"{where}: {key!r} has a value that is not an http(s) URL: {v!r}")
    return tuple(value)


def _host_matches(host: str, entries: tuple[str, ...]) -> bool:
    host = host.lower().removeprefix("www.")
    for entry in entries:
        e = entry.lower()
        wildcard = e.startswith("*.")
        e = e.lstrip("*.").removeprefix("www.").split(":")[0]
        if host == e or (wildcard and host.endswith("." + e)):
            return True
    return False


def _parse_entry(raw: object, index: int, path: Path) -> Source:
    where = f"{path}: source #{index + 1}"
    if not isinstance(raw, dict):
        raise SourceError(f"{where}: must be a table")
    name = raw.get("name")
    if isinstance(name, str):
        where = f"{path}: source #{index + 1} ({name!r})"
    unknown = set(raw) - _KNOWN_KEYS
    if unknown:
        raise SourceError(f"{where}: unknown field(s) {sorted(unknown)}")
    for key in ("name", "title", "homepage"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise SourceError(f"{where}: missing or empty {key!r}")
    if not _NAME_RE.match(raw["name"]):
        raise SourceError(f"{where}: name must match [a-z0-9-]+")
    if not _is_http_url(raw["homepage"]):
        raise SourceError(f"{where}: homepage is not an http(s) URL: {raw['homepage']!r}")
    kind = raw.get("kind", "newspaper")
    if kind not in KINDS:
        raise SourceError(f"{where}: kind must be one of {KINDS}, not {kind!r}")
    start_urls = _url_list(raw, "start_urls", where) or (raw["homepage"],)
    feeds = _url_list(raw, "feeds", where)
    sitemaps = _url_list(raw, "sitemaps", where)
    hosts = raw.get("allowed_hosts") or [urlsplit(raw["homepage"]).hostname]
    if not isinstance(hosts, list) or not all(isinstance(h, str) and h for h in hosts):
        raise SourceError(f"{where}: 'allowed_hosts' must be a list of host names")
    allowed = tuple(hosts)
    for url in (raw["homepage"], *start_urls, *feeds, *sitemaps):
        host = urlsplit(url).hostname or ""
        if not _host_matches(host, allowed):
            raise SourceError(f"{where}: {url!r} is outside allowed_hosts {list(allowed)}")
    province = raw.get("province", NATIONAL)
    if not isinstance(province, str) or not province.strip():
        raise SourceError(f"{where}: 'province' must be a non-empty string")
    verified = raw.get("verified", False)
    if not isinstance(verified, bool):
        raise SourceError(f"{where}: 'verified' must be true or false")
    notes = raw.get("notes", "")
    if not isinstance(notes, str):
        raise SourceError(f"{where}: 'notes' must be a string")
    selectors = None
    if "selectors" in raw:
        sel = raw["selectors"]
        if not isinstance(sel, dict) or set(sel) - _SELECTOR_KEYS:
            raise SourceError(f"{where}: [selectors] takes only {sorted(_SELECTOR_KEYS)}")
        if not all(isinstance(v, str) and v.strip() for v in sel.values()):
            raise SourceError(f"{where}: selectors must be non-empty strings")
        selectors = Selectors(**sel)
    return Source(
        name=raw["name"], title=raw["title"].strip(), homepage=raw["homepage"], kind=kind,
        start_urls=start_urls, feeds=feeds, sitemaps=sitemaps, allowed_hosts=allowed,
        province=province.strip(), selectors=selectors, verified=verified, notes=notes.strip(),
    )


def load_sources(path: str | Path | None = None) -> list[Source]:
    """Read and validate a sources file (default: ``corpus/sources.toml``)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise SourceError(f"{path}: sources file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML: {exc}") from None
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourceError(f"{path}: expected [[source]] tables")
    sources = [_parse_entry(raw, i, path) for i, raw in enumerate(entries)]
    seen: set[str] = set()
    for src in sources:
        if src.name in seen:
            raise SourceError(f"{path}: duplicate source name {src.name!r}")
        seen.add(src.name)
    return sources


def find_source(sources: list[Source], name: str) -> Source:
    """The source called ``name``; the error lists the known names."""
    for src in sources:
        if src.name == name:
            return src
    known = ", ".join(s.name for s in sources) or "none"
    raise SourceError(f"no source named {name!r} (known: {known})")
