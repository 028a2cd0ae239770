"""The article body: the element with the most prose, linearised into blocks, captions kept apart,
furniture lines filtered, the closing byline split off."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from corpus.clean import boilerplate as bp
from corpus.clean.dom import BLOCK_TAGS, attr_tokens, attr_value, block_holder, link_len, node_text
from corpus.clean.lead import SOURCE_PREFIX_RE
from corpus.textnorm import fold, tidy

CAPTION_CLASS_RE = re.compile(r"caption|chu-?thich|image|img|photo|desc-?img|fig", re.I)
AUTHOR_RE = re.compile(r"^(?:(?:bài|tin|ảnh|bài và ảnh|theo)\s*:?\s*)?"
                       r"([A-ZĐÀ-Ỹ][\wÀ-ỹ.]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*){0,4})"
                       r"(?:\s*[-–(]\s*[\wÀ-ỹ. ]{2,40}\)?)?$")


def _prose_len(text: str) -> int:
    return len(text) if len(text) >= 25 else 0


def choose_root(soup: BeautifulSoup) -> Tag:
    """The element that holds the most prose (text outside links) in its paragraphs."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for block in soup.find_all(["p", "div", "td", "li", "blockquote", "pre", "span"]):
        own = "".join(s for s in block.find_all(string=True, recursive=False)).strip()
        if block.name in ("p", "pre", "blockquote"):
            own = node_text(block)
        if block.name == "span" and len(own) < 80:
            continue
        link = link_len(block) if block.name in ("p", "li") else 0
        value = _prose_len(own) - link
        if value <= 0:
            continue
        weight = 1.0 + own.count(",") * 0.1
        for depth, anc in enumerate([block.parent, block.parent.parent if block.parent else None]):
            if anc is None or not isinstance(anc, Tag):
                continue
            scores[id(anc)] = scores.get(id(anc), 0.0) + value * weight / (1 + depth)
            nodes[id(anc)] = anc
    if not scores:
        return soup.body or soup
    best = max(scores, key=scores.__getitem__)
    return nodes[best]


_NEWLINES = re.compile(r"[ \t]*[\r\n]+[ \t]*")


def out_of_figure(root: Tag) -> Tag:
    """A caption is never the article: when the block with the most prose is a figure's caption
    (a photo story whose longest paragraph is under a photo), the article is the container of
    its figures."""
    figure = root if root.name == "figure" else root.find_parent("figure")
    if figure is not None and figure.parent is not None:
        return figure.parent
    return root


#: A photo story: captions carry at least this many characters and twice the body's.
PHOTO_STORY_CHARS = 300


def is_photo_story(body: list[str], captions: list[str]) -> bool:
    caption_chars = sum(len(c) for c in captions)
    return caption_chars >= PHOTO_STORY_CHARS and caption_chars >= 2 * sum(len(b) for b in body)


