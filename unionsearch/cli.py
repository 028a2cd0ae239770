"""``unionsearch``: one entry point, one sub-command per stage.

Each stage reads and writes documented on-disk formats under ``--data-dir`` (default ``./data``):
``crawl`` → ``crawl.sqlite`` + ``warc/`` (raw page store), ``clean`` → ``corpus/articles.jsonl``,
``index`` → ``index/``, ``serve`` reads ``index/``. ``demo`` runs them all over the bundled demo
sites. Names are stable: scripts outside the project call them.
"""
from __future__ import annotations

import argparse
import errno
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus.sources import Source

DEFAULT_DATA_DIR = Path("data")


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir)


def _err(message: str) -> int:
    print(f"unionsearch: error: {message}", file=sys.stderr)
    return 2


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler import CrawlConfig, crawl

    sources = _pick_sources(args)
    if isinstance(sources, str):
        return _err(sources)
    config = CrawlConfig(
        data_dir=_data_dir(args), start_urls=list(args.start or []), sources=sources,
        allowed_hosts=set(args.allow_host) if args.allow_host else None,
        max_pages=args.max_pages, max_depth=args.max_depth, delay=args.delay,
        allow_private_addresses=args.allow_private, progress=not args.quiet)
    summary = crawl(config)
    if args.quiet:
        print(summary.format())
    return 0


def _pick_sources(args: argparse.Namespace) -> list[Source] | str:
    """The sources named on the command line (all without names and --start); a string is an
    error message."""
    from corpus.sources import load_sources

    if not args.source and args.start:
        return []
    all_sources = load_sources(args.sources)
    if not args.source:
        return all_sources
    names = {s.name for s in all_sources}
    unknown = [n for n in args.source if n not in names]
    if unknown:
        return f"unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}"
    return [s for s in all_sources if s.name in args.source]


def cmd_run(args: argparse.Namespace) -> int:
    from unionsearch.service import Service, ServiceConfig

    sources = _pick_sources(args)
    if isinstance(sources, str):
        return _err(sources)
    config = ServiceConfig(
        data_dir=_data_dir(args), sources=sources, start_urls=list(args.start or []),
        host=args.host, port=args.port, serve=not args.no_serve, workers=args.workers,
        public_url=args.public_url, cycle_every=args.every, crawl_budget=args.crawl_budget,
        hub_every=args.hub_every, hub_max=args.hub_max, delay=args.delay,
        max_pages=args.max_pages, max_depth=args.max_depth,
        allow_private_addresses=args.allow_private)
    try:
        return Service(config).run()
    except ValueError as exc:
        return _err(str(exc))


def cmd_clean(args: argparse.Namespace) -> int:
    from corpus.clean.stage import clean_store, print_progress
    from corpus.sources import load_sources

    data_dir = _data_dir(args)
    if not (data_dir / "warc").is_dir():
        return _err(f"no raw page store in {data_dir}/warc (run `unionsearch crawl` first)")
    stats = clean_store(data_dir, sources=load_sources(args.sources), full=args.full,
                        progress=print_progress)
    print(stats.summary())
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from corpus.record import corpus_path
    from indexer.build import IndexBusy, build_index, main_progress

    data_dir = _data_dir(args)
    corpus_file = Path(args.corpus) if args.corpus else corpus_path(data_dir)
    index_dir = Path(args.index_dir) if args.index_dir else data_dir / "index"
    if args.check:
        return _check_index(index_dir)
    if not corpus_file.is_file():
        return _err(f"corpus file not found: {corpus_file} (run `unionsearch clean` first)")
    try:
        stats = build_index(corpus_file, index_dir, rebuild=args.rebuild, progress=main_progress)
    except IndexBusy as exc:
        return _err(str(exc))
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            return _err(f"disk full while writing {index_dir}: the live index is unchanged; "
                        "free some space and run `unionsearch index` again")
        return _err(f"{exc.filename or index_dir}: {exc.strerror or exc}")
    print(stats.summary())
    return 0


