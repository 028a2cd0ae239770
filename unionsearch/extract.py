"""``unionsearch extract PAGE``: the cleaned record of one saved page, for debugging and eval.

PAGE may be HTML (any charset), PDF or DOCX; the kind is read from the file's bytes.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from corpus.clean import clean_html
from corpus.clean.files import MissingDependency, clean_file, sniff_kind
from corpus.clean.page import PageOrigin
from corpus.decoding import decode_html

if TYPE_CHECKING:
    from corpus.sources import Source


def extract_file(path: Path, url: str | None = None, *, fetched_at: str = "",
                 source: Source | None = None) -> dict:
    """The record (or the gate's verdict) for a saved page, as a JSON-ready dict.

    ``source`` (a :class:`corpus.sources.Source`) adds its selectors and province hint.
    """
    if not path.is_file():
        raise ValueError(f"no such page: {path}")
    data = path.read_bytes()
    url = url or path.resolve().as_uri()
    kind = sniff_kind(data, None, path.name)
    extra: PageOrigin = {"province_hint": source.province if source else None,
                         "fetched_at": fetched_at, "source": source.name if source else "",
                         "source_title": source.title if source else ""}
    encoding = None
    if kind in ("pdf", "docx"):
        try:
            result = clean_file(data, url, kind=kind, **extra)
        except MissingDependency as exc:       # the CLI reports ValueErrors as one-line errors
            raise ValueError(str(exc)) from exc
    else:
        decoded = decode_html(data)
        encoding = decoded.encoding
        result = clean_html(decoded.text, url, selectors=source.selectors if source else None,
                            **extra)
    if result.article is None:
        return {"article": None, "reason": result.reason, "file": str(path), "kind": kind}
    record = result.article.to_json()
    record["kind_of_file"] = kind
    if encoding:
        record["encoding"] = encoding
    return record
