"""A damaged index is detected, survived and said: each way the attack run damaged one."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from corpus.record import corpus_path
from indexer.build import build_index
from indexer.check import check_generation
from indexer.generations import current_generation
from search_web.app import create_app


def _scramble(path: Path, seed: int = 1, share: float = 0.3) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for _ in range(max(50, int(len(data) * share))):
        j = rng.randrange(len(data) // 8, len(data))
        data[j] = rng.randrange(256)
    path.write_bytes(bytes(data))


@pytest.fixture
def two_generations(sample_data_dir, tmp_path) -> Path:
    """A copy of the sample index with a second, rebuilt generation (the first is kept)."""
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    build_index(corpus_path(data), data / "index", rebuild=True, procs=1)
    assert current_generation(data / "index").name == "gen-000002"
    return data / "index"


def _damage(index_dir: Path, how: str) -> None:
    gen = current_generation(index_dir)
    if how == "postings":               # small postings lists are inlined in the term file
        pst = next(gen.glob("*.pst"))
        _scramble(pst if pst.stat().st_size else next(gen.glob("*.trm")))
    elif how == "stored":
        _scramble(next(gen.glob("*._stored.col")), share=0.5)
    elif how == "terms":
        trm = next(gen.glob("*.trm"))
        trm.write_bytes(trm.read_bytes()[: trm.stat().st_size // 3])
    elif how == "toc":
        toc = next(gen.glob("_*.toc"))
        toc.write_bytes(b"\x00garbage" * 20)


@pytest.mark.parametrize("how", ["postings", "stored", "terms", "toc"])
def test_the_check_finds_the_damage(two_generations, how):
    gen = current_generation(two_generations)
    assert check_generation(gen) == [] and check_generation(gen, full=True) == []
    _damage(two_generations, how)
    assert check_generation(gen, full=True), how


@pytest.mark.parametrize("how", ["postings", "stored", "terms", "toc"])
def test_a_damaged_generation_falls_back_to_the_previous_one(two_generations, how, caplog):
    _damage(two_generations, how)
    client = create_app(two_generations).test_client()
    for path in ("/search?q=c%C3%B4ng+%C4%91o%C3%A0n", "/search?q=lao+dong", "/",
                 "/search.json?q=ngh%E1%BB%8B+quy%E1%BA%BFt"):
        r = client.get(path)
        assert r.status_code == 200, (how, path, r.status_code)
    assert "Traceback" not in caplog.text
    assert "gen-000002 is damaged" in caplog.text and "gen-000001" in caplog.text


def test_no_readable_generation_is_a_503_with_one_log_line_then_recovery(sample_data_dir,
                                                                          tmp_path, caplog):
    data = tmp_path / "data"
    shutil.copytree(sample_data_dir, data)
    index_dir = data / "index"
    _damage(index_dir, "toc")
    app = create_app(index_dir)
    client = app.test_client()
    for path in ("/search?q=lao+dong", "/", "/search.json?q=x", "/article/abc"):
        r = client.get(path)
        assert r.status_code == 503 and r.headers["Retry-After"], path
        assert "Chỉ mục" in r.get_data(as_text=True) and "Content-Security-Policy" in r.headers
    assert "Traceback" not in caplog.text
    build_index(corpus_path(data), index_dir, rebuild=True, procs=1)  # a good generation
    app.extensions["search_index"].RETRY_SECONDS = 0
    assert client.get("/search?q=lao+dong").status_code == 200


def test_damage_a_sample_misses_is_found_when_a_query_meets_it(two_generations, monkeypatch):
    """Postings damaged where the start-up sample does not read: the failing query makes the
    index check again with its own terms, and the answer comes from the previous generation."""
    import indexer.check as check
    app = create_app(two_generations)
    client = app.test_client()
    assert client.get("/search?q=lao+dong").status_code == 200
    monkeypatch.setattr(check, "SAMPLE_TERMS", 0)
    _damage(two_generations, "postings")
    index = app.extensions["search_index"]
    index._postings = type(index._postings)()                 # nothing cached from before
    statuses = {client.get(f"/search?q={q}").status_code
                for q in ("lao+dong", "c%C3%B4ng+%C4%91o%C3%A0n", "ngh%E1%BB%8B+quy%E1%BA%BFt")}
    assert statuses <= {200}, statuses
    assert index._view.gen.name == "gen-000001"                # found, and set aside


def test_index_check_command_reports_the_damaged_generation(two_generations):
    import subprocess
    import sys
    cmd = [sys.executable, "-m", "unionsearch.cli", "index", "--check", "--index-dir",
           str(two_generations)]
    ok = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "gen-000002 (live): readable" in ok.stdout
    _damage(two_generations, "postings")
    bad = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and "gen-000002 (live): DAMAGED" in bad.stdout
    assert "gen-000001: readable" in bad.stdout and "Traceback" not in bad.stderr


def test_a_garbage_current_pointer_keeps_the_generation_being_served(two_generations, caplog):
    client = create_app(two_generations).test_client()
    assert client.get("/search?q=lao+dong").status_code == 200
    (two_generations / "CURRENT").write_bytes(b"\x89PNG garbage \xff\xfe")
    for _ in range(3):
        assert client.get("/search?q=lao+dong").status_code == 200
    assert "Traceback" not in caplog.text
