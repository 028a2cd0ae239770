"""Furniture removal: junk elements, labelled sections ("Tin liên quan", "Bình luận"), comment
items, furniture classes and runs of headline links, each guarded so it never takes the title or
most of the page's prose with it."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from corpus.clean import boilerplate as bp
from corpus.clean.dom import BLOCK_TAGS, JUNK_TAGS, attr_tokens, attr_value, link_len, node_text


def drop_junk(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(JUNK_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        style = attr_value(tag, "style").replace(" ", "").lower()
        if tag.has_attr("hidden") or "display:none" in style or "visibility:hidden" in style \
                or tag.get("aria-hidden") == "true":
            tag.decompose()
    for tag in soup.find_all(["nav", "footer"]):
        tag.decompose()


class Guard:
    """Refuses removals that would take the title, most of the page's text, or most of its prose
    with them.

    Prose is running text in paragraphs of 80+ characters outside links: a short article on a
    page of long sidebars is a small share of the page's text but nearly all of its prose, and a
    class token such as ``ads`` in ``block_ads_connect`` (VnExpress 2018, on its ``<article>``)
    must not take it away.
    """

    def __init__(self, soup: BeautifulSoup, title_node: Tag | None,
                 protected: tuple[Tag, ...] = ()) -> None:
        self.protected = [n for n in (title_node, *protected) if n is not None]
        self.total = max(1, len(node_text(soup.body or soup)))
        self.prose: dict[int, int] = {}
        for p in soup.find_all(["p", "blockquote"]):
            n = len(node_text(p)) - link_len(p)
            if n < 80:
                continue
            parent: Tag | None = p
            while parent is not None:
                self.prose[id(parent)] = self.prose.get(id(parent), 0) + n
                parent = parent.parent
        self.total_prose = self.prose.get(id(soup), 0)

    def allows(self, node: Tag) -> bool:
        if node.name in ("body", "html", "[document]"):
            return False
        for keep in self.protected:
            if node is keep or keep in node.descendants:
                return False
        if self.total_prose >= 200 and self.prose.get(id(node), 0) >= 0.5 * self.total_prose:
            return False
        return len(node_text(node)) < 0.5 * self.total


#: Elements that live inside a line of text.
INLINE_TAGS = frozenset({"a", "span", "b", "strong", "em", "i", "u", "font", "small", "sup",
                         "sub", "mark", "abbr", "cite", "q"})


def _in_running_text(node: Tag) -> bool:
    """An inline element inside a sentence (a link classed ``cms-relate`` in "vô địch
    <a>World Cup</a> thứ hai"): its class names what it links to, not page furniture."""
    if node.name not in INLINE_TAGS or node.parent is None:
        return False
    return len(node_text(node.parent)) >= len(node_text(node)) + 40


def prune_by_class(soup: BeautifulSoup, guard: Guard) -> None:
    for node in list(soup.find_all(True)):
        if node.attrs is None or node.parent is None:
            continue
        if node.name in ("header",) or bp.is_furniture_class(attr_tokens(node)):
            if guard.allows(node) and not _in_running_text(node):
                node.decompose()


def _looks_furniture(node: PageElement) -> bool:
    """A block that continues a furniture section: link lists, short lines, comment items."""
    if isinstance(node, NavigableString):
        return len(node.strip()) < 100
    assert isinstance(node, Tag)      # a bs4 tree holds only tags and strings
    text = node_text(node)
    if not text:
        return True
    if link_len(node) / max(1, len(text)) > 0.5:
        return True
    if len(text) < 100 or bp.is_furniture_line(text) or bp.is_label(text):
        return True
    if _is_teaser(node, text):
        return True
    if bp.COMMENT_HEAD_RE.match(text[:120]):        # a comment item: "Tên (12/03/2024 10:20) …"
        return True
    return any(bp.is_furniture_line(s) for s in node.stripped_strings)


def _is_teaser(node: Tag, text: str) -> bool:
    """A headline link with at most a short lead (and a thumbnail): one item of a related or
    listing box. Only used to continue a section that a label opened."""
    if len(text) > 600:
        return False
    for a in node.find_all("a"):
        headline = node_text(a)
        if len(headline) < 25:
            continue
        if text.startswith(headline):
            return True
        holder = a.parent
        while holder is not None and holder is not node and holder.name not in BLOCK_TAGS:
            holder = holder.parent
        if holder is not None and node_text(holder) == headline:
            return True
    return False


_SKIP_STRINGS = ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData", "Script",
                 "Stylesheet", "TemplateString")


