"""The Dask engine: partitions on a local cluster give the records of a local run, in order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import runner
from pipeline.io import read_stage, stage_files

from .conftest import CORPUS

pytest.importorskip("distributed")

from pipeline import engine_dask  # noqa: E402


@pytest.fixture(autouse=True)
def _frozen_code_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code's hash, fixed: an edit elsewhere in the checkout mid-test is no version change."""
    frozen = runner._code_hash()
    monkeypatch.setattr(runner, "_code_hash", lambda: frozen)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """The bundled articles, a JSONL feed with a bad line, in two folders."""
    src = tmp_path / "in"
    shutil.copytree(CORPUS, src / "news")
    (src / "feed.jsonl").write_text(
        json.dumps({"id": "f1", "text": '"We will not back down," the mayor said on Monday.'})
        + "\n{not json\n",
        encoding="utf-8",
    )
    return src


def test_dask_run_gives_the_local_records_in_order(corpus: Path, tmp_path: Path) -> None:
    local = tmp_path / "local"
    dask = tmp_path / "dask"
    local_result = runner.run(corpus, local, incremental=False)
    # Partitions of two inputs: several parts per stage, spread over two worker processes.
    result = engine_dask.run(corpus, dask, jobs=2, partition_size=2)
    assert len(stage_files(dask, "strip")) == 3
    assert not (dask / "documents.jsonl").exists()
    for stage in runner.STAGES:
        assert list(read_stage(dask, stage)) == list(read_stage(local, stage)), stage
    assert (dask / "errors.jsonl").read_bytes() == (local / "errors.jsonl").read_bytes()
    manifest = json.loads((dask / "manifest.json").read_text(encoding="utf-8"))
    local_manifest = json.loads((local / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"] == local_manifest["inputs"]
    assert result.counts == local_result.counts

    # A local run over a Dask output reuses its records and replaces the parts by one file.
    again = runner.run(corpus, dask)
    assert again.mode == "incremental" and again.processed == 0
    assert not (dask / "strip").exists()
    for name in ("documents", "sentences", "attributions", "quotes"):
        assert (dask / f"{name}.jsonl").read_bytes() == (local / f"{name}.jsonl").read_bytes()
