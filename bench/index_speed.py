"""Index and query speed on VietNews, ours beside tantivy (the speed-limit reference), one run.

For each size (10k: ``vietnews-10k``; 143k: ``vietnews-143k``, both from ../shared/data): build
our index from scratch (both cores, cold segmentation cache) and tantivy's from the same corpus
file, then answer the same ~200 requests (:mod:`bench.index_speed_queries`) with each: our
``SearchIndex.search`` (facet counts, collapsed copies, highlighted snippets included) and
tantivy's equivalent page (:mod:`bench.index_speed_tantivy`). Each engine runs in its own child
process, so peak memory is its own. Latency is reported cold (first pass: caches empty) and
warm (second pass), as wall time and as CPU time of the searching process: on a shared machine
the CPU figure is the one that does not depend on the neighbours (the load average is printed).

    .venv/bin/python -m bench.index_speed [--sizes 10k,143k] [--work /tmp/unionsearch-bench]
                                          [--warm-rebuild] [--reuse-builds]

Everything big goes under ``--work`` (never the repository). Targets (issue 5) at 143k: full
index ≤ 15 min on 2 cores, p50 ≤ 30 ms and p95 ≤ 200 ms per page.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.index_speed_corpus import vietnews_corpus
from bench.index_speed_queries import BenchQuery, query_set

ROOT = Path(__file__).resolve().parents[1]
TARGET_INDEX_S = {"143k": 15 * 60}
TARGET_P50_MS, TARGET_P95_MS = 30.0, 200.0


# -- child tasks (one engine, one job, JSON on stdout) -----------------------------------------
def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _dir_bytes(path: Path, skip: str = "") -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and p.name != skip)


def build_ours(corpus: Path, index_dir: Path, fresh: bool) -> dict:
    from indexer.build import build_index, main_progress
    from indexer.wordcache import FILE_NAME as WORD_CACHE

    if fresh:
        shutil.rmtree(index_dir, ignore_errors=True)
    wall, cpu = time.monotonic(), _cpu()
    stats = build_index(corpus, index_dir, rebuild=True, progress=main_progress)
    return {"docs": stats.total, "seconds": time.monotonic() - wall, "cpu": _cpu() - cpu,
            "bytes": _dir_bytes(index_dir / stats.generation),
            "cache_bytes": _dir_bytes(index_dir) - _dir_bytes(index_dir / stats.generation),
            "peak_mb": _peak_mb(), "word_cache": WORD_CACHE}


def build_tantivy(corpus: Path, index_dir: Path) -> dict:
    from bench.index_speed_tantivy import build

    shutil.rmtree(index_dir, ignore_errors=True)
    wall, cpu = time.monotonic(), _cpu()
    docs = build(corpus, index_dir)
    return {"docs": docs, "seconds": time.monotonic() - wall, "cpu": _cpu() - cpu,
            "bytes": _dir_bytes(index_dir), "peak_mb": _peak_mb()}


def _ours_searcher(index_dir: Path):
    from indexer.search import SearchIndex, SearchRequest

    index = SearchIndex(index_dir)

    def run(b: BenchQuery) -> None:
        index.search(SearchRequest(q=b.q, provinces=b.provinces, scheme=b.scheme,
                                   date_from=b.date_from, date_to=b.date_to, sort=b.sort,
                                   page=b.page))
    return run


def _tantivy_searcher(index_dir: Path):
    from bench.index_speed_tantivy import Searcher

    return Searcher(index_dir).search


def query(engine: str, corpus: Path, index_dir: Path) -> dict:
    """Open, then two passes over the request set: cold, then warm."""
    started = time.monotonic()
    run = _ours_searcher(index_dir) if engine == "ours" else _tantivy_searcher(index_dir)
    out: dict = {"open_s": time.monotonic() - started}
    requests = query_set(corpus)
    for name in ("cold", "warm"):
        wall, cpu = [], []
        for b in requests:
            w, c = time.perf_counter(), time.process_time()
            run(b)
            wall.append((time.perf_counter() - w) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        out[name] = {"wall": wall, "cpu": cpu}
    out["kinds"] = [b.kind for b in requests]
    out["peak_mb"] = _peak_mb()
    return out


def _child_main(task: str, corpus: str, index_dir: str) -> None:
    corpus_path, index_path = Path(corpus), Path(index_dir)
    if task == "build-ours":
        result = build_ours(corpus_path, index_path, fresh=True)
    elif task == "rebuild-ours":
        result = build_ours(corpus_path, index_path, fresh=False)
    elif task == "build-tantivy":
        result = build_tantivy(corpus_path, index_path)
    else:
        result = query(task.split("-", 1)[1], corpus_path, index_path)
    print(json.dumps(result))


def _child(task: str, corpus: Path, index_dir: Path) -> dict:
    print(f"  … {task} {index_dir.name}", file=sys.stderr, flush=True)
    proc = subprocess.run([sys.executable, "-m", "bench.index_speed", "--child", task,
                           str(corpus), str(index_dir)], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- report ------------------------------------------------------------------------------------
def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def _lat(q: dict, pass_: str, kind: str = "wall") -> str:
    v = q[pass_][kind]
    return f"{statistics.median(v):7.1f} / {_pct(v, 0.95):7.1f} ms"


def _row(label: str, ours: str, ref: str) -> None:
    print(f"  {label:<34} {ours:>26}   {ref:>26}")


def report(size: str, built: dict, ref_built: dict, q: dict, ref_q: dict,
           rebuilt: dict | None) -> None:
    print(f"\nVietNews {size}: {built['docs']:,} documents "
          f"(load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    _row("", "ours (whoosh3 + NumPy)", "tantivy (reference)")
    for label, b, r in (("full index, wall", built, ref_built),):
        _row(label, f"{b['seconds']:.0f} s ({b['docs'] / b['seconds']:.0f} docs/s)",
             f"{r['seconds']:.1f} s ({r['docs'] / r['seconds']:.0f} docs/s)")
    _row("full index, CPU (all processes)", f"{built['cpu']:.0f} s", f"{ref_built['cpu']:.1f} s")
    if rebuilt:
        _row("rebuild, segmentation cached", f"{rebuilt['seconds']:.0f} s", "")
    _row("index size", f"{built['bytes'] / 2**20:.0f} MiB "
         f"(+{built['cache_bytes'] / 2**20:.0f} seg. cache)",
         f"{ref_built['bytes'] / 2**20:.0f} MiB")
    _row("peak memory, build (largest proc.)", f"{built['peak_mb']:.0f} MiB",
         f"{ref_built['peak_mb']:.0f} MiB")
    _row("open searcher", f"{q['open_s'] * 1000:.0f} ms", f"{ref_q['open_s'] * 1000:.0f} ms")
    for label, pass_, kind in (("page latency p50/p95, warm", "warm", "wall"),
                               ("  same, CPU time", "warm", "cpu"),
                               ("page latency p50/p95, cold", "cold", "wall"),
                               ("  same, CPU time", "cold", "cpu")):
        _row(label, _lat(q, pass_, kind), _lat(ref_q, pass_, kind))
    for kind in dict.fromkeys(q["kinds"]):
        idx = [i for i, k in enumerate(q["kinds"]) if k == kind]
        ours = [q["warm"]["wall"][i] for i in idx]
        ref = [ref_q["warm"]["wall"][i] for i in idx]
        _row(f"  warm {kind} ({len(idx)})", f"{statistics.median(ours):7.1f} / "
             f"{_pct(ours, 0.95):7.1f} ms", f"{statistics.median(ref):7.1f} / "
             f"{_pct(ref, 0.95):7.1f} ms")
    _row("peak memory, searching", f"{q['peak_mb']:.0f} MiB", f"{ref_q['peak_mb']:.0f} MiB")
    _verdict(size, built, q)


def _verdict(size: str, built: dict, q: dict) -> None:
    p50, p95 = statistics.median(q["warm"]["wall"]), _pct(q["warm"]["wall"], 0.95)
    limit = TARGET_INDEX_S.get(size)
    index_ok = "" if limit is None else (
        f"index {'≤' if built['seconds'] <= limit else '>'} {limit // 60} min; ")
    print(f"  targets: {index_ok}p50 {'≤' if p50 <= TARGET_P50_MS else '>'} {TARGET_P50_MS:.0f} ms;"
          f" p95 {'≤' if p95 <= TARGET_P95_MS else '>'} {TARGET_P95_MS:.0f} ms (warm, wall)")


def run_size(size: str, work: Path, warm_rebuild: bool, reuse_builds: bool) -> None:
    corpus = vietnews_corpus(size, work)
    ours_dir, ref_dir = work / f"ours-{size}", work / f"tantivy-{size}"
    saved = work / f"builds-{size}.json"
    if reuse_builds:
        builds = json.loads(saved.read_text())
    else:
        builds = {"ours": _child("build-ours", corpus, ours_dir),
                  "rebuilt": _child("rebuild-ours", corpus, ours_dir) if warm_rebuild else None,
                  "tantivy": _child("build-tantivy", corpus, ref_dir)}
        saved.write_text(json.dumps(builds))
    q = _child("query-ours", corpus, ours_dir)
    ref_q = _child("query-tantivy", corpus, ref_dir)
    report(size, builds["ours"], builds["tantivy"], q, ref_q, builds["rebuilt"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,143k")
    parser.add_argument("--work", default="/tmp/unionsearch-bench", type=Path)
    parser.add_argument("--warm-rebuild", action="store_true",
                        help="also time a rebuild whose pyvi segmentations are cached")
    parser.add_argument("--reuse-builds", action="store_true",
                        help="measure queries only, on the indexes (and build figures) of the "
                             "last run in --work")
    parser.add_argument("--child", nargs=3, metavar=("TASK", "CORPUS", "INDEX"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child_main(*args.child)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes.split(","):
        run_size(size, args.work, args.warm_rebuild, args.reuse_builds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
