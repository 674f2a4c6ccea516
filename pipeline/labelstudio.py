"""Review in Label Studio: export predictions as pre-annotated tasks, import corrections as golden.

``quotetrail export-labelstudio out/ -o tasks.json`` writes one task per article (``data.text``
is the article's clean text) with quotetrail's output as a prediction, and the labelling
configuration beside it (``tasks.config.xml``; paste it into the project's Labeling Interface
→ Code). In the prediction, each quote is a ``Quote`` span with a per-region ``quote_kind``
choice; its speaker mention is a ``Speaker`` span with a per-region ``speaker_name`` text
(the canonical name) and ``speaker_kind`` choice; its cue a ``Cue`` span; its via (tag stage)
a ``Via`` span with ``via_name`` and ``via_kind``. Relations tie them: quote → speaker
"said by", quote → cue "cue", quote → via "via". ``data.quotetrail`` carries the predicted
records, so the import can keep what the reviewer did not touch.

After review, export the project as JSON and run ``quotetrail import-labelstudio
project.json -o golden/``: it writes ``golden/attribute/<doc_id>.jsonl`` (and
``golden/tag/<doc_id>.jsonl`` when the tasks came from quotes.jsonl) from each task's latest
submitted annotation, or its prediction when nobody annotated it. For each ``Quote`` region:
the speaker, cue and via are the regions it has a relation with (either direction); a
predicted speaker, cue or via whose region is still there keeps its place without a relation.
Values the reviewer did not set (canonical name, kinds, cue lemma, confidence, sentences,
publisher and wire) keep the predicted ones when the region is where it was predicted. New
quotes get confidence 1.0. Quote ids are renumbered q1, q2, … by position.

Label Studio counts offsets in UTF-16 code units (JavaScript strings); both directions
convert, so articles with emoji or other characters beyond the BMP keep the right spans.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline import __version__
from pipeline.evaluate import overlaps
from pipeline.io import (
    AtomicWriter,
    BadRecord,
    UsageError,
    read_stage,
    render_validation_error,
    stage_files,
    write_records,
)
from schemas.models import (
    Attribution,
    Document,
    Quote,
    Sentence,
)

log = logging.getLogger(__name__)

FROM = "label"
TO = "text"
SPEAKER_KINDS = ("person", "organization", "outlet", "anonymous", "unknown")
QUOTE_KINDS = ("direct", "partial", "indirect")
VIA_KINDS = (
    "news_agency",
    "broadcaster",
    "newspaper",
    "magazine",
    "online",
    "official_statement",
    "other",
)


def _choices(name: str, values: Sequence[str]) -> str:
    opts = "".join(f'<Choice value="{v}"/>' for v in values)
    return (
        f'<Choices name="{name}" toName="{TO}" perRegion="true" choice="single" '
        f'showInline="true">{opts}</Choices>'
    )


LABEL_CONFIG = f"""<View>
  <Style>.htx-text {{ white-space: pre-wrap; }}</Style>
  <Header value="$title"/>
  <Relations>
    <Relation value="said by"/>
    <Relation value="cue"/>
    <Relation value="via"/>
  </Relations>
  <Labels name="{FROM}" toName="{TO}">
    <Label value="Quote" background="#ffd43b"/>
    <Label value="Speaker" background="#74c0fc"/>
    <Label value="Cue" background="#b2f2bb"/>
    <Label value="Via" background="#ffa8a8"/>
  </Labels>
  <Text name="{TO}" value="$text" granularity="symbol"/>
  <View visibleWhen="region-selected" whenLabelValue="Quote">
    <Header value="Quote kind"/>
    {_choices("quote_kind", QUOTE_KINDS)}
  </View>
  <View visibleWhen="region-selected" whenLabelValue="Speaker">
    <Header value="Canonical name (e.g. Xi Jinping); empty when unknown"/>
    <TextArea name="speaker_name" toName="{TO}" perRegion="true" maxSubmissions="1"
      editable="true" rows="1"/>
    {_choices("speaker_kind", SPEAKER_KINDS)}
  </View>
  <View visibleWhen="region-selected" whenLabelValue="Via">
    <Header value="Outlet or channel name (e.g. CCTV)"/>
    <TextArea name="via_name" toName="{TO}" perRegion="true" maxSubmissions="1"
      editable="true" rows="1"/>
    {_choices("via_kind", VIA_KINDS)}
  </View>
