"""Polite, resumable crawler for Vietnamese union news and government sites.

Scrapy-like split: ``frontier`` (scheduler, SQLite), ``fetch`` (downloader, httpx),
``discover`` (sitemaps, feeds, links), ``robots``, ``urls``; ``engine`` runs the loop. Pages are
archived by :mod:`corpus.rawstore` as WARC for the cleaner. Entry point: :func:`crawl`.
"""
from .config import CrawlConfig, CrawlSummary
from .engine import CrawlerBusy, crawl, crawl_async

__all__ = ["CrawlConfig", "CrawlSummary", "CrawlerBusy", "crawl", "crawl_async"]
