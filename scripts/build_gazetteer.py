#!/usr/bin/env python3
"""Freeze the province/district tables of ``vietnamadminunits`` into the project's TSV files.

The project reads only ``corpus/data/*.tsv`` at run time; the package is a build-time tool (its
address parser is unsafe on running text and its import pulls shapely/geopy). Run this after a
package upgrade and review the diff::

    .venv/bin/python scripts/build_gazetteer.py            # writes corpus/data/*.tsv
    .venv/bin/python scripts/build_gazetteer.py --check    # exit 1 if the files would change

Everything the package does not know (common short names, aliases, the pre-2025 name of Huế,
districts dissolved before the package's snapshot) is an explicit override below, with a reason.
The 2025 merger table is checked against the one in the project notes (GSO codes).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.textnorm import canon  # noqa: E402

OUT_DIR = ROOT / "corpus" / "data"

# New (34) code -> old (63) codes, Nghị quyết 202/2025/QH15 as tabulated in the notes
# (vietnamese.md §4, GSO codes). The package must agree; where it does not, this table wins.
EXPECTED_MERGER: dict[str, tuple[str, ...]] = {
    "01": ("01",), "04": ("04",), "11": ("11",), "12": ("12",), "14": ("14",), "20": ("20",),
    "22": ("22",), "38": ("38",), "40": ("40",), "42": ("42",), "46": ("46",),
    "08": ("02", "08"), "15": ("10", "15"), "19": ("06", "19"), "24": ("24", "27"),
    "25": ("17", "25", "26"), "31": ("30", "31"), "33": ("33", "34"), "37": ("35", "36", "37"),
    "44": ("44", "45"), "48": ("48", "49"), "92": ("92", "93", "94"), "96": ("95", "96"),
    "51": ("51", "62"), "52": ("52", "64"), "56": ("56", "58"), "66": ("54", "66"),
    "68": ("60", "67", "68"), "75": ("70", "75"), "79": ("74", "77", "79"), "80": ("72", "80"),
    # Tiền Giang goes to Đồng Tháp only (vietnam-provinces also lists it under Tây Ninh).
    "82": ("82", "87"), "86": ("83", "84", "86"), "91": ("89", "91"),
}

# Old code -> (short name, full name) where the package's snapshot is not the pre-merger name:
# the package already calls 46 "Thành phố Huế" (a city since early 2025), but the corpus is
# mostly older and says "Thừa Thiên Huế".
OLD_NAME_OVERRIDES: dict[str, tuple[str, str]] = {
    "46": ("Thừa Thiên Huế", "tỉnh Thừa Thiên Huế"),
}

# Bare-text aliases (spelling variants, abbreviations). Unit-prefixed forms ("tỉnh X", "TP X")
# are handled by the matcher, so they are listed only where a form is common as a fixed string.
OLD_ALIASES: dict[str, tuple[str, ...]] = {
    "06": ("Bắc Cạn",),
    "46": ("TT-Huế", "TT.Huế", "Thừa Thiên - Huế", "Huế"),
    "62": ("Kontum",),
    "66": ("Đắc Lắc", "Đăk Lăk", "Đắk Lăk", "Daklak"),
    "67": ("Đăk Nông", "Đắc Nông"),
    "77": ("BR-VT", "BRVT", "Bà Rịa Vũng Tàu", "Vũng Tàu"),
    "79": ("TP.HCM", "TPHCM", "TP HCM", "TP. HCM", "Tp.HCM", "TP Hồ Chí Minh", "TP. Hồ Chí Minh",
           "HCM", "Sài Gòn"),
}

# Names/aliases that count only after a unit word ("TP.", "thành phố", "tỉnh", "Thành ủy"):
# bare "Hồ Chí Minh" is usually the person (tư tưởng / Chủ tịch / Đoàn TNCS Hồ Chí Minh),
# bare "Huế" is the university, the cuisine or a byline ("Thanh Huê" folds to "hue").
UNIT_ONLY: dict[str, tuple[str, ...]] = {
    "46": ("Huế",),
    "79": ("Hồ Chí Minh", "HCM"),
}

# New code -> extra aliases: Huế keeps its old names as aliases (same unit, same code).
NEW_EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "46": ("Thừa Thiên Huế", "TT-Huế", "TT.Huế", "Thừa Thiên - Huế"),
}

# Districts dissolved before the package's snapshot but frequent in 2016-2024 news.
EXTRA_DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("2", "quận", "79"),         # merged into TP Thủ Đức, 1 Jan 2021
    ("9", "quận", "79"),         # merged into TP Thủ Đức, 1 Jan 2021
    ("Hoành Bồ", "huyện", "22"),  # merged into TP Hạ Long, 1 Jan 2020
)


def package_data_dir() -> Path:
    """Locate the installed package's data folder without importing it (its import is heavy)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("vietnamadminunits is not installed (pip install vietnamadminunits==1.0.4)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def lower_unit(full: str) -> str:
    """'Tỉnh Thanh Hóa' -> 'tỉnh Thanh Hóa', 'Thành phố Huế' -> 'thành phố Huế'."""
    for unit in ("Thành phố ", "Thành Phố ", "Tỉnh "):
        if full.startswith(unit):
            return unit.lower() + full[len(unit):]
    return full


