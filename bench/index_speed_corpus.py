"""VietNews (../shared/data) as a corpus file of the product's article records, for the speed bench.

VietNews has no dates, URLs or sources, and the 143k file no provinces: those are assigned here,
deterministically from each article's id, and marked synthetic (``date_source = "synthetic"``,
source ``vietnews-synthetic``) so nobody mistakes them for data. As the cleaner does, text is
tidied (NFC, one tone placement) and document numbers are found by the product's own regex.
One story in 50 is given its predecessor's near-duplicate key, so the collapse of syndicated
copies costs what it would on a real union corpus.
The converted file is cached beside the output (keyed by source file and size).
"""
from __future__ import annotations

import hashlib
import json
import lzma
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from corpus.docnumbers import find_doc_numbers
from corpus.gazetteer import all_old, new_province, old_province, old_to_new
from corpus.record import NATIONAL, VN_TZ, Article, content_hash, write_corpus
from corpus.textnorm import tidy

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EPOCH = datetime(2016, 1, 1, 6, 0, tzinfo=VN_TZ)
SPAN_MINUTES = 4 * 365 * 24 * 60          # synthetic dates fall in 2016–2019, like VietNews
SYNTHETIC_SOURCE = "vietnews-synthetic"


def _draw(doc_id: str, salt: str) -> int:
    """A stable pseudo-random number per article (same on every machine and run)."""
    return int.from_bytes(hashlib.blake2b(f"{salt}:{doc_id}".encode(), digest_size=8).digest(),
                          "big")


def synthetic_date(doc_id: str) -> str:
    return (EPOCH + timedelta(minutes=_draw(doc_id, "date") % SPAN_MINUTES)).isoformat()


def synthetic_province(doc_id: str) -> str:
    """Six articles in ten get one of the 63 old provinces, the rest are national."""
    provinces = all_old()
    draw = _draw(doc_id, "province")
    return provinces[draw % len(provinces)].name if draw % 10 < 6 else ""


def _provinces(old_name: str) -> tuple[str, str]:
    old = old_province(old_name) if old_name else None
    if old is None:
        return NATIONAL, NATIONAL
    new = new_province(old_to_new(old.code))
    return old.name, new.name if new else NATIONAL


def to_article(row: dict, prev_dup: str) -> Article:
    doc_id = row["id"]
    title, sapo = tidy(row.get("title") or ""), tidy(row.get("sapo") or "")
    body = [p for p in (tidy(line) for line in (row.get("text") or "").split("\n")) if p]
    # The 10k file carries a heuristic province (null: none found); the 143k file none at all.
    old_name = row["province"] if "province" in row else synthetic_province(doc_id)
    p_old, p_new = _provinces(old_name or "")
    numbers = find_doc_numbers("\n".join([title, sapo, *body]))
    article = Article(
        url=f"https://vietnews.invalid/{doc_id}", title=title, sapo=sapo, body=body,
        captions=[tidy(c) for c in row.get("captions") or []], source=SYNTHETIC_SOURCE,
        source_title="VietNews (ngày, tỉnh giả lập)", published=synthetic_date(doc_id),
        date_source="synthetic", province_old=p_old, province_new=p_new,
        doc_numbers=[{"number": d.number, "type": d.type, "issuer": d.issuer} for d in numbers],
        content_hash=content_hash(title, sapo, body))
    article.dup_key = prev_dup if prev_dup and _draw(doc_id, "dup") % 50 == 0 else article.id
    return article


def _articles(source: Path, limit: int | None) -> Iterator[Article]:
    prev_dup = ""
    with lzma.open(source, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            article = to_article(json.loads(line), prev_dup)
            prev_dup = article.dup_key
            yield article


def vietnews_corpus(name: str, out_dir: Path, limit: int | None = None) -> Path:
    """The corpus file for ``vietnews-<name>.jsonl.xz`` (first ``limit`` lines), built once."""
    source = SHARED_DATA / f"vietnews-{name}.jsonl.xz"
    if not source.is_file():
        raise FileNotFoundError(f"{source} not found (../shared/data beside the project)")
    out = Path(out_dir) / f"vietnews-{name}-{limit or 'all'}.articles.jsonl"
    if not out.is_file():
        write_corpus(out, _articles(source, limit))
    return out
