"""Main-content extraction from a Vietnamese news or portal page (beautifulsoup4 + lxml).

The order matters and is the design:

1. read metadata (meta tags, JSON-LD) before anything is removed;
2. drop non-content elements and furniture blocks recognised by class/id tokens, by a section
   label ("Tin liên quan", "Bình luận"…) followed by link lists or comment items, or by comment
   item heads ("Tên - 10:30 12/05/2024") — each removal guarded so it never takes the title or
   most of the page's prose with it;
3. pick the element whose paragraphs carry the most prose (readability-style scoring), which is
   robust to class names that are Vietnamese, English or meaningless;
4. linearise it into blocks, keep captions apart, and filter lines (counters, templates, repeated
   title, byline).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from corpus.clean import boilerplate as bp
from corpus.textnorm import fold, tidy

JUNK_TAGS = ("script", "style", "noscript", "iframe", "svg", "canvas", "template", "button",
             "select", "input", "textarea", "label", "object", "embed", "map", "link", "meta")
BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
              "td", "th", "tr", "table", "tbody", "thead", "pre", "figure", "figcaption",
              "section", "article", "main", "header", "footer", "aside", "nav", "dd", "dt", "dl",
              "form", "center", "address", "hr"}
CAPTION_CLASS_RE = re.compile(r"caption|chu-?thich|image|img|photo|desc-?img|fig", re.I)
SAPO_CLASS_RE = re.compile(
    r"(?:^|[\s_-])(sapo|lead|chapeau|chappeau|description|desc|summary|hometext|intro|"
    r"tom-?tat|teaser|abstract|excerpt)(?:$|[\s_-])", re.I)
SOURCE_PREFIX_RE = re.compile(r"^\(\s*[\w.\- ]{2,40}\s*\)\s*[-–—:]\s*")
AUTHOR_RE = re.compile(r"^(?:(?:bài|tin|ảnh|bài và ảnh|theo)\s*:?\s*)?"
                       r"([A-ZĐÀ-Ỹ][\wÀ-ỹ.]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*){0,4})"
                       r"(?:\s*[-–(]\s*[\wÀ-ỹ. ]{2,40}\)?)?$")


@dataclass
class Meta:
    title: str = ""
    og_title: str = ""
    html_title: str = ""
    og_type: str = ""
    description: str = ""
    published: str = ""
    published_source: str = ""
    author: str = ""
    canonical: str = ""
    ld_types: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    title: str
    sapo: str
    body: list[str]
    captions: list[str]
    author: str
    attachments: list[dict]
    meta: Meta
    header_text: str          # text between the title and the body (bylines, dates)
    link_density: float       # of the whole page after furniture removal
    teaser_links: int         # links with teaser-like text (listing pages have many)
    root_teasers: int         # standalone headline links left in the content root after pruning


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


# -- metadata ---------------------------------------------------------------------------------

def read_meta(soup: BeautifulSoup) -> Meta:
    meta = Meta()

    def content(*names: str) -> str:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find(
                "meta", attrs={"name": name}) or soup.find("meta", attrs={"itemprop": name})
            if tag and tag.get("content"):
                return tidy(tag["content"])
        return ""

    meta.og_title = content("og:title", "twitter:title")
    meta.og_type = content("og:type").lower()
    meta.description = content("og:description", "description", "twitter:description")
    meta.author = content("author", "article:author", "dc.creator")
    for name in ("article:published_time", "pubdate", "publishdate", "datePublished",
                 "dc.date.issued", "date", "og:published_time"):
        value = content(name)
        if value:
            meta.published, meta.published_source = value, "meta"
            break
    if soup.title and soup.title.string:
        meta.html_title = tidy(soup.title.get_text(" "))
    link = soup.find("link", rel=lambda v: v and "canonical" in v)
    if link and link.get("href"):
        meta.canonical = link["href"].strip()
    for script in soup.find_all("script", type=lambda v: v and "ld+json" in v):
        for item in _json_ld_items(script.string or ""):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            meta.ld_types.extend(str(k) for k in kinds if k)
            if any(str(k).endswith("Article") for k in kinds if k):
                if not meta.published and item.get("datePublished"):
                    meta.published, meta.published_source = str(item["datePublished"]), "jsonld"
                if not meta.og_title and item.get("headline"):
                    meta.og_title = tidy(str(item["headline"]))
                if not meta.author:
                    meta.author = _ld_author(item.get("author"))
    if not meta.published:
        time_tag = soup.find("time", attrs={"datetime": True})
        if time_tag:
            meta.published, meta.published_source = time_tag["datetime"].strip(), "time"
    return meta


def _json_ld_items(text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    items = data if isinstance(data, list) else [data]
    out: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            out.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                out.extend(g for g in graph if isinstance(g, dict))
    return out


def _ld_author(value) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name", "")
    return tidy(str(value or ""))


# -- pruning ----------------------------------------------------------------------------------

def _text(node: Tag) -> str:
    return node.get_text(" ", strip=True)


def _link_len(node: Tag) -> int:
    return sum(len(a.get_text(" ", strip=True)) for a in node.find_all("a"))


def _attr(node: Tag) -> str:
    classes = node.get("class") or []
    return " ".join([*classes, node.get("id") or ""]) if isinstance(classes, list) else str(classes)


def _drop_junk(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(JUNK_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:
            continue
        style = (tag.get("style") or "").replace(" ", "").lower()
        if tag.has_attr("hidden") or "display:none" in style or "visibility:hidden" in style \
                or tag.get("aria-hidden") == "true":
            tag.decompose()
    for tag in soup.find_all(["nav", "footer"]):
        tag.decompose()


class _Guard:
    """Refuses removals that would take the title or most of the page's prose with them."""

    def __init__(self, soup: BeautifulSoup, title_node: Tag | None) -> None:
        self.title_node = title_node
        self.total = max(1, len(_text(soup.body or soup)))

    def allows(self, node: Tag) -> bool:
        if node.name in ("body", "html", "[document]"):
            return False
        if self.title_node is not None and (node is self.title_node or
                                            self.title_node in node.descendants):
            return False
        return len(_text(node)) < 0.5 * self.total


