"""User query → Whoosh query, without ever raising on what a user types.

Syntax: plain words, ``"exact phrase"``, ``OR`` between two clauses, ``-word`` / ``-"phrase"`` to
exclude, ``title:`` and ``so_hieu:`` scopes, and document numbers anywhere (``02-NQ/TW``), which
are matched as one token in their own field. Whoosh's own parser ignores a leading minus and
raises on some broken input, so this small parser is ours: every string yields a query
(unbalanced quotes close at the end, a lone ``-`` or an empty ``title:`` is dropped, overlong
input is cut).

Two modes, decided by the query's shape:

* **Keywords** (the default): every word must match. Each syllable matches accent-exact fields
  (boosted) or folded fields, so ``thanh hoa`` finds ``Thanh Hóa`` while an accented query ranks
  exact matches first; adjacent words (as bigrams), pyvi words and, for a query typed without
  diacritics, its restored accents add optional boosts. Abbreviations match their expansions
  and back (``synonyms``), bare references (``Nghị quyết 02``) the full numbers the index holds
  (``docrefs``), both weighted below the literal words.
* **Questions**: a query with no operators that ends in ``?`` (three words or more) or runs to
  eight words or more is a natural-language question (``question``). Requiring all of its words
  would find almost nothing, so it is ranked as a weighted OR instead.

Passing the searcher lets the builder consult the index (restoration, bare references, idf);
without it the query still works, with those features off.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.searching import Searcher

from corpus.docnumbers import DocNumber, clean_for_numbers, iter_doc_numbers
from corpus.textnorm import canon
from indexer import question
from indexer.analysis import join_compounds, joinable, syllables, syllables_joined, word_units
from indexer.docrefs import find_refs, full_numbers
from indexer.restore import BUDGET_NOTE, restorer_for
from indexer.synonyms import Item
from indexer.synonyms import table as synonym_table
from indexer.terms import (
    EXACT_FIELDS,
    FOLD_FIELDS,
    WORD_FIELDS,
    bigram_terms,
    folded,
    positional_phrase,
    run_query,
    syllable_query,
)

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 64
#: Documents a query's positional clauses (phrases, document numbers, scoped phrases) may read
#: positions for, summed over their syllables' document frequencies in ``text_fold``. Positions
#: are the costly part of a first reading: 20 document numbers, each a phrase over a digit that
#: half the archive contains, took 1.4 s at 143k documents. Plain words are bounded by
#: ``MAX_CLAUSES``; this bound only drops trailing positional clauses, with a note.
POSITIONS_BUDGET = 600_000
POSITIONS_NOTE = "Truy vấn có quá nhiều cụm từ và số hiệu: chỉ dùng phần đầu."
#: Plain words from which a query is read as a question (fewer with a final ``?``).
QUESTION_WORDS = 8
QUESTION_WORDS_WITH_MARK = 3

#: Scope → (places of a phrase, accent-keeping fields, folded fields).
ALL_TEXT = (("title", "text"), EXACT_FIELDS, FOLD_FIELDS)
SCOPES = {
    "title": (("title",), {"title": 3.0}, {"title_fold": 1.2}),
    "tieude": (("title",), {"title": 3.0}, {"title_fold": 1.2}),
}
DOC_SCOPES = {"so_hieu", "sohieu", "số_hiệu", "so-hieu"}
#: An expansion (synonym, full document number) scores this fraction of the literal words.
SYNONYM_WEIGHT = 0.5
#: Other spellings tried for one quoted phrase (each synonym swapped in on its own).
MAX_PHRASE_ALTERNATIVES = 8
DOCREF_WEIGHT = 0.5
DOC_NUMBER_BOOST = 6.0
#: Without the index to restore accents, an unaccented query's words in order in these fields.
UNACCENTED_PHRASE_FIELDS = {"title_fold": 0.8, "text_fold": 0.3}

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
    typed: str = ""               # a plain word's syllable as typed (case kept)
    joined: bool = False          # plain word right after another, only spaces between
    joinable: list[bool] = field(default_factory=list)   # per syllable of a phrase

    @property
    def plain(self) -> bool:
        return bool(self.typed)


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    text: str = ""                # the plain words, for pyvi boosts and highlighting
    notes: list[str] = field(default_factory=list)
    question: bool = False        # ranked as a natural-language question (OR, see module doc)
    #: names matched as a whole (places, union bodies), as typed: a search that finds none of
    #: them says so (the index holds no article naming it)
    entities: list[str] = field(default_factory=list)
    #: the other forms of the abbreviations and names it holds (folded), for the snippets
    alternates: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(not c.negate for c in self.clauses)

    @property
    def plain(self) -> list[Clause]:
        return [c for c in self.clauses if c.plain]

    @property
    def unaccented(self) -> bool:
        """Typed without any diacritics (so worth restoring)."""
        plain = [c.syllables[0] for c in self.plain]
        return any(s.isalpha() for s in plain) and all(s.isascii() for s in plain)


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


def parse(raw: str) -> ParsedQuery:
    """Split a user's query into clauses; never raises.

    Quotes inside a question (``Định nghĩa của "người lao động"?``) cite a term rather than
    demand an exact phrase, so a query whose only operators are quotes and that ends in ``?``
    is read again with the quoted words as plain words (and so as a question).
    """
    parsed, quotes_only = _parse(raw, quotes_as_words=False)
    if quotes_only and (raw or "").rstrip().endswith("?"):
        parsed, _ = _parse(raw, quotes_as_words=True)
    return parsed


def _parse(raw: str, quotes_as_words: bool) -> tuple[ParsedQuery, bool]:
    """The parsed query, and whether quotes were its only operators."""
    text = canon(raw or "").replace("“", '"').replace("”", '"').strip()
    parsed = ParsedQuery()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        parsed.notes.append(f"Truy vấn quá dài, chỉ dùng {MAX_QUERY_CHARS} ký tự đầu.")
    # Document numbers become placeholder tokens first (the tokeniser would split them), so
    # they keep their place for OR and "-".
    text, numbers = _mark_numbers(text)
    plain: list[str] = []
    last_plain_end = -1          # end of the previous plain syllable, while plain words run
    operators = quotes = False
    not_next = False             # a NOT waiting for the clause it negates
    dangling: list[str] = []
    word = None
    for m in _TOKEN_RE.finditer(text):
        word, phrase, scope = m.group("word"), m.group("phrase"), (m.group("scope") or "").lower()
        if word in ("OR", "AND", "NOT"):        # upper case, as Google and Lucene users type them
            operators = True
            last_plain_end = -1
            if word == "NOT":
                not_next = True
            elif not parsed.clauses or not_next:
                dangling.append(word)
            elif word == "OR":
                parsed.clauses[-1].or_next = True
            continue
        content = phrase if phrase is not None else word
        if word and word.endswith(":") and word[:-1].lower() in SCOPES.keys() | DOC_SCOPES:
            parsed.notes.append(f"Bỏ qua “{word}”: sau dấu hai chấm không có từ nào để tìm.")
            continue
        negated = bool(m.group("neg")) or not_next
        not_next = False
        marked = _PLACEHOLDER.search(content or "")
        if marked or scope in DOC_SCOPES:
            dn = numbers[int(marked.group(1))] if marked else None
            key = dn.key if dn else (content or "").strip().lower()
            if key:
                parsed.clauses.append(Clause(syllables(dn.number if dn else key),
                                             doc_number=key, negate=negated))
                operators = operators or negated or not marked
            last_plain_end = -1
            continue
        if scope and scope not in SCOPES:
            content = f"{scope} {content or ''}"   # not a field we know: keep it as words
            scope = ""
        syl = syllables(content or "")
        if not syl:
            continue
        negate = negated
        if negate or scope or (phrase is not None and not quotes_as_words):
            operators = operators or negate or bool(scope)
            quotes = quotes or phrase is not None
            last_plain_end = -1
            parsed.clauses.append(Clause(syl, phrase=len(syl) > 1, negate=negate,
                                         scope="title" if scope else "",
                                         joinable=syllables_joined(content or "")[1]))
        else:
            start = m.start("word" if phrase is None else "phrase")
            for sm in _SYLLABLE_RE.finditer(content or ""):
                begin = start + sm.start()
                joined = last_plain_end >= 0 and joinable(text[last_plain_end:begin])
                parsed.clauses.append(Clause([sm.group().lower()], typed=sm.group(),
                                             joined=joined))
                last_plain_end = start + sm.end()
        if not negate:
            plain.append(content or "")
    if word == "AND":                    # the last token
        dangling.append("AND")
    if parsed.clauses and parsed.clauses[-1].or_next:
        parsed.clauses[-1].or_next = False
        dangling.append("OR")
    if not_next:
        dangling.append("NOT")
    if any(c.negate for c in parsed.clauses) and not any(not c.negate for c in parsed.clauses):
        for c in parsed.clauses:          # only exclusions: read them as words, not as nothing
            c.negate = False
        dangling.append("NOT")
    for op in dict.fromkeys(dangling):
        parsed.notes.append(f"Bỏ qua “{op}” không nối hai từ (dùng “{op}” giữa hai từ hoặc cụm "
                            "từ, viết hoa).")
    if len(parsed.clauses) > MAX_CLAUSES:
        parsed.clauses = parsed.clauses[:MAX_CLAUSES]
        parsed.notes.append("Truy vấn có quá nhiều từ, chỉ dùng phần đầu.")
    parsed.text = " ".join(plain)
    n_plain = len(parsed.plain)
    parsed.question = not operators and not quotes and (
        n_plain >= QUESTION_WORDS
        or (text.rstrip().endswith("?") and n_plain >= QUESTION_WORDS_WITH_MARK))
    return parsed, quotes and not operators


# -- keyword mode -------------------------------------------------------------------------------
def clause_query(c: Clause) -> Q.Query:
    if c.doc_number:
        return Q.Or([Q.Term("so_hieu", c.doc_number, boost=DOC_NUMBER_BOOST),
                     positional_phrase(c.syllables, FOLD_FIELDS)])
    places, exact, fold_fields = SCOPES.get(c.scope, ALL_TEXT)
    if len(c.syllables) == 1:
        return syllable_query(c.syllables[0], exact, fold_fields)
    if c.phrase:
        return run_query(c.syllables, c.joinable, places, fold_fields)
    return Q.And([syllable_query(s, exact, fold_fields) for s in c.syllables])


@dataclass
class _Unit:
    """Consecutive clauses searched together: one clause, or the words of a synonym or of a
    bare document reference, with what they may also be written as.

    An *entity* (a name of two words or more from the synonym table: a province, a district,
    a union body, a term such as ``người lao động``) is matched as a whole, as a phrase: typed
    with diacritics, its accent-exact bigrams; without, its folded phrase. ``Quảng Bình`` then
    finds Quảng Bình, not "bình quân" beside "Quảng Nam"."""
    clauses: list[Clause]
    alternatives: list[Q.Query] = field(default_factory=list)
    entity: bool = False
    #: an entity typed without diacritics: the name as the table spells it, so the query reads
    #: its accent-exact bigrams, not the positions of two of the commonest folded syllables
    #: ("ha noi": 361 ms at 143k as a folded phrase, 11 ms as the bigram "hà nội")
    spelled: Item | None = None

    def query(self) -> Q.Query:
        if self.entity:
            words = [c.syllables[0] for c in self.clauses]
            joined = [False, *(c.joined for c in self.clauses[1:])]
            if self.spelled is not None and all(w.isascii() for w in words) \
                    and not all(s.isascii() for s in self.spelled.syllables):
                words, joined = list(self.spelled.syllables), list(self.spelled.joined)
            base = run_query(words, joined, ALL_TEXT[0], FOLD_FIELDS)
        else:
            literal = [clause_query(c) for c in self.clauses]
            base = literal[0] if len(literal) == 1 else Q.And(literal)
        return Q.Or([base, *self.alternatives]) if self.alternatives else base


def _units(parsed: ParsedQuery, searcher: Searcher | None) -> list[_Unit]:
    """The positive clauses grouped into units, in query order."""
    positive = [c for c in parsed.clauses if not c.negate]
    parsed.entities.clear()              # a retry on another generation builds the query again
    parsed.alternates.clear()
    spans: dict[int, tuple[int, list[Q.Query], bool, Item | None]] = {}  # start → unit's parts
    taken: set[int] = set()

    def claim(start: int, end: int, alternatives: list[Q.Query], entity: bool = False,
              spelled: Item | None = None) -> None:
        if (alternatives or entity) and not taken & set(range(start, end)):
            spans[start] = (end, alternatives, entity, spelled)
            taken.update(range(start, end))
            if entity:
                parsed.entities.append(" ".join(c.typed for c in positive[start:end]))

    for start, end in _plain_runs(positive):
        typed = [c.typed for c in positive[start:end]]
        for match in synonym_table().find(typed):
            parsed.alternates += [it.folded for it in match.alternatives]
            claim(start + match.start, start + match.end,
                  [run_query(list(it.syllables), list(it.joined), ALL_TEXT[0], FOLD_FIELDS,
                             SYNONYM_WEIGHT, spelled_as_is=True) for it in match.alternatives],
                  entity=match.end - match.start > 1, spelled=match.matched)
        if searcher is not None:
            for ref in find_refs(typed):
                claim(start + ref.start, start + ref.end,
                      [Q.Term("so_hieu", n, boost=DOC_NUMBER_BOOST * DOCREF_WEIGHT)
                       for n in full_numbers(ref, searcher.reader())])
    for i, c in enumerate(positive):
        if c.phrase and not c.scope and i not in taken:
            claim(i, i + 1, _phrase_synonyms(c))
    units: list[_Unit] = []
    i = 0
    while i < len(positive):
        end, alts, entity, spelled = spans.get(i, (i + 1, [], False, None))
        units.append(_Unit(positive[i:end], alts, entity, spelled))
        i = end
    return units


def _phrase_synonyms(c: Clause) -> list[Q.Query]:
    """A quoted phrase with an abbreviation's long form in it, or the other way round, written
    the other way, still as a phrase: ``"lien doan lao dong tinh"`` also finds ``LĐLĐ tỉnh``."""
    out: list[Q.Query] = []
    joined = c.joinable or [False] * len(c.syllables)
    for match in synonym_table().find(c.syllables):
        head, tail = c.syllables[:match.start], c.syllables[match.end:]
        for alt in match.alternatives:
            words = [*head, *alt.syllables, *tail]
            joins = [*joined[:match.start], *alt.joined, *joined[match.end:]]
            out.append(run_query(words, joins, ALL_TEXT[0], FOLD_FIELDS, SYNONYM_WEIGHT,
                                 spelled_as_is=all(w.isascii() for w in alt.syllables)))
    return out[:MAX_PHRASE_ALTERNATIVES]


def _plain_runs(clauses: list[Clause]) -> list[tuple[int, int]]:
    """(start, end) of runs of plain words not split by an ``OR``."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, c in enumerate(clauses):
        if c.plain and start is None:
            start = i
        if not c.plain:
            if start is not None:
                runs.append((start, i))
            start = None
        elif c.or_next:
            assert start is not None          # a plain clause: set just above
            runs.append((start, i + 1))
            start = None
    if start is not None:
        runs.append((start, len(clauses)))
    return runs


