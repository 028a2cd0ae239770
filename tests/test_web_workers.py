"""The production serving setup: several worker processes on one port, restarted when one dies,
stopped by SIGTERM, and a server that idle or half-sent connections cannot starve."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.add(int(entry.name))
    return out


def _get(url: str, timeout: float = 10) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status


def _wait_up(url: str, proc: subprocess.Popen, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            if _get(url, timeout=2) == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("server did not come up")


@pytest.fixture
def workers(sample_data_dir):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "unionsearch.cli", "serve", "--index-dir",
                             str(sample_data_dir / "index"), "--port", str(port),
                             "--workers", "2", "--threads", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url + "/search?q=lao+dong", proc)
        yield proc, port, url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=20)


def test_two_workers_share_the_port_a_dead_one_is_replaced_and_sigterm_stops_all(workers):
    proc, _, url = workers
    kids = _children(proc.pid)
    assert len(kids) == 2
    os.kill(next(iter(kids)), signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_children(proc.pid) - kids) < 1:
        time.sleep(0.2)
    assert len(_children(proc.pid)) == 2 and _children(proc.pid) != kids
    for _ in range(10):                    # whichever worker takes it, the site answers
        assert _get(url + "/search?q=c%C3%B4ng+%C4%91o%C3%A0n") == 200
    kids = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    assert not any(Path(f"/proc/{k}").exists() and "zombie" not in
                   Path(f"/proc/{k}/status").read_text().lower() for k in kids)


def test_idle_and_half_sent_connections_do_not_starve_other_clients(workers):
    """300 connections that never finish their headers (slowloris) while a reader searches:
    waitress's defaults (100 connections) refused everyone else for two minutes."""
    _, port, url = workers
    idle = []
    try:
        for i in range(300):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /search?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * (i % 7))
            idle.append(s)
        assert _get(url + "/search?q=lao+dong", timeout=5) == 200
    finally:
        for s in idle:
            s.close()
