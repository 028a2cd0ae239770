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
    site_name: str = ""
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
    pre_header_text: str = ""  # short text right before the title (some CMSs put the date there)
    site_text: str = ""        # banner/footer text: where a portal says whose site it is
    selector_date: str = ""    # text (or datetime attribute) of the source's date selector
    used_selectors: tuple[str, ...] = ()   # which source selectors matched and were used


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


# -- metadata ---------------------------------------------------------------------------------

def read_meta(soup: BeautifulSoup) -> Meta:
    meta = Meta()

    metas: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        value = tag.get("content")
        if not value:
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if key and key.lower() not in metas:
                metas[key.lower()] = value

    def content(*names: str) -> str:
        for name in names:
            value = metas.get(name.lower())
            if value:
                return tidy(value)
        return ""

    meta.og_title = content("og:title", "twitter:title")
    meta.og_type = content("og:type").lower()
    meta.site_name = content("og:site_name", "application-name")
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

    def __init__(self, soup: BeautifulSoup, title_node: Tag | None,
                 protected: tuple[Tag, ...] = ()) -> None:
        self.protected = [n for n in (title_node, *protected) if n is not None]
        self.total = max(1, len(_text(soup.body or soup)))

    def allows(self, node: Tag) -> bool:
        if node.name in ("body", "html", "[document]"):
            return False
        for keep in self.protected:
            if node is keep or keep in node.descendants:
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
        headline = _text(a)
        if len(headline) < 25:
            continue
        if text.startswith(headline):
            return True
        holder = a.parent
        while holder is not None and holder is not node and holder.name not in BLOCK_TAGS:
            holder = holder.parent
        if holder is not None and _text(holder) == headline:
            return True
    return False


_SKIP_STRINGS = ("Comment", "Doctype", "Declaration", "ProcessingInstruction", "CData", "Script",
                 "Stylesheet", "TemplateString")


def _short_nodes(soup: BeautifulSoup, limit: int) -> list[Tag]:
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


def _prune_sections(soup: BeautifulSoup, guard: _Guard) -> None:
    """Remove a labelled section: the label's block and the furniture-like blocks after it."""
    for node in _short_nodes(soup, 120):
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
    for node in _short_nodes(soup, 120):
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
_TITLE_PREFIX = re.compile(r"^\s*(?:in bài|bản in|in trang|print|xem bản in)\s*[:|-]\s*", re.I)


def strip_title_prefix(title: str) -> str:
    """``In bài: Tiêu đề`` (print views) → ``Tiêu đề``."""
    return _TITLE_PREFIX.sub("", title).strip()


_CRUMB_SPLIT = re.compile(r"\s+(?:>|&gt;|›|»|>>)\s+")


def strip_site_suffix(title: str) -> str:
    """``Tiêu đề - CỔNG THÔNG TIN ĐIỆN TỬ …`` / ``Tiêu đề | Báo X`` → ``Tiêu đề``; a breadcrumb
    title ``SITE > Tin tức > Tiêu đề`` → its last, longest part."""
    crumbs = _CRUMB_SPLIT.split(title)
    if len(crumbs) >= 2 and len(crumbs[-1]) >= 20 and len(crumbs[-1]) >= max(map(len, crumbs)):
        title = crumbs[-1]
    parts = _SUFFIX_SPLIT.split(title)
    if len(parts) < 2:
        return title.strip()
    last = parts[-1]
    letters = [c for c in last if c.isalpha()]
    if not letters:                      # "nhiệm kỳ 2023 - 2028": a range, not a site name
        return title.strip()
    shouting = letters and sum(c.isupper() for c in letters) / len(letters) > 0.7
    sitey = re.search(r"(?i)\b(báo|cổng|trang|portal|online|điện tử|\.vn|\.com|tạp chí)\b",
                      last)
    if shouting or sitey or len(last) < 0.5 * len(" ".join(parts[:-1])):
        return strip_site_suffix(title[: title.rfind(last)].rstrip(" |-–—:»"))
    return title.strip()


def _find_title_node(soup: BeautifulSoup, meta: Meta) -> tuple[Tag | None, str]:
    """The element holding the headline: an h1/h2 that matches the page title best, else the
    first element of any kind whose whole text is that title (portals use plain divs)."""
    wanted = fold(strip_site_suffix(strip_title_prefix(meta.og_title or meta.html_title))).lower()
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
        loose = None
        for node in soup.find_all(["div", "span", "p", "td", "strong", "h3", "h4"]):
            if node.find(["div", "p", "td"]) is not None:
                continue
            folded = fold(tidy(_text(node))).lower()
            if folded == wanted:
                return node, tidy(_text(node))
            if loose is None and folded.startswith(wanted) and len(wanted) >= 0.6 * len(folded) \
                    and len(folded) <= 300:
                loose = node                 # the page title was cut short
        if loose is not None:
            return loose, tidy(_text(loose))
    if best is not None and best_score >= 1.0:
        return best, tidy(_text(best))
    return None, strip_site_suffix(strip_title_prefix(meta.og_title or meta.html_title))


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
            if box.name == "figure":
                continue
            # a layout table around the whole page: look beside the image instead
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
    first = next((c for c in root.children if isinstance(c, Tag) and _text(c)
                  and c is not title_node and title_node not in c.descendants
                  and fold(_text(c)).lower() != title_f
                  and not bp.is_furniture_line(tidy(_text(c)))), None)
    if first is not None and first.name in ("p", "div"):
        bold = first.find(["b", "strong"])
        text = tidy(_text(first))
        if bold is not None and tidy(_text(bold)) == text and 60 <= len(text) <= 1200:
            return first, text
    return None, ""


