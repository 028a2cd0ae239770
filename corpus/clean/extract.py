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

Each step lives in its own module (``meta``, ``prune``, ``title``, ``lead``, ``blocks``,
``selectors``, ``attachments``, ``site``); this one only coordinates them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.clean.attachments import attachment_candidates, attachments
from corpus.clean.blocks import (
    choose_root,
    figure_captions,
    filter_blocks,
    is_photo_story,
    linearise,
    out_of_figure,
    same_start,
    split_author,
    standalone_links,
)
from corpus.clean.dates import day_order
from corpus.clean.dom import link_len, node_text, parse_html
from corpus.clean.lead import SOURCE_PREFIX_RE, find_sapo, sapo_by_position
from corpus.clean.meta import Meta, read_meta
from corpus.clean.prune import (
    Guard,
    drop_junk,
    prune_by_class,
    prune_comment_items,
    prune_link_runs,
    prune_sections,
)
from corpus.clean.selectors import apply_selectors
from corpus.clean.site import site_text
from corpus.clean.title import (
    find_title_node,
    header_text,
    pre_header_text,
    title_cover,
)

if TYPE_CHECKING:
    from corpus.sources import Selectors


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
    date_order: str = "dmy"    # "mdy" when the page's own numeric dates prove month-first
    title_cover: float = 0.0   # how much of the page's <title>/og:title the headline is
    title_node_found: bool = False   # False: the title is the page's <title>, no headline seen


def extract(html: str, selectors: Selectors | dict[str, str] | None = None) -> Extraction:
    """The article parts of one page. ``selectors`` (a :class:`corpus.sources.Selectors` or a
    dict with title/sapo/body/date CSS selectors) win where they match; the generic extractor
    does the rest."""
    soup = parse_html(html)
    meta = read_meta(soup)
    page_links = soup.find_all("a")
    teasers = sum(1 for a in page_links if len(node_text(a)) >= 40)
    page_site = site_text(soup, meta)
    order = day_order(node_text(soup.body or soup))
    drop_junk(soup)
    candidates = attachment_candidates(soup)
    picked = apply_selectors(soup, selectors)
    used = tuple(k for k, v in picked.items() if v is not None)
    if picked["title"] is not None:
        title_node, title = picked["title"]
    else:
        title_node, title = find_title_node(soup, meta)
    body_node = picked["body"]
    # Before pruning: datelines sit in bars that furniture rules remove ("print", "time_comment").
    pre_header, after_title = pre_header_text(title_node), header_text(title_node)
    guard = Guard(soup, title_node, tuple(n for n in (body_node,) if n is not None))
    prune_sections(soup, guard)
    prune_comment_items(soup, guard)
    prune_by_class(soup, guard)
    if picked["sapo"] is not None:
        sapo_node, sapo = picked["sapo"]
    else:
        sapo_node, sapo = find_sapo(soup, title_node, meta)
    if sapo_node is not None and (body_node is None or sapo_node is not body_node):
        sapo_node.extract()
    root = body_node if body_node is not None else out_of_figure(choose_root(soup))
    if sapo_node is None:
        sapo_node, sapo = sapo_by_position(title_node, root)
        if sapo_node is not None:
            sapo_node.extract()
    files = attachments(candidates, root)
    prune_link_runs(root)
    root_teasers = standalone_links(root)
    captions = figure_captions(root)
    blocks = linearise(root)
    body, caption_lines, last_emphasised = filter_blocks(blocks, title, sapo, captions)
    if is_photo_story(body, caption_lines):
        # The story is told in its captions (tienphong, cafef "Cận cảnh …"): they are the body.
        body, caption_lines, last_emphasised = filter_blocks(
            [("p" if kind == "caption" else kind, text) for kind, text in blocks], title, sapo,
            set())
    sapo = SOURCE_PREFIX_RE.sub("", sapo)
    if not sapo and body and meta.description and same_start(body[0], meta.description):
        sapo = body.pop(0)
    if not sapo and body and SOURCE_PREFIX_RE.match(body[0]) and len(body[0]) >= 60:
        sapo = SOURCE_PREFIX_RE.sub("", body.pop(0))      # "(Baothanhhoa.vn) - …" opens the lead
    author, body = split_author(body, meta.author, last_emphasised)
    page_text = node_text(soup.body or soup)
    density = link_len(soup.body or soup) / max(1, len(page_text))
    return Extraction(title=title, sapo=sapo, body=body, captions=caption_lines, author=author,
                      attachments=files, meta=meta, header_text=after_title,
                      link_density=density, teaser_links=teasers, root_teasers=root_teasers,
                      pre_header_text=pre_header, site_text=page_site,
                      selector_date=picked["date"] or "", used_selectors=used, date_order=order,
                      title_cover=title_cover(title, meta), title_node_found=title_node is not None)
