"""The fast segment writer writes the very files Whoosh's own writer writes."""
from __future__ import annotations

import random
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from indexer.analysis import segment
from indexer.build import INLINE_LIMIT
from indexer.schema import make_schema
from indexer.segwriter import FastSegmentWriter

SYLLABLES = ("công đoàn người lao động liên đoàn tỉnh thanh hóa nghệ an hòa bình "
             "kế hoạch nghị quyết việc làm tiền lương bảo hiểm xã hội đại hội "
             "thỏa ước tập thể quyền lợi chăm lo đoàn viên tết sum vầy mái ấm").split()


def documents(n: int) -> list[dict]:
    rng = random.Random(7)
    docs = []
    for i in range(n):
        words = [SYLLABLES[min(int(rng.paretovariate(0.8)), len(SYLLABLES)) - 1]
                 for _ in range(rng.randint(5, 300))]
        words += [f"hiếm{rng.randint(0, 3 * n)}" for _ in range(3)]     # inline-length lists
        text = " ".join(words)
        title = " ".join(words[:8]).capitalize()
        docs.append({"id": f"d{i}", "title": title, "sapo": "", "body": text,
                     "title_fold": title, "text_fold": text,
                     "title_words": segment(title), "text_words": segment(text),
                     "so_hieu": "02-nq/tw" if i % 9 == 0 else "", "dup_key": f"d{i}",
                     "f_province_new": "Thanh Hóa", "date_sort": i})
    return docs


def write(path: Path, writer_class, docs: list[dict]) -> dict[str, bytes]:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), make_schema())
    writer = writer_class(ix, codec=W3Codec(inlinelimit=INLINE_LIMIT), compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return {p.suffix: p.read_bytes() for p in path.iterdir() if p.suffix in (".trm", ".pst")}


def test_same_term_and_posting_files_as_whoosh(tmp_path):
    docs = documents(500)
    ours = write(tmp_path / "fast", FastSegmentWriter, docs)
    theirs = write(tmp_path / "whoosh", SegmentWriter, docs)
    assert set(ours) == {".trm", ".pst"} and len(ours[".pst"]) > 100_000
    assert ours == theirs


def test_merging_segments_falls_back_to_the_pool(tmp_path):
    docs = documents(60)
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    for part in (docs[:20], docs[20:40]):
        writer = FastSegmentWriter(ix, codec=W3Codec(inlinelimit=INLINE_LIMIT))
        for doc in part:
            writer.add_document(**doc)
        writer.commit(merge=False)
    writer = FastSegmentWriter(ix, codec=W3Codec(inlinelimit=INLINE_LIMIT))
    for doc in docs[40:]:
        writer.add_document(**doc)
    writer.commit(optimize=True)
    with ix.searcher() as s:
        assert s.doc_count() == 60 and len(ix._segments()) == 1
        assert s.doc_frequency("body", "công") == sum("công" in d["body"].split() for d in docs)
        assert sorted(s.document_number(id=f"d{i}") is not None for i in range(60)) == [True] * 60
