"""Evaluate the attribute stage (and textacy's direct_quotations) on PolNeAR.

    python scripts/eval_polnear.py [--split dev|train] [--limit N] [--errors N]

Gold: ../shared/data/polnear/<split>/attributions/*.ann (brat standoff). An article with
several annotators has several .ann files; the first annotator in file-name order is used.
Each gold attribution is its Content (possibly discontinuous) and its Source mention.

Matching: a prediction matches a gold Content when their character overlap is at least half
of the shorter of the two; pairs are matched one to one, largest overlap first. Split quotes
("“A,” he said, “B.”") are one gold attribution with a discontinuous Content, so predicted
quotations sharing one cue are merged into one unit before matching (both systems).
Speaker accuracy is over matched pairs: the predicted speaker mention overlaps the gold
Source, or shares a content word with it (a pair whose gold has no Source is right when the
prediction has no speaker either).
"name" (an extra column, not the issue's measure): the same pair also counts as right when our
speaker's canonical name shares a content word with the gold Source, or with the name our
resolver gives the gold Source mention: the same speaker named by another mention (gold "he"
where we give "Mr. Sanders", gold "Clinton" where we give "she" -> Hillary Clinton).
"quoted": gold attributions whose Content holds quotation marks: a double mark (NYT texts
write it as two apostrophes) or a pair of single ones around words (‘Mocking’, 'a disgrace'),
never an apostrophe alone (leaders’, don't, ’90s); against predictions that are direct or
partial quotations; "all": everything.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from pipeline.api import document_from_text  # noqa: E402
from schemas.models import Attribution, Document, Sentence  # noqa: E402

Spans = tuple[tuple[int, int], ...]
_QUOTE_MARK = re.compile("[“”\"]|''|``")
#: A single-quoted stretch: an opening mark at a word start, a closing one at a word end
#: ("Trump Was ‘Mocking’ Clinton Camp", "called it 'a disgrace'"); an apostrophe alone
#: ("leaders’", "don't", "’90s") is none.
_SINGLE_QUOTED = re.compile(
    r"(?:^|(?<=[\s(\[—–-]))[‘'][^\s'‘’](?:[^'‘’]|[’'](?=[A-Za-z]))*?[’'](?![A-Za-z])"
)
_STOP = frozenset(
    "a an the of to in on at for and or mr mr. mrs mrs. ms ms. his her their its 's ’s".split()
)


@dataclass(frozen=True)
class Gold:
    """One gold attribution: content spans, source spans (may be empty)."""

    content: Spans
    source: Spans
    quoted: bool


@dataclass
class Article:
    """One article: its text and gold attributions."""

    name: str
    text: str
    gold: list[Gold]


@dataclass(frozen=True)
class Pred:
    """One predicted attribution unit (split quotes merged): content spans, speaker spans."""

    content: Spans
    speaker: Spans
    quoted: bool
    name: str | None = None


@dataclass
class Score:
    """Counts for one system on one subset."""

    pred: int = 0
    gold: int = 0
    matched: int = 0
    speaker_ok: int = 0
    name_ok: int = 0
    misses: list[tuple[str, Gold]] = field(default_factory=list)
    false: list[tuple[str, Pred]] = field(default_factory=list)
    wrong_speaker: list[tuple[str, Pred, Gold]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        """Precision, recall, F1 and speaker accuracy."""
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        s = self.speaker_ok / self.matched if self.matched else 0.0
        n = self.name_ok / self.matched if self.matched else 0.0
        return {"precision": p, "recall": r, "f1": f, "speaker": s, "name": n}


def _spans(field_text: str) -> Spans:
    return tuple(
        (int(a), int(b)) for a, b in (part.split() for part in field_text.split(";"))
    )


def read_ann(path: Path, text: str) -> list[Gold]:
    """Gold attributions of one brat .ann file."""
    mentions: dict[str, tuple[str, Spans]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            role, offsets = parts[1].split(" ", 1)
            mentions[parts[0]] = (role, _spans(offsets))
        elif parts[0].startswith("E"):
            relations.append(dict(a.split(":", 1) for a in parts[1].split()[1:]))
    gold = []
    for rel in relations:
        content = mentions.get(rel.get("Content", ""))
        if content is None:
            continue
        source = mentions.get(rel.get("Source", ""))
        ctext = "".join(text[a:b] for a, b in content[1])
        quoted = bool(_QUOTE_MARK.search(ctext) or _SINGLE_QUOTED.search(ctext))
        gold.append(Gold(content[1], source[1] if source else (), quoted))
    return gold


def load_split(split: str, limit: int | None = None, base: Path = POLNEAR) -> list[Article]:
    """The articles of a PolNeAR split with the first annotator's attributions."""
    root = base / split
    anns: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        anns.setdefault(name, ann)
    articles = []
    for name in sorted(anns):
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        articles.append(Article(name, text, read_ann(anns[name], text)))
        if limit is not None and len(articles) >= limit:
            break
    return articles


