"""Throughput and memory of `quotetrail run` against spaCy alone and textacy, from one run.

    python scripts/bench.py [--words 200000] [--keep DIR] [--no-dask]

Builds a corpus of at least ``--words`` words from PolNeAR (../shared/data/polnear/train/
text/*.txt, written as .txt files into a temporary folder; PolNeAR's licence keeps it out of
the repository) and times, each as its own process (wall time, start-up and model load
included, peak RSS from wait4):

- spaCy alone: the full en_core_web_sm pipeline over the same texts (nlp.pipe, 1 process)
- textacy: the same parse plus textacy.extract.triples.direct_quotations
- quotetrail run, all four stages, with 1 and with 2 processes; a re-run with nothing changed
- quotetrail run --engine dask with 2 local workers
- quotetrail run on a tenth of the corpus, for the memory ratio (peak RSS should not grow with
  the corpus: the runner streams)
- the attribute stage's own time beside the parse's, in one process over the same texts

and prints a table of the ratios with PASS/FAIL per target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"

SPACY_ALONE = """
import sys, pathlib, spacy
from pipeline.nlp import resolve_model
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
nlp = spacy.load(resolve_model(None))
n = sum(len(doc) for doc in nlp.pipe(texts, batch_size=16))
print(n, "tokens", nlp.pipe_names, file=sys.stderr)
"""

TEXTACY = """
import sys, pathlib, spacy
from textacy.extract.triples import direct_quotations
from pipeline.nlp import resolve_model
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))]
nlp = spacy.load(resolve_model(None))
n = bailed = 0
for doc in nlp.pipe(texts, batch_size=16):
    try:
        n += len(list(direct_quotations(doc)))
    except ValueError:  # textacy gives up on an article with unbalanced quotation marks
        bailed += 1
print(n, "quotations;", bailed, "articles bailed out", file=sys.stderr)
"""

ATTRIBUTE_SHARE = """
import sys, pathlib, time
from pipeline import nlp as nlp_mod
from pipeline.api import document_from_text
from pipeline.stages.segment import segment
from pipeline.stages.attribute import attribute
paths = sorted(pathlib.Path(sys.argv[1]).glob("*.txt"))
documents = [document_from_text(p.stem, p.read_text(encoding="utf-8")) for p in paths]
nlp = nlp_mod.load(None)
warm = nlp(documents[0].text)  # the lexicons load on first use: not part of either figure
attribute(documents[0], segment(documents[0], warm), warm)
parse = spent = 0.0
docs = iter(nlp.pipe((d.text for d in documents), batch_size=16))
for document in documents:
    t0 = time.perf_counter()
    doc = next(docs)
    parse += time.perf_counter() - t0
    sentences = segment(document, doc)
    t0 = time.perf_counter()
    attribute(document, sentences, doc)
    spent += time.perf_counter() - t0
