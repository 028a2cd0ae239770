"""Serve the app with waitress (a production WSGI server; Flask's dev server is never used)."""
from __future__ import annotations

import logging
from pathlib import Path

from waitress import serve as waitress_serve
from waitress.server import create_server

from indexer.search import SearchRequest
from search_web.app import create_app, get_index

log = logging.getLogger(__name__)


def warm_up(app) -> None:
    """Run one query before the first visitor does: it loads the word segmenter (~2 s)."""
    with app.app_context():
        get_index().search(SearchRequest(q="công đoàn"))


def make_server(index_dir: Path | str, host: str = "127.0.0.1", port: int = 8000,
                threads: int = 8, public_url: str | None = None,
                trusted_hosts: tuple[str, ...] = ()):
    """A bound, not yet running waitress server (``port=0`` picks a free port: tests).

    Call ``.run()`` to serve and ``.close()`` to stop; ``.effective_port`` is the real port.
    """
    app = create_app(index_dir, public_url=public_url, trusted_hosts=(host, *trusted_hosts))
    warm_up(app)
    return create_server(app, host=host, port=port, threads=threads, ident="unionsearch",
                         clear_untrusted_proxy_headers=True)


def serve(index_dir: Path | str, host: str = "127.0.0.1", port: int = 8000,
          threads: int = 8, public_url: str | None = None,
          trusted_hosts: tuple[str, ...] = ()) -> None:
    """Serve until interrupted."""
    app = create_app(index_dir, public_url=public_url, trusted_hosts=(host, *trusted_hosts))
    warm_up(app)
    log.info("serving %s on http://%s:%d/ with %d threads", index_dir, host, port, threads)
    waitress_serve(app, host=host, port=port, threads=threads, ident="unionsearch",
                   clear_untrusted_proxy_headers=True)