def linearise(root: Tag) -> list[tuple[str, str]]:
    """Blocks of text in document order as (kind, text); kind is "p", "h", "caption", "li"."""
    out: list[tuple[str, str]] = []
    buf: list[str] = []
    kind_stack: list[str] = ["p"]
    pre_depth = [0]

    def flush() -> None:
        text = tidy(" ".join(buf))
        buf.clear()
        if text:
            for line in text.splitlines():
                out.append((kind_stack[-1], line))

    def walk(node: Tag) -> None:
        in_pre = pre_depth[0] > 0
        for child in node.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ in ("Comment", "Doctype", "Declaration",
                                                "ProcessingInstruction", "CData"):
                    continue
                # A raw line break in HTML text is a space (hard-wrapped government pages),
                # except inside <pre>.
                buf.append(str(child) if in_pre else _NEWLINES.sub(" ", str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "br":
                buf.append("\n")
                continue
            if child.name == "img":
                continue
            if child.name in BLOCK_TAGS:
                flush()
                kind = _block_kind(child, kind_stack[-1])
                kind_stack.append(kind)
                pre_depth[0] += child.name == "pre"
                walk(child)
                pre_depth[0] -= child.name == "pre"
                flush()
                kind_stack.pop()
            else:
                walk(child)

    walk(root)
    flush()
    return out


def _block_kind(node: Tag, inherited: str) -> str:
    if inherited == "caption":
        return "caption"
    if node.name == "figcaption" or (node.name in ("p", "div", "span", "td", "em")
                                     and CAPTION_CLASS_RE.search(attr_tokens(node))
                                     and len(node_text(node)) < 400 and not node.find("p")):
        return "caption"
    if node.name in ("h2", "h3", "h4", "h5", "h6"):
        return "h"
    if node.name == "li":
        return "li"
    if node.name in ("p", "div") and _is_emphasised(node):
        return "em"
    return inherited


def _is_emphasised(node: Tag) -> bool:
    """Right-aligned or wholly bold: how portals set the closing byline."""
    style = attr_value(node, "style").replace(" ", "").lower()
    if "text-align:right" in style or "right" in attr_value(node, "align").lower():
        return True
    bold = node.find(["strong", "b"])
    return bold is not None and tidy(node_text(bold)) == tidy(node_text(node)) and len(node_text(node)) < 80


_CREDIT_RE = re.compile(r"(?:\(|\b)(ảnh|nguồn|photo)\s*:\s*[^.()]{2,60}\)?\.?$", re.I)


def figure_captions(root: Tag) -> set[str]:
    """Short text beside an image: in a figure or image table (CMS photo boxes), or the
    italic or credited ("Ảnh: …") line right after an image's block."""
    caps: set[str] = set()
    for img in root.find_all("img"):
        box = img.find_parent(["figure", "table"])
        if box is not None:
            text = tidy(node_text(box))
            if 0 < len(text) < 400:
                caps.add(text)
                caps.update(tidy(s) for s in box.stripped_strings)
                continue
            if box.name == "figure":
                continue
            # a layout table around the whole page: look beside the image instead
        holder = img.find_parent(["p", "div"]) or img
        nxt = holder.find_next_sibling()
        if nxt is None:
            continue
        text = tidy(node_text(nxt))
        italic = nxt.find(["em", "i"])
        if 0 < len(text) < 300 and ((italic is not None and tidy(node_text(italic)) == text)
                                    or _CREDIT_RE.search(text)):
            caps.add(text)
    return caps


def standalone_links(root: Tag) -> int:
    """Links that stand as a block of their own (teaser headlines): listings are made of them,
    articles are not once related lists are pruned."""
    count = 0
    for a in root.find_all("a"):
        text = node_text(a)
        if len(text) < 30:
            continue
        holder = block_holder(a.parent) if a.parent is not None else None
        if holder is not None and node_text(holder) == text:
            count += 1
    return count


def same_start(a: str, b: str) -> bool:
    a, b = fold(a).lower(), fold(b).lower()
    n = min(len(a), len(b), 80)
    return n >= 30 and a[:n] == b[:n]


def filter_blocks(blocks: list[tuple[str, str]], title: str, sapo: str,
                   captions: set[str]) -> tuple[list[str], list[str], bool]:
    """Body lines, caption lines, and whether the last body line was set apart (bold/right)."""
    body: list[str] = []
    last_emphasised = False
    caps: list[str] = []
    title_f = fold(title).lower().strip()
    sapo_f = fold(SOURCE_PREFIX_RE.sub("", sapo)).lower().strip()
    for kind, text in blocks:
        text = text.strip()
        if not text:
            continue
        if kind == "caption" or text in captions:
            if not bp.is_furniture_line(text):
                caps.append(text)
            continue
        folded = fold(text).lower().strip()
        if folded == title_f or (sapo_f and folded in (sapo_f, fold(sapo).lower().strip())):
            continue
        if bp.is_furniture_line(text) or bp.is_label(text):
            continue
        if not re.search(r"\w", text):
            continue
        body.append(text)
        last_emphasised = kind == "em"
    return _dedupe_consecutive(body), caps, last_emphasised


def _dedupe_consecutive(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not out or out[-1] != line:
            out.append(line)
    return out


_ATTRIBUTION_RE = re.compile(r"^(Theo|Nguồn)\s*:?\s+\S.{1,80}$")


def split_author(body: list[str], meta_author: str,
                  last_emphasised: bool) -> tuple[str, list[str]]:
    """Closing lines that are not body text: a "Theo <source>" attribution and the byline (a
    short name line, or any short line set apart in bold or to the right)."""
    while body and _ATTRIBUTION_RE.match(body[-1].strip()) and len(body) > 1:
        body = body[:-1]
        last_emphasised = False
    if body:
        last = body[-1].strip()
        m = AUTHOR_RE.match(last)
        short = len(last) <= 50 and not last.endswith((".", ":", ";", "?", "!"))
        if short and (m or last_emphasised):
            return meta_author or (m.group(1) if m else last), body[:-1]
    return meta_author, body