print(parse, spent)
"""


@dataclass
class Step:
    """One measured process: wall seconds, CPU seconds, peak RSS in MiB, exit code."""

    name: str
    seconds: float
    cpu: float
    rss_mib: float
    code: int


ENV: dict[str, str] | None = None
#: Where the measured processes start: not the checkout, whose package would shadow the
#: snapshot (``python -c`` puts the working directory first on sys.path).
CWD: Path | None = None


def measure(name: str, cmd: list[str]) -> Step:
    """Run ``cmd`` as a child process; its wall time and peak RSS (its own and its children's)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=CWD, env=ENV
    )
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    # wait4 gives this child's resource use alone (with the children it waited for).
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        sys.stderr.write(stderr.decode("utf-8", "replace"))
        raise SystemExit(f"{name} failed with exit code {proc.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    step = Step(name, seconds, cpu, usage.ru_maxrss / 1024, proc.returncode)
    print(f"  {name:<34} {seconds:8.1f} s  {step.rss_mib:7.0f} MiB", flush=True)
    return step


def build_corpus(target: Path, words: int) -> tuple[int, int]:
    """Copy PolNeAR articles until they hold ``words`` words; return (files, words)."""
    if not POLNEAR.is_dir():
        raise SystemExit(f"{POLNEAR} is absent: the benchmark needs ../shared/data/polnear")
    target.mkdir(parents=True, exist_ok=True)
    n_files = n_words = 0
    for path in sorted(POLNEAR.glob("*.txt")):
        if n_words >= words:
            break
        text = path.read_text(encoding="utf-8")
        (target / path.name).write_text(text, encoding="utf-8")
        n_files += 1
        n_words += len(text.split())
    if n_words < words:
        raise SystemExit(f"PolNeAR train holds only {n_words} words; ask for fewer")
    return n_files, n_words


def tenth(source: Path, small: Path, large: Path) -> int:
    """Copy the first tenth of ``source``'s files to ``small``, and ten times to ``large``.

    The large corpus repeats the small one, so both hold articles of the same sizes: a
    difference in peak memory comes from the corpus size alone. Returns the small word count.
    """
    files = sorted(source.glob("*.txt"))
    n_words = 0
    for copy in range(10):
        (large / f"copy{copy}").mkdir(parents=True, exist_ok=True)
    small.mkdir(parents=True, exist_ok=True)
    for path in files[: max(1, len(files) // 10)]:
        shutil.copy(path, small / path.name)
        for copy in range(10):
            shutil.copy(path, large / f"copy{copy}" / path.name)
        n_words += len(path.read_text(encoding="utf-8").split())
    return n_words


def snapshot(work: Path) -> dict[str, str]:
    """Copy the code under test, so edits in the checkout during the benchmark change nothing."""
    code = work / "code"
    for package in ("pipeline", "schemas"):
        shutil.copytree(
            ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(code), env.get("PYTHONPATH")]))
    return env


def main() -> None:
    """Build the corpus, run every step, print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--words", type=int, default=200_000, help="corpus size in words")
    ap.add_argument("--keep", type=Path, help="keep the corpus and outputs in this folder")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask run")
    args = ap.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="quotetrail-bench-"))
    if work.exists() and args.keep:
        shutil.rmtree(work)
    global ENV, CWD
    corpus, small, large = work / "corpus", work / "small", work / "large"
    n_files, n_words = build_corpus(corpus, args.words)
    small_words = tenth(corpus, small, large)
    ENV, CWD = snapshot(work), work
    python = sys.executable
    quotetrail = [python, "-c", "from pipeline.cli import entry; entry()"]
    print(f"corpus: {n_files} PolNeAR articles, {n_words} words ({work}); cores: {os.cpu_count()}")
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "pipeline", "schemas"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"code: snapshot of the checkout at {head or '?'}{' + local edits' if dirty else ''}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    s: dict[str, Step] = {}
    s["spacy"] = measure(
        "spaCy alone (full pipeline, 1 proc)", [python, "-c", SPACY_ALONE, str(corpus)]
    )
    s["textacy"] = measure("textacy direct_quotations", [python, "-c", TEXTACY, str(corpus)])
    run = [*quotetrail, "-q", "run", str(corpus)]
    s["qt1"] = measure("quotetrail run, 1 process", [*run, "-o", str(work / "out1"), "--full"])
    s["qt2"] = measure(
        "quotetrail run, 2 processes", [*run, "-o", str(work / "out2"), "-j", "2", "--full"]
    )
    s["rerun"] = measure("quotetrail re-run, nothing changed", [*run, "-o", str(work / "out1")])
    if not args.no_dask:
        s["dask"] = measure(
            "quotetrail run --engine dask, 2 workers",
            [*run, "-o", str(work / "outd"), "--engine", "dask", "-j", "2"],
        )
    s["small"] = measure(
        "quotetrail run, 1 proc, 1/10 corpus",
        [*quotetrail, "-q", "run", str(small), "-o", str(work / "outs"), "--full"],
    )
    s["large"] = measure(
        "quotetrail run, 1 proc, 1/10 corpus x 10",
        [*quotetrail, "-q", "run", str(large), "-o", str(work / "outl"), "--full"],
    )
    t0 = time.perf_counter()
    share_out = subprocess.run(
        [python, "-c", ATTRIBUTE_SHARE, str(corpus)],
        capture_output=True, text=True, check=True, cwd=CWD, env=ENV,
    ).stdout.split()
    parse_s, attribute_s = float(share_out[0]), float(share_out[1])
    share_wall = time.perf_counter() - t0
    print(f"  {'attribute stage beside the parse':<34} {share_wall:8.1f} s", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    same = all(
        (work / "out1" / f"{n}.jsonl").read_bytes() == (work / "out2" / f"{n}.jsonl").read_bytes()
        for n in ("documents", "sentences", "attributions", "quotes", "errors")
    )
    manifest = json.loads((work / "out1" / "manifest.json").read_text(encoding="utf-8"))

    print()
    # CPU seconds (all processes of a step) show the work done whatever else the machine runs.
    print(f"{'step':<40} {'seconds':>8} {'CPU s':>7} {'words/s':>9} {'peak RSS MiB':>13}")
    for key, step in s.items():
        words = {"small": small_words, "large": 10 * small_words}.get(key, n_words)
        print(
            f"{step.name:<40} {step.seconds:8.1f} {step.cpu:7.1f} {words / step.seconds:9.0f} "
            f"{step.rss_mib:13.0f}"
        )
    print(f"records: {manifest['counts']}; 1- and 2-process outputs identical: {same}")
    print(f"re-run: {manifest['run']}")
    print(f"parse (nlp.pipe) {parse_s:.1f} s, attribute stage {attribute_s:.1f} s, same process")

    sizes = {"small": small_words, "large": 10 * small_words}
    wps = {k: sizes.get(k, n_words) / v.seconds for k, v in s.items()}
    rss_ratio = s["large"].rss_mib / s["small"].rss_mib
    targets = [
        ("quotetrail 1 proc / spaCy alone (words/s)", wps["qt1"] / wps["spacy"], ">=", 0.8),
        ("quotetrail 1 proc / textacy (words/s)", wps["qt1"] / wps["textacy"], ">=", 1.0),
        ("quotetrail 2 procs / 1 proc (words/s)", wps["qt2"] / wps["qt1"], ">=", 1.6),
        ("unchanged re-run / first run (time)", s["rerun"].seconds / s["qt1"].seconds, "<=", 0.05),
        ("peak RSS, 10x corpus / 1x corpus", rss_ratio, "<=", 1.2),
        ("attribute stage / parse (time)", attribute_s / parse_s, "<=", 0.25),
    ]
    # The same ratios in CPU time: what the wall-time ratios would be on an otherwise idle
    # machine for one process, and how much extra work a second process costs.
    cpu = {k: v.cpu for k, v in s.items()}
    targets += [
        ("  same, CPU time: quotetrail / spaCy alone", cpu["spacy"] / cpu["qt1"], "info", 0),
        ("  same, CPU time: quotetrail / textacy", cpu["textacy"] / cpu["qt1"], "info", 0),
        ("  CPU time, 2 procs / 1 proc", cpu["qt2"] / cpu["qt1"], "info", 0),
    ]
    if "dask" in s:
        targets.append(("dask 2 workers / 1 proc (words/s)", wps["dask"] / wps["qt1"], "info", 0))
    print()
    print(f"{'target':<44} {'ratio':>7} {'goal':>8}  result")
    for name, ratio, op, goal in targets:
        if op == "info":
            print(f"{name:<44} {ratio:7.2f} {'-':>8}  (no target)")
            continue
        ok = ratio >= goal if op == ">=" else ratio <= goal
        print(f"{name:<44} {ratio:7.2f} {op + ' ' + str(goal):>8}  {'PASS' if ok else 'FAIL'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
