"""A union-news site whose archive is reachable only by paging through its category listings.

Real Vietnamese news sites list their newest few dozen articles in the sitemap and the RSS feed;
the rest of ten years of archive, what journalists search, is reached only by walking category
listings, and every CMS pages its own way. :func:`build_archive_web` builds such a site on a
:class:`crawlweb.Site` (a real HTTP server on loopback) and returns the ground truth.

Everything is deterministic (one seeded ``random.Random``). Articles are dated over ten years,
newest first, and dealt round-robin to seven categories, so each category holds a disjoint slice
spanning the whole ten years. Each category pages in one real style:

=================  ==========================================================  ===================
style              pages                                                        out of range
=================  ==========================================================  ===================
query-numbered     ``/cong-doan?page=N``: 1 … N-2..N+2 … last, ‹ and › "Trang   empty list, 200
                   sau" (rel-less anchors)
path-trang         ``/thoi-su/trang-N.html``: "Trang sau »" only                404
path-p-relnext     ``/phap-luat/pN``: ``<link rel=next/prev>`` in <head>, body   404
                   "‹ Mới hơn" / "Cũ hơn ›"
aspnet-numbers     ``/viec-lam.aspx?Page=N``: numbers in blocks of ten and «/»  the last page again
date-month         ``/luu-tru/YYYY/MM/``: "« Tháng trước" / "Tháng sau »" back   empty list, 200
                   to the oldest article's month
load-more-html     ``<a class="btn-viewmore" href="javascript:;" data-url=…>``  empty fragment, 200
                   → HTML fragment ``/ajax/danh-muc/123?page=N`` (<li> links
                   and the next "Xem thêm")
load-more-json     ``<button class="btn-loadmore" data-href=…>`` → JSON          ``{"html": "",
                   ``{"html": "<li>…", "next": …}`` (application/json)           "next": null}``
=================  ==========================================================  ===================

The last page of each listing shows no next link. Every page carries the same chrome: a menu
(home, every category's first page, "Mới nhất", "Lịch sự kiện"), a "Đọc nhiều" box of the same
five recent articles, and a footer. The home page links the newest ten articles; the sitemap
(robots.txt → ``/sitemap.xml`` index → news index → two urlsets) lists the newest thirty; the
RSS feed ``/rss/home.rss`` (also named by ``<link rel=alternate>``) the newest twenty. Articles
link only to their category's first page and its three newest articles, never to older ones, so
nothing but the listings leads into the archive.

Two traps share the site: a calendar (``/lich/YYYY-MM``, previous and next month forever, no
articles) and an endless listing (``/moi-nhat?page=N`` for every N: the same ten links and a
"Trang sau"). Both answer any N: :class:`PatternRoutes` gives ``Site`` routes by pattern.

In a real month archive no month is empty. Here ten years hold a few hundred articles, so most
months of one category would be: by default "Tháng trước" skips to the previous month that has
articles (what the real site's walk looks like); ``empty_months=True`` steps through every
calendar month instead, as a sparse small-site archive does.
"""
from __future__ import annotations

import html
import json
import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit

from crawlweb import Request, Resp, Site

__all__ = [
    "NEWEST",
    "STYLES",
    "ArchiveWeb",
    "Listing",
    "PatternRoutes",
    "build_archive_web",
    "slugify",
]

VN = timezone(timedelta(hours=7))
#: the newest article's date; fixed so the web is the same on every run
NEWEST = datetime(2025, 6, 14, 8, 30, tzinfo=VN)
SPAN_DAYS = 3652  # ten years

#: (slug, menu name, style, articles per page; 0 = a month per page)
_CATEGORIES = (
    ("cong-doan", "Công đoàn", "query-numbered", 15),
    ("thoi-su", "Thời sự", "path-trang", 12),
    ("phap-luat", "Pháp luật", "path-p-relnext", 10),
    ("viec-lam", "Việc làm", "aspnet-numbers", 20),
    ("tu-lieu", "Tư liệu", "date-month", 0),
    ("doi-song", "Đời sống", "load-more-html", 10),
    ("ban-doc", "Bạn đọc", "load-more-json", 12),
)
STYLES = tuple(c[2] for c in _CATEGORIES)
_OUT_OF_RANGE = {
    "query-numbered": "empty", "path-trang": "404", "path-p-relnext": "404", "aspnet-numbers": "last",
    "date-month": "empty", "load-more-html": "empty", "load-more-json": "empty",
}
_FIRST_PAGES = {"viec-lam": "/viec-lam.aspx", "tu-lieu": "/luu-tru/"}  # others: /<slug>
_AJAX = "/ajax/danh-muc/123?page={n}"
_API = "/api/v1/category/456/articles?page={n}"
_JSON = "application/json; charset=utf-8"
_XML = "application/xml; charset=utf-8"
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_SITE_NAME = "Báo Lao Động Công Đoàn"

