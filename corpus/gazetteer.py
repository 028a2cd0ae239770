"""Province gazetteer: the 63 pre-merger and 34 post-merger provinces, and a matcher for articles.

Every document carries its old (63) and new (34) province, or ``Toàn quốc`` when it is national
(Vietnam merged 63 provinces into 34 on 1 July 2025). Tables come from ``corpus/data/*.tsv``,
frozen from vietnamadminunits 1.0.4 by ``scripts/build_gazetteer.py``; this module only reads them.

:func:`detect_province` matches names with diacritics kept (after :func:`canon`), because folding
turns bylines and common words into places (``Thanh Huê`` → ``hue``). Province names match bare
(Title Case or ALL CAPS, word-bounded, not after a surname), district names only after a unit word
(``huyện``, ``thị xã``, ``TP.``, ``Thành ủy``…), ``Hồ Chí Minh``/``Huế`` only after a unit word.
Mentions vote: title ×4, sapo ×3, the first 400 characters of the body ×2, the rest ×1.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from corpus.record import NATIONAL
from corpus.textnorm import canon, fold

DATA_DIR = Path(__file__).resolve().parent / "data"

# Voting weights and decision thresholds (see detect_province).
TITLE_W, SAPO_W, LEAD_W, REST_W = 4.0, 3.0, 2.0, 1.0
LEAD_CHARS = 400
HINT_PRIOR = 1.5      # the source's own province: breaks near-ties, never wins alone
MIN_SCORE = 2.0       # one mention deep in the body is not enough to make an article local
MARGIN_ABS, MARGIN_REL = 1.0, 0.2   # closer than max(1, 20 % of the top) is "no clear winner"

# Longer names that begin or end with a province name but are something else; matched first so
# the province inside them does not vote (pre-1991 combined provinces, the Pacific Ocean).
_BLOCKERS = ("Thái Bình Dương", "Hà Nam Ninh", "Hà Nam Định", "Gia Lai - Kon Tum")

# A Title-Case word right before a bare province name that makes it a person's name
# ("Nguyễn Thái Bình", "Lê Thanh Hóa", "Phạm Hà Giang"): common surnames and middle names.
_PERSON_WORDS = frozenset(w.casefold() for w in (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào Trịnh "
    "Lương Mai Lưu Tạ Tô Cao Chu Quách Kiều Thái Vương Hà Lâm Văn Thị Hữu Đức Đình Ngọc Xuân "
    "Thanh Quang Bá Trọng Kim Tuấn Mạnh Huy Thu Diệu").split())

# Unit words (matched lower case, Capitalised, Title Case or UPPER) and the unit kind they name.
_UNITS = {
    "tỉnh ủy": "province", "tỉnh": "province",
    "thành phố": "city", "thành ủy": "city", "tp": "city",
    "huyện ủy": "district", "huyện": "district", "quận ủy": "district", "quận": "district",
    "thị xã": "district", "thị ủy": "district", "tx": "district",
}
# Unit word -> district type it names, to split same-named districts ("huyện Hòa Bình" ≠ TP).
_UNIT_TYPE = {"huyện ủy": "huyện", "huyện": "huyện", "quận ủy": "quận", "quận": "quận",
              "thị xã": "thị xã", "thị ủy": "thị xã", "tx": "thị xã",
              "thành phố": "thành phố", "thành ủy": "thành phố", "tp": "thành phố"}

_OLD_MARK = re.compile(r"[^\S\n]*\(?[^\S\n]*(?:cũ|trước sáp nhập)(?!\w)")
_POST_MERGER = re.compile(r"[Ss]au (?:khi )?(?:sáp nhập|hợp nhất)")
# Where canon() would move a tone mark (its _TONE keys, not after q, syllable-final).
_TONE_PROBE = re.compile(r"(?<!q)(?:o[áàảãạéèẻẽẹ]|u[ýỳỷỹỵ])(?![a-zà-ỹđ])")
_PREV_WORD = re.compile(r"(\w+)[^\S\n]+$")
_DASHES = ("–", "—", "‐", "‑", "−")
_LINE_TRIM = " \t.,;:-()\"'“”"


@dataclass(frozen=True)
class Province:
    """One province of either scheme; codes are GSO codes and are only unique within a scheme."""

    code: str
    name: str                       # short common name: "Thanh Hóa", "Bà Rịa - Vũng Tàu"
    full_name: str                  # "tỉnh Thanh Hóa", "thành phố Hồ Chí Minh"
    aliases: tuple[str, ...]        # bare-text variants: "TP.HCM", "BR-VT", "TT-Huế"
    scheme: str                     # "old" (63, before 1 July 2025) or "new" (34)
    new_code: str                   # old: the new province it merged into; new: its own code
    old_codes: tuple[str, ...]      # new: the old provinces it is made of; old: (code,)
    label: str                      # UI facet label (new): "TP Hải Phòng (gồm Hải Dương cũ)"; old: name
    unit_only: tuple[str, ...] = ()  # names that count only after a unit word ("Hồ Chí Minh")


@dataclass(frozen=True)
class District:
    """A pre-2025 district-level unit (abolished with the merger); used only as evidence."""

    name: str            # without the unit word: "Kinh Môn", "Đà Lạt", "1" (Quận 1)
    unit: str            # huyện / thị xã / thành phố / quận
    province_code: str   # old (63) code


@dataclass
class ProvinceGuess:
    """Result of :func:`detect_province`; national items have empty codes and ``Toàn quốc``."""

    old_code: str = ""
    old_name: str = NATIONAL
    new_code: str = ""
    new_name: str = NATIONAL
    scheme: str = ""          # "old": pre-merger wording, "new": post-merger wording, "": unclear
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)

    @property
    def is_national(self) -> bool:
        return not self.new_code


# ---------------------------------------------------------------- tables


def _dashes(text: str) -> str:
    """En/em dashes as '-' (one character each, so match offsets stay valid)."""
    for d in _DASHES:
        if d in text:
            text = text.replace(d, "-")
    return text


def _canon(text: str) -> str:
    """:func:`canon`, skipped when it would change nothing. Cleaned text is canonical already and
    canon()'s case-insensitive tone regex costs ~0.2 ms/kB; this case-sensitive probe on the
    lower-cased text finds the same spots several times faster."""
    if unicodedata.is_normalized("NFC", text) and not _TONE_PROBE.search(text.lower()):
        return text
    return canon(text)


def _read_tsv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(canon(v) for v in (value or "").split(";") if v)


def _key(text: str) -> str:
    """Lookup key: canon, case-folded, one spelling of spaces around '-' and '.'."""
    text = _dashes(canon(text)).casefold()
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\.\s*", ".", text)
    return " ".join(text.split())


def _strip_unit(text: str) -> str:
    return re.sub(r"(?i)^(?:tỉnh|thành phố|tp\.?)\s*", "", canon(text).strip())


@dataclass(frozen=True)
class _Tables:
    old: dict[str, Province]
    new: dict[str, Province]
    districts: tuple[District, ...]
    old_index: dict[str, str]       # _key(name/full_name/alias) -> old code
    new_index: dict[str, str]


def _index(provinces: dict[str, Province]) -> dict[str, str]:
    index: dict[str, str] = {}
    for p in provinces.values():
        for n in (p.name, p.full_name, *p.aliases):
            index.setdefault(_key(n), p.code)
            index.setdefault(_key(_strip_unit(n)), p.code)
    return index


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    old = {}
    for r in _read_tsv("provinces_old.tsv"):
        old[r["code"]] = Province(r["code"], canon(r["name"]), canon(r["full_name"]), _split(r["aliases"]),
                                  "old", r["new_code"], (r["code"],), canon(r["name"]),
                                  _split(r.get("unit_only")))
    new = {}
    for r in _read_tsv("provinces_new.tsv"):
        new[r["code"]] = Province(r["code"], canon(r["name"]), canon(r["full_name"]), _split(r["aliases"]),
                                  "new", r["code"], _split(r["old_codes"]), canon(r["label"]),
                                  _split(r.get("unit_only")))
    districts = tuple(District(canon(r["name"]), canon(r["unit"]), r["province_code"])
                      for r in _read_tsv("districts_old.tsv"))
    return _Tables(old, new, districts, _index(old), _index(new))


def _lookup(code_or_name: str | int, table: dict[str, Province], index: dict[str, str]) -> Province | None:
    text = str(code_or_name).strip()
    if text.isdigit():
        return table.get(text.zfill(2))
    code = index.get(_key(text)) or index.get(_key(_strip_unit(text)))
    if code is None:   # typed without diacritics: accept only an unambiguous folded match
        folded = fold(_key(_strip_unit(text)))
        hits = {c for k, c in index.items() if fold(k) == folded}
        code = hits.pop() if len(hits) == 1 else None
    return table.get(code) if code else None


def old_province(code_or_name: str | int) -> Province | None:
    """One of the 63 pre-merger provinces by GSO code, name, full name or alias; None if unknown."""
    t = _tables()
    return _lookup(code_or_name, t.old, t.old_index)


def new_province(code_or_name: str | int) -> Province | None:
    """One of the 34 post-merger provinces by code, name, full name or alias; None if unknown.

    Old-only names ("Hải Dương") return None: use ``old_to_new`` for those.
    """
    t = _tables()
    return _lookup(code_or_name, t.new, t.new_index)


def old_to_new(old_code: str | int) -> str:
    """The new (34) code an old (63) province merged into; accepts an old name too."""
    p = old_province(old_code)
    if p is None:
        raise KeyError(f"unknown old province: {old_code!r}")
    return p.new_code


def all_old() -> tuple[Province, ...]:
    """The 63 pre-merger provinces, by code."""
    return tuple(p for _, p in sorted(_tables().old.items()))


def all_new() -> tuple[Province, ...]:
    """The 34 post-merger provinces, by code."""
    return tuple(p for _, p in sorted(_tables().new.items()))


def all_districts() -> tuple[District, ...]:
    """The pre-2025 district-level units (696 from the package plus a few dissolved earlier)."""
    return _tables().districts


# ---------------------------------------------------------------- matcher


@dataclass(frozen=True)
class _Surface:
    old_code: str        # "" for blockers
    unit_only: bool
    new_scheme: bool     # the surface also names a post-merger province (not evidence of old wording)


@dataclass(frozen=True)
class _Matcher:
    unit_re: re.Pattern[str]
    bare_re: re.Pattern[str]
    provinces: dict[str, _Surface]
    districts: dict[str, tuple[District, ...]]


def _tokens(surface: str) -> list[str]:
    """A surface as regex atoms: one per character, flexible spacing around '-', '.' and spaces."""
    out = []
    for part in re.split(r"(\s*-\s*|\.\s*|\s+)", surface):
        if not part:
            continue
        if "-" in part:
            out.append(r"[^\S\n]*-[^\S\n]*")
        elif "." in part:
            out.append(r"\.[^\S\n]*")
        elif part.isspace():
            out.append(r"[^\S\n]+")
        else:
            out.extend(re.escape(c) for c in part)
    return out


def _trie_regex(node: dict) -> str:
    """Alternation from a trie of atoms: one branch per first character keeps matching ~O(n)."""
    end = "" in node
    branches = [atom + _trie_regex(child) for atom, child in sorted(node.items()) if atom]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if end else body


def _case_variants(words: str) -> set[str]:
    """'thành phố' -> thành phố, Thành phố, Thành Phố, THÀNH PHỐ (a trie beats re.IGNORECASE)."""
    first = words[:1].upper() + words[1:]
    return {words, first, words.title(), words.upper()}


def _alternation(surfaces: set[str], upper: bool = True) -> str:
    """Regex for the surfaces as written (and in ALL CAPS); longest match wins (greedy trie)."""
    trie: dict = {}
    for surface in {v for s in surfaces for v in ((s, s.upper()) if upper else (s,))}:
        node = trie
        for atom in _tokens(surface):
            node = node.setdefault(atom, {})
        node[""] = {}
    return "(?:" + _trie_regex(trie) + ")"


def _province_surfaces(t: _Tables) -> dict[str, _Surface]:
    new_keys = {_key(n) for p in t.new.values() for n in (p.name, *p.aliases)}
    out: dict[str, _Surface] = {}
    for p in t.old.values():
        only = {_key(u) for u in p.unit_only}
        for n in (p.name, *p.aliases):
            out.setdefault(_key(n), _Surface(p.code, _key(n) in only, _key(n) in new_keys))
    for p in t.new.values():   # new names map to the same-named old province (all 34 have one)
        target = next((c for c in p.old_codes if t.old[c].name == p.name), p.old_codes[0])
        only = {_key(u) for u in p.unit_only}
        for n in (p.name, *p.aliases):
            out.setdefault(_key(n), _Surface(target, _key(n) in only, True))
    for b in _BLOCKERS:
        out[_key(b)] = _Surface("", False, False)
    return out


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    t = _tables()
    provinces = _province_surfaces(t)
    districts: dict[str, list[District]] = defaultdict(list)
    for d in t.districts:
        districts[_key(d.name)].append(d)
    prov_names = {n for p in (*t.old.values(), *t.new.values()) for n in (p.name, *p.aliases)}
    prov_names |= set(_BLOCKERS)
    units = _alternation({v for u in _UNITS for v in _case_variants(u)}, upper=False)
    names = _alternation(prov_names | {d.name for d in t.districts})
    unit_re = re.compile(rf"(?<!\w)(?P<unit>{units})(?:\.[^\S\n]*|[^\S\n]+)(?P<name>{names})(?!\w)")
    bare_re = re.compile(rf"(?<!\w)(?:{_alternation(prov_names)})(?!\w)")
    return _Matcher(unit_re, bare_re, provinces, {k: tuple(v) for k, v in districts.items()})


@dataclass
class _Mention:
    text: str                    # the matched string, as evidence
    candidates: tuple[str, ...]  # old codes; more than one = ambiguous district
    weight: float
    in_title: bool
    marked_old: bool             # "Bắc Giang cũ", "Bình Dương (cũ)"
    old_wording: bool            # district or old-only province name: pre-merger wording


def _person_before(text: str, start: int) -> bool:
    """True when a surname/middle name precedes: "Nguyễn Thái Bình" is a person."""
    m = _PREV_WORD.search(text, max(0, start - 24), start)
    return bool(m and m.group(1)[0].isupper() and m.group(1).casefold() in _PERSON_WORDS)


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """A bare name that is its whole line is a byline or a menu item, not the article's place."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    line = text[ls:le if le >= 0 else len(text)]
    return line.strip(_LINE_TRIM) == text[start:end]