def extract(html: str, selectors=None) -> Extraction:
    """The article parts of one page. ``selectors`` (a :class:`corpus.sources.Selectors` or a
    dict with title/sapo/body/date CSS selectors) win where they match; the generic extractor
    does the rest."""
    soup = parse_html(html)
    meta = read_meta(soup)
    page_links = soup.find_all("a")
    teasers = sum(1 for a in page_links if len(_text(a)) >= 40)
    site_text = _site_text(soup, meta)
    _drop_junk(soup)
    candidates = _attachment_candidates(soup)
    picked = _apply_selectors(soup, selectors)
    used = tuple(k for k, v in picked.items() if v is not None)
    if picked["title"] is not None:
        title_node, title = picked["title"]
    else:
        title_node, title = _find_title_node(soup, meta)
    body_node = picked["body"]
    guard = _Guard(soup, title_node, tuple(n for n in (body_node,) if n is not None))
    _prune_sections(soup, guard)
    _prune_comment_items(soup, guard)
    _prune_by_class(soup, guard)
    if picked["sapo"] is not None:
        sapo_node, sapo = picked["sapo"]
    else:
        sapo_node, sapo = _find_sapo(soup, title_node, meta)
    if sapo_node is not None and (body_node is None or sapo_node is not body_node):
        sapo_node.extract()
    header_text = _header_text(title_node)
    pre_header = _pre_header_text(title_node)
    root = body_node if body_node is not None else _choose_root(soup)
    if sapo_node is None:
        sapo_node, sapo = _sapo_by_position(title_node, root)
        if sapo_node is not None:
            sapo_node.extract()
    attachments = _attachments(candidates, root)
    _prune_link_runs(root)
    root_teasers = _standalone_links(root)
    captions = _figure_captions(root)
    blocks = _linearise(root)
    body, caption_lines, last_emphasised = _filter_blocks(blocks, title, sapo, captions)
    sapo = SOURCE_PREFIX_RE.sub("", sapo)
    if not sapo and body and meta.description and _same_start(body[0], meta.description):
        sapo = body.pop(0)
    if not sapo and body and SOURCE_PREFIX_RE.match(body[0]) and len(body[0]) >= 60:
        sapo = SOURCE_PREFIX_RE.sub("", body.pop(0))      # "(Baothanhhoa.vn) - …" opens the lead
    author, body = _split_author(body, meta.author, last_emphasised)
    page_text = _text(soup.body or soup)
    density = _link_len(soup.body or soup) / max(1, len(page_text))
    return Extraction(title=title, sapo=sapo, body=body, captions=caption_lines, author=author,
                      attachments=attachments, meta=meta, header_text=header_text,
                      link_density=density, teaser_links=teasers, root_teasers=root_teasers,
                      pre_header_text=pre_header, site_text=site_text,
                      selector_date=picked["date"] or "", used_selectors=used)


def _selector(selectors, key: str) -> str | None:
    if selectors is None:
        return None
    value = selectors.get(key) if isinstance(selectors, dict) else getattr(selectors, key, None)
    return value or None


def _select_one(soup: BeautifulSoup, css: str) -> Tag | None:
    try:
        return soup.select_one(css)
    except Exception:              # a malformed selector in the sources file: ignore it
        return None


def _apply_selectors(soup: BeautifulSoup, selectors) -> dict:
    """Nodes picked by the source's CSS selectors; each only when it matches with usable text."""
    out: dict = {"title": None, "sapo": None, "body": None, "date": None}
    css = _selector(selectors, "title")
    node = _select_one(soup, css) if css else None
    if node is not None:
        text = tidy(node.get("content", "") if node.name == "meta" else _text(node))
        if 3 <= len(text) <= 400:
            out["title"] = (None if node.name == "meta" else node, strip_site_suffix(text))
    css = _selector(selectors, "body")
    if css:
        try:
            nodes = soup.select(css)
        except Exception:
            nodes = []
        nodes = [n for n in nodes if len(_text(n)) >= 200]
        if nodes:
            out["body"] = max(nodes, key=lambda n: len(_text(n)))
    css = _selector(selectors, "sapo")
    node = _select_one(soup, css) if css else None
    if node is not None and 20 <= len(_text(node)) <= 1500 and node is not out["body"]:
        out["sapo"] = (node, tidy(_text(node)))
    css = _selector(selectors, "date")
    node = _select_one(soup, css) if css else None
    if node is not None:
        out["date"] = (node.get("datetime") or node.get("content") or _text(node)).strip() or None
    return out