def short_nodes(soup: BeautifulSoup, limit: int) -> list[Tag]:
    """Elements whose text is at most ``limit`` characters, in document order (one pass: labels
    and comment heads are short, and calling get_text on every element is quadratic)."""
    lengths: dict[int, int] = {}
    for string in soup.find_all(string=True):
        if string.__class__.__name__ in _SKIP_STRINGS:
            continue
        n = len(string.strip())
        if not n:
            continue
        parent = string.parent
        while parent is not None:
            lengths[id(parent)] = lengths.get(id(parent), 0) + n
            parent = parent.parent
    return [t for t in soup.find_all(True) if 0 < lengths.get(id(t), 0) <= limit]


def prune_sections(soup: BeautifulSoup, guard: Guard) -> None:
    """Remove a labelled section: the label's block and the furniture-like blocks after it."""
    for node in short_nodes(soup, 120):
        if node.parent is None or node.attrs is None:
            continue
        own = node_text(node)
        if not bp.is_label(own):
            continue
        block = node
        # Climb through wrappers that hold nothing but the label.
        while block.parent is not None and node_text(block.parent) == own and guard.allows(
                block.parent):
            block = block.parent
        if not guard.allows(block):
            continue
        followers = []
        for sib in block.next_siblings:
            if isinstance(sib, Tag) and not guard.allows(sib):
                break
            if not _looks_furniture(sib):
                break
            followers.append(sib)
        for sib in followers:
            sib.extract()
        block.decompose()


def prune_comment_items(soup: BeautifulSoup, guard: Guard) -> None:
    """Comment items: a "Tên - thời gian" head plus the comment text below it."""
    for node in short_nodes(soup, 120):
        if node.parent is None or node.attrs is None:
            continue
        own = node_text(node)
        if not own or len(own) > 80 or not bp.COMMENT_HEAD_RE.match(own):
            continue
        item = node
        while item.parent is not None and guard.allows(item.parent) and \
                len(node_text(item.parent)) < len(own) + 1500 and \
                node_text(item.parent).startswith(own[:20]):
            item = item.parent
        if guard.allows(item):
            item.decompose()


def is_link_block(node: Tag) -> int:
    """Number of links when a block is (almost) nothing but link text, else 0."""
    text = node_text(node)
    if len(text) < 15:
        return 0
    links = node.find_all("a") if node.name != "a" else [node]
    linked = sum(len(node_text(a)) for a in links)
    return len(links) if linked >= 0.75 * len(text) else 0


_RELATED_LEAD_RE = re.compile(r"^(xem thêm|đọc thêm|tin liên quan|bài liên quan|có thể bạn quan "
                              r"tâm|tin cùng chuyên mục)\s*[:>»›-]", re.I)


def prune_link_runs(root: Tag) -> None:
    """Related lists left inside the article: runs of headline links (with at most short lines
    between them, such as a date or 'Trong "Chuyên mục"'), and their short heading. Teasers with
    a lead paragraph each break the run, so listing pages keep theirs for the gate."""
    total = max(1, len(node_text(root)))
    for container in [root, *root.find_all(True)]:
        if container.parent is None and container is not root:
            continue
        kids = [k for k in container.children if isinstance(k, Tag) or
                (isinstance(k, NavigableString) and k.strip())]
        run: list = []
        links = 0

        def close() -> None:
            nonlocal run, links
            if links >= 2 and sum(len(node_text(k)) for k in run if isinstance(k, Tag)) < 0.4 * total:
                head = run[0].find_previous_sibling() if isinstance(run[0], Tag) else None
                for k in run:
                    k.extract()
                if head is not None and len(node_text(head)) <= 60 and not is_link_block(head) \
                        and not head.find("img") and head.name not in ("h1",):
                    head.extract()
            run, links = [], 0

        for k in kids:
            if isinstance(k, NavigableString):
                if len(k.strip()) < 40 and run:
                    run.append(k)
                    continue
                close()
                continue
            n = is_link_block(k)
            text = node_text(k)
            if n:
                run.append(k)
                links += n
            elif run and len(text) < 50 and not k.find("img"):
                run.append(k)
            else:
                close()
        close()
    for node in root.find_all(["p", "div", "li"]):
        if node.parent is None:
            continue
        text = node_text(node)
        if len(text) < 300 and _RELATED_LEAD_RE.match(text) and \
                link_len(node) >= 0.6 * len(_RELATED_LEAD_RE.sub("", text).strip()):
            node.decompose()
