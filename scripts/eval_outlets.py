"""Measure the tag stage's outlet fields on PolNeAR (../shared/data/polnear).

Usage:
    .venv/bin/python scripts/eval_outlets.py [--split dev|train|all] [--speakers] [-v]

(1) wire: the agency the tag stage credits (``find_wire``, from the article text alone: the
    PolNeAR texts are article bodies, so a credit that only the metadata carries is a miss)
    against metadata.tsv's ``wire`` column ("None"/"NA" = no wire; "AP", "UPI", "reuters",
    "AFP" ... mapped through the gazetteer). Hat-tip credits ("h/t: The Hill", the ``credit``
    column) are sources of the story, not wires: they are measured separately
    (``find_credits``), and a wire predicted for a credit-only article is a false positive.
(2) --speakers: outlet speakers. Runs segment and attribute on the parsed text and compares
    the speakers with kind "outlet" against the gold Sources (first annotator's .ann) that are
    an outlet ("The Post", "The New York Post", "CNN": a gazetteer mention, weak forms
    included for the article's publisher, ends the Source), by overlapping spans.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.api import document_from_text  # noqa: E402
from pipeline.stages.tag import GazetteerLike, find_credits, find_wire  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"
NO_WIRE = {"", "none", "na", "n/a"}
PRONOUN = re.compile(r"^(?:it|its|they|them|their|he|she|his|her|we|our|you)$", re.IGNORECASE)

# PolNeAR's publisher codes, for the gazetteer's weak forms ("The Post" in a Post article).
PUBLISHERS = {
    "nyt": "The New York Times",
    "wash-post": "The Washington Post",
    "usa-today": "USA Today",
    "huff-post": "HuffPost",
    "breitbart": "Breitbart News",
    "politico": "Politico",
    "west-journal": "The Western Journal",
}


@dataclass
class Article:
    """One PolNeAR article with its metadata row."""

    split: str
    name: str
    text: str
    meta: dict[str, str]


@dataclass
class Score:
    """Counts for precision and recall, with the cases behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    wrong: int = 0  # predicted and gold both present but different
    cases: list[str] = field(default_factory=list)

    def precision(self) -> float | None:
        """TP / predictions."""
        n = self.tp + self.fp + self.wrong
        return self.tp / n if n else None

    def recall(self) -> float | None:
        """TP / gold."""
        n = self.tp + self.fn + self.wrong
        return self.tp / n if n else None


