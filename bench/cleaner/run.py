"""Cleaner benchmark: our cleaner beside trafilatura, readability-lxml (+ html_text), jusText
(Vietnamese stoplist) and newspaper4k, on the same pages in the same run.

    .venv/bin/python -m bench.cleaner.run [--detail] [--only ours,trafilatura] [--json out.json]

Pages: our own labelled set (``articles.py`` × ``sites.py``: 9 templates unlike the demo's, plus
gate negatives), the five seed dumps rebuilt as HTML and the real pages of ``../shared/pages``
(both built at run time, skipped when ``../shared`` is absent).

Metrics (article pages unless said otherwise):
* P/R/F1: bag of whitespace tokens of title + sapo + body against the gold's, after NFC and one
  tone-mark placement (``corpus.textnorm.canon``), case and punctuation kept; captions, bylines and
  all boilerplate count as noise. Macro-averaged over pages; a page an extractor drops scores 0.
* date: the published day equals the gold's; where the gold has no date (the page shows none,
  only cited ones or a header clock), the right answer is no date.
* prov old / new: our gazetteer (``corpus.gazetteer.detect_province``) run on each extractor's
  own title/sapo/body, so boilerplate that leaks in moves the vote; compared with the gold
  province before and after the 2025 merger ("Toàn quốc" for national items).
* docs: the set of document numbers found in the output equals the gold set (own pages only).
* gate: all pages (articles and negatives); a baseline "accepts" a page when it returns any
  text, our cleaner when its article gate passes.
* pages/s: all pages, one process, parsing included.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable

from corpus.docnumbers import find_doc_numbers
from corpus.gazetteer import detect_province
from corpus.record import NATIONAL
from corpus.textnorm import canon

warnings.filterwarnings("ignore")


# -- extractors: each returns {title, sapo, body: [..], date: "YYYY-MM-DD"|""|None, ok} ----------

def ours(case: dict, selectors=None) -> dict:
    from corpus.clean import clean_html
    res = clean_html(case["html"], case["url"], fetched_at=case.get("fetched_at", ""),
                     selectors=selectors)
    a = res.article
    if a is None:
        return {"ok": False, "title": "", "sapo": "", "body": [], "date": "",
                "prov": (NATIONAL, NATIONAL), "docs": set()}
    return {"ok": True, "title": a.title, "sapo": a.sapo, "body": a.body, "date": a.published[:10],
            "date_full": a.published,
            "prov": (a.province_old, a.province_new),
            "docs": {d["number"] for d in a.doc_numbers}}


_SOURCES: dict = {}


def ours_with_selectors(case: dict) -> dict:
    """Our cleaner given the selectors of the matching corpus/sources.toml entry, if any."""
    if not _SOURCES:
        from corpus.sources import load_sources
        _SOURCES.update({s.name: s for s in load_sources()})
    source = _SOURCES.get(case.get("source") or "")
    return ours(case, source.selectors if source else None)


def _trafilatura(case: dict) -> dict:
    import trafilatura
    doc = trafilatura.bare_extraction(case["html"], url=case["url"], with_metadata=True,
                                      include_comments=False, include_tables=True)
    if doc is None:
        return {"ok": False}
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    text = get("text") or ""
    return {"ok": bool(text.strip()), "title": get("title") or "", "text": text,
            "date": (get("date") or "")[:10]}


def _readability(case: dict) -> dict:
    import html_text
    from readability import Document
    doc = Document(case["html"])
    text = html_text.extract_text(doc.summary(html_partial=True), guess_layout=True)
    return {"ok": bool(text.strip()), "title": doc.short_title() or "", "text": text,
            "date": None}


def _justext(case: dict) -> dict:
    import justext
    paras = justext.justext(case["html"].encode("utf-8"), justext.get_stoplist("Vietnamese"),
                            encoding="utf-8")
    text = "\n".join(p.text for p in paras if not p.is_boilerplate)
    return {"ok": bool(text.strip()), "title": "", "text": text, "date": None}


def _newspaper(case: dict) -> dict:
    import newspaper
    art = newspaper.Article(case["url"] or "http://example.vn/a.html", language="vi",
                            fetch_images=False)
    art.download(input_html=case["html"])
    art.parse()
    text = art.text or ""
    date = art.publish_date.strftime("%Y-%m-%d") if art.publish_date else ""
    return {"ok": bool(text.strip()), "title": art.title or "", "text": text, "date": date}


def _baseline(fn: Callable[[dict], dict]) -> Callable[[dict], dict]:
    def run(case: dict) -> dict:
        try:
            out = fn(case)
        except Exception:                       # noqa: BLE001 - a crash is an empty extraction
            out = {"ok": False}
        if not out.get("ok"):
            return {"ok": False, "title": "", "sapo": "", "body": [], "date": out.get("date", ""),
                    "prov": (NATIONAL, NATIONAL), "docs": set()}
        paras = [p.strip() for p in out["text"].splitlines() if p.strip()]
        sapo, body = (paras[0], paras[1:]) if paras else ("", [])
        guess = detect_province(out["title"], sapo, "\n".join(body))
        docs = {d.number for d in find_doc_numbers("\n".join([out["title"], *paras]))}
        return {"ok": True, "title": out["title"], "sapo": sapo, "body": body,
                "date": out["date"], "prov": (guess.old_name or NATIONAL, guess.new_name or NATIONAL),
                "docs": docs}
    return run


EXTRACTORS: dict[str, Callable[[dict], dict]] = {
    "ours": ours,
    "ours+selectors": ours_with_selectors,
    "trafilatura": _baseline(_trafilatura),
    "readability+html_text": _baseline(_readability),
    "justext (vi)": _baseline(_justext),
    "newspaper4k": _baseline(_newspaper),
}


def available(name: str) -> bool:
    mods = {"ours": [], "ours+selectors": [], "trafilatura": ["trafilatura"],
            "readability+html_text": ["readability", "html_text"], "justext (vi)": ["justext"],
            "newspaper4k": ["newspaper"]}[name]
    try:
        for m in mods:
            __import__(m)
    except ImportError:
        return False
    return True


# -- metric -------------------------------------------------------------------------------------

def tokens(parts: list[str]) -> Counter:
    text = canon(unicodedata.normalize("NFC", " ".join(parts)))
    return Counter(text.split())


def prf(pred: list[str], gold: list[str]) -> tuple[float, float, float]:
    p, g = tokens(pred), tokens(gold)
    inter = sum((p & g).values())
    if not inter:
        return 0.0, 0.0, 0.0
    precision, recall = inter / sum(p.values()), inter / sum(g.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def load_cases() -> list[dict]:
    from bench.cleaner.shared_pages import real_cases, seed_cases
    from bench.cleaner.sites import article_cases, negative_cases
    return [*article_cases(), *negative_cases(), *seed_cases(), *real_cases()]


def evaluate(name: str, cases: list[dict]) -> tuple[dict, list[dict]]:
    fn = EXTRACTORS[name]
    rows = []
    started = time.perf_counter()
    outs = [fn(c) for c in cases]
    seconds = time.perf_counter() - started
    for case, out in zip(cases, outs):
        row = {"id": case["id"], "template": case["template"], "is_article": case["is_article"],
               "accepted": out["ok"]}
        if case["is_article"]:
            gold = [case["title"], case["sapo"], *case["body"]]
            row["p"], row["r"], row["f1"] = prf([out["title"], out["sapo"], *out["body"]], gold)
            row["date_ok"] = None if out["date"] is None else (out["date"] or "") == case["date"]
            row["date"] = out["date"]
            row["prov_old_ok"] = out["prov"][0] == case["province_old"]
            row["prov_new_ok"] = out["prov"][1] == case["province_new"]
            row["prov"] = out["prov"]
            if case.get("docs") is not None:
                row["docs_ok"] = out["docs"] == set(case["docs"])
        rows.append(row)
    arts = [r for r in rows if r["is_article"]]
    n = max(1, len(arts))
    dated = [r for r in arts if r["date_ok"] is not None]
    with_docs = [r for r in arts if "docs_ok" in r]
    summary = {
        "P": sum(r["p"] for r in arts) / n, "R": sum(r["r"] for r in arts) / n,
        "F1": sum(r["f1"] for r in arts) / n,
        "date": (sum(r["date_ok"] for r in dated) / len(dated)) if dated else None,
        "prov_old": sum(r["prov_old_ok"] for r in arts) / n,
        "prov_new": sum(r["prov_new_ok"] for r in arts) / n,
        "docs": (sum(r["docs_ok"] for r in with_docs) / len(with_docs)) if with_docs else None,
        "gate": sum(r["accepted"] == r["is_article"] for r in rows) / max(1, len(rows)),
        "neg_passed": sum(1 for r in rows if r["accepted"] and not r["is_article"]),
        "art_dropped": sum(1 for r in arts if not r["accepted"]),
        "pps": len(cases) / seconds if seconds else 0.0,
    }
    return summary, rows


def _pct(x: float | None) -> str:
    return "   —  " if x is None else f"{100 * x:5.1f}%"


def print_table(results: dict[str, dict], cases: list[dict]) -> None:
    arts = sum(c["is_article"] for c in cases)
    groups = Counter(c["template"] for c in cases)
    print(f"pages: {len(cases)} ({arts} articles, {len(cases) - arts} non-articles); "
          + ", ".join(f"{k} {v}" for k, v in groups.items()))
    head = (f"{'extractor':<22} {'P':>6} {'R':>6} {'F1':>6} {'date':>7} {'prov old':>8} "
            f"{'prov new':>8} {'docs':>7} {'gate':>7} {'neg→art':>7} {'art→∅':>6} {'pages/s':>8}")
    print(head)
    print("-" * len(head))
    for name, s in results.items():
        print(f"{name:<22} {s['P']:6.3f} {s['R']:6.3f} {s['F1']:6.3f} {_pct(s['date']):>7} "
              f"{_pct(s['prov_old']):>8} {_pct(s['prov_new']):>8} {_pct(s['docs']):>7} "
              f"{_pct(s['gate']):>7} {s['neg_passed']:>7} {s['art_dropped']:>6} {s['pps']:8.1f}")


def print_detail(all_rows: dict[str, list[dict]]) -> None:
    names = list(all_rows)
    by_group: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for name, rows in all_rows.items():
        for r in rows:
            if r["is_article"]:
                by_group[r["template"]][name].append(r["f1"])
    print("\nF1 by template:")
    print(f"{'template':<10}" + "".join(f"{n[:14]:>15}" for n in names))
    for group, per in by_group.items():
        print(f"{group:<10}" + "".join(
            f"{(sum(per[n]) / len(per[n]) if per[n] else 0):15.3f}" for n in names))
    ours_rows = all_rows.get("ours", [])
    bad = [r for r in ours_rows if r["is_article"] and (r["f1"] < 0.95 or r["date_ok"] is False
                                                        or not r["prov_old_ok"] or not r["prov_new_ok"]
                                                        or r.get("docs_ok") is False)]
    bad += [r for r in ours_rows if r["accepted"] != r["is_article"] and not r["is_article"]]
    if bad:
        print("\nours, pages below target:")
        for r in bad:
            if r["is_article"]:
                print(f"  {r['id']:<55} F1 {r['f1']:.3f} P {r['p']:.3f} R {r['r']:.3f} "
                      f"date {r['date'] or '∅'}{'' if r['date_ok'] else ' ✗'} prov {r['prov']}"
                      f"{'' if r['prov_old_ok'] and r['prov_new_ok'] else ' ✗'}"
                      f"{' docs ✗' if r.get('docs_ok') is False else ''}"
                      f"{'' if r['accepted'] else ' REJECTED'}")
            else:
                print(f"  {r['id']:<55} non-article accepted")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated extractor names (default: all installed)")
    ap.add_argument("--detail", action="store_true", help="per-template F1 and our misses")
    ap.add_argument("--json", help="write per-page rows to this file")
    args = ap.parse_args(argv)
    names = [n for n in EXTRACTORS if not args.only or n in args.only.split(",")]
    missing = [n for n in names if not available(n)]
    for n in missing:
        print(f"(skipped {n}: not installed; pip install -r bench/cleaner/requirements.txt)",
              file=sys.stderr)
    names = [n for n in names if n not in missing]
    cases = load_cases()
    results, all_rows = {}, {}
    for name in names:
        results[name], all_rows[name] = evaluate(name, cases)
    print_table(results, cases)
    if args.detail:
        print_detail(all_rows)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"summary": results, "rows": all_rows}, f, ensure_ascii=False, indent=1,
                      default=list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
