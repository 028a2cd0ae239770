"""``unionsearch run`` as a real process over the demo sites on 127.0.0.1: a new article becomes
searchable, SIGTERM and kill -9 in each phase of a cycle lose and duplicate nothing, a source that
is down is reported without blocking the others, and the search page keeps serving while an
update fails (a full disk)."""
from __future__ import annotations

import dataclasses
import errno
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus.record import corpus_path, read_corpus
from demo_sites.server import DemoWeb, ground_truth, start_demo_sites
from indexer.search import SearchIndex, SearchRequest
from search_web.status import STATUS_FILE, read_status
from unionsearch import service
from unionsearch.service import Service, ServiceConfig

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

RUNNER = Path(__file__).with_name("servicerunner.py")
FAST = {"cycle_every": 0.5, "hub_every": 1.0, "hub_max": 2.0, "delay": 0.02, "recheck_404": 1.0,
        "crawl_options": {"max_crawl_delay": 0.05}, "workers": 1}


@pytest.fixture
def web() -> Iterator[DemoWeb]:
    with start_demo_sites() as running:
        yield running


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(tmp: Path, web: DemoWeb, data_dir: Path, **overrides: Any) -> subprocess.Popen[bytes]:
    spec: dict[str, Any] = {"data_dir": str(data_dir), "port": _free_port(),
                            "start_urls": [s.base_url + "/" for s in web.sites.values()], **FAST}
    spec.update(overrides)
    config = tmp / f"service-{time.monotonic_ns()}.json"
    config.write_text(json.dumps(spec), encoding="utf-8")
    log = open(tmp / "service.log", "ab")
    proc = subprocess.Popen([sys.executable, str(RUNNER), str(config)], stdout=log,
                            stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[1])
    proc.port = spec["port"]  # type: ignore[attr-defined]
    return proc


def _until(check: Callable[[], bool], timeout: float, what: str, step: float = 0.02) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(step)
    raise AssertionError(f"not within {timeout} s: {what}")


def _phase(data_dir: Path) -> str | None:
    status = read_status(data_dir)
    return status.get("phase") if status else None


def _total(port: int, q: str) -> int:
    url = f"http://127.0.0.1:{port}/search.json?" + urllib.parse.urlencode({"q": q})
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return int(json.load(resp)["total"])
    except OSError:
        return -1


def _assert_complete(web: DemoWeb, data_dir: Path) -> None:
    """Every demo article in the corpus exactly once, and the index agrees."""
    urls = [a.url for a in read_corpus(corpus_path(data_dir))]
    assert len(urls) == len(set(urls)), "an article is in the corpus twice"
    assert set(urls) == set(ground_truth(web))
    index = SearchIndex(data_dir / "index")
    assert index.search(SearchRequest()).total == len(urls) - 3   # three syndicated copies collapse


def test_a_new_article_is_searchable_within_a_cycle_and_status_reports_each_source(
        tmp_path: Path, web: DemoWeb) -> None:
    data_dir = tmp_path / "data"
    proc = _start(tmp_path, web, data_dir)
    try:
        _until(lambda: _total(proc.port, "công đoàn") > 0, 90, "the first crawl is searchable")
        site = next(iter(web.sites.values()))
        article = dataclasses.replace(site.articles[0], id="svc-test-1", syndicate_to=(),
                                      title="LĐLĐ ban hành Kế hoạch 9911/KH-LĐLĐ về an toàn lao động")
        published = time.monotonic()
        site.publish(article)
        _until(lambda: _total(proc.port, "9911/KH-LĐLĐ") == 1, 60, "the new article is found")
        took = time.monotonic() - published
        assert took < 30, took
        status = read_status(data_dir)
        assert status is not None and status["index"]["generation"]
        hosts = {s["host"] for s in status["sources"]}
        assert {urllib.parse.urlsplit(s.base_url).netloc for s in web.sites.values()} <= hosts
        assert all(s["last_success"] and s["stored_pages"] > 0 for s in status["sources"])
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    log = (tmp_path / "service.log").read_text()
    assert "[run] cycle 1;" in log and "stopped after" in log


