"""Chain the stages over a directory: one parse per article, counts, errors.jsonl, manifest.json.

Records of one article are all computed before any is written, so a failure inside an article
leaves no partial records of that article in the stage that failed. Every output file is
written through a temporary file and renamed when the run ends (pipeline.io.AtomicWriter).
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib import metadata
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
BATCH_SIZE = 16


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

    @property
    def failed(self) -> bool:
        """True when any input could not be processed."""
        return bool(self.errors)


def _error(path: str, stage: str, exc: BaseException) -> ErrorRecord:
    if isinstance(exc, InputError):
        return ErrorRecord(path=exc.path, stage=stage, error=exc.error, message=exc.message)
    return ErrorRecord(path=path, stage=stage, error=type(exc).__name__, message=str(exc))


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
    """Parse a batch of articles once (nlp.pipe) and run the parsed stages over each."""
    nlp = nlp_mod.load(model)
    t0 = time.perf_counter()
    try:
        parsed_docs = list(nlp_mod.parse(nlp, [d.text for d in documents], BATCH_SIZE))
    except Exception:  # a text the parser chokes on: isolate it by parsing one at a time
        log.debug("batch parse failed; parsing one article at a time", exc_info=True)
        results = []
        for document in documents:
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
    parse_time = (time.perf_counter() - t0) / max(len(documents), 1)
    results = []
    for document, parsed in zip(documents, parsed_docs, strict=True):
        res = process_parsed(stages, document, parsed)
        res.timings["parse"] = parse_time
        results.append(res)
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
    nlp_mod.load(model)  # each worker loads the pipeline once


def _worker_batch(documents: list[Document]) -> list[ArticleResult]:
    return process_batch(_WORKER["stages"], documents, _WORKER["model"])


def _process_all(
    stages: tuple[str, ...], documents: Iterable[Document], model: str | None, jobs: int
) -> Iterator[ArticleResult]:
    """Yield results in input order, with ``jobs`` processes when jobs > 1."""
    if jobs <= 1:
        for batch in _batches(documents, BATCH_SIZE):
            yield from process_batch(stages, batch, model)
        return
    ctx = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ctx.Pool(jobs, initializer=_worker_init, initargs=(stages, model)) as pool:
        # imap keeps input order and streams: memory is bounded by the batches in flight.
        for results in pool.imap(_worker_batch, _batches(documents, BATCH_SIZE), chunksize=1):
            yield from results


def _versions(model: str | None) -> dict[str, Any]:
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
    return {
        "quotetrail": __version__,
        "python": platform.python_version(),
        "spacy": ver("spacy"),
        "pydantic": ver("pydantic"),
        "trafilatura": ver("trafilatura"),
        "model": nlp_mod.resolve_model(model),
        "model_version": ver(nlp_mod.resolve_model(model).replace("_", "-")),
        "data_sha256": data_hash.hexdigest(),
    }


def run(
    input_dir: Path,
    out_dir: Path,
    stages: tuple[str, ...] = STAGES,
    model: str | None = None,
    jobs: int = 1,
    follow_symlinks: bool = False,
    on_article: Callable[[str], None] | None = None,
) -> RunResult:
    """Run ``stages`` (starting with strip) over ``input_dir``, writing into ``out_dir``."""
    from pipeline.stages import strip

    if not input_dir.is_dir():
        raise UsageError(f"input directory {input_dir} does not exist or is not a directory")
    if stages[0] != "strip":
        raise UsageError("`run` starts at strip; use the single-stage commands for later stages")
    t_start = time.perf_counter()
    result = RunResult(out_dir, stages)
    input_hashes: dict[str, str] = {}
    stage_time: dict[str, float] = {}

    def documents() -> Iterator[Document]:
        t = time.perf_counter()
        for item in strip.iter_documents(input_dir, follow_symlinks=follow_symlinks):
            if isinstance(item, InputError):
                result.errors.append(_error(item.path, "strip", item))
            else:
                input_hashes[item.doc_id] = item.sha256
                result.counts["documents"] += 1
                doc_writer.write_record(item)
                if on_article is not None and "segment" not in stages:
                    on_article(item.doc_id)
                stage_time["strip"] = stage_time.get("strip", 0.0) + time.perf_counter() - t
                yield item
            t = time.perf_counter()
        stage_time["strip"] = stage_time.get("strip", 0.0) + time.perf_counter() - t

    with ExitStack() as stack:
        writers = {
            stage: stack.enter_context(AtomicWriter(out_dir / f"{STAGE_FILES[stage][0]}.jsonl"))
            for stage in stages
        }
        doc_writer = writers["strip"]
        docs = documents()
        if "segment" not in stages:
            for _ in docs:
                pass
        else:
            for art in _process_all(stages, docs, model, jobs):
                for stage, seconds in art.timings.items():
                    stage_time[stage] = stage_time.get(stage, 0.0) + seconds
                if art.error is not None:
                    result.errors.append(art.error)
                for stage, records in (
                    ("segment", art.sentences),
                    ("attribute", art.attributions),
                    ("tag", art.quotes),
                ):
                    if stage in writers and records is not None:
                        for rec in records:
                            writers[stage].write_record(rec)
                        result.counts[STAGE_FILES[stage][0]] += len(records)
                if on_article is not None:
                    on_article(art.doc_id)
        _write_errors(out_dir, result.errors)
    result.counts["errors"] = len(result.errors)
    result.timings = {k: round(v, 3) for k, v in sorted(stage_time.items())}
    result.timings["total"] = round(time.perf_counter() - t_start, 3)
    write_json(
        out_dir / "manifest.json",
        {
            "schema_version": "1",
            "stages": list(stages),
            "versions": _versions(model),
            "options": {"jobs": jobs, "follow_symlinks": follow_symlinks},
            "inputs": dict(sorted(input_hashes.items())),
            "counts": dict(sorted(result.counts.items())),
            "timings_seconds": result.timings,
        },
    )
    return result


def _write_errors(out_dir: Path, errors: list[ErrorRecord]) -> None:
    # Sorted: with several processes, errors arrive in no fixed order.
    with AtomicWriter(out_dir / "errors.jsonl") as w:
        for err in sorted(errors, key=lambda e: (e.path, e.stage, e.message)):
            w.write_record(err)


def run_stage(stage: str, in_dir: Path, out_dir: Path, model: str | None = None) -> RunResult:
    """Run one parsed stage over a previous run's output in ``in_dir``, writing into ``out_dir``.

    segment reads documents; attribute reads documents and sentences; tag reads documents
    and attributions. Records that fail validation are reported as errors (file:line: field:
    message) and their article is skipped.
    """
    if stage not in PARSED_STAGES:
        raise UsageError(f"run_stage handles {', '.join(PARSED_STAGES)}; use `run` for strip")
    t_start = time.perf_counter()
    result = RunResult(out_dir, (stage,))
    documents: dict[str, Document] = {}
    for item in read_stage(in_dir, "strip"):
        if isinstance(item, BadRecord):
            result.errors.append(
                ErrorRecord(path=item.path, stage=stage, error="BadRecord", message=str(item))
            )
        else:
            assert isinstance(item, Document)
            documents[item.doc_id] = item
    if not documents and not result.errors:
        raise UsageError(f"{in_dir} holds no documents.jsonl (or documents/ shards) to read")
    upstream: dict[str, list[BaseModel]] = {}
    bad_docs: set[str] = set()
    prev = {"segment": None, "attribute": "segment", "tag": "attribute"}[stage]
    if prev is not None:
        for doc_id, items in group_by_doc(read_stage(in_dir, prev)):
            bads = [i for i in items if isinstance(i, BadRecord)]
            for bad in bads:
                result.errors.append(
                    ErrorRecord(path=bad.path, stage=stage, error="BadRecord", message=str(bad))
                )
                if bad.doc_id:
                    bad_docs.add(bad.doc_id)
            upstream.setdefault(doc_id, []).extend(i for i in items if not isinstance(i, BadRecord))
    todo = [d for d in documents.values() if d.doc_id not in bad_docs]
    out_name = STAGE_FILES[stage][0]
    with AtomicWriter(out_dir / f"{out_name}.jsonl") as writer:
        if stage == "tag":
            from pipeline.stages import tag

            for document in todo:
                try:
                    atts = [
                        a for a in upstream.get(document.doc_id, []) if isinstance(a, Attribution)
                    ]
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
            for batch in _batches(todo, BATCH_SIZE):
                for document, parsed in zip(
                    batch, nlp_mod.parse(nlp, [d.text for d in batch], BATCH_SIZE), strict=True
                ):
                    try:
                        if stage == "segment":
                            records: list[Any] = segment.segment(document, parsed)
                        else:
                            sents = [
                                s
                                for s in upstream.get(document.doc_id, [])
                                if isinstance(s, Sentence)
                            ]
                            records = attribute.attribute(document, sents, parsed)
                    except Exception as exc:  # recorded and counted, the run goes on
                        result.errors.append(_error(document.source, stage, exc))
                        continue
                    for rec in records:
                        writer.write_record(rec)
                    result.counts[out_name] += len(records)
        _write_errors(out_dir, result.errors)
    result.counts["errors"] = len(result.errors)
    result.timings = {"total": round(time.perf_counter() - t_start, 3)}
    return result
