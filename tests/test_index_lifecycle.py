"""The index life cycle under failure: an indexer killed with SIGKILL (mid-commit, mid-batch,
mid-rebuild, with its helper processes alive) leaves the last good index searchable with the old
content, and the next run completes the update. Rebuilds flip ``CURRENT`` only when complete and
prune every generation but the live one and its predecessor."""
from __future__ import annotations

import fcntl
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.record import Article, content_hash, corpus_path, read_corpus, write_corpus
from indexer import build, wordcache
from indexer.build import IndexBusy, build_index
from indexer.generations import current_generation
from indexer.search import SearchIndex, SearchRequest

#: Runs build_index in a child process that stops at a chosen point and waits to be killed.
KILLABLE = r"""
import sys, time
from pathlib import Path
from whoosh.filedb.filestore import FileStorage
from indexer import build, wordcache

corpus, index_dir, point, marker, rebuild = sys.argv[1:6]

def stop_here():
    Path(marker).write_text("stopped")
    time.sleep(600)

if point == "toc":   # segments written, the new table of contents not yet renamed into place
    rename = FileStorage.rename_file
    def rename_file(self, old, new, safe=False):
        if new.endswith(".toc"):
            stop_here()
        return rename(self, old, new, safe)
    FileStorage.rename_file = rename_file
else:                # "adding:K": the K-th article read, by the builder or by each worker
    read = build.line_document
    seen = []
    def line_document(line):
        seen.append(1)
        if len(seen) == int(point.split(":")[1]):
            stop_here()
        return read(line)
    build.line_document = line_document

build.build_index(Path(corpus), Path(index_dir), rebuild=rebuild == "1")
"""


def kill_indexer_at(point: str, data: Path, tmp_path: Path, rebuild: bool = False) -> None:
    """Start an indexing process, wait until it reaches ``point``, SIGKILL it."""
    marker = tmp_path / f"stopped-{time.monotonic_ns()}"
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE, str(corpus_path(data)),
                             str(data / "index"), point, str(marker), "1" if rebuild else "0"])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, "the indexer ended before the kill point"
            assert time.monotonic() < deadline, "the indexer never reached the kill point"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


def locks_held(data: Path) -> list[str]:
    """The index's lock files (the build lock, Whoosh's write locks) that some process still
    holds: a killed indexer's workers inherit its descriptors. Tried with ``flock`` itself, not
    read from /proc: a dying process keeps its locks until its last step, after its /proc
    entries stop answering."""
    held = []
    for path in [data / "index" / build.LOCK_FILE,
                 *(data / "index").glob("gen-*/*WRITELOCK")]:
        with open(path, "a") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(f, fcntl.LOCK_UN)
            except BlockingIOError:
                held.append(path.name)
    return held


def total(ix: SearchIndex, q: str) -> int:
    return ix.search(SearchRequest(q=q)).total


def synthetic(n: int, version: str) -> list[Article]:
    """``n`` short articles; the version word is in every body."""
    out = []
    for i in range(n):
        title = f"Tin số {i} về công đoàn cơ sở"
        sapo = f"Công đoàn cơ sở số {i} chăm lo cho người lao động."
        body = [f"Bài viết phiên bản {version} của tin số {i}.", "Đoàn viên được tặng quà."]
        out.append(Article(url=f"http://bao.test/tin/{i}.htm", title=title, sapo=sapo, body=body,
                           published=f"2024-01-{1 + i % 28:02d}T08:00:00+07:00",
                           content_hash=content_hash(title, sapo, body)))
    return out


