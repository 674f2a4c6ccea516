"""Precision, recall and F1 of a run's output against gold annotations, field by field.

``quotetrail eval OUT GOLD`` reads OUT's ``quotes.jsonl`` (or ``attributions.jsonl``) and
``documents.jsonl``, in either layout, and GOLD, a JSONL file with one line per gold quote::

    {"doc_id": "world/xi-putin", "start": 120, "end": 168,
     "text": "The road to peace talks will not be smooth",
     "speaker_name": "Xi Jinping", "speaker_text": "Xi",
     "speaker_start": 171, "speaker_end": 173,
     "via": "CCTV", "publisher": "South China Morning Post"}

``doc_id``, ``start`` and ``end`` are required: character offsets into the article's clean
text (``text`` in documents.jsonl). Every other field is optional, and absent is not null: an
absent field is not annotated and not scored for that quote; ``null`` says "annotated: there
is none" (``"via": null`` is a quote told straight to the publisher; ``"speaker_start":
null`` a quote without a speaker), so a prediction there counts as a false positive. A field
that no gold line annotates is left out of the scores. When ``text`` is given and the
article's text at ``start..end`` is not it (the gold was annotated on the raw file and the
strip stage moved the offsets), the quote is moved to the nearest place where its text
occurs, and its speaker mention with it.

Matching: a predicted quote matches a gold quote of the same article when their spans
overlap by at least half of the shorter of the two; pairs are made one to one, largest
overlap first. Then, per field:

- quote: a match is a true positive; precision over predicted quotes, recall over gold ones.
- speaker_mention: the matched prediction's speaker mention overlaps the gold mention by at
  least half of the shorter of the two.
- speaker_name, via, publisher: equal after case-folding and collapsing white space.

For these four, a true positive needs a matched quote and a right value; precision counts
the predicted quotes with a value, recall the gold quotes with a value, so a missed quote is
also a missed speaker. Only the articles in GOLD are scored (``all_docs=True``: every article
of OUT, those absent from GOLD having no quotes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.io import (
    BadRecord,
    UsageError,
    iter_json_lines,
    read_stage,
    render_validation_error,
    stage_files,
)
from schemas.models import Attribution, Document, Quote

FIELDS = ("quote", "speaker_name", "speaker_mention", "via", "publisher")
#: Gold keys that say a field is annotated.
ANNOTATED_BY = {
    "speaker_name": "speaker_name",
    "speaker_mention": "speaker_start",
    "via": "via",
    "publisher": "publisher",
}


class GoldQuote(BaseModel):
    """One line of a gold file: a quote span and, optionally, its annotated fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str | None = None
    speaker_name: str | None = None
    speaker_text: str | None = None
    speaker_start: int | None = Field(default=None, ge=0)
    speaker_end: int | None = Field(default=None, ge=0)
    via: str | None = None
    publisher: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> GoldQuote:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        if self.text is not None and len(self.text) != self.end - self.start:
            raise ValueError("text length does not match start..end")
        if (self.speaker_start is None) != (self.speaker_end is None):
            raise ValueError("speaker_start and speaker_end go together")
        if self.speaker_start is not None and self.speaker_end is not None:
            if self.speaker_end <= self.speaker_start:
                raise ValueError("speaker_end is not after speaker_start")
        if ("speaker_start" in self.model_fields_set) != ("speaker_end" in self.model_fields_set):
            raise ValueError("speaker_start and speaker_end go together")
        return self

    def annotates(self, field_name: str) -> bool:
        """True when this gold quote says something about ``field_name``."""
        return field_name == "quote" or ANNOTATED_BY[field_name] in self.model_fields_set

    def to_json(self) -> str:
        """One gold line: the fields that are set, absent ones left out."""
        return json.dumps(self.model_dump(exclude_unset=True), ensure_ascii=False)


def read_gold(path: Path) -> list[GoldQuote]:
    """Read a gold JSONL file; raise UsageError listing the first bad lines."""
    if not path.is_file():
        raise UsageError(f"gold file {path} does not exist")
    gold: list[GoldQuote] = []
    bad: list[str] = []
    for lineno, obj in iter_json_lines(path):
        if isinstance(obj, BadRecord):
            bad.append(str(obj))
            continue
        try:
            gold.append(GoldQuote.model_validate(obj))
        except ValidationError as exc:
            bad.append(f"{path}:{lineno}: {render_validation_error(exc)}")
    if bad:
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise UsageError("bad gold line(s): " + "; ".join(bad[:5]) + more)
    return gold