def _positional(c: Clause) -> bool:
    return bool(c.doc_number) or (c.phrase and len(c.syllables) > 1)


def within_positions_budget(parsed: ParsedQuery, searcher: Searcher | None) -> None:
    """Drop the positional clauses past :data:`POSITIONS_BUDGET` (the first always stays)."""
    if searcher is None or not any(_positional(c) for c in parsed.clauses):
        return
    reader = searcher.reader()
    spent, kept = 0, []
    for c in parsed.clauses:
        if _positional(c):
            cost = sum(reader.doc_frequency("text_fold", folded(s)) for s in c.syllables)
            if spent and spent + cost > POSITIONS_BUDGET:
                if POSITIONS_NOTE not in parsed.notes:
                    parsed.notes.append(POSITIONS_NOTE)
                break
            spent += cost
        kept.append(c)
    parsed.clauses[len(kept):] = []


def to_whoosh(parsed: ParsedQuery, searcher: Searcher | None = None) -> Q.Query:
    """The Whoosh query. ``searcher`` (optional) is the one the query will run on."""
    within_positions_budget(parsed, searcher)
    if parsed.question:
        return question.build(parsed, searcher)
    if parsed.empty:
        required: Q.Query = Q.Every()
    else:
        groups: list[list[Q.Query]] = [[]]
        for unit in _units(parsed, searcher):
            groups[-1].append(unit.query())
            if not unit.clauses[-1].or_next:
                groups.append([])
        parts = [g[0] if len(g) == 1 else Q.Or(g) for g in groups if g]
        required = parts[0] if len(parts) == 1 else Q.And(parts)
    if searcher is not None and not parsed.unaccented:
        _spelling_note(parsed, searcher)
    negatives = [clause_query(c) for c in parsed.clauses if c.negate]
    if negatives:
        required = Q.AndNot(required, Q.Or(negatives))
    boosts = _boosts(parsed, searcher)
    return Q.AndMaybe(required, boosts) if boosts is not None else required


