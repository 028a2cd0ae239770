"""Archive reach: how much of a news site's ten-year archive a crawl reaches through its
category listings, beside the old listing stop rule measured in the same run.

    .venv/bin/python -m bench.archive_reach [--articles 400] [--sitemap 30] [--feed 20]
                                            [--delay 0.01] [--api-host] [--empty-months]
                                            [--json [PATH]]

Real Vietnamese news sites put only their newest few dozen articles in the sitemap and the feed;
the archive journalists search is reachable only by paging through category listings, each CMS
paging its own way. The web (tests/archiveweb.py) is such a site: the sitemap (an index nested
three levels) lists the newest 30 articles, the RSS feed the newest 20, the home page the newest
10; the rest lies behind seven listings, one per real style (``?page=N`` numbered, ``/trang-N.html``,
``/pN`` with ``rel=next``, ASP.NET ``?Page=N``, a month archive, "Xem thêm" returning an HTML
fragment, "Xem thêm" returning JSON), next to two traps (a calendar and an endless listing).

It is crawled from ``[home, sitemap, feed]`` twice, each time against a fresh copy of the web on
127.0.0.1: with the crawler's defaults, and with ``deep_listings=False`` (the old rule: a next
page only when this one brought a URL new to the crawl) as the baseline. Per run: articles
stored / total, per style how much of the listing was walked, requests spent on each trap,
requests the server saw, seconds, and politeness read from the server's own log (most requests
at once, smallest gap between two request starts beside the configured delay). Target: ≥ 99 % of
the articles stored, each trap ≤ 50 requests, the crawl ending by itself (not at a limit).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT, ROOT / "tests"):  # archiveweb and crawlweb live with the tests
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from archiveweb import ArchiveWeb, build_archive_web  # noqa: E402
from crawlweb import Site  # noqa: E402

from corpus.rawstore import iter_pages  # noqa: E402
from crawler import CrawlConfig, crawl  # noqa: E402

TARGET_REACH = 0.99
TRAP_BOUND = 50  # requests one trap may cost a crawl
GAP_SLACK = 0.001  # seconds: client and server clocks read the same moment a little apart


def _politeness(site: Site, delay: float) -> dict[str, Any]:
    """Most requests answered at once and the smallest gap between two request starts."""
    times = sorted(e.t for e in site.entries())
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    smallest = min(gaps) if gaps else None
    return {"site": site.host, "requests": len(times), "max_active": site.max_active,
            "min_gap": smallest,
            "polite": site.max_active <= 1 and (smallest is None or smallest >= delay - GAP_SLACK)}


def _measure(web: ArchiveWeb, stored: set[str], delay: float) -> dict[str, Any]:
    sites = [web.site] if web.api is web.site else [web.site, web.api]
    requested = {s.base + e.path for s in sites for e in s.entries()}
    traps = {name: sum(1 for e in web.site.entries() if e.path.startswith(prefix))
             for name, prefix in web.traps.items()}
    styles = {}
    for lst in web.listings:
        walked = sum(1 for url in lst.pages if url in requested)
        styles[lst.style] = {"first_page": lst.first_page, "articles": len(lst.articles),
                             "reached": len(stored & lst.articles), "pages": len(lst.pages),
                             "walked": walked}
    return {"articles": len(web.articles), "reached": len(stored & web.articles), "styles": styles,
            "traps": traps, "requests": sum(len(s.entries()) for s in sites),
            "politeness": [_politeness(s, delay) for s in sites]}


def run(label: str, overrides: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Build a fresh archive web, crawl it with ``overrides`` on CrawlConfig, measure."""
    site = Site("archive")
    api = Site("archive-api", "127.0.0.2") if args.api_host else None
    try:
        web = build_archive_web(site, articles=args.articles, seed=args.seed, api=api,
                                sitemap_articles=args.sitemap, feed_articles=args.feed,
                                empty_months=args.empty_months)
        with tempfile.TemporaryDirectory(prefix="archive-reach-") as tmp:
            cfg = CrawlConfig(data_dir=Path(tmp), start_urls=list(web.seeds),
                              allowed_hosts=web.allowed_hosts if api else None, delay=args.delay,
                              max_pages=args.max_pages, deadline=args.deadline, progress=False,
                              durable=False, **overrides)
            t0 = time.monotonic()
            summary = crawl(cfg)
            elapsed = time.monotonic() - t0
            stored = {path for page in iter_pages(tmp)
                      for url in (page.url, page.fetched_url, *page.aliases)
                      if (path := web.article_path(url)) is not None}
        out = _measure(web, stored, args.delay)
    finally:
        site.close()
        if api is not None:
            api.close()
    out.update(label=label, overrides=overrides, seconds=elapsed, stopped=summary.stopped,
               fetched=summary.fetched, crawler_requests=summary.requests)
    share = out["reached"] / out["articles"]
    misses = []
    if share < TARGET_REACH:
        misses.append(f"{share:.1%} reached")
    misses += [f"{name} trap {n} requests" for name, n in out["traps"].items() if n > TRAP_BOUND]
    if summary.stopped != "done":
        misses.append(f"stopped by {summary.stopped}")
    misses += [f"impolite on {p['site']}" for p in out["politeness"] if not p["polite"]]
    out["met"], out["misses"] = not misses, misses
    return out


