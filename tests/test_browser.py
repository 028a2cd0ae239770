"""The search page in a real headless Chromium, served by waitress as in production.

Checks what only a browser can: clicking a facet or a histogram bar changes the URL, the URL
alone reproduces the page in a fresh context, the back button, a keyboard-only search, the date
range form and chip removal, the whole flow with JavaScript switched off, an accessibility
sanity check on Chromium's own accessibility tree (names, landmarks, headings, visible focus,
skip link), and phone- and desktop-sized layouts (screenshots land in the pytest tmp dir).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.browser



def _unavailable(reason: str) -> None:
    """Skip this module (never break the collection of the others); in CI, fail instead."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


if not CHROMIUM.exists():
    _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError as exc:
    _unavailable(f"Playwright is not importable ({exc}): bash scripts/setup.sh --test installs it")

TIMEOUT_MS = 10_000
#: Roles that must carry an accessible name (an unnamed one reads as just "button" or "link").
NAMED_ROLES = ("searchbox", "textbox", "combobox", "button", "link", "checkbox", "radio",
               "spinbutton", "slider", "img", "figure", "navigation", "complementary")
_ROLE_LINE = re.compile(r'^\s*- (?:\'|")?(?P<role>[a-z]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?'
                        r'(?: \[level=(?P<level>\d)\])?')


@pytest.fixture(scope="module")
def base_url(served_url):
    return served_url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Browser):
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, f"browser console errors (CSP violations?): {errors}"


def result_titles(page: Page) -> list[str]:
    return page.locator("ol.results .result-title a").all_inner_texts()


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def test_search_facet_click_fresh_context_and_back(page: Page, browser: Browser, base_url):
    start = f"{base_url}/search?q={quote('công đoàn')}"
    page.goto(start)
    expect(page.locator("#so-ket-qua")).to_contain_text("kết quả")
    before = result_titles(page)
    assert len(before) >= 3
    assert "Công đoàn Nghệ An chăm lo Tết Sum vầy cho công nhân" in before

    page.locator("aside .facet-link", has_text="Nghệ An").first.click()
    page.wait_for_url(re.compile(r"province="))
    assert ("province", "Nghệ An") in query_of(page.url)
    assert ("q", "công đoàn") in query_of(page.url)
    filtered = result_titles(page)
    assert filtered == ["Công đoàn Nghệ An chăm lo Tết Sum vầy cho công nhân"]
    expect(page.locator(".chips")).to_contain_text("Tỉnh/thành: Nghệ An")
    assert page.locator(".result-meta .province").all_inner_texts() == ["Nghệ An"]

    fresh = browser.new_context()
    try:
        other = fresh.new_page()
        other.goto(page.url)
        assert result_titles(other) == filtered
        expect(other.locator(".chips")).to_contain_text("Tỉnh/thành: Nghệ An")
    finally:
        fresh.close()

    page.go_back()
    page.wait_for_url(start)
    assert result_titles(page) == before


def test_keyboard_only_search(page: Page, base_url):
    page.goto(base_url + "/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.name") == "q":
            break
    else:
        pytest.fail("the search box is not reachable with Tab")
    # the focused box shows a visible focus ring
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.type("thanh hoa")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=thanh\+hoa$"))
    assert result_titles(page)[0] == "LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch 119/KH-LĐLĐ"
    expect(page.locator("mark").first).to_be_visible()