_ORGS = ("Công đoàn", "LĐLĐ tỉnh", "Công đoàn ngành Giáo dục", "Công đoàn các KCN", "Công đoàn ngành Y tế",
         "Công đoàn Viên chức", "Công đoàn ngành Xây dựng", "Công đoàn Công Thương")
_PLACES = ("Thanh Hóa", "Nghệ An", "Bắc Ninh", "Bình Dương", "Đồng Nai", "Hải Phòng", "Đà Nẵng", "Cần Thơ",
           "Quảng Ninh", "Long An", "TP Hồ Chí Minh", "Hà Nội", "Hà Tĩnh", "Thái Nguyên", "Khánh Hòa",
           "Quảng Nam", "Vĩnh Phúc", "Bắc Giang", "Tây Ninh", "Lâm Đồng")
_ACTIONS = (
    "trao {n} suất quà Tết Sum vầy cho công nhân",
    "tổ chức Hội nghị người lao động năm {year}",
    "ký thỏa ước lao động tập thể với {n} doanh nghiệp",
    "hỗ trợ {n} đoàn viên có hoàn cảnh khó khăn",
    "phát triển thêm {n} đoàn viên mới",
    "đối thoại với người lao động về tiền lương năm {year}",
    "khánh thành {n} Mái ấm Công đoàn",
    "tổ chức giải bóng đá công nhân lần thứ {k}",
    "tập huấn nghiệp vụ cho {n} cán bộ công đoàn cơ sở",
    "kiến nghị điều chỉnh lương tối thiểu vùng năm {year}",
    "giám sát việc đóng bảo hiểm xã hội tại {n} doanh nghiệp",
    "tổ chức Chuyến xe Công đoàn đưa {n} công nhân về quê",
    "khen thưởng {n} công nhân lao động giỏi",
    "tư vấn pháp luật miễn phí cho {n} người lao động",
    "thành lập {n} công đoàn cơ sở mới",
    "tổ chức Tháng Công nhân năm {year}",
)
_SENTENCES = (
    "Theo Ban Thường vụ {org} {place}, năm {year} có {n} đoàn viên được hỗ trợ kịp thời.",
    "Chương trình diễn ra tại Khu công nghiệp {place} với sự tham gia của đại diện chính quyền địa phương.",
    "Đại diện doanh nghiệp cam kết bảo đảm việc làm và thu nhập ổn định cho người lao động.",
    "Nhiều ý kiến đề nghị tăng cường đối thoại định kỳ giữa người sử dụng lao động và công nhân.",
    "Kinh phí thực hiện được trích từ nguồn tài chính công đoàn và sự đóng góp của các nhà hảo tâm.",
    "Cán bộ công đoàn cơ sở được hướng dẫn kỹ năng thương lượng tập thể theo Bộ luật Lao động.",
    "Đến nay đã có {n} thỏa ước lao động tập thể được ký kết, vượt chỉ tiêu đề ra.",
    "Người lao động bày tỏ phấn khởi khi quyền lợi hợp pháp, chính đáng được bảo vệ.",
    "Ban tổ chức cho biết sẽ nhân rộng mô hình trong thời gian tới.",
    "Liên đoàn Lao động {place} đã chỉ đạo các cấp công đoàn chủ động nắm bắt tình hình.",
    "Tình hình quan hệ lao động trên địa bàn cơ bản ổn định, không xảy ra ngừng việc tập thể.",
    "Công đoàn đã phối hợp với Sở Lao động kiểm tra việc thực hiện chính sách tại {n} đơn vị.",
)
_AUTHORS = ("Minh Anh", "Hải Nguyên", "Thu Hà", "Quốc Huy", "Ngọc Lan", "Văn Đức", "Phương Thảo")


# --------------------------------------------------------------------------- routes by pattern


class PatternRoutes(dict):
    """``Site.routes`` that also answers by regular expression (``fullmatch`` on ``path?query``).

    ``Site`` looks routes up by exact path; a trap or an out-of-range page answers every N, which
    no table of paths holds. Exact routes still win; patterns are tried in the order added.
    """

    def __init__(self, routes: Mapping[str, object] = ()) -> None:  # type: ignore[assignment]
        super().__init__(routes)
        self.patterns: list[tuple[re.Pattern[str], Callable[[Request, re.Match[str]], Resp]]] = []

    def add_pattern(self, pattern: str, answer: Callable[[Request, re.Match[str]], Resp]) -> None:
        self.patterns.append((re.compile(pattern), answer))

    def _match(self, path: str) -> Callable[[Request], Resp] | None:
        for regex, answer in self.patterns:
            m = regex.fullmatch(path)
            if m is not None:
                return lambda req, m=m, answer=answer: answer(req, m)
        return None

    def get(self, path: str, default: object = None) -> object:  # type: ignore[override]
        if path in self:
            return super().get(path)
        found = self._match(path)
        return default if found is None else found

    def __missing__(self, path: str) -> Callable[[Request], Resp]:
        found = self._match(path)
        if found is None:
            raise KeyError(path)
        return found


