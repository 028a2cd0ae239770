"""The lead (sapo): by class, by position after the title, or a wholly bold first paragraph."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from corpus.clean import boilerplate as bp
from corpus.clean.dom import attr_tokens, link_len, node_text
from corpus.clean.meta import Meta
from corpus.textnorm import fold, tidy

SAPO_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(sapo|lead|chapeau|chappeau|description|desc|summary|hometext|intro|"
    r"tom-?tat|teaser|abstract|excerpt)(?:$|[\s_-])", re.I)
SOURCE_PREFIX_RE = re.compile(r"^\(\s*[\w.\- ]{2,40}\s*\)\s*[-–—:]\s*")


def find_sapo(soup: BeautifulSoup, title_node: Tag | None, meta: Meta) -> tuple[Tag | None, str]:
    for node in soup.find_all(True):
        if node.attrs is None or node.name in ("html", "body", "meta"):
            continue
        if SAPO_CLASS_RE.search(attr_tokens(node)):
            text = tidy(node_text(node))
            if 40 <= len(text) <= 1200 and link_len(node) < 0.3 * len(text):
                return node, text
    if title_node is not None:
        nxt = title_node.find_next(["h2", "p", "div"])
        if nxt is not None and nxt.name == "h2":
            text = tidy(node_text(nxt))
            if 40 <= len(text) <= 1200:
                return nxt, text
    return None, ""


def sapo_by_position(title_node: Tag | None, root: Tag) -> tuple[Tag | None, str]:
    """The lead without a class cue: a prose block between the title and the body, or a
    wholly bold first paragraph of the body (how many CMSs mark the sapo)."""
    if title_node is None:
        return None, ""
    title_f = fold(node_text(title_node)).lower()
    ancestors = set(map(id, root.parents))
    for el in title_node.find_all_next(["p", "div", "h2", "h3", "b", "strong"], limit=30):
        if el is root or root in el.parents:
            break
        if id(el) in ancestors or el.find(["p", "div"]):
            continue
        text = tidy(node_text(el))
        if 60 <= len(text) <= 1200 and link_len(el) < 0.2 * len(text) and \
                fold(text).lower() != title_f:
            return el, text
    first = next((c for c in root.children if isinstance(c, Tag) and node_text(c)
                  and c is not title_node and title_node not in c.descendants
                  and fold(node_text(c)).lower() != title_f
                  and not bp.is_furniture_line(tidy(node_text(c)))), None)
    if first is not None and first.name in ("p", "div"):
        bold = first.find(["b", "strong"])
        text = tidy(node_text(first))
        if bold is not None and tidy(node_text(bold)) == text and 60 <= len(text) <= 1200:
            return first, text
    return None, ""
