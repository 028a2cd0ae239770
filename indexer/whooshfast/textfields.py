"""Whoosh TEXT fields that index a document without the token stream.

Whoosh indexes a field by running its analyzer as a chain of generators, one ``Token`` object
per word and per filter, then counting: about half of all indexing time, for three text forms
of every article. These fields get the same terms from a plain function (``units``) that
returns the list of index terms, and count them in one pass; the analyzer stays for what
needs token objects (query parsing, highlighting). ``tests/test_textfields.py`` checks that
both paths index exactly the same postings.

Every index's table of contents pickles its schema, hence ``UnitText`` by module path: the
class keeps the path it was first written under, ``indexer.textfields`` (an alias module), so
indexes on disk open and new ones are written exactly as before.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator
from typing import Any

from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.system import pack_uint

Units = Callable[[str], list[str]]


class Prepared(str):
    """A field value that carries its units, computed by ``units`` already: the indexer
    analyses an article's text once for the fields that share it (accented and folded
    syllables)."""

    units_fn: Units
    found: list[str]

    def __new__(cls, text: str, units: Units, found: list[str]) -> Prepared:
        value = super().__new__(cls, text)
        value.units_fn, value.found = units, found
        return value

    def __reduce__(self) -> tuple[type[Prepared], tuple[str, Units, list[str]]]:
        return Prepared, (str(self), self.units_fn, self.found)


class UnitText(TEXT):
    """A TEXT field whose ``index`` calls ``units`` (a module-level function, so the schema
    pickles by reference) instead of the analyzer."""

    __module__ = "indexer.textfields"      # the pickled path (see the module doc)

    def __init__(self, units: Units, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.units = units

    @property
    def positional(self) -> bool:
        return isinstance(self.format, Positions)

    def tally(self, value: str) -> dict[str, Any]:
        """unit → its positions (positional field) or its count."""
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a string")
        if type(value) is Prepared and value.units_fn is self.units:
            units = value.found
        else:
            units = self.units(value)
        if not self.positional:
            return Counter(units)
        positions: dict[str, list[int]] = {}
        get = positions.get
        for pos, unit in enumerate(units):
            where = get(unit)
            if where is None:
                positions[unit] = [pos]
            else:
                where.append(pos)
        return positions

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float, bytes], Any, None]:
        fmt = self.format
        assert fmt is not None        # TEXT.__init__ always sets one
        boost = fmt.field_boost
        if self.positional:
            assert isinstance(fmt, Positions)
            encode = fmt.encode
            for unit, where in self.tally(value).items():
                yield unit.encode("utf-8"), len(where), len(where) * boost, encode(where)
        else:
            for unit, n in self.tally(value).items():
                yield unit.encode("utf-8"), n, n * boost, pack_uint(n)
