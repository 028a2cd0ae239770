"""Benchmark cases built at run time from ``../shared`` (never stored in the repository).

* The five seed dumps (``seeds/*.txt``, blank-line separated blocks of real pages) are rebuilt as
  HTML: each block (or line of a block) gets a role from the specs below, which hold only block
  indices, never page text; content goes into a content column with neutral class names, the
  rest into header, sidebar and footer regions, roughly where the real page had them.
* The real pages in ``pages/`` with their gold, and the 13 real home pages as gate negatives.
"""
from __future__ import annotations

import html
import json
import re
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

# Roles: title, sapo, body, h (sub-heading), caption, img (an image whose alt text is the line),
# byline, date (byline date line), furn (furniture), label (starts a furniture section),
# link (a teaser link in a related list), dup (a repeated title/sapo line as visible text), skip.
# A spec maps "block" or "block.line" (or "a-b" ranges) to a role.
SEED_SPECS: dict[str, dict] = {
    "000": {"roles": {"0": "dup", "1": "title", "2": "sapo", "3": "img", "4": "caption",
                      "5-6": "body", "7": "img", "8-11": "body", "12": "byline", "13-22": "furn"},
            "date": "", "province": ("Thanh Hóa", "Thanh Hóa"),
            "url": "https://baothanhhoa.test/ldld-thanh-hoa-cu-the-hoa-doi-moi-cong-doan-146789.htm"},
    "001": {"roles": {"0.0": "furn", "0.1": "img", "1": "title", "2": "furn", "3.0": "sapo",
                      "3.1": "link", "3.2": "img", "3.3": "caption", "4": "h", "5-6": "body",
                      "7.0": "img", "7.1": "caption", "8": "body", "9.0": "img", "9.1": "caption",
                      "10-11": "body", "12": "h", "13-14": "body", "15.0": "img", "15.1": "caption",
                      "16-17": "body", "18.0": "img", "18.1": "caption", "19-20": "body",
                      "21.0": "img", "21.1": "caption", "22-23": "body", "24.0": "img",
                      "24.1": "caption", "25": "body", "26.0": "img", "26.1": "caption",
                      "27-28": "body", "29.0": "img", "29.1": "caption", "30": "body",
                      "31.0": "img", "31.1": "caption", "32-33": "body", "34-39": "link",
                      "40": "furn", "41": "label", "42-86": "link", "87": "furn"},
            "date": "", "province": ("Hà Tĩnh", "Hà Tĩnh"),
            "fetched_at": "2021-08-03T02:10:00+07:00",       # its header clock shows the fetch
            "url": "https://congdoanhatinh.test/cong-doan-ha-tinh-chu-dong-doi-moi-a1234.html"},
    "002": {"roles": {"0": "furn", "1": "title", "2.0": "date", "2.1": "furn", "3": "sapo",
                      "4": "dup", "5": "furn", "6-10": "body", "11": "furn"},
            "date": "2021-11-10", "province": ("Toàn quốc", "Toàn quốc"),
            "url": "https://congdoan.test/tin-tuc/nghi-quyet-02-thuc-day-doi-moi-5678.tld"},
    "003": {"roles": {"0.0": "furn", "0.1": "title", "0.2": "date", "1": "dup", "2-8": "body",
                      "9": "byline", "10-14": "furn"},
            "date": "2022-04-14", "province": ("Hải Dương", "Hải Phòng"),
            "url": "https://hiepson.kinhmon.test/tin-tuc/chinh-tri-kinh-te/ldld-thi-xa-quan-triet-nq-02.html"},
    "004": {"roles": {"0": "skip", "1-2": "body", "3": "title", "4-72": "body", "73": "skip"},
            "date": "", "province": ("Lâm Đồng", "Lâm Đồng"),
            "url": "https://thanhuydalat.test/van-ban/ke-hoach-41-kh-thu.html"},
}

CONTENT_ROLES = {"title", "sapo", "body", "h", "caption", "img", "byline", "date", "dup"}


def _expand(spec: dict[str, str]) -> dict[tuple[int, int | None], str]:
    out: dict[tuple[int, int | None], str] = {}
    for key, role in spec.items():
        if "." in key:
            b, line = key.split(".")
            out[(int(b), int(line))] = role
        elif "-" in key:
            lo, hi = map(int, key.split("-"))
            for b in range(lo, hi + 1):
                out[(b, None)] = role
        else:
            out[(int(key), None)] = role
    return out


def _units(text: str, spec: dict[str, str]) -> list[tuple[str, str]]:
    """(role, text) for every non-empty line of the dump, in order."""
    roles = _expand(spec)
    units = []
    for b, block in enumerate(re.split(r"\n\s*\n", text)):
        for n, line in enumerate(block.split("\n")):
            role = roles.get((b, n)) or roles.get((b, None)) or "furn"
            if line.strip() and role != "skip":
                units.append((role, line.strip()))
    return units


def _inline(text: str) -> str:
    """Markup residue ``*x*`` from the dump becomes real emphasis."""
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", html.escape(text))


def _plain(text: str) -> str:
    return text.replace("*", "").replace("\u00a0", " ").strip()


