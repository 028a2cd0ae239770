"""Load benchmark of the search page: wrk against the production server on 127.0.0.1.

For each index (the demo index, built when missing, and any ``--index LABEL=PATH``), this
starts ``unionsearch serve`` (waitress, via ``search_web.serve``) on a free loopback port, then
runs wrk twice for ``--duration`` seconds each at the same concurrency:

* **mix**: a rotating list of realistic search URLs drawn from that index (keywords with and
  without diacritics, phrases, document numbers found in the corpus, provinces in both schemes,
  date ranges, pages 2–3, ``.json`` twins);
* **reference**: the same server answering ``/static/style.css``, the ceiling of waitress +
  Flask on this machine, so the search figure reads as a fraction of what the stack can do.

It also times "more like this" for the article page in-process (the issue asks < 50 ms on the
demo index). Each figure is printed beside its reference from the same run.

    .venv/bin/python bench/web_load.py                       # demo index in /tmp/unionsearch-demo
    .venv/bin/python bench/web_load.py --index vietnews=/tmp/vn143k/index --duration 20

wrk is Debian's package; it is installed with apt-get (as root, or via sudo) when missing.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
LUA = Path(__file__).with_suffix(".lua")
UNIONSEARCH = Path(sys.executable).with_name("unionsearch")
DEFAULT_DEMO_DIR = Path(tempfile.gettempdir()) / "unionsearch-demo"
REFERENCE_PATH = "/static/style.css"

KEYWORDS = ["công đoàn", "người lao động", "tiền lương", "lương tối thiểu", "bảo hiểm xã hội",
            "an toàn lao động", "Tết Sum vầy", "đoàn viên", "thỏa ước lao động", "đối thoại",
            "nhà ở xã hội", "khu công nghiệp", "kinh phí công đoàn", "tai nạn lao động",
            "Tháng Công nhân", "đình công", "nợ đọng bảo hiểm", "công nhân", "việc làm",
            "học bổng"]
PHRASES = ["người lao động", "công đoàn cơ sở", "an toàn, vệ sinh lao động", "Mái ấm Công đoàn",
           "lương tối thiểu vùng", "thỏa ước lao động tập thể", "Tết Sum vầy", "khu công nghiệp"]


@dataclass
class Figures:
    label: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# -- setup ----------------------------------------------------------------------------------------

def ensure_wrk() -> str:
    """Path of wrk, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    print("wrk is missing: apt-get install wrk", flush=True)
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True)
    subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", "wrk"], check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_index(data_dir: Path) -> Path:
    """The demo index in ``data_dir``, built by ``unionsearch demo --no-serve`` when missing."""
    index = data_dir / "index"
    if not (index / "CURRENT").exists():
        print(f"building the demo index in {data_dir} …", flush=True)
        subprocess.run([str(UNIONSEARCH), "demo", "--no-serve", "--data-dir", str(data_dir),
                        "--port", str(free_port())], check=True, stdout=subprocess.DEVNULL)
    return index


# -- the URL mix ----------------------------------------------------------------------------------

def _fold(text: str) -> str:
    from corpus.textnorm import fold
    return fold(text).lower()


