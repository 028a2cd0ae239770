"""The fast segment writer writes what Whoosh's own writer writes: the same terms, term
information, posting blocks and values, read back through Whoosh's reader."""
from __future__ import annotations

import random
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from indexer.analysis import join_compounds
from indexer.build import INLINE_LIMIT
from indexer.schema import make_schema
from indexer.whooshfast import FastSegmentWriter

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
                     "title_words": join_compounds(title), "text_words": join_compounds(text),
                     "so_hieu": "02-nq/tw" if i % 9 == 0 else "", "dup_key": f"d{i}".encode(),
                     "f_province_new": "Thanh Hóa".encode(), "date_sort": i})
    return docs


def write(path: Path, writer_class, docs: list[dict]):
    path.mkdir()
    ix = whoosh_index.create_in(str(path), make_schema())
    writer = writer_class(ix, codec=W3Codec(inlinelimit=INLINE_LIMIT), compound=False)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return ix


def contents(ix) -> dict:
    """Every term of every field with its term information and its postings, block by block."""
    out = {}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                     info.max_weight(), info.min_id(), info.max_id(), info.is_inlined())
            m = reader.postings(fieldname, text)
            positions = m.supports("positions")
            postings = []
            while m.is_active():     # with the statistics of the block each posting is in
                value = m.value_as("positions") if positions else m.value()
                postings.append((m.id(), m.weight(), value, m.block_max_weight(),
                                 m.block_min_length(), m.block_max_length()))
                m.next()
            out[fieldname, text] = (stats, tuple(postings))
    return out


def test_same_terms_and_postings_as_whoosh(tmp_path):
    docs = documents(500)
    ours = write(tmp_path / "fast", FastSegmentWriter, docs)
    theirs = write(tmp_path / "whoosh", SegmentWriter, docs)
    ours_contents = contents(ours)
    assert len(ours_contents) > 1000
    assert any(info[1] >= 100 for info, _ in ours_contents.values())   # multi-block lists
    assert sum(info[-1] for info, _ in ours_contents.values()) > 100     # inlined lists
    assert ours_contents == contents(theirs)
    files = {p.suffix: p.stat().st_size for p in (tmp_path / "fast").iterdir()}
    assert files[".pst"] < sum(p.stat().st_size for p in (tmp_path / "whoosh").glob("*.pst"))


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
