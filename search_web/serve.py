"""Serve the app with waitress (a production WSGI server; Flask's dev server is never used).

**Both cores serve.** Searches are Python and NumPy work under the GIL, and each process keeps
one searcher per index generation (Whoosh's readers share file positions, so one searcher is
not used by two threads at once). Threads alone therefore run one search at a time per process:
28 req/s on 2 cores at 10k documents whatever the connection count. :func:`serve` binds the
socket once and forks ``workers`` processes (default: one per core) that each run waitress on
it with their own read-only searcher of the same generation; the kernel hands each new
connection to one of them. A worker that dies is started again; SIGTERM stops them all.

**Slow and idle clients cannot starve the others.** waitress's defaults (100 connections,
``select()`` limited to 1,024 descriptors, 120 s idle timeout) let 100 connections that never
finish their headers hold the site for two minutes. :data:`SERVER_SETTINGS` lifts the
connection limit (descriptors permitting) with ``poll()``, closes idle connections after 15 s
and caps request sizes (GET only, no bodies). Idle connections cost no thread in waitress: they
wait in its event loop, and only complete requests reach the worker threads.
"""
from __future__ import annotations

import logging
import os
import resource
import signal
import socket
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from flask import Flask
from waitress import serve as waitress_serve
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

from indexer.search import IndexDamaged, SearchRequest
from search_web.app import create_app, get_index

log = logging.getLogger(__name__)

#: waitress settings for the public internet (see the module doc).
SERVER_SETTINGS: dict[str, Any] = dict(
    ident="unionsearch",
    clear_untrusted_proxy_headers=True,
    asyncore_use_poll=True,        # select() cannot watch more than 1,024 descriptors
    connection_limit=4000,
    channel_timeout=15,            # seconds a connection may sit idle (or half-sent)
    cleanup_interval=5,
    max_request_header_size=32 * 1024,
    max_request_body_size=64 * 1024,
    backlog=2048,
)


def _raise_descriptor_limit(wanted: int) -> None:
    """Let the process hold ``wanted`` connections (the soft limit is often 1,024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def warm_up(app: Flask) -> None:
    """Run one query before the first visitor does: it loads the word segmenter (~2 s)."""
    with app.app_context():
        try:
            get_index().search(SearchRequest(q="công đoàn"))
        except IndexDamaged:
            pass                       # the site answers 503 until a readable index appears


def make_server(index_dir: Path | str, host: str = "127.0.0.1", port: int = 8000,
                threads: int = 8, public_url: str | None = None,
                trusted_hosts: tuple[str, ...] = ()) -> MultiSocketServer | BaseWSGIServer:
    """A bound, not yet running single-process waitress server (``port=0`` picks a free
    port: tests). Call ``.run()`` to serve and ``.close()`` to stop; ``.effective_port`` is
    the real port."""
    app = create_app(index_dir, public_url=public_url, trusted_hosts=(host, *trusted_hosts))
    warm_up(app)
    _raise_descriptor_limit(SERVER_SETTINGS["connection_limit"] + 64)
    return create_server(app, host=host, port=port, threads=threads, **SERVER_SETTINGS)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(SERVER_SETTINGS["backlog"])
    sock.setblocking(False)
    return sock


def _worker(sock: socket.socket, index_dir: Path | str, threads: int, public_url: str | None,
            trusted: tuple[str, ...]) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # the parent decides when to stop
    app = create_app(index_dir, public_url=public_url, trusted_hosts=trusted)
    warm_up(app)
    waitress_serve(app, sockets=[sock], threads=threads, **SERVER_SETTINGS)


def serve(index_dir: Path | str, host: str = "127.0.0.1", port: int = 8000,
          threads: int = 4, public_url: str | None = None,
          trusted_hosts: tuple[str, ...] = (), workers: int | None = None) -> None:
    """Serve until interrupted: ``workers`` processes (default: one per core) on one socket."""
    workers = max(1, workers or os.cpu_count() or 1)
    trusted = (host, *trusted_hosts)
    _raise_descriptor_limit(SERVER_SETTINGS["connection_limit"] + 64)
    if workers == 1:
        app = create_app(index_dir, public_url=public_url, trusted_hosts=trusted)
        warm_up(app)
        print(f"serving {index_dir} on http://{host}:{port}/ with {threads} threads",
              file=sys.stderr, flush=True)
        waitress_serve(app, host=host, port=port, threads=threads, **SERVER_SETTINGS)
        return
    sock = _bind(host, port)
    children: dict[int, float] = {}
    stopping = False

    def spawn() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:                                  # the worker
            try:
                _worker(sock, index_dir, threads, public_url, trusted)
            finally:
                os._exit(0)
        children[pid] = time.monotonic()

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        spawn()
    print(f"serving {index_dir} on http://{host}:{sock.getsockname()[1]}/ with {workers} "
          f"workers × {threads} threads", file=sys.stderr, flush=True)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        started = children.pop(pid, None)
        if started is None or stopping:
            continue
        print(f"search worker {pid} exited (status {status}); starting another",
              file=sys.stderr, flush=True)
        if time.monotonic() - started < 5:
            time.sleep(2)                             # a worker that dies at once: back off
        spawn()
    sock.close()
