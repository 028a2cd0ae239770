"""User query → Whoosh query, without ever raising on what a user types.

Syntax: plain words (all must match), ``"exact phrase"``, ``OR`` between two clauses,
``-word`` / ``-"phrase"`` to exclude, ``title:`` and ``so_hieu:`` scopes, and document numbers
anywhere (``02-NQ/TW``), which are matched as one token in their own field. Whoosh's own parser
ignores a leading minus and raises on some broken input, so this small parser is ours: every
string yields a query (unbalanced quotes close at the end, a lone ``-`` or an empty ``title:`` is
dropped, overlong input is cut).

Each syllable matches accent-exact fields (boosted) or folded fields, so ``thanh hoa`` finds
``Thanh Hóa`` while an accented query ranks exact matches first; pyvi words and the whole
phrase add optional boosts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as Q

from corpus.docnumbers import DocNumber, clean_for_numbers, iter_doc_numbers
from corpus.textnorm import canon, fold
from indexer.analysis import segment, word_analyzer

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24

#: Accent-keeping field → boost; folded field → boost.
EXACT_FIELDS = {"title": 3.0, "sapo": 2.0, "body": 1.0}
FOLD_FIELDS = {"title_fold": 1.2, "text_fold": 0.4}
WORD_FIELDS = {"title_words": 2.0, "text_words": 1.0}
SCOPES = {
    "title": ({"title": 3.0}, {"title_fold": 1.2}),
    "tieude": ({"title": 3.0}, {"title_fold": 1.2}),
}
DOC_SCOPES = {"so_hieu", "sohieu", "số_hiệu", "so-hieu"}

_TOKEN_RE = re.compile(
    r'(?P<neg>-)?(?:(?P<scope>[\w]+):)?(?:"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s"]+))')
_SYLLABLE_RE = re.compile(r"\w+")


@dataclass
class Clause:
    syllables: list[str]          # canonical, lower-case
    phrase: bool = False
    negate: bool = False
    scope: str = ""               # "" | "title" | "so_hieu"
    doc_number: str = ""          # canonical lower-case key when the clause is a number
    or_next: bool = False


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    text: str = ""                # the plain words, for pyvi boosts and highlighting
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(not c.negate for c in self.clauses)


_PLACEHOLDER = re.compile("\uE000(\\d+)\uE001")


def _mark_numbers(text: str) -> tuple[str, list[DocNumber]]:
    """Replace each document number by a one-token placeholder; returns the numbers too."""
    text = clean_for_numbers(text)
    numbers: list[DocNumber] = []
    pieces: list[str] = []
    last = 0
    for start, end, dn in iter_doc_numbers(text, ignore_case=True):
        pieces.append(text[last:start])
        pieces.append(f"\uE000{len(numbers)}\uE001")
        numbers.append(dn)
        last = end
    pieces.append(text[last:])
    return "".join(pieces), numbers


def _syllables(text: str) -> list[str]:
    return [s.lower() for s in _SYLLABLE_RE.findall(canon(text))]


def parse(raw: str) -> ParsedQuery:
    """Split a user's query into clauses; never raises."""
    text = canon(raw or "").replace("“", '"').replace("”", '"').strip()
    parsed = ParsedQuery()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.notes.append(f"Truy vấn quá dài, chỉ dùng {MAX_QUERY_CHARS} ký tự đầu.")
    # Document numbers become placeholder tokens first (the tokeniser would split them), so
    # they keep their place for OR and "-".
    text, numbers = _mark_numbers(text)
    plain: list[str] = []
    for m in _TOKEN_RE.finditer(text):
        word, phrase, scope = m.group("word"), m.group("phrase"), (m.group("scope") or "").lower()
        if word == "OR":
            if parsed.clauses:
                parsed.clauses[-1].or_next = True
            continue
        content = phrase if phrase is not None else word
        if word and word.endswith(":") and word[:-1].lower() in SCOPES.keys() | DOC_SCOPES:
            continue   # a scope with nothing after it
        marked = _PLACEHOLDER.search(content or "")
        if marked or scope in DOC_SCOPES:
            dn = numbers[int(marked.group(1))] if marked else None
            key = dn.key if dn else (content or "").strip().lower()
            if key:
                parsed.clauses.append(Clause(_syllables(dn.number if dn else key),
                                             doc_number=key, negate=bool(m.group("neg"))))
            continue
        if scope and scope not in SCOPES:
            content = f"{scope} {content or ''}"   # not a field we know: keep it as words
            scope = ""
        syl = _syllables(content or "")
        if not syl:
            continue
        negate = bool(m.group("neg"))
        if phrase is not None or negate or scope:
            parsed.clauses.append(Clause(syl, phrase=len(syl) > 1, negate=negate,
                                         scope="title" if scope else ""))
        else:
            parsed.clauses.extend(Clause([s]) for s in syl)
        if not negate:
            plain.append(content or "")
    if len(parsed.clauses) > MAX_CLAUSES:
        parsed.clauses = parsed.clauses[:MAX_CLAUSES]
        parsed.notes.append("Truy vấn có quá nhiều từ, chỉ dùng phần đầu.")
    parsed.text = " ".join(plain)
    return parsed


