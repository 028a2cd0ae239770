"""Crawler benchmark: throughput beside the server's own ceiling, politeness beside its bound,
and peak memory with a 50,000-URL frontier. Each figure is printed beside its reference,
measured in the same run.

    .venv/bin/python -m bench.crawl_bench [--sites 8] [--pages 250] [--rounds 3] [--delay 0.25]
                                          [--polite-pages 30] [--frontier 50000] [--json out.json]

* **Politeness off** (``delay=0``, one connection per site, all sites in parallel): the crawler's
  pages/s beside the **ceiling**, what the same server gives a plain concurrent httpx client
  fetching the same URLs over the same number of connections (one per site) without any crawl
  work (robots, parsing, SQLite frontier, WARC). Measured with ``durable=True`` (the default: an
  fsync per group of WARC records) and ``durable=False``. Ceiling and crawls alternate for
  ``--rounds`` rounds; best and median are printed (the machine may be shared: the load average
  is printed too), and the ratios are best/best and median/median.
* **Politeness on** (``delay`` per server): pages/s and requests/s beside the **bound** sites ÷
  delay (one request per delay per server is the most politeness allows).
* **Memory**: peak RSS (``ru_maxrss``) of a crawl subprocess whose robots.txt names a sitemap of
  ``--frontier`` URLs (so the frontier holds that many), beside the same crawl with a 500-URL
  sitemap, and with two such sitemaps (twice the frontier: the frontier lives in SQLite, so the
  peak is that of parsing one sitemap, not of the frontier); plus the Python heap peak
  (tracemalloc) in one more subprocess.

The web (bench/crawl_web.py) runs in its own process on 127.0.0.10+; nothing leaves loopback.
Every crawl has a page limit and a deadline; every subprocess a timeout.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PER_LISTING = 50


@contextlib.contextmanager
def web(sites: int, pages: int, big: int = 0, sitemaps: int = 1) -> Iterator[dict]:
    """Start bench.crawl_web in a subprocess; yield where its sites are."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.crawl_web", "--sites", str(sites), "--pages", str(pages),
         "--big-sitemap", str(big), "--sitemaps", str(sitemaps)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError("bench.crawl_web did not start")
        yield json.loads(line)
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def site_urls(base: str, pages: int, listings: int) -> list[str]:
    return ([base + "/"] + [f"{base}/muc/{k}" for k in range(listings)]
            + [f"{base}/bai/{n}.html" for n in range(pages)])


# --------------------------------------------------------------------------- the ceiling
async def _ceiling(per_site: list[list[str]]) -> tuple[int, float]:
    """One worker (one keep-alive connection) per site, fetching its URLs back to back."""
    limits = httpx.Limits(max_connections=len(per_site), max_keepalive_connections=len(per_site))
    async with httpx.AsyncClient(limits=limits, timeout=30, trust_env=False) as client:
        async def worker(urls: list[str]) -> int:
            n = 0
            for url in urls:
                r = await client.get(url)
                n += r.status_code == 200 and len(r.content) > 0
            return n

        t0 = time.perf_counter()
        counts = await asyncio.gather(*(worker(u) for u in per_site))
        return sum(counts), time.perf_counter() - t0


def ceiling(info: dict) -> dict:
    per_site = [site_urls(b, info["pages"], info["listings"]) for b in info["sites"]]
    pages, seconds = asyncio.run(_ceiling(per_site))
    return {"pages": pages, "seconds": seconds, "pages_per_s": pages / seconds}


# --------------------------------------------------------------------------- crawls
def run_crawl(info: dict, *, delay: float, durable: bool, deadline: float) -> dict:
    from crawler import CrawlConfig, crawl

    sites = info["sites"]
    expected = len(sites) * (1 + info["listings"] + info["pages"])
    with tempfile.TemporaryDirectory(prefix="crawl-bench-") as tmp:
        summary = crawl(CrawlConfig(
            data_dir=Path(tmp), start_urls=[b + "/" for b in sites], delay=delay,
            max_parallel_hosts=len(sites), concurrency_per_host=1, max_pages=expected,
            deadline=deadline, progress=False, durable=durable, guess_sitemaps=False,
        ))
    return {"pages": summary.fetched, "new": summary.new, "requests": summary.requests,
            "seconds": summary.elapsed, "pages_per_s": summary.fetched / summary.elapsed,
            "requests_per_s": summary.requests / summary.elapsed, "expected": expected,
            "stopped": summary.stopped}


# --------------------------------------------------------------------------- memory
PROBE = """
import json, os, resource, sys, time, tracemalloc
from pathlib import Path
from crawler import CrawlConfig, crawl
from crawler.frontier import Frontier

start, data_dir, max_pages, trace = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
if trace:
    tracemalloc.start()
s = crawl(CrawlConfig(data_dir=data_dir, start_urls=[start], delay=0, max_pages=max_pages,
                      deadline=240, progress=False, durable=False))
peak = tracemalloc.get_traced_memory()[1] if trace else None
f = Frontier(data_dir / "crawl.sqlite")
counts = f.counts()
f.close()
print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "heap_peak": peak, "frontier": sum(counts.values()), "counts": counts,
                  "fetched": s.fetched, "seconds": s.elapsed,
                  "sqlite_bytes": sum(p.stat().st_size for p in data_dir.glob("crawl.sqlite*"))}))
"""


