"""Abbreviation synonyms (``indexer/data/synonyms.tsv``), found in a query's words.

Union news writes the same thing both ways (``NLĐ``/``người lao động``, ``LĐLĐ``/``Liên đoàn Lao
động``), often in one article but not always, so a query in either form must find both. The table
is data: one group per line, items separated by TAB, the first canonical. Items are matched on
folded syllables, so ``nguoi lao dong`` and ``nld`` typed without diacritics match too; an item
of two letters or fewer (``TW``, ``TƯ``) only when typed in capitals, since ``tu`` or ``cd`` in
lower case are ordinary words (nor are such items added as alternatives: the index keeps no
case).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from corpus.textnorm import fold
from indexer.analysis import syllables_joined

DATA_FILE = Path(__file__).with_name("data") / "synonyms.tsv"
#: Longest item, in syllables (bounds the matching window).
MAX_ITEM = 8


@dataclass(frozen=True)
class Item:
    syllables: tuple[str, ...]       # canonical lower-case, accents kept
    joined: tuple[bool, ...]         # per syllable: forms a bigram with the previous one
    folded: tuple[str, ...]
    needs_caps: bool                 # short abbreviation: match only as typed in capitals


@dataclass(frozen=True)
class SynonymMatch:
    start: int                       # index of the first matched word
    end: int                         # one past the last
    alternatives: tuple[Item, ...]   # the other items of the group
    matched: Item | None = None      # the item the words spell (accents as the table has them)


class SynonymTable:
    def __init__(self, groups: list[list[str]]) -> None:
        self.groups: list[list[Item]] = []
        self._by_first: dict[str, list[tuple[int, Item]]] = {}
        for g, group in enumerate(groups):
            items = [_item(text) for text in group]
            items = [it for it in items if it.syllables]
            self.groups.append(items)
            for it in items:
                self._by_first.setdefault(it.folded[0], []).append((g, it))

    @classmethod
    def load(cls, path: Path = DATA_FILE) -> SynonymTable:
        return cls(read_groups(path))

    def find(self, typed: list[str]) -> list[SynonymMatch]:
        """Non-overlapping matches in a list of typed words (one syllable each, case kept),
        longest first from left to right."""
        folded = [fold(w).lower() for w in typed]
        out: list[SynonymMatch] = []
        i = 0
        while i < len(typed):
            best: tuple[int, int, Item] | None = None
            for g, it in self._by_first.get(folded[i], ()):
                n = len(it.folded)
                if tuple(folded[i:i + n]) != it.folded:
                    continue
                if it.needs_caps and not all(w.isupper() for w in typed[i:i + n]):
                    continue
                if best is None or n > best[1]:
                    best = (g, n, it)
            if best is None:
                i += 1
                continue
            g, n, it = best
            alts: dict[tuple[str, ...], Item] = {}
            for other in self.groups[g]:
                if other.folded != it.folded and not other.needs_caps:
                    alts.setdefault(other.folded, other)
            out.append(SynonymMatch(i, i + n, tuple(alts.values()), it))
            i += n
        return out


def read_groups(path: Path = DATA_FILE) -> list[list[str]]:
    """The groups of the data file: one per line, items separated by TAB."""
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            groups.append([cell.strip() for cell in line.split("\t") if cell.strip()])
    return groups


def _item(text: str) -> Item:
    syl, joined = syllables_joined(text)
    return Item(tuple(syl), tuple(joined), tuple(fold(s).lower() for s in syl),
                needs_caps=len("".join(syl)) <= 2)


def place_groups() -> list[list[str]]:
    """Places as the gazetteer knows them: each province (old and new) with its aliases
    (``Hồ Chí Minh``/``TP.HCM``/``HCM``/``Sài Gòn``, ``Huế``/``Thừa Thiên Huế``/``TT-Huế``,
    ``Bà Rịa - Vũng Tàu``/``BR-VT``), and each district of two syllables or more alone (so
    ``Kinh Môn`` is one name, not two words). A query naming one matches it as a whole
    (:mod:`indexer.query`), with its other names as alternatives."""
    from corpus.gazetteer import all_districts, all_new, all_old

    groups = [[p.name, *p.aliases] for p in (*all_new(), *all_old())]
    groups += [[d.name] for d in all_districts() if len(d.name.split()) >= 2]
    return groups


def _merged(groups: list[list[str]]) -> list[list[str]]:
    """Groups sharing a name (folded) become one: old and new Hồ Chí Minh list different
    aliases, and a query must find all of them whichever it names."""
    owner: dict[str, int] = {}
    merged: list[list[str] | None] = []
    for group in groups:
        keys = {fold(text).lower() for text in group}
        into = sorted({owner[k] for k in keys if k in owner})
        target: list[str] = []
        for i in into:
            target += merged[i] or []
            merged[i] = None
        target = list(dict.fromkeys([*target, *group]))
        merged.append(target)
        for text in target:
            owner[fold(text).lower()] = len(merged) - 1
    return [g for g in merged if g]


@functools.lru_cache(maxsize=1)
def table() -> SynonymTable:
    return SynonymTable(_merged(read_groups() + place_groups()))
