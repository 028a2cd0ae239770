"""The province lists the facet shows: 34 new provinces (2025) or the 63 old ones, plus national.

Taken from ``corpus.gazetteer`` so the web app and the cleaner agree on names.
The facet lists every province, not just those with hits, so a union officer always finds their
own; the old↔new mapping carries a selection across when the scheme is switched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corpus.gazetteer import all_new, all_old, new_province, old_province
from corpus.record import NATIONAL

#: the longest place name a query spells, in syllables ("Bà Rịa - Vũng Tàu")
MAX_NAME_WORDS = 5
_WORD_RE = re.compile(r"[\w.\-]+")


@dataclass(frozen=True)
class PlaceMove:
    """An old province (63) and the new one (34) it merged into on 1 July 2025."""
    old: str
    new: str


@dataclass(frozen=True)
class Resolved:
    """What a ``province=`` filter means: the scheme and names to filter on, the old provinces
    that made it switch to the old scheme, and the values no province is called."""
    scheme: str
    names: tuple[str, ...]
    moves: tuple[PlaceMove, ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    new: tuple[str, ...]                       # 34 names, in the file's (north → south) order
    old: tuple[str, ...]                       # 63 names
    labels: dict[str, str]                     # new name → "TP Hải Phòng (gồm Hải Dương cũ)"
    new_to_old: dict[str, tuple[str, ...]]
    old_to_new: dict[str, tuple[str, ...]]

    def names(self, scheme: str) -> tuple[str, ...]:
        """All names of a scheme, national first."""
        return (NATIONAL, *(self.old if scheme == "old" else self.new))

    def known(self) -> dict[str, frozenset[str]]:
        return {"new": frozenset(self.names("new")), "old": frozenset(self.names("old"))}

    def resolve(self, names: tuple[str, ...], scheme: str) -> Resolved:
        """Read filter values as users write them: another tone placement (``Thanh Hoá``), an
        alias (``TP.HCM``, ``TT-Huế``), a new name under the old scheme (its old provinces), or
        an old name under the new scheme (``Hải Dương``): then the whole selection is read in
        the old scheme, where that province still exists, and the move is reported."""
        known = set(self.names(scheme))
        kept: list[str] = []
        old_only: list[str] = []
        unknown: list[str] = []
        for name in names:
            new, old = new_province(name), old_province(name)
            if name in known:
                kept.append(name)
            elif scheme == "new" and new is not None and new.name in known:
                kept.append(new.name)
            elif scheme == "new" and old is not None and old.name in self.old_to_new:
                old_only.append(old.name)
            elif scheme == "old" and old is not None and old.name in known:
                kept.append(old.name)
            elif scheme == "old" and new is not None and new.name in self.new_to_old:
                kept.extend(self.new_to_old[new.name])
            else:
                unknown.append(name)
        if scheme == "new" and old_only:
            as_old = [o for n in kept for o in self.mapping("new").get(n, (n,))] + old_only
            return Resolved("old", tuple(sorted(set(as_old))), self.moves(old_only), tuple(unknown))
        return Resolved(scheme, tuple(dict.fromkeys(kept)), (), tuple(unknown))

    def moves(self, old_names: list[str]) -> tuple[PlaceMove, ...]:
        return tuple(PlaceMove(o, self.old_to_new[o][0]) for o in dict.fromkeys(old_names)
                     if o in self.old_to_new and self.old_to_new[o][0] != o)

    def mentioned_moves(self, query: str) -> tuple[PlaceMove, ...]:
        """Old provinces a query names (``Hải Dương``, ``hai duong``, ``BR-VT``) that are part
        of another province now: the page says where they went, with links both ways."""
        words = _WORD_RE.findall(query)
        found: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
                text = " ".join(words[i:i + n])
                old = old_province(text)
                if old is not None and (n > 1 or not text.isalpha() or text.isupper()) \
                        and new_province(text) is None:
                    found.append(old.name)
                    i += n - 1
                    break
            i += 1
        return self.moves(found)

    def mapping(self, from_scheme: str) -> dict[str, tuple[str, ...]]:
        """Names in ``from_scheme`` → names in the other scheme (national maps to itself)."""
        table = self.new_to_old if from_scheme == "new" else self.old_to_new
        return {NATIONAL: (NATIONAL,), **table}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The province lists of ``corpus.gazetteer`` (the names the cleaner assigns)."""
    new, old = all_new(), all_old()
    new_by_code = {p.code: p.name for p in new}
    old_by_code = {p.code: p.name for p in old}
    return Gazetteer(
        new=tuple(p.name for p in new),
        old=tuple(p.name for p in old),
        labels={p.name: p.label or p.name for p in new},
        new_to_old={p.name: tuple(old_by_code[c] for c in p.old_codes if c in old_by_code)
                    for p in new},
        old_to_new={p.name: (new_by_code[p.new_code],) for p in old if p.new_code in new_by_code},
    )
