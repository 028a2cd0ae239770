"""What a crawl may visit and how a discovered URL enters the frontier.

Allowed hosts (default: the hosts of the start URLs plus the sources' ``allowed_hosts``), the
source a URL belongs to, priorities (sitemaps and feeds first, then redirect targets, start URLs,
listing pages, and pages by depth), and the depth / pagination / sitemap-nesting limits.
"""
from __future__ import annotations

from .config import CrawlConfig
from .discover import Discovery
from .frontier import NewUrl, UrlRow
from .netguard import is_ip
from .urls import HostFilter, host_of, identity, site_key, try_normalize

__all__ = ["PRIORITY", "Scope"]

#: lower is fetched first; pages get 10 + depth
#: lease order within a site (lower first); pages get ``10 + depth``. Deep archive pages wait
#: for the articles already queued, so a walk through ten years of listings fetches each page's
#: articles before the next page instead of every listing page first.
PRIORITY = {"sitemap": 0, "feed": 0, "redirect": 1, "seed": 2, "listing": 3, "archive": 20}


class Scope:
    def __init__(self, cfg: CrawlConfig):
        self.cfg = cfg
        if cfg.allowed_hosts is not None:
            entries = set(cfg.allowed_hosts)
        else:
            starts = [*cfg.start_urls, *(u for src in cfg.sources for u in src.seed_urls)]
            entries = {host_of(u) for u in (try_normalize(s) for s in starts) if u}
        for src in cfg.sources:
            entries.update(src.allowed_hosts)
        self.hosts = HostFilter(entries)
        #: IP literals on the allowed list: internal ones among them may be contacted
        self.literal_hosts = {h for h in self.hosts.hosts() if is_ip(h)}
        self._sources = [(src.name, HostFilter(src.allowed_hosts)) for src in cfg.sources]
        self._source_of_site: dict[str, str] = {}

    def allows(self, url: str) -> bool:
        return self.hosts.allows(url)

    def source_for(self, url: str) -> str:
        """Name of the first source whose allowed hosts cover ``url`` ("" for ad-hoc crawls)."""
        key = site_key(url)
        if key not in self._source_of_site:
            self._source_of_site[key] = next((n for n, f in self._sources if f.allows(url)), "")
        return self._source_of_site[key]

    def new_url(self, url: str, *, kind: str, depth: int = 0, page_seq: int = 0, hops: int = 0,
                discovered_from: str | None = None, guessed: bool = False,
                priority: int | None = None, lastmod: float | None = None) -> NewUrl:
        key, host, org = identity(url)
        return NewUrl(
            url=url, key=key, host=host, origin=org, kind=kind,
            priority=priority if priority is not None else PRIORITY.get(kind, 10 + depth),
            depth=depth, page_seq=page_seq, hops=hops, discovered_from=discovered_from,
            source=self._source_of_site.get(host) or self.source_for(url), guessed=guessed,
            lastmod=lastmod,
        )

    def seeds(self) -> list[NewUrl]:
        """Start URLs, and the sources' sitemaps, feeds and start URLs; errors name the URL."""
        plan: list[tuple[str, str]] = [(u, "seed") for u in self.cfg.start_urls]
        for src in self.cfg.sources:
            plan += [(u, "sitemap") for u in src.sitemaps]
            plan += [(u, "feed") for u in src.feeds]
            plan += [(u, "seed") for u in src.start_urls]
        seeds = []
        for raw, kind in plan:
            url = try_normalize(raw)
            if url is None:
                raise ValueError(f"start URL is not a crawlable http(s) URL: {raw!r}")
            if not self.allows(url):
                raise ValueError(f"start URL {raw!r} is outside the allowed hosts")
            seeds.append(self.new_url(url, kind=kind))
        return seeds

    def links(self, row: UrlRow, found: Discovery) -> tuple[list[NewUrl], list[NewUrl]]:
        """What a fetched document adds to the frontier: ``(links, next listing pages)``.

        Sitemap and feed entries keep the depth of their sitemap/feed (they are discovery, not
        link-following); in-page links go one deeper, up to ``max_depth``; next pages of a
        listing keep its depth but count along ``page_seq`` up to ``max_pagination``; from the
        ``fresh_listing_pages``-th on they are its archive (kind ``archive``: revisited rarely).
        """
        cfg = self.cfg
        links: list[NewUrl] = []
        listing: list[NewUrl] = []
        entries = found.doc in ("sitemap", "feed")
        for link in found.links:
            if not self.allows(link.url):
                continue
            new = None
            if found.doc == "sitemapindex" or link.kind == "sitemap":
                if row.page_seq + 1 <= cfg.max_sitemap_nesting:
                    new = self.new_url(link.url, kind="sitemap", depth=row.depth,
                                       page_seq=row.page_seq + 1, discovered_from=row.url,
                                       lastmod=link.lastmod)
            elif entries or link.kind == "feed":
                new = self.new_url(link.url, kind="page" if entries else "feed", depth=row.depth,
                                   discovered_from=row.url, lastmod=link.lastmod if entries else None)
            elif link.kind == "pagination":
                if row.page_seq + 1 <= cfg.max_pagination:
                    deep = cfg.deep_listings and row.page_seq + 1 >= cfg.fresh_listing_pages
                    listing.append(self.new_url(link.url, kind="archive" if deep else "listing",
                                                depth=row.depth, page_seq=row.page_seq + 1,
                                                discovered_from=row.url))
            elif link.kind == "refresh":  # <meta http-equiv=refresh>: like a redirect
                new = self.new_url(link.url, kind="page", depth=row.depth, hops=row.hops + 1,
                                   discovered_from=row.url, priority=PRIORITY["redirect"])
            elif row.depth + 1 <= cfg.max_depth:
                new = self.new_url(link.url, kind="page", depth=row.depth + 1, discovered_from=row.url)
            if new is not None:
                links.append(new)
        return links, listing
