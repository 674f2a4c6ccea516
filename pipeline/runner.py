"""Chain the stages over a directory: one parse per article, counts, errors.jsonl, manifest.json.

Records of one article are all computed before any is written, so a failure inside an article
leaves no partial records of that article in the stage that failed. Every output file is
written through a temporary file and renamed when the run ends (pipeline.io.AtomicWriter).

Runs stream: inputs are read in walk order, parsed in batches (``nlp.pipe``), and written in
that same order, with at most ``2 * jobs`` batches in flight, so memory does not grow with the
corpus. Runs are incremental: manifest.json keeps the hash of every input's raw bytes and the
versions of code, model and data; a re-run with the same versions and stages re-processes only
new or changed inputs and copies the previous records of the others, giving the same bytes a
full run would.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import multiprocessing
import platform
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import metadata
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pipeline import __version__
from pipeline import nlp as nlp_mod
from pipeline.io import (
    AtomicWriter,
    BadRecord,
    InputError,
    UsageError,
    group_by_doc,
    read_stage,
    remove_temp_files,
    stage_files,
    write_json,
)
from schemas.models import (
    STAGE_FILES,
    Attribution,
    Document,
    ErrorRecord,
    Quote,
    Sentence,
)

log = logging.getLogger(__name__)

STAGES = ("strip", "segment", "attribute", "tag")
#: Stages that need the spaCy parse of an article.
PARSED_STAGES = ("segment", "attribute", "tag")
#: Articles per batch handed to a worker process (and read ahead, at most 2 * jobs batches).
BATCH_SIZE = 16
#: Articles per batch with several processes: small batches keep every process busy to the
#: end (with 16, the last process to finish ran on alone for up to a batch of 16 articles).
POOL_BATCH_SIZE = 4
#: Articles per nlp.pipe batch. Throughput is flat from 1 to 16 with en_core_web_sm (words per
#: CPU-second on PolNeAR: 5565, 6133, 5864 for 1, 4, 16), but the parser's peak memory grows
#: with the batch (+88, +193, +343 MiB over the loaded model), so a small batch it is.
PIPE_BATCH_SIZE = 4
#: Inputs per batch at most, so a long run of unchanged inputs (nothing to parse) stays small.
MAX_BATCH_INPUTS = 256
#: Bumped when manifest.json changes shape; a manifest of another format means a full run.
MANIFEST_FORMAT = 2
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def parse_stages(spec: str | None) -> tuple[str, ...]:
    """Turn ``--stages`` ("strip,segment" or "strip-attribute") into a contiguous tuple."""
    if not spec:
        return STAGES
    if "-" in spec and "," not in spec:
        first, last = spec.split("-", 1)
        names = [first.strip(), last.strip()]
    else:
        names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [s for s in names if s not in STAGES]
    if unknown:
        raise UsageError(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGES)}")
    lo, hi = min(STAGES.index(s) for s in names), max(STAGES.index(s) for s in names)
    return STAGES[lo : hi + 1]


@dataclass
class ArticleResult:
    """Everything the parsed stages produced for one article, or the error that stopped them."""

    doc_id: str
    source: str
    sentences: list[Sentence] | None = None
    attributions: list[Attribution] | None = None
    quotes: list[Quote] | None = None
    error: ErrorRecord | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class RunResult:
    """Counts, errors and timings of one run."""

    out_dir: Path
    stages: tuple[str, ...]
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[ErrorRecord] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: "full" or "incremental", and how many inputs were processed and reused.
    mode: str = "full"
    processed: int = 0
    reused: int = 0

    @property
    def failed(self) -> bool:
        """True when any input could not be processed."""
        return bool(self.errors)


def _error(path: str, stage: str, exc: BaseException) -> ErrorRecord:
    if isinstance(exc, InputError):
        return ErrorRecord(path=exc.path, stage=stage, error=exc.error, message=exc.message)
    return ErrorRecord(path=path, stage=stage, error=type(exc).__name__, message=str(exc))


# -- the parsed stages over one batch ----------------------------------------------------------


def process_parsed(stages: tuple[str, ...], document: Document, parsed: Any) -> ArticleResult:
    """Run the parsed stages (segment, attribute, tag) over one article and its parse."""
    from pipeline.stages import attribute, segment, tag

    result = ArticleResult(document.doc_id, document.source)
    stage = "segment"
    try:
        t0 = time.perf_counter()
        sentences = segment.segment(document, parsed)
        t1 = time.perf_counter()
        result.timings["segment"] = t1 - t0
        if "attribute" in stages:
            stage = "attribute"
            attributions = attribute.attribute(document, sentences, parsed)
            t2 = time.perf_counter()
            result.timings["attribute"] = t2 - t1
            if "tag" in stages:
                stage = "tag"
                result.quotes = tag.tag(document, attributions, parsed)
                result.timings["tag"] = time.perf_counter() - t2
            result.attributions = attributions
        result.sentences = sentences
    except Exception as exc:  # one bad article is recorded and counted, the run goes on
        log.debug("article %s failed in %s", document.doc_id, stage, exc_info=True)
        result.error = _error(document.source, stage, exc)
    return result


def process_batch(
    stages: tuple[str, ...], documents: list[Document], model: str | None
) -> list[ArticleResult]:
    """Parse a batch of articles once (nlp.pipe) and run the parsed stages over each.

    Each article goes through the stages as soon as its parse comes out, so only a few
    parsed Docs are alive at a time.
    """
    nlp = nlp_mod.load(model)
    texts = [d.text for d in documents]
    results: list[ArticleResult] = []
    t0 = time.perf_counter()
    try:
        for document, parsed in zip(
            documents, nlp_mod.parse(nlp, texts, PIPE_BATCH_SIZE), strict=False
        ):
            t1 = time.perf_counter()
            res = process_parsed(stages, document, parsed)
            res.timings["parse"] = t1 - t0
            results.append(res)
            t0 = time.perf_counter()
    except Exception:  # a text the parser chokes on: isolate it by parsing one at a time
        log.debug("batch parse failed; parsing the rest one article at a time", exc_info=True)
        for document in documents[len(results) :]:
            try:
                parsed = next(nlp_mod.parse(nlp, [document.text], 1))
            except Exception as exc:
                results.append(
                    ArticleResult(
                        document.doc_id,
                        document.source,
                        error=_error(document.source, "segment", exc),
                    )
                )
                continue
            results.append(process_parsed(stages, document, parsed))
    return results


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_WORKER: dict[str, Any] = {}


def _worker_init(stages: tuple[str, ...], model: str | None) -> None:
    _WORKER["stages"] = stages
    _WORKER["model"] = model
    nlp_mod.load(model)  # a forked worker finds it loaded (preload); a spawned one loads it


def preload(model: str | None) -> None:
    """Load the pipeline and the stages' data in this process, before forking the workers.

    Forked workers inherit them copy-on-write instead of loading their own: one model load
    per run instead of one per process (about 1 CPU-second each with en_core_web_sm), and
    the pages are shared. The loaded objects are then frozen out of the garbage collector,
    so no collection in a worker walks (and so copies) them.
    """
    from pipeline import outlets, resolve
    from pipeline.stages import tag

    nlp_mod.load(model)
    outlets.gazetteer()
    resolve.lexicon()
    tag.via_rules()
    gc.freeze()


def _worker_batch(documents: list[Document]) -> list[ArticleResult]:
    return process_batch(_WORKER["stages"], documents, _WORKER["model"])


# -- the stream of inputs ----------------------------------------------------------------------


@dataclass
class _Input:
    """One input file, in walk order: fresh (its documents follow it in the stream) or reused."""

    rel: str
    sha256: str
    errors: list[ErrorRecord]
    reuse: dict[str, Any] | None = None


_Event = _Input | Document


def walk_inputs(input_dir: Path, follow_symlinks: bool) -> Iterator[tuple[Path, str] | InputError]:
    """The input files under ``input_dir`` in walk order, as (path, relative path)."""
    from pipeline.stages import strip

    return strip.walk_inputs(input_dir, follow_symlinks)


def read_input(path: Path, input_dir: Path) -> list[Document | InputError]:
    """The documents (or errors) of one input file."""
    from pipeline.stages import strip

    return strip.read_input(path, input_dir)


def input_events(
    inputs: Iterable[tuple[Path, str] | InputError],
    input_dir: Path,
    previous: _Previous | None,
    walk_errors: list[ErrorRecord],
    stage_time: dict[str, float],
) -> Iterator[_Event]:
    """Each input in walk order, followed by its documents when it has to be processed.

    A doc_id belongs to the first input (in walk order) that gives it: a later document with
    the same doc_id (a.html then a.txt, or a JSONL id a file already took) is a DuplicateDocId
    error, and an input that had one is read again on an incremental run (its twin may be gone).
    """
    owners: dict[str, str] = {}
    t = time.perf_counter()
    for item in inputs:
        if isinstance(item, InputError):
            walk_errors.append(_error(item.path, "strip", item))
            continue
        path, rel = item
        # The raw bytes are hashed before any extraction, so an unchanged input costs one read.
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            sha = ""  # never matches: read_input reports why the file cannot be read
        entry = previous.entries.get(rel) if previous is not None else None
        if (
            entry is not None
            and sha
            and entry["sha256"] == sha
            and not any(d in owners for d in entry["doc_ids"])
            and not any(e["error"] == "DuplicateDocId" for e in entry["errors"])
        ):
            owners.update(dict.fromkeys(entry["doc_ids"], rel))
            stage_time["hash"] = stage_time.get("hash", 0.0) + time.perf_counter() - t
            yield _Input(rel, sha, [], reuse=entry)
            t = time.perf_counter()
            continue
        try:
            items = read_input(path, input_dir)
        except Exception as exc:  # a bug of ours must not end the run: recorded, counted
            log.error("%s: strip failed", rel, exc_info=True)
            message = f"internal error (please report it): {type(exc).__name__}: {exc}"
            items = [InputError(rel, message, error=type(exc).__name__)]
        documents = []
        errors = [_error(e.path, "strip", e) for e in items if isinstance(e, InputError)]
        for d in items:
            if not isinstance(d, Document):
                continue
            if d.doc_id in owners:
                errors.append(
                    ErrorRecord(
                        path=d.source,
                        stage="strip",
                        error="DuplicateDocId",
                        message=f"doc_id {d.doc_id!r} is already taken by {owners[d.doc_id]}; "
                        "rename one of them (a doc_id is the input's path without its "
                        "extension, or a JSONL line's id)",
                    )
                )
                continue
            owners[d.doc_id] = rel
            documents.append(d)
        stage_time["strip"] = stage_time.get("strip", 0.0) + time.perf_counter() - t
        yield _Input(rel, sha, errors)
        yield from documents
        t = time.perf_counter()


def _event_batches(
    events: Iterable[_Event], size: int = BATCH_SIZE
) -> Iterator[list[_Event]]:
    """Cut the stream into batches of at most ``size`` documents (and MAX_BATCH_INPUTS)."""
    batch: list[_Event] = []
    docs = inputs = 0
    for event in events:
        batch.append(event)
        if isinstance(event, Document):
            docs += 1
        else:
            inputs += 1
        if docs >= size or inputs >= MAX_BATCH_INPUTS:
            yield batch
            batch, docs, inputs = [], 0, 0
    if batch:
        yield batch


def _process_all(
    stages: tuple[str, ...],
    batches: Iterable[list[_Event]],
    model: str | None,
    jobs: int,
) -> Iterator[tuple[list[_Event], list[ArticleResult]]]:
    """Yield each batch with the results of its documents, in input order.

    With ``jobs`` > 1 the batches go to a process pool, at most ``2 * jobs`` in flight: unlike
    Pool.imap, which drains its input in a feeder thread, this never reads ahead further, so
    memory stays bounded however large the corpus. The pool starts with the first batch that
    has something to parse, so an unchanged re-run never loads the model.
    """
    parse = "segment" in stages
    if jobs <= 1:
        with ExitStack() as stack:
            loaded = False
            for batch in batches:
                docs = [e for e in batch if isinstance(e, Document)]
                if parse and docs and not loaded:
                    # Frozen, the model's objects are no longer walked by every full collection.
                    preload(model)
                    stack.callback(gc.unfreeze)
                    loaded = True
                yield batch, process_batch(stages, docs, model) if parse and docs else []
        return
    window: deque[tuple[list[_Event], AsyncResult[list[ArticleResult]] | None]] = deque()
    with ExitStack() as stack:
        pool: Pool | None = None
        for batch in batches:
            docs = [e for e in batch if isinstance(e, Document)]
            pending: AsyncResult[list[ArticleResult]] | None = None
            if parse and docs:
                if pool is None:
                    ctx = multiprocessing.get_context(
                        "fork" if sys.platform != "win32" else "spawn"
                    )
                    if ctx.get_start_method() == "fork":
                        preload(model)
                        stack.callback(gc.unfreeze)
                    pool = stack.enter_context(
                        ctx.Pool(jobs, initializer=_worker_init, initargs=(stages, model))
                    )
                pending = pool.apply_async(_worker_batch, (docs,))
            window.append((batch, pending))
            while len(window) >= 2 * jobs:
                done, res = window.popleft()
                yield done, res.get() if res is not None else []
        while window:
            done, res = window.popleft()
            yield done, res.get() if res is not None else []


# -- incremental runs ------------------------------------------------------------------------


@dataclass
class _Previous:
    """What the previous run in the output folder did, when its results can be reused."""

    entries: dict[str, dict[str, Any]]
    #: doc_id -> its position in the previous run's output order.
    positions: dict[str, int]


def _load_previous(
    out_dir: Path, stages: tuple[str, ...], versions: dict[str, Any], follow_symlinks: bool
) -> _Previous | None:
    """The previous run's manifest, or None (with the reason logged) when a full run is due."""
    path = out_dir / "manifest.json"
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.info("full run: cannot read %s (%s)", path, exc)
        return None
    why = None
    if not isinstance(manifest, dict) or manifest.get("manifest_format") != MANIFEST_FORMAT:
        why = "the manifest is of another format"
    elif manifest.get("stages") != list(stages):
        why = f"the previous run had stages {manifest.get('stages')}"
    elif manifest.get("versions") != versions:
        changed = sorted(k for k in versions if versions.get(k) != manifest["versions"].get(k))
        why = f"versions changed: {', '.join(changed) or 'keys'}"
    elif manifest.get("options", {}).get("follow_symlinks") != follow_symlinks:
        why = "--follow-symlinks changed"
    else:
        missing = [s for s in stages if not stage_files(out_dir, s)]
        if missing:
            why = f"previous output of {', '.join(missing)} is missing"
    if why is not None:
        log.info("full run: %s", why)
        return None
    entries: dict[str, dict[str, Any]] = {}
    positions: dict[str, int] = {}
    for entry in manifest.get("inputs", []):
        entries[entry["path"]] = entry
        for doc_id in entry["doc_ids"]:
            if doc_id in positions:
                # Records are matched to inputs by doc_id: with duplicates that is ambiguous.
                log.info("full run: doc_id %r came from two inputs", doc_id)
                return None
            positions[doc_id] = len(positions)
    return _Previous(entries, positions)