def write_gold(path: Path, gold: Iterable[GoldQuote]) -> int:
    """Write gold quotes as JSONL (atomically); return how many."""
    from pipeline.io import AtomicWriter

    n = 0
    with AtomicWriter(path) as w:
        for g in gold:
            w.write(g.to_json() + "\n")
            n += 1
    return n


# -- scores ---------------------------------------------------------------------------------


@dataclass
class FieldScore:
    """Counts and scores of one field."""

    field: str
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        """tp / predicted, or None when nothing was predicted."""
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        """tp / gold, or None when the gold has nothing."""
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain dict, scores rounded to 4 places."""

        def rnd(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "field": self.field,
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": rnd(self.precision),
            "recall": rnd(self.recall),
            "f1": rnd(self.f1),
        }


@dataclass
class Evaluation:
    """The scores of every field, the mistakes behind them, and what could not be used."""

    scores: dict[str, FieldScore]
    articles: int
    mistakes: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    moved: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for JSON output."""
        return {
            "articles": self.articles,
            "moved_gold_quotes": self.moved,
            "fields": [s.as_dict() for s in self.scores.values()],
            "problems": self.problems,
        }


def normalise(value: str | None) -> str | None:
    """Case-folded, white space collapsed; None and "" are both None."""
    if value is None:
        return None
    folded = " ".join(value.casefold().split())
    return folded or None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when two spans overlap by at least half of the shorter one."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return overlap > 0 and 2 * overlap >= shorter


def match(
    gold: list[GoldQuote], predicted: list[Attribution]
) -> list[tuple[GoldQuote, Attribution]]:
    """One-to-one pairs whose spans overlap by half the shorter, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if overlaps((g.start, g.end), (p.start, p.end)):
                overlap = min(g.end, p.end) - max(g.start, p.start)
                candidates.append((-overlap, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gold[gi], predicted[pi]))
    return pairs


def gold_value(g: GoldQuote, field_name: str) -> Any:
    """The gold's value of a field (None when annotated as none)."""
    if field_name == "speaker_mention":
        if g.speaker_start is None or g.speaker_end is None:
            return None
        return (g.speaker_start, g.speaker_end)
    if field_name == "speaker_name":
        return normalise(g.speaker_name)
    if field_name == "via":
        return normalise(g.via)
    return normalise(g.publisher)


def predicted_value(p: Attribution, field_name: str) -> Any:
    """The prediction's value of a field (None when it has none)."""
    if field_name == "speaker_mention":
        return None if p.speaker is None else (p.speaker.start, p.speaker.end)
    if field_name == "speaker_name":
        return None if p.speaker is None else normalise(p.speaker.name)
    if not isinstance(p, Quote):
        return None
    if field_name == "via":
        return None if p.outlet.via is None else normalise(p.outlet.via.name)
    return normalise(p.outlet.publisher)


def same(field_name: str, g: Any, p: Any) -> bool:
    """True when a predicted value is right."""
    if g is None or p is None:
        return False
    if field_name == "speaker_mention":
        return overlaps(g, p)
    return bool(g == p)


