"""Newsroom queries over the demo corpus: what journalists and union staff type, and what a
right answer looks like.

Each query states what must hold of the answer (``/search.json``): the first hit's title, every
hit's province, an article that must or must not be found, a total, a note. They were written
from how people search the demo sites (places with and without diacritics, old province names,
abbreviations, operators, titles, document numbers, typos), not from what the engine returns.
The tests run them (``tests/test_newsroom_queries.py``); this benchmark prints the table, beside
a plain BM25 over syllables on the same articles (what an out-of-the-box engine answers).
Run: ``.venv/bin/python -m bench.newsroom_queries [--index DIR]`` (without ``--index`` the demo is
crawled and indexed first, into a temporary directory).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

Answer = dict[str, Any]


@dataclass(frozen=True)
class NewsroomQuery:
    """One query and what its answer must satisfy (every given check)."""

    q: str
    why: str
    params: dict[str, str] = field(default_factory=dict)
    top: str = ""                      # the first hit's title contains this
    in_top: tuple[str, ...] = ()       # each of these title fragments among the first 10 hits
    not_in: tuple[str, ...] = ()       # none of these fragments in any hit's title
    province: str = ""                 # every hit's new or old province is this
    top_province: str = ""             # the first three hits' new or old province is this
    not_province: str = ""             # no hit's new province is this
    total: int | None = None
    min_total: int = 0
    note: str = ""                     # a note containing this (case-insensitive)
    no_note: bool = False              # no note at all

    def url(self) -> str:
        return "/search.json?" + urlencode({"q": self.q, "size": "50", **self.params})


def check(spec: NewsroomQuery, answer: Answer) -> list[str]:
    """What the answer gets wrong (empty when it is right)."""
    hits = answer.get("results", [])
    titles = [h["title"] for h in hits]
    notes = " | ".join([*answer.get("notes", []),
                        *(f"{p['old']} nay thuộc {p['new']}" for p in answer.get("places", []))])
    problems = []
    if spec.top and (not titles or spec.top.casefold() not in titles[0].casefold()):
        problems.append(f"first hit {titles[0][:60] if titles else 'none'!r}, wanted {spec.top!r}")
    for frag in spec.in_top:
        if not any(frag.casefold() in t.casefold() for t in titles[:10]):
            problems.append(f"{frag!r} not in the first 10")
    for frag in spec.not_in:
        bad = [t for t in titles if frag.casefold() in t.casefold()]
        if bad:
            problems.append(f"{frag!r} found: {bad[0][:60]!r}")
    if spec.province:
        off = [h for h in hits if spec.province not in (h.get("province_new"), h.get("province_old"))]
        if off:
            problems.append(f"{len(off)} hit(s) outside {spec.province}: {off[0]['title'][:50]!r}")
    if spec.top_province:
        off = [h["title"] for h in hits[:3]
               if spec.top_province not in (h.get("province_new"), h.get("province_old"))]
        if off or not hits:
            problems.append(f"first hits outside {spec.top_province}: {off[0][:50] if off else 'none'!r}")
    if spec.not_province:
        off = [h for h in hits if h.get("province_new") == spec.not_province]
        if off:
            problems.append(f"{len(off)} hit(s) in {spec.not_province}")
    total = int(answer.get("total", 0))
    if spec.total is not None and total != spec.total:
        problems.append(f"total {total}, wanted {spec.total}")
    if total < spec.min_total:
        problems.append(f"total {total}, wanted at least {spec.min_total}")
    if spec.note and spec.note.casefold() not in notes.casefold():
        problems.append(f"no note with {spec.note!r} (notes: {notes[:80]!r})")
    if spec.no_note and notes:
        problems.append(f"unexpected note {notes[:80]!r}")
    return problems


QUERIES: tuple[NewsroomQuery, ...] = (
    # -- places: whole names, not syllables
    NewsroomQuery("Quảng Bình", "a province no article mentions: 0 and a note, not 'bình quân'",
                  total=0, note="Quảng Bình"),
    NewsroomQuery("Quảng Trị", "the same, typed with diacritics", total=0),
    NewsroomQuery("Hòa Bình", "the one article naming it (KCN Hòa Bình), not 'Thái Bình'",
                  total=1, top="Kon Tum"),
    NewsroomQuery("quang binh", "typed without diacritics", total=0),
    NewsroomQuery("Thanh Hóa", "the province first", top_province="Thanh Hóa", min_total=3),
    NewsroomQuery("thanh hoa", "without diacritics", top_province="Thanh Hóa", min_total=3),
    NewsroomQuery("Thanh Hoá", "old tone placement", top_province="Thanh Hóa", min_total=3),
    NewsroomQuery("Kinh Môn", "a town of old Hải Dương", top="Kinh Môn"),
    NewsroomQuery("Đông Anh", "a district of Hà Nội", top="Đông Anh"),
    NewsroomQuery("KCN Quang Châu", "an industrial zone", top="Quang Châu"),
    NewsroomQuery("Phú Quốc", "an island city", top="Phú Quốc"),
    # -- place aliases and the 2025 merger
    NewsroomQuery("HCM", "the usual abbreviation", top_province="Hồ Chí Minh", min_total=3),
    NewsroomQuery("TPHCM", "written together", top_province="Hồ Chí Minh", min_total=3),
    NewsroomQuery("TP.HCM", "with a dot", top_province="Hồ Chí Minh", min_total=3),
    NewsroomQuery("TP HCM", "with a space", top_province="Hồ Chí Minh", min_total=3),
    NewsroomQuery("Sài Gòn", "the old name", top_province="Hồ Chí Minh", min_total=3),
    NewsroomQuery("BR-VT", "Bà Rịa - Vũng Tàu", top="Bà Rịa - Vũng Tàu"),
    NewsroomQuery("Huế", "Thừa Thiên Huế, now TP Huế", in_top=("Thừa Thiên Huế",)),
    NewsroomQuery("Hải Dương", "merged into Hải Phòng: its articles and a note",
                  top_province="Hải Dương", min_total=3, note="Hải Phòng"),
    NewsroomQuery("Bắc Giang", "merged into Bắc Ninh", in_top=("Quang Châu",), note="Bắc Ninh"),
    NewsroomQuery("", "an old province as a filter", params={"province": "Hải Dương"},
                  min_total=3, note="Hải Phòng"),
    NewsroomQuery("", "a filter with the old tone placement", params={"province": "Thanh Hoá"},
                  province="Thanh Hóa", min_total=3),
    # -- abbreviations of union bodies and terms
    NewsroomQuery("LĐLĐ Nghệ An", "provincial federation", top="Nghệ An"),
    NewsroomQuery("ATVSLĐ", "occupational safety, either way written",
                  in_top=("ATVSLĐ", "an toàn, vệ sinh lao động"), min_total=4),
    NewsroomQuery("CĐCS", "grassroots unions", in_top=("CĐCS", "công đoàn cơ sở"), min_total=2),
    NewsroomQuery("Tổng Liên đoàn", "the federation as one name", min_total=2),
    NewsroomQuery("Công đoàn Khu vực", "a new kind of body", in_top=("Công đoàn Khu vực",)),
    # -- operators people type
    NewsroomQuery("cong AND doan", "AND is an operator, not a word", min_total=20, no_note=True),
    NewsroomQuery("công đoàn AND", "a dangling operator: dropped with a note", min_total=20,
                  note="AND"),
    NewsroomQuery("cong doan NOT", "the same for NOT", min_total=20, note="NOT"),
    NewsroomQuery("OR Tết", "a leading OR", min_total=5, note="OR"),
    NewsroomQuery("Tết NOT \"Bính Ngọ\"", "NOT excludes", min_total=3, not_in=("Bính Ngọ",)),
    NewsroomQuery("Tết -\"Sum vầy\"", "minus excludes a phrase", min_total=3, not_in=("Sum vầy",)),
    NewsroomQuery("công nhân NOT \"Hải Phòng\"", "NOT a place", min_total=5,
                  not_in=("Hải Phòng",)),
    NewsroomQuery("Nghệ An OR Hà Tĩnh", "either province", in_top=("Nghệ An", "Hà Tĩnh")),
    NewsroomQuery("title:", "an empty scope: a note, not everything silently", note="title:"),
    NewsroomQuery("so_hieu:", "an empty number scope", note="so_hieu:"),
    # -- phrases keep their synonyms
    NewsroomQuery("\"lien doan lao dong\"", "the phrase and its abbreviation LĐLĐ",
                  in_top=("Phú Yên", "Nghệ An")),
    NewsroomQuery("\"an toàn vệ sinh lao động\"", "the phrase and ATVSLĐ", in_top=("Đồng Nai",)),
    # -- titles and exact phrases first
    NewsroomQuery("Thủ tướng Chính phủ yêu cầu chăm lo Tết Quý Mão 2023 cho người lao động",
                  "a title typed whole", top="Thủ tướng Chính phủ yêu cầu chăm lo Tết Quý Mão"),
    NewsroomQuery("thu tuong chinh phu yeu cau cham lo tet quy mao 2023",
                  "the same without diacritics", top="Thủ tướng Chính phủ yêu cầu chăm lo Tết Quý Mão"),
    NewsroomQuery("Mái ấm Công đoàn", "a programme's name", top="Mái ấm Công đoàn"),
    NewsroomQuery("lương tối thiểu vùng", "a term", top="lương tối thiểu vùng"),
    # -- document numbers
    NewsroomQuery("119/KH-LĐLĐ", "a plan's number", top="Thanh Hóa"),
    NewsroomQuery("02-NQ/TW", "the resolution everyone implements", min_total=8),
    NewsroomQuery("Nghị quyết 02", "a bare reference", min_total=8),
    NewsroomQuery("145/2020/NĐ-CP", "a decree", min_total=3),
    # -- typos in tone marks
    NewsroomQuery("đòan viên", "a misplaced mark", min_total=10, note="đoàn viên"),
    NewsroomQuery("Tết Sum vầy", "a campaign", top="Sum vầy"),
)


def run(client: Any, queries: Sequence[NewsroomQuery] = QUERIES) -> list[tuple[NewsroomQuery, list[str]]]:
    """Each query through the web app's JSON twin, with its problems."""
    out = []
    for spec in queries:
        answer = client.get(spec.url()).get_json()
        out.append((spec, check(spec, answer)))
    return out


