"""The three demo sites: names, categories and the URL shape of each CMS family they imitate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .slug import slugify

SITE_IDS = ("baocongnhan", "congdoan", "congttdt")


@dataclass(frozen=True)
class SiteSpec:
    """What differs between the sites apart from their templates."""

    id: str
    title: str
    id_prefix: str  # article ids in the content files: "<prefix>-NNN"
    categories: tuple[str, ...]
    directive_category: str  # where a syndicated directive lands on this site
    id_base: int  # numeric article ids in URLs start here (so they look like the real CMS's)
    rss_path: str
    robots_disallow: tuple[str, ...]
    crawl_delay: int | None
    static_images: tuple[str, ...]  # logos and banners the templates show

    def numeric_id(self, article_id: str, source_site: str) -> int:
        """Stable per-site number: originals and copies from each source site get their own range."""
        number = int(article_id.rsplit("-", 1)[1])
        return self.id_base + 1000 * SITE_IDS.index(source_site) + number

    def category_slug(self, category: str) -> str:
        return slugify(category)

    def article_path(self, numeric_id: int, title: str, category: str, published: datetime) -> str:
        raise NotImplementedError

    def listing_path(self, category: str, page: int) -> str:
        raise NotImplementedError

    def image_path(self, file: str, published: datetime) -> str:
        raise NotImplementedError


class NewspaperSpec(SiteSpec):
    """Newspaper CMS (baothanhhoa.vn / laodong.vn family): `/<cat>/<slug>-<id>.htm`, `trang-N.htm`."""

    def article_path(self, numeric_id: int, title: str, category: str, published: datetime) -> str:
        return f"/{self.category_slug(category)}/{slugify(title)}-{numeric_id}.htm"

    def listing_path(self, category: str, page: int) -> str:
        base = f"/{self.category_slug(category)}/"
        return base if page == 1 else f"{base}trang-{page}.htm"

    def image_path(self, file: str, published: datetime) -> str:
        return f"/uploads/{published:%Y/%m/%d}/{file}"


class NukeVietSpec(SiteSpec):
    """NukeViet portal: `/vi/news/<cat>/<slug>-<id>.html`, `page-N`."""

    def article_path(self, numeric_id: int, title: str, category: str, published: datetime) -> str:
        return f"/vi/news/{self.category_slug(category)}/{slugify(title)}-{numeric_id}.html"

    def listing_path(self, category: str, page: int) -> str:
        base = f"/vi/news/{self.category_slug(category)}/"
        return base if page == 1 else f"{base}page-{page}"

    def image_path(self, file: str, published: datetime) -> str:
        return f"/uploads/news/{published:%Y_%m}/{file}"


class SharePointSpec(SiteSpec):
    """SharePoint "Cổng TTĐT": publication date in the article path, `?Page=N` listings, cased slugs."""

    def category_slug(self, category: str) -> str:
        return slugify(category, keep_case=True)

    def article_path(self, numeric_id: int, title: str, category: str, published: datetime) -> str:
        day = f"{published.year}-{published.month}-{published.day}"
        return f"/portal/Pages/{day}/{slugify(title, keep_case=True)}-{numeric_id}.aspx"

    def listing_path(self, category: str, page: int) -> str:
        base = f"/portal/Pages/{self.category_slug(category)}.aspx"
        return base if page == 1 else f"{base}?Page={page}"

    def image_path(self, file: str, published: datetime) -> str:
        return f"/portal/PublishingImages/{published:%Y}/{file}"


SITES: dict[str, SiteSpec] = {
    "baocongnhan": NewspaperSpec(
        id="baocongnhan",
        title="Báo Công Nhân",
        id_prefix="bcn",
        categories=("Công đoàn", "Việc làm", "Chính sách", "An toàn lao động", "Đời sống"),
        directive_category="Chính sách",
        id_base=187000,
        rss_path="/rss/home.rss",
        robots_disallow=("/tim-kiem/", "/admin/"),
        crawl_delay=None,
        static_images=("/static/images/logo-bcn.jpg", "/static/images/blank.jpg"),
    ),
    "congdoan": NukeVietSpec(
        id="congdoan",
        title="Cổng thông tin Công đoàn",
        id_prefix="cd",
        categories=("Tin hoạt động", "Văn bản chỉ đạo", "Chính sách pháp luật", "Thi đua khen thưởng"),
        directive_category="Văn bản chỉ đạo",
        id_base=5000,
        rss_path="/vi/news/rss/",
        robots_disallow=("/admin/", "/vi/seek/", "/includes/"),
        crawl_delay=None,
        static_images=(
            "/themes/congdoan/images/banner-left.jpg",
            "/themes/congdoan/images/banner-right.jpg",
            "/themes/congdoan/images/logo.jpg",
        ),
    ),
    "congttdt": SharePointSpec(
        id="congttdt",
        title="CỔNG THÔNG TIN ĐIỆN TỬ THÀNH PHỐ HẢI PHÒNG",
        id_prefix="ttdt",
        categories=("Tin tức sự kiện", "Chỉ đạo điều hành", "Văn bản", "Lao động - Việc làm"),
        directive_category="Văn bản",
        id_base=41000,
        rss_path="/portal/RSS/TinMoi.xml",
        robots_disallow=("/_layouts/", "/portal/Pages/TimKiem.aspx"),
        crawl_delay=1,
        static_images=(
            "/portal/PublishingImages/banner-haiphong.jpg",
            "/portal/PublishingImages/quoc-huy.jpg",
        ),
    ),
}

# Where a syndicated news story lands on the republishing site (directives go to directive_category).
SYNDICATED_CATEGORY: dict[str, dict[str, str]] = {
    "baocongnhan": {
        "Tin hoạt động": "Công đoàn",
        "Văn bản chỉ đạo": "Công đoàn",
        "Chính sách pháp luật": "Chính sách",
        "Thi đua khen thưởng": "Công đoàn",
        "Tin tức sự kiện": "Công đoàn",
        "Chỉ đạo điều hành": "Chính sách",
        "Văn bản": "Chính sách",
        "Lao động - Việc làm": "Việc làm",
    },
    "congdoan": {
        "Công đoàn": "Tin hoạt động",
        "Việc làm": "Tin hoạt động",
        "Chính sách": "Chính sách pháp luật",
        "An toàn lao động": "Tin hoạt động",
        "Đời sống": "Tin hoạt động",
        "Tin tức sự kiện": "Tin hoạt động",
        "Chỉ đạo điều hành": "Văn bản chỉ đạo",
        "Văn bản": "Văn bản chỉ đạo",
        "Lao động - Việc làm": "Chính sách pháp luật",
    },
    "congttdt": {
        "Công đoàn": "Tin tức sự kiện",
        "Việc làm": "Lao động - Việc làm",
        "Chính sách": "Lao động - Việc làm",
        "An toàn lao động": "Lao động - Việc làm",
        "Đời sống": "Tin tức sự kiện",
        "Tin hoạt động": "Tin tức sự kiện",
        "Văn bản chỉ đạo": "Văn bản",
        "Chính sách pháp luật": "Lao động - Việc làm",
        "Thi đua khen thưởng": "Tin tức sự kiện",
    },
}
