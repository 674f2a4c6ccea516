# distributed ships no type hints for Client, LocalCluster and as_completed:
# mypy: disallow-untyped-calls=False, warn-return-any=False
"""Run the stages past one machine: partitions of the input on a dask.distributed cluster.

The driver walks the input folder and hands contiguous runs of inputs (partitions, in walk
order) to the workers. Each worker loads the spaCy pipeline once (a worker plugin; the load is
cached per process), runs every stage over its partition exactly as a local run does, and
writes ``out/<stage>/part-NNNNN.jsonl`` atomically. The driver writes errors.jsonl and
manifest.json. Reading the parts in name order gives the records of a local run, in its order.

Workers read the inputs and write the outputs at the paths the driver sees, so on a real
cluster both live on storage every machine mounts at the same path.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin, as_completed

from pipeline import nlp as nlp_mod
from pipeline import runner
from pipeline.io import InputError, UsageError, write_records
from schemas.models import STAGE_FILES, ErrorRecord

log = logging.getLogger(__name__)

#: Inputs per partition: small enough to balance a few workers, large enough that a million
#: inputs make tens of thousands of part files, not a million.
PARTITION_SIZE = 32
#: Partitions in flight per worker: keeps workers busy without walking far ahead.
IN_FLIGHT_PER_WORKER = 4


class LoadPipeline(WorkerPlugin):
    """Load the spaCy pipeline once when a worker starts, not in its first task."""

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        """Load the pipeline into the worker process's cache (pipeline.nlp.load)."""
        nlp_mod.load(self.model)


def part_path(out_dir: Path, stage: str, index: int) -> Path:
    """Where partition ``index`` of ``stage`` is written."""
    return out_dir / stage / f"part-{index:05d}.jsonl"


def run_partition(
    index: int,
    inputs: list[tuple[str, str]],
    input_dir: str,
    out_dir: str,
    stages: tuple[str, ...],
    model: str | None,
) -> dict[str, Any]:
    """Run ``stages`` over one partition on a worker; return its manifest entries and counts."""
    out = Path(out_dir)
    result = runner.RunResult(out, stages)
    result.counts.update({STAGE_FILES[stage][0]: 0 for stage in stages})
    stage_time: dict[str, float] = {}
    with ExitStack() as stack:
        writers = runner.StageWriters(stack, {s: part_path(out, s, index) for s in stages})
        walk = ((Path(path), rel) for path, rel in inputs)
        events = runner.input_events(walk, Path(input_dir), None, result.errors, stage_time)
        entries = runner.drive(events, writers, {}, model, 1, result, stage_time)
    return {
        "index": index,
        "entries": entries,
        "errors": [e.model_dump(mode="json") for e in result.errors],
        "counts": dict(result.counts),
        "timings": stage_time,
    }


def _partitions(
    walk: Iterable[tuple[Path, str] | InputError],
    walk_errors: list[ErrorRecord],
    size: int,
) -> Iterator[list[tuple[str, str]]]:
    part: list[tuple[str, str]] = []
    for item in walk:
        if isinstance(item, InputError):
            walk_errors.append(
                ErrorRecord(path=item.path, stage="strip", error=item.error, message=item.message)
            )
            continue
        part.append((str(item[0]), item[1]))
        if len(part) >= size:
            yield part
            part = []
    if part:
        yield part


def _client(stack: ExitStack, scheduler: str | None, jobs: int) -> Client:
    if scheduler:
        try:
            return stack.enter_context(Client(scheduler, timeout="30s"))
        except OSError as exc:
            raise UsageError(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}. Start one with "
                "`dask scheduler` and pass its address (tcp://HOST:8786)"
            ) from exc
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,  # spaCy is CPU-bound: one task per process
            processes=True,
            dashboard_address=":0",  # any free port: never clash with another cluster
            silence_logs=logging.ERROR,
        )
    )
    return stack.enter_context(Client(cluster))