def _district_candidates(m: _Matcher, name: str, unit: str) -> tuple[str, ...]:
    found = m.districts.get(_key(name), ())
    if name.isdigit() and unit != "quận":
        return ()                                   # "Quận 1", never "TP 1"
    if len(found) > 1:                              # "huyện Hòa Bình" (Bạc Liêu) ≠ "TP Hòa Bình"
        typed = [d for d in found if d.unit == _UNIT_TYPE.get(unit)]
        found = tuple(typed) if len(typed) == 1 else found
    return tuple(sorted({d.province_code for d in found}))


def _classify_unit_match(m: _Matcher, unit: str, name: str) -> tuple[tuple[str, ...], bool] | None:
    """Old-code candidates for "<unit> <name>" and whether it is pre-merger wording."""
    unit = " ".join(unit.casefold().split())
    kind = _UNITS[unit]
    prov = m.provinces.get(_key(name))
    if prov is not None and not prov.old_code:
        return None                                 # a blocker ("tỉnh Hà Nam Ninh")
    dist = _district_candidates(m, name, unit) if kind != "province" else ()
    if prov is not None and (kind != "district" or not dist):
        return (prov.old_code,), not prov.new_scheme
    if dist:
        return dist, True
    return None


def _scan(text: str, weight_at: Callable[[int], float], in_title: bool) -> list[_Mention]:
    """All place mentions in one section; ``weight_at(pos)`` gives the vote weight."""
    m = _matcher()
    text = _dashes(text)
    out: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for hit in m.unit_re.finditer(text):
        res = _classify_unit_match(m, hit.group("unit"), hit.group("name"))
        if res is None:
            continue
        taken.append(hit.span())
        marked = bool(_OLD_MARK.match(text, hit.end()))
        out.append(_Mention(hit.group(0), res[0], weight_at(hit.start()), in_title, marked, res[1]))
    for hit in m.bare_re.finditer(text):
        s, e = hit.span()
        if any(a <= s < b or a < e <= b for a, b in taken):
            continue
        surf = m.provinces.get(_key(hit.group(0)))
        if surf is None or not surf.old_code or surf.unit_only or _person_before(text, s):
            continue
        if not in_title and _alone_on_line(text, s, e):
            continue
        marked = bool(_OLD_MARK.match(text, e))
        out.append(_Mention(hit.group(0), (surf.old_code,), weight_at(s), in_title, marked,
                            not surf.new_scheme))
    return out


