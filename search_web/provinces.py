"""The province lists the facet shows: 34 new provinces (2025) or the 63 old ones, plus national.

Taken from ``corpus.gazetteer`` so the web app and the cleaner agree on names.
The facet lists every province, not just those with hits, so a union officer always finds their
own; the old↔new mapping carries a selection across when the scheme is switched.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from corpus.gazetteer import all_new, all_old
from corpus.record import NATIONAL


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