_SITE_CLASS = re.compile(r"foot|ftr|banner|bnr|header|hdr|logo|copyright|brand|site-?name", re.I)


def _site_text(soup: BeautifulSoup, meta: Meta) -> str:
    """Banner, footer and site-name text: a portal names its ward, district or province there."""
    parts = [meta.site_name]
    for node in soup.find_all(["footer", "header", "div", "p", "td", "section"]):
        if node.attrs is None:
            continue
        if node.name in ("footer", "header") or _SITE_CLASS.search(_attr(node)):
            text = _text(node)
            if 0 < len(text) <= 600:
                parts.append(text)
        for img in node.find_all("img", alt=True, limit=3) if node.name == "header" else ():
            parts.append(img["alt"])
    for img in soup.find_all("img", alt=True):
        if _SITE_CLASS.search(" ".join([_attr(img.parent) if img.parent else "", img.get("src", "")])):
            parts.append(img["alt"])
    tail = _text(soup.body or soup)[-300:]
    return tidy("\n".join([*(p for p in parts if p), tail]))[:3000]


def _pre_header_text(title_node: Tag | None) -> str:
    """Short text just before the title inside its own container (some CMSs put the date line
    above the headline); header clocks sit in other containers and stay out."""
    if title_node is None:
        return ""
    parts: list[str] = []
    node = title_node
    for _ in range(2):
        for sib in node.previous_siblings:
            text = sib.strip() if isinstance(sib, NavigableString) else (
                _text(sib) if isinstance(sib, Tag) else "")
            if not text:
                continue
            if len(text) > 160 or len(parts) >= 2:
                break
            parts.insert(0, text)
        if parts or node.parent is None or len(_text(node.parent)) > len(_text(node)) + 200:
            break
        node = node.parent
    return tidy("\n".join(parts))


def _is_link_block(node: Tag) -> int:
    """Number of links when a block is (almost) nothing but link text, else 0."""
    text = _text(node)
    if len(text) < 15:
        return 0
    links = node.find_all("a") if node.name != "a" else [node]
    linked = sum(len(_text(a)) for a in links)
    return len(links) if linked >= 0.75 * len(text) else 0


_RELATED_LEAD_RE = re.compile(r"^(xem thêm|đọc thêm|tin liên quan|bài liên quan|có thể bạn quan "
                              r"tâm|tin cùng chuyên mục)\s*[:>»›-]", re.I)


def _prune_link_runs(root: Tag) -> None:
    """Related lists left inside the article: runs of headline links (with at most short lines
    between them, such as a date or 'Trong "Chuyên mục"'), and their short heading. Teasers with
    a lead paragraph each break the run, so listing pages keep theirs for the gate."""
    total = max(1, len(_text(root)))
    for container in [root, *root.find_all(True)]:
        if container.parent is None and container is not root:
            continue
        kids = [k for k in container.children if isinstance(k, Tag) or
                (isinstance(k, NavigableString) and k.strip())]
        run: list = []
        links = 0

        def close() -> None:
            nonlocal run, links
            if links >= 2 and sum(len(_text(k)) for k in run if isinstance(k, Tag)) < 0.4 * total:
                head = run[0].find_previous_sibling() if isinstance(run[0], Tag) else None
                for k in run:
                    k.extract()
                if head is not None and len(_text(head)) <= 60 and not _is_link_block(head) \
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
            n = _is_link_block(k)
            text = _text(k)
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
        text = _text(node)
        if len(text) < 300 and _RELATED_LEAD_RE.match(text) and \
                _link_len(node) >= 0.6 * len(_RELATED_LEAD_RE.sub("", text).strip()):
            node.decompose()


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


_ATTACH_RE = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|rar|zip|7z)(?:$|[?#/])", re.I)
_ATTACH_LABEL_RE = re.compile(r"(file|tài liệu|tệp|văn bản) đính kèm|tải về|tải xuống|download", re.I)


def _attachment_candidates(soup: BeautifulSoup) -> list[tuple[Tag, dict, bool]]:
    """Every file link on the page, before pruning: (anchor, record, sits under a "File đính
    kèm" / "Tải về" label)."""
    out = []
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        if href.lower().startswith("javascript:") or not (_ATTACH_RE.search(href)
                                                           or a.has_attr("download")):
            continue
        labelled = False
        node = a
        for _ in range(4):
            node = node.parent
            if node is None or node.name in ("body", "html"):
                break
            text = _text(node)
            if len(text) <= 600 and _ATTACH_LABEL_RE.search(text.replace(_text(a), "")):
                labelled = True
                break
        out.append((a, {"url": href, "name": tidy(_text(a)) or href.rsplit("/", 1)[-1]},
                    labelled))
    return out


def _attachments(candidates: list[tuple[Tag, dict, bool]], root: Tag) -> list[dict]:
    """Files the article links to: inside the article, or under a "File đính kèm" label.
    Sidebar document lists ("Văn bản mới") are not the article's attachments."""
    out, seen = [], set()
    for a, record, labelled in candidates:
        inside = any(p is root for p in a.parents)
        if (inside or labelled) and record["url"] not in seen:
            seen.add(record["url"])
            out.append(record)
    return out