def _resolve_ambiguous(mentions: list[_Mention], hint_code: str) -> list[_Mention]:
    """Keep a shared district name ("Châu Thành") only when exactly one candidate is named."""
    named = {c for mt in mentions if len(mt.candidates) == 1 for c in mt.candidates}
    if hint_code:
        named.add(hint_code)
    out = []
    for mt in mentions:
        if len(mt.candidates) > 1:
            hits = [c for c in mt.candidates if c in named]
            if len(hits) != 1:
                continue
            mt.candidates = (hits[0],)
        out.append(mt)
    return out


@dataclass
class _Tally:
    score: float = 0.0
    title: bool = False
    marked: float = 0.0
    evidence: list[str] = field(default_factory=list)

    def add(self, mt: _Mention) -> None:
        self.score += mt.weight
        self.title = self.title or mt.in_title
        self.marked += mt.weight if mt.marked_old else 0.0
        if mt.text not in self.evidence:
            self.evidence.append(mt.text)


def _clear_winner(tallies: dict[str, _Tally]) -> str | None:
    """The only candidate named in the title, else the top score if it is clearly ahead."""
    ranked = sorted(tallies.items(), key=lambda kv: -kv[1].score)
    titled = [kv for kv in ranked if kv[1].title]
    if len(titled) == 1:
        return titled[0][0]
    pool = titled or ranked
    if not pool or pool[0][1].score < MIN_SCORE:
        return None
    if len(pool) > 1:
        top, second = pool[0][1].score, pool[1][1].score
        if top - second < max(MARGIN_ABS, MARGIN_REL * top):
            return None
    return pool[0][0]


