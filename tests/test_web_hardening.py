"""Findings of the attack run against the search site (issue 16), each as a regression test:
input that gave a 500, a Host header that reached the links, errors without security headers.
Served by waitress over real sockets where the server itself is what is tested."""
from __future__ import annotations

import socket
import threading

import pytest

from search_web.app import create_app
from search_web.serve import make_server


@pytest.fixture(scope="module")
def client(sample_data_dir):
    return create_app(sample_data_dir / "index").test_client()


def raw_get(port: int, path: str, host: str) -> tuple[int, str]:
    """One HTTP/1.1 request with a Host header of our choosing (urllib would fix it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                     .encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), (head + b"\n\n" + body).decode("utf-8", "replace")


@pytest.mark.parametrize("path", ["/search?to=9999-12-31", "/search?q=lao+dong&to=9999-12-31",
                                  "/search.json?from=0001-01-01", "/search?from=31/12/9999"])
def test_out_of_range_dates_are_a_clear_400(client, path):
    r = client.get(path)
    assert r.status_code == 400
    assert "ngày không hợp lệ" in r.get_data(as_text=True).lower()
    assert "ký tự đặc biệt" not in r.get_data(as_text=True)


@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "\ufdd0", "\x85"])
@pytest.mark.parametrize("name", ["q", "province", "source", "type", "issuer", "year"])
def test_non_characters_in_any_parameter_never_break_the_feed(client, bad, name):
    r = client.get("/search.atom", query_string={name: f"c{bad}ông đoàn", "q2": bad})
    assert r.status_code in (200, 400), r.status_code
    assert bad not in r.get_data(as_text=True)


@pytest.fixture(scope="module")
def servers(sample_data_dir):
    """Two real servers: one without a public URL (links on the trusted request host) and one
    with ``--public-url``."""
    out = {}
    for name, public in (("plain", None), ("public", "https://tim.congdoan.test")):
        server = make_server(sample_data_dir / "index", port=0, threads=2, public_url=public)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        out[name] = server
    yield out
    for server in out.values():
        server.close()


@pytest.mark.parametrize("host", ["evil.example", "a" * 64 + ".example", "127.0.0.1.evil.example",
                                  "xn--.example", "[::1"])
def test_a_foreign_or_malformed_host_is_a_400_with_security_headers(servers, host):
    status, text = raw_get(servers["plain"].effective_port, "/search?q=lao+dong", host)
    assert status == 400, text[:300]
    assert "evil.example" not in text.split("\n\n", 1)[1]
    assert "Content-Security-Policy" in text and "Traceback" not in text


def test_links_use_the_public_url_and_never_the_host_header(servers):
    port = servers["public"].effective_port
    status, text = raw_get(port, "/search.atom?q=lao+dong", "127.0.0.1")
    assert status == 200 and 'href="https://tim.congdoan.test/search?q=lao+dong"' in text
    assert "127.0.0.1" not in text.split("\n\n", 1)[1]
    status, text = raw_get(port, "/search?q=lao+dong", "evil.example")
    assert status == 400
    plain = servers["plain"].effective_port
    status, text = raw_get(plain, "/", f"127.0.0.1:{plain}")
    assert status == 200 and f'rel="canonical" href="http://127.0.0.1:{plain}/"' in text
