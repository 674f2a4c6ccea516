"""Diff a run's output against golden files, article by article and record by record.

Golden files live at ``golden/<stage>/<doc_id>.jsonl`` (one file per stage and article) and
are read like sharded output, so either side of a diff may be a run's output or a golden
directory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.io import BadRecord, dump_record, read_stage, stage_files, write_records
from schemas.models import STAGE_FILES, Record

STAGES = tuple(STAGE_FILES)


@dataclass(frozen=True)
class Difference:
    """One difference between two outputs, printable as one readable line."""

    stage: str
    doc_id: str
    where: str
    detail: str

    def __str__(self) -> str:
        where = f" {self.where}" if self.where else ""
        return f"{self.stage} {self.doc_id}{where}: {self.detail}"


def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[: width - 1] + "…"


def _flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """{"speaker.name": ..., "outlet.via.name": ...} from a nested record dict."""
    if isinstance(obj, dict):
        flat: dict[str, Any] = {}
        for key, value in obj.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
        if not obj and prefix:
            flat[prefix[:-1]] = {}
        return flat
    return {prefix[:-1]: obj}


def load_by_doc(directory: Path, stage: str) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """Records of ``stage`` under ``directory`` as plain dicts grouped by doc_id, plus problems."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for item in read_stage(directory, stage):
        if isinstance(item, BadRecord):
            problems.append(str(item))
            continue
        rec = item.model_dump(mode="json")
        by_doc.setdefault(rec["doc_id"], []).append(rec)
    return by_doc, problems


def _label(rec: dict[str, Any]) -> str:
    if "quote_id" in rec:
        return f"{rec['quote_id']} “{_short(rec['text'], 40)}”"
    if "index" in rec and "paragraph" in rec:
        return f"sentence {rec['index']} “{_short(rec['text'], 40)}”"
    return ""


def _diff_fields(
    stage: str, doc_id: str, where: str, old: dict[str, Any], new: dict[str, Any], ignore: set[str]
) -> Iterator[Difference]:
    fo, fn = _flatten(old), _flatten(new)
    for key in sorted(set(fo) | set(fn)):
        if key in ignore or fo.get(key) == fn.get(key):
            continue
        if key == "text" and stage == "strip":
            yield Difference(stage, doc_id, where, _text_change(str(fo.get(key)), str(fn.get(key))))
            continue
        yield Difference(
            stage, doc_id, where, f"{key}: {_short(fo.get(key))} → {_short(fn.get(key))}"
        )


def _text_change(old: str, new: str) -> str:
    import difflib

    old_lines, new_lines = old.split("\n"), new.split("\n")
    gone = [line for line in old_lines if line and line not in set(new_lines)]
    added = [line for line in new_lines if line and line not in set(old_lines)]
    ratio = difflib.SequenceMatcher(None, old, new, autojunk=False).quick_ratio()
    parts = [f"text changed (similarity {ratio:.2f})"]
    parts += [f"- {_short(line, 70)}" for line in gone[:3]]
    parts += [f"+ {_short(line, 70)}" for line in added[:3]]
    return "\n    ".join(parts)


def _span(rec: dict[str, Any]) -> tuple[int, int]:
    return int(rec["start"]), int(rec["end"])


def _match_spans(
    golden: list[dict[str, Any]], out: list[dict[str, Any]]
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Pair records by identical span first, then by the largest overlap."""
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    left = list(golden)
    right = list(out)
    by_span = {_span(r): r for r in right}
    for g in list(left):
        o = by_span.get(_span(g))
        if o is not None and o in right:
            pairs.append((g, o))
            left.remove(g)
            right.remove(o)
    for g in list(left):
        gs, ge = _span(g)
        best, best_overlap = None, 0
        for o in right:
            os_, oe = _span(o)
            overlap = min(ge, oe) - max(gs, os_)
            if overlap > best_overlap:
                best, best_overlap = o, overlap
        if best is not None:
            pairs.append((g, best))
            left.remove(g)
            right.remove(best)
    pairs.sort(key=lambda p: _span(p[0]))
    return pairs, left, right


def diff_stage(stage: str, out_dir: Path, golden_dir: Path) -> list[Difference]:
    """Differences of one stage: articles added or removed, records added, removed or changed."""
    golden, gp = load_by_doc(golden_dir, stage)
    out, op = load_by_doc(out_dir, stage)
    diffs = [Difference(stage, "-", "", f"golden record does not validate: {p}") for p in gp]
    diffs += [Difference(stage, "-", "", f"output record does not validate: {p}") for p in op]
    for doc_id in sorted(set(golden) | set(out)):
        if doc_id not in out:
            diffs.append(Difference(stage, doc_id, "", "article missing from the output"))
            continue
        if doc_id not in golden:
            diffs.append(Difference(stage, doc_id, "", "article not in the golden files"))
            continue
        g_recs, o_recs = golden[doc_id], out[doc_id]
        if stage == "strip":
            diffs += _diff_fields(stage, doc_id, "", g_recs[0], o_recs[0], set())
            continue
        pairs, only_golden, only_out = _match_spans(g_recs, o_recs)
        ignore = {"quote_id", "index"}
        for g, o in pairs:
            diffs += _diff_fields(stage, doc_id, _label(g), g, o, ignore)
        for g in only_golden:
            diffs.append(
                Difference(stage, doc_id, _label(g), "only in golden (missing from output)")
            )
        for o in only_out:
            diffs.append(Difference(stage, doc_id, _label(o), "only in output (not in golden)"))
    return diffs


def diff_dirs(
    out_dir: Path, golden_dir: Path, stages: tuple[str, ...] = STAGES
) -> list[Difference]:
    """All differences for the stages that the golden directory holds."""
    diffs: list[Difference] = []
    for stage in stages:
        if not stage_files(golden_dir, stage):
            continue
        if not stage_files(out_dir, stage):
            diffs.append(Difference(stage, "-", "", f"{out_dir} has no output for this stage"))
            continue
        diffs += diff_stage(stage, out_dir, golden_dir)
    return diffs


def golden_path(golden_dir: Path, stage: str, doc_id: str) -> Path:
    """Where the golden file of one stage and article lives."""
    return golden_dir / stage / f"{doc_id}.jsonl"


def update_golden(out_dir: Path, golden_dir: Path, stages: tuple[str, ...] = STAGES) -> list[Path]:
    """Write golden/<stage>/<doc_id>.jsonl from a run's output; return the files written."""
    from pipeline.io import read_stage as _read

    written: list[Path] = []
    for stage in stages:
        if not stage_files(out_dir, stage):
            continue
        by_doc: dict[str, list[Record]] = {}
        for item in _read(out_dir, stage):
            if isinstance(item, BadRecord):
                raise ValueError(f"refusing to write golden files from invalid output: {item}")
            by_doc.setdefault(item.doc_id, []).append(item)  # type: ignore[attr-defined]
        for doc_id, records in sorted(by_doc.items()):
            path = golden_path(golden_dir, stage, doc_id)
            write_records(path, records)
            written.append(path)
    return written


def render_golden(records: list[Record]) -> str:
    """The golden-file text of one article's records (what file_regression compares)."""
    return "".join(dump_record(r) + "\n" for r in records)
