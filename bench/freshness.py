"""Freshness of ``unionsearch run``: publish on a demo site, time until the search page finds it.

The service runs as a user would start it (``unionsearch run`` in its own process, default cycle
and revisit settings) over the three demo sites on 127.0.0.1. After its first crawl is
searchable, the benchmark

1. publishes a new article (a document number no other article carries) and polls
   ``/search.json`` for it: **time until a new article is found** (target ≤ 120 s);
2. edits that article (a second new number in its title; the sitemap's ``lastmod`` moves, as a
   CMS's does): **time until the edit shows**;
3. takes another article down (its URL answers 404) and polls until it leaves the results:
   **time until a deleted article disappears**.

The baseline is the batch pipeline before this service: nothing runs until someone starts
``crawl``, ``clean`` and ``index`` by hand, so its time is unbounded (printed as such); the
figure to beat is the target. Run: ``.venv/bin/python -m bench.freshness [--json]``.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from corpus.record import VN_TZ
from demo_sites.server import DemoWeb, start_demo_sites

ROOT = Path(__file__).resolve().parents[1]
TARGET_NEW = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _total(base: str, query: str) -> int | None:
    url = f"{base}/search.json?" + urllib.parse.urlencode({"q": query})
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return int(json.load(resp)["total"])
    except (OSError, ValueError, KeyError):
        return None


def _wait(predicate: Any, timeout: float, step: float = 1.0) -> float | None:
    """Seconds until ``predicate()`` holds, or None after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(step)
    return None


def stop(proc: subprocess.Popen[bytes], grace: float) -> int | str:
    """SIGTERM the service and wait: its exit status, or "killed" past ``grace`` seconds."""
    proc.terminate()
    try:
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return f"killed after {grace:.0f} s"


def _local_now() -> datetime:
    return datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0)


def measure(timeout: float = 600.0, extra_args: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, start_demo_sites() as web:
        data_dir, port = Path(tmp) / "data", _free_port()
        base = f"http://127.0.0.1:{port}"
        cmd = [sys.executable, "-m", "unionsearch.cli", "run", "--data-dir", str(data_dir),
               "--port", str(port), "--workers", "1", *(extra_args or [])]
        for site in web.sites.values():
            cmd += ["--start", site.base_url + "/"]
        log = open(Path(tmp) / "run.log", "wb")
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        try:
            started = time.monotonic()
            first = _wait(lambda: (_total(base, "công đoàn") or 0) > 0, timeout)
            out["first_searchable_s"] = first
            if first is None:
                tail = (Path(tmp) / "run.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the service never answered on {base}; its log ends:\n{tail}")
            out.update(_publish_edit_delete(web, base, timeout))
            out["elapsed_s"] = time.monotonic() - started
        finally:
            out["sigterm_exit"] = stop(proc, 60)
            log.close()
            out["log_tail"] = (Path(tmp) / "run.log").read_text(errors="replace").splitlines()[-6:]
    return out


def _publish_edit_delete(web: DemoWeb, base: str, timeout: float) -> dict[str, Any]:
    site = next(iter(web.sites.values()))
    template = site.articles[0]
    new = dataclasses.replace(
        template, id="bench-freshness-1", title="LĐLĐ ban hành Kế hoạch 8801/KH-LĐLĐ về tháng công nhân",
        published=_local_now() - timedelta(minutes=1), syndicate_to=())
    site.publish(new)
    found = _wait(lambda: (_total(base, "8801/KH-LĐLĐ") or 0) > 0, timeout)
    edited = dataclasses.replace(new, title="LĐLĐ ban hành Kế hoạch 8802/KH-LĐLĐ về tháng công nhân",
                                 updated=_local_now())
    site.publish(edited)
    shown = _wait(lambda: (_total(base, "8802/KH-LĐLĐ") or 0) > 0, timeout)
    victim = next(a for a in site.articles if a.id != new.id and a.doc_numbers and not a.syndicate_to
                  and not a.is_copy)
    number = victim.doc_numbers[0]
    before = _total(base, f'"{number}"') or 0
    site.withdraw(victim.id)
    gone = _wait(lambda: (_total(base, f'"{number}"') or 0) < before, timeout)
    return {"new_found_s": found, "edit_shown_s": shown, "deleted_gone_s": gone,
            "deleted_number": number}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.timeout)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0

    def fmt(value: float | None) -> str:
        return f"{value:.0f} s" if value is not None else "not within the timeout"

    print("| | unionsearch run (defaults) | batch pipeline (before) |")
    print("|---|---|---|")
    print(f"| first crawl searchable | {fmt(result['first_searchable_s'])} | when someone runs it |")
    print(f"| new article found | **{fmt(result['new_found_s'])}** | unbounded |")
    print(f"| edited article shows its new text | {fmt(result['edit_shown_s'])} | unbounded |")
    print(f"| deleted article gone from results | {fmt(result['deleted_gone_s'])} | unbounded |")
    print(f"| exit status after SIGTERM | {result['sigterm_exit']} | — |")
    ok = result["new_found_s"] is not None and result["new_found_s"] <= TARGET_NEW
    print(f"target: new article searchable ≤ {TARGET_NEW:.0f} s: {'met' if ok else 'NOT met'}")
    for line in result["log_tail"]:
        print("  log:", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
