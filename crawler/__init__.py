"""Polite, resumable crawler for Vietnamese union news and government sites.

Scrapy-like split: ``frontier`` (scheduler, SQLite), ``fetch`` (downloader, httpx),
``discover`` (sitemaps, feeds, links), ``robots`` and ``robotscache``, ``urls``, ``scope``;
policies in ``politeness`` (one slot per server address), ``recrawl`` (adaptive revisits, gone
pages) and ``netguard`` (addresses, the internal-address guard); ``engine`` schedules and runs
the loop, ``outcomes`` records what each fetch came to (store, redirect, retry, gone, fail), with
its reasons enumerated once in ``reasons``. 200s that are no content (challenges, maintenance,
soft 404s) are judged by :mod:`corpus.softfail`, the same verdict the cleaner gives, so a
challenge page is retried, never stored. Pages are archived as WARC by ``warcwriter`` (which also
repairs a crash's half-written record) in the format of :mod:`corpus.rawstore`, whose reader the
cleaner uses, also to learn which pages are gone (``iter_gone``). Entry point: :func:`crawl`.
"""
from .config import CrawlConfig, CrawlSummary
from .engine import CrawlerBusy, crawl, crawl_async

__all__ = ["CrawlConfig", "CrawlSummary", "CrawlerBusy", "crawl", "crawl_async"]