def probe(urls: int, max_pages: int, trace: bool, sitemaps: int = 1) -> dict:
    with web(1, 100, big=urls, sitemaps=sitemaps) as info, \
            tempfile.TemporaryDirectory(prefix="crawl-mem-") as tmp:
        out = subprocess.run([sys.executable, "-c", PROBE, info["sites"][0] + "/", tmp, str(max_pages),
                              "1" if trace else "0"], cwd=ROOT, capture_output=True, text=True,
                             timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- main
def _best_median(runs: list[dict]) -> tuple[float, float]:
    rates = sorted(r["pages_per_s"] for r in runs)
    return rates[-1], statistics.median(rates)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=8)
    ap.add_argument("--pages", type=int, default=250, help="articles per site, politeness off")
    ap.add_argument("--rounds", type=int, default=3, help="alternating ceiling/crawl rounds")
    ap.add_argument("--delay", type=float, default=0.25, help="per-server delay, politeness on")
    ap.add_argument("--polite-pages", type=int, default=30, help="articles per site, politeness on")
    ap.add_argument("--frontier", type=int, default=50_000, help="URLs in the memory probe's frontier")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                                 "system": platform.platform(), "load_before": os.getloadavg()},
                     "args": {k: str(v) for k, v in vars(args).items()}}

    print(f"crawl benchmark on loopback: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    ceilings: list[dict] = []
    durable: list[dict] = []
    loose: list[dict] = []
    with web(args.sites, args.pages) as info:
        n = len(info["sites"]) * (1 + info["listings"] + info["pages"])
        print(f"\n1. politeness off: {args.sites} sites × {n // args.sites} pages, one connection per "
              f"site, {args.rounds} rounds")
        for _ in range(args.rounds):
            ceilings.append(ceiling(info))
            durable.append(run_crawl(info, delay=0.0, durable=True, deadline=300))
            loose.append(run_crawl(info, delay=0.0, durable=False, deadline=300))
    c_best, c_med = _best_median(ceilings)
    results["off"] = {"ceiling": ceilings, "crawl_durable": durable, "crawl_not_durable": loose}
    print(f"   {'':<33}{'best':>9}{'median':>9}   ratio to ceiling (best, median)")
    print(f"   {'server ceiling (plain httpx)':<33}{c_best:9.0f}{c_med:9.0f}   pages/s")
    for name, runs in (("crawler, durable (grouped fsync)", durable), ("crawler, durable=False", loose)):
        best, med = _best_median(runs)
        results["off"][name] = {"best": best, "median": med, "ratio_best": best / c_best,
                                "ratio_median": med / c_med}
        complete = all(r["pages"] == r["expected"] for r in runs)
        print(f"   {name:<33}{best:9.0f}{med:9.0f}   {best / c_best:.2f}, {med / c_med:.2f}"
              f"{'' if complete else '  (some runs incomplete!)'}")

    with web(args.sites, args.polite_pages) as info:
        print(f"\n2. politeness on: {args.sites} servers, delay {args.delay} s, "
              f"{1 + info['listings'] + info['pages']} pages each")
        polite = run_crawl(info, delay=args.delay, durable=True, deadline=600)
    bound = args.sites / args.delay
    results["on"] = {"crawl": polite, "bound_per_s": bound,
                     "ratio_pages": polite["pages_per_s"] / bound,
                     "ratio_requests": polite["requests_per_s"] / bound}
    print(f"   bound sites ÷ delay: {bound:8.1f} requests/s")
    print(f"   crawler:             {polite['requests_per_s']:8.1f} requests/s  ratio "
          f"{polite['requests_per_s'] / bound:.2f}   ({polite['pages_per_s']:.1f} pages/s, ratio "
          f"{polite['pages_per_s'] / bound:.2f}; robots.txt is a request, not a page)")

    print("\n3. memory: crawls whose frontier holds sitemap URLs, 200 pages fetched each")
    small = probe(500, 200, trace=False)
    big = probe(args.frontier, 200, trace=False)
    double = probe(args.frontier, 200, trace=False, sitemaps=2)
    heap = probe(args.frontier, 200, trace=True)
    results["memory"] = {"small": small, "big": big, "double": double, "big_traced": heap}
    mb = 1024.0
    for r in (small, big, double):
        print(f"   peak RSS, {r['frontier']:>7,}-URL frontier: {r['maxrss_kb'] / mb:7.1f} MiB"
              f"  (crawl.sqlite {r['sqlite_bytes'] / 2**20:5.1f} MiB, {r['seconds']:5.1f} s)")
    print(f"   Python heap peak (tracemalloc), {heap['frontier']:,} URLs: "
          f"{heap['heap_peak'] / 2**20:.1f} MiB")
    results["machine"]["load_after"] = os.getloadavg()
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
