"""200-status pages that are not content: soft 404s, maintenance pages, challenges, block pages.

Government portals answer a missing page with 200 and "Không tìm thấy trang" or "Trang bạn yêu
cầu không tồn tại"; whole sites go "Trang web đang bảo trì" for days; laodong.vn has been seen
answering with a JavaScript cookie challenge (``D1N=``), and cheap Vietnamese hosting puts an
``aes.js`` "set a cookie and reload" page in front of sites. Such pages must be recorded as
failures with a reason, never stored as articles, and all but the soft 404 say something about
the whole site, so the engine backs the site off (:data:`SITE_REASONS`).

Phrases are matched on text folded to plain ASCII (tone marks and ``đ`` removed), so accented,
unaccented and NFD pages match alike. The rules stay narrow (a telling title or heading, or a
short page), since a false positive loses a real article.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

from corpus.htmltree import parse_tree, text_of, visible_text

__all__ = [
    "SITE_REASONS",
    "SOFT_REASONS",
    "PageSignals",
    "classify",
    "classify_soft_failure",
    "fold",
    "page_signals",
]

SOFT_REASONS = ("soft_404", "maintenance", "cookie_challenge", "blocked")
#: answers about the whole site: the site backs off and the URL is retried later
SITE_REASONS = frozenset({"maintenance", "cookie_challenge", "blocked"})

#: phrases telling enough to decide from the <title> of a full page
_NOT_FOUND_STRONG = re.compile(
    r"khong tim thay (trang|noi dung|bai viet|duong dan)|loi 404|\b404\b.{0,20}(not found|khong)"
    r"|trang (ban |quy vi )?(yeu cau|tim kiem|truy cap|dang tim|muon xem) (da )?khong (con )?ton tai"
    r"|page not found|the page cannot be found|page you requested (could not be found|does not exist)"
)
_NOT_FOUND = re.compile(
    _NOT_FOUND_STRONG.pattern
    + r"|khong tim thay (tin bai|du lieu|trang web)"
    r"|(trang|noi dung|bai viet|tin bai|duong dan|lien ket)( \w+){0,3} "
    r"(khong ton tai|da bi xoa|khong con ton tai|da bi go)|khong ton tai hoac da bi (xoa|go)"
)
_MAINTENANCE_STRONG = re.compile(
    r"(trang web|website|trang thong tin|cong thong tin|he thong) (dang|tam thoi) (duoc )?(bao tri|nang cap)"
    r"|under maintenance|maintenance mode|down for maintenance"
)
_MAINTENANCE = re.compile(
    _MAINTENANCE_STRONG.pattern
    + r"|(dang|tam thoi) (duoc )?(bao tri|nang cap)|bao tri he thong|tam ngung hoat dong"
    r"|tam dung (hoat dong|truy cap|phuc vu)|service (temporarily )?unavailable|we.ll be back soon"
)
_BLOCKED = re.compile(
    r"truy cap bi tu choi|ban khong co quyen truy cap|(dia chi )?ip (cua ban )?(da )?bi chan"
    r"|access denied|access to this page has been denied|your ip (address )?has been blocked"
    r"|request unsuccessful\. incapsula|sucuri website firewall|bitninja|403 forbidden"
)
#: named challenge signatures (Cloudflare, aes.js test cookie, laodong.vn's D1N, generic wording)
_CHALLENGE = re.compile(
    r"\bd1n=|cf-browser-verification|challenge-platform|__cf_chl_|cf_chl_opt|slowaes\.decrypt"
    r"|tonumbers\(|__test=|checking your browser|just a moment\.\.\.|ddos protection by"
    r"|enable javascript and cookies|please enable (javascript|cookies)|bat javascript"
    r"|vui long (cho|doi) (trong )?giay lat|dang kiem tra trinh duyet|xac minh ban (la nguoi|khong phai)"
)
_SETS_COOKIE = re.compile(r"document\.cookie\s*=")
_RELOADS = re.compile(
    r"location\.(reload|replace|assign)\s*\(|(window\.|document\.|self\.|top\.)?location(\.href)?\s*=[^=]"
)
_META_REFRESH = re.compile(r"""http-equiv\s*=\s*["']?refresh""", re.IGNORECASE)
_COMBINING = re.compile(r"[\u0300-\u036f]")
_404_ATTR = re.compile(r"(?:^|[\s_-])(?:404|not-?found|error-?404|page-?404)(?:$|[\s_-])", re.I)
SHORT_TEXT = 600  # visible characters; real articles are far longer
TINY_TEXT = 200  # a page this bare that sets a cookie and reloads is a challenge