def _pick_old(tallies: dict[str, _Tally], new: Province) -> str:
    """Within the winning new province: the one marked "cũ", else the clear winner, else same name."""
    marked = [c for c, t in tallies.items() if t.marked]
    if marked:
        return max(marked, key=lambda c: tallies[c].marked)
    win = _clear_winner(tallies) if len(tallies) > 1 else next(iter(tallies))
    if win:
        return win
    t = _tables()
    best = max(t_.score for t_ in tallies.values())
    tied = [c for c, t_ in tallies.items() if t_.score == best]
    same = [c for c in tied if t.old[c].name == new.name]
    return (same or sorted(tied))[0]


def _hint_code(hint: str | None) -> str:
    if not hint:
        return ""
    p = old_province(hint)
    if p is None and (n := new_province(hint)) is not None:
        p = next((o for c in n.old_codes if (o := old_province(c)) is not None and o.name == n.name), None)
    return p.code if p else ""


def _weights(base: float, lead: float | None = None) -> Callable[[int], float]:
    if lead is None:
        return lambda pos: base
    return lambda pos: lead if pos < LEAD_CHARS else base


def detect_province(title: str, sapo: str = "", body: str = "", hint: str | None = None) -> ProvinceGuess:
    """Guess the article's old (63) and new (34) province, or ``Toàn quốc``.

    Votes: title ×4, sapo ×3, body's first 400 characters ×2, rest ×1. ``hint`` (the source's
    province: an old or new name, or an old code) adds a small prior to a province that is
    mentioned anyway and lets a shared district name resolve to it. No mention, a top score
    below 2, or two new provinces within max(1, 20 %) of each other with no single one in the
    title → national. The old province is the one marked "cũ" if any, else the vote winner
    inside the new province, else the same-named one.
    """
    title, sapo, body = _canon(title or ""), _canon(sapo or ""), _canon(body or "")
    hint_code = _hint_code(hint)
    mentions = (_scan(title, _weights(TITLE_W), True) + _scan(sapo, _weights(SAPO_W), False)
                + _scan(body, _weights(REST_W, LEAD_W), False))
    mentions = _resolve_ambiguous(mentions, hint_code)
    t = _tables()
    by_old: dict[str, _Tally] = defaultdict(_Tally)
    by_new: dict[str, _Tally] = defaultdict(_Tally)
    for mt in mentions:
        code = mt.candidates[0]
        by_old[code].add(mt)
        by_new[t.old[code].new_code].add(mt)
    if hint_code:   # a prior for a province the article names anyway, never a vote of its own
        if hint_code in by_old:
            by_old[hint_code].score += HINT_PRIOR
        if t.old[hint_code].new_code in by_new:
            by_new[t.old[hint_code].new_code].score += HINT_PRIOR
    scheme = _scheme(mentions, title + "\n" + sapo + "\n" + body)
    win = _clear_winner(by_new)
    if win is None:
        evidence = [e for tl in by_new.values() for e in tl.evidence]
        return ProvinceGuess(scheme=scheme, evidence=evidence)
    new = t.new[win]
    olds = {c: tl for c, tl in by_old.items() if t.old[c].new_code == win}
    _ward_votes(olds, new, "\n".join((title, sapo, body)))
    old = t.old[_pick_old(olds, new)]
    return ProvinceGuess(old.code, old.name, new.code, new.name, scheme,
                         round(by_new[win].score, 2), list(by_new[win].evidence))