def load_old(db: sqlite3.Connection) -> dict[str, dict[str, str]]:
    rows = db.execute(
        "SELECT DISTINCT provinceCode, provinceShort, province, provinceKey FROM admin_units_legacy"
    ).fetchall()
    out = {}
    for code, short, full, key in rows:
        name, full_name = OLD_NAME_OVERRIDES.get(code, (short, lower_unit(full)))
        out[code] = {"name": canon(name), "full_name": canon(full_name), "key": key}
    return out


def load_new(db: sqlite3.Connection) -> dict[str, dict[str, str]]:
    rows = db.execute(
        "SELECT DISTINCT provinceCode, provinceShort, province, provinceKey FROM admin_units"
    ).fetchall()
    return {code: {"name": canon(s), "full_name": canon(lower_unit(f)), "key": k}
            for code, s, f, k in rows}


def load_districts(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
    rows = db.execute(
        "SELECT DISTINCT districtShort, districtType, provinceCode, districtCode "
        "FROM admin_units_legacy ORDER BY provinceCode, districtCode"
    ).fetchall()
    out = []
    for short, unit, pcode, _ in rows:
        unit = unit.lower()
        name = short[len("Quận "):] if short.startswith("Quận ") else short  # "Quận 1" -> "1"
        out.append((canon(name), canon(unit), pcode))
    out.extend(EXTRA_DISTRICTS)
    return out


def package_merger(data_dir: Path, old: dict, new: dict) -> dict[str, tuple[str, ...]]:
    """New code -> old codes as the package's converter_2025.json states them."""
    conv = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    old_by_key = {v["key"]: c for c, v in old.items()}
    new_by_key = {v["key"]: c for c, v in new.items()}
    return {new_by_key[nk]: tuple(sorted(old_by_key[ok] for ok in oks)) for nk, oks in conv.items()}


def checked_merger(pkg: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Compare with EXPECTED_MERGER; report and override every disagreement."""
    for code in sorted(set(pkg) | set(EXPECTED_MERGER)):
        if pkg.get(code) != EXPECTED_MERGER.get(code):
            print(f"override: new {code}: package {pkg.get(code)} -> notes {EXPECTED_MERGER.get(code)}",
                  file=sys.stderr)
    merged = dict(EXPECTED_MERGER)
    assert len(merged) == 34 and sum(len(v) for v in merged.values()) == 63
    return merged


def join(items: tuple[str, ...] | list[str]) -> str:
    return ";".join(canon(i) for i in items)


def new_label(code: str, name: str, full_name: str, old_names: list[tuple[str, str]]) -> str:
    """'TP Hải Phòng (gồm Hải Dương cũ)', 'Thanh Hóa', 'TP Huế (Thừa Thiên Huế cũ)'."""
    prefix = "TP " if full_name.startswith("thành phố") else ""
    others = [n for c, n in old_names if n != name]
    if not others:
        return prefix + name
    same_named = any(n == name for _, n in old_names)
    inner = ", ".join(others) + " cũ"
    return f"{prefix}{name} ({'gồm ' if same_named else ''}{inner})"


def render(header: list[str], rows: list[list[str]]) -> str:
    lines = ["\t".join(header)]
    for row in rows:
        assert all("\t" not in f and "\n" not in f for f in row), row
        lines.append("\t".join(canon(f) for f in row))
    return "\n".join(lines) + "\n"


def build(data_dir: Path) -> dict[str, str]:
    db = sqlite3.connect(data_dir / "dataset.db")
    old, new = load_old(db), load_new(db)
    districts = load_districts(db)
    assert len(old) == 63 and len(new) == 34, (len(old), len(new))
    merger = checked_merger(package_merger(data_dir, old, new))
    old_to_new = {o: n for n, olds in merger.items() for o in olds}

    old_rows = [[c, old[c]["name"], old[c]["full_name"], join(OLD_ALIASES.get(c, ())), old_to_new[c],
                 join(UNIT_ONLY.get(c, ()))] for c in sorted(old)]
    new_rows = []
    for c in sorted(new):
        name, full = new[c]["name"], new[c]["full_name"]
        same = [o for o in merger[c] if old[o]["name"] == name]
        aliases = list(OLD_ALIASES.get(same[0], ())) if same else []
        aliases += [a for a in NEW_EXTRA_ALIASES.get(c, ()) if a not in aliases]
        label = new_label(c, name, full, [(o, old[o]["name"]) for o in merger[c]])
        new_rows.append([c, name, full, label, join(aliases), join(merger[c]), join(UNIT_ONLY.get(c, ()))])
    dist_rows = [[n, u, p] for n, u, p in districts]
    return {
        "provinces_old.tsv": render(["code", "name", "full_name", "aliases", "new_code", "unit_only"],
                                    old_rows),
        "provinces_new.tsv": render(["code", "name", "full_name", "label", "aliases", "old_codes",
                                     "unit_only"], new_rows),
        "districts_old.tsv": render(["name", "unit", "province_code"], dist_rows),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the TSV files are out of date")
    args = ap.parse_args(argv)
    files = build(package_data_dir())
    stale = [n for n, text in files.items()
             if not (OUT_DIR / n).exists() or (OUT_DIR / n).read_text(encoding="utf-8") != text]
    if args.check:
        print("stale: " + ", ".join(stale) if stale else "up to date")
        return 1 if stale else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (OUT_DIR / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {OUT_DIR / name} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
