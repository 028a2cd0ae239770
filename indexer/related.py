"""The query behind "more like this": what an article is about, as one search.

One OR query: the article's key terms (compound words, by pyvi, of its title, and those of its
sapo that the body repeats) searched in other titles, and its first document numbers, searched
wherever they are cited. Choosing the terms is about *what the article is about*; how rare each
is across the index is left to BM25, which ranks a title sharing a rare phrase far above one
sharing a common phrase. Scoping the phrases to titles keeps the query fast (two fields per
phrase instead of five).
"""
from __future__ import annotations

import re

from corpus.textnorm import canon

MAX_TERMS = 4           # each term is two Whoosh phrase queries: keep the OR short
MAX_NUMBERS = 2           # the article's own number first, then the first one it cites

#: Phrases found in almost every article of a union corpus: as OR terms they would match the
#: whole index and bury the phrases that matter.
COMMON_PHRASES = frozenset(p.replace("_", " ") for p in """
    công_đoàn lao_động đoàn_viên liên_đoàn tổng_liên việt_nam công_nhân cơ_sở doanh_nghiệp
    tổ_chức hoạt_động thực_hiện chăm_lo quyền_lợi ban_hành kế_hoạch hướng_dẫn chương_trình
    thành_phố ban_chấp chấp_hành chủ_tịch phó_chủ cán_bộ nghị_quyết quyết_định đời_sống
    việc_làm cấp_trên người_lao
""".split())
COMMON_ACRONYMS = frozenset("lđlđ tlđ cđcs cđ nlđ đvcđ ubnd bch hđnd tw".split())
MAX_WORD_SYLLABLES = 3
_ACRONYM_RE = re.compile(r"^[A-ZĐ]{3,8}$")
_UNSAFE_RE = re.compile(r'[\s"]|^-|\bOR\b')   # would change the query's meaning


def words(text: str) -> list[str]:
    """pyvi words of ``text`` (compounds joined by ``_``), in order."""
    from pyvi import ViTokenizer  # loads a model: only when an article page needs it

    return ViTokenizer.tokenize(canon(text)).split() if text.strip() else []


def _pieces(parts: list[str]) -> list[list[str]]:
    """pyvi glues some clauses together (``Thanh_Hóa_ban_hành``): four syllables or more are
    read as pairs, an odd last syllable joining the pair before it."""
    if len(parts) <= MAX_WORD_SYLLABLES:
        return [parts]
    pairs = [parts[i:i + 2] for i in range(0, len(parts), 2)]
    if len(pairs[-1]) == 1:
        pairs[-2] += pairs.pop()
    return pairs


def candidates(text: str) -> list[str]:
    """Searchable key terms of ``text`` in order of appearance: compound words of two or three
    syllables (``hải phòng``, ``nợ đọng``) and acronyms (``BHXH``), common ones left out."""
    out: list[str] = []
    for word in words(text):
        parts = word.split("_")
        if len(parts) == 1:
            key = word.lower()
            ok = bool(_ACRONYM_RE.match(word)) and key not in COMMON_ACRONYMS
            if ok and key not in out:
                out.append(key)
            continue
        for piece in _pieces(parts):
            key = " ".join(piece).lower()
            if (key not in COMMON_PHRASES and all(p.isalpha() for p in piece)
                    and key not in out):
                out.append(key)
    return out


def key_terms(record: dict, limit: int = MAX_TERMS) -> list[str]:
    """The terms that say what an article is about: title terms first (those the text
    repeats before the others), then sapo terms the body repeats."""
    title, sapo = record.get("title", ""), record.get("sapo", "")
    body = canon(" ".join(record.get("body", []))).lower()
    text = f"{canon(sapo).lower()} {body}"
    scored: dict[str, float] = {}
    for i, term in enumerate(candidates(title)):
        scored[term] = 10 + min(text.count(term), 5) - i * 0.01
    for i, term in enumerate(candidates(sapo)):
        repeats = body.count(term)
        if repeats:
            scored.setdefault(term, min(repeats, 5) - i * 0.01)
    return sorted(scored, key=scored.__getitem__, reverse=True)[:limit]


def more_like_this_query(record: dict) -> str:
    """``title:"a b" OR title:bhxh OR so_hieu:02-NQ/TW`` for an article record ("" when nothing
    fits): the search text of :class:`~indexer.search.SearchRequest` that finds its relatives.

    Key terms are scoped to titles: a news title states its topic, a key phrase shared by two
    titles is strong evidence, and two fields per phrase instead of five keep the query fast.
    Document numbers match wherever they are cited.
    """
    clauses = [f'title:"{t}"' if " " in t else f"title:{t}" for t in key_terms(record)]
    clauses += [f"so_hieu:{n}" for n in doc_numbers(record)]
    return " OR ".join(clauses)


def doc_numbers(record: dict, limit: int = MAX_NUMBERS) -> list[str]:
    """The article's first document numbers that are safe to put in a query."""
    numbers = [d.get("number", "") for d in record.get("doc_numbers", [])]
    return [n for n in numbers if n and not _UNSAFE_RE.search(n)][:limit]