def _show(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Spans of ``needle`` in ``text``; when it is not there as is, with any white space
    (strip stages turn no-break spaces and line breaks into plain spaces)."""
    spans = []
    pos = text.find(needle)
    while pos != -1:
        spans.append((pos, pos + len(needle)))
        pos = text.find(needle, pos + 1)
    if spans or not needle.strip():
        return spans
    pattern = re.compile(r"\s+".join(re.escape(part) for part in needle.split()))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def relocate(g: GoldQuote, text: str) -> GoldQuote | None:
    """Move a gold quote to where its text is in ``text`` (nearest its offsets); None if absent."""
    if g.text is None or text[g.start : g.end] == g.text:
        return g
    hits = find_all(text, g.text)
    if not hits:
        return None
    new_start, new_end = min(hits, key=lambda h: abs(h[0] - g.start))
    shift = new_start - g.start
    update: dict[str, Any] = {"start": new_start, "end": new_end, "text": text[new_start:new_end]}
    if g.speaker_start is not None and g.speaker_end is not None:
        s, e = g.speaker_start + shift, g.speaker_end + shift
        if g.speaker_text and text[max(s, 0) : max(e, 0)] != g.speaker_text:
            found = find_all(text, g.speaker_text)
            if found:
                s, e = min(found, key=lambda h: abs(h[0] - s))
        if 0 <= s < e <= len(text):
            update["speaker_start"], update["speaker_end"] = s, e
            if g.speaker_text is not None:
                update["speaker_text"] = text[s:e]
    # model_copy keeps model_fields_set, so absent fields stay absent.
    return g.model_copy(update=update)


def score_article(
    doc_id: str,
    gold: list[GoldQuote],
    predicted: list[Attribution],
    fields: tuple[str, ...],
    scores: dict[str, FieldScore],
    mistakes: list[dict[str, Any]],
) -> None:
    """Add one article's counts to ``scores`` and its mistakes to ``mistakes``."""
    pairs = match(gold, predicted)
    pair_of_pred = {id(p): g for g, p in pairs}
    matched_gold = {id(g) for g, _ in pairs}
    quote = scores["quote"]
    quote.tp += len(pairs)
    quote.predicted += len(predicted)
    quote.gold += len(gold)
    for g in gold:
        if id(g) not in matched_gold:
            mistakes.append(
                {
                    "doc_id": doc_id,
                    "field": "quote",
                    "error": "missed",
                    "gold": [g.start, g.end],
                    "text": g.text,
                }
            )
    for p in predicted:
        if id(p) not in pair_of_pred:
            mistakes.append(
                {
                    "doc_id": doc_id,
                    "field": "quote",
                    "error": "spurious",
                    "predicted": [p.start, p.end],
                    "text": p.text,
                }
            )
    for name in fields:
        if name == "quote":
            continue
        sc = scores[name]
        for g in gold:
            if g.annotates(name) and gold_value(g, name) is not None:
                sc.gold += 1
        for p in predicted:
            pv = predicted_value(p, name)
            g_match = pair_of_pred.get(id(p))
            if g_match is not None and not g_match.annotates(name):
                continue  # the gold says nothing about this field for this quote
            if pv is not None:
                sc.predicted += 1
            if g_match is None:
                continue
            gv = gold_value(g_match, name)
            if same(name, gv, pv):
                sc.tp += 1
            elif gv is not None or pv is not None:
                mistakes.append(
                    {
                        "doc_id": doc_id,
                        "field": name,
                        "error": "wrong",
                        "gold": _show(gv),
                        "predicted": _show(pv),
                        "quote": [g_match.start, g_match.end],
                    }
                )


def load_predictions(out_dir: Path) -> tuple[dict[str, list[Attribution]], list[str]]:
    """Predicted quotes by article from quotes.jsonl, else attributions.jsonl."""
    stage = "tag" if stage_files(out_dir, "tag") else "attribute"
    if not stage_files(out_dir, stage):
        raise UsageError(f"{out_dir} holds no quotes.jsonl or attributions.jsonl to evaluate")
    by_doc: dict[str, list[Attribution]] = {}
    problems: list[str] = []
    for item in read_stage(out_dir, stage):
        if isinstance(item, BadRecord):
            problems.append(str(item))
        else:
            assert isinstance(item, Attribution)
            by_doc.setdefault(item.doc_id, []).append(item)
    return by_doc, problems


def evaluate(
    out_dir: Path,
    gold: list[GoldQuote],
    all_docs: bool = False,
    on_article: Callable[[str], None] | None = None,
) -> Evaluation:
    """Score ``out_dir``'s quotes against ``gold``."""
    predicted, problems = load_predictions(out_dir)
    texts: dict[str, str] = {}
    for item in read_stage(out_dir, "strip"):
        if isinstance(item, Document):
            texts[item.doc_id] = item.text
    fields = tuple(f for f in FIELDS if f == "quote" or any(g.annotates(f) for g in gold))
    gold_by_doc: dict[str, list[GoldQuote]] = {}
    moved = 0
    for g in gold:
        text = texts.get(g.doc_id)
        if text is not None and g.text is not None:
            placed = relocate(g, text)
            if placed is None:
                problems.append(
                    f"{g.doc_id}: gold quote {g.start}..{g.end} {g.text[:40]!r} is not in the "
                    "article's text; scored as missed"
                )
            elif placed is not g:
                moved += 1
                g = placed
        gold_by_doc.setdefault(g.doc_id, []).append(g)
    doc_ids = set(gold_by_doc)
    if all_docs:
        doc_ids |= set(predicted) | set(texts)
    missing = sorted(d for d in gold_by_doc if d not in texts and d not in predicted)
    if missing:
        problems.append(
            f"{len(missing)} gold article(s) not in the output, e.g. {missing[0]!r}; their "
            "quotes count as missed"
        )
    scores = {f: FieldScore(f) for f in fields}
    mistakes: list[dict[str, Any]] = []
    for doc_id in sorted(doc_ids):
        score_article(
            doc_id,
            gold_by_doc.get(doc_id, []),
            sorted(predicted.get(doc_id, []), key=lambda q: (q.start, q.end)),
            fields,
            scores,
            mistakes,
        )
        if on_article is not None:
            on_article(doc_id)
    return Evaluation(scores, len(doc_ids), mistakes, problems, moved)