_WARD_RE = re.compile(r"\b(?:phường|xã|đặc khu|Phường|Xã|Đặc khu)\s+((?:[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ]*)"
                      r"(?:[^\S\n]+[A-ZĐÀ-Ỹ0-9][\wÀ-ỹ]*){0,3})")


def _ward_votes(olds: dict[str, _Tally], new: Province, text: str) -> None:
    """A post-2025 commune of the winning new province ("xã Tân Yên, tỉnh Bắc Ninh") names the
    old province it was made from (Bắc Giang) as plainly as "(cũ)" would: each such commune
    whose communes all came from one old province marks that province."""
    from corpus.wards import old_provinces_of_ward
    for m in _WARD_RE.finditer(text):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            codes = old_provinces_of_ward(new.code, " ".join(words[:n]))
            if codes:
                if len(codes) == 1 and codes[0] in new.old_codes:
                    tally = olds.setdefault(codes[0], _Tally())
                    tally.marked += 1.0
                    tally.evidence.append(m.group(0))
                break


def _scheme(mentions: list[_Mention], text: str) -> str:
    """"new" for post-merger wording ("(cũ)", "sau sáp nhập"), "old" for districts/old-only names."""
    if any(mt.marked_old for mt in mentions):
        return "new"
    if "cũ)" in text or "(mới)" in text:
        return "new"
    if ("sáp nhập" in text or "hợp nhất" in text) and _POST_MERGER.search(text):
        return "new"
    if any(mt.old_wording for mt in mentions):
        return "old"
    return ""
