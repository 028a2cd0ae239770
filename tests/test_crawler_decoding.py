"""Unit tests of corpus.decoding: BOM → header → meta → validity → detection, NFC, mojibake."""
from __future__ import annotations

import unicodedata

import pytest
from crawlweb import ARTICLE_TEXT, html_page, to_cp1258

from corpus.decoding import codec_for, decode_html, prescan_meta_charset
from corpus.textnorm import canon

pytestmark = pytest.mark.timeout(20)

TEXT = canon(ARTICLE_TEXT)


def _mojibake(text: str) -> str:
    """UTF-8 bytes read as cp1252 (latin-1 for cp1252's holes), as broken CMS exports do."""
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def test_utf8_nfc_passes_through() -> None:
    d = decode_html(html_page("t", ARTICLE_TEXT).encode(), "text/html; charset=utf-8")
    assert TEXT in d.text and d.encoding == "utf-8" and d.method == "header"


def test_windows_1258_by_meta_under_a_lying_utf8_header() -> None:
    body = to_cp1258(html_page("t", ARTICLE_TEXT, charset="windows-1258"))
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    d = decode_html(body, "text/html; charset=utf-8")
    assert d.encoding == "cp1258" and d.method == "meta"
    assert TEXT in d.text and unicodedata.is_normalized("NFC", d.text)


def test_windows_1258_undeclared_is_detected() -> None:
    body = to_cp1258(html_page("Công đoàn", ARTICLE_TEXT * 3, charset=None))
    d = decode_html(body, "text/html")
    assert d.method == "detected" and d.encoding == "cp1258"
    assert TEXT in d.text


def test_nfd_utf8_becomes_nfc() -> None:
    body = unicodedata.normalize("NFD", html_page("t", ARTICLE_TEXT)).encode()
    d = decode_html(body)
    assert "Công đoàn" in d.text and TEXT in d.text


def test_bom_wins_and_is_removed() -> None:
    d = decode_html(b"\xef\xbb\xbf" + html_page("t", ARTICLE_TEXT, charset="windows-1258").encode(),
                    "text/html; charset=iso-8859-1")
    assert d.method == "bom" and not d.text.startswith("\ufeff") and TEXT in d.text
    d16 = decode_html("\ufeff<p>Công đoàn</p>".encode("utf-16-le"))
    assert d16.method == "bom" and "Công đoàn" in d16.text


def test_latin1_header_on_utf8_body_prefers_valid_utf8() -> None:
    d = decode_html(html_page("t", ARTICLE_TEXT, charset=None).encode(), "text/html; charset=ISO-8859-1")
    assert d.encoding == "utf-8" and TEXT in d.text


def test_double_encoded_utf8_is_repaired() -> None:
    page = html_page("t", _mojibake(ARTICLE_TEXT))
    d = decode_html(page.encode("utf-8"), "text/html; charset=utf-8")
    assert d.mojibake_repaired and TEXT in d.text
    mixed = html_page("t", ARTICLE_TEXT + " | " + _mojibake("Đoàn viên công đoàn"))
    d = decode_html(mixed.encode())
    assert d.mojibake_repaired and "Đoàn viên công đoàn" in d.text and TEXT in d.text


def test_unknown_label_and_garbage_fall_back_with_counter() -> None:
    assert codec_for("VISCII") is None and codec_for("x-unknown") is None
    assert codec_for("windows-1258") == "cp1258" and codec_for("latin1") == "cp1252"
    meta = b'<meta http-equiv="Content-Type" content="text/html; charset=TCVN3">'
    assert prescan_meta_charset(meta) == "TCVN3"
    d = decode_html(b'<meta charset="viscii"><p>ok</p>')
    assert d.declared_meta == "viscii" and "ok" in d.text
    d = decode_html(bytes(range(128, 256)) * 4)
    assert d.text  # always some text: detection or utf-8 with replacements
