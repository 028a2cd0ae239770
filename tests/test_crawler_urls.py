"""Unit tests of crawler.urls: canonical form, dedupe keys, allowed hosts."""
from __future__ import annotations

import pytest

from crawler.urls import (
    HostFilter,
    URLError,
    normalize_url,
    origin,
    site_key,
    try_normalize,
    url_key,
)

pytestmark = pytest.mark.timeout(10)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("HTTP://WWW.LaoDong.VN:80/a", "http://www.laodong.vn/a"),
        ("https://laodong.vn:443/", "https://laodong.vn/"),
        ("https://laodong.vn", "https://laodong.vn/"),
        ("http://x.vn:8080/a", "http://x.vn:8080/a"),
        ("http://x.vn/a#binh-luan", "http://x.vn/a"),
        ("http://x.vn/a/./b/../c.ldo", "http://x.vn/a/c.ldo"),
        ("http://x.vn/../../c", "http://x.vn/c"),
        ("http://x.vn/%7Euser/%61", "http://x.vn/~user/a"),
        ("http://x.vn/tin/%c4%91oan", "http://x.vn/tin/%C4%91oan"),
        ("http://x.vn/tin/đoàn viên", "http://x.vn/tin/%C4%91o%C3%A0n%20vi%C3%AAn"),
        ("http://x.vn/a?b=2&a=1", "http://x.vn/a?a=1&b=2"),
        ("http://x.vn/a?", "http://x.vn/a"),
        ("http://x.vn/a;jsessionid=ABC123?x=1", "http://x.vn/a?x=1"),
        ("https://báo.vn/", "https://xn--bo-mia.vn/"),
        ("http://user:pw@x.vn/", "http://x.vn/"),
    ],
)
def test_canonical_form(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_tracking_parameters_dropped_by_denylist() -> None:
    url = ("https://laodong.vn/cong-doan/bai-1.ldo?utm_source=zalo&utm_medium=social&zarsrc=31"
           "&zaloapp=1&fbclid=IwAR0&gclid=xyz&PHPSESSID=abc&_ga=1")
    assert normalize_url(url) == "https://laodong.vn/cong-doan/bai-1.ldo"


def test_identity_parameters_kept() -> None:
    liferay = ("https://x.gov.vn/web/guest/tin?p_p_id=101_INSTANCE_abc&p_p_lifecycle=0"
               "&_101_INSTANCE_abc_cur=2&cid=5&utm_campaign=x")
    assert normalize_url(liferay) == (
        "https://x.gov.vn/web/guest/tin?_101_INSTANCE_abc_cur=2&cid=5"
        "&p_p_id=101_INSTANCE_abc&p_p_lifecycle=0")
    assert normalize_url("http://x.vn/Default.aspx?tabid=12&ItemID=345") == \
        "http://x.vn/Default.aspx?ItemID=345&tabid=12"
    # repeated parameters are never merged; '+' keeps its meaning
    assert normalize_url("http://x.vn/s?tag=b&tag=a&q=c%C3%B4ng+%C4%91o%C3%A0n") == \
        "http://x.vn/s?q=c%C3%B4ng+%C4%91o%C3%A0n&tag=a&tag=b"


def test_relative_resolution_and_rejects() -> None:
    assert normalize_url("../b.html", "http://x.vn/a/c/d.html") == "http://x.vn/a/b.html"
    assert normalize_url("//y.vn/p", "https://x.vn/") == "https://y.vn/p"
    for bad in ("mailto:a@b.vn", "javascript:void(0)", "tel:0123", "#top", "", "ftp://x.vn/f"):
        assert try_normalize(bad, "http://x.vn/") is None
    with pytest.raises(URLError, match=r"ftp://x\.vn"):
        normalize_url("ftp://x.vn/f")


def test_keys_merge_scheme_and_www_variants() -> None:
    a = normalize_url("http://www.laodong.vn/a.ldo?utm_source=fb")
    b = normalize_url("https://laodong.vn/a.ldo")
    assert url_key(a) == url_key(b) == "laodong.vn/a.ldo"
    assert site_key(a) == site_key(b) == "laodong.vn"
    assert origin(a) == "http://www.laodong.vn" and origin(b) == "https://laodong.vn"
    assert site_key("http://127.0.0.1:8123/x") == "127.0.0.1:8123"
    assert url_key("http://x.vn/a?b=1") != url_key("http://x.vn/a")


def test_host_filter() -> None:
    f = HostFilter({"laodong.vn", "*.gov.vn", "127.0.0.1:8123"})
    assert f.allows("https://www.laodong.vn/x")
    assert f.allows("http://laodong.vn:8080/x")  # no port in the entry: any port
    assert not f.allows("https://news.laodong.vn/x")  # subdomains only with *.
    assert f.allows("https://ldld.hatinh.gov.vn/") and f.allows("https://gov.vn/")
    assert f.allows("http://127.0.0.1:8123/a")
    assert not f.allows("http://127.0.0.1:8124/a")  # host:port entries are exact
    assert not f.allows("http://evil-laodong.vn/")
    assert HostFilter.from_urls(["http://127.0.0.1:9/a"]).allows("http://127.0.0.1:9/b")
    with pytest.raises(URLError, match="bad allowed-host entry"):
        HostFilter({"x.vn:port"})


@pytest.mark.parametrize("raw", [
    "http://www.laodong.vn/cong-doan/a-1.ldo?b=2&a=1", "https://x.vn:8443/", "http://127.0.0.1:8000/a/b",
    "https://báo.vn/tin/đoàn viên?x=%C4%91", "http://x.vn", "http://www.x.vn/p?q",
])
def test_identity_matches_the_three_keys(raw: str) -> None:
    from crawler.urls import identity

    url = normalize_url(raw)
    assert identity(url) == (url_key(url), site_key(url), origin(url))
