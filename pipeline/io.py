"""Read and write JSONL records: pydantic validation on the way in, atomic writes on the way out.

Every reader accepts both layouts of a stage's output: one file (``out/documents.jsonl``)
or shards (``out/documents/part-*.jsonl``, ``out/strip/part-*.jsonl``, or golden files
``golden/strip/<doc_id>.jsonl``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from schemas.models import STAGE_FILES, Record

R = TypeVar("R", bound=BaseModel)


class QuotetrailError(Exception):
    """Base of quotetrail's own errors."""


class UsageError(QuotetrailError):
    """Bad configuration or usage: the CLI exits 2 with this message."""


class InputError(QuotetrailError):
    """One input (an article, a file, a record) could not be processed."""

    def __init__(self, path: str, message: str, error: str | None = None) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.error = error or type(self).__name__


@dataclass(frozen=True)
class BadRecord:
    """A JSONL line that did not parse or validate, with a message a person can act on."""

    path: str
    line: int
    message: str
    doc_id: str | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def render_validation_error(exc: ValidationError) -> str:
    """Turn a pydantic error into ``field: message`` parts joined by '; '."""
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(record)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def dump_record(record: BaseModel) -> str:
    """One JSON line, byte-stable: field order of the model, non-ASCII kept as is."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(", ", ": "))


def iter_json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed JSON or BadRecord) for each non-blank line of ``path``."""
    with path.open("r", encoding="utf-8", errors="strict", newline="\n") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                msg = f"not valid JSON: {exc.msg} at column {exc.colno}"
                yield lineno, BadRecord(str(path), lineno, msg, _doc_id_of(line))


_DOC_ID = re.compile(r'"doc_id"\s*:\s*("(?:[^"\\\n]|\\.)*")')


def _doc_id_of(line: str) -> str | None:
    """The doc_id of a line that is not valid JSON, when it can still be read."""
    m = _DOC_ID.search(line)
    if m is None:
        return None
    try:
        doc_id = json.loads(m.group(1))
    except json.JSONDecodeError:
        return None
    return doc_id if isinstance(doc_id, str) and doc_id else None


def read_records(
    path: Path,
    model: type[R],
    context: dict[str, Any] | None = None,
) -> Iterator[R | BadRecord]:
    """Yield validated records of ``model`` from one JSONL file, or BadRecord for bad lines."""
    for lineno, obj in iter_json_lines(path):
        if isinstance(obj, BadRecord):
            yield obj
            continue
        doc_id = obj.get("doc_id") if isinstance(obj, dict) else None
        try:
            yield model.model_validate(obj, context=context)
        except ValidationError as exc:
            yield BadRecord(
                str(path),
                lineno,
                render_validation_error(exc),
                doc_id if isinstance(doc_id, str) and doc_id else None,
            )


def stage_files(directory: Path, stage: str) -> list[Path]:
    """The JSONL files holding ``stage``'s output under ``directory``, in reading order."""
    fname, _ = STAGE_FILES[stage]
    single = directory / f"{fname}.jsonl"
    if single.is_file():
        return [single]
    for sub in (directory / fname, directory / stage):
        if sub.is_dir():
            return sorted(p for p in sub.rglob("*.jsonl") if p.is_file())
    return []


def read_stage(directory: Path, stage: str) -> Iterator[Record | BadRecord]:
    """Yield ``stage``'s records from ``directory`` in either layout (spans checked by length)."""
    _, model = STAGE_FILES[stage]
    for path in stage_files(directory, stage):
        yield from read_records(path, model)


def group_by_doc(items: Iterable[Any]) -> Iterator[tuple[str, list[Any]]]:
    """Group consecutive records (or BadRecords) by doc_id, keeping input order.

    A BadRecord whose doc_id cannot be read joins the group it sits in (the next one when it
    comes first), so one broken line spoils one article, not the grouping of all that follow.
    """
    current: str | None = None
    bucket: list[Any] = []
    for item in items:
        doc_id = getattr(item, "doc_id", None)
        if not doc_id:
            bucket.append(item)
            continue
        if current is not None and doc_id != current:
            yield current, bucket
            bucket = []
        current = doc_id
        bucket.append(item)
    if bucket:
        yield current or f"<unknown:{getattr(bucket[0], 'path', '?')}>", bucket


class AtomicWriter:
    """Write a text file through a temporary file in the same directory, renamed on success.

    A crash or an exception leaves the previous file (if any) untouched and no partial file
    under the final name.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: Any = None
        self._tmp: str | None = None

    def __enter__(self) -> AtomicWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self._tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        return self

    def write(self, text: str) -> None:
        """Write raw text."""
        self._fh.write(text)

    def write_record(self, record: BaseModel) -> None:
        """Write one record as a JSON line."""
        self._fh.write(dump_record(record) + "\n")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._tmp is not None
        try:
            if exc_type is None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
            self._fh.close()
            if exc_type is None:
                # mkstemp makes the file 0600; outputs should have ordinary permissions.
                os.chmod(self._tmp, 0o666 & ~_umask())
                os.replace(self._tmp, self.path)
                self._tmp = None
        finally:
            if self._tmp is not None and os.path.exists(self._tmp):
                os.unlink(self._tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_temp_files(directory: Path) -> list[Path]:
    """Remove AtomicWriter's leftovers (``.NAME.XXXXXXXX.tmp``) of a killed run in ``directory``.

    Only the outputs of a run are looked at: files beside them and in their shard folders.
    Readers never take these files for outputs; this only keeps the folder clean. Return them.
    """
    names = [f"{fname}.jsonl" for fname, _ in STAGE_FILES.values()]
    names += ["errors.jsonl", "manifest.json"]
    found = [p for name in names for p in directory.glob(f".{name}.*.tmp")]
    for stage, (fname, _) in STAGE_FILES.items():
        for sub in (directory / fname, directory / stage):
            if sub.is_dir():
                found.extend(sub.glob(".part-*.jsonl.*.tmp"))
    for path in found:
        path.unlink(missing_ok=True)
    return found


def write_records(path: Path, records: Iterable[BaseModel]) -> int:
    """Write ``records`` to ``path`` atomically; return how many were written."""
    n = 0
    with AtomicWriter(path) as w:
        for rec in records:
            w.write_record(rec)
            n += 1
    return n


def write_json(path: Path, obj: Any) -> None:
    """Write a JSON document atomically, pretty and key-sorted."""
    with AtomicWriter(path) as w:
        w.write(json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
