"""One demo site: its route table and the rendering of every page it answers.

All routes are known up front (articles, listings, feeds, images), so anything else is a real 404,
and every page is rendered from the content and a fixed fake "now" only, so it is byte-identical
between runs.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from corpus.record import VN_TZ

from .content import Article
from .sites import SiteSpec
from .slug import slugify

FAKE_NOW = datetime(2026, 11, 20, 8, 15, 6)  # the sites' clocks and "updated at" stamps
PAGE_SIZE = 10
RSS_ITEMS = 20
WEEKDAYS = ("Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật")
HTML = "text/html; charset=utf-8"
# A real 16x9 grey JPEG, served for every picture the pages show.
PLACEHOLDER_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABQODxIPDRQSEBIXFRQYHjIhHhwcHj0sLiQySUBMS0dARkVQWnNiUFVtVkVGZIhl"
    "bXd7gYKBTmCNl4x9lnN+gXz/2wBDARUXFx4aHjshITt8U0ZTfHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8fHx8"
    "fHx8fHx8fHx8fHx8fHz/wAARCAAJABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAA"
    "AAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAf/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/ALwBD//Z"
)


@dataclass(frozen=True)
class Page:
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Figure:
    after: int  # paragraph index the picture follows
    path: str
    caption: str


@dataclass(frozen=True)
class Entry:
    """An article as placed on this site: its numeric id, path and pictures."""

    article: Article
    numeric_id: int
    path: str
    figures: tuple[Figure, ...]

    @property
    def thumb(self) -> str | None:
        return self.figures[0].path if self.figures else None


def make_environment() -> Environment:
    """Autoescaping everywhere (feeds and robots included); StrictUndefined so template typos fail."""
    env = Environment(
        loader=PackageLoader("demo_sites", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["weekday"] = lambda d: WEEKDAYS[d.weekday()]
    env.filters["iso"] = lambda d: d.replace(tzinfo=VN_TZ).isoformat()
    env.filters["rfc822"] = lambda d: format_datetime(d.replace(tzinfo=VN_TZ))
    return env


class DemoSite:
    """Routes and renders one site; `respond` is all the HTTP server needs."""

    def __init__(self, spec: SiteSpec, articles: list[Article], env: Environment) -> None:
        self.spec = spec
        self._env = env
        self._publish_all(articles)

    def _publish_all(self, articles: list[Article]) -> None:
        """Lay the site out for ``articles``; the routes are swapped in one assignment, so a
        request served meanwhile sees the site before or after, never half of it."""
        entries = [self._place(a) for a in articles]
        self.entries = sorted(entries, key=lambda e: (e.article.published, e.numeric_id), reverse=True)
        self._by_id = {e.article.id: e for e in self.entries}
        self._by_category = {c: [e for e in self.entries if e.article.category == c]
                             for c in self.spec.categories}
        self._routes = self._build_routes()

    def publish(self, article: Article) -> str:
        """Put ``article`` on the site (home, feed, sitemap, its category), or replace the one
        with its id (an edit); returns its path. The freshness benchmark and tests use it."""
        self._publish_all([a for a in self.articles if a.id != article.id] + [article])
        return self._by_id[article.id].path

    def withdraw(self, article_id: str) -> None:
        """Take an article down: its URL answers 404 from now on."""
        self._publish_all([a for a in self.articles if a.id != article_id])

    @property
    def articles(self) -> list[Article]:
        return [e.article for e in self.entries]

    def path_for(self, article_id: str) -> str:
        try:
            return self._by_id[article_id].path
        except KeyError:
            raise KeyError(f"article {article_id!r} is not published on {self.spec.id}") from None

    def respond(self, target: str, origin: str) -> Page:
        """Exact request target first (listing pages live in the query), then the bare path."""
        render = self._routes.get(target) or self._routes.get(urlsplit(target).path)
        return (
            render(origin)
            if render
            else self._html("404.html", status=404, page_title="Không tìm thấy trang")
        )

    # -- placement and routes -------------------------------------------------------------------

    def _place(self, a: Article) -> Entry:
        numeric_id = self.spec.numeric_id(a.id, a.source_site)
        path = self.spec.article_path(numeric_id, a.title, a.category, a.published)
        figures = tuple(
            Figure(im.after, self.spec.image_path(im.file, a.published), im.caption) for im in a.images
        )
        return Entry(a, numeric_id, path, figures)

    def _build_routes(self) -> dict[str, Callable[[str], Page]]:
        routes: dict[str, Callable[[str], Page]] = {
            "/": _ignore_origin(self._home),
            "/robots.txt": lambda origin: self._text("feeds/robots.txt", "text/plain; charset=utf-8", origin),
            "/sitemap.xml": lambda origin: self._text(
                "feeds/sitemap.xml", "application/xml; charset=utf-8", origin
            ),
            self.spec.rss_path: lambda origin: self._text(
                "feeds/rss.xml", "application/rss+xml; charset=utf-8", origin
            ),
        }
        for category, entries in self._by_category.items():
            pages = max(1, -(-len(entries) // PAGE_SIZE))
            for number in range(1, pages + 1):
                routes[self.spec.listing_path(category, number)] = _ignore_origin(
                    partial(self._listing, category, number, pages)
                )
        for entry in self.entries:
            routes[entry.path] = _ignore_origin(partial(self._article, entry))
        image = Page(200, "image/jpeg", PLACEHOLDER_JPEG)
        for path in [*self.spec.static_images, *(f.path for e in self.entries for f in e.figures)]:
            routes[path] = lambda origin: image
        return routes

    # -- pages ----------------------------------------------------------------------------------

    def _common(self) -> dict[str, Any]:
        return {
            "site": self.spec,
            "now": FAKE_NOW,
            "nav": [(c, self.spec.listing_path(c, 1)) for c in self.spec.categories],
            "latest": self.entries[:5],
            "directives": [e for e in self.entries if e.article.kind == "directive"][:5],
        }

    def _html(self, template: str, status: int = 200, **context: Any) -> Page:
        html = self._env.get_template(f"{self.spec.id}/{template}").render(**self._common(), **context)
        return Page(status, HTML, html.encode("utf-8"))

    def _text(self, template: str, content_type: str, origin: str) -> Page:
        body = self._env.get_template(template).render(
            site=self.spec,
            now=FAKE_NOW,
            origin=origin,
            entries=self.entries,
            rss_entries=self.entries[:RSS_ITEMS],
        )
        return Page(200, content_type, body.encode("utf-8"))

    def _home(self) -> Page:
        blocks = [(c, self.spec.listing_path(c, 1), self._by_category[c][:4]) for c in self.spec.categories]
        return self._html("home.html", page_title=self.spec.title, top=self.entries[:10], blocks=blocks)

    def _listing(self, category: str, number: int, total: int) -> Page:
        entries = self._by_category[category][(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        return self._html(
            "listing.html",
            page_title=category if number == 1 else f"{category} - Trang {number}",
            category=category,
            category_path=self.spec.listing_path(category, 1),
            items=entries,
            number=number,
            pages=[(n, self.spec.listing_path(category, n)) for n in range(1, total + 1)],
            prev_path=self.spec.listing_path(category, number - 1) if number > 1 else None,
            next_path=self.spec.listing_path(category, number + 1) if number < total else None,
        )

    def _article(self, entry: Entry) -> Page:
        a = entry.article
        attachment = None
        if a.kind == "directive":
            name = attachment_name(a)
            attachment = (name, self.spec.image_path(name.lower(), a.published))
        return self._html(
            "article.html",
            page_title=a.title,
            e=entry,
            a=a,
            category_path=self.spec.listing_path(a.category, 1),
            same_category=self._same_category(entry, 5),
            related=self._related(entry, 3),
            related_after=min(1, len(a.paragraphs) - 1),
            attachment=attachment,
            tags=_tags(a),
            jsonld=_jsonld(a, self.spec.title),
        )

    def _same_category(self, entry: Entry, count: int) -> list[Entry]:
        """The next older stories of the category, wrapping round, as a CMS "Tin cùng chuyên mục"."""
        siblings = self._by_category[entry.article.category]
        at = siblings.index(entry)
        return (siblings[at + 1 :] + siblings[:at])[:count]

    def _related(self, entry: Entry, count: int) -> list[Entry]:
        """ "Tin liên quan": same document numbers first, then same province, then the newest."""
        a = entry.article
        ranked = sorted(
            (e for e in self.entries if e is not entry),
            key=lambda e: (
                not set(e.article.doc_numbers) & set(a.doc_numbers),
                e.article.province_old != a.province_old,
            ),
        )
        return ranked[:count]


def _ignore_origin(render: Callable[[], Page]) -> Callable[[str], Page]:
    """HTML pages hold only site-absolute links, so they do not depend on the host asked for."""
    return lambda origin: render()


def attachment_name(a: Article) -> str:
    """File name of a directive's attached scan, like the portals' "KH-78-LDLD.pdf"."""
    number = next((m[1] for p in a.paragraphs if (m := re.match(r"Số:\s*(\S+)", p))), None)
    number = number or (a.doc_numbers[0] if a.doc_numbers else a.title)
    m = re.fullmatch(r"(\d+)/([^-/]+)-(.+)", number) or re.fullmatch(r"(\d+)-([^/]+)/(.+)", number)
    parts = (m[2], m[1], m[3]) if m else (number,)
    return slugify("-".join(parts), keep_case=True) + ".pdf"


def _tags(a: Article) -> list[str]:
    tags = [a.category, *a.doc_numbers[:2]]
    if a.province_old != "Toàn quốc":
        tags.insert(0, a.province_old)
    return list(dict.fromkeys(tags))


def _jsonld(a: Article, publisher: str) -> dict[str, Any]:
    published = a.published.replace(tzinfo=VN_TZ).isoformat()
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.sapo,
        "datePublished": published,
        "dateModified": published,
        "articleSection": a.category,
        "author": {"@type": "Person", "name": a.author or publisher},
        "publisher": {"@type": "Organization", "name": publisher},
    }