@dataclass(frozen=True)
class MarkUnits:
    """What a snippet marks (folded, lower case): runs of words the query holds together (its
    plain words as typed in a row, phrases, names, the other forms of an abbreviation), and
    words that stand alone. A word of a run is marked only beside its neighbours: for
    ``công đoàn`` the "công" of "công ty" and the "đoàn" of "đoàn viên" stay plain."""
    runs: tuple[tuple[str, ...], ...] = ()
    singles: frozenset[str] = frozenset()


def mark_units(parsed: ParsedQuery) -> MarkUnits:
    """What the snippets of ``parsed`` mark; call after :func:`to_whoosh` (which finds the
    abbreviations' other forms)."""
    runs: list[tuple[str, ...]] = []
    singles: set[str] = set()
    current: list[str] = []
    for c in parsed.clauses:
        if c.negate:
            continue
        words = tuple(folded(s) for s in c.syllables)
        if c.plain and (c.joined and current):
            current.append(words[0])
            continue
        if len(current) > 1:
            runs.append(tuple(current))
        elif current:
            singles.add(current[0])
        current = [words[0]] if c.plain else []
        if c.doc_number:                  # marked whole when the highlighter sees one token
            singles.add(folded(c.doc_number))
        if not c.plain:
            if len(words) > 1:
                runs.append(words)
            elif words:
                singles.add(words[0])
    if len(current) > 1:
        runs.append(tuple(current))
    elif current:
        singles.add(current[0])
    for words in parsed.alternates:       # found while the query was built (_units)
        if len(words) > 1:
            runs.append(words)
        else:
            singles.update(words)
    return MarkUnits(tuple(runs), frozenset(singles))