def bm25_client(index_dir: Path) -> Any:
    """A stand-in client answering like an out-of-the-box engine: BM25 over lower-cased
    syllables of title and text, OR of the words (no filters, no notes)."""
    from indexer.analysis import syllables
    from indexer.baseline import BM25
    from indexer.search import SearchIndex, SearchRequest

    index = SearchIndex(index_dir)
    hits = index.search(SearchRequest(page_size=1000)).hits
    records = [index.get(h.id) or {} for h in hits]
    bm25 = BM25([syllables(f"{r.get('title', '')} {r.get('text', '')}") for r in records])

    class Client:
        def get(self, url: str) -> Any:
            from urllib.parse import parse_qs, urlsplit
            q = parse_qs(urlsplit(url).query).get("q", [""])[0]
            words = syllables(q)
            scores = bm25.scores(words) if words else None
            ranked = [i for i in bm25.top(words, 50) if scores is not None and scores[i] > 0] \
                if words else []
            results = [{"title": records[i].get("title", ""), "province_new": records[i].get("province_new"),
                        "province_old": records[i].get("province_old")} for i in ranked]
            answer = {"results": results, "total": len(results), "notes": []}
            return type("R", (), {"get_json": lambda self: answer})()

    return Client()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", help="a demo index (default: crawl and index the demo first)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(args.index) if args.index else build_demo_index(Path(tmp))
        from search_web.app import create_app

        ours = run(create_app(index_dir).test_client())
        base = run(bm25_client(index_dir))
    print("| query | why | unionsearch | BM25 syllables |")
    print("|---|---|---|---|")
    for (spec, problems), (_, base_problems) in zip(ours, base):
        label = spec.q or "(filter " + ", ".join(f"{k}={v}" for k, v in spec.params.items()) + ")"
        print(f"| `{label}` | {spec.why} | {'ok' if not problems else '✗ ' + problems[0]} | "
              f"{'ok' if not base_problems else '✗'} |")
    good = sum(not p for _, p in ours)
    print(f"\nunionsearch: {good}/{len(ours)} right; BM25 syllables: "
          f"{sum(not p for _, p in base)}/{len(base)} right (same articles, same checks)")
    return 0


def build_demo_index(tmp: Path, progress: Callable[[str], None] | None = None) -> Path:
    """Crawl and index the demo sites into ``tmp`` (their Crawl-delay capped); the index dir."""
    from demo_sites.server import start_demo_sites
    from unionsearch.demo import build_demo, prepare_data_dir

    data_dir = tmp / "demo"
    prepare_data_dir(data_dir)
    with start_demo_sites() as web:
        build_demo(web, data_dir, delay=0.02, max_crawl_delay=0.05)
    return data_dir / "index"


if __name__ == "__main__":
    sys.exit(main())