class _PreviousRecords:
    """One stage's previous output lines, handed out per document in the previous run's order."""

    def __init__(self, paths: list[Path], positions: dict[str, int]) -> None:
        self._positions = positions
        self._groups = self._read(paths)
        self._head = next(self._groups, None)

    @staticmethod
    def _read(paths: list[Path]) -> Iterator[tuple[str, list[str]]]:
        current: str | None = None
        lines: list[str] = []
        for path in paths:
            with path.open("r", encoding="utf-8", newline="\n") as fh:
                for lineno, line in enumerate(fh, start=1):
                    if not line.strip():
                        continue
                    try:
                        doc_id = json.loads(line)["doc_id"]
                    except (ValueError, KeyError, TypeError) as exc:
                        raise UsageError(
                            f"{path}:{lineno}: cannot reuse the previous output ({exc}); "
                            "re-run with --full"
                        ) from exc
                    if current is not None and doc_id != current:
                        yield current, lines
                        lines = []
                    current = doc_id
                    lines.append(line if line.endswith("\n") else line + "\n")
        if current is not None:
            yield current, lines

    def take(self, doc_id: str) -> list[str]:
        """The previous lines of ``doc_id``; those of documents before it are skipped."""
        target = self._positions[doc_id]
        while self._head is not None:
            pos = self._positions.get(self._head[0], -1)
            if pos > target:
                break  # doc_id had no records in this stage
            lines = self._head[1]
            self._head = next(self._groups, None)
            if pos == target:
                return lines
        return []


