"""Soak of ``unionsearch run``: half an hour over the demo sites with outages and new articles.

The service runs as a user starts it (its own process, default settings) over the three demo
sites on 127.0.0.1 while the benchmark

* asks the search page a question every second, the whole time (answers, failures, latency);
* takes one site down for two minutes every five (connections dropped unanswered), in turn;
* publishes a new article every three minutes on a site in turn, and times until it is found;
* samples the resident memory of the service and of its search page every ten seconds.

At the end (SIGTERM) it checks the corpus: every article published, the new ones included,
exactly once. Memory is compared with the first sample after the first crawl (the baseline of
"flat"), latency with the same questions asked in the first five minutes.
Run: ``.venv/bin/python -m bench.soak [--minutes 30] [--json]``.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.freshness import ROOT, _free_port, _local_now, stop
from corpus.record import corpus_path, read_corpus
from demo_sites.server import ground_truth, start_demo_sites

OUTAGE_EVERY, OUTAGE_FOR, PUBLISH_EVERY = 300.0, 120.0, 180.0


def _rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in kB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def _ask(base: str, q: str) -> tuple[int | None, float]:
    started = time.monotonic()
    try:
        url = f"{base}/search.json?" + urllib.parse.urlencode({"q": q})
        with urllib.request.urlopen(url, timeout=5) as resp:
            total = int(json.load(resp)["total"])
    except (OSError, ValueError, KeyError):
        total = None
    return total, time.monotonic() - started


def soak(minutes: float) -> dict[str, Any]:
    out: dict[str, Any] = {"minutes": minutes}
    with tempfile.TemporaryDirectory() as tmp, start_demo_sites() as web:
        data_dir, port = Path(tmp) / "data", _free_port()
        base = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "unionsearch.cli", "run", "--data-dir", str(data_dir),
               "--port", str(port), "--workers", "1"]
        sites = list(web.sites.values())
        for site in sites:
            cmd += ["--start", site.base_url + "/"]
        log = open(Path(tmp) / "run.log", "wb")
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        asked: list[tuple[float, int | None, float]] = []
        memory: list[tuple[float, int]] = []
        published: dict[str, tuple[float, str, float | None]] = {}   # id → (when, number, found)
        outages: list[str] = []
        try:
            while _ask(base, "công đoàn")[0] is None:
                time.sleep(1)
                if proc.poll() is not None:
                    raise RuntimeError("the service exited; see its log")
            start = time.monotonic()
            end = start + minutes * 60
            next_outage, next_publish, next_sample, down = start + 60, start + 30, start, None
            n = 0
            while (now := time.monotonic()) < end:
                total, took = _ask(base, "công đoàn")
                asked.append((now - start, total, took))
                if now >= next_sample:
                    memory.append((now - start, _rss_kb(proc.pid)))
                    next_sample += 10
                if down is not None and now >= down[1]:
                    down[0].set_down(False)
                    down = None
                if down is None and now >= next_outage:
                    site = sites[len(outages) % len(sites)]
                    site.set_down(True)
                    outages.append(site.id)
                    down = (site, now + OUTAGE_FOR)
                    next_outage += OUTAGE_EVERY
                if now >= next_publish:
                    n += 1
                    site = sites[n % len(sites)]
                    number = f"{7700 + n}/KH-LĐLĐ"
                    article = dataclasses.replace(
                        site.articles[0], id=f"soak-{n}", syndicate_to=(),
                        title=f"LĐLĐ ban hành Kế hoạch {number} về phong trào thi đua",
                        published=_local_now() - timedelta(minutes=1))
                    site.publish(article)
                    published[article.id] = (now, number, None)
                    next_publish += PUBLISH_EVERY
                for aid, (when, number, found) in list(published.items()):
                    if found is None and (_ask(base, number)[0] or 0) > 0:
                        published[aid] = (when, number, now - when)
                time.sleep(max(0.0, 1.0 - (time.monotonic() - now)))
            if down is not None:
                down[0].set_down(False)
        finally:
            out["sigterm_exit"] = stop(proc, 120)
            log.close()
        urls = [a.url for a in read_corpus(corpus_path(data_dir))]
        expected = set(ground_truth(web))
        out.update(_figures(asked, memory, published, outages, urls, expected))
        out["log_tail"] = (Path(tmp) / "run.log").read_text(errors="replace").splitlines()[-4:]
    return out


def _figures(asked: list[tuple[float, int | None, float]], memory: list[tuple[float, int]],
             published: dict[str, tuple[float, str, float | None]], outages: list[str],
             urls: list[str], expected: set[str]) -> dict[str, Any]:
    ok = [took for _, total, took in asked if total]
    failed = [t for t, total, _ in asked if not total]
    first = [took for t, total, took in asked if total and t < 300]

    def pct(values: list[float], q: float) -> float:
        return round(1000 * sorted(values)[int(q * (len(values) - 1))], 1) if values else float("nan")

    found = [f for _, _, f in published.values() if f is not None]
    settled = [kb for t, kb in memory if t >= 60] or [kb for _, kb in memory]
    return {
        "questions": len(asked), "answered": len(ok), "failed": len(failed),
        "p50_ms": pct(ok, 0.5), "p95_ms": pct(ok, 0.95),
        "first5min_p50_ms": pct(first, 0.5), "first5min_p95_ms": pct(first, 0.95),
        "rss_first_mb": round(settled[0] / 1024, 1) if settled else None,
        "rss_last_mb": round(settled[-1] / 1024, 1) if settled else None,
        "rss_max_mb": round(max(settled) / 1024, 1) if settled else None,
        "outages": outages, "published": len(published), "published_found": len(found),
        "publish_to_search_s": {"median": round(statistics.median(found), 1) if found else None,
                                "max": round(max(found), 1) if found else None},
        "corpus_articles": len(urls), "duplicated": len(urls) - len(set(urls)),
        "lost": sorted(expected - set(urls)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    started = datetime.now()
    result = soak(args.minutes)
    result["started"] = started.isoformat(timespec="seconds")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    r = result
    print(f"soak of {r['minutes']:.0f} min: {r['questions']} questions, {r['answered']} answered, "
          f"{r['failed']} failed; p50/p95 {r['p50_ms']}/{r['p95_ms']} ms "
          f"(first 5 min, the baseline: {r['first5min_p50_ms']}/{r['first5min_p95_ms']} ms)")
    print(f"memory (service + search page): {r['rss_first_mb']} MB after the first minute, "
          f"{r['rss_last_mb']} MB at the end, {r['rss_max_mb']} MB at most")
    print(f"outages: {len(r['outages'])} ({', '.join(r['outages'])}); published {r['published']}, "
          f"found {r['published_found']} (median {r['publish_to_search_s']['median']} s, "
          f"max {r['publish_to_search_s']['max']} s)")
    print(f"corpus: {r['corpus_articles']} articles, {r['duplicated']} duplicated, "
          f"{len(r['lost'])} lost; exit after SIGTERM: {r['sigterm_exit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