def test_mobile_layout_has_no_horizontal_overflow(browser: Browser, base_url, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",
                                  device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        for path in (f"/search?q={quote('công đoàn')}&year=2024", "/",
                     "/search?province=H%E1%BA%A3i+Ph%C3%B2ng&scheme=new"):
            page.goto(base_url + path)
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{path}: {widths[0]}px wide in a {widths[1]}px viewport"
        page.goto(base_url + f"/search?q={quote('công đoàn')}")
        shot = tmp_path / "search-mobile-390x844.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        # the results come before the filters on a phone, and the filters are one link away
        results_top = page.locator("ol.results").bounding_box()["y"]
        filters_top = page.locator("#bo-loc").bounding_box()["y"]
        assert results_top < filters_top
    finally:
        context.close()


def test_desktop_screenshot(page: Page, base_url, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + f"/search?q={quote('nghị quyết')}")
    expect(page.locator("aside#bo-loc")).to_be_visible()
    # filters sit beside the results on a wide screen
    assert page.locator("#bo-loc").bounding_box()["x"] < page.locator("main").bounding_box()["x"]
    shot = tmp_path / "search-desktop-1280.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_histogram_bars_filter_on_click(page: Page, base_url):
    page.goto(f"{base_url}/search?q={quote('công đoàn')}")
    page.locator("svg a[aria-label^='2021:']").click()
    page.wait_for_url(re.compile(r"year=2021"))
    expect(page.locator(".chips")).to_contain_text("Năm: 2021")
    dates = page.locator(".result-meta time").all_inner_texts()
    assert dates and all(d.endswith("/2021") for d in dates)
    month = page.locator("svg a[aria-label^='08/2021:']")        # the year opens its months
    month.focus()                                                # bars work from the keyboard
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("08/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"month=2021-08"))
    assert result_titles(page) == ["LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch 119/KH-LĐLĐ"]


def test_date_range_form_and_chip_removal(page: Page, base_url):
    page.goto(base_url + "/search")
    page.get_by_label("Từ ngày").fill("2021-07-01")
    page.get_by_label("Đến ngày").fill("2022-12-31")
    page.get_by_role("button", name="Lọc theo ngày").click()
    page.wait_for_url(re.compile(r"from=2021-07-01&to=2022-12-31$"))
    assert len(result_titles(page)) == 3
    page.locator(".chip", has_text="Từ ngày 01/07/2021").click()
    page.wait_for_url(re.compile(r"/search\?to=2022-12-31$"))
    expect(page.locator(".chips")).not_to_contain_text("Từ ngày")
    assert page.get_by_label("Từ ngày").input_value() == ""


def test_an_old_province_note_and_its_links(page: Page, base_url):
    """Typed as people still say it: "Hải Dương" (merged into Hải Phòng in 2025)."""
    page.goto(base_url + "/search?q=" + quote("hai duong"))
    note = page.locator(".place-move")
    expect(note).to_contain_text("Hải Dương nay thuộc Hải Phòng")
    note.get_by_role("link", name="xem tin Hải Dương cũ").click()
    page.wait_for_url(re.compile(r"province=H%E1%BA%A3i\+D%C6%B0%C6%A1ng&scheme=old$"))
    assert result_titles(page) == ["Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở"]
    page.go_back()
    page.locator(".place-move").get_by_role("link", name="xem tin cả Hải Phòng").click()
    page.wait_for_url(re.compile(r"province=H%E1%BA%A3i\+Ph%C3%B2ng$"))
    assert "Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở" in result_titles(page)
    page.goto(base_url + "/search?province=" + quote("Hải Dương"))   # an old name as a filter
    expect(page.locator(".message.note")).to_contain_text("đang lọc theo 63 tỉnh/thành cũ")
    assert result_titles(page) == ["Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở"]


def test_everything_works_without_javascript(browser: Browser, base_url):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        page.locator("#q").fill("công đoàn")
        page.locator("#q").press("Enter")
        page.wait_for_url(re.compile(r"/search\?q=c"))
        assert len(result_titles(page)) >= 3
        page.get_by_label("Sắp xếp").select_option("oldest")
        page.get_by_role("button", name="Áp dụng").click()
        page.wait_for_url(re.compile(r"sort=oldest"))
        page.locator("aside .facet-link", has_text="Cổng Thử").first.click()
        page.wait_for_url(re.compile(r"source="))
        assert ("q", "công đoàn") in query_of(page.url) and ("sort", "oldest") in query_of(page.url)
        page.locator("aside details summary").first.click()       # <details> needs no script
        expect(page.locator("aside details").first).to_have_attribute("open", "")
        page.locator("ol.results .result-title a").first.click()
        page.wait_for_url(re.compile(r"/article/"))
        expect(page.locator("#bai-tuong-tu li")).to_have_count(5)
    finally:
        context.close()


def aria_lines(page: Page) -> list[re.Match]:
    return [m for m in map(_ROLE_LINE.match, page.locator("body").aria_snapshot().splitlines())
            if m]


def article_path(page: Page, base_url: str) -> str:
    page.goto(f"{base_url}/search?q={quote('thanh hoa')}")
    return page.locator("ol.results .result-title a").first.get_attribute("href")


@pytest.mark.parametrize("path", ["/", f"/search?q={quote('công đoàn')}&year=2021",
                                  "/search?sort=oldest&size=2&page=2", "ARTICLE", "/khong-co", "/status"])
def test_accessibility_sanity(browser: Browser, base_url, path):
    """What axe would flag first, checked on Chromium's accessibility tree (nothing to
    download): named controls and links, landmarks, one h1 and no skipped heading level, a
    skip link that moves focus to the main content, and a visible focus ring."""
    context = browser.new_context(locale="vi-VN")
    try:
        page = context.new_page()
        if path == "ARTICLE":
            path = article_path(page, base_url)
        response = page.goto(base_url + path)
        assert response.status == (404 if path == "/khong-co" else 200)
        check_accessibility(page, path)
    finally:
        context.close()


def check_accessibility(page: Page, path: str) -> None:
    """Assert the checks of :func:`test_accessibility_sanity` on the page as loaded."""
    assert page.evaluate("document.documentElement.lang") == "vi"
    lines = aria_lines(page)
    roles = [m["role"] for m in lines]
    unnamed = [m.group(0) for m in lines if m["role"] in NAMED_ROLES and not m["name"]]
    assert not unnamed, f"{path}: elements without an accessible name: {unnamed}"
    for landmark in ("banner", "main", "contentinfo", "search"):
        assert roles.count(landmark) == 1, f"{path}: {roles.count(landmark)} × {landmark}"
    if path.startswith("/search"):
        assert "complementary" in roles                       # the filters
    if "page=2" in path:
        assert any(m["role"] == "navigation" and m["name"] == "Phân trang" for m in lines)
    levels = [int(m["level"]) for m in lines if m["role"] == "heading"]
    assert levels and levels[0] == 1 and levels.count(1) == 1, f"{path}: headings {levels}"
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"{path}: headings {levels}"
    # every form control has a label the browser associates with it
    unlabelled = page.evaluate("""[...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && !e.labels.length && !e.getAttribute('aria-label'))
        .map(e => e.outerHTML)""")
    assert not unlabelled, unlabelled

    # keyboard: the first Tab lands on the skip link, which shows and moves focus to <main>
    page.keyboard.press("Tab")
    skip = page.evaluate("[document.activeElement.className, document.activeElement.hash]")
    assert skip == ["skip", "#noi-dung"]
    assert page.locator("a.skip").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    # the next stops all show a focus ring
    for _ in range(6):
        page.keyboard.press("Tab")
        style = page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; })()""")
        if style[0] == "BODY":
            break                                   # past the last stop of a short page
        assert style[1] != "none" and style[2] != "0px", f"{path}: no focus ring on {style}"


def test_article_page_desktop_and_phone(browser: Browser, base_url, tmp_path):
    sizes = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
    for name, viewport in sizes.items():
        context = browser.new_context(viewport=viewport, locale="vi-VN",
                                      is_mobile=name == "phone", device_scale_factor=1)
        try:
            page = context.new_page()
            page.goto(base_url + article_path(page, base_url))
            expect(page.locator("h1")).to_contain_text("Kế hoạch 119/KH-LĐLĐ")
            expect(page.locator("#bai-tuong-tu li")).to_have_count(5)
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], f"{name}: {widths}"
            shot = tmp_path / f"article-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            context.close()
