"""`python -m demo_sites [--port-base N]`: serve the demo sites in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import threading

from .content import ContentError
from .server import start_demo_sites
from .sites import SITE_IDS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo_sites", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    parser.add_argument("--port-base", type=int, default=0, help="sites get N, N+1, N+2 (default: ephemeral)")
    parser.add_argument("--content-dir", help="directory with <site>.json (default: the bundled corpus)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every request")
    args = parser.parse_args(argv)
    ports = {site: args.port_base + i if args.port_base else 0 for i, site in enumerate(SITE_IDS)}
    try:
        web = start_demo_sites(args.host, ports, content_dir=args.content_dir, verbose=args.verbose)
    except ContentError as exc:
        parser.exit(2, f"bad demo content: {exc}\n")
    except OSError as exc:
        parser.exit(2, f"cannot listen on {args.host}: {exc}\n")
    with web:
        for site in web.sites.values():
            print(f"{site.id:12} {site.base_url}/  {site.title} ({len(site.articles)} articles)", flush=True)
        print("Ctrl-C to stop.", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
