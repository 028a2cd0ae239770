"""kill -9 and resume: an interrupted crawl, run again, equals an uninterrupted one page by page.

The crawl runs in a subprocess against a server in this process. Two kills: from outside at an
arbitrary moment, and from inside the narrowest window (WARC record flushed, URL not yet marked
done), which recovery must complete from the WARC instead of fetching again.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from crawlweb import Site, build_plain_site

from corpus.rawstore import iter_pages, iter_responses
from crawler import CrawlConfig, crawl

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).resolve().parents[1]
N_ARTICLES = 30
DELAY = 0.03

SCRIPT = """
import os, signal, sys
from pathlib import Path
from crawler import CrawlConfig, crawl

url, data_dir, kill_after = sys.argv[1], sys.argv[2], int(sys.argv[3])
written = 0

def hook(_url):
    global written
    written += 1
    if kill_after and written == kill_after:
        os.kill(os.getpid(), signal.SIGKILL)  # record flushed, URL not yet marked done

crawl(CrawlConfig(data_dir=Path(data_dir), start_urls=[url], delay=float(sys.argv[4]),
                  progress=False, on_record_written=hook))
"""


def _config(data_dir: Path, site: Site) -> CrawlConfig:
    return CrawlConfig(data_dir=data_dir, start_urls=[site.url("/")], delay=DELAY, progress=False)


def _spawn(site: Site, data_dir: Path, kill_after: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, site.url("/"), str(data_dir), str(kill_after), str(DELAY)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _snapshot(site: Site, data_dir: Path) -> tuple[set[str], Counter[str]]:
    """(paths of stored pages, how many 200 response records each fetched path has)."""
    pages = {p.url.removeprefix(site.base) for p in iter_pages(data_dir)}
    records = Counter(target.removeprefix(site.base)
                      for kind, target, status, _ in iter_responses(data_dir)
                      if kind == "response" and status == 200)
    return pages, records


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[set[str], Counter[str]]:
    site = Site("baseline")
    try:
        paths = build_plain_site(site, N_ARTICLES)
        data_dir = tmp_path_factory.mktemp("baseline")
        summary = crawl(_config(data_dir, site))
        assert summary.stopped == "done" and summary.new == len(paths)
        return _snapshot(site, data_dir)
    finally:
        site.close()


def _check_resumed(site: Site, data_dir: Path, baseline: tuple[set[str], Counter[str]]) -> Counter[str]:
    summary = crawl(_config(data_dir, site))
    assert summary.stopped == "done" and summary.queued == 0
    pages, records = _snapshot(site, data_dir)
    assert pages == baseline[0]  # no page lost
    assert records == baseline[1]  # and none stored twice
    return Counter(p for p in site.paths() if p != "/robots.txt")


@pytest.mark.parametrize("after_requests", [6, 19])
def test_kill_at_an_arbitrary_moment_then_resume(tmp_path: Path, baseline, after_requests: int) -> None:
    site = Site("killed")
    try:
        build_plain_site(site, N_ARTICLES)
        proc = _spawn(site, tmp_path, kill_after=0)
        try:
            deadline = time.monotonic() + 20
            while len(site.paths()) < after_requests and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.005)
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            os.kill(proc.pid, signal.SIGKILL)
            assert proc.wait(timeout=10) == -signal.SIGKILL
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        before = len(site.paths())
        requests = _check_resumed(site, tmp_path, baseline)
        assert len(site.paths()) > before  # the second run did the rest
        # only the URL in flight at the kill may have been requested twice
        assert sum(1 for n in requests.values() if n > 1) <= 1
    finally:
        site.close()


def test_kill_between_warc_write_and_done_then_resume(tmp_path: Path, baseline) -> None:
    site = Site("window")
    try:
        build_plain_site(site, N_ARTICLES)
        proc = _spawn(site, tmp_path, kill_after=10)
        try:
            code = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert code == -signal.SIGKILL, proc.stderr.read().decode() if proc.stderr else ""
        requests = _check_resumed(site, tmp_path, baseline)
        # the record written before the kill is recovered from the WARC, not fetched again
        assert max(requests.values()) == 1
        assert site.count("/robots.txt") == 1
    finally:
        site.close()


def test_a_full_disk_stops_the_crawl_and_the_next_run_loses_and_repeats_nothing(
        tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from crawler.warcwriter import WarcWriter

    paths = build_plain_site(site, 12)
    real = WarcWriter.write_response
    written = []

    def fills_up(self: WarcWriter, *args: object, **kwargs: object) -> object:
        if len(written) >= 5:                      # the sixth record finds the disk full
            self._fh.write(b"WARC/1.1\r\nWARC-Type: resp")     # half a record, as a real ENOSPC
            self._fh.flush()
            raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "warc"))
        written.append(1)
        return real(self, *args, **kwargs)        # type: ignore[arg-type]

    config = CrawlConfig(data_dir=tmp_path, start_urls=[site.url("/")], delay=0.0, progress=False,
                         durable=False)
    monkeypatch.setattr(WarcWriter, "write_response", fills_up)
    summary = crawl(config)
    assert summary.stopped == "disk_full"
    monkeypatch.undo()                             # space again
    again = crawl(config)
    assert again.stopped == "done"
    stored = Counter(p.url for p in iter_pages(tmp_path))
    assert set(stored) == {site.url(p) for p in paths} and max(stored.values()) == 1
