"""Text repair before extraction: mojibake, also when only part of a page is damaged.

``corpus.textnorm.repair_mojibake`` undoes one round of UTF-8-read-as-cp1252 on a whole text; it
gives up when the page also holds correct Vietnamese (a template in UTF-8 around an article
body pasted from a mis-decoded source, or a header that was re-encoded). Here each run of
cp1252-representable characters that carries the mojibake signature is repaired on its own.
NFC and the one tone-mark placement are applied later, per field, by ``textnorm.tidy``.
"""
from __future__ import annotations

import re
import unicodedata

from corpus.textnorm import looks_mojibake, repair_mojibake

# The characters cp1252 maps to bytes 0x80–0x9F, and every char of latin-1.
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_RUN_RE = re.compile("[\u0000-\u00ff" + re.escape(_CP1252_HIGH) + "]+")
_SIGNATURE_RE = re.compile("[ÃÄÆáâ][\u0080-\u00bf" + re.escape(_CP1252_HIGH) + "]")


def _to_bytes(run: str) -> bytes | None:
    out = bytearray()
    for ch in run:
        if ord(ch) < 256:
            out.append(ord(ch))
        else:
            try:
                out += ch.encode("cp1252")
            except UnicodeEncodeError:
                return None
    return bytes(out)


def _repair_run(m: re.Match[str]) -> str:
    run = m.group(0)
    if not _SIGNATURE_RE.search(run):
        return run
    raw = _to_bytes(run)
    if raw is None:
        return run
    try:
        fixed = raw.decode("utf-8")
    except UnicodeDecodeError:
        return run
    return fixed


def repair_text(text: str) -> str:
    """NFC, then mojibake undone: on the whole text when it all decodes, else run by run."""
    text = unicodedata.normalize("NFC", text)
    if not looks_mojibake(text):
        return text
    whole = repair_mojibake(text)
    if whole != text:
        return whole
    return _RUN_RE.sub(_repair_run, text)


# -- legacy 8-bit font encodings ----------------------------------------------------------------
# Before Unicode, Vietnamese pages were typed in font encodings: TCVN3 (ABC, the ".VnTime"
# fonts: one byte per accented letter) and VNI (a base letter followed by a mark byte). Read as
# windows-1252 they look like "Ninh B×nh" and "Ninh Bình" never reaches the index. TCVN3 maps one
# character to one letter (TCVN 5712:1993, VN3 lower-case range, A0–FF), so it is converted;
# VNI's two-byte sequences are ambiguous with real Latin-1 text, so a VNI page is refused with
# its reason rather than indexed garbled.

_TCVN3 = dict(zip(
    "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìî"
    "ïóñòô\xadõøö÷ùúýûüþ¡¢§£¤¥¦",
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợ"
    "ùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"))
_TCVN3_TABLE = str.maketrans(_TCVN3)
#: TCVN3 code points that are not themselves Vietnamese letters in Unicode (so their presence
#: between ASCII letters gives the encoding away).
_TCVN3_TELL = re.compile("[a-zA-Z][µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞß«åæçé¬ëîïñ\xadø÷ûüþ]"
                         "|[µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞß«åæçé¬ëîïñ\xadø÷ûüþ][a-z]")
_VIETNAMESE_ONLY = re.compile("[ăắằẳẵặấầẩẫậđếềểễệỉịốồổỗộơớờởỡợủụưứừửữựỳỷỹỵạảẹẻẽọỏ]", re.I)
_VNI_TELL = re.compile(r"[aeiouy][øùûõïöôñ]|ö[ôo]|[ñÑ][aeiouô]|ie[äá]", re.I)
_VNI_FONT = re.compile(r"font-family[^;>\"']*\bvni[- ]|face=[\"']?vni[- ]", re.I)


def legacy_encoding(text: str) -> str:
    """"tcvn3", "vni" or "" for a page's text."""
    sample = text if len(text) <= 400_000 else text[:200_000] + text[-200_000:]
    native = len(_VIETNAMESE_ONLY.findall(sample))
    tcvn = len(_TCVN3_TELL.findall(sample))
    vni = len(_VNI_TELL.findall(sample))
    if vni >= 20 and vni > 3 * native and (vni > tcvn or _VNI_FONT.search(sample)):
        return "vni"
    if tcvn >= 20 and tcvn > 3 * native:
        return "tcvn3"
    return ""


def tcvn3_to_unicode(text: str) -> str:
    """TCVN3 (ABC) text read as windows-1252 → Unicode (NFC)."""
    return unicodedata.normalize("NFC", text.translate(_TCVN3_TABLE))
