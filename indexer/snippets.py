"""Snippets: the passages of a hit's stored record around the query's words, highlighted.

Only the hits on the page get one. Whoosh's highlighter re-tokenises whatever it is given, and
whole articles cost more than a page's budget, so it is given a few short passages found by a
substring test (:func:`_passages`).
"""
from __future__ import annotations

import re
import unicodedata
from html import escape

from whoosh import query as Q
from whoosh.fields import Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight

from indexer.query import MarkUnits

#: ``<mark>`` elements separated only by spaces or the ``-``/``/`` of a document number (the
#: separators the page merges marks across, ``search_web.safety``): one run of marked words
_SEP = r"[ \u00a0/-]{1,3}"
_MARK_RUN_RE = re.compile(rf"<mark[^>]*>[^<]*</mark>(?:{_SEP}<mark[^>]*>[^<]*</mark>)*")
_MARK_RE = re.compile(rf"({_SEP})?(<mark[^>]*>)([^<]*)</mark>")


def positive_terms(query: Q.Query) -> dict[str, set[str]]:
    """Field → the words a snippet should mark: every term of the query but exclusions."""
    out: dict[str, set[str]] = {}

    def walk(q: Q.Query) -> None:
        if isinstance(q, Q.AndNot):
            walk(q.a)
        elif isinstance(q, Q.Not):
            return
        elif q.is_leaf():
            for fieldname, text in q.terms(phrases=True):
                out.setdefault(fieldname, set()).add(
                    text.decode("utf-8") if isinstance(text, bytes) else text)
        else:
            for child in q.children():
                walk(child)

    walk(query)
    # A run of words is searched as bigrams in the word fields: mark its syllables in the text.
    for unit in out.get("text_words", ()):
        out.setdefault("body", set()).update(x for x in re.split(r"[ _]", unit) if x)
        out.setdefault("sapo", set()).update(x for x in re.split(r"[ _]", unit) if x)
    return out


class Snippets:
    """The snippets of one page of hits: the query's words to mark (none for an empty query)
    and one formatter."""

    def __init__(self, schema: Schema, query: Q.Query | None, units: MarkUnits | None = None) -> None:
        self.schema = schema
        self.terms = {} if query is None else positive_terms(query)
        self.formatter = HtmlFormatter(tagname="mark", between=" … ")
        self.units = units

    def marked(self, record: dict) -> str:
        """Safe HTML: escaped text with ``<mark>`` around matches, or the lead when none shows."""
        return _snippet(self.schema, record, self.terms, self.formatter, self.units)

    @staticmethod
    def unmarked(record: dict) -> str:
        """The lead, unmarked: a search out of time skips highlighting."""
        return escape((record.get("sapo") or "")[:240])


def _snippet(schema: Schema, record: dict, terms: dict[str, set[str]], formatter: HtmlFormatter,
             units: MarkUnits | None = None) -> str:
    """The first passage (body, sapo, then folded text) where what the query asked for shows;
    a passage whose marks were all lone parts of a phrase is kept only as a fallback."""
    body, sapo = record.get("body", []), record.get("sapo", "")
    fallback = ""
    for fieldname, paragraphs, folded in (("body", body, False), ("sapo", [sapo], False),
                                          ("text_fold", [sapo, *body], True)):
        words = terms.get(fieldname)
        if not words:
            continue
        text = _passages(paragraphs, words, folded)
        if not text:
            continue
        try:
            fragment = highlight(text, words, schema[fieldname].analyzer,
                                 ContextFragmenter(maxchars=220, surround=70), formatter,
                                 top=2, mode="index")
        except Exception:  # noqa: BLE001 - a highlight failure must not fail the search
            fragment = ""
        if fragment and units is not None:
            fragment = keep_units(fragment, units)
            if "<mark" not in fragment:
                fallback = fallback or fragment
                continue
        if fragment:
            return fragment
    if fallback:
        return fallback
    lead = sapo or "\n".join(body)
    return escape(lead[:240] + ("…" if len(lead) > 240 else ""))


def keep_units(html: str, units: MarkUnits) -> str:
    """Whoosh marks every matching syllable; keep the marks on what the query asked for: runs
    of two words or more that occur in one of its runs, in order, and its standalone words.
    Adjacent kept words become one ``<mark>`` (the phrase reads as one match)."""
    def rewrite(m: re.Match[str]) -> str:
        seps, tags, words = zip(*_MARK_RE.findall(m.group(0)), strict=True)
        keys = [_quick_fold(w).lower() for w in words]
        out: list[str] = []
        i = 0
        while i < len(words):
            j = _longest_run(keys, i, units.runs)
            if j - i < 2:                 # a lone word: marked when the query has it alone
                j = i + 1 if keys[i] in units.singles else _whole_single(seps, words, i, units)
            if j == i:
                out.append(seps[i] + words[i])
                i += 1
                continue
            whole = "".join(seps[k] + words[k] for k in range(i, j))[len(seps[i]):]
            out.append(f"{seps[i]}{tags[i]}{whole}</mark>")
            i = j
        return "".join(out)

    return _MARK_RUN_RE.sub(rewrite, html)


def _whole_single(seps: tuple[str, ...], words: tuple[str, ...], i: int, units: MarkUnits) -> int:
    """End of marks from ``i`` that together spell a standalone item (``02-NQ/TW``), or ``i``."""
    text = words[i]
    for k in range(i + 1, len(words) + 1):
        if _quick_fold(text).lower() in units.singles:
            return k
        if k < len(words):
            text += seps[k] + words[k]
    return i


def _longest_run(keys: list[str], i: int, runs: tuple[tuple[str, ...], ...]) -> int:
    """End of the longest stretch from ``i`` that is a contiguous part of one of ``runs``."""
    best = i
    for run in runs:
        for start in range(len(run)):
            n = 0
            while i + n < len(keys) and start + n < len(run) and keys[i + n] == run[start + n]:
                n += 1
            best = max(best, i + n)
    return best


#: Combining marks dropped and đ → d: the folded field's form, without ``fold``'s regex pass.
_FOLD_TABLE = {**dict.fromkeys(range(768, 880)), ord("đ"): "d", ord("Đ"): "D"}


def _quick_fold(text: str) -> str:
    return unicodedata.normalize("NFD", text).translate(_FOLD_TABLE)


def _passages(paragraphs: list[str], words: set[str], folded: bool, keep: int = 2,
              reach: int = 150) -> str:
    """Up to ``keep`` stretches of text around query words, from the paragraphs holding the
    most of them, in text order. The highlighter re-tokenises what it is given, and whole
    articles cost more than a page's budget: a substring test finds the paragraphs, and only
    ``reach`` characters either side of the first word found are kept (a snippet fragment is
    220). Stored text is already canonical (NFC, one tone placement), so the test needs no
    normalisation but folding."""
    found = []
    for i, text in enumerate(paragraphs):
        probe = (_quick_fold(text) if folded else text).lower()
        starts = [at for at in (probe.find(w) for w in words) if at >= 0]
        if starts:
            aligned = len(probe) == len(text)
            found.append((-len(starts), i, min(starts) if aligned else -1))
    best = sorted(sorted(found)[:keep], key=lambda f: f[1])
    return "\n".join(_around(paragraphs[i], at, reach) for _, i, at in best)


def _around(text: str, at: int, reach: int) -> str:
    """``text`` cut to whole words within ``reach`` characters of ``at`` (all of it if
    ``at`` is unknown)."""
    if at < 0 or len(text) <= 2 * reach:
        return text
    start = max(0, at - reach)
    end = min(len(text), at + reach)
    if start:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > at else end
    return text[start:end]
