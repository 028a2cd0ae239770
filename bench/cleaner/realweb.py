"""The cleaner on the real web: pages nobody here wrote, beside trafilatura, readability and
newspaper4k in the same run. Reported before the own labelled set, because it is the one that
tells whether the cleaner generalises.

    .venv/bin/python -m bench.cleaner.realweb [--pages DIR ...] [--only ours,trafilatura] [--detail]

Pages: ``../shared/pages/real`` (15), the two VnExpress pages beside it and the 13 real home
pages in ``../shared/pages/homepages``; plus any folder given with ``--pages`` (or listed in
``$UNIONSEARCH_REAL_PAGES``, colon-separated) that holds ``labels.jsonl`` (one object per page:
``file``, ``site``, ``url``, ``is_article``, ``title``, ``date``, ``first_paragraph`` or ``sapo``) —
pages mined from public repositories, measured here but never committed (their licences).

Labels of the ``../shared`` pages are in ``real_labels.json`` as hashes (sha1 of the normalised
text; ``first`` is the start of the first paragraph and its length), so no page text enters the
repository. Metrics:

* kept: articles the extractor returns text for; rejected: non-articles it returns nothing for;
* title: the headline equals the label (NFC, one tone placement, whitespace collapsed);
* date (day) and date (page): the label's day, and the label at the precision the page prints
  (a time when it prints one, a month when the URL is all there is);
* first ¶: the first body paragraph (or the lead where the page has one) begins one of the
  extractor's paragraphs (a "(NLĐO) - " source prefix aside);
* pages/s over all pages, parsing included.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

from bench.cleaner.run import EXTRACTORS, available
from corpus.decoding import decode_html
from corpus.textnorm import canon

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "pages"
LABELS = Path(__file__).with_name("real_labels.json")
_PREFIX = re.compile(r"^\s*(?:\(\s*[\w.\- ]{2,40}\s*\)\s*[-–—:]\s*|[-–—•]\s*)")


def norm(text: str) -> str:
    return " ".join(canon(text or "").split())


def digest(text: str) -> str:
    return hashlib.sha1(norm(text).encode("utf-8")).hexdigest()


def _label_from_text(row: dict) -> dict:
    """A labels.jsonl row (text labels, kept outside the repository) in the hashed form."""
    first = row.get("first_paragraph") or row.get("sapo") or ""
    first = norm(_PREFIX.sub("", first.rstrip(". …")))[:60]
    return {"is_article": bool(row.get("is_article")),
            "title": digest(row["title"]) if row.get("title") else None,
            "date": row.get("date") or None,
            "first": [digest(first), len(first)] if first else None}


def load_cases(extra_dirs: list[Path], shared: bool = True) -> list[dict]:
    cases: list[dict] = []
    if shared and SHARED.is_dir():
        labels = json.loads(LABELS.read_text(encoding="utf-8"))
        prov = {}
        real = SHARED / "real" / "provenance.jsonl"
        for line in real.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            prov[f"real/{row['file']}"] = row
        gold = json.loads((SHARED / "gold.json").read_text(encoding="utf-8"))
        for name, label in labels.items():
            path = SHARED / name
            if not path.is_file():
                continue
            url = (prov.get(name) or {}).get("url") or (gold.get(name) or {}).get("url") or ""
            site = (prov.get(name) or {}).get("site") or re.sub(r"^www\.", "", url.split("/")[2]
                                                                  if "//" in url else "?")
            cases.append({"id": name, "site": site, "url": url, "path": path, **label})
        folder = SHARED / "homepages"
        manifest = {m["file"]: m for m in
                    json.loads((folder / "manifest.json").read_text(encoding="utf-8"))}
        for page in sorted(folder.glob("*.html")):
            url = (manifest.get(page.name) or {}).get("url") or ""
            site = url.split("/")[2].removeprefix("www.") if url else "home?"
            cases.append({"id": f"homepages/{page.stem[:8]}", "site": site, "url": url,
                          "path": page, "is_article": False, "title": None, "date": None,
                          "first": None})
    for folder in extra_dirs:
        labels_file = folder / "labels.jsonl"
        if not labels_file.is_file():
            print(f"(no labels.jsonl in {folder})", file=sys.stderr)
            continue
        for line in labels_file.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            cases.append({"id": f"{folder.name}/{row['file']}", "site": row.get("site") or "?",
                          "url": row.get("url") or "", "path": folder / row["file"],
                          **_label_from_text(row)})
    for case in cases:
        case["html"] = decode_html(Path(case["path"]).read_bytes()).text
    return cases


def _date_ok(out: str, label: str | None, day_only: bool) -> bool | None:
    if not label:
        return None
    if day_only:
        return bool(out) and out[:10] == label[:10]
    return bool(out) and out[:len(label)] == label and (len(out) == len(label) or
                                                        len(label) >= 10)


def _first_ok(out: dict, first: list | None) -> bool | None:
    if not first:
        return None
    sha, n = first
    paras = [out.get("sapo") or "", *out.get("body", [])]
    for para in paras:
        text = norm(_PREFIX.sub("", para))
        if len(text) >= n and digest(text[:n]) == sha:
            return True
    return False


#: Our cleaner without the page's URL: the gate must not lean on URL shapes.
NO_URL = "ours (no URL)"


def evaluate(name: str, cases: list[dict]) -> tuple[dict, list[dict]]:
    fn = EXTRACTORS["ours" if name == NO_URL else name]
    rows = []
    started = time.perf_counter()
    outs = []
    for case in cases:
        url = "" if name == NO_URL else case["url"] or "http://example.vn/a.html"
        outs.append(fn({"html": case["html"], "url": url, "fetched_at": ""}))
    seconds = time.perf_counter() - started
    for case, out in zip(cases, outs):
        row = {"id": case["id"], "site": case["site"], "is_article": case["is_article"],
               "accepted": bool(out["ok"]), "title_out": out.get("title", ""),
               "date_out": out.get("date_full", out.get("date") or "")}
        if case["is_article"]:
            row["title_ok"] = bool(out["ok"]) and case["title"] is not None and \
                digest(out.get("title", "")) == case["title"] if case["title"] else None
            full = out.get("date_full", out.get("date") or "") if out["ok"] else ""
            row["date_day_ok"] = _date_ok(full, case["date"], True)
            row["date_ok"] = _date_ok(full, case["date"], False)
            row["first_ok"] = _first_ok(out, case["first"]) if out["ok"] else \
                (False if case["first"] else None)
        rows.append(row)
    arts = [r for r in rows if r["is_article"]]
    negs = [r for r in rows if not r["is_article"]]

    def share(key: str) -> float | None:
        vals = [r[key] for r in arts if r.get(key) is not None]
        return sum(vals) / len(vals) if vals else None

    summary = {"articles": len(arts), "non_articles": len(negs),
               "kept": sum(r["accepted"] for r in arts) / len(arts) if arts else None,
               "rejected": sum(not r["accepted"] for r in negs) / len(negs) if negs else None,
               "title": share("title_ok"), "date_day": share("date_day_ok"),
               "date": share("date_ok"), "first": share("first_ok"),
               "sites": len({r["site"] for r in rows}),
               "pps": len(cases) / seconds if seconds else 0.0}
    return summary, rows


def _pct(x: float | None) -> str:
    return "   —  " if x is None else f"{100 * x:5.1f}%"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", action="append", default=[], help="a folder with labels.jsonl")
    ap.add_argument("--only", help="comma-separated extractor names (default: all installed)")
    ap.add_argument("--detail", action="store_true", help="every page our cleaner gets wrong")
    ap.add_argument("--no-shared", action="store_true",
                    help="only the --pages folders (pages the cleaner was not tuned on)")
    args = ap.parse_args(argv)
    extra = [Path(p) for p in args.pages]
    extra += [Path(p) for p in os.environ.get("UNIONSEARCH_REAL_PAGES", "").split(":") if p]
    names = [n for n in EXTRACTORS if n != "ours+selectors"
             and (not args.only or n in args.only.split(","))]
    names = [n for n in names if available(n)]
    if "ours" in names:
        names.insert(1, NO_URL)
    cases = load_cases(extra, shared=not args.no_shared)
    if not cases:
        print("no real pages (../shared absent and no --pages)", file=sys.stderr)
        return 1
    arts = sum(c["is_article"] for c in cases)
    print(f"real pages: {len(cases)} ({arts} articles, {len(cases) - arts} non-articles) "
          f"from {len({c['site'] for c in cases})} sites")
    head = (f"{'extractor':<22} {'kept':>7} {'rejected':>8} {'title':>7} {'date day':>8} "
            f"{'date page':>9} {'first ¶':>7} {'pages/s':>8}")
    print(head)
    print("-" * len(head))
    all_rows = {}
    for name in names:
        s, rows = evaluate(name, cases)
        all_rows[name] = rows
        print(f"{name:<22} {_pct(s['kept']):>7} {_pct(s['rejected']):>8} {_pct(s['title']):>7} "
              f"{_pct(s['date_day']):>8} {_pct(s['date']):>9} {_pct(s['first']):>7} "
              f"{s['pps']:8.1f}")
    if args.detail and "ours" in all_rows:
        labels = {c["id"]: c for c in cases}
        print("\nours, pages it gets wrong:")
        for r in all_rows["ours"]:
            wrong = [k for k in ("title_ok", "date_ok", "first_ok") if r.get(k) is False]
            if r["accepted"] != r["is_article"] or wrong:
                print(f"  {r['id']:<48} {'article' if r['is_article'] else 'non-article':<11} "
                      f"{'kept' if r['accepted'] else 'dropped'} {' '.join(wrong)} "
                      f"title={r['title_out'][:40]!r} date={r['date_out']} "
                      f"label date={labels[r['id']].get('date')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