def _pattern_routes(site: Site) -> PatternRoutes:
    if not isinstance(site.routes, PatternRoutes):
        site.routes = PatternRoutes(site.routes)
    return site.routes


# --------------------------------------------------------------------------- ground truth


@dataclass(frozen=True)
class Listing:
    """One category: its paging style and what walking it to the end reaches."""

    slug: str
    name: str
    style: str  # one of STYLES
    first_page: str  # path of the listing's first page on the news site
    out_of_range: str  # what a page past the end answers: "404" | "empty" (200) | "last" (repeats)
    articles: frozenset[str]  # article paths, disjoint from every other listing's
    pages: tuple[str, ...]  # URLs of the walk, first page first (load-more: the fragment/JSON URLs)


@dataclass(frozen=True)
class ArchiveWeb:
    """What :func:`build_archive_web` built. Paths are ``path?query`` as ``Site.log`` records them."""

    site: Site  # the news site
    api: Site  # the site serving the JSON load-more (``site`` unless another one was given)
    articles: frozenset[str]  # every article path
    newest_first: tuple[str, ...]  # the same, by publication date
    published: Mapping[str, datetime]  # article path → publication date (+07:00)
    seeds: tuple[str, str, str]  # URLs of the home page, the sitemap (index) and the RSS feed
    traps: Mapping[str, str]  # trap name ("calendar", "endless") → path prefix
    listings: tuple[Listing, ...]
    sitemap_articles: frozenset[str]
    feed_articles: frozenset[str]
    home_articles: frozenset[str]

    @property
    def home(self) -> str:
        return self.seeds[0]

    @property
    def sitemap(self) -> str:
        return self.seeds[1]

    @property
    def feed(self) -> str:
        return self.seeds[2]

    @property
    def allowed_hosts(self) -> set[str]:
        """Hosts a crawl needs (``CrawlConfig.allowed_hosts``; the default covers ``site`` only)."""
        return {self.site.host, self.api.host}

    def listing(self, style: str) -> Listing:
        return next(lst for lst in self.listings if lst.style == style)

    def article_path(self, url: str) -> str | None:
        """The article path of a crawled URL, or None when it is no article of this site."""
        parts = urlsplit(url)
        if parts.netloc != self.site.host:
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return path if path in self.articles else None

    def trap_of(self, path: str) -> str | None:
        """The trap a requested path belongs to, if any."""
        return next((name for name, prefix in self.traps.items() if path.startswith(prefix)), None)


# --------------------------------------------------------------------------- content