def sentences_for(document: Document, doc: Doc) -> list[Sentence]:
    """The segment stage's sentences, or spaCy's cut at paragraph ends until it lands."""
    from pipeline.stages import segment

    try:
        return segment.segment(document, doc)
    except NotImplementedError:
        pass
    out: list[Sentence] = []
    paras = [(p.start, p.end) for p in document.paragraphs]
    pi = 0
    for sent in doc.sents:
        a, b = sent.start_char, sent.end_char
        while a < b:
            while pi < len(paras) and paras[pi][1] <= a:
                pi += 1
            if pi >= len(paras):
                break
            lo, hi = max(a, paras[pi][0]), min(b, paras[pi][1])
            piece = document.text[lo:hi]
            lo += len(piece) - len(piece.lstrip())
            hi -= len(piece) - len(piece.rstrip())
            if lo < hi:
                out.append(
                    Sentence(doc_id=document.doc_id, index=len(out), paragraph=pi, start=lo,
                             end=hi, text=document.text[lo:hi])
                )
            a = max(hi, paras[pi][1]) if b > paras[pi][1] else b
    return out


def _units(items: Iterable[tuple[Spans, Spans, bool, object, str | None]]) -> list[Pred]:
    """Merge predictions sharing a cue key (split quotes) into units."""
    merged: dict[object, list[tuple[Spans, Spans, bool, str | None]]] = {}
    order: list[object] = []
    for content, speaker, quoted, key, name in items:
        if key not in merged:
            merged[key] = []
            order.append(key)
        merged[key].append((content, speaker, quoted, name))
    out = []
    for key in order:
        parts = merged[key]
        content = tuple(s for p in parts for s in p[0])
        out.append(Pred(content, parts[0][1], any(p[2] for p in parts), parts[0][3]))
    return out


def ours(attributions: Sequence[Attribution]) -> list[Pred]:
    """Our attributions as prediction units."""
    items = []
    last_key: dict[Spans, object] = {}
    for a in attributions:
        speaker: Spans = ((a.speaker.start, a.speaker.end),) if a.speaker else ()
        key: object = (
            (a.cue.start, a.cue.end, speaker) if a.cue and a.kind == "direct" else a.quote_id
        )
        if a.speaker is not None and a.speaker.resolved_by == "continuation":
            # PolNeAR annotates "“A,” he said. “B.”" as one attribution: a quote that
            # continues a speaker joins the unit of that speaker's previous quote.
            key = last_key.get(speaker, key)
        if speaker:
            last_key[speaker] = key
        name = a.speaker.name if a.speaker else None
        items.append((((a.start, a.end),), speaker, a.kind != "indirect", key, name))
    return _units(items)


def textacy_preds(doc: Doc) -> list[Pred]:
    """textacy's direct_quotations on the same parse, as prediction units."""
    from textacy.extract.triples import direct_quotations

    items = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        # textacy refuses articles with an odd number of quotation marks: no predictions.
        triples = []
    for n, triple in enumerate(triples):
        content = ((triple.content.start_char, triple.content.end_char),)
        speaker = tuple((t.idx, t.idx + len(t)) for t in triple.speaker)
        key: object = tuple(t.i for t in triple.cue) or n
        items.append((content, speaker, True, key, None))
    return _units(items)