def _check_index(index_dir: Path) -> int:
    """Read every posting and stored record of each generation; 0 when the live one is sound."""
    from indexer.check import check_generation
    from indexer.generations import current_generation

    live = current_generation(index_dir)
    if live is None:
        return _err(f"no index in {index_dir} (CURRENT missing or naming no generation)")
    status = 0
    for gen in sorted(index_dir.glob("gen-*"), reverse=True):
        problems = check_generation(gen, full=True)
        mark = " (live)" if gen == live else ""
        print(f"{gen.name}{mark}: " + ("readable" if not problems else
                                       f"DAMAGED: {problems[0]}"
                                       + (f" (+{len(problems) - 1} more)" if len(problems) > 1
                                          else "")))
        if problems and gen == live:
            status = 1
    return status


def cmd_serve(args: argparse.Namespace) -> int:
    from indexer.search import IndexNotFound
    from search_web.serve import serve

    index_dir = Path(args.index_dir) if args.index_dir else _data_dir(args) / "index"
    try:
        serve(index_dir, host=args.host, port=args.port, public_url=args.public_url,
              trusted_hosts=tuple(args.trusted_host or ()), workers=args.workers,
              threads=args.threads)
    except IndexNotFound as exc:
        return _err(str(exc))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from unionsearch.extract import extract_file

    try:
        record = extract_file(Path(args.page), url=args.url)
    except (OSError, ValueError) as exc:
        return _err(str(exc))
    print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from unionsearch.demo import run_demo

    return run_demo(port=args.port, data_dir=Path(args.data_dir), host=args.host,
                    serve_forever=not args.no_serve)