def slugify(text: str) -> str:
    """The ASCII slug Vietnamese CMSs put in URLs: tones dropped, đ → d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


@dataclass(frozen=True)
class _Article:
    index: int  # 0 = newest
    id: int
    path: str
    title: str
    sapo: str
    paragraphs: tuple[str, ...]
    author: str
    when: datetime
    category: int


def _make_articles(n: int, rng: random.Random) -> list[_Article]:
    """``n`` articles, newest first, evenly spread over ten years with a little jitter."""
    ids = sorted(rng.sample(range(100_000, 999_999), n), reverse=True)  # ids grow with time
    step = SPAN_DAYS / max(n - 1, 1)
    seen: set[str] = set()
    out: list[_Article] = []
    for i in range(n):
        when = NEWEST - timedelta(days=i * step + rng.uniform(0, 0.4 * step))
        when = when.replace(second=0, microsecond=0)
        fill = {"n": rng.randint(3, 900), "k": rng.randint(2, 30), "year": when.year}
        place = rng.choice(_PLACES)
        title = ""
        for _ in range(20):
            title = f"{rng.choice(_ORGS)} {place} {rng.choice(_ACTIONS).format(**fill)}"
            if title not in seen:
                break
        if title in seen:
            title = f"{title} (kỳ {i})"
        seen.add(title)
        words = dict(fill, org=rng.choice(_ORGS), place=place)
        sentences = [s.format(**words) for s in rng.sample(_SENTENCES, 9)]
        paragraphs = (f"Ngày {when:%d/%m/%Y}, {title[0].lower()}{title[1:]}. {sentences[0]}",
                      *(" ".join(sentences[k:k + 2]) for k in range(1, 9, 2)))
        sapo = f"{title}: {sentences[0]}"
        category = i % len(_CATEGORIES)
        cat = _CATEGORIES[category][0]
        slug = "-".join(slugify(title).split("-")[:10])
        shape = (i // len(_CATEGORIES)) % 3
        art_id = ids[i]
        path = (f"/{cat}/{slug}-{art_id}.html" if shape == 0
                else f"/tin-tuc/{when:%Y/%m}/{slug}-{art_id}.htm" if shape == 1
                else f"/news/{art_id}")
        out.append(_Article(i, art_id, path, title, sapo, paragraphs, rng.choice(_AUTHORS), when, category))
    return out


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _vn_date(when: datetime, clock: bool = True) -> str:
    day = f"{_WEEKDAYS[when.weekday()]}, {when:%d/%m/%Y}"
    return f"{day} - {when:%H:%M} (GMT+7)" if clock else day


def _chunks(items: Sequence[_Article], size: int) -> list[list[_Article]]:
    return [list(items[k:k + size]) for k in range(0, len(items), size)] or [[]]


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


# --------------------------------------------------------------------------- the site


class _Builder:
    """Renders and registers every page; chrome and article lists are shared by all pages."""

    def __init__(self, site: Site, api: Site, articles: list[_Article], most_read: list[_Article],
                 empty_months: bool):
        self.site, self.api = site, api
        self.routes = _pattern_routes(site)
        self.api_routes = _pattern_routes(api)
        self.articles = articles
        self.most_read = most_read
        self.empty_months = empty_months
        self.api_prefix = "" if api is site else api.base
        self.calendar_now = f"/lich/{NEWEST:%Y-%m}"
        self.by_category = [[a for a in articles if a.category == c] for c in range(len(_CATEGORIES))]
        self.first_pages = [_FIRST_PAGES.get(slug, f"/{slug}") for slug, *_ in _CATEGORIES]

    # -- chrome
    def chrome_top(self) -> str:
        menu = [("/", "Trang chủ"), *((p, c[1]) for p, c in zip(self.first_pages, _CATEGORIES, strict=True)),
                ("/moi-nhat", "Mới nhất"), (self.calendar_now, "Lịch sự kiện")]
        items = "".join(f'<li><a href="{h}">{_esc(t)}</a></li>' for h, t in menu)
        return (f'<header class="site-header"><a class="logo" href="/" title="{_SITE_NAME}">'
                f'<img src="/static/logo.png" alt="{_SITE_NAME}"></a>'
                f'<nav class="main-menu"><ul>{items}</ul></nav>'
                '<form class="search" action="/tim-kiem" method="get"><input name="q" '
                'placeholder="Tìm kiếm"></form></header>')

    def chrome_bottom(self) -> str:
        read = "".join(f'<li><a href="{a.path}">{_esc(a.title)}</a></li>' for a in self.most_read)
        return (f'<aside class="most-read"><h2>Đọc nhiều</h2><ol>{read}</ol></aside>'
                '<footer class="site-footer"><ul><li><a href="/gioi-thieu">Giới thiệu</a></li>'
                '<li><a href="/lien-he">Liên hệ</a></li><li><a href="/rss.html">RSS</a></li></ul>'
                f"<p>{_SITE_NAME} – Cơ quan của Liên đoàn Lao động. Giấy phép số 123/GP-BTTTT. "
                "Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></footer>")

    def page(self, title: str, main: str, head: str = "") -> Resp:
        doc = ('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
               '<meta name="viewport" content="width=device-width, initial-scale=1">'
               f"<title>{_esc(title)} | {_SITE_NAME}</title>"
               '<link rel="alternate" type="application/rss+xml" title="Tin mới nhất" href="/rss/home.rss">'
               f'{head}</head><body>{self.chrome_top()}<main class="container">{main}</main>'
               f"{self.chrome_bottom()}</body></html>")
        return Resp(body=doc.encode("utf-8"))

    @staticmethod
    def story(a: _Article, href: str | None = None) -> str:
        href = href or a.path
        return (f'<article class="story"><a class="story__thumb" href="{href}">'
                f'<img src="/images/{a.id}.jpg" alt="{_esc(a.title)}"></a>'
                f'<h3 class="story__title"><a href="{href}" title="{_esc(a.title)}">{_esc(a.title)}</a></h3>'
                f'<p class="story__sapo">{_esc(a.sapo)}</p>'
                f'<time datetime="{a.when.isoformat()}">{a.when:%d/%m/%Y}</time></article>')

    def listing_page(self, name: str, items: Sequence[_Article], pager: str = "", head: str = "",
                     heading: str | None = None, after: str = "") -> Resp:
        stories = "".join(self.story(a) for a in items) or (
            '<p class="empty">Chưa có bài viết nào trong mục này.</p>')
        main = (f'<div class="breadcrumb"><a href="/">Trang chủ</a> › {_esc(name)}</div>'
                f'<h1 class="cat-title">{_esc(heading or name)}</h1>'
                f'<div class="list-news">{stories}</div>{after}<div class="pagination">{pager}</div>')
        return self.page(heading or name, main, head)

    # -- articles and fixed pages
    def add_articles(self) -> None:
        for a in self.articles:
            c = a.category
            slug, name = _CATEGORIES[c][:2]
            same = [b for b in self.by_category[c][:4] if b is not a][:3]
            related = "".join(f'<li><a href="{b.path}">{_esc(b.title)}</a></li>' for b in same)
            body = "".join(f"<p>{_esc(p)}</p>" for p in a.paragraphs)
            main = (f'<div class="breadcrumb"><a href="/">Trang chủ</a> › '
                    f'<a href="{self.first_pages[c]}">{_esc(name)}</a></div>'
                    f'<article class="detail"><h1 class="detail__title">{_esc(a.title)}</h1>'
                    f'<div class="detail__meta"><time datetime="{a.when.isoformat()}">{_vn_date(a.when)}'
                    f'</time></div><p class="detail__sapo"><strong>{_esc(a.sapo)}</strong></p>'
                    f'<div class="detail__content">{body}</div>'
                    f'<p class="detail__author"><strong>{a.author}</strong></p></article>'
                    f'<section class="related"><h2>Tin cùng chuyên mục</h2><ul>{related}</ul></section>')
            head = (f'<link rel="canonical" href="{self.site.url(a.path)}">'
                    f'<meta name="description" content="{_esc(a.sapo)}">'
                    '<meta property="og:type" content="article">'
                    f'<meta property="og:title" content="{_esc(a.title)}">'
                    f'<meta property="article:published_time" content="{a.when.isoformat()}">'
                    f'<meta property="article:section" content="{_esc(name)}">'
                    f'<meta name="keywords" content="{slug.replace("-", " ")}, công đoàn, người lao động">')
            self.routes[a.path] = self.page(a.title, main, head)

    def add_home_and_fixed(self, home: list[_Article]) -> None:
        top = "".join(self.story(a) for a in home)
        blocks = "".join(f'<section class="cat-box"><h2><a href="{p}">{_esc(c[1])}</a></h2></section>'
                         for p, c in zip(self.first_pages, _CATEGORIES, strict=True))
        main = (f'<section class="latest"><h2>Tin mới nhất</h2>{top}'
                f'<a class="more" href="/moi-nhat">Xem thêm tin mới</a></section>{blocks}')
        self.routes["/"] = self.page(f"{_SITE_NAME} – Tin tức công đoàn, người lao động", main,
                                     '<meta name="description" content="Tin tức công đoàn, việc làm, '
                                     'tiền lương, pháp luật lao động.">')
        about = ("<h1>Giới thiệu</h1><p>Báo Lao Động Công Đoàn là cơ quan ngôn luận của Liên đoàn Lao "
                 "động, tiếng nói của công nhân, viên chức, lao động. Báo phản ánh đời sống, việc làm, "
                 "tiền lương và hoạt động bảo vệ quyền lợi hợp pháp, chính đáng của người lao động.</p>")
        contact = ("<h1>Liên hệ</h1><p>Tòa soạn: số 14 Trần Bình Trọng, Hà Nội. Điện thoại đường dây "
                   "nóng: 0243 123 4567. Thư điện tử: toasoan@laodongcongdoan.example.</p>")
        rss = ('<h1>RSS</h1><ul><li><a href="/rss/home.rss">Tin mới nhất</a></li></ul><p>Bạn đọc có '
               "thể dùng các trình đọc tin để nhận tin mới nhất từ báo.</p>")
        self.routes["/gioi-thieu"] = self.page("Giới thiệu", about)
        self.routes["/lien-he"] = self.page("Liên hệ", contact)
        self.routes["/rss.html"] = self.page("RSS", rss)

    def add_robots_sitemaps_feed(self, in_sitemap: list[_Article], in_feed: list[_Article]) -> None:
        b = self.site.base
        robots = f"User-agent: *\nDisallow:\n\nSitemap: {b}/sitemap.xml\n"
        self.routes["/robots.txt"] = Resp(body=robots.encode(), content_type="text/plain; charset=utf-8")
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        news_ns = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'

        def index(locs: list[str]) -> Resp:
            items = "".join(f"<sitemap><loc>{b}{loc}</loc><lastmod>{NEWEST.isoformat()}</lastmod></sitemap>"
                            for loc in locs)
            body = f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {ns}>{items}</sitemapindex>'
            return Resp(body=body.encode(), content_type=_XML)

        def urlset(arts: list[_Article]) -> Resp:
            items = "".join(
                f"<url><loc>{b}{a.path}</loc><lastmod>{a.when.isoformat()}</lastmod><news:news>"
                f"<news:publication><news:name>{_SITE_NAME}</news:name><news:language>vi</news:language>"
                f"</news:publication><news:publication_date>{a.when.isoformat()}</news:publication_date>"
                f"<news:title>{_esc(a.title)}</news:title></news:news></url>" for a in arts)
            body = f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns} {news_ns}>{items}</urlset>'
            return Resp(body=body.encode(), content_type=_XML)

        half = (len(in_sitemap) + 1) // 2
        self.routes["/sitemap.xml"] = index(["/sitemaps/news-index.xml", "/sitemaps/categories.xml"])
        self.routes["/sitemaps/news-index.xml"] = index(["/sitemaps/news-1.xml", "/sitemaps/news-2.xml"])
        self.routes["/sitemaps/news-1.xml"] = urlset(in_sitemap[:half])
        self.routes["/sitemaps/news-2.xml"] = urlset(in_sitemap[half:])
        cats = "".join(f"<url><loc>{b}{p}</loc><changefreq>hourly</changefreq></url>"
                       for p in ["/", *self.first_pages])
        self.routes["/sitemaps/categories.xml"] = Resp(
            body=f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns}>{cats}</urlset>'.encode(),
            content_type=_XML)
        items = "".join(
            f"<item><title>{_esc(a.title)}</title><link>{b}{a.path}</link>"
            f"<description><![CDATA[{a.sapo}]]></description>"
            f"<pubDate>{format_datetime(a.when)}</pubDate><guid>{b}{a.path}</guid></item>" for a in in_feed)
        feed = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>{_SITE_NAME} – Tin mới nhất</title><link>{b}/</link>"
                f"<description>Tin mới nhất</description><language>vi</language>"
                f"<lastBuildDate>{format_datetime(NEWEST)}</lastBuildDate>{items}</channel></rss>")
        self.routes["/rss/home.rss"] = Resp(body=feed.encode(),
                                            content_type="application/rss+xml; charset=utf-8")

    # -- the seven listing styles; each returns the walk's URLs
    def query_numbered(self, c: int) -> list[str]:
        base, name = self.first_pages[c], _CATEGORIES[c][1]
        pages = _chunks(self.by_category[c], _CATEGORIES[c][3])
        last = len(pages)

        def url(n: int) -> str:
            return base if n == 1 else f"{base}?page={n}"

        def pager(n: int) -> str:
            nums = range(max(1, n - 2), min(last, n + 2) + 1)
            parts = [f'<a class="prev" href="{url(n - 1)}" title="Trang trước">‹</a>'] if n > 1 else []
            if nums[0] > 1:
                parts += [f'<a href="{url(1)}">1</a>'] + (["<span>…</span>"] if nums[0] > 2 else [])
            parts += [f'<span class="active">{k}</span>' if k == n else f'<a href="{url(k)}">{k}</a>'
                      for k in nums]
            if nums[-1] < last:
                gap = ["<span>…</span>"] if nums[-1] < last - 1 else []
                parts += [*gap, f'<a href="{url(last)}">{last}</a>']
            if n < last:
                parts.append(f'<a class="next" href="{url(n + 1)}" title="Trang sau">›</a>')
            return "".join(parts)

        for n, items in enumerate(pages, 1):
            self.routes[url(n)] = self.listing_page(name, items, pager(n))
        self.routes[f"{base}?page=1"] = self.routes[base]
        empty = self.listing_page(name, [])
        self.routes.add_pattern(re.escape(base) + r"\?page=\d+", lambda req, m: empty)
        return [self.site.url(url(n)) for n in range(1, last + 1)]

    def path_trang(self, c: int) -> list[str]:
        base, name = self.first_pages[c], _CATEGORIES[c][1]
        pages = _chunks(self.by_category[c], _CATEGORIES[c][3])

        def url(n: int) -> str:
            return base if n == 1 else f"{base}/trang-{n}.html"

        for n, items in enumerate(pages, 1):
            nxt = f'<a class="next" href="{url(n + 1)}">Trang sau »</a>' if n < len(pages) else ""
            self.routes[url(n)] = self.listing_page(name, items, nxt)
        return [self.site.url(url(n)) for n in range(1, len(pages) + 1)]  # past the end: 404

    def path_p_relnext(self, c: int) -> list[str]:
        base, name = self.first_pages[c], _CATEGORIES[c][1]
        pages = _chunks(self.by_category[c], _CATEGORIES[c][3])

        def url(n: int) -> str:
            return base if n == 1 else f"{base}/p{n}"

        for n, items in enumerate(pages, 1):
            head = f'<link rel="prev" href="{self.site.url(url(n - 1))}">' if n > 1 else ""
            body = f'<a class="newer" href="{url(n - 1)}">‹ Mới hơn</a>' if n > 1 else ""
            if n < len(pages):
                head += f'<link rel="next" href="{self.site.url(url(n + 1))}">'
                body += f'<a class="older" href="{url(n + 1)}">Cũ hơn ›</a>'
            self.routes[url(n)] = self.listing_page(name, items, body, head)
        return [self.site.url(url(n)) for n in range(1, len(pages) + 1)]  # past the end: 404

    def aspnet_numbers(self, c: int) -> list[str]:
        base, name = self.first_pages[c], _CATEGORIES[c][1]
        pages = _chunks(self.by_category[c], _CATEGORIES[c][3])
        last = len(pages)

        def url(n: int) -> str:
            return f"{base}?Page={n}"

        def pager(n: int) -> str:
            start = (n - 1) // 10 * 10 + 1
            parts = [f'<a href="{url(n - 1)}">«</a>'] if n > 1 else []
            parts += [f'<span class="current">{k}</span>' if k == n else f'<a href="{url(k)}">{k}</a>'
                      for k in range(start, min(start + 9, last) + 1)]
            if n < last:
                parts.append(f'<a href="{url(n + 1)}">»</a>')
            return '<div class="PagerStyle">' + "&nbsp;".join(parts) + "</div>"

        for n, items in enumerate(pages, 1):
            self.routes[url(n)] = self.listing_page(name, items, pager(n))
        self.routes[base] = self.routes[url(1)]
        final = self.routes[url(last)]
        self.routes.add_pattern(re.escape(base) + r"\?Page=\d+", lambda req, m: final)  # repeats
        return [self.site.url(base)] + [self.site.url(url(n)) for n in range(2, last + 1)]

    def date_month(self, c: int) -> list[str]:
        base, name = self.first_pages[c], _CATEGORIES[c][1]
        arts = self.by_category[c]
        months: dict[tuple[int, int], list[_Article]] = {}
        for a in arts:
            months.setdefault((a.when.year, a.when.month), []).append(a)
        walk = list(months)  # newest month first: articles are newest first
        if self.empty_months and walk:
            walk, ym = [], max(months)
            while ym >= min(months):
                walk.append(ym)
                ym = _month_before(*ym)

        def url(ym: tuple[int, int]) -> str:
            return f"{base}{ym[0]}/{ym[1]:02d}/"

        for k, ym in enumerate(walk):
            nav = f'<a class="prev" href="{url(walk[k + 1])}">« Tháng trước</a>' if k + 1 < len(walk) else ""
            if k > 0:
                nav += f'<a class="next" href="{url(walk[k - 1])}">Tháng sau »</a>'
            heading = f"{name} – Tháng {ym[1]}/{ym[0]}"
            self.routes[url(ym)] = self.listing_page(name, months.get(ym, []), nav, heading=heading)
        self.routes[base] = self.routes[url(walk[0])]
        self.routes.add_pattern(re.escape(base) + r"(\d{4})/(\d{2})/",
                                lambda req, m: self.listing_page(
                                    name, [], heading=f"{name} – Tháng {int(m[2])}/{m[1]}"))
        return [self.site.url(base)] + [self.site.url(url(ym)) for ym in walk[1:]]

    def load_more_html(self, c: int) -> list[str]:
        base, name = self.first_pages[c], _CATEGORIES[c][1]
        pages = _chunks(self.by_category[c], _CATEGORIES[c][3])

        def button(n: int) -> str:
            if n > len(pages):
                return ""
            return (f'<div class="view-more"><a class="btn-viewmore" href="javascript:;" '
                    f'data-url="{_AJAX.format(n=n)}">Xem thêm</a></div>')

        self.routes[base] = self.listing_page(name, pages[0], after=button(2))
        for n, items in enumerate(pages, 1):
            lis = "".join(f'<li class="story"><a href="{a.path}" title="{_esc(a.title)}">{_esc(a.title)}</a>'
                          f'<p class="story__sapo">{_esc(a.sapo)}</p></li>' for a in items)
            self.routes[_AJAX.format(n=n)] = Resp(body=f"<ul>{lis}</ul>{button(n + 1)}".encode())
        self.routes.add_pattern(re.escape(_AJAX.split("?")[0]) + r"\?page=\d+", lambda req, m: Resp(body=b""))
        return [self.site.url(base)] + [self.site.url(_AJAX.format(n=n)) for n in range(2, len(pages) + 1)]

    def load_more_json(self, c: int) -> list[str]:
        base, name = self.first_pages[c], _CATEGORIES[c][1]
        pages = _chunks(self.by_category[c], _CATEGORIES[c][3])
        prefix = self.api_prefix
        own = self.site.base if prefix else ""  # the API answers links to the news site

        def api_url(n: int) -> str:
            return prefix + _API.format(n=n)

        more = (f'<div class="load-more"><button type="button" class="btn-loadmore" data-page="2" '
                f'data-href="{api_url(2)}">Xem thêm</button></div>') if len(pages) > 1 else ""
        self.routes[base] = self.listing_page(name, pages[0], after=more)
        headers = {"Access-Control-Allow-Origin": self.site.base, "Cache-Control": "max-age=60"}
        for n, items in enumerate(pages, 1):
            lis = "".join(f'<li class="story"><a href="{own}{a.path}">{_esc(a.title)}</a>'
                          f'<span class="time">{a.when:%d/%m/%Y}</span></li>' for a in items)
            doc = {"html": lis, "next": api_url(n + 1) if n < len(pages) else None, "page": n}
            self.api_routes[_API.format(n=n)] = Resp(body=json.dumps(doc, ensure_ascii=False).encode(),
                                                     content_type=_JSON, headers=headers)

        def past_end(req: Request, m: re.Match[str]) -> Resp:
            doc = {"html": "", "next": None, "page": int(m[1])}
            return Resp(body=json.dumps(doc).encode(), content_type=_JSON, headers=headers)

        self.api_routes.add_pattern(re.escape(_API.split("?")[0]) + r"\?page=(\d+)", past_end)
        return [self.site.url(base)] + [(prefix or self.site.base) + _API.format(n=n)
                                        for n in range(2, len(pages) + 1)]

    # -- traps
    def add_traps(self, newest: list[_Article]) -> None:
        def calendar(req: Request, m: re.Match[str]) -> Resp:
            ym = (int(m[1]), int(m[2]))
            if not 1 <= ym[1] <= 12:
                return Resp(404, b"<html><body>404 Not Found</body></html>")
            before, after = _month_before(*ym), _month_after(*ym)
            nav = (f'<a class="prev" href="/lich/{before[0]:04d}-{before[1]:02d}">« Tháng trước</a>'
                   f'<a class="next" href="/lich/{after[0]:04d}-{after[1]:02d}">Tháng sau »</a>')
            main = (f"<h1>Lịch sự kiện tháng {ym[1]}/{ym[0]}</h1><table class=\"calendar\"><tr>"
                    + "".join(f"<th>{d}</th>" for d in ("T2", "T3", "T4", "T5", "T6", "T7", "CN"))
                    + f'</tr></table><p class="empty">Không có sự kiện nào.</p><div class="nav">{nav}</div>')
            return self.page(f"Lịch sự kiện tháng {ym[1]}/{ym[0]}", main)

        self.routes.add_pattern(r"/lich/(\d{4})-(\d{2})", calendar)

        def endless(req: Request, m: re.Match[str]) -> Resp:
            n = int(m[1] or 1)
            nxt = f'<a class="next" href="/moi-nhat?page={n + 1}">Trang sau</a>'
            return self.listing_page("Mới nhất", newest, nxt, heading=f"Tin mới nhất – trang {n}")

        self.routes.add_pattern(r"/moi-nhat(?:\?page=(\d+))?", endless)


_STYLE_BUILDERS: dict[str, Callable[[_Builder, int], list[str]]] = {
    "query-numbered": _Builder.query_numbered,
    "path-trang": _Builder.path_trang,
    "path-p-relnext": _Builder.path_p_relnext,
    "aspnet-numbers": _Builder.aspnet_numbers,
    "date-month": _Builder.date_month,
    "load-more-html": _Builder.load_more_html,
    "load-more-json": _Builder.load_more_json,
}


def build_archive_web(site: Site, *, articles: int = 400, seed: int = 20250614, api: Site | None = None,
                      sitemap_articles: int = 30, feed_articles: int = 20, home_articles: int = 10,
                      empty_months: bool = False) -> ArchiveWeb:
    """Populate ``site`` (and ``api``, if given, with the JSON load-more endpoints, as VnExpress
    serves them from another host) with the archive web described in the module docstring.

    ``articles`` (≥ 30) are spread over ten years; the newest ``sitemap_articles`` are in the
    sitemap, the newest ``feed_articles`` in the feed, the newest ``home_articles`` on the home
    page. A crawl of ``seeds`` needs ``allowed_hosts`` only when ``api`` is another site.
    """
    if articles < 30:
        raise ValueError("the archive web needs at least 30 articles")
    rng = random.Random(seed)
    arts = _make_articles(articles, rng)
    api = api or site
    most_read = [arts[k] for k in (2, 5, 9, 14, 21)]
    b = _Builder(site, api, arts, most_read, empty_months)
    b.add_articles()
    b.add_home_and_fixed(arts[:home_articles])
    b.add_robots_sitemaps_feed(arts[:sitemap_articles], arts[:feed_articles])
    listings = []
    for c, (slug, name, style, _) in enumerate(_CATEGORIES):
        pages = _STYLE_BUILDERS[style](b, c)
        listings.append(Listing(slug, name, style, b.first_pages[c], _OUT_OF_RANGE[style],
                                frozenset(a.path for a in b.by_category[c]), tuple(pages)))
    b.add_traps(arts[:10])
    paths = tuple(a.path for a in arts)
    return ArchiveWeb(
        site=site, api=api, articles=frozenset(paths), newest_first=paths,
        published={a.path: a.when for a in arts},
        seeds=(site.url("/"), site.url("/sitemap.xml"), site.url("/rss/home.rss")),
        traps={"calendar": "/lich/", "endless": "/moi-nhat"}, listings=tuple(listings),
        sitemap_articles=frozenset(a.path for a in arts[:sitemap_articles]),
        feed_articles=frozenset(a.path for a in arts[:feed_articles]),
        home_articles=frozenset(a.path for a in arts[:home_articles]),
    )