def _gap(p: dict[str, Any]) -> str:
    return "-" if p["min_gap"] is None else f"{p['min_gap']:.4f}"


def report(runs: list[dict[str, Any]], args: argparse.Namespace, note: str) -> None:
    print(f"archive reach: {args.articles} articles over ten years (newest {args.sitemap} in the "
          f"sitemap, {args.feed} in the feed), 7 listing styles, 2 traps; delay {args.delay} s, "
          f"max_pages {args.max_pages}, max_depth default"
          + (", JSON API on 127.0.0.2" if args.api_host else "")
          + (", month archive with empty months" if args.empty_months else ""))
    if note:
        print(note)
    print(f"\n{'run':<32}{'articles':>10}{'%':>7}{'calendar':>10}{'endless':>9}{'requests':>10}"
          f"{'seconds':>9}{'max active':>12}   min gap s (delay {args.delay})")
    for r in runs:
        pol = r["politeness"]
        gaps = ", ".join(_gap(p) + ("" if p["polite"] else " !") for p in pol)
        share = 100 * r["reached"] / r["articles"]
        print(f"{r['label']:<32}{r['reached']:>5}/{r['articles']:<4}{share:>7.1f}"
              f"{r['traps']['calendar']:>10}{r['traps']['endless']:>9}{r['requests']:>10}"
              f"{r['seconds']:>9.1f}{max(p['max_active'] for p in pol):>12}   {gaps}")
    print("\nper style: articles reached / in the listing, listing pages fetched / in the walk "
          "(✓ = walked to the end)")
    print(f"{'style':<17}{'first page':<16}" + "".join(f"{r['label'].split()[0]:>24}" for r in runs))
    for style, first in ((s, v["first_page"]) for s, v in runs[0]["styles"].items()):
        cells = []
        for r in runs:
            s = r["styles"][style]
            done = "✓" if s["walked"] == s["pages"] and s["reached"] == s["articles"] else " "
            cells.append(f"{s['reached']:>3}/{s['articles']:<3} {s['walked']:>3}/{s['pages']:<3} {done}")
        print(f"{style:<17}{first:<16}" + "".join(f"{c:>24}" for c in cells))
    verdicts = "; ".join(f"{r['label'].split()[0]}: {'MET' if r['met'] else 'NOT MET'}"
                         + ("" if r["met"] else f" ({', '.join(r['misses'])})") for r in runs)
    print(f"\ntarget: ≥ {TARGET_REACH:.0%} of articles reached, each trap ≤ {TRAP_BOUND} requests, "
          f"crawl ends by itself, one request at a time ≥ delay apart — {verdicts}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--seed", type=int, default=20250614)
    ap.add_argument("--sitemap", type=int, default=30, help="newest articles the sitemap lists")
    ap.add_argument("--feed", type=int, default=20, help="newest articles the RSS feed lists")
    ap.add_argument("--delay", type=float, default=0.01, help="CrawlConfig.delay, seconds")
    ap.add_argument("--max-pages", type=int, default=5000)
    ap.add_argument("--deadline", type=float, default=900.0, help="seconds per crawl")
    ap.add_argument("--api-host", action="store_true", help="serve the JSON load-more from 127.0.0.2")
    ap.add_argument("--empty-months", action="store_true",
                    help="the month archive steps through every calendar month, empty ones too")
    ap.add_argument("--json", nargs="?", const="-", metavar="PATH",
                    help="print the figures as JSON (to PATH when given) instead of the table")
    args = ap.parse_args(argv)

    plan: list[tuple[str, dict[str, Any]]] = [("default (crawler defaults)", {})]
    note = ""
    if "deep_listings" in {f.name for f in dataclasses.fields(CrawlConfig)}:
        plan.append(("baseline (deep_listings=False)", {"deep_listings": False}))
    else:
        note = "CrawlConfig has no deep_listings field: no baseline run, the default only"
    runs = [run(label, overrides, args) for label, overrides in plan]

    if args.json:
        doc = json.dumps({"args": vars(args), "note": note, "runs": runs}, indent=2, ensure_ascii=False)
        if args.json == "-":
            print(doc)
        else:
            Path(args.json).write_text(doc + "\n", encoding="utf-8")
            report(runs, args, note)
    else:
        report(runs, args, note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
