"""Load the demo corpus (content/<site>.json), validate it, and add the syndicated copies.

Validation is strict because the files are hand-written by several people: a typo should stop the
demo with the file and article id named, not produce a silently wrong page or ground truth.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .sites import SITE_IDS, SITES, SYNDICATED_CATEGORY

CONTENT_DIR = Path(__file__).parent / "content"
EARLIEST = datetime(2020, 1, 1)
LATEST = datetime(2026, 11, 15, 23, 59)
KINDS = ("news", "directive")
REQUIRED = {
    "id": str,
    "category": str,
    "kind": str,
    "title": str,
    "sapo": str,
    "paragraphs": list,
    "author": str,
    "published": str,
    "province_old": str,
    "province_new": str,
    "doc_numbers": list,
}
OPTIONAL = {"images": list, "syndicate_to": list}
IMAGE_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(jpe?g|png)$")


class ContentError(ValueError):
    """Bad demo content; the message names the file and the article id."""


@dataclass(frozen=True)
class Image:
    after: int  # index of the paragraph the image follows
    file: str
    caption: str


@dataclass(frozen=True)
class Article:
    """One article as published on `site`; a syndicated copy has `source_site` != `site`."""

    id: str
    site: str
    source_site: str
    category: str
    kind: str
    title: str
    sapo: str
    paragraphs: tuple[str, ...]
    images: tuple[Image, ...]
    author: str
    published: datetime
    province_old: str
    province_new: str
    doc_numbers: tuple[str, ...]
    syndicate_to: tuple[str, ...]
    #: set when an article is edited after publication (the sitemap's lastmod shows it)
    updated: datetime | None = None

    @property
    def is_copy(self) -> bool:
        return self.site != self.source_site

    @property
    def credit(self) -> str | None:
        """The "Theo <source>" line a republished story ends with."""
        return f"Theo {SITES[self.source_site].title}" if self.is_copy else None


def load_articles(content_dir: Path | str | None = None) -> dict[str, list[Article]]:
    """Every site's articles: its own, then the copies other sites syndicate to it."""
    directory = Path(content_dir) if content_dir is not None else CONTENT_DIR
    originals = {site: _load_file(directory / f"{site}.json", site) for site in SITE_IDS}
    seen: dict[str, str] = {}
    for site, articles in originals.items():
        for article in articles:
            if article.id in seen:
                raise ContentError(f"{directory / f'{site}.json'}: article {article.id}: duplicate id")
            seen[article.id] = site
    published = {site: list(articles) for site, articles in originals.items()}
    for articles in originals.values():
        for article in articles:
            for target in article.syndicate_to:
                published[target].append(_copy_for(article, target))
    return published


def _copy_for(article: Article, target: str) -> Article:
    if article.kind == "directive":
        category = SITES[target].directive_category
    else:
        category = SYNDICATED_CATEGORY[target][article.category]
    return replace(article, site=target, category=category, syndicate_to=())


def _load_file(path: Path, site: str) -> list[Article]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: missing (expected a JSON list of {site} articles)") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContentError(f"{path}: not valid UTF-8 JSON: {exc}") from None
    if not isinstance(raw, list):
        raise ContentError(f"{path}: top level must be a JSON list of articles")
    return [_parse(path, site, index, item) for index, item in enumerate(raw)]


def _parse(path: Path, site: str, index: int, item: Any) -> Article:
    label = item.get("id", f"#{index}") if isinstance(item, dict) else f"#{index}"

    def fail(problem: str) -> ContentError:
        return ContentError(f"{path}: article {label}: {problem}")

    if not isinstance(item, dict):
        raise fail("must be a JSON object")
    item = {k: v for k, v in _nfc(item).items() if not (k in OPTIONAL and v is None)}
    unknown = set(item) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise fail(f"unknown field(s) {sorted(unknown)}")
    missing = [key for key in REQUIRED if key not in item]
    if missing:
        raise fail(f"missing field(s) {missing}")
    for key, kind in {**REQUIRED, **OPTIONAL}.items():
        if key in item and not isinstance(item[key], kind):
            raise fail(f"field {key!r} must be a {kind.__name__}")
    spec = SITES[site]
    if not re.fullmatch(rf"{spec.id_prefix}-\d{{3}}", item["id"]):
        raise fail(f"id must look like {spec.id_prefix}-001")
    if item["category"] not in spec.categories:
        raise fail(f"category {item['category']!r} is not one of {list(spec.categories)}")
    if item["kind"] not in KINDS:
        raise fail(f"kind must be one of {list(KINDS)}")
    for key in ("title", "sapo", "province_old", "province_new"):
        if not item[key].strip():
            raise fail(f"{key!r} is empty")
    paragraphs = item["paragraphs"]
    if not paragraphs or not all(isinstance(p, str) and p.strip() for p in paragraphs):
        raise fail("'paragraphs' must be a non-empty list of non-empty strings")
    try:
        published = datetime.strptime(item["published"], "%Y-%m-%d %H:%M")
    except ValueError:
        raise fail(f"published {item['published']!r} is not 'YYYY-MM-DD HH:MM'") from None
    if not EARLIEST <= published <= LATEST:
        raise fail(f"published {item['published']} is outside {EARLIEST:%Y-%m-%d}..{LATEST:%Y-%m-%d}")
    text = "\n".join([item["title"], item["sapo"], *paragraphs])
    for number in item["doc_numbers"]:
        if not isinstance(number, str) or number not in text:
            raise fail(f"doc number {number!r} does not occur in the title, sapo or paragraphs")
    images = tuple(_parse_image(fail, image, len(paragraphs)) for image in item.get("images", []))
    targets = item.get("syndicate_to", [])
    for target in targets:
        if target not in SITE_IDS or target == site:
            raise fail(f"syndicate_to {target!r} must be another of {list(SITE_IDS)}")
    return Article(
        id=item["id"],
        site=site,
        source_site=site,
        category=item["category"],
        kind=item["kind"],
        title=item["title"].strip(),
        sapo=item["sapo"].strip(),
        paragraphs=tuple(p.strip() for p in paragraphs),
        images=images,
        author=item["author"].strip(),
        published=published,
        province_old=item["province_old"],
        province_new=item["province_new"],
        doc_numbers=tuple(item["doc_numbers"]),
        syndicate_to=tuple(dict.fromkeys(targets)),
    )


def _parse_image(fail: Callable[[str], ContentError], image: Any, paragraph_count: int) -> Image:
    if not isinstance(image, dict) or set(image) != {"after", "file", "caption"}:
        raise fail("each image needs exactly 'after', 'file' and 'caption'")
    after, file, caption = image["after"], image["file"], image["caption"]
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < paragraph_count:
        raise fail(f"image 'after' {after!r} is not a paragraph index (0..{paragraph_count - 1})")
    if not isinstance(file, str) or not IMAGE_FILE.match(file):
        raise fail(f"image file {file!r} must be a plain .jpg/.png name")
    if not isinstance(caption, str):
        raise fail("image caption must be a string")
    return Image(after=after, file=file, caption=caption.strip())


def _nfc(value: Any) -> Any:
    """Sites serve NFC; normalising here keeps doc-number checks and ground truth consistent."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value