def _size(spans: Spans) -> int:
    return sum(b - a for a, b in spans)


def _inter(x: Spans, y: Spans) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in x for c, d in y)


def _words(text: str, spans: Spans) -> set[str]:
    words = " ".join(text[a:b] for a, b in spans).lower().split()
    return {w.strip(",.“”\"'’") for w in words} - _STOP - {""}


def speaker_ok(text: str, pred: Pred, gold: Gold) -> bool:
    """The predicted speaker overlaps the gold Source or shares a content word with it."""
    if not gold.source:
        return not pred.speaker
    if not pred.speaker:
        return False
    if _inter(pred.speaker, gold.source) > 0:
        return True
    return bool(_words(text, pred.speaker) & _words(text, gold.source))


def _name_words(name: str) -> set[str]:
    return {w.strip(",.“”\"'’") for w in name.lower().split()} - _STOP - {""}


def name_ok(
    text: str, pred: Pred, gold: Gold, resolve: Callable[[Spans], str | None] | None = None
) -> bool:
    """``speaker_ok``, or the predicted speaker's canonical name shares a content word with
    the gold Source (the same person named by another of their mentions: "she" resolved to
    Hillary Clinton against a gold "Clinton"), or with the name our resolver gives the gold
    Source (a gold "he" that the article's chain makes Bernie Sanders)."""
    if speaker_ok(text, pred, gold):
        return True
    if not gold.source or not pred.name:
        return False
    words = _name_words(pred.name)
    if words & _words(text, gold.source):
        return True
    gold_name = resolve(gold.source) if resolve is not None else None
    return bool(gold_name and words & _name_words(gold_name))


