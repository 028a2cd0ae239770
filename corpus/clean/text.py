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