</View>
"""


# -- UTF-16 offsets -------------------------------------------------------------------------


class Offsets:
    """Convert between Python (code point) offsets and JavaScript (UTF-16) offsets."""

    def __init__(self, text: str) -> None:
        self.wide = [i for i, c in enumerate(text) if ord(c) > 0xFFFF]

    def to_js(self, i: int) -> int:
        """UTF-16 offset of code point offset ``i``."""
        return i + sum(1 for w in self.wide if w < i)

    def from_js(self, j: int) -> int:
        """Code point offset of UTF-16 offset ``j`` (inside a pair: the character's start)."""
        i = j
        for w in self.wide:
            if w < i:
                i -= 1
            else:
                break
        return i


# -- export ---------------------------------------------------------------------------------


def _region(rid: str, label: str, start: int, end: int, text: str, off: Offsets) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": FROM,
        "to_name": TO,
        "type": "labels",
        "value": {
            "start": off.to_js(start),
            "end": off.to_js(end),
            "text": text,
            "labels": [label],
        },
    }


def _per_region(
    rid: str, name: str, kind: str, start: int, end: int, value: Any, off: Offsets
) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": name,
        "to_name": TO,
        "type": kind,
        "value": {
            "start": off.to_js(start),
            "end": off.to_js(end),
            "choices" if kind == "choices" else "text": [value],
        },
    }


def _relation(src: str, dst: str, label: str) -> dict[str, Any]:
    return {
        "from_id": src,
        "to_id": dst,
        "type": "relation",
        "direction": "right",
        "labels": [label],
    }


def prediction_result(text: str, quotes: Sequence[Attribution]) -> list[dict[str, Any]]:
    """The Label Studio result items of one article's quotes (regions, per-region values,
    relations)."""
    off = Offsets(text)
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    relations: list[dict[str, Any]] = []
    for q in quotes:
        result.append(_region(q.quote_id, "Quote", q.start, q.end, q.text, off))
        result.append(_per_region(q.quote_id, "quote_kind", "choices", q.start, q.end, q.kind, off))
        if q.speaker is not None:
            s = q.speaker
            rid = f"s{s.start}-{s.end}"
            if rid not in seen:
                seen.add(rid)
                result.append(_region(rid, "Speaker", s.start, s.end, s.text, off))
                if s.name:
                    result.append(
                        _per_region(rid, "speaker_name", "textarea", s.start, s.end, s.name, off)
                    )
                result.append(
                    _per_region(rid, "speaker_kind", "choices", s.start, s.end, s.kind, off)
                )
            relations.append(_relation(q.quote_id, rid, "said by"))
        if q.cue is not None:
            c = q.cue
            rid = f"c{c.start}-{c.end}"
            if rid not in seen:
                seen.add(rid)
                result.append(_region(rid, "Cue", c.start, c.end, c.text, off))
            relations.append(_relation(q.quote_id, rid, "cue"))
        if isinstance(q, Quote) and q.outlet.via is not None:
            v = q.outlet.via
            rid = f"v{v.start}-{v.end}"
            if rid not in seen:
                seen.add(rid)
                result.append(_region(rid, "Via", v.start, v.end, v.text, off))
                result.append(_per_region(rid, "via_name", "textarea", v.start, v.end, v.name, off))
                result.append(_per_region(rid, "via_kind", "choices", v.start, v.end, v.kind, off))
            relations.append(_relation(q.quote_id, rid, "via"))
    return result + relations


def make_task(
    document: Document,
    quotes: Sequence[Attribution],
    sentences: Sequence[Sentence] = (),
    stage: str = "tag",
) -> dict[str, Any]:
    """One Label Studio task: the article's text, its predicted quotes, the records behind them."""
    score = round(sum(q.confidence for q in quotes) / len(quotes), 4) if quotes else 1.0
    return {
        "data": {
            "text": document.text,
            "title": document.title or document.doc_id,
            "doc_id": document.doc_id,
            "quotetrail": {
                "stage": stage,
                "records": [q.model_dump(mode="json") for q in quotes],
                "sentences": [[s.start, s.end] for s in sentences],
            },
        },
        "predictions": [
            {
                "model_version": f"quotetrail {__version__}",
                "score": score,
                "result": prediction_result(document.text, quotes),
            }
        ],
    }


