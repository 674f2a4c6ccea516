"""Golden files: each stage on each bundled article, fed from the previous stage's golden file.

A failure points at one stage. Regenerate with `pytest tests/test_golden.py --force-regen`
only after reading the diff; a golden file is a claim that the output is right.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel
from spacy.language import Language

from pipeline import nlp as nlp_mod
from pipeline.golden import diff_dirs, golden_path, render_golden
from pipeline.io import BadRecord, read_records
from schemas.models import Attribution, Document, Sentence

from .conftest import CORPUS, GOLDEN

SEEDS = sorted(p.stem for p in CORPUS.iterdir() if p.is_file())
M = TypeVar("M", bound=BaseModel)


def _golden(stage: str, doc_id: str, model: type[M], text: str | None = None) -> list[M]:
    path = golden_path(GOLDEN, stage, doc_id)
    if not path.is_file():
        pytest.fail(f"{path} is missing: the previous stage's golden file feeds this test")
    ctx = {"text": text} if text is not None else None
    records: list[M] = []
    for rec in read_records(path, model, ctx):
        assert not isinstance(rec, BadRecord), str(rec)
        records.append(rec)
    return records


def _parse(nlp: Language, text: str) -> Any:
    return next(nlp_mod.parse(nlp, [text], 1))


def _check(file_regression: Any, stage: str, doc_id: str, records: list[Any]) -> None:
    file_regression.check(
        render_golden(records), fullpath=golden_path(GOLDEN, stage, doc_id), encoding="utf-8"
    )


@pytest.mark.parametrize("doc_id", SEEDS)
def test_strip(doc_id: str, tmp_path: Path, file_regression: Any) -> None:
    from pipeline.stages.strip import iter_documents

    src = next(p for p in CORPUS.iterdir() if p.stem == doc_id)
    shutil.copy(src, tmp_path / src.name)
    docs = list(iter_documents(tmp_path))
    assert len(docs) == 1 and isinstance(docs[0], Document), docs
    _check(file_regression, "strip", doc_id, docs)


@pytest.mark.parametrize("doc_id", SEEDS)
def test_segment(doc_id: str, nlp: Language, file_regression: Any) -> None:
    from pipeline.stages.segment import segment

    (document,) = _golden("strip", doc_id, Document)
    sentences = segment(document, _parse(nlp, document.text))
    _check(file_regression, "segment", doc_id, sentences)


@pytest.mark.parametrize("doc_id", SEEDS)
def test_attribute(doc_id: str, nlp: Language, file_regression: Any) -> None:
    from pipeline.stages.attribute import attribute

    (document,) = _golden("strip", doc_id, Document)
    sentences = _golden("segment", doc_id, Sentence, document.text)
    attributions = attribute(document, sentences, _parse(nlp, document.text))
    _check(file_regression, "attribute", doc_id, attributions)


@pytest.mark.parametrize("doc_id", SEEDS)
def test_tag(doc_id: str, nlp: Language, file_regression: Any) -> None:
    from pipeline.stages.tag import tag

    (document,) = _golden("strip", doc_id, Document)
    attributions = _golden("attribute", doc_id, Attribution, document.text)
    quotes = tag(document, attributions, _parse(nlp, document.text))
    _check(file_regression, "tag", doc_id, quotes)


def test_end_to_end_matches_golden(tmp_path: Path) -> None:
    from pipeline.runner import run

    result = run(CORPUS, tmp_path / "out")
    assert not result.errors, result.errors
    diffs = diff_dirs(tmp_path / "out", GOLDEN)
    assert not diffs, "\n".join(str(d) for d in diffs)
