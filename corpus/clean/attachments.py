"""Files an article links to (PDF/DOCX of the directive it reports)."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from corpus.clean.dom import attr_value, node_text
from corpus.textnorm import tidy

_ATTACH_RE = re.compile(r"\.(pdf|docx?|xlsx?|pptx?|rar|zip|7z)(?:$|[?#/])", re.I)
_ATTACH_LABEL_RE = re.compile(r"(file|tài liệu|tệp|văn bản) đính kèm|tải về|tải xuống|download", re.I)


def attachment_candidates(soup: BeautifulSoup) -> list[tuple[Tag, dict, bool]]:
    """Every file link on the page, before pruning: (anchor, record, sits under a "File đính
    kèm" / "Tải về" label)."""
    out = []
    for a in soup.find_all("a", href=True):
        href = attr_value(a, "href").strip()
        if href.lower().startswith("javascript:") or not (_ATTACH_RE.search(href)
                                                           or a.has_attr("download")):
            continue
        labelled = False
        node = a.parent
        for _ in range(4):
            if node is None or node.name in ("body", "html"):
                break
            text = node_text(node)
            if len(text) <= 600 and _ATTACH_LABEL_RE.search(text.replace(node_text(a), "")):
                labelled = True
                break
            node = node.parent
        out.append((a, {"url": href, "name": tidy(node_text(a)) or href.rsplit("/", 1)[-1]},
                    labelled))
    return out


def attachments(candidates: list[tuple[Tag, dict, bool]], root: Tag) -> list[dict]:
    """Files the article links to: inside the article, or under a "File đính kèm" label.
    Sidebar document lists ("Văn bản mới") are not the article's attachments."""
    out, seen = [], set()
    for a, record, labelled in candidates:
        inside = any(p is root for p in a.parents)
        if (inside or labelled) and record["url"] not in seen:
            seen.add(record["url"])
            out.append(record)
    return out