def config_path(tasks_path: Path) -> Path:
    """Where the labelling configuration goes: beside the tasks, ``<stem>.config.xml``."""
    return tasks_path.with_name(f"{tasks_path.stem}.config.xml")


def export_tasks(
    out_dir: Path, target: Path, on_article: Callable[[str], None] | None = None
) -> tuple[int, list[str]]:
    """Write the tasks of every article in ``out_dir`` and the labelling config; return
    (tasks written, problems)."""
    problems: list[str] = []
    stage = "tag" if stage_files(out_dir, "tag") else "attribute"
    if not stage_files(out_dir, stage):
        raise UsageError(f"{out_dir} holds no quotes.jsonl or attributions.jsonl to export")
    quotes: dict[str, list[Attribution]] = {}
    for item in read_stage(out_dir, stage):
        if isinstance(item, BadRecord):
            problems.append(str(item))
        else:
            assert isinstance(item, Attribution)
            quotes.setdefault(item.doc_id, []).append(item)
    sentences: dict[str, list[Sentence]] = {}
    for item in read_stage(out_dir, "segment"):
        if isinstance(item, Sentence):
            sentences.setdefault(item.doc_id, []).append(item)
    tasks = []
    for item in read_stage(out_dir, "strip"):
        if isinstance(item, BadRecord):
            problems.append(str(item))
            continue
        assert isinstance(item, Document)
        recs = sorted(quotes.pop(item.doc_id, []), key=lambda q: (q.start, q.end))
        tasks.append(make_task(item, recs, sentences.get(item.doc_id, []), stage))
        if on_article is not None:
            on_article(item.doc_id)
    for doc_id in sorted(quotes):
        problems.append(f"{doc_id}: quotes of an article not in documents; not exported")
    with AtomicWriter(target) as w:
        w.write(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    with AtomicWriter(config_path(target)) as w:
        w.write(LABEL_CONFIG)
    return len(tasks), problems


# -- import ---------------------------------------------------------------------------------


@dataclass
class Region:
    """A labelled span of a result, with the per-region values attached to it."""

    rid: str
    label: str
    start: int
    end: int
    values: dict[str, str] = field(default_factory=dict)


def _latest_result(task: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The result of the task's latest submitted annotation, else of its first prediction."""
    annotations = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if annotations:
        latest = max(
            enumerate(annotations),
            key=lambda ia: (str(ia[1].get("updated_at") or ia[1].get("created_at") or ""), ia[0]),
        )[1]
        return list(latest.get("result") or [])
    predictions = task.get("predictions") or []
    if predictions and isinstance(predictions[0], dict):
        return list(predictions[0].get("result") or [])
    return None


def read_result(
    result: list[dict[str, Any]], text: str
) -> tuple[dict[str, Region], list[tuple[str, str, str]]]:
    """Regions by id and relations (from, to, label) of a Label Studio result."""
    off = Offsets(text)
    regions: dict[str, Region] = {}
    extras: dict[str, dict[str, str]] = {}
    relations: list[tuple[str, str, str]] = []
    for item in result:
        kind = item.get("type")
        if kind == "relation":
            labels = item.get("labels") or [""]
            relations.append((str(item["from_id"]), str(item["to_id"]), str(labels[0])))
            continue
        rid = str(item.get("id"))
        value = item.get("value") or {}
        if kind == "labels" and value.get("labels"):
            regions[rid] = Region(
                rid,
                str(value["labels"][0]),
                off.from_js(int(value["start"])),
                off.from_js(int(value["end"])),
            )
        elif kind in ("textarea", "choices"):
            values = value.get("text" if kind == "textarea" else "choices") or []
            if values and str(values[0]).strip():
                extras.setdefault(rid, {})[str(item.get("from_name"))] = str(values[0]).strip()
    for rid, vals in extras.items():
        if rid in regions:
            regions[rid].values.update(vals)
    return regions, relations


def _same_span(region: Region | None, start: int, end: int) -> bool:
    return region is not None and region.start == start and region.end == end


def _find_region(regions: dict[str, Region], label: str, start: int, end: int) -> Region | None:
    for r in regions.values():
        if r.label == label and r.start == start and r.end == end:
            return r
    return None


def _match_prediction(
    region: Region, predicted: dict[str, Attribution], used: set[str]
) -> Attribution | None:
    """The predicted quote a Quote region stands for: same id, same span, else most overlap."""
    p = predicted.get(region.rid)
    if (
        p is not None
        and p.quote_id not in used
        and overlaps((p.start, p.end), (region.start, region.end))
    ):
        return p
    for p in predicted.values():
        if p.quote_id not in used and (p.start, p.end) == (region.start, region.end):
            return p
    best, best_overlap = None, 0
    for p in predicted.values():
        if p.quote_id in used or not overlaps((p.start, p.end), (region.start, region.end)):
            continue
        overlap = min(p.end, region.end) - max(p.start, region.start)
        if overlap > best_overlap:
            best, best_overlap = p, overlap
    return best


def _linked(
    quote: Region, regions: dict[str, Region], relations: list[tuple[str, str, str]], label: str
) -> Region | None:
    for src, dst, _ in relations:
        other = dst if src == quote.rid else src if dst == quote.rid else None
        if other is not None and other in regions and regions[other].label == label:
            return regions[other]
    return None


def _guess_kind(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 1) : start]
    after = text[end : end + 2]
    marks = "“”\"'‘’«»"
    return "direct" if before and before in marks and any(c in marks for c in after) else "indirect"


def attributions_from_result(
    doc_id: str,
    text: str,
    result: list[dict[str, Any]],
    predicted: Sequence[Attribution],
    sentences: Sequence[tuple[int, int]] = (),
    as_quotes: bool = False,
) -> tuple[list[Attribution], list[str]]:
    """The attributions (Quote records when ``as_quotes``) of one task's result."""
    regions, relations = read_result(result, text)
    by_id = {p.quote_id: p for p in predicted}
    article_outlet = next((p.outlet for p in predicted if isinstance(p, Quote)), None)
    problems: list[str] = []
    used: set[str] = set()
    built: list[tuple[tuple[int, int, int], dict[str, Any]]] = []
    for region in sorted(
        (r for r in regions.values() if r.label == "Quote"), key=lambda r: (r.start, r.end)
    ):
        pred = _match_prediction(region, by_id, used)
        if pred is not None:
            used.add(pred.quote_id)
        same = pred is not None and (pred.start, pred.end) == (region.start, region.end)
        rec: dict[str, Any] = {
            "doc_id": doc_id,
            "kind": region.values.get("quote_kind")
            or (pred.kind if pred else _guess_kind(text, region.start, region.end)),
            "text": text[region.start : region.end],
            "start": region.start,
            "end": region.end,
            "confidence": pred.confidence if pred else 1.0,
        }
        if same and pred is not None:
            rec["sentences"] = list(pred.sentences)
        else:
            rec["sentences"] = [
                i for i, (s, e) in enumerate(sentences) if s < region.end and region.start < e
            ] or (list(pred.sentences) if pred else [])
        # Speaker: a relation, or the predicted mention if its region is still there.
        ps = pred.speaker if pred else None
        sp = _linked(region, regions, relations, "Speaker")
        if sp is None and ps is not None:
            sp = _find_region(regions, "Speaker", ps.start, ps.end)
        if sp is None:
            rec["speaker"] = None
        else:
            kept = ps if ps is not None and _same_span(sp, ps.start, ps.end) else None
            rec["speaker"] = {
                "text": text[sp.start : sp.end],
                "start": sp.start,
                "end": sp.end,
                "name": sp.values.get("speaker_name") or (kept.name if kept else None),
                "kind": sp.values.get("speaker_kind") or (kept.kind if kept else "unknown"),
                "resolved_by": kept.resolved_by if kept else "mention",
            }
        pc = pred.cue if pred else None
        cu = _linked(region, regions, relations, "Cue")
        if cu is None and pc is not None:
            cu = _find_region(regions, "Cue", pc.start, pc.end)
        if cu is None:
            rec["cue"] = None
        else:
            keep_cue = pc is not None and _same_span(cu, pc.start, pc.end)
            cue_text = text[cu.start : cu.end]
            rec["cue"] = {
                "text": cue_text,
                "lemma": pc.lemma if keep_cue and pc is not None else cue_text.lower(),
                "start": cu.start,
                "end": cu.end,
            }
        if as_quotes:
            pv = pred.outlet.via if isinstance(pred, Quote) else None
            vr = _linked(region, regions, relations, "Via")
            if vr is None and pv is not None:
                vr = _find_region(regions, "Via", pv.start, pv.end)
            via = None
            if vr is not None:
                kept_via = pv if pv is not None and _same_span(vr, pv.start, pv.end) else None
                via = {
                    "name": vr.values.get("via_name")
                    or (kept_via.name if kept_via else text[vr.start : vr.end]),
                    "kind": vr.values.get("via_kind") or (kept_via.kind if kept_via else "other"),
                    "text": text[vr.start : vr.end],
                    "start": vr.start,
                    "end": vr.end,
                }
            outlet = pred.outlet if isinstance(pred, Quote) else article_outlet
            rec["outlet"] = {
                "publisher": outlet.publisher if outlet else None,
                "wire": outlet.wire if outlet else None,
                "via": via,
            }
        order = int(pred.quote_id[1:]) if pred else 10**9
        built.append(((region.start, order, region.end), rec))
    model: type[Attribution] = Quote if as_quotes else Attribution
    records: list[Attribution] = []
    for n, (_, rec) in enumerate(sorted(built, key=lambda b: b[0]), start=1):
        rec["quote_id"] = f"q{n}"
        try:
            records.append(model.model_validate(rec, context={"text": text}))
        except ValidationError as exc:
            problems.append(f"{doc_id} q{n}: {render_validation_error(exc)}; left out")
    return records, problems


def _task_records(task: dict[str, Any], where: str) -> tuple[list[Attribution], str]:
    meta = (task.get("data") or {}).get("quotetrail") or {}
    stage = str(meta.get("stage") or "attribute")
    model: type[Attribution] = Quote if stage == "tag" else Attribution
    records = []
    for i, rec in enumerate(meta.get("records") or []):
        try:
            records.append(model.model_validate(rec))
        except ValidationError as exc:
            raise UsageError(
                f"{where}: data.quotetrail.records[{i}]: {render_validation_error(exc)}"
            ) from exc
    return records, stage


def import_tasks(
    tasks_path: Path, golden_dir: Path, on_article: Callable[[str], None] | None = None
) -> tuple[list[Path], list[str]]:
    """Write golden files from Label Studio tasks; return (files written, problems)."""
    try:
        tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"cannot read Label Studio tasks from {tasks_path}: {exc}") from exc
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise UsageError(f"{tasks_path}: expected a JSON list of tasks")
    written: list[Path] = []
    problems: list[str] = []
    for i, task in enumerate(tasks):
        where = f"{tasks_path}: task {i}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            problems.append(f"{where}: no data.text; skipped")
            continue
        doc_id = str(data.get("doc_id") or f"task-{task.get('id', i)}")
        if doc_id.startswith("/") or ".." in Path(doc_id).parts:
            problems.append(f"{where}: doc_id {doc_id!r} would write outside {golden_dir}")
            continue
        predicted, stage = _task_records(task, where)
        result = _latest_result(task)
        if result is None:
            problems.append(f"{where} ({doc_id}): no annotation or prediction; skipped")
            continue
        meta = data.get("quotetrail")
        spans = meta.get("sentences") if isinstance(meta, dict) else None
        sentences = [(int(s), int(e)) for s, e in spans or []]
        records, probs = attributions_from_result(
            doc_id, data["text"], result, predicted, sentences, as_quotes=stage == "tag"
        )
        problems += probs
        atts = [
            Attribution.model_validate({k: v for k, v in r.model_dump().items() if k != "outlet"})
            for r in records
        ]
        path = golden_dir / "attribute" / f"{doc_id}.jsonl"
        write_records(path, atts)
        written.append(path)
        if stage == "tag":
            path = golden_dir / "tag" / f"{doc_id}.jsonl"
            write_records(path, records)
            written.append(path)
        if on_article is not None:
            on_article(doc_id)
    return written, problems