@pytest.mark.parametrize("how", ["sigterm", "kill"])
@pytest.mark.parametrize("phase", ["crawl", "clean", "index", "wait"])
def test_stopped_in_any_phase_the_next_start_loses_and_duplicates_nothing(
        tmp_path: Path, web: DemoWeb, phase: str, how: str) -> None:
    data_dir = tmp_path / "data"
    proc = _start(tmp_path, web, data_dir, serve=False)
    try:
        _until(lambda: _phase(data_dir) == phase, 90, f"the service reaches {phase}", step=0.005)
        proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGKILL)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == (0 if how == "sigterm" else -signal.SIGKILL)
    if how == "sigterm":
        assert f"SIGTERM during {phase}" in (tmp_path / "service.log").read_text()
    again = _start(tmp_path, web, data_dir, serve=False, max_cycles=2)
    assert again.wait(timeout=120) == 0
    _assert_complete(web, data_dir)


def test_a_source_that_is_down_is_reported_and_blocks_nobody(tmp_path: Path, web: DemoWeb) -> None:
    with socket.socket() as s:                     # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/"
    data_dir = tmp_path / "data"
    starts = [dead] + [s.base_url + "/" for s in web.sites.values()]
    proc = _start(tmp_path, web, data_dir, serve=False, start_urls=starts, max_cycles=2)
    assert proc.wait(timeout=120) == 0
    _assert_complete(web, data_dir)
    status = read_status(data_dir)
    assert status is not None
    down = next(s for s in status["sources"] if s["host"] == urllib.parse.urlsplit(dead).netloc)
    assert down["last_success"] is None and down["stored_pages"] == 0
    assert down["errors"] or down["consecutive_errors"] or down["queued"]


def test_a_full_disk_keeps_the_last_index_serving_and_loses_nothing(
        tmp_path: Path, web: DemoWeb, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    config = ServiceConfig(data_dir=data_dir, serve=False, log=lambda line: None,
                           start_urls=[s.base_url + "/" for s in web.sites.values()],
                           **{k: v for k, v in FAST.items() if k != "workers"})
    svc = Service(config)
    svc.cycle()
    index = SearchIndex(data_dir / "index")
    before = index.search(SearchRequest(q="công đoàn")).total
    assert before > 0
    site = next(iter(web.sites.values()))
    site.publish(dataclasses.replace(site.articles[0], id="svc-test-2", syndicate_to=(),
                                     title="Kế hoạch 9922/KH-LĐLĐ về tháng công nhân"))

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(data_dir / "index"))

    monkeypatch.setattr(service, "build_index", full)
    time.sleep(2.1)                                 # the hubs are due again
    report = svc.cycle()
    assert "disk full" in report.trouble and str(data_dir / "index") in report.trouble
    status = json.loads((data_dir / STATUS_FILE).read_text())
    assert "disk full" in status["trouble"]
    index.refresh()
    assert index.search(SearchRequest(q="công đoàn")).total == before   # still serving
    monkeypatch.undo()
    report = svc.cycle()                            # space again: the update goes through
    assert not report.trouble
    index.refresh()                                 # what the web app does on each request
    assert index.search(SearchRequest(q="9922/KH-LĐLĐ")).total == 1


def test_the_status_page_shows_each_source_and_the_index(tmp_path: Path, web: DemoWeb) -> None:
    from search_web.app import create_app

    data_dir = tmp_path / "data"
    config = ServiceConfig(data_dir=data_dir, serve=False, log=lambda line: None,
                           start_urls=[s.base_url + "/" for s in web.sites.values()],
                           **{k: v for k, v in FAST.items() if k != "workers"})
    Service(config).cycle()
    client = create_app(data_dir / "index").test_client()
    report = client.get("/status.json").get_json()
    assert report["service"] == "running" and report["phase"] == "wait"
    assert report["served_index"]["generation"] == report["index"]["generation"]
    assert report["served_index"]["documents"] > 0
    page = client.get("/status").get_data(as_text=True)
    assert "Tình trạng hệ thống" in page
    for site in web.sites.values():
        assert urllib.parse.urlsplit(site.base_url).netloc in page
    (data_dir / STATUS_FILE).unlink()                # an index built by hand: no service
    assert client.get("/status.json").get_json()["service"] == "none"
    assert "Không có dịch vụ cập nhật" in client.get("/status").get_data(as_text=True)