def _spelling_note(parsed: ParsedQuery, searcher: Searcher) -> None:
    """A word typed with a wrong tone mark (``đòan``) that no article holds: the folded fields
    already find the right one (``đoàn``); say which, as "did you mean", with the spelling the
    index holds most often."""
    plain = parsed.plain
    if not plain or not any(not c.syllables[0].isascii() for c in plain):
        return
    restorer = restorer_for(searcher.reader())
    fixed, changed = [], False
    for c in plain:
        s = c.syllables[0]
        better = s
        if not s.isascii() and s.isalpha() and restorer.df(s) == 0 \
                and searcher.reader().doc_frequency("title", s) == 0:   # nor only in titles
            options = [v for v in restorer.candidates(folded(s)) if restorer.df(v) > 0]
            better = options[0] if options else s
        changed = changed or better != s
        fixed.append(better)
    if changed:
        parsed.notes.append(f"Có phải bạn muốn tìm “{' '.join(fixed)}”? Kết quả gồm cả cách "
                            "viết đó.")


def _boosts(parsed: ParsedQuery, searcher: Searcher | None) -> Q.Query | None:
    """Optional evidence that reorders but never filters: adjacent words as bigrams, pyvi
    words, and for a query typed without diacritics its restored accents (with the index) or
    its words in order in the folded fields (without)."""
    plain = parsed.plain
    if not plain:
        return None
    syls = [c.syllables[0] for c in plain]
    joined = [c.joined for c in plain]
    bigrams = bigram_terms(syls, joined)
    units = bigrams + [w for w in word_units(join_compounds(parsed.text)) if "_" in w]
    subs: list[Q.Query] = []
    if parsed.unaccented and searcher is not None:
        restorer = restorer_for(searcher.reader())
        restored = restorer.restore(syls, joined)
        if restorer.exhausted and BUDGET_NOTE not in parsed.notes:
            parsed.notes.append(BUDGET_NOTE)
        subs += [Q.Term(f, r, boost=b) for r, s in zip(restored, syls) if r != s
                 for f, b in EXACT_FIELDS.items()]
        units += [b for b in bigram_terms(restored, joined) if b not in bigrams]
    elif parsed.unaccented and len(syls) > 1:
        subs += [Q.Phrase(f, syls, boost=b) for f, b in UNACCENTED_PHRASE_FIELDS.items()]
    for f, b in WORD_FIELDS.items():
        subs += [Q.Term(f, u, boost=b) for u in units]
    return Q.Or(subs) if subs else None
