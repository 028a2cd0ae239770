"""What the page says about itself before anything is removed: meta tags, JSON-LD, ``<time>``."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from corpus.clean.dom import attr_value
from corpus.textnorm import tidy


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
    microdata_article: bool = False     # itemtype …/NewsArticle or an itemprop="articleBody"

    @property
    def says_article(self) -> bool:
        """The page declares itself one article (Open Graph, JSON-LD or microdata)."""
        return self.og_type == "article" or self.microdata_article or \
            any(t.endswith("Article") for t in self.ld_types)


def read_meta(soup: BeautifulSoup) -> Meta:
    meta = Meta()

    metas: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        value = attr_value(tag, "content")
        if not value:
            continue
        for attr in ("property", "name", "itemprop"):
            key = attr_value(tag, attr)
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
        meta.canonical = attr_value(link, "href").strip()
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
            meta.published, meta.published_source = attr_value(time_tag, "datetime").strip(), "time"
    meta.microdata_article = soup.find(itemprop="articleBody") is not None or \
        soup.find(itemtype=lambda v: bool(v) and "Article" in v) is not None
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


def _ld_author(value: object) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name", "")
    return tidy(str(value or ""))
