"""The query set of the speed bench: what journalists and union staff type, in fixed proportions.

Short keyword queries, quoted phrases, document numbers found in the corpus itself, the keyword
queries typed without diacritics, pasted headlines (known-item searches), province filters in
both schemes, date ranges and plain browsing. Deterministic: the same corpus gives the same set.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from corpus.textnorm import fold

SHARED = Path(__file__).resolve().parents[2] / "shared"
KEYWORDS = [
    "lao động", "công đoàn", "tiền lương", "bảo hiểm xã hội", "người lao động", "công nhân",
    "tai nạn giao thông", "giá xăng", "học sinh", "bệnh viện", "ô tô", "bóng đá", "tham nhũng",
    "chứng khoán", "bất động sản", "xuất khẩu", "nông dân", "doanh nghiệp", "Quốc hội",
    "Thủ tướng", "cháy", "mưa lớn", "ma túy", "cảnh sát giao thông", "đường sắt", "sân bay",
    "du lịch", "tuyển sinh", "vắc xin", "Hà Nội", "Đà Nẵng", "thuế", "ngân hàng", "lãi suất",
    "nghỉ hưu", "đình công", "khu công nghiệp", "an toàn lao động", "Tết", "bão", "môi trường",
    "ngư dân", "khởi tố", "lừa đảo", "xét xử", "lương tối thiểu", "thất nghiệp", "nhà ở xã hội",
    "giáo viên", "sinh viên",
]
PHRASES = [
    "người lao động", "công đoàn cơ sở", "bảo hiểm y tế", "tai nạn lao động", "tăng lương",
    "khu công nghiệp", "vi phạm giao thông", "giá vàng", "cơ quan điều tra", "Bộ Công an",
    "Ủy ban nhân dân", "thành phố Hồ Chí Minh", "phòng cháy chữa cháy", "an toàn thực phẩm",
    "biến đổi khí hậu",
]
PROVINCES_NEW = ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Thanh Hóa", "Nghệ An",
                 "Cần Thơ", "Quảng Ninh"]
PROVINCES_OLD = ["Bình Dương", "Hải Dương", "Đồng Nai", "Quảng Nam"]


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    q: str = ""
    provinces: tuple[str, ...] = ()
    scheme: str = "new"
    date_from: date | None = None
    date_to: date | None = None
    sort: str = ""
    page: int = 1
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def _doc_numbers(corpus_file: Path, rng: random.Random, n: int) -> list[str]:
    """Document numbers that occur in the corpus, as users type them (some spaced, lower-case)."""
    found: list[str] = []
    with open(corpus_file, encoding="utf-8") as f:
        for line in f:
            found.extend(d["number"] for d in json.loads(line)["doc_numbers"])
            if len(found) >= 20 * n:
                break
    picked = rng.sample(sorted(set(found)), min(n, len(set(found))))
    variants = [lambda s: s, str.lower, lambda s: s.replace("/", " / ").replace("-", " - ")]
    return [variants[i % 3](s) for i, s in enumerate(picked)]


def _headlines(rng: random.Random, n: int) -> list[str]:
    path = SHARED / "relevance" / "vietnews-titles" / "queries.tsv"
    titles = [line.split("\t", 1)[1].strip() for line in path.read_text("utf-8").splitlines()]
    return rng.sample(titles, n)


def _range(rng: random.Random) -> tuple[date, date]:
    start = date(2016 + rng.randrange(4), 1 + rng.randrange(12), 1)
    months = rng.choice([1, 3, 6, 12])
    end_month = start.month - 1 + months
    return start, date(start.year + end_month // 12, end_month % 12 + 1, 1)


def query_set(corpus_file: Path, seed: int = 5) -> list[BenchQuery]:
    """About 200 requests: 50 keywords, 15 phrases, 15 numbers, 40 unaccented, 20 headlines,
    24 province filters, 20 date ranges, 12 browsing."""
    rng = random.Random(seed)
    out = [BenchQuery("keyword", k) for k in KEYWORDS]
    out += [BenchQuery("phrase", f'"{p}"') for p in PHRASES]
    out += [BenchQuery("doc_number", d) for d in _doc_numbers(corpus_file, rng, 15)]
    out += [BenchQuery("unaccented", fold(k).lower()) for k in KEYWORDS[:40]]
    out += [BenchQuery("headline", t) for t in _headlines(rng, 20)]
    for i in range(24):
        old = i % 3 == 2
        names = PROVINCES_OLD if old else PROVINCES_NEW
        out.append(BenchQuery("province", rng.choice(KEYWORDS) if i % 4 else "",
                              provinces=(rng.choice(names),), scheme="old" if old else "new"))
    for i in range(20):
        start, end = _range(rng)
        out.append(BenchQuery("date_range", rng.choice(KEYWORDS) if i % 4 else "",
                              date_from=start, date_to=end, sort="newest" if i % 3 == 0 else ""))
    for i in range(12):
        out.append(BenchQuery("browse", "", page=1 + i % 4,
                              sort="oldest" if i % 2 else "newest"))
    return out
