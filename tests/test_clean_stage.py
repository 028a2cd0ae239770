"""The clean stage over a real WARC store: incremental runs, changed pages, gone pages."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from corpus.clean.stage import clean_store
from corpus.rawstore import HttpExchange
from corpus.record import corpus_path, read_corpus
from crawler.warcwriter import WarcWriter

PARAS = ["Liên đoàn Lao động tỉnh Nghệ An tổ chức chương trình chăm lo cho đoàn viên, người lao "
         "động có hoàn cảnh khó khăn tại các khu công nghiệp trên địa bàn tỉnh.",
         "Tại chương trình, hơn 1.200 suất quà đã được trao tận tay công nhân, mỗi suất trị giá "
         "một triệu đồng gồm tiền mặt và nhu yếu phẩm thiết yếu.",
         "Chủ tịch LĐLĐ tỉnh cho biết, năm nay công đoàn các cấp dành hơn 5 tỷ đồng cho hoạt động "
         "chăm lo, ưu tiên công nhân nữ, công nhân làm việc xa quê và con đoàn viên mồ côi."]


def page(title: str, extra: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in [*PARAS, extra] if p)
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f"<h1>{title}</h1><div class='c'>{body}</div></body></html>").encode()


def archive(data_dir, when: datetime, url: str, status: int, body: bytes, gone: str | None = None):
    with WarcWriter(data_dir) as w:
        w.write_response(HttpExchange(url=url, status=status,
                                      response_headers=(("Content-Type", "text/html; charset=utf-8"),),
                                      raw_body=body, fetched_at=when), gone=gone)


def test_incremental_clean_updates_and_deletes(tmp_path):
    t0 = datetime.now(UTC) - timedelta(hours=3)
    a, b = "http://bao.test/a.htm", "http://bao.test/b.htm"
    archive(tmp_path, t0, a, 200, page("Nghệ An chăm lo Tết cho công nhân"))
    archive(tmp_path, t0, b, 200, page("Nghệ An trao học bổng cho con đoàn viên"))
    first = clean_store(tmp_path)
    assert first.articles == 2 and first.pages == 2

    # Later: a is edited, b answers 410.
    t1 = datetime.now(UTC) + timedelta(seconds=1)
    archive(tmp_path, t1, a, 200, page("Nghệ An chăm lo Tết cho công nhân",
                                       "Chương trình còn tặng 50 vé xe cho công nhân về quê."))
    archive(tmp_path, t1, b, 410, b"", gone="http_410")
    second = clean_store(tmp_path)
    assert (second.pages, second.changed, second.deleted, second.articles) == (1, 1, 1, 1)
    [article] = read_corpus(corpus_path(tmp_path))
    assert article.url == a and "50 vé xe" in article.text

    third = clean_store(tmp_path)
    assert third.pages == 0 and third.articles == 1


def test_a_pathological_page_is_skipped_with_its_reason_and_never_stalls_the_stage(tmp_path,
                                                                                  monkeypatch):
    """500k unclosed <p><b><i> (4.5 MB, under the crawler's cap) took 58 s and 748 MB; a page
    that is slow for any other reason meets the per-page deadline."""
    import time

    import corpus.clean.stage as stage
    t0 = datetime.now(UTC) - timedelta(hours=1)
    bomb = ("<html><head><title>x</title></head><body>" + "<p><b><i>công đoàn" * 150_000
            + "</body></html>").encode()
    archive(tmp_path, t0, "http://bao.test/bomb.htm", 200, bomb)
    archive(tmp_path, t0, "http://bao.test/a.htm", 200, page("Nghệ An chăm lo Tết cho công nhân"))
    archive(tmp_path, t0, "http://bao.test/slow.htm", 200, page("Trang chậm của Nghệ An"))
    real = stage.clean_html

    def sometimes_slow(html, url, **kw):
        if url.endswith("slow.htm"):
            time.sleep(30)
        return real(html, url, **kw)

    monkeypatch.setattr(stage, "clean_html", sometimes_slow)
    monkeypatch.setattr("corpus.clean.budget.PAGE_SECONDS", 1.0)
    monkeypatch.setattr(stage, "deadline", lambda: __import__(
        "corpus.clean.budget", fromlist=["deadline"]).deadline(1.0))
    started = time.monotonic()
    stats = clean_store(tmp_path)
    assert time.monotonic() - started < 15
    assert stats.rejected["too-complex"] == 1 and stats.rejected["too-slow"] == 1
    assert stats.articles == 1 and "too-complex 1" in stats.summary()