def _code_hash(root: Path = _PACKAGE_ROOT) -> str:
    """SHA-256 of the package's source and data files under ``root``."""
    digest = hashlib.sha256()
    for pattern in ("pipeline/**/*.py", "schemas/*.py", "pipeline/data/*"):
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def versions_of(model: str | None) -> dict[str, Any]:
    def ver(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    data_dir = Path(__file__).resolve().parent / "data"
    data_hash = hashlib.sha256()
    for path in sorted(data_dir.glob("*")):
        if path.is_file():
            data_hash.update(path.name.encode())
            data_hash.update(path.read_bytes())
    name = nlp_mod.resolve_model(model)
    return {
        "quotetrail": __version__,
        # The source itself, so an edit between releases still forces a full run.
        "code_sha256": _code_hash(),
        "python": platform.python_version(),
        "spacy": ver("spacy"),
        "pydantic": ver("pydantic"),
        "trafilatura": ver("trafilatura"),
        "model": name,
        "model_version": ver(name.replace("_", "-")),
        "excluded_components": list(nlp_mod.EXCLUDED_COMPONENTS),
        "data_sha256": data_hash.hexdigest(),
    }


# -- run ---------------------------------------------------------------------------------------


class StageWriters:
    """The stage writers of one run, and the bookkeeping of what each input produced."""

    def __init__(self, stack: ExitStack, paths: dict[str, Path]) -> None:
        self.stages = tuple(paths)
        self.files = {stage: stack.enter_context(AtomicWriter(p)) for stage, p in paths.items()}

    def write(self, stage: str, records: Iterable[BaseModel]) -> int:
        """Write records of one stage; return how many."""
        n = 0
        for rec in records:
            self.files[stage].write_record(rec)
            n += 1
        return n

    def copy(self, stage: str, lines: list[str]) -> int:
        """Write previous lines of one stage as they are; return how many."""
        for line in lines:
            self.files[stage].write(line)
        return len(lines)


def remove_other_layout(out_dir: Path, stages: Iterable[str], sharded: bool) -> None:
    """Remove a previous run's output of ``stages`` in the layout this run did not write.

    Readers prefer the single file over shards, so a stale file would hide a sharded run and
    stale shards would only confuse.
    """
    for stage in stages:
        name = STAGE_FILES[stage][0]
        if sharded:
            (out_dir / f"{name}.jsonl").unlink(missing_ok=True)
            continue
        for sub in (out_dir / name, out_dir / stage):
            if sub.is_dir():
                for part in sub.glob("part-*.jsonl"):
                    part.unlink()
                if not any(sub.iterdir()):
                    sub.rmdir()


def run(
    input_dir: Path,
    out_dir: Path,
    stages: tuple[str, ...] = STAGES,
    model: str | None = None,
    jobs: int = 1,
    follow_symlinks: bool = False,
    on_article: Callable[[str], None] | None = None,
    incremental: bool = True,
) -> RunResult:
    """Run ``stages`` (starting with strip) over ``input_dir``, writing into ``out_dir``.

    With ``incremental`` (the default), inputs unchanged since the previous run in
    ``out_dir`` (same bytes, same versions, same stages) keep their previous records.
    """
    if not input_dir.is_dir():
        raise UsageError(f"input directory {input_dir} does not exist or is not a directory")
    if stages[0] != "strip":
        raise UsageError("`run` starts at strip; use the single-stage commands for later stages")
    if out_dir.is_dir():
        for path in remove_temp_files(out_dir):  # a killed run's, never read as outputs
            log.info("removed %s, left by an interrupted run", path)
    t_start = time.perf_counter()
    result = RunResult(out_dir, stages)
    # Every output named from the start: a full and an incremental run report the same keys.
    result.counts.update({STAGE_FILES[stage][0]: 0 for stage in stages})
    versions = versions_of(model)
    previous = _load_previous(out_dir, stages, versions, follow_symlinks) if incremental else None
    result.mode = "incremental" if previous is not None else "full"
    stage_time: dict[str, float] = {}

    with ExitStack() as stack:
        writers = StageWriters(
            stack, {stage: out_dir / f"{STAGE_FILES[stage][0]}.jsonl" for stage in stages}
        )
        reusers = (
            {
                stage: _PreviousRecords(stage_files(out_dir, stage), previous.positions)
                for stage in stages
            }
            if previous is not None
            else {}
        )
        walk = walk_inputs(input_dir, follow_symlinks)
        events = input_events(walk, input_dir, previous, result.errors, stage_time)
        entries = drive(events, writers, reusers, model, jobs, result, stage_time, on_article)
        write_errors(out_dir, result.errors)
    remove_other_layout(out_dir, stages, sharded=False)
    result.counts["errors"] = len(result.errors)
    result.timings = {k: round(v, 3) for k, v in sorted(stage_time.items())}
    result.timings["total"] = round(time.perf_counter() - t_start, 3)
    write_manifest(
        out_dir, result, versions, entries, {"jobs": jobs, "engine": "local"}, follow_symlinks
    )
    return result


def drive(
    events: Iterable[_Event],
    writers: StageWriters,
    reusers: dict[str, _PreviousRecords],
    model: str | None,
    jobs: int,
    result: RunResult,
    stage_time: dict[str, float],
    on_article: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Process and write a stream of inputs in order; return their manifest entries."""
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    batches = _event_batches(events, BATCH_SIZE if jobs <= 1 else POOL_BATCH_SIZE)
    for batch, results in _process_all(writers.stages, batches, model, jobs):
        pending = iter(results)
        for event in batch:
            if isinstance(event, _Input):
                current = _start_input(event, writers, reusers, result, on_article)
                entries.append(current)
                continue
            assert current is not None
            _write_document(event, pending, writers, current, result, stage_time)
            if on_article is not None:
                on_article(event.doc_id)
    return entries


def _start_input(
    event: _Input,
    writers: StageWriters,
    reusers: dict[str, _PreviousRecords],
    result: RunResult,
    on_article: Callable[[str], None] | None,
) -> dict[str, Any]:
    """Begin an input's manifest entry; an unchanged input's records are copied here."""
    if event.reuse is None:
        result.processed += 1
        result.errors.extend(event.errors)
        return {
            "path": event.rel,
            "sha256": event.sha256,
            "doc_ids": [],
            "errors": [e.model_dump(mode="json") for e in event.errors],
        }
    result.reused += 1
    entry = event.reuse
    for doc_id in entry["doc_ids"]:
        for stage in writers.stages:
            n = writers.copy(stage, reusers[stage].take(doc_id))
            result.counts[STAGE_FILES[stage][0]] += n
        if on_article is not None:
            on_article(doc_id)
    result.errors.extend(ErrorRecord.model_validate(e) for e in entry["errors"])
    return {k: entry[k] for k in ("path", "sha256", "doc_ids", "errors")}


def _write_document(
    document: Document,
    pending: Iterator[ArticleResult],
    writers: StageWriters,
    entry: dict[str, Any],
    result: RunResult,
    stage_time: dict[str, float],
) -> None:
    """Write one fresh article's records in every stage, and note them in its input's entry."""
    entry["doc_ids"].append(document.doc_id)
    result.counts["documents"] += writers.write("strip", [document])
    if "segment" not in writers.stages:
        return
    art = next(pending)
    for stage, seconds in art.timings.items():
        stage_time[stage] = stage_time.get(stage, 0.0) + seconds
    if art.error is not None:
        result.errors.append(art.error)
        entry["errors"].append(art.error.model_dump(mode="json"))
    for stage, records in (
        ("segment", art.sentences),
        ("attribute", art.attributions),
        ("tag", art.quotes),
    ):
        if stage in writers.files and records is not None:
            result.counts[STAGE_FILES[stage][0]] += writers.write(stage, records)


def write_manifest(
    out_dir: Path,
    result: RunResult,
    versions: dict[str, Any],
    entries: list[dict[str, Any]],
    options: dict[str, Any],
    follow_symlinks: bool,
) -> None:
    """Write manifest.json: versions, inputs (hash, doc_ids, errors), counts, timings."""
    write_json(
        out_dir / "manifest.json",
        {
            "schema_version": "1",
            "manifest_format": MANIFEST_FORMAT,
            "stages": list(result.stages),
            "versions": versions,
            "options": {**options, "follow_symlinks": follow_symlinks},
            # In output order: an incremental run matches previous records by this order.
            "inputs": entries,
            "counts": dict(sorted(result.counts.items())),
            "run": {"mode": result.mode, "processed": result.processed, "reused": result.reused},
            "timings_seconds": result.timings,
        },
    )


def write_errors(out_dir: Path, errors: list[ErrorRecord]) -> None:
    # Sorted: with several processes, errors arrive in no fixed order.
    with AtomicWriter(out_dir / "errors.jsonl") as w:
        for err in sorted(errors, key=lambda e: (e.path, e.stage, e.message)):
            w.write_record(err)


# -- one stage over a previous run's output ------------------------------------------------------


def _upstream_groups(
    in_dir: Path, stage: str, result: RunResult
) -> Iterator[tuple[str, list[Any]]]:
    prev = {"segment": None, "attribute": "segment", "tag": "attribute"}[stage]
    if prev is None:
        return iter(())
    return group_by_doc(read_stage(in_dir, prev))


def _joined(
    in_dir: Path, stage: str, result: RunResult
) -> Iterator[tuple[Document, list[BaseModel]]]:
    """Each document with its upstream records, streamed: both files are in the same order."""
    groups = _upstream_groups(in_dir, stage, result)
    head = next(groups, None)
    seen: set[str] = set()
    any_document = False

    def bad(item: BadRecord) -> None:
        result.errors.append(
            ErrorRecord(path=item.path, stage=stage, error="BadRecord", message=str(item))
        )

    # The upstream records of a document that could not be read go with it: known by its
    # doc_id when the bad line shows one, else the group before the next document's.
    bad_ids: set[str] = set()
    unknown_bad = 0

    def drop(items: list[Any]) -> None:
        for u in items:
            if isinstance(u, BadRecord):
                bad(u)

    documents = read_stage(in_dir, "strip")
    following = next(documents, None)
    while following is not None:
        item, following = following, next(documents, None)
        if isinstance(item, BadRecord):
            bad(item)
            if item.doc_id:
                bad_ids.add(item.doc_id)
            else:
                unknown_bad += 1
            continue
        assert isinstance(item, Document)
        any_document = True
        upstream: list[Any] = []
        after = following.doc_id if isinstance(following, Document) else None
        while head is not None and head[0] != item.doc_id:
            if head[0] in bad_ids:
                drop(head[1])
            elif unknown_bad and head[0] != after:
                unknown_bad -= 1
                drop(head[1])
            elif head[0] in seen:
                # Records of a document already passed are out of order: reported, never lost.
                result.errors.append(
                    ErrorRecord(
                        path=str(in_dir),
                        stage=stage,
                        error="OutOfOrder",
                        message=f"records of {head[0]} come after later documents' records",
                    )
                )
            else:
                break
            head = next(groups, None)
        unknown_bad = 0
        if head is not None and head[0] == item.doc_id:
            upstream = head[1]
            head = next(groups, None)
        seen.add(item.doc_id)
        bads = [u for u in upstream if isinstance(u, BadRecord)]
        for b in bads:
            bad(b)
        if bads:
            continue
        yield item, upstream
    for doc_id, items in ([head] if head is not None else []) + list(groups):
        drop(items)
        if doc_id in bad_ids or unknown_bad:
            unknown_bad -= doc_id not in bad_ids
            continue
        result.errors.append(
            ErrorRecord(
                path=str(in_dir),
                stage=stage,
                error="NoDocument",
                message=f"records of {doc_id} have no document in documents.jsonl",
            )
        )
    if not any_document and not result.errors:
        raise UsageError(f"{in_dir} holds no documents.jsonl (or documents/ shards) to read")


def run_stage(stage: str, in_dir: Path, out_dir: Path, model: str | None = None) -> RunResult:
    """Run one parsed stage over a previous run's output in ``in_dir``, writing into ``out_dir``.

    segment reads documents; attribute reads documents and sentences; tag reads documents
    and attributions. Records that fail validation are reported as errors (file:line: field:
    message) and their article is skipped. Documents and upstream records are streamed
    together (both follow the previous run's order), so memory does not grow with the corpus.
    """
    if stage not in PARSED_STAGES:
        raise UsageError(f"run_stage handles {', '.join(PARSED_STAGES)}; use `run` for strip")
    t_start = time.perf_counter()
    result = RunResult(out_dir, (stage,))
    out_name = STAGE_FILES[stage][0]
    # Written through a temporary file: in_dir may be out_dir, and its files are still read.
    with AtomicWriter(out_dir / f"{out_name}.jsonl") as writer:
        joined = _joined(in_dir, stage, result)
        if stage == "tag":
            from pipeline.stages import tag

            for document, upstream in joined:
                try:
                    atts = [a for a in upstream if isinstance(a, Attribution)]
                    quotes = tag.tag(document, atts, None)
                except Exception as exc:  # recorded and counted, the run goes on
                    result.errors.append(_error(document.source, stage, exc))
                    continue
                for q in quotes:
                    writer.write_record(q)
                result.counts[out_name] += len(quotes)
        else:
            from pipeline.stages import attribute, segment

            nlp = nlp_mod.load(model)
            pairs = iter(joined)
            while batch := [p for _, p in zip(range(BATCH_SIZE), pairs, strict=False)]:
                texts = [d.text for d, _ in batch]
                for (document, upstream), parsed in zip(
                    batch, nlp_mod.parse(nlp, texts, PIPE_BATCH_SIZE), strict=True
                ):
                    try:
                        if stage == "segment":
                            records: list[Any] = segment.segment(document, parsed)
                        else:
                            sents = [s for s in upstream if isinstance(s, Sentence)]
                            records = attribute.attribute(document, sents, parsed)
                    except Exception as exc:  # recorded and counted, the run goes on
                        result.errors.append(_error(document.source, stage, exc))
                        continue
                    for rec in records:
                        writer.write_record(rec)
                    result.counts[out_name] += len(records)
        write_errors(out_dir, result.errors)
    result.counts["errors"] = len(result.errors)
    result.timings = {"total": round(time.perf_counter() - t_start, 3)}
    return result