def articles(data: Path, split: str) -> Iterator[Article]:
    """The articles of ``split`` with their metadata rows, in file order."""
    with (data / "metadata.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if split != "all" and row["compartment"] != split:
                continue
            path = data / row["compartment"] / "text" / f"{row['filename']}.txt"
            yield Article(row["compartment"], row["filename"], path.read_text("utf-8"), row)


def canonical(name: str, gaz: GazetteerLike) -> str:
    """A gold outlet name as the gazetteer spells it (else as given)."""
    entry = gaz.by_name(name.strip())
    return entry.name if entry is not None else name.strip()


def gold_wire(meta: dict[str, str], gaz: GazetteerLike) -> str | None:
    """The wire column as a canonical agency name, or None."""
    value = (meta.get("wire") or "").strip()
    return None if value.lower() in NO_WIRE else canonical(value, gaz)


def gold_credit(meta: dict[str, str], gaz: GazetteerLike) -> str | None:
    """The credit column ("h/t: The Hill") as a canonical outlet name, or None."""
    value = (meta.get("credit") or "").strip()
    if value.lower() in NO_WIRE:
        return None
    value = re.sub(r"^\s*h/t/?\s*:?\s*", "", value, flags=re.IGNORECASE).rstrip(" .")
    return canonical(value, gaz)


def _score(score: Score, name: str, pred: str | None, gold: str | None) -> None:
    if pred is None and gold is None:
        return
    if pred == gold:
        score.tp += 1
        return
    if pred is None:
        score.fn += 1
    elif gold is None:
        score.fp += 1
    else:
        score.wrong += 1
    score.cases.append(f"{name}: predicted {pred!r}, gold {gold!r}")


def _fmt(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def print_table(title: str, rows: list[tuple[str, Score]]) -> None:
    """A fixed-width table of counts, precision and recall."""
    print(f"\n{title}")
    print(f"{'':28} {'TP':>4} {'FP':>4} {'FN':>4} {'wrong':>5} {'P':>6} {'R':>6}")
    for label, s in rows:
        print(
            f"{label:28} {s.tp:4d} {s.fp:4d} {s.fn:4d} {s.wrong:5d} "
            f"{_fmt(s.precision())} {_fmt(s.recall())}"
        )


def eval_wire(items: list[Article], gaz: GazetteerLike, verbose: bool) -> None:
    """Wire and hat-tip credit precision and recall."""
    wire, credit, credit_as_wire = Score(), Score(), Score()
    n_wire = n_credit = 0
    for art in items:
        document = document_from_text(art.name, art.text)
        pred = find_wire(document, gaz)
        gold = gold_wire(art.meta, gaz)
        n_wire += gold is not None
        _score(wire, art.name, pred, gold)
        gcredit = gold_credit(art.meta, gaz)
        n_credit += gcredit is not None
        credits = find_credits(document, gaz)
        _score(credit, art.name, credits[0] if credits else None, gcredit)
        if gcredit is not None and gold is None and pred is not None:
            credit_as_wire.fp += 1
            credit_as_wire.cases.append(f"{art.name}: credit {gcredit!r} but wire {pred!r}")
    print(f"articles: {len(items)}; with a wire: {n_wire}; with an h/t credit: {n_credit}")
    print_table(
        "(1) wire and credit", [("wire (metadata `wire`)", wire), ("h/t credit (`credit`)", credit)]
    )
    print(f"credit-only articles given a wire: {credit_as_wire.fp}")
    if verbose:
        for s in (wire, credit, credit_as_wire):
            for case in s.cases:
                print("   ", case)


# ------------------------------------------------------------------------ (2) speakers


def gold_sources(data: Path, art: Article) -> list[tuple[int, int, str]]:
    """Source spans of the first annotator's .ann file (sorted by name) for ``art``."""
    anns = sorted((data / art.split / "attributions").glob(f"{art.name}_*.ann"))
    if not anns:
        return []
    out = []
    for line in anns[0].read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0].startswith("T"):
            role, *offsets = parts[1].split()
            if role == "Source":
                # Discontinuous spans ("0 5;9 12") are kept as their outer bounds.
                nums = [int(x) for x in re.findall(r"\d+", " ".join(offsets))]
                out.append((min(nums), max(nums), parts[2]))
    return out


def outlet_spans(text: str, gaz: GazetteerLike, publisher: str | None) -> list[tuple[int, int]]:
    """Outlet mentions in ``text`` (weak forms such as "The Post" for the publisher too)."""
    own = gaz.by_name(publisher) if publisher else None
    found = gaz.find(text, include_weak=True, context=[own] if own else [])
    return [(s, e) for s, e, entry in found if entry.kind != "official_statement"]


def eval_speakers(data: Path, items: list[Article], gaz: GazetteerLike, verbose: bool) -> None:
    """Precision and recall of speaker.kind == "outlet" against gold outlet Sources."""
    try:
        from pipeline import nlp as nlp_mod
        from pipeline.stages.attribute import attribute
        from pipeline.stages.segment import segment

        nlp = nlp_mod.load(None)
        probe = document_from_text("probe", "“Yes,” CNN said.")
        attribute(probe, segment(probe, nlp(probe.text)), nlp(probe.text))
    except NotImplementedError as exc:
        print(f"\n(2) outlet speakers: skipped, a stage is not ready ({exc})")
        return
    score = Score()
    unscored = 0
    docs = [document_from_text(a.name, a.text) for a in items]
    for art, document, parsed in zip(
        items, docs, nlp_mod.parse(nlp, (d.text for d in docs)), strict=True
    ):
        attributions = attribute(document, segment(document, parsed), parsed)
        spans = {
            (a.speaker.start, a.speaker.end)
            for a in attributions
            if a.speaker is not None and a.speaker.kind == "outlet"
        }
        # The gold has no coreference: a pronoun resolved to an outlet cannot be scored.
        pronouns = {sp for sp in spans if PRONOUN.match(art.text[sp[0] : sp[1]])}
        unscored += len(pronouns)
        pred = sorted(spans - pronouns)
        outlets = outlet_spans(art.text, gaz, PUBLISHERS.get(art.meta.get("publisher", "")))
        gold = sorted(
            {
                (s, e)
                for s, e, _ in gold_sources(data, art)
                if _names_outlet(art.text, s, e, outlets)
            }
        )
        matched_gold = set()
        for p0, p1 in pred:
            hit = [g for g in gold if g[0] < p1 and p0 < g[1]]
            if hit:
                score.tp += 1
                matched_gold.update(hit)
            else:
                score.fp += 1
                score.cases.append(f"{art.name}: FP speaker {art.text[p0:p1]!r}")
        for g in gold:
            if g not in matched_gold:
                score.fn += 1
                score.cases.append(f"{art.name}: FN source {art.text[g[0] : g[1]]!r}")
    print_table(
        "(2) outlet speakers (speaker.kind == 'outlet' vs gold outlet Sources)",
        [("outlet speakers", score)],
    )
    print(f"pronoun outlet speakers (not scored, the gold has no coreference): {unscored}")
    if verbose:
        for case in score.cases:
            print("   ", case)


def _names_outlet(text: str, start: int, end: int, outlets: list[tuple[int, int]]) -> bool:
    """Is the Source an outlet: does an outlet mention end it ("The Post", "a report by CNN")?

    "NBC News moderator Matt Lauer", "CNN's Jake Tapper", "a reporter for USA Today" and "a
    Washington Post-ABC News poll" mention an outlet but are people and a poll.
    """
    stop = start + len(text[start:end].rstrip(" \t\n,.;:—–-"))
    for o0, o1 in outlets:
        if start <= o0 and o1 == stop:
            # "A reporter for USA Today", "Dan McLaughlin at the National Review", "X, a writer
            # for The Atlantic": a person of the outlet; "a new report by Politico" stays.
            prefix = text[start:o0]
            return "," not in prefix and not re.search(r"\b(?:for|at|with|from|of)\b", prefix)
    return False


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the tables."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the polnear folder")
    ap.add_argument("--split", choices=("dev", "train", "all"), default="dev")
    ap.add_argument("--speakers", action="store_true", help="also measure outlet speakers (2)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = ap.parse_args(argv)
    if not (args.data / "metadata.tsv").is_file():
        print(f"{args.data}/metadata.tsv is absent: pass --data <polnear folder>", file=sys.stderr)
        return 2
    from pipeline.stages.tag import default_gazetteer

    gaz = default_gazetteer()
    items = list(articles(args.data, args.split))
    print(f"PolNeAR {args.split}: {args.data}")
    eval_wire(items, gaz, args.verbose)
    if args.speakers:
        eval_speakers(args.data, items, gaz, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
