"""Small DOM helpers every step of the cleaner shares: parsing, text, link text, class tokens."""
from __future__ import annotations

from bs4 import BeautifulSoup, Tag

JUNK_TAGS = ("script", "style", "noscript", "iframe", "svg", "canvas", "template", "button",
             "select", "input", "textarea", "label", "object", "embed", "map", "link", "meta")
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
              "td", "th", "tr", "table", "tbody", "thead", "pre", "figure", "figcaption",
              "section", "article", "main", "header", "footer", "aside", "nav", "dd", "dt", "dl",
              "form", "center", "address", "hr"}


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def node_text(node: Tag) -> str:
    return node.get_text(" ", strip=True)


def link_len(node: Tag) -> int:
    return sum(len(a.get_text(" ", strip=True)) for a in node.find_all("a"))


def attr_value(node: Tag, key: str) -> str:
    """An attribute as one string, "" when absent: bs4 gives multi-valued ones (class, rel) as a
    list, joined here with spaces as the page wrote them."""
    value = node.get(key)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def attr_tokens(node: Tag) -> str:
    classes: str | list[str] = node.get("class") or []
    return " ".join([*classes, attr_value(node, "id")]) if isinstance(classes, list) else str(classes)


def block_holder(node: Tag) -> Tag | None:
    """The nearest block-level ancestor of an inline node (or the node itself)."""
    holder: Tag | None = node
    while holder is not None and holder.name not in BLOCK_TAGS:
        holder = holder.parent
    return holder