def cmd_eval(args: argparse.Namespace) -> int:
    from indexer.build import main_progress
    from indexer.eval import evaluate

    for name in ("corpus", "queries", "qrels", "extra_corpus"):
        path = getattr(args, name)
        if path and not Path(path).is_file():
            return _err(f"--{name.replace('_', '-')}: file not found: {path}")
    report = evaluate(Path(args.corpus), Path(args.queries), Path(args.qrels),
                      Path(args.cache_dir),
                      extra_corpus=Path(args.extra_corpus) if args.extra_corpus else None,
                      extra_limit=args.extra_limit, fold_queries=args.fold_queries,
                      max_queries=args.max_queries, progress=main_progress)
    print(report.table())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="unionsearch", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def with_data_dir(p: argparse.ArgumentParser, default: Path = DEFAULT_DATA_DIR) -> None:
        p.add_argument("--data-dir", default=str(default),
                       help="where the stages keep their files (default: %(default)s)")

    p = sub.add_parser("crawl", help="fetch sources or start URLs into the raw page store")
    p.add_argument("source", nargs="*", help="source names from the sources file (default: all)")
    p.add_argument("--sources", help="sources file (default: corpus/sources.toml)")
    p.add_argument("--start", action="append", metavar="URL", help="ad-hoc start URL (repeat)")
    p.add_argument("--allow-host", action="append", metavar="HOST",
                   help="allowed host (repeat; default: hosts of the start URLs)")
    p.add_argument("--max-pages", type=int, default=1000)
    p.add_argument("--max-depth", type=int, default=4)
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests per host")
    p.add_argument("--allow-private", action="store_true",
                   help="allow hosts that resolve to private or loopback addresses")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    with_data_dir(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("clean", help="raw page store → cleaned articles (corpus/articles.jsonl)")
    p.add_argument("--sources", help="sources file (default: corpus/sources.toml)")
    p.add_argument("--full", action="store_true",
                   help="re-clean every archived page, not only those new or changed")
    with_data_dir(p)
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("index", help="cleaned articles → Whoosh index (incremental)")
    p.add_argument("--corpus", help="corpus JSONL (default: DATA_DIR/corpus/articles.jsonl)")
    p.add_argument("--index-dir", help="index directory (default: DATA_DIR/index)")
    p.add_argument("--rebuild", action="store_true", help="build a new index from scratch")
    p.add_argument("--check", action="store_true", help="read every posting and stored record "
                   "of each generation and report damage (exit 1 when the live one is damaged)")
    with_data_dir(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("serve", help="serve the search page (waitress) on HOST:PORT")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--index-dir", help="index directory (default: DATA_DIR/index)")
    p.add_argument("--public-url", metavar="URL",
                   help="the site's public address (https://tim.example.vn): canonical, feed and "
                   "export links use it; without it they use the request's host, which must be "
                   "this machine or a --trusted-host")
    p.add_argument("--trusted-host", action="append", metavar="HOST",
                   help="a host name requests may use (repeat); others are answered 400")
    p.add_argument("--workers", type=int, default=None,
                   help="search processes sharing the port (default: one per core)")
    p.add_argument("--threads", type=int, default=4, help="threads per worker (default: 4)")
    with_data_dir(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("run", help="crawl, clean, index and serve as one long-running service "
                       "(new articles searchable within minutes; status at /status)")
    p.add_argument("source", nargs="*", help="source names from the sources file (default: all)")
    p.add_argument("--sources", help="sources file (default: corpus/sources.toml)")
    p.add_argument("--start", action="append", metavar="URL", help="ad-hoc start URL (repeat)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="keep the index fresh, serve nothing")
    p.add_argument("--workers", type=int, default=None, help="search processes (default: per core)")
    p.add_argument("--public-url", metavar="URL", help="as for `serve`")
    p.add_argument("--every", type=float, default=30.0, metavar="SECONDS",
                   help="a cycle (crawl, clean, index) starts at most this often (default: 30)")
    p.add_argument("--crawl-budget", type=float, default=300.0, metavar="SECONDS",
                   help="crawling per cycle; a long first crawl spans cycles (default: 300)")
    p.add_argument("--hub-every", type=float, default=60.0, metavar="SECONDS",
                   help="feeds, sitemaps, start and first listing pages revisited this often, "
                   "growing to --hub-max while unchanged (default: 60)")
    p.add_argument("--hub-max", type=float, default=120.0, metavar="SECONDS")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests per host")
    p.add_argument("--max-pages", type=int, default=5000, help="pages per cycle")
    p.add_argument("--max-depth", type=int, default=4)
    p.add_argument("--allow-private", action="store_true",
                   help="allow hosts that resolve to private or loopback addresses")
    with_data_dir(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("extract", help="print the cleaned record of one saved page as JSON")
    p.add_argument("page", help="a saved HTML page")
    p.add_argument("--url", help="the page's URL (helps date and province)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("demo", help="demo sites → crawl → clean → index → serve, on 127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="search page port (demo sites use "
                   "the three ports after it when free)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--no-serve", action="store_true",
                   help="build the demo index and exit (for scripts and tests)")
    with_data_dir(p, DEFAULT_DATA_DIR / "demo")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("eval", help="relevance of the product's ranking beside plain BM25 "
                       "(nDCG@10, MRR@10, Recall@100)")
    p.add_argument("--corpus", required=True, help="JSONL of {id, title, text[, sapo]} "
                   "(plain or .xz)")
    p.add_argument("--queries", required=True, help="TSV: qid<TAB>query")
    p.add_argument("--qrels", required=True, help="TSV (TREC): qid<TAB>0<TAB>docid<TAB>rel")
    p.add_argument("--extra-corpus", help="more documents (distractors), same format")
    p.add_argument("--extra-limit", type=int, help="use only the first N extra documents")
    p.add_argument("--fold-queries", action="store_true",
                   help="remove the diacritics of every query (users typing without them)")
    p.add_argument("--max-queries", type=int, help="evaluate only the first N judged queries")
    p.add_argument("--cache-dir", default=str(DEFAULT_DATA_DIR / "eval-cache"),
                   help="indexes by corpus hash, reused between runs (default: %(default)s)")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