def _field_terms(syllable: str, exact: dict[str, float], folded: dict[str, float]) -> Q.Query:
    folded_syl = fold(syllable).lower()
    subs: list[Q.Query] = [Q.Term(f, syllable, boost=b) for f, b in exact.items()]
    subs += [Q.Term(f, folded_syl, boost=b) for f, b in folded.items()]
    return Q.Or(subs)


def _phrase(syllables: list[str], exact: dict[str, float], folded: dict[str, float]) -> Q.Query:
    folded_syl = [fold(s).lower() for s in syllables]
    subs: list[Q.Query] = [Q.Phrase(f, syllables, boost=b) for f, b in exact.items()]
    subs += [Q.Phrase(f, folded_syl, boost=b) for f, b in folded.items()]
    return Q.Or(subs)


def clause_query(c: Clause) -> Q.Query:
    if c.doc_number:
        return Q.Or([Q.Term("so_hieu", c.doc_number, boost=6.0),
                     _phrase(c.syllables, EXACT_FIELDS, FOLD_FIELDS)])
    exact, folded = SCOPES.get(c.scope, (EXACT_FIELDS, FOLD_FIELDS))
    if c.phrase and len(c.syllables) > 1:
        return _phrase(c.syllables, exact, folded)
    if len(c.syllables) == 1:
        return _field_terms(c.syllables[0], exact, folded)
    return Q.And([_field_terms(s, exact, folded) for s in c.syllables])


def to_whoosh(parsed: ParsedQuery) -> Q.Query:
    """The Whoosh query: required clauses (OR-groups respected), exclusions, optional boosts."""
    if parsed.empty:
        required: Q.Query = Q.Every()
    else:
        groups: list[list[Q.Query]] = [[]]
        for c in parsed.clauses:
            if c.negate:
                continue
            groups[-1].append(clause_query(c))
            if not c.or_next:
                groups.append([])
        parts = [g[0] if len(g) == 1 else Q.Or(g) for g in groups if g]
        required = parts[0] if len(parts) == 1 else Q.And(parts)
    negatives = [clause_query(c) for c in parsed.clauses if c.negate]
    if negatives:
        required = Q.AndNot(required, Q.Or(negatives))
    boosts = _boosts(parsed)
    return Q.AndMaybe(required, boosts) if boosts is not None else required


def _boosts(parsed: ParsedQuery) -> Q.Query | None:
    """Optional evidence that reorders but never filters: pyvi words and the whole phrase."""
    plain = [c for c in parsed.clauses if not c.negate and not c.doc_number and not c.phrase
             and not c.scope]
    if len(plain) < 2:
        return None
    subs: list[Q.Query] = []
    syllables = [c.syllables[0] for c in plain]
    subs.append(_phrase(syllables, {"title": 2.0, "body": 1.0}, {"title_fold": 0.8,
                                                                 "text_fold": 0.3}))
    words = [t.text for t in word_analyzer()(segment(parsed.text))]
    compounds = [w for w in words if "_" in w]
    for f, b in WORD_FIELDS.items():
        subs.extend(Q.Term(f, w, boost=b) for w in compounds)
    return Q.Or(subs)


def highlight_terms(parsed: ParsedQuery) -> list[str]:
    """The syllables a snippet should mark (exclusions left out)."""
    out: list[str] = []
    for c in parsed.clauses:
        if not c.negate:
            out.extend(c.syllables)
    return out
