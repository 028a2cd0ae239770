"""``/status`` and ``/status.json``: is the service alive, is each source healthy, how old is the
index.

``unionsearch run`` writes ``status.json`` into its data directory after each cycle (and the
phase it is in when it changes); this module reads it beside the index the page serves
(``<data-dir>/index`` → ``<data-dir>/status.json``) and adds what the search process itself knows:
the generation it serves and its document count. Without a service (an index built by hand and
``unionsearch serve``) the page says so and still shows the index.
"""
from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask.typing import ResponseReturnValue

__all__ = ["STALE_AFTER", "STATUS_FILE", "read_status", "status_json", "status_page"]

STATUS_FILE = "status.json"
#: a status older than this many cycle periods means the service is not running
STALE_AFTER = 4


def read_status(data_dir: Path) -> dict[str, Any] | None:
    """The service's last status, or None when no service has run on ``data_dir``."""
    try:
        value = json.loads((Path(data_dir) / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _report() -> dict[str, Any]:
    index = current_app.extensions["search_index"]
    status = read_status(Path(index.index_dir).parent) or {}
    now = time.time()
    served: dict[str, Any] = {"generation": None, "documents": None, "age_seconds": None}
    try:
        gen = index.generation
        served = {"generation": gen.name, "documents": index.doc_count,
                  "age_seconds": round(now - (Path(index.index_dir) / "CURRENT").stat().st_mtime)}
    except Exception:  # noqa: BLE001 - a damaged index is reported here, not raised
        pass
    updated = status.get("updated")
    age = now - datetime.fromisoformat(updated).timestamp() if updated else None
    every = float(status.get("cycle_every") or 60)
    service = ("none" if not status else
               "stale" if age is None or age > STALE_AFTER * max(every, 60) else "running")
    return {"service": service, "status_age_seconds": round(age) if age is not None else None,
            "served_index": served, **status}


def status_json() -> ResponseReturnValue:
    return current_app.json.response(_report())


def status_page() -> ResponseReturnValue:
    report = _report()
    return render_template("status.html", report=report, quiet=[
        s["host"] for s in report.get("sources", []) if s.get("quiet")])