def _url(path: str, pairs: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


def url_mix(index_dir: Path, n: int = 400, seed: int = 6) -> list[str]:
    """Realistic search URLs for this index, in a fixed shuffled order."""
    from indexer.search import SearchIndex, SearchRequest

    index = SearchIndex(index_dir)
    browse = index.search(SearchRequest(page_size=100))
    facets = {name: [v.value for v in values if v.count] for name, values in
              browse.facets.items()}
    old = index.search(SearchRequest(scheme="old", page_size=1)).facets.get("province", [])
    numbers = sorted({num for page in (1, 2, 3)
                      for hit in index.search(SearchRequest(page=page, page_size=100)).hits
                      for num in hit.doc_numbers})
    index.close()
    rng = random.Random(seed)
    years = sorted(y for y in facets.get("year", []) if y.isdigit())
    provinces = facets.get("province", [])[:12] or ["Hà Nội"]
    old_provinces = [v.value for v in old if v.count][:8] or ["Hải Dương"]

    def keyword() -> list[tuple[str, str]]:
        return [("q", rng.choice(KEYWORDS))]

    def date_range() -> list[tuple[str, str]]:
        y = rng.choice(years) if years else "2024"
        return [("from", f"{y}-01-01"), ("to", f"{y}-06-30")]

    makers = [  # (weight, maker of query-string pairs)
        (20, keyword),
        (15, lambda: [("q", _fold(rng.choice(KEYWORDS)))]),
        (10, lambda: [("q", f'"{rng.choice(PHRASES)}"')]),
        (10, lambda: [("q", rng.choice(numbers))] if numbers else keyword()),
        (10, lambda: [*rng.choice([keyword(), []]), ("province", rng.choice(provinces))]),
        (5, lambda: [("province", rng.choice(old_provinces)), ("scheme", "old")]),
        (10, lambda: [*keyword(), *date_range()]),
        (10, lambda: [*keyword(), ("page", str(rng.choice((2, 3))))]),
        (5, lambda: [("page", str(rng.choice((2, 3))))]),
        (5, lambda: [("q", rng.choice(KEYWORDS)), ("sort", "newest")]),
    ]
    weights = [w for w, _ in makers]
    urls = []
    for _ in range(n):
        pairs = rng.choices(makers, weights)[0][1]()
        path = "/search.json" if rng.random() < 0.15 else "/search"
        urls.append(_url(path, pairs))
    return urls


# -- the server and wrk ---------------------------------------------------------------------------

class Server:
    """``unionsearch serve`` on a free loopback port, stopped by its own pid."""

    def __init__(self, index_dir: Path, workers: int, threads: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()       # a pipe could fill up and stall the server
        self.proc = subprocess.Popen(
            [str(UNIONSEARCH), "serve", "--index-dir", str(index_dir), "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--threads", str(threads)],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                sys.exit(f"the server stopped: {self.log.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(self.base + REFERENCE_PATH, timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit("the server did not answer within 120 s")

    def get(self, path: str) -> int:
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as r:
                r.read()
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def precheck(server: Server, paths: list[str], budget_s: float) -> list[int]:
    """Status of each distinct URL, in mix order, for at most ``budget_s`` seconds."""
    deadline = time.monotonic() + budget_s
    statuses = []
    for path in dict.fromkeys(paths):
        statuses.append(server.get(path))
        if time.monotonic() > deadline:
            break
    return statuses


def run_wrk(wrk: str, server: Server, paths: list[str], label: str, args) -> Figures:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    try:
        out = subprocess.run(
            [wrk, "-t", str(args.threads), "-c", str(args.connections), "-d",
             f"{args.duration}s", "--timeout", "30s", "-s", str(LUA), server.base, "--", f.name],
            check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(f.name)
    data = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    return Figures(label, data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1000,
                   data["p95_us"] / 1000, data["p99_us"] / 1000,
                   data["status_errors"] + data["socket_errors"])


# -- more like this -------------------------------------------------------------------------------

def time_more_like_this(index_dir: Path, budget_s: float, articles: int = 60
                        ) -> tuple[int, float, float, float]:
    """Articles timed, median and p95 wall time and median CPU time (ms) of "more like
    this", in-process, over the newest articles for at most ``budget_s`` seconds."""
    from indexer.search import SearchIndex, SearchRequest
    from search_web.related import more_like_this

    index = SearchIndex(index_dir)
    hits = index.search(SearchRequest(page_size=articles)).hits
    records = [index.get(h.id) for h in hits]
    more_like_this(index, records[0])                   # loads pyvi's model
    wall, cpu = [], []
    deadline = time.monotonic() + budget_s
    for record in records:
        if time.monotonic() > deadline:
            break
        copies = {c["id"] for c in index.copies_of(record["id"])}
        w, c = time.perf_counter(), time.process_time()
        more_like_this(index, record, copies)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    index.close()
    wall.sort()
    return (len(wall), statistics.median(wall), wall[int(0.95 * (len(wall) - 1))],
            statistics.median(cpu))


# -- main -----------------------------------------------------------------------------------------

def idle_connections_check(server: Server, n: int = 500, probes: int = 20) -> tuple[int, float]:
    """Hold ``n`` connections that never finish their headers, and time ordinary searches
    meanwhile: (connections held, slowest probe in seconds)."""
    import socket as _socket
    held = []
    try:
        for i in range(n):
            try:
                sock = _socket.create_connection(("127.0.0.1", server.port), timeout=5)
                sock.sendall(b"GET /search?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * i)
                held.append(sock)
            except OSError:
                break
        slowest = 0.0
        for _ in range(probes):
            started = time.perf_counter()
            status = server.get("/search?q=c%C3%B4ng+%C4%91o%C3%A0n")
            slowest = max(slowest, time.perf_counter() - started if status == 200 else 99.0)
        return len(held), slowest
    finally:
        for sock in held:
            sock.close()


def bench_index(wrk: str, label: str, index_dir: Path, args) -> None:
    paths = url_mix(index_dir)
    workers = args.workers or os.cpu_count() or 1
    print(f"\n== {label}: {index_dir} — {len(paths)} URLs in the mix "
          f"({len(set(paths))} distinct), {args.duration} s per run, "
          f"{args.connections} connections, {args.threads} wrk threads", flush=True)
    rows = []
    # The baseline in the same run: one process of 8 threads, the setup before worker
    # processes (its searches ran one at a time under the index lock).
    for setup, (w, t) in (("1 process × 8 threads (before)", (1, 8)),
                          (f"{workers} workers × {args.server_threads} threads", (workers,
                                                                                 args.server_threads))):
        server = Server(index_dir, w, t)
        try:
            statuses = precheck(server, paths, args.duration)
            bad = [s for s in statuses if s != 200]
            print(f"[{setup}] pre-check (also a warm-up): {len(statuses) - len(bad)} of the first "
                  f"{len(statuses)} distinct URLs answer 200"
                  + (f"; others: {sorted(set(bad))}" if bad else ""), flush=True)
            rows.append(run_wrk(wrk, server, paths, f"mix, {setup}", args))
            if w == workers:
                rows.append(run_wrk(wrk, server, [REFERENCE_PATH],
                                    f"reference {REFERENCE_PATH}", args))
                held, slowest = idle_connections_check(server)
        finally:
            server.stop()
    print(f"{'':44} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'requests':>9}")
    for f in rows:
        print(f"{f.label:44} {f.rps:9.1f} {f.p50_ms:8.1f} {f.p95_ms:8.1f} {f.p99_ms:8.1f} "
              f"{f.errors:7d} {f.requests:9d}")
    before, after, ref = rows
    print(f"search mix: {after.rps / before.rps:.2f}× the requests per second of one process "
          f"(target ≥ 1.8×), p95 {after.p95_ms:.0f} ms beside {before.p95_ms:.0f} ms (target "
          f"≤ 400 ms at 8 connections); {after.rps / ref.rps:.1%} of the reference", flush=True)
    print(f"{held} idle half-sent connections held: the slowest of 20 searches meanwhile took "
          f"{slowest * 1000:.0f} ms (target ≤ 1 s)", flush=True)
    n, median, p95, cpu = time_more_like_this(index_dir, args.duration)
    print(f"more like this (in-process, {n} articles): median {median:.1f} ms, p95 {p95:.1f} "
          f"ms wall; median {cpu:.1f} ms CPU (target < 50 ms on the demo index)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo-dir", type=Path, default=DEFAULT_DEMO_DIR,
                        help="data directory of the demo index (built when missing)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo index")
    parser.add_argument("--index", action="append", default=[], metavar="LABEL=PATH",
                        help="another index directory, e.g. vietnews=/tmp/vn143k/index")
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0,
                        help="server worker processes (default: one per CPU)")
    parser.add_argument("--server-threads", type=int, default=4,
                        help="threads per server worker (default: 4)")
    args = parser.parse_args(argv)
    if args.duration > 120 or args.connections > 256:
        parser.error("keep runs bounded: --duration ≤ 120, --connections ≤ 256")

    wrk = ensure_wrk()
    indexes: list[tuple[str, Path]] = []
    if not args.no_demo:
        indexes.append(("demo", demo_index(args.demo_dir)))
    for item in args.index:
        label, _, path = item.rpartition("=")
        indexes.append((label or Path(path).parent.name, Path(path)))
    if not indexes:
        parser.error("nothing to benchmark")
    print(f"machine: {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; server: waitress on "
          "127.0.0.1 (one process of 8 threads, then worker processes)", flush=True)
    for label, index_dir in indexes:
        if not (index_dir / "CURRENT").exists():
            print(f"\n== {label}: no index at {index_dir}, skipped", flush=True)
            continue
        bench_index(wrk, label, index_dir, args)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
