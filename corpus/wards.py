"""Post-2025 communes and wards, and the pre-2025 province(s) each was made from.

Since 1 July 2025 an address reads "phường Thủ Dầu Một, TP Hồ Chí Minh" or "xã Tân Yên, tỉnh Bắc
Ninh": the new province and a new commune, no district. The pre-2025 province (Bình Dương, Bắc
Giang) is named nowhere, yet it is what a reader filtering by the old 63 provinces expects. This
table answers it from the ``vietnamadminunits`` dataset (MIT; its JSON files are read directly,
without importing the package, whose parsers pull in geometry libraries): for each new province,
each commune or ward by its folded short name, with the GSO codes of the old provinces whose
communes went into it.
"""
from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

__all__ = ["available", "old_provinces_of_ward", "ward_key"]


def ward_key(name: str) -> str:
    """Folded, lower-case, letters and digits only: "Thủ Dầu Một" → "thudaumot"."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]", "", plain)


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return folder if (folder / "converter_2025.json").is_file() else None


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, str], tuple[str, ...]]:
    """(new province code, ward key) → old province codes, sorted."""
    folder = _data_dir()
    if folder is None:
        return {}
    new = json.loads((folder / "parser_from_2025.json").read_text(encoding="utf-8"))
    legacy = json.loads((folder / "parser_legacy.json").read_text(encoding="utf-8"))
    conv = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    new_code = {k: v["provinceCode"] for k, v in new["DICT_PROVINCE"].items()}
    old_code = {k: v["provinceCode"] for k, v in legacy["DICT_PROVINCE"].items()}
    short: dict[tuple[str, str], str] = {}
    for pkey, wards in new["DICT_PROVINCE_WARD_NO_ACCENTED"].items():
        for wkey, info in wards.items():
            short[(pkey, wkey)] = ward_key(info.get("wardShort") or "")
    sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    for pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            for old in olds:
                code = old_code.get(old.split("_", 1)[0])
                if code:
                    sources[(pkey, wkey)].add(code)
    for pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            code = old_code.get(old.split("_", 1)[0])
            for part in parts:
                if code:
                    sources[(pkey, part["newWardKey"])].add(code)
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (pkey, wkey), codes in sources.items():
        name = short.get((pkey, wkey))
        if name and pkey in new_code:
            out[(new_code[pkey], name)] |= codes
    return {k: tuple(sorted(v)) for k, v in out.items()}


def available() -> bool:
    return bool(_table())


def old_provinces_of_ward(new_code: str, name: str) -> tuple[str, ...]:
    """Old province codes a post-2025 commune or ward of ``new_code`` was made from (empty when
    the new province has no such commune, or the dataset is not installed)."""
    return _table().get((new_code, ward_key(name)), ())
