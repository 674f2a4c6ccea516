"""Check a run's output: every record valid, every span the text of its article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from pipeline.io import BadRecord, read_records, stage_files
from schemas.models import STAGE_FILES, Document


def validate_output(out_dir: Path) -> tuple[dict[str, int], list[str]]:
    """Return (records per stage, problems as ``path:line: field: message``)."""
    counts: dict[str, int] = {}
    problems: list[str] = []
    texts: dict[str, str] = {}
    for path in stage_files(out_dir, "strip"):
        for item in read_records(path, Document):
            if isinstance(item, BadRecord):
                problems.append(str(item))
            else:
                texts[item.doc_id] = item.text
                counts["strip"] = counts.get("strip", 0) + 1
    for stage, (_, model) in STAGE_FILES.items():
        if stage == "strip":
            continue
        for path in stage_files(out_dir, stage):
            seen_ids: set[tuple[str, str]] = set()
            for lineno, rec in enumerate(_with_context(path, model, texts), start=1):
                if isinstance(rec, BadRecord):
                    problems.append(str(rec))
                    continue
                counts[stage] = counts.get(stage, 0) + 1
                doc_id = str(getattr(rec, "doc_id", ""))
                if doc_id not in texts:
                    problems.append(f"{path}: record {lineno}: doc_id {doc_id!r} has no document")
                key = getattr(rec, "quote_id", None) or str(getattr(rec, "index", ""))
                if (doc_id, key) in seen_ids:
                    problems.append(f"{path}: record {lineno}: duplicate id {key!r} in {doc_id!r}")
                seen_ids.add((doc_id, key))
    if not counts:
        problems.append(f"{out_dir}: no quotetrail output found (documents.jsonl etc.)")
    return counts, problems


def _with_context(
    path: Path, model: type[BaseModel], texts: dict[str, str]
) -> Iterator[BaseModel | BadRecord]:
    """Validate each line with its article's text, so spans are checked against it."""
    import json

    from pydantic import ValidationError

    from pipeline.io import render_validation_error

    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BadRecord(str(path), lineno, f"not valid JSON: {exc.msg}")
                continue
            text = texts.get(str(obj.get("doc_id"))) if isinstance(obj, dict) else None
            try:
                yield model.model_validate(
                    obj, context={"text": text} if text is not None else None
                )
            except ValidationError as exc:
                yield BadRecord(str(path), lineno, render_validation_error(exc))
