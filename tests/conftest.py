"""Shared fixtures: a small real corpus and a real on-disk Whoosh index built from it, and a
local web site for the crawler tests."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crawlweb import Site

from corpus.docnumbers import find_doc_numbers
from corpus.record import Article, content_hash, corpus_path, write_corpus
from indexer.build import build_index

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# (url, title, sapo, body, published, province_old, province_new, source)
SAMPLE = [
    ("http://bao.test/cong-doan/thanh-hoa-119.htm",
     "LĐLĐ tỉnh Thanh Hoá ban hành Kế hoạch 119/KH-LĐLĐ",
     "Ban Chấp hành Liên đoàn Lao động (LĐLĐ) tỉnh Thanh Hóa ban hành Kế hoạch thực hiện "
     "Nghị quyết 02-NQ/TW của Bộ Chính trị.",
     ["Kế hoạch số 119/KH-LĐLĐ nêu rõ việc đổi mới tổ chức và hoạt động công đoàn.",
      "Các cấp công đoàn chăm lo đời sống người lao động (NLĐ) trong tỉnh."],
     "2021-08-16T09:30:00+07:00", "Thanh Hóa", "Thanh Hóa", "Báo Thử"),
    ("http://bao.test/doi-song/nghe-an-tet.htm",
     "Công đoàn Nghệ An chăm lo Tết Sum vầy cho công nhân",
     "Tết Sum vầy 2024: LĐLĐ tỉnh Nghệ An trao 3.000 suất quà.",
     ["Chương trình diễn ra tại KCN Nam Cấm, huyện Nghi Lộc.",
      "Hàng nghìn đoàn viên công đoàn nhận quà Tết."],
     "2024-01-20T08:00:00+07:00", "Nghệ An", "Nghệ An", "Báo Thử"),
    ("http://portal.test/tin/nghe-an-tet-copy.html",
     "Công đoàn Nghệ An chăm lo Tết Sum vầy cho công nhân",
     "Tết Sum vầy 2024: LĐLĐ tỉnh Nghệ An trao 3.000 suất quà.",
     ["Chương trình diễn ra tại KCN Nam Cấm, huyện Nghi Lộc.",
      "Hàng nghìn đoàn viên công đoàn nhận quà Tết."],
     "2024-01-21T10:00:00+07:00", "Nghệ An", "Nghệ An", "Cổng Thử"),
    ("http://portal.test/tin/kinh-mon-cdcs.html",
     "Thị xã Kinh Môn thành lập thêm 5 công đoàn cơ sở",
     "LĐLĐ thị xã Kinh Môn, tỉnh Hải Dương phát triển đoàn viên.",
     ["Công đoàn cơ sở (CĐCS) mới tại các doanh nghiệp may mặc.",
      "Tổng số đoàn viên tăng thêm 420 người."],
     "2022-03-01T10:00:00+07:00", "Hải Dương", "Hải Phòng", "Cổng Thử"),
    ("http://portal.test/tin/tlđ-02.html",
     "Tổng LĐLĐ Việt Nam ban hành Chương trình hành động 02/CTr-BCH",
     "Chương trình thực hiện Nghị quyết số 02-NQ/TW về đổi mới tổ chức Công đoàn Việt Nam.",
     ["Ban Chấp hành Tổng Liên đoàn yêu cầu các cấp công đoàn quán triệt.",
      "Mục tiêu phát triển đoàn viên và thành lập công đoàn cơ sở."],
     "2021-07-20T15:00:00+07:00", "Toàn quốc", "Toàn quốc", "Cổng Thử"),
    ("http://bao.test/an-toan/binh-duong-atvsld.htm",
     "Bình Dương: tập huấn an toàn, vệ sinh lao động cho 500 công nhân",
     "LĐLĐ tỉnh Bình Dương phối hợp doanh nghiệp tổ chức tập huấn ATVSLĐ.",
     ["Lớp tập huấn diễn ra tại KCN VSIP, thành phố Thuận An.",
      "Người lao động được hướng dẫn phòng chống cháy nổ."],
     "2023-05-10T07:45:00+07:00", "Bình Dương", "Hồ Chí Minh", "Báo Thử"),
    ("http://bao.test/viec-lam/tan-cong-doan-xe.htm",
     "Xe tải tấn công đoàn xe khách trên quốc lộ",
     "Một vụ tai nạn giao thông nghiêm trọng.",
     ["Chiếc xe tải mất lái tấn công đoàn xe khách đang dừng đỗ."],
     "2020-02-02T12:00:00+07:00", "Toàn quốc", "Toàn quốc", "Báo Thử"),
]


def sample_articles() -> list[Article]:
    out = []
    for url, title, sapo, body, published, p_old, p_new, source in SAMPLE:
        text = "\n".join([title, sapo, *body])
        numbers = [{"number": d.number, "type": d.type, "issuer": d.issuer}
                   for d in find_doc_numbers(text)]
        # A document's own page ("… ban hành Kế hoạch 119/KH-LĐLĐ"): its number comes first.
        kind = "directive" if numbers and "ban hành" in title else "news"
        article = Article(url=url, title=title, sapo=sapo, body=body, published=published,
                          province_old=p_old, province_new=p_new, doc_numbers=numbers, kind=kind,
                          source=url.split("/")[2], source_title=source,
                          content_hash=content_hash(title, sapo, body))
        article.dup_key = content_hash("", sapo, body)[:16]
        out.append(article)
    return out


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory) -> Path:
    """A data directory with the sample corpus and a real index built from it."""
    data_dir = tmp_path_factory.mktemp("data")
    write_corpus(corpus_path(data_dir), sample_articles())
    build_index(corpus_path(data_dir), data_dir / "index")
    return data_dir


@pytest.fixture(scope="session")
def served_url(sample_data_dir) -> str:
    """The app over the sample index on a free port of 127.0.0.1, served by waitress (the
    production server) in a background thread."""
    import threading

    from search_web.serve import make_server

    server = make_server(sample_data_dir / "index", host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, name="waitress", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def site() -> Iterator[Site]:
    """A fresh web site of the crawler tests on its own port of 127.0.0.1, closed afterwards."""
    s = Site("site")
    yield s
    s.close()
