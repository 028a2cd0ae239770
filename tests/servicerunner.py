"""Runs ``unionsearch run`` in its own process for the service tests, with settings a test can
afford (the demo's Crawl-delay capped, a short cycle): ``python servicerunner.py CONFIG.json``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from unionsearch.service import Service, ServiceConfig

if __name__ == "__main__":
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    spec["data_dir"] = Path(spec["data_dir"])
    sys.exit(Service(ServiceConfig(**spec)).run())
