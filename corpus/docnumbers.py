"""Document numbers (số hiệu) in canonical form, with their type and issuer.

Staff search for numbers such as ``02-NQ/TW`` (Party style) and ``119/KH-LĐLĐ`` (state and union
style). Pages write them with spaces and markup residue (``02 - NQ/TW``, ``Số: *41* - KH/ThU``);
word segmenters split them into five tokens. So they are found here, by regex, before any
tokenising, and stored whole in their own field.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.textnorm import canon

#: Type codes (longest first so ``NQLT`` wins over ``NQ``, ``CTr`` over ``CT``).
TYPES: dict[str, str] = {
    "NQLT": "Nghị quyết liên tịch", "TTLT": "Thông tư liên tịch", "QĐi": "Quy định",
    "QyĐ": "Quy định", "CTr": "Chương trình", "Ctr": "Chương trình", "TTr": "Tờ trình",
    "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận", "GUQ": "Giấy ủy quyền", "GGT": "Giấy giới thiệu",
    "GNP": "Giấy nghỉ phép", "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị",
    "KL": "Kết luận", "QC": "Quy chế", "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn",
    "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo",
    "BB": "Biên bản", "HĐ": "Hợp đồng", "CĐ": "Công điện", "GM": "Giấy mời", "CV": "Công văn",
    "NĐ": "Nghị định", "TT": "Thông tư", "PL": "Pháp lệnh", "QH": "Luật", "VBHN": "Văn bản hợp nhất",
}
_TYPE_ALT = "|".join(sorted(TYPES, key=len, reverse=True))
# Issuer parts join with a bare "-" (``BNV-VPCP``); a spaced " -" starts something else
# (a query's ``-exclusion``), and a part followed by ":" is a field scope, not an issuer.
_ISSUER = r"[A-ZĐ][A-Za-zĐđ0-9]{0,9}(?:-[A-ZĐ][A-Za-zĐđ0-9]{0,9}){0,3}"
_END = r"(?![\wĐđ:])"

PARTY_RE = re.compile(
    rf"(?<![\w/.-])(\d{{1,5}}[a-z]?)\s*-\s*({_TYPE_ALT})\s*/\s*({_ISSUER}){_END}")
STATE_RE = re.compile(
    rf"(?<![\w/.-])(\d{{1,5}}[a-z]?)\s*/\s*(?:(\d{{4}})\s*/\s*)?({_TYPE_ALT})\s*-\s*({_ISSUER}){_END}")
#: Laws and codes: ``45/2019/QH14``.
LAW_RE = re.compile(r"(?<![\w/.-])(\d{1,5})\s*/\s*(\d{4})\s*/\s*(QH\d{1,2})(?![\w])")


@dataclass(frozen=True)
class DocNumber:
    number: str      # canonical: ``02-NQ/TW``, ``119/KH-LĐLĐ``, ``145/2020/NĐ-CP``
    type: str        # type code: ``NQ``, ``KH``… (``QH`` for laws)
    issuer: str      # ``TW``, ``LĐLĐ``, ``CP``…

    @property
    def type_name(self) -> str:
        return TYPES.get(self.type, self.type)

    @property
    def key(self) -> str:
        """Lower-cased form used as the index token (one token, nothing split)."""
        return self.number.lower()


def _clean(text: str) -> str:
    return canon(text).replace("*", "").replace("\u00a0", " ")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


_PATTERNS = (PARTY_RE, STATE_RE, LAW_RE)
_PATTERNS_CI = tuple(re.compile(p.pattern, re.IGNORECASE) for p in _PATTERNS)
_TYPE_BY_LOWER = {code.lower(): code for code in TYPES}


def clean_for_numbers(text: str) -> str:
    """The text that :func:`iter_doc_numbers` spans refer to (NFC, canon, markup ``*`` gone)."""
    return _clean(text)


def iter_doc_numbers(text: str, *, ignore_case: bool = False
                     ) -> Iterator[tuple[int, int, DocNumber]]:
    """(start, end, number) for every match in ``clean_for_numbers(text)``, in text order.

    ``ignore_case`` is for queries (``02-nq/tw``); page text keeps case so ``CT`` ≠ ``CTr``.
    """
    text = _clean(text)
    party, state, law = _PATTERNS_CI if ignore_case else _PATTERNS
    found: list[tuple[int, int, DocNumber]] = []
    for m in party.finditer(text):
        num, typ, issuer = m.group(1), m.group(2), _squash(m.group(3))
        found.append((m.start(), m.end(),
                      DocNumber(f"{num}-{typ}/{issuer}", _norm_type(typ), issuer)))
    for m in state.finditer(text):
        num, year, typ, issuer = m.group(1), m.group(2), m.group(3), _squash(m.group(4))
        mid = f"{year}/" if year else ""
        found.append((m.start(), m.end(),
                      DocNumber(f"{num}/{mid}{typ}-{issuer}", _norm_type(typ), issuer)))
    for m in law.finditer(text):
        found.append((m.start(), m.end(), DocNumber(
            f"{m.group(1)}/{m.group(2)}/{m.group(3).upper()}", "QH", m.group(3).upper())))
    found.sort(key=lambda t: t[0])
    last_end = -1
    for start, end, dn in found:
        if start >= last_end:          # overlapping matches: the first one wins
            last_end = end
            yield start, end, dn


def find_doc_numbers(text: str, *, ignore_case: bool = False) -> list[DocNumber]:
    """Every document number in ``text``, canonical, de-duplicated, in order of appearance."""
    seen: set[str] = set()
    out: list[DocNumber] = []
    for _, _, dn in iter_doc_numbers(text, ignore_case=ignore_case):
        if dn.key not in seen:
            seen.add(dn.key)
            out.append(dn)
    return out


def _norm_type(code: str) -> str:
    code = _TYPE_BY_LOWER.get(code.lower(), code)
    return "CTr" if code == "Ctr" else code


def parse_doc_number(query: str) -> DocNumber | None:
    """The document number a whole query string is, or None (routes number-like queries)."""
    text = _clean(query)
    spans = list(iter_doc_numbers(text, ignore_case=True))
    if len(spans) != 1:
        return None
    start, end, dn = spans[0]
    rest = text[:start] + text[end:]
    return None if re.sub(r"[\s\"'“”:,.;]|số|so", "", rest, flags=re.I) else dn