@pytest.fixture
def data(sample_data_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "data"
    shutil.copytree(sample_data_dir, out)
    return out


def edit_titles(data: Path) -> None:
    """Every article gets a new title; one is deleted and one added."""
    articles = list(read_corpus(corpus_path(data)))[:-1]
    for a in articles:
        a.title = f"{a.title} (bản sửa đổi)"
        a.content_hash = content_hash(a.title, a.sapo, a.body)
    articles.append(Article(url="http://bao.test/moi.htm", title="Bài mới về Quảng Ninh",
                            sapo="Công nhân mỏ than.", body=["Nội dung."], content_hash="new"))
    write_corpus(corpus_path(data), articles)


def test_killed_mid_commit_keeps_last_good_index_and_next_run_completes(data, tmp_path):
    ix = SearchIndex(data / "index")
    assert total(ix, "bản sửa đổi") == 0
    old = total(ix, "công đoàn")
    edit_titles(data)
    kill_indexer_at("toc", data, tmp_path)

    after_crash = SearchIndex(data / "index")      # a reader opening now sees the old commit
    assert total(after_crash, "bản sửa đổi") == 0 and total(after_crash, "Quảng Ninh") == 0
    assert total(after_crash, "công đoàn") == old
    ix.refresh()
    assert total(ix, "công đoàn") == old

    stats = build_index(corpus_path(data), data / "index")
    assert (stats.added, stats.deleted, stats.updated) == (1, 1, 6)
    ix.refresh()
    assert total(ix, "bản sửa đổi") == 5 and total(ix, "Quảng Ninh") == 1   # 6 edited, 2 copies
    assert not list((data / "index").glob("gen-*/*.tmp"))


def test_killed_parallel_update_releases_its_locks(tmp_path):
    """Worker processes inherit the write locks: they must die with the indexer, or every
    later run fails with a lock error."""
    data = tmp_path / "data"
    write_corpus(corpus_path(data), synthetic(build.PARALLEL_MIN + 40, "cũ"))
    build_index(corpus_path(data), data / "index")     # parallel (batch above PARALLEL_MIN)
    ix = SearchIndex(data / "index")
    n = ix.doc_count
    assert total(ix, "phiên bản cũ") == n
    write_corpus(corpus_path(data), synthetic(n, "mới"))
    kill_indexer_at("adding:100", data, tmp_path)

    deadline = time.monotonic() + 10
    while locks_held(data) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not locks_held(data), "helper processes outlived the killed indexer"
    ix.refresh()
    assert total(ix, "phiên bản cũ") == n and total(ix, "phiên bản mới") == 0

    stats = build_index(corpus_path(data), data / "index")
    assert stats.updated == n
    ix.refresh()
    assert total(ix, "phiên bản mới") == n and total(ix, "phiên bản cũ") == 0
    assert ix.doc_count == n


def test_killed_rebuild_never_flips_and_its_remains_are_removed(data, tmp_path):
    live = current_generation(data / "index")
    edit_titles(data)
    kill_indexer_at("adding:3", data, tmp_path, rebuild=True)
    assert current_generation(data / "index") == live
    assert len(list((data / "index").glob("gen-*"))) == 2         # the live one and a remnant
    assert total(SearchIndex(data / "index"), "bản sửa đổi") == 0

    build_index(corpus_path(data), data / "index", rebuild=True)
    gens = sorted(p.name for p in (data / "index").glob("gen-*"))
    assert gens == sorted([live.name, current_generation(data / "index").name])
    assert total(SearchIndex(data / "index"), "bản sửa đổi") == 5


def test_rebuilds_keep_only_the_live_generation_and_its_predecessor(data):
    index = data / "index"
    names = [current_generation(index).name]
    for _ in range(3):
        build_index(corpus_path(data), index, rebuild=True)
        names.append(current_generation(index).name)
    assert len(set(names)) == 4
    assert sorted(p.name for p in index.glob("gen-*")) == names[-2:]


def test_an_update_reads_no_stored_records(data, monkeypatch):
    from whoosh.reading import SegmentReader

    def refuse(*args, **kwargs):
        raise AssertionError("stored records were loaded")

    monkeypatch.setattr(SegmentReader, "stored_fields", refuse)
    monkeypatch.setattr(SegmentReader, "all_stored_fields", refuse)
    edit_titles(data)
    stats = build_index(corpus_path(data), data / "index")
    assert (stats.added, stats.deleted, stats.updated) == (1, 1, 6)


def test_rebuild_reuses_cached_segmentation(data, monkeypatch):
    from indexer import wordseg

    def refuse(*args, **kwargs):
        raise AssertionError("pyvi ran again")

    assert (data / "index" / wordcache.FILE_NAME).is_file()
    monkeypatch.setattr(wordseg, "tokenize", refuse)
    stats = build_index(corpus_path(data), data / "index", rebuild=True)
    assert stats.added == stats.total == 7


def test_one_indexing_process_at_a_time(data):
    import fcntl

    with open(data / "index" / build.LOCK_FILE, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(IndexBusy):
            build_index(corpus_path(data), data / "index")
    assert build_index(corpus_path(data), data / "index").unchanged == 7


def test_progress_lines_report_rate_and_commit(data):
    lines: list[str] = []
    build_index(corpus_path(data), data / "index", rebuild=True, progress=lines.append)
    assert lines[0].startswith("indexed 7/7 articles (") and "/s" in lines[0]
    assert lines[-1] == "committing"


def test_an_index_of_another_format_is_rebuilt_not_updated(data):
    index = data / "index"
    live = current_generation(index)
    n = SearchIndex(index).doc_count
    (live / build.FORMAT_FILE).write_text("written-by-an-older-release\n")
    messages: list[str] = []
    stats = build_index(corpus_path(data), index, progress=messages.append)
    assert current_generation(index) != live and stats.added == n == stats.total
    assert any("another version" in m for m in messages)
    assert (current_generation(index) / build.FORMAT_FILE).read_text().strip() == \
        build.index_format()
    assert build_index(corpus_path(data), index).added == 0         # and then updated again


def test_a_build_leaves_its_segmentations_staged_for_the_next_reader(data):
    import sqlite3

    index_dir = data / "fresh-index"
    build_index(corpus_path(data), index_dir)
    cache = index_dir / wordcache.FILE_NAME
    staged = list(index_dir.glob(wordcache.FILE_NAME + ".stage-*"))
    rows = sum(sqlite3.connect(s).execute("SELECT count(*) FROM seg").fetchone()[0]
               for s in staged)
    assert staged and rows > 0                     # not merged: no part of making the index
    before = sqlite3.connect(cache).execute("SELECT count(*) FROM seg").fetchone()[0]
    build.settle_word_cache(index_dir)
    assert not list(index_dir.glob(wordcache.FILE_NAME + ".stage-*"))
    after = sqlite3.connect(cache).execute("SELECT count(*) FROM seg").fetchone()[0]
    assert before == 0 and after == rows