def rebuild_seed(text: str, spec: dict) -> tuple[str, dict]:
    units = _units(text, spec["roles"])
    title = next(t for r, t in units if r == "title")
    parts: list[str] = []
    region = None
    first = next(i for i, (r, _) in enumerate(units) if r in CONTENT_ROLES)
    last = max(i for i, (r, _) in enumerate(units) if r in CONTENT_ROLES)
    closer = {"content": "</div>", "aside": "</div>", "header": "</header>", "footer": "</footer>"}
    for i, (role, line) in enumerate(units):
        want = "content" if role in CONTENT_ROLES else (
            "header" if i < first else "footer" if i > last else "aside")
        if want != region:
            if region:
                parts.append(closer[region])
            parts.append({"content": '<div class="q7">', "aside": '<div class="q3">',
                          "header": '<header class="q1">', "footer": '<footer class="q2">'}[want])
            region = want
        t = _inline(line)
        parts.append({
            "title": f"<h1 class=\"q9\">{t}</h1>",
            "sapo": f'<div class="q5"><strong>{t}</strong></div>',
            "body": f"<p>{t}</p>",
            "h": f"<p><strong>{t}</strong></p>",
            "caption": f'<p style="text-align:center"><em>{t}</em></p>',
            "img": f'<p style="text-align:center"><img src="/u/x.jpg" alt="{html.escape(line, True)}"></p>',
            "byline": f'<p style="text-align:right"><strong>{t}</strong></p>',
            "date": f'<div class="q4">{t}</div>',
            "dup": f"<div class=\"q6\">{t}</div>",
            "furn": f"<div>{t}</div>",
            "label": f"<div class=\"q8\">{t}</div>",
            "link": f'<div><a href="/x/{zlib.crc32(line.encode()) % 10**6}.html">{t}</a></div>',
        }[role])
    parts.append(closer[region])
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(_plain(title))}</title></head><body>"
            + "\n".join(parts) + "</body></html>")
    gold_sapo = next((_plain(t) for r, t in units if r == "sapo"), "")
    gold_sapo = re.sub(r"^\(\s*[\w.]+\s*\)\s*-\s*", "", gold_sapo)
    gold = {"title": _plain(title), "sapo": gold_sapo,
            "body": [_plain(t) for r, t in units if r in ("body", "h")],
            "captions": [_plain(t) for r, t in units if r == "caption"]}
    return page, gold


def seed_cases() -> list[dict]:
    folder = SHARED / "seeds"
    if not folder.is_dir():
        return []
    cases = []
    for path in sorted(folder.glob("*.txt")):
        spec = SEED_SPECS.get(path.name[:3])
        if spec is None:
            continue
        page, gold = rebuild_seed(path.read_text(encoding="utf-8"), spec)
        cases.append({"id": f"seed/{path.name[:3]}", "template": "seed", "url": spec["url"],
                      "html": page, "fetched_at": spec.get("fetched_at", "2023-10-01T12:00:00+07:00"),
                      "is_article": True,
                      **gold, "date": spec["date"], "province_old": spec["province"][0],
                      "province_new": spec["province"][1], "docs": None})
    return cases


def real_cases() -> list[dict]:
    pages = SHARED / "pages"
    if not pages.is_dir():
        return []
    from corpus.decoding import decode_html
    cases = []
    for name, gold_file in [("fundus_vnexpress_2025-10-22.html", "gold.json"),
                            ("htmldate_vnexpress_kinh-doanh.html", "gold.json"),
                            ("synthetic/fundus_vnexpress_injected_seed_boilerplate.html",
                             "gold_injected.json"),
                            ("synthetic/fundus_vnexpress_injected_inside_article.html",
                             "gold_injected_inside.json"),
                            ("synthetic/fundus_vnexpress_injected_inside_article_english_classes.html",
                             "gold_injected_inside.json")]:
        gold_all = json.loads((pages / gold_file).read_text(encoding="utf-8"))
        gold = gold_all.get(Path(name).name) or next(iter(gold_all.values()))
        caps = gold.get("caption_paragraphs", [])
        paras = [p for p in gold["paragraphs"] if p not in caps]
        cases.append({"id": f"real/{Path(name).stem[:40]}", "template": "real", "url": gold["url"],
                      "html": decode_html((pages / name).read_bytes()).text,
                      "fetched_at": "", "is_article": True, "title": gold["title"],
                      "sapo": paras[0], "body": paras[1:], "captions": caps,
                      "date": gold["date"][:10], "province_old": "Toàn quốc",
                      "province_new": "Toàn quốc", "docs": None})
    folder = pages / "homepages"
    manifest = {m["file"]: m for m in json.loads((folder / "manifest.json").read_text())}
    for page in sorted(folder.glob("*.html")):
        url = (manifest.get(page.name) or {}).get("url") or f"https://example.vn/{page.stem[:8]}/"
        cases.append({"id": f"realneg/{page.stem[:8]}", "template": "realneg", "url": url,
                      "html": decode_html(page.read_bytes()).text, "fetched_at": "",
                      "is_article": False, "kind": "home"})
    return cases
