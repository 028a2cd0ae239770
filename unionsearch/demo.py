"""``unionsearch demo``: the whole pipeline over the bundled demo sites, on 127.0.0.1, then
``unionsearch run`` over them (the search page, revisits on schedule, ``/status``).

The demo sites are started on the three ports after the search page's when those are free, so
URLs (and article ids) stay the same from one run to the next and bookmarks keep working. Every
run starts from an empty demo data directory: the demo shows a first crawl, not a resumed one.
"""
from __future__ import annotations

import shutil
import socket
import sys
import time
from pathlib import Path

from corpus.clean.stage import clean_store, print_progress
from corpus.record import NATIONAL, corpus_path
from corpus.sources import Source
from crawler import CrawlConfig, crawl
from demo_sites.server import DemoWeb, start_demo_sites
from demo_sites.sites import SITE_IDS
from indexer.build import build_index, main_progress

MARKER = ".unionsearch-demo"
PROVINCE_HINTS = {"congttdt": "Hải Phòng"}


def _say(message: str) -> None:
    print(f"[demo] {message}", file=sys.stderr, flush=True)


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def prepare_data_dir(data_dir: Path) -> None:
    """Empty a previous demo's directory; refuse to touch one the demo did not create."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / MARKER).exists():
            raise SystemExit(f"unionsearch demo: {data_dir} holds other data; "
                             "pass an empty or new --data-dir")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text("created by `unionsearch demo`; emptied on each run\n")


def start_sites(host: str, port: int) -> DemoWeb:
    wanted = {site: port + 1 + i for i, site in enumerate(SITE_IDS)}
    if all(_port_free(host, p) for p in wanted.values()):
        try:
            return start_demo_sites(host=host, ports=wanted)
        except OSError:
            pass
    return start_demo_sites(host=host)


def demo_sources(web: DemoWeb) -> list[Source]:
    out = []
    for site in web.sites.values():
        host = site.base_url.split("://", 1)[1]
        out.append(Source(name=site.id, title=site.title, homepage=site.base_url + "/",
                          kind="newspaper", start_urls=(site.base_url + "/",),
                          allowed_hosts=(host,),
                          province=PROVINCE_HINTS.get(site.id, NATIONAL), verified=True))
    return out


def build_demo(web: DemoWeb, data_dir: Path, *, delay: float = 0.2,
               max_crawl_delay: float = 30.0) -> dict:
    """Crawl, clean and index the running demo sites into ``data_dir``; returns the figures.

    One demo site asks for ``Crawl-delay: 1``, which the demo honours; the end-to-end test caps
    it (``max_crawl_delay``), since what it checks is the pipeline, and the crawler's tests check
    that a Crawl-delay is kept."""
    started = time.monotonic()
    sources = demo_sources(web)
    _say("crawling " + ", ".join(s.base_url for s in web.sites.values()))
    summary = crawl(CrawlConfig(data_dir=data_dir, sources=sources, max_pages=2000,
                                max_depth=5, delay=delay, max_crawl_delay=max_crawl_delay,
                                progress=True))
    stats = clean_store(data_dir, sources=sources, progress=print_progress)
    _say(stats.summary())
    index = build_index(corpus_path(data_dir), data_dir / "index", progress=main_progress)
    _say(index.summary())
    return {"crawl": summary, "clean": stats, "index": index,
            "seconds": time.monotonic() - started}


def run_demo(*, port: int, data_dir: Path, host: str = "127.0.0.1",
             serve_forever: bool = True) -> int:
    prepare_data_dir(data_dir)
    web = start_sites(host, port)
    try:
        figures = build_demo(web, data_dir)
        _say(f"pipeline done in {figures['seconds']:.1f} s; "
             f"{figures['index'].total} documents in the index")
        if not serve_forever:
            return 0
        from unionsearch.service import Service, ServiceConfig

        _say("demo sites: " + ", ".join(f"{s.title} {s.base_url}/" for s in web.sites.values()))
        print(f"Search page: http://{host}:{port}/ (service status: http://{host}:{port}/status)",
              flush=True)
        # From here on the demo is `unionsearch run`: the sites are revisited on schedule and
        # what changes on them is searchable within a couple of minutes.
        Service(ServiceConfig(data_dir=data_dir, sources=demo_sources(web), host=host, port=port,
                              delay=0.2)).run()
    finally:
        web.close()
    return 0
