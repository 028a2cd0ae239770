"""``unionsearch extract PAGE``: the cleaned record of one saved page, for debugging and eval."""
from __future__ import annotations

from pathlib import Path

from corpus.clean import clean_html
from corpus.decoding import decode_html


def extract_file(path: Path, url: str | None = None) -> dict:
    """The record (or the gate's verdict) for a saved HTML page, as a JSON-ready dict."""
    if not path.is_file():
        raise ValueError(f"no such page: {path}")
    decoded = decode_html(path.read_bytes())
    result = clean_html(decoded.text, url or path.resolve().as_uri())
    if result.article is None:
        return {"article": None, "reason": result.reason, "file": str(path)}
    record = result.article.to_json()
    record["encoding"] = decoded.encoding
    return record
