"""``unionsearch run``: crawl, clean, index and serve as one long-running service.

A newsroom's search engine runs for months: new articles should be searchable minutes after they
are published without anyone starting anything. The service repeats a *cycle*:

1. **crawl** for at most ``crawl_budget`` seconds, ending early when nothing is due within a few
   seconds. Feeds, sitemaps, start pages and the first listing pages are revisited every
   ``hub_every`` seconds (growing to ``hub_max`` while they stay unchanged); articles and the
   deep archive on the crawler's own slower schedule. A first full crawl of a ten-year archive
   simply spans many cycles, and what it has found so far becomes searchable after each one;
2. **clean** the pages new or changed since the last cycle (gone pages leave the corpus);
3. **index** what the clean changed, as a new commit or generation: the search processes
   follow it, and keep serving the last good one while an update runs or fails;
4. write ``status.json`` (per source: last successful fetch, pages stored, errors, next visit,
   gone quiet; the index's generation and age) for ``/status``, and log one line.

The search page runs in a child process (``unionsearch serve``), restarted if it dies. Every stage
is already crash-safe on its own (a killed crawl resumes from its frontier and WARC, a killed
index build leaves the live generation alone, the corpus file is replaced atomically), so the
service needs no state of its own: after ``kill -9`` the next start goes on where it stopped.
SIGTERM (or Ctrl-C) stops it cleanly: a crawl finishes its in-flight pages, a clean or an index
update in progress is completed (they are small increments), the server is stopped; a second
signal stops at once. A source that is down is retried with the crawler's back-off and
reported, and never holds up the others (one politeness slot each). A full disk stops writing
with a message naming the place, keeps serving what is stored, and tries again after a pause.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from corpus.clean.stage import CleanStats, clean_store
from corpus.record import corpus_path
from corpus.sources import Source
from crawler import CrawlConfig, CrawlSummary, crawl
from crawler.sourcestatus import source_status
from indexer.build import IndexBusy, IndexStats, build_index
from indexer.generations import current_generation
from search_web.status import STATUS_FILE

__all__ = ["Service", "ServiceConfig"]

#: after a full disk or a failing stage, wait this long before the next cycle
TROUBLE_PAUSE = 60.0
SERVER_RESTART_PAUSE = 5.0
_PR_SET_PDEATHSIG = 1


@dataclass
class ServiceConfig:
    """What ``unionsearch run`` does; the defaults find a new article within two minutes on a
    handful of sites (a site with hundreds of listing pages should raise ``hub_max``)."""

    data_dir: Path
    sources: list[Source] = field(default_factory=list)
    start_urls: list[str] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 8000
    serve: bool = True  # run the search page beside the crawl
    workers: int | None = None
    public_url: str | None = None
    cycle_every: float = 30.0  # a cycle starts at most this often
    crawl_budget: float = 300.0  # seconds of crawling per cycle
    hub_every: float = 60.0
    hub_max: float = 120.0
    #: a stored page answering 404 is gone after 3 answers this far apart (the batch crawler
    #: waits a day between them; a service checking every few minutes need not)
    recheck_404: float = 300.0
    delay: float = 1.0
    max_pages: int = 5000  # per cycle
    max_depth: int = 4
    allow_private_addresses: bool = False
    max_cycles: int | None = None  # tests and benchmarks: stop after this many cycles
    #: anything else for the crawler (tests: ``max_crawl_delay``, ``transport``)
    crawl_options: dict[str, Any] = field(default_factory=dict)
    log: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr, flush=True))


@dataclass
class CycleReport:
    number: int
    started: float
    crawl: CrawlSummary | None = None
    clean: CleanStats | None = None
    index: IndexStats | None = None
    trouble: str = ""
    seconds: float = 0.0

    def line(self) -> str:
        """The one log line per cycle."""
        parts = [f"[run] cycle {self.number}"]
        if self.crawl is not None:
            c = self.crawl
            parts.append(f"crawl {c.stopped}: fetched {c.fetched} (new {c.new}, changed {c.changed}, "
                         f"gone {c.gone}), failed {c.failed_total}, queued {c.queued}")
        if self.clean is not None:
            parts.append(f"clean: {self.clean.pages} pages → {self.clean.articles} articles")
        if self.index is not None:
            parts.append(f"index {self.index.generation}: {self.index.total} documents "
                         f"(+{self.index.added} ~{self.index.updated} -{self.index.deleted})")
        if self.trouble:
            parts.append(f"TROUBLE: {self.trouble}")
        return "; ".join(parts) + f"; {self.seconds:.1f} s"


class Stop(Exception):
    """A second SIGTERM: leave now (every stage is safe to kill)."""


class Service:
    def __init__(self, config: ServiceConfig) -> None:
        self.cfg = config
        self.data_dir = Path(config.data_dir)
        self.index_dir = self.data_dir / "index"
        self.server: subprocess.Popen[bytes] | None = None
        self._server_started = -SERVER_RESTART_PAUSE
        self.stopping = False
        self._crawling = False
        #: work a former cycle (or a former process, stopped or killed) may have left: the
        #: first cycle cleans and indexes whatever is new; both are cheap when nothing is
        self._unclean = True
        self._unindexed = True
        self.cycles = 0
        self.phase = "start"
        self._status: dict[str, Any] = {}
        self.history: list[dict[str, Any]] = []

    # ------------------------------------------------------------------ life cycle
    def run(self) -> int:
        """Cycle until SIGTERM/SIGINT (or ``max_cycles``); 0 on a clean stop."""
        if not self.cfg.sources and not self.cfg.start_urls:
            raise ValueError("nothing to crawl: give sources or start URLs")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        self.cfg.log(f"[run] service on {self.data_dir}: {len(self.cfg.sources)} source(s), "
                     f"a cycle every {self.cfg.cycle_every:.0f} s"
                     + (f", search page http://{self.cfg.host}:{self.cfg.port}/" if self.cfg.serve else ""))
        self._status = {"pid": os.getpid(), "cycle": 0, "cycle_every": self.cfg.cycle_every,
                        "index": {}, "sources": [], "history": []}
        try:
            while not self.stopping:
                self._ensure_server()
                report = self.cycle()
                if self.cfg.max_cycles is not None and self.cycles >= self.cfg.max_cycles:
                    break
                pause = TROUBLE_PAUSE if report.trouble else self.cfg.cycle_every - report.seconds
                self._sleep(pause)
        except Stop:
            self.cfg.log("[run] second signal: stopping now")
        finally:
            self._stop_server()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.cfg.log(f"[run] stopped after {self.cycles} cycle(s)")
        return 0

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            raise Stop()
        self.stopping = True
        self.cfg.log(f"[run] {signal.Signals(signum).name} during {self.phase}: "
                     "finishing this step, then stopping")
        if self._crawling:            # the crawler stops on SIGTERM (its in-flight pages finish)
            os.kill(os.getpid(), signal.SIGTERM)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + max(0.0, seconds)
        while not self.stopping and (left := end - time.monotonic()) > 0:
            time.sleep(min(0.2, left))
            self._ensure_server()

    # ------------------------------------------------------------------ one cycle
    def cycle(self) -> CycleReport:
        self.cycles += 1
        report = CycleReport(self.cycles, time.time())
        started = time.monotonic()
        try:
            self._set_phase("crawl")
            report.crawl = self._crawl()
            if report.crawl.stopped == "interrupted":
                self.stopping = True
            if report.crawl.stopped == "disk_full":
                raise OSError(errno.ENOSPC, "No space left on device", str(self.data_dir / "warc"))
            stored = report.crawl.new + report.crawl.changed + report.crawl.gone
            self._unclean = self._unclean or stored > 0
            if not self.stopping and self._unclean:   # else the next start cleans it
                self._set_phase("clean")
                report.clean = clean_store(self.data_dir, sources=self.cfg.sources)
                self._unclean = False
                changed = report.clean.pages + report.clean.deleted
                self._unindexed = self._unindexed or changed > 0
            if not self.stopping and corpus_path(self.data_dir).is_file() and (
                    self._unindexed or current_generation(self.index_dir) is None):
                self._set_phase("index")
                report.index = build_index(corpus_path(self.data_dir), self.index_dir)
                self._unindexed = False
        except OSError as exc:
            report.trouble = _trouble(exc)
        except IndexBusy as exc:
            report.trouble = f"{exc} (another `unionsearch index` is running; the next cycle retries)"
        report.seconds = time.monotonic() - started
        self.cfg.log(report.line())
        self.phase = "wait"
        self._write_status(report)
        return report

    def _set_phase(self, phase: str) -> None:
        """What the service is doing now, shown on /status (and read by the tests that stop it
        in each phase); the rest of the status is the last cycle's."""
        self.phase = phase
        if self._status:
            self._status.update(phase=phase, updated=_iso(time.time()))
            try:
                _write_json_atomically(self.data_dir / STATUS_FILE, self._status)
            except OSError:
                pass                      # a full disk is reported by the step that hits it

    def _crawl(self) -> CrawlSummary:
        cfg = self.cfg
        config = CrawlConfig(
            data_dir=self.data_dir, sources=cfg.sources, start_urls=cfg.start_urls,
            max_pages=cfg.max_pages, max_depth=cfg.max_depth, delay=cfg.delay,
            deadline=cfg.crawl_budget, max_idle=5.0, progress=False,
            hub_revisit_after=cfg.hub_every, hub_max_revisit=cfg.hub_max,
            recheck_404_after=cfg.recheck_404,
            allow_private_addresses=cfg.allow_private_addresses, **cfg.crawl_options)
        self._crawling = True
        before = signal.getsignal(signal.SIGTERM)
        try:
            return crawl(config)
        finally:
            # The crawler takes SIGTERM over while it runs and puts the default handler back
            # when it ends: the one before it again (ours while the service runs; a cycle
            # called on its own, as tests do, must not leave ours to processes forked later).
            self._crawling = False
            signal.signal(signal.SIGTERM, before if before is not None else signal.SIG_DFL)

    # ------------------------------------------------------------------ the search page
    def _ensure_server(self) -> None:
        if not self.cfg.serve or self.stopping or current_generation(self.index_dir) is None:
            return
        if self.server is not None and self.server.poll() is None:
            return
        if time.monotonic() - self._server_started < SERVER_RESTART_PAUSE:
            return                        # one that dies at once (port taken): not in a loop
        if self.server is not None:
            self.cfg.log(f"[run] search page exited ({self.server.returncode}); starting it again")
        cmd = [sys.executable, "-m", "unionsearch.cli", "serve", "--data-dir", str(self.data_dir),
               "--host", self.cfg.host, "--port", str(self.cfg.port)]
        if self.cfg.workers:
            cmd += ["--workers", str(self.cfg.workers)]
        if self.cfg.public_url:
            cmd += ["--public-url", self.cfg.public_url]
        # Its own process group: a terminal's Ctrl-C reaches the service, which stops it; and
        # it is told to stop when the service dies, even by kill -9 (else, orphaned, it keeps
        # the port and the restarted service could not serve).
        self.server = subprocess.Popen(cmd, start_new_session=True, preexec_fn=_die_with_parent)
        self._server_started = time.monotonic()

    def _stop_server(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        self.server.terminate()
        try:
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()

    # ------------------------------------------------------------------ status
    def _write_status(self, report: CycleReport) -> None:
        now = time.time()
        self.history.append({
            "cycle": report.number, "at": _iso(report.started), "seconds": round(report.seconds, 1),
            "new": report.crawl.new if report.crawl else 0,
            "indexed": report.index.total if report.index else None,
            "trouble": report.trouble or None})
        del self.history[:-20]
        gen = current_generation(self.index_dir)
        index: dict[str, Any] = {"generation": None, "updated": None, "age_seconds": None}
        if gen is not None:
            changed = (self.index_dir / "CURRENT").stat().st_mtime
            newest = max((p.stat().st_mtime for p in gen.glob("*.toc")), default=changed)
            index = {"generation": gen.name, "updated": _iso(max(changed, newest)),
                     "age_seconds": round(now - max(changed, newest))}
        next_cycle = now + max(0.0, self.cfg.cycle_every - report.seconds)
        sources = []
        try:
            for s in source_status(self.data_dir / "crawl.sqlite", now):
                row = s.as_json()
                row["next_visit"] = row["next_visit"] or _iso(next_cycle)
                sources.append(row)
        except Exception as exc:  # noqa: BLE001 - the status is a report: a read error is shown, never fatal
            self.cfg.log(f"[run] status: could not read the crawl database: {exc}")
        status = {
            "updated": _iso(now), "pid": os.getpid(), "phase": self.phase, "cycle": report.number,
            "cycle_every": self.cfg.cycle_every, "next_cycle": _iso(next_cycle),
            "last_cycle": report.line(), "trouble": report.trouble or None,
            "index": index, "sources": sources, "history": self.history,
        }
        self._status = status
        try:
            _write_json_atomically(self.data_dir / STATUS_FILE, status)
        except OSError as exc:
            self.cfg.log(f"[run] status not written: {_trouble(exc)}")


def _trouble(exc: OSError) -> str:
    where = exc.filename or "the data directory"
    if exc.errno == errno.ENOSPC:
        return (f"disk full writing {where}: nothing stored is lost, the search page keeps "
                f"serving the last index; retrying in {TROUBLE_PAUSE:.0f} s (free some space)")
    return f"{where}: {exc.strerror or exc}"


def _die_with_parent() -> None:
    """In the search page's process, before exec: SIGTERM when the service's thread dies
    (Linux prctl; elsewhere the orphan must be stopped by hand)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch).astimezone().isoformat(timespec="seconds")


def _write_json_atomically(path: Path, value: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
