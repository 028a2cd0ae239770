"""HTML bytes → text, with a record of how the charset was decided.

httpx decodes as UTF-8 when the header names no charset and never reads ``<meta>``; w3lib lets a
lying header beat ``<meta>``. Vietnamese sites serve windows-1258 under a UTF-8 header, NFD text
from "Unicode tổ hợp" keyboards, and UTF-8 read as cp1252 and saved again. So the order is
(the HTML standard's encoding sniffing, §13.2.3, with the strict checks it leaves out):

1. a byte-order mark;
2. the HTTP ``Content-Type`` charset, if the bytes strictly decode with it;
3. a ``<meta charset>`` / ``http-equiv`` prescan of the head, same check;
4. strict UTF-8;
5. charset-normalizer (it picks cp1258 for Vietnamese);
6. UTF-8 with replacement characters (counted).

A declared single-byte Latin charset loses to valid multi-byte UTF-8 (an ``iso-8859-1`` header on
a UTF-8 page is common and latin-1 "decodes" anything). The text is then repaired if it is
double-encoded and put in the project's canonical form (NFC + tone placement, textnorm.canon).
Python has no VISCII, TCVN3 or VNI codec: such labels are skipped, never guessed.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from corpus.textnorm import canon, looks_mojibake, repair_mojibake

__all__ = ["DecodedText", "charset_from_content_type", "codec_for", "decode_html", "prescan_meta_charset"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG maps these labels to windows-1252; utf-16 in a meta tag means utf-8 (it was read as ASCII).
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "x-cp1252": "cp1252", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8",
    "windows-1258": "cp1258", "x-cp1258": "cp1258", "cp-1258": "cp1258",
}
_SINGLE_BYTE_LATIN = frozenset({"cp1252", "latin-1", "iso8859-1", "iso8859-15", "cp1258"})
_META_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([^"';,\s]+)""", re.IGNORECASE)
PRESCAN_BYTES = 4096  # WHATWG says 1024; real pages put a long <title> first


@dataclass(frozen=True)
class DecodedText:
    """Decoded text and its provenance."""

    text: str
    encoding: str  # Python codec used
    method: str  # bom | header | meta | utf-8 | detected | fallback
    declared_header: str | None = None
    declared_meta: str | None = None
    replacements: int = 0  # U+FFFD introduced by a lossy fallback
    mojibake_repaired: bool = False


def codec_for(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when Python has no such codec."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _LABEL_ALIASES.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The raw ``charset=`` label of a Content-Type header value."""
    if not content_type:
        return None
    m = _CHARSET_PARAM.search(content_type)
    return m.group(1) if m else None


def prescan_meta_charset(body: bytes, limit: int = PRESCAN_BYTES) -> str | None:
    """The charset label of the first ``<meta charset>`` / ``http-equiv`` in the head."""
    m = _META_RE.search(body[:limit])
    return m.group(1).decode("ascii", "replace") if m else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _valid_multibyte_utf8(body: bytes) -> str | None:
    if body.isascii():
        return None
    return _strict(body, "utf-8")


def _detect(body: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    for match in from_bytes(body):
        codec = codec_for(match.encoding)
        if codec is None:  # e.g. a label Python cannot decode
            continue
        text = _strict(body, codec)
        if text is not None:
            return text, codec
    return None


def _byte_char(b: int) -> str:
    """The character a byte becomes when UTF-8 is misread as cp1252 (latin-1 for its holes)."""
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


_CONT = "".join(re.escape(_byte_char(b)) for b in range(0x80, 0xC0))
_SEQ_RE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
)
_CHAR_BYTE = {_byte_char(b): b for b in range(0x80, 0x100)}


def _fix_sequence(m: re.Match[str]) -> str:
    chunk = m.group(0)
    try:
        return bytes(_CHAR_BYTE[c] for c in chunk).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return chunk


def _repair(text: str) -> tuple[str, bool]:
    """Undo UTF-8-read-as-cp1252: whole text first, else sequence by sequence (mixed pages)."""
    if not looks_mojibake(text):
        return text, False
    fixed = repair_mojibake(text)
    if fixed == text:
        fixed = _SEQ_RE.sub(_fix_sequence, text)
    return fixed, fixed != text


def decode_html(body: bytes, content_type: str | None = None, *, canonical: bool = True) -> DecodedText:
    """Decode an HTML (or XML) body; ``content_type`` is the HTTP header value, if any.

    ``canonical=False`` stops at NFC, without the tone-mark placement of :func:`textnorm.canon`
    (the crawler reads links and titles only, and that regex over a whole page is a tenth of its
    time per page).
    """
    header_label = charset_from_content_type(content_type)
    meta_label = prescan_meta_charset(body)
    text: str | None = None
    codec, method = "utf-8", "fallback"
    for bom, name in _BOMS:
        if body.startswith(bom):
            text = _strict(body, name)
            if text is not None:
                text, codec, method = text.lstrip("\ufeff"), name, "bom"
            break
    if text is None:
        for label, how in ((header_label, "header"), (meta_label, "meta")):
            candidate = codec_for(label)
            if candidate is None:
                continue
            if how == "meta" and candidate.startswith("utf-16"):
                candidate = "utf-8"
            decoded = _strict(body, candidate)
            if decoded is None:
                continue
            if candidate in _SINGLE_BYTE_LATIN:
                utf8 = _valid_multibyte_utf8(body)
                if utf8 is not None:
                    decoded, candidate, how = utf8, "utf-8", "utf-8"
            text, codec, method = decoded, candidate, how
            break
    if text is None:
        text = _strict(body, "utf-8")
        if text is not None:
            codec, method = "utf-8", "utf-8"
    if text is None:
        found = _detect(body)
        if found is not None:
            text, codec = found
            method = "detected"
    replacements = 0
    if text is None:
        text = body.decode("utf-8", errors="replace")
        codec, method = "utf-8", "fallback"
        replacements = text.count("\ufffd")
    text, repaired = _repair(text)
    return DecodedText(
        text=canon(text) if canonical else unicodedata.normalize("NFC", text),
        encoding=codec,
        method=method,
        declared_header=header_label,
        declared_meta=meta_label,
        replacements=replacements,
        mojibake_repaired=repaired,
    )
