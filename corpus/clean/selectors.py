"""A source's own CSS selectors (``[source.selectors]`` in sources.toml), applied where they match."""
from __future__ import annotations

from typing import TYPE_CHECKING

from bs4 import BeautifulSoup, Tag

from corpus.clean.dom import attr_value, node_text
from corpus.clean.title import strip_site_suffix
from corpus.textnorm import tidy

if TYPE_CHECKING:
    from corpus.sources import Selectors


def _selector(selectors: Selectors | dict[str, str] | None, key: str) -> str | None:
    if selectors is None:
        return None
    value = selectors.get(key) if isinstance(selectors, dict) else getattr(selectors, key, None)
    return value or None


def _select_one(soup: BeautifulSoup, css: str) -> Tag | None:
    try:
        return soup.select_one(css)
    except Exception:              # noqa: BLE001 - a malformed selector in the sources file: ignore it
        return None


def apply_selectors(soup: BeautifulSoup, selectors: Selectors | dict[str, str] | None) -> dict:
    """Nodes picked by the source's CSS selectors; each only when it matches with usable text."""
    out: dict = {"title": None, "sapo": None, "body": None, "date": None}
    css = _selector(selectors, "title")
    node = _select_one(soup, css) if css else None
    if node is not None:
        text = tidy(attr_value(node, "content") if node.name == "meta" else node_text(node))
        if 3 <= len(text) <= 400:
            out["title"] = (None if node.name == "meta" else node, strip_site_suffix(text))
    css = _selector(selectors, "body")
    if css:
        try:
            nodes: list[Tag] = soup.select(css)
        except Exception:  # noqa: BLE001 - a malformed selector: no nodes
            nodes = []
        nodes = [n for n in nodes if len(node_text(n)) >= 200]
        if nodes:
            out["body"] = max(nodes, key=lambda n: len(node_text(n)))
    css = _selector(selectors, "sapo")
    node = _select_one(soup, css) if css else None
    if node is not None and 20 <= len(node_text(node)) <= 1500 and node is not out["body"]:
        out["sapo"] = (node, tidy(node_text(node)))
    css = _selector(selectors, "date")
    node = _select_one(soup, css) if css else None
    if node is not None:
        out["date"] = (attr_value(node, "datetime") or attr_value(node, "content")
                       or node_text(node)).strip() or None
    return out
