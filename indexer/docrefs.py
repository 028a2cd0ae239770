"""Bare references to documents in a query (``NQ 02``, ``Nghị quyết 02``, ``Nghị quyết số 02``)
and the full numbers they stand for in the index (``02-NQ/TW``).

Articles cite a directive by its full number once and by the bare form afterwards, and people
search with the bare form. Which ``02`` is meant depends on the corpus, so the full numbers come
from the ``so_hieu`` terms the index holds (the cleaner's per-article document numbers, written
at index time), never from a hand-written list: ``nghị quyết 02`` reaches every ``02-nq/…`` and
``02/…/nq-…`` number the index knows, the most cited first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh.reading import IndexReader

from corpus.docnumbers import TYPES
from corpus.textnorm import fold

#: Folded type name (``nghi quyet``) or code (``nq``) → canonical type codes.
_TYPE_WORDS: dict[tuple[str, ...], set[str]] = {}
for _code, _name in TYPES.items():
    _code = "CTr" if _code == "Ctr" else _code
    _TYPE_WORDS.setdefault(tuple(fold(_name).lower().split()), set()).add(_code)
    if len(_code) >= 2:
        _TYPE_WORDS.setdefault((fold(_code).lower(),), set()).add(_code)
_MAX_TYPE_WORDS = max(len(k) for k in _TYPE_WORDS)
_NUMBER_RE = re.compile(r"\d{1,5}[a-z]?")
#: Most full numbers one bare reference expands to, and most lexicon terms read to find them.
MAX_NUMBERS = 5
MAX_SCAN = 5000


@dataclass(frozen=True)
class BareRef:
    start: int               # first word of the reference (the type word)
    end: int                 # one past the number
    types: frozenset[str]    # candidate type codes (``NQ``; ``QĐi``/``QyĐ`` for quy định)
    number: str              # ``02``


def find_refs(words: list[str]) -> list[BareRef]:
    """Bare references in a list of typed words (one syllable each, case kept)."""
    folded = [fold(w).lower() for w in words]
    out: list[BareRef] = []
    i = 0
    while i < len(words):
        found = None
        for n in range(min(_MAX_TYPE_WORDS, len(words) - i), 0, -1):
            types = _TYPE_WORDS.get(tuple(folded[i:i + n]))
            if not types:
                continue
            j = i + n
            if j < len(words) and folded[j] == "so":
                j += 1
            if j < len(words) and _NUMBER_RE.fullmatch(folded[j]):
                found = BareRef(i, j + 1, frozenset(types), folded[j])
                break
        if found:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out


def full_numbers(ref: BareRef, reader: IndexReader, fieldname: str = "so_hieu") -> list[str]:
    """The ``so_hieu`` terms (lower-case canonical numbers) the reference can mean, most
    documents first: Party style ``02-nq/tw`` and state style ``02/nq-cp``,
    ``02/2021/nq-cp`` (and ``45/2019/qh14`` for a law)."""
    if fieldname not in reader.schema:
        return []
    types = "|".join(re.escape(t.lower()) for t in ref.types)
    num = re.escape(ref.number)
    forms = [rf"{num}-(?:{types})/.+", rf"{num}/(?:\d{{4}}/)?(?:{types})-.+"]
    if "QH" in ref.types:
        forms.append(rf"{num}/\d{{4}}/qh\d{{1,2}}")     # laws: 45/2019/qh14
    pattern = re.compile("|".join(forms))
    found: dict[str, int] = {}
    for prefix in (f"{ref.number}-", f"{ref.number}/"):
        for k, term in enumerate(reader.expand_prefix(fieldname, prefix)):
            if k >= MAX_SCAN:
                break
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            if pattern.fullmatch(text):
                found[text] = reader.doc_frequency(fieldname, text)
    return sorted(found, key=lambda t: (-found[t], t))[:MAX_NUMBERS]
