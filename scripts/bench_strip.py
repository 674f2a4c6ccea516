"""Score the strip stage on the article-extraction-benchmark, beside plain trafilatura.

Usage: .venv/bin/python scripts/bench_strip.py [AEB_DIR] [--jobs N] [--worst K]

Scoring is scrapinghub/article-extraction-benchmark's evaluate.py: 4-gram shingles of
``\\w+`` tokens, TP/FP/FN normalised per page, precision and recall averaged over pages,
F1 of the two means. Our prediction is the Document's text without its title paragraph
(the benchmark's articleBody has no headline).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_AEB = ROOT.parent / "shared" / "data" / "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

TpFpFn = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """The benchmark's shingles: n-grams of \\w+ tokens (one short shingle for short texts)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def match(true: str, pred: str) -> TpFpFn:
    """TP, FP, FN over shingles, normalised to sum to 1 (the benchmark's per-page weights)."""
    a, b = shingles(true), shingles(pred)
    tp = float(sum((a & b).values()))
    fp = float(sum((b - a).values()))
    fn = float(sum((a - b).values()))
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(rows: list[TpFpFn]) -> dict[str, float]:
    """F1, precision and recall of the benchmark (means over pages, F1 of the means)."""
    p = statistics.mean(_precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(_recall(*x) for x in rows if x[0] + x[2] > 0)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r}


def ours(html: str) -> str:
    """The strip stage's article body for one HTML page ('' when it yields no document)."""
    from pipeline.stages.strip import document_from_source

    try:
        doc = document_from_source(html, html=True)
    except ValueError:
        return ""
    return "\n\n".join(doc.text[p.start : p.end] for p in doc.paragraphs if p.role != "title")


def plain_trafilatura(html: str) -> str:
    """trafilatura.extract with default settings."""
    import trafilatura

    return trafilatura.extract(html) or ""


def _score_page(args: tuple[Path, str, str]) -> tuple[str, TpFpFn, TpFpFn, float, float]:
    aeb, key, truth = args
    raw = gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes())
    from pipeline.stages.strip import decode_bytes

    html, _ = decode_bytes(raw)
    t0 = time.perf_counter()
    a = ours(html)
    t1 = time.perf_counter()
    b = plain_trafilatura(html)
    t2 = time.perf_counter()
    return key, match(truth, a), match(truth, b), t1 - t0, t2 - t1


def evaluate(aeb: Path, jobs: int = 1) -> dict[str, object]:
    """Score ours and plain trafilatura on every page of the benchmark."""
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    tasks = [(aeb, k, v.get("articleBody", "")) for k, v in sorted(truth.items())]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as ex:
            results = list(ex.map(_score_page, tasks, chunksize=4))
    else:
        results = [_score_page(t) for t in tasks]
    return {
        "pages": len(results),
        "ours": metrics([r[1] for r in results]),
        "trafilatura": metrics([r[2] for r in results]),
        "seconds_ours": sum(r[3] for r in results),
        "seconds_trafilatura": sum(r[4] for r in results),
        "per_page": {r[0]: (r[1], r[2]) for r in results},
    }


def main() -> int:
    """Print the two scores side by side."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("aeb", nargs="?", type=Path, default=DEFAULT_AEB)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--worst", type=int, default=0, help="list the K pages we lose most on")
    args = ap.parse_args()
    if not (args.aeb / "ground-truth.json").is_file():
        msg = f"{args.aeb}: no ground-truth.json here; pass the benchmark's directory"
        print(msg, file=sys.stderr)
        return 2
    import logging

    logging.disable(logging.WARNING)
    res = evaluate(args.aeb, args.jobs)
    print(f"article-extraction-benchmark: {res['pages']} pages")
    print(f"{'extractor':<22}{'F1':>8}{'precision':>11}{'recall':>9}{'seconds':>9}")
    for name, key in (("quotetrail strip", "ours"), ("trafilatura default", "trafilatura")):
        m = res[key]
        assert isinstance(m, dict)
        print(
            f"{name:<22}{m['f1']:>8.4f}{m['precision']:>11.4f}{m['recall']:>9.4f}"
            f"{res['seconds_' + key]:>9.1f}"
        )
    if args.worst:
        per = res["per_page"]
        assert isinstance(per, dict)
        rows = sorted(per.items(), key=lambda kv: kv[1][0][0] - kv[1][1][0])[: args.worst]
        for k, (a, b) in rows:
            print(f"  {k}: ours tp={a[0]:.3f} fp={a[1]:.3f} fn={a[2]:.3f} | "
                  f"trafilatura tp={b[0]:.3f} fp={b[1]:.3f} fn={b[2]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