def _remove_stale_parts(out_dir: Path, stages: Iterable[str], n_parts: int) -> None:
    """Remove parts a previous, larger sharded run left behind (readers read every part)."""
    for stage in stages:
        for sub in (out_dir / STAGE_FILES[stage][0], out_dir / stage):
            if not sub.is_dir():
                continue
            for part in sub.glob("part-*.jsonl"):
                if sub.name != stage or part.name >= part_path(out_dir, stage, n_parts).name:
                    part.unlink()


def run(
    input_dir: Path,
    out_dir: Path,
    stages: tuple[str, ...] = runner.STAGES,
    model: str | None = None,
    jobs: int = 1,
    follow_symlinks: bool = False,
    scheduler: str | None = None,
    partition_size: int = PARTITION_SIZE,
    on_article: Callable[[str], None] | None = None,
) -> runner.RunResult:
    """Run ``stages`` over ``input_dir`` on a Dask cluster (local with ``jobs`` workers)."""
    if not input_dir.is_dir():
        raise UsageError(f"input directory {input_dir} does not exist or is not a directory")
    if stages[0] != "strip":
        raise UsageError("`run` starts at strip; use the single-stage commands for later stages")
    t_start = time.perf_counter()
    # Absolute paths: workers run elsewhere, and read and write where the driver points them.
    input_dir, out_dir = input_dir.absolute(), out_dir.absolute()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = runner.RunResult(out_dir, stages)
    result.counts.update({STAGE_FILES[stage][0]: 0 for stage in stages})
    versions = runner.versions_of(model)
    summaries: dict[int, dict[str, Any]] = {}
    n_parts = 0
    with ExitStack() as stack:
        client = _client(stack, scheduler, jobs)
        if "segment" in stages:
            client.register_plugin(LoadPipeline(model), name="quotetrail-nlp")
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending = as_completed()
        walk = runner.walk_inputs(input_dir, follow_symlinks)
        for part in _partitions(walk, result.errors, partition_size):
            future = client.submit(
                run_partition,
                n_parts,
                part,
                str(input_dir),
                str(out_dir),
                stages,
                model,
                pure=False,
            )
            pending.add(future)
            n_parts += 1
            # Bounded: the walk never runs far ahead of the workers.
            while pending.count() >= IN_FLIGHT_PER_WORKER * n_workers:
                summary = next(pending).result()
                summaries[summary["index"]] = summary
        for future in pending:
            summary = future.result()
            summaries[summary["index"]] = summary
    if n_parts == 0:
        # Nothing to read still writes each stage, as a local run does: readers find it empty.
        for stage in stages:
            write_records(part_path(out_dir, stage, 0), [])
        n_parts = 1
        summaries[0] = {"index": 0, "entries": [], "errors": [], "counts": {}, "timings": {}}
    entries: list[dict[str, Any]] = []
    stage_time: dict[str, float] = {}
    for index in range(n_parts):
        summary = summaries.pop(index)
        entries.extend(summary["entries"])
        result.errors.extend(ErrorRecord.model_validate(e) for e in summary["errors"])
        result.counts.update(summary["counts"])
        for stage, seconds in summary["timings"].items():
            stage_time[stage] = stage_time.get(stage, 0.0) + seconds
        if on_article is not None:
            for entry in summary["entries"]:
                for doc_id in entry["doc_ids"]:
                    on_article(doc_id)
    result.processed = len(entries)
    runner.write_errors(out_dir, result.errors)
    _remove_stale_parts(out_dir, stages, n_parts)
    runner.remove_other_layout(out_dir, stages, sharded=True)
    result.counts["errors"] = len(result.errors)
    result.timings = {k: round(v, 3) for k, v in sorted(stage_time.items())}
    result.timings["total"] = round(time.perf_counter() - t_start, 3)
    runner.write_manifest(
        out_dir,
        result,
        versions,
        entries,
        {"jobs": jobs, "engine": "dask", "partitions": n_parts},
        follow_symlinks,
    )
    return result