def score(
    name: str, text: str, preds: list[Pred], golds: list[Gold], into: Score,
    resolve: Callable[[Spans], str | None] | None = None,
) -> None:
    """Match predictions to gold one to one and add the counts to ``into``."""
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            inter = _inter(p.content, g.content)
            if inter and inter >= 0.5 * min(_size(p.content), _size(g.content)):
                pairs.append((inter, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    into.pred += len(preds)
    into.gold += len(golds)
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        into.matched += 1
        if name_ok(text, preds[i], golds[j], resolve):
            into.name_ok += 1
        if speaker_ok(text, preds[i], golds[j]):
            into.speaker_ok += 1
        else:
            into.wrong_speaker.append((name, preds[i], golds[j]))
    into.misses += [(name, g) for j, g in enumerate(golds) if j not in used_g]
    into.false += [(name, p) for i, p in enumerate(preds) if i not in used_p]


@dataclass
class Report:
    """Scores of both systems on both subsets, and timings."""

    scores: dict[tuple[str, str], Score]
    parse_seconds: float
    attribute_seconds: float
    articles: int


def parse_articles(
    nlp: Language, articles: list[Article], cache: Path | None = None
) -> list[tuple[Document, Doc]]:
    """Documents (offsets those of the .txt) and their one parse each.

    With ``cache``, the parses are kept there as a DocBin, keyed on the texts, the model and
    the code that builds the parse (pipeline/nlp.py, pipeline/fastpipes.py): a second run with
    the same key skips the parse, so developing the attribute stage takes seconds a round.
    """
    documents = [document_from_text(a.name, a.text) for a in articles]
    if cache is None:
        return list(zip(documents, nlp.pipe(d.text for d in documents), strict=True))
    import hashlib

    from spacy.tokens import DocBin

    key = hashlib.sha256()
    for part in ("nlp.py", "fastpipes.py"):
        key.update((ROOT / "pipeline" / part).read_bytes())
    key.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-{nlp.pipe_names}".encode())
    for d in documents:
        key.update(d.text.encode("utf-8") + b"\0")
    path = cache / f"parses-{key.hexdigest()[:20]}.spacy"
    if path.exists():
        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe(d.text for d in documents))
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        DocBin(docs=docs, store_user_data=False).to_disk(tmp)
        tmp.replace(path)
    return list(zip(documents, docs, strict=True))


def evaluate(
    articles: list[Article], parsed: list[tuple[Document, Doc]], parse_seconds: float = 0.0
) -> Report:
    """Run segment + attribute and textacy on parsed articles and score them."""
    from pipeline.resolve import EntityResolver
    from pipeline.stages.attribute import attribute

    scores = {(s, sub): Score() for s in ("ours", "textacy") for sub in ("quoted", "all")}
    spent = 0.0
    for art, (document, doc) in zip(articles, parsed, strict=True):
        sents = sentences_for(document, doc)
        t0 = time.perf_counter()
        atts = attribute(document, sents, doc)
        spent += time.perf_counter() - t0
        resolver = EntityResolver(document, doc)

        def resolve(spans: Spans, resolver: EntityResolver = resolver) -> str | None:
            return resolver.resolve(spans[0][0], spans[0][1]).name

        for system, preds in (("ours", ours(atts)), ("textacy", textacy_preds(doc))):
            score(art.name, art.text, preds, art.gold, scores[(system, "all")], resolve)
            score(
                art.name, art.text, [p for p in preds if p.quoted],
                [g for g in art.gold if g.quoted], scores[(system, "quoted")], resolve,
            )
    return Report(scores, parse_seconds, spent, len(articles))


def _show(text: str, spans: Spans, width: int = 160) -> str:
    return " | ".join(text[a:b] for a, b in spans)[:width].replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "train"), default="dev")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--errors", type=int, default=0, help="print N errors of each class")
    ap.add_argument("--subset", choices=("quoted", "all"), default="quoted")
    ap.add_argument(
        "--cache", type=Path, default=None,
        help="keep the parses in this folder and reuse them (the parse time is then not real)",
    )
    args = ap.parse_args(argv)
    if not (POLNEAR / args.split).is_dir():
        print(f"{POLNEAR / args.split} is absent", file=sys.stderr)
        return 2
    from pipeline import nlp as nlp_mod

    nlp = nlp_mod.load(None)
    articles = load_split(args.split, args.limit)
    t0 = time.perf_counter()
    parsed = parse_articles(nlp, articles, args.cache)
    parse_seconds = time.perf_counter() - t0
    report = evaluate(articles, parsed, parse_seconds)
    texts = {a.name: a.text for a in articles}
    print(f"PolNeAR {args.split}: {report.articles} articles (first annotator)")
    print(f"{'system':8} {'subset':7} {'P':>6} {'R':>6} {'F1':>6} {'spk':>6} "
          f"{'name':>6} {'pred':>6} {'gold':>6} {'match':>6}")
    for (system, sub), sc in sorted(report.scores.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        f = sc.figures()
        print(f"{system:8} {sub:7} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f} "
              f"{f['speaker']:6.3f} {f['name']:6.3f} {sc.pred:6d} {sc.gold:6d} {sc.matched:6d}")
    share = report.attribute_seconds / report.parse_seconds if report.parse_seconds else 0.0
    print(f"parse {report.parse_seconds:.1f}s, attribute {report.attribute_seconds:.2f}s "
          f"({share:.1%} of parse)")
    if args.errors:
        sc = report.scores[("ours", args.subset)]
        print(f"\n== missed ({args.subset})")
        for name, g in sc.misses[: args.errors]:
            print(f"- {name}: {_show(texts[name], g.content)}  <- {_show(texts[name], g.source)}")
        print(f"\n== false ({args.subset})")
        for name, p in sc.false[: args.errors]:
            print(f"- {name}: {_show(texts[name], p.content)}  <- {_show(texts[name], p.speaker)}")
        print(f"\n== wrong speaker ({args.subset})")
        for name, p, g in sc.wrong_speaker[: args.errors]:
            named = " (name ok)" if name_ok(texts[name], p, g) else ""
            print(f"- {name}: {_show(texts[name], g.content, 90)}  ours: "
                  f"{_show(texts[name], p.speaker)} [{p.name}]  gold: "
                  f"{_show(texts[name], g.source)}{named}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
