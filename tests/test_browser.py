"""The search page in a real headless Chromium, served by waitress as in production.

Checks what only a browser can: clicking a facet changes the URL, the URL alone reproduces the
page in a fresh context, the back button, a keyboard-only search, and a phone-sized layout
without horizontal scrolling (screenshots land in the pytest tmp dir).
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

from search_web.serve import make_server  # noqa: E402

TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def base_url(sample_data_dir):
    """The app on a free port of 127.0.0.1, served by waitress in a background thread."""
    server = make_server(sample_data_dir / "index", host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


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