def fold(text: str) -> str:
    """Lower case, tone marks and diacritics removed, ``đ`` → ``d``, whitespace collapsed."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join(_COMBINING.sub("", text).split())


@dataclass(frozen=True)
class PageSignals:
    """What the verdict looks at, read from the page's one parse (corpus.htmltree)."""

    title: str
    heading: str  # first h1/h2
    scripts: str  # script source, lower case
    text: str  # visible text
    refresh: bool  # has <meta http-equiv=refresh>
    marked_404: bool = False  # the template says so: <body data-source="404">, class="page-404"


def page_signals(doc: etree._Element) -> PageSignals:
    """Read the signals off an lxml document; strips its scripts and styles (visible text)."""
    title_el = next(doc.iter("title"), None)
    heading_el = next(doc.iter("h1", "h2"), None)
    scripts = " ".join(text_of(el) for el in doc.iter("script")).lower()
    refresh = any((el.get("http-equiv") or "").strip().lower() == "refresh" for el in doc.iter("meta"))
    title = text_of(title_el) if title_el is not None else ""
    heading = text_of(heading_el) if heading_el is not None else ""
    # lxml-stubs type attribute names and values str | bytes (Python 2 heritage); lxml gives str.
    marked = any(_404_ATTR.search(v)  # type: ignore[arg-type]
                 for el in doc.iter("html", "body", "main", "section", "div")
                 for k, v in el.attrib.items()
                 if k in ("class", "id") or k.startswith("data-"))  # type: ignore[arg-type]
    return PageSignals(title, heading, scripts, visible_text(doc), refresh, marked)


def _mostly(pattern: re.Pattern[str], text: str) -> bool:
    """The phrase is most of ``text`` (a heading or title), not words inside a long headline."""
    m = pattern.search(text)
    return m is not None and len(m.group(0)) >= 0.6 * len(text)


def classify(page: PageSignals) -> str | None:
    """``soft_404``, ``maintenance``, ``cookie_challenge``, ``blocked`` or None for a normal page."""
    title, heading, scripts = fold(page.title), fold(page.heading), page.scripts
    short = len(page.text) < SHORT_TEXT
    folded = fold(page.text) if short else ""  # long pages are judged by title and heading only
    if short and (_CHALLENGE.search(scripts) or _CHALLENGE.search(folded) or _CHALLENGE.search(title)):
        return "cookie_challenge"
    if len(page.text) < TINY_TEXT and _SETS_COOKIE.search(scripts) and (
            _RELOADS.search(scripts) or page.refresh):
        return "cookie_challenge"
    if page.marked_404 and _NOT_FOUND.search(fold(page.text[:20_000])):
        return "soft_404"      # a 404 template (VnExpress: data-source="404") saying so
    for reason, strong, weak in (("soft_404", _NOT_FOUND_STRONG, _NOT_FOUND),
                                 ("maintenance", _MAINTENANCE_STRONG, _MAINTENANCE)):
        if (strong.search(title) or _mostly(weak, title) or _mostly(weak, heading)
                or (short and weak.search(folded))):
            return reason
    if short and (_BLOCKED.search(title) or _BLOCKED.search(folded)):
        return "blocked"
    return None


def classify_soft_failure(html: str) -> str | None:
    """:func:`classify` for an HTML string (the crawler itself classifies its one parse)."""
    doc = parse_tree(html)
    return classify(page_signals(doc)) if doc is not None else None
