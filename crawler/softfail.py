"""200-status pages that are not content: soft 404s, maintenance pages, cookie challenges.

Government portals answer a missing page with 200 and "Không tìm thấy trang"; laodong.vn has been
seen answering with a JavaScript cookie challenge (``D1N=``). Such pages must be recorded as
failures with a reason, never stored as articles. The rules are deliberately narrow (short pages
with a telling title or text), since a false positive loses a real article.
"""
from __future__ import annotations

import re
import unicodedata

from bs4 import BeautifulSoup

__all__ = ["classify_soft_failure"]

_NOT_FOUND = re.compile(
    r"(?i)không tìm thấy trang|trang không tồn tại|không tồn tại hoặc đã bị xóa|"
    r"không tìm thấy nội dung|trang bạn tìm kiếm không|lỗi 404|\b404\b.{0,20}(not found|không)|"
    r"page not found|the page cannot be found"
)
_MAINTENANCE = re.compile(
    r"(?i)đang bảo trì|đang nâng cấp|tạm ngừng hoạt động|under maintenance|"
    r"service unavailable|website is down for maintenance"
)
_CHALLENGE_SCRIPT = re.compile(
    r"(?i)(document\.cookie\s*=.{0,400}(location\.(reload|href|replace)|window\.location))|"
    r"(\bD1N=)|(cf-browser-verification|challenge-platform|__cf_chl_)|"
    r"(enable javascript and cookies to continue|vui lòng bật javascript)"
)
SHORT_TEXT = 600  # visible characters; real articles are far longer


def _visible_text(soup: BeautifulSoup) -> str:
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.extract()
    return " ".join(soup.get_text(" ").split())


def classify_soft_failure(html: str) -> str | None:
    """``soft_404``, ``maintenance``, ``cookie_challenge`` or None for a normal page."""
    html = unicodedata.normalize("NFC", html)
    head = html[:200_000]
    soup = BeautifulSoup(head, "lxml")
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else ""
    h1 = soup.find("h1")
    heading = " ".join(h1.get_text(" ").split()) if h1 else ""
    scripts = " ".join(s.get_text(" ") for s in soup.find_all("script"))
    text = _visible_text(soup)
    short = len(text) < SHORT_TEXT
    if short and _CHALLENGE_SCRIPT.search(scripts + " " + text):
        return "cookie_challenge"
    if _NOT_FOUND.search(title) or (short and (_NOT_FOUND.search(heading) or _NOT_FOUND.search(text))):
        return "soft_404"
    if _MAINTENANCE.search(title) or (short and _MAINTENANCE.search(text)):
        return "maintenance"
    return None
