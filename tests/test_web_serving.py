"""How the app is served and how it takes arbitrary input.

The production server (waitress, never Flask's debug server) over real HTTP, and a seeded fuzz
of query strings: whatever arrives, the answer is a 200, 400 or 404 in Vietnamese, never a 500.
"""
from __future__ import annotations

import random
import string
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from search_web.app import create_app


@pytest.fixture(scope="module")
def server_url(served_url):
    return served_url


def fetch(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8-sig")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def test_app_is_not_in_debug_mode(sample_data_dir):
    app = create_app(sample_data_dir / "index")
    assert not app.debug and not app.testing
    assert not app.config["PROPAGATE_EXCEPTIONS"]


def test_served_by_waitress_on_loopback(server_url):
    status, headers, body = fetch(server_url + "/search?q=c%C3%B4ng+%C4%91o%C3%A0n")
    assert status == 200 and "kết quả" in body
    assert headers["Server"] == "unionsearch"                # waitress's ident, not Werkzeug
    assert "Content-Security-Policy" in headers
    status, _, body = fetch(server_url + "/search?from=2024-13-45")
    assert status == 400 and "Từ ngày không hợp lệ" in body
    status, _, body = fetch(server_url + "/article/khong-co")
    assert status == 404 and "Không tìm thấy" in body
    assert "Traceback" not in body and "Werkzeug" not in body


ALPHABET = (string.ascii_letters + string.digits + string.punctuation + " đĐăâêôơưàáạảãỹ"
            + "\x00\x1f\u200b\ufeff\U0001f600")
NAMES = ["q", "province", "scheme", "province_scheme", "year", "month", "type", "issuer",
         "source", "from", "to", "sort", "size", "page", "utm_source"]
SYNTAX = ['"', "OR", "-", "so_hieu:", "title:", '""', '-"', "OR OR", "02-NQ/TW -x", "*", "(",
          "NOT", "<script>", "%", "9" * 30, "2024-02-30", "31/12/2024"]


def test_fuzzed_query_strings_never_fail(sample_data_dir):
    client = create_app(sample_data_dir / "index").test_client()
    rng = random.Random(6)
    for _ in range(250):
        pairs = []
        for _ in range(rng.randint(1, 5)):
            value = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 25)))
            if rng.random() < 0.4:
                value = rng.choice(SYNTAX) + value
            pairs.append((rng.choice(NAMES), value))
        fmt = rng.choice(["", ".json", ".atom", ".csv"])
        path = f"/search{fmt}?{urlencode(pairs)}"
        r = client.get(path)
        body = r.get_data(as_text=True)
        assert r.status_code in (200, 400), (path, r.status_code)
        assert "Traceback" not in body and "\x00" not in body
        if fmt == "":                    # the other formats are data, where "<script>" is text
            assert "<script" not in body


def test_a_query_the_engine_cannot_run_is_a_400_not_a_500(sample_data_dir, monkeypatch):
    """Should the query parser ever build a query Whoosh rejects (``so_hieu:>`` once did),
    the user gets the form back with a message, and the retry link drops the query."""
    app = create_app(sample_data_dir / "index")
    index = app.extensions["search_index"]
    real_search = index.search

    def fragile(req):
        if req.q:
            raise ValueError("Called make_binary_tree with empty list")
        return real_search(req)

    monkeypatch.setattr(index, "search", fragile)
    client = app.test_client()
    r = client.get("/search?q=so_hieu%3A%3E&province=Ngh%E1%BB%87+An")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Không xử lý được truy vấn “so_hieu:&gt;”" in html
    assert 'href="/search?province=Ngh%E1%BB%87+An">Tìm lại' in html
    assert 'value="so_hieu:&gt;"' in html                    # still in the box, to edit
    for fmt in (".json", ".atom", ".csv"):
        r = client.get(f"/search{fmt}?q=so_hieu%3A%3E")
        assert r.status_code == 400 and "Không xử lý được truy vấn" in r.get_data(as_text=True)
