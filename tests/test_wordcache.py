"""The word cache: shared by worker processes, migrated from its old name, and never the reason a
build fails."""
from __future__ import annotations

import sqlite3
from multiprocessing import get_context

import pytest

import indexer.wordcache as wordcache
from indexer.wordcache import WordCache, cache_path, merge_stages


def _fill(args: tuple[str, int]) -> int:
    path, worker = args
    cache = WordCache(path)
    for batch in range(20):
        lines = {f"dòng {worker}-{batch}-{i}": f"dòng_{worker}-{batch}-{i}" for i in range(50)}
        cache.get_many(lines)
        cache.put_many(lines)
        if batch % 7 == 0:
            cache.flush()
    cache.flush()
    return worker


def test_workers_stage_and_the_builder_merges(tmp_path):
    path = tmp_path / "seg.sqlite"
    WordCache(path).prepare()
    with get_context("fork").Pool(4) as pool:
        assert sorted(pool.map(_fill, [(str(path), w) for w in range(8)])) == list(range(8))
    assert WordCache(path).get_many(["dòng 7-19-49"]) == {}          # staged, not merged
    assert merge_stages(path) == 8 * 20 * 50
    assert not list(tmp_path.glob("seg.sqlite.stage-*"))
    cache = WordCache(path)
    assert cache.get_many(["dòng 7-19-49", "dòng 0-0-0"]) == {
        "dòng 7-19-49": "dòng_7-19-49", "dòng 0-0-0": "dòng_0-0-0"}
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_locked_cache_keeps_its_stage_for_the_next_merge(tmp_path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "seg.sqlite"
    cache = WordCache(path)
    cache.put_many({"người lao động": "người_lao_động"})
    cache.flush()
    holder = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    holder.execute("BEGIN EXCLUSIVE")
    real = sqlite3.connect
    try:
        with monkeypatch.context() as patch:              # wait 0.1 s for the lock, not 60
            patch.setattr(wordcache.sqlite3, "connect",
                          lambda *a, **k: real(*a, **{**k, "timeout": 0.1}))
            assert merge_stages(path) == 0                  # busy: a warning, not an error
    finally:
        holder.execute("ROLLBACK")
    assert list(tmp_path.glob("seg.sqlite.stage-*"))
    assert merge_stages(path) == 1
    assert WordCache(path).get_many(["người lao động"]) == {"người lao động": "người_lao_động"}


def test_an_unreadable_cache_is_a_miss(tmp_path):
    path = tmp_path / "seg.sqlite"
    path.write_bytes(b"not a database" * 100)
    assert WordCache(path).get_many(["công đoàn"]) == {}


def test_buffered_entries_are_read_back_before_they_are_written(tmp_path):
    cache = WordCache(tmp_path / "seg.sqlite")
    cache.put_many({"công đoàn cơ sở": "công_đoàn cơ_sở"})
    assert cache.get_many(["công đoàn cơ sở"]) == {"công đoàn cơ sở": "công_đoàn cơ_sở"}
    assert WordCache(tmp_path / "seg.sqlite").get_many(["công đoàn cơ sở"]) == {}
    cache.flush()
    merge_stages(tmp_path / "seg.sqlite")
    assert WordCache(tmp_path / "seg.sqlite").get_many(["công đoàn cơ sở"]) == {
        "công đoàn cơ sở": "công_đoàn cơ_sở"}


def test_a_cache_under_its_old_name_is_moved_with_its_stages(tmp_path):
    old = tmp_path / wordcache.LEGACY_NAME
    cache = WordCache(old)
    cache.put_many({"người lao động": "người_lao_động"})
    cache.flush()
    merge_stages(old)
    cache.put_many({"công đoàn cơ sở": "công_đoàn cơ_sở"})
    cache.flush()                                          # staged under the old name
    assert list(tmp_path.glob(wordcache.LEGACY_NAME + ".stage-*"))
    new = cache_path(tmp_path)
    assert new == tmp_path / wordcache.FILE_NAME and not old.exists()
    assert not list(tmp_path.glob(wordcache.LEGACY_NAME + "*"))
    assert merge_stages(new) == 1
    assert WordCache(new).get_many(["người lao động", "công đoàn cơ sở"]) == {
        "người lao động": "người_lao_động", "công đoàn cơ sở": "công_đoàn cơ_sở"}
    assert cache_path(tmp_path) == new                   # a second call has nothing to move


def test_both_names_present_keeps_the_new_one(tmp_path):
    (tmp_path / wordcache.LEGACY_NAME).write_bytes(b"old")
    (tmp_path / wordcache.FILE_NAME).write_bytes(b"new")
    assert cache_path(tmp_path).read_bytes() == b"new"
    assert (tmp_path / wordcache.LEGACY_NAME).read_bytes() == b"old"
