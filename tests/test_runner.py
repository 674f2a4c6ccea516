"""The runner: one parse per article, the same bytes with any number of processes, bounded
read-ahead, deterministic order, and single stages streaming over a previous run's output."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from pipeline import nlp as nlp_mod
from pipeline import runner
from pipeline.api import document_from_text
from pipeline.io import read_stage
from schemas.models import Document

from .conftest import CORPUS

OUTPUTS = ("documents", "sentences", "attributions", "quotes", "errors")
PARSED_TEXTS: Counter[str] = Counter()


@Language.component("test_count_parser_output")
def _count_parser_output(doc: Doc) -> Doc:
    """Count every text that came out of the parser."""
    PARSED_TEXTS[doc.text] += 1
    return doc


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """The bundled articles, plus a JSONL input of two articles, in a folder of their own."""
    src = tmp_path / "in"
    shutil.copytree(CORPUS, src)
    first = sorted(CORPUS.iterdir())[0].read_text(encoding="utf-8")
    (src / "sub").mkdir()
    (src / "sub" / "feed.jsonl").write_text(
        '{"id": "feed-1", "text": "\\"We will not back down,\\" the mayor said on Monday."}\n'
        + '{"id": "feed-2", "text": '
        + json.dumps(first[:600])
        + ', "outlet": "Reuters"}\n',
        encoding="utf-8",
    )
    return src


def _bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.jsonl").read_bytes() for name in OUTPUTS}


def test_each_article_is_parsed_once(corpus: Path, tmp_path: Path) -> None:
    nlp = nlp_mod.load(None)
    PARSED_TEXTS.clear()
    nlp.add_pipe("test_count_parser_output", after="parser")
    try:
        before = nlp_mod.PARSE_COUNT
        result = runner.run(corpus, tmp_path / "out", incremental=False)
        parses = nlp_mod.PARSE_COUNT - before
    finally:
        nlp.remove_pipe("test_count_parser_output")
    documents = [d for d in read_stage(tmp_path / "out", "strip") if isinstance(d, Document)]
    assert len(documents) == result.counts["documents"] == 7
    assert parses == len(documents)
    assert sum(PARSED_TEXTS.values()) == len(documents)
    assert set(PARSED_TEXTS) == {d.text for d in documents}
    assert max(PARSED_TEXTS.values()) == 1


def test_two_processes_write_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    runner.run(corpus, tmp_path / "one", jobs=1)
    runner.run(corpus, tmp_path / "two", jobs=2)
    assert _bytes(tmp_path / "one") == _bytes(tmp_path / "two")


def test_output_follows_the_walk_order(corpus: Path, tmp_path: Path) -> None:
    runner.run(corpus, tmp_path / "out", jobs=2)
    ids = [d.doc_id for d in read_stage(tmp_path / "out", "strip") if isinstance(d, Document)]
    files = sorted(p.stem for p in CORPUS.iterdir())
    assert ids == files + ["feed-1", "feed-2"]


def _fake_batch(
    stages: tuple[str, ...], documents: list[Document], model: str | None
) -> list[runner.ArticleResult]:
    return [runner.ArticleResult(d.doc_id, d.source, sentences=[]) for d in documents]


def test_pool_reads_ahead_a_bounded_window(monkeypatch: pytest.MonkeyPatch) -> None:
    # Forked workers inherit the patched module, so nothing is parsed here.
    monkeypatch.setattr(runner, "process_batch", _fake_batch)
    monkeypatch.setattr(nlp_mod, "load", lambda model=None: None)
    pulled = 0

    def events() -> Iterator[Document | runner._Input]:
        nonlocal pulled
        for i in range(2000):
            pulled += 1
            yield runner._Input(f"f{i}.txt", "0" * 64, [])
            yield document_from_text(f"f{i}", "Some text.")

    jobs = 2
    stream = runner._process_all(runner.STAGES, runner._event_batches(events()), None, jobs)
    seen: list[str] = []
    first_batch, first_results = next(stream)
    # At most 2 * jobs batches (of BATCH_SIZE articles) were read before the first result.
    assert pulled <= (2 * jobs + 1) * runner.BATCH_SIZE
    seen.extend(r.doc_id for r in first_results)
    for _, results in stream:
        seen.extend(r.doc_id for r in results)
    assert seen == [f"f{i}" for i in range(2000)]


@pytest.mark.parametrize("stage", ["segment", "attribute", "tag"])
def test_a_single_stage_gives_what_the_run_gave(corpus: Path, tmp_path: Path, stage: str) -> None:
    full = tmp_path / "full"
    runner.run(corpus, full)
    name = {"segment": "sentences", "attribute": "attributions", "tag": "quotes"}[stage]
    again = tmp_path / "again"
    again.mkdir()
    for keep in ("documents", "sentences", "attributions"):
        shutil.copy(full / f"{keep}.jsonl", again / f"{keep}.jsonl")
    result = runner.run_stage(stage, again, again)
    if (full / "errors.jsonl").read_text() == "":
        assert not result.errors
        assert (again / f"{name}.jsonl").read_bytes() == (full / f"{name}.jsonl").read_bytes()