def _prune_by_class(soup: BeautifulSoup, guard: _Guard) -> None:
    for node in list(soup.find_all(True)):
        if node.attrs is None or node.parent is None:
            continue
        if node.name in ("header",) or bp.is_furniture_class(_attr(node)):
            if guard.allows(node):
                node.decompose()


def _looks_furniture(node: Tag | NavigableString) -> bool:
    """A block that continues a furniture section: link lists, short lines, comment items."""
    if isinstance(node, NavigableString):
        return len(node.strip()) < 100
    text = _text(node)
    if not text:
        return True
    if _link_len(node) / max(1, len(text)) > 0.5:
        return True
    if len(text) < 100 or bp.is_furniture_line(text) or bp.is_label(text):
        return True
    return any(bp.is_furniture_line(s) for s in node.stripped_strings)


def _prune_sections(soup: BeautifulSoup, guard: _Guard) -> None:
    """Remove a labelled section: the label's block and the furniture-like blocks after it."""
    for node in list(soup.find_all(True)):
        if node.parent is None or node.attrs is None:
            continue
        own = _text(node)
        if not bp.is_label(own):
            continue
        block = node
        # Climb through wrappers that hold nothing but the label.
        while block.parent is not None and _text(block.parent) == own and guard.allows(
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


def _prune_comment_items(soup: BeautifulSoup, guard: _Guard) -> None:
    """Comment items: a "Tên - thời gian" head plus the comment text below it."""
    for node in list(soup.find_all(True)):
        if node.parent is None or node.attrs is None:
            continue
        own = _text(node)
        if not own or len(own) > 80 or not bp.COMMENT_HEAD_RE.match(own):
            continue
        item = node
        while item.parent is not None and guard.allows(item.parent) and \
                len(_text(item.parent)) < len(own) + 1500 and \
                _text(item.parent).startswith(own[:20]):
            item = item.parent
        if guard.allows(item):
            item.decompose()


# -- title, root, blocks ----------------------------------------------------------------------

_SUFFIX_SPLIT = re.compile(r"\s+[|\-–—:»]\s+")


def strip_site_suffix(title: str) -> str:
    """``Tiêu đề - CỔNG THÔNG TIN ĐIỆN TỬ …`` / ``Tiêu đề | Báo X`` → ``Tiêu đề``."""
    parts = _SUFFIX_SPLIT.split(title)
    if len(parts) < 2:
        return title.strip()
    last = parts[-1]
    letters = [c for c in last if c.isalpha()]
    shouting = letters and sum(c.isupper() for c in letters) / len(letters) > 0.7
    sitey = re.search(r"(?i)\b(báo|cổng|trang|portal|online|điện tử|\.vn|\.com|tạp chí)\b",
                      last)
    if shouting or sitey or len(last) < 0.5 * len(" ".join(parts[:-1])):
        return strip_site_suffix(title[: title.rfind(last)].rstrip(" |-–—:»"))
    return title.strip()


def _find_title_node(soup: BeautifulSoup, meta: Meta) -> tuple[Tag | None, str]:
    """The element holding the headline: an h1/h2 that matches the page title best, else the
    first element of any kind whose whole text is that title (portals use plain divs)."""
    wanted = fold(strip_site_suffix(meta.og_title or meta.html_title)).lower()
    best, best_score = None, -1.0
    for h in soup.find_all(["h1", "h2"]):
        text = tidy(_text(h))
        if not text or len(text) > 300:
            continue
        folded = fold(text).lower()
        score = 0.0
        if wanted and (folded == wanted or folded in wanted or wanted in folded):
            score = 3.0 if folded == wanted else 2.0
        elif h.name == "h1":
            score = 1.0
        if score > best_score:
            best, best_score = h, score
    if best is not None and best_score >= 2.0:
        return best, tidy(_text(best))
    if wanted and len(wanted) >= 15:
        for node in soup.find_all(["div", "span", "p", "td", "strong", "h3", "h4"]):
            if node.find(["div", "p", "td"]) is None and fold(tidy(_text(node))).lower() == wanted:
                return node, tidy(_text(node))
    if best is not None and best_score >= 1.0:
        return best, tidy(_text(best))
    return None, strip_site_suffix(meta.og_title or meta.html_title)


def _prose_len(text: str) -> int:
    return len(text) if len(text) >= 25 else 0


def _choose_root(soup: BeautifulSoup) -> Tag:
    """The element that holds the most prose (text outside links) in its paragraphs."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for block in soup.find_all(["p", "div", "td", "li", "blockquote", "pre", "span"]):
        own = "".join(s for s in block.find_all(string=True, recursive=False)).strip()
        if block.name in ("p", "pre", "blockquote"):
            own = _text(block)
        if block.name == "span" and len(own) < 80:
            continue
        link = _link_len(block) if block.name in ("p", "li") else 0
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
    best = max(scores, key=scores.get)
    return nodes[best]


def _linearise(root: Tag) -> list[tuple[str, str]]:
    """Blocks of text in document order as (kind, text); kind is "p", "h", "caption", "li"."""
    out: list[tuple[str, str]] = []
    buf: list[str] = []
    kind_stack: list[str] = ["p"]

    def flush() -> None:
        text = tidy(" ".join(buf))
        buf.clear()
        if text:
            for line in text.splitlines():
                out.append((kind_stack[-1], line))

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ in ("Comment", "Doctype", "Declaration",
                                                "ProcessingInstruction", "CData"):
                    continue
                buf.append(str(child))
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
                walk(child)
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
                                     and CAPTION_CLASS_RE.search(_attr(node))
                                     and len(_text(node)) < 400 and not node.find("p")):
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
    style = (node.get("style") or "").replace(" ", "").lower()
    if "text-align:right" in style or "right" in (node.get("align") or "").lower():
        return True
    bold = node.find(["strong", "b"])
    return bold is not None and tidy(_text(bold)) == tidy(_text(node)) and len(_text(node)) < 80


_CREDIT_RE = re.compile(r"(?:\(|\b)(ảnh|nguồn|photo)\s*:\s*[^.()]{2,60}\)?\.?$", re.I)


def _figure_captions(root: Tag) -> set[str]:
    """Short text beside an image: in a figure or image table (CMS photo boxes), or the
    italic or credited ("Ảnh: …") line right after an image's block."""
    caps: set[str] = set()
    for img in root.find_all("img"):
        box = img.find_parent(["figure", "table"])
        if box is not None:
            text = tidy(_text(box))
            if 0 < len(text) < 400:
                caps.add(text)
                caps.update(tidy(s) for s in box.stripped_strings)
            continue
        holder = img.find_parent(["p", "div"]) or img
        nxt = holder.find_next_sibling()
        if nxt is None:
            continue
        text = tidy(_text(nxt))
        italic = nxt.find(["em", "i"])
        if 0 < len(text) < 300 and ((italic is not None and tidy(_text(italic)) == text)
                                    or _CREDIT_RE.search(text)):
            caps.add(text)
    return caps


def _find_sapo(soup: BeautifulSoup, title_node: Tag | None, meta: Meta) -> tuple[Tag | None, str]:
    for node in soup.find_all(True):
        if node.attrs is None or node.name in ("html", "body", "meta"):
            continue
        if SAPO_CLASS_RE.search(_attr(node)):
            text = tidy(_text(node))
            if 40 <= len(text) <= 1200 and _link_len(node) < 0.3 * len(text):
                return node, text
    if title_node is not None:
        nxt = title_node.find_next(["h2", "p", "div"])
        if nxt is not None and nxt.name == "h2":
            text = tidy(_text(nxt))
            if 40 <= len(text) <= 1200:
                return nxt, text
    return None, ""


def _standalone_links(root: Tag) -> int:
    """Links that stand as a block of their own (teaser headlines): listings are made of them,
    articles are not once related lists are pruned."""
    count = 0
    for a in root.find_all("a"):
        text = _text(a)
        if len(text) < 30:
            continue
        holder = a.parent
        while holder is not None and holder.name not in BLOCK_TAGS:
            holder = holder.parent
        if holder is not None and _text(holder) == text:
            count += 1
    return count


def _sapo_by_position(title_node: Tag | None, root: Tag) -> tuple[Tag | None, str]:
    """The lead without a class cue: a prose block between the title and the body, or a
    wholly bold first paragraph of the body (how many CMSs mark the sapo)."""
    if title_node is None:
        return None, ""
    title_f = fold(_text(title_node)).lower()
    ancestors = set(map(id, root.parents))
    for el in title_node.find_all_next(["p", "div", "h2", "b", "strong"], limit=30):
        if el is root or root in el.parents:
            break
        if id(el) in ancestors or el.find(["p", "div"]):
            continue
        text = tidy(_text(el))
        if 60 <= len(text) <= 1200 and _link_len(el) < 0.2 * len(text) and \
                fold(text).lower() != title_f:
            return el, text
    first = next((c for c in root.children if isinstance(c, Tag) and _text(c)), None)
    if first is not None and first.name in ("p", "div"):
        bold = first.find(["b", "strong"])
        text = tidy(_text(first))
        if bold is not None and tidy(_text(bold)) == text and 60 <= len(text) <= 1200:
            return first, text
    return None, ""


def extract(html: str) -> Extraction:
    soup = parse_html(html)
    meta = read_meta(soup)
    page_links = soup.find_all("a")
    teasers = sum(1 for a in page_links if len(_text(a)) >= 40)
    _drop_junk(soup)
    title_node, title = _find_title_node(soup, meta)
    guard = _Guard(soup, title_node)
    attachments = _attachments(soup)
    _prune_sections(soup, guard)
    _prune_comment_items(soup, guard)
    _prune_by_class(soup, guard)
    sapo_node, sapo = _find_sapo(soup, title_node, meta)
    if sapo_node is not None:
        sapo_node.extract()
    header_text = _header_text(title_node)
    root = _choose_root(soup)
    if sapo_node is None:
        sapo_node, sapo = _sapo_by_position(title_node, root)
        if sapo_node is not None:
            sapo_node.extract()
    root_teasers = _standalone_links(root)
    captions = _figure_captions(root)
    blocks = _linearise(root)
    body, caption_lines, last_emphasised = _filter_blocks(blocks, title, sapo, captions)
    sapo = SOURCE_PREFIX_RE.sub("", sapo)
    if not sapo and body and meta.description and _same_start(body[0], meta.description):
        sapo = body.pop(0)
    author, body = _split_author(body, meta.author, last_emphasised)
    page_text = _text(soup.body or soup)
    density = _link_len(soup.body or soup) / max(1, len(page_text))
    return Extraction(title=title, sapo=sapo, body=body, captions=caption_lines, author=author,
                      attachments=attachments, meta=meta, header_text=header_text,
                      link_density=density, teaser_links=teasers, root_teasers=root_teasers)


def _header_text(title_node: Tag | None) -> str:
    """Text right after the title: where bylines and publication dates sit."""
    if title_node is None:
        return ""
    parts: list[str] = []
    own = {id(t) for t in title_node.find_all(string=True)}
    for el in title_node.find_all_next(string=True, limit=60):
        if id(el) in own:
            continue
        text = el.strip()
        if text:
            parts.append(text)
        if sum(len(p) for p in parts) > 400:
            break
    return tidy(" \n".join(parts))


def _same_start(a: str, b: str) -> bool:
    a, b = fold(a).lower(), fold(b).lower()
    n = min(len(a), len(b), 80)
    return n >= 30 and a[:n] == b[:n]


def _filter_blocks(blocks: list[tuple[str, str]], title: str, sapo: str,
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


def _split_author(body: list[str], meta_author: str,
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


def _attachments(soup: BeautifulSoup) -> list[dict]:
    out, seen = [], set()
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        if re.search(r"\.(pdf|docx?|xlsx?|rar|zip)(?:$|[?#/])", href, re.I) and href not in seen:
            seen.add(href)
            out.append({"url": href, "name": tidy(_text(a)) or href.rsplit("/", 1)[-1]})
    return out
