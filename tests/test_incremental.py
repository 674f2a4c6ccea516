"""Incremental runs: only new or changed inputs are processed, and the output is byte for byte
what a fresh full run gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline import nlp as nlp_mod
from pipeline import runner

from .conftest import CORPUS

#: The real hash function, kept before the fixture below freezes it.
REAL_CODE_HASH = runner._code_hash
OUTPUTS = ("documents", "sentences", "attributions", "quotes", "errors")


def _bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.jsonl").read_bytes() for name in OUTPUTS}


def _inputs(out: Path) -> list[dict[str, object]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs: list[dict[str, object]] = manifest["inputs"]
    return inputs


@pytest.fixture(autouse=True)
def _frozen_code_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code's hash, fixed: an edit elsewhere in the checkout mid-test is no version change."""
    frozen = runner._code_hash()
    monkeypatch.setattr(runner, "_code_hash", lambda: frozen)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """The bundled articles in nested folders, a JSONL feed and an input that fails."""
    src = tmp_path / "in"
    files = sorted(CORPUS.iterdir())
    (src / "a").mkdir(parents=True)
    for i, p in enumerate(files):
        shutil.copy(p, (src / "a" if i % 2 else src) / p.name)
    (src / "feed.jsonl").write_text(
        json.dumps({"id": "f1", "text": '"We will not back down," the mayor said on Monday.'})
        + "\n"
        + json.dumps({"id": "f2", "text": "No quote here at all."})
        + "\n{not json\n",
        encoding="utf-8",
    )
    (src / "empty.txt").write_bytes(b"")
    return src


def _change(src: Path) -> None:
    """Modify, add and delete inputs, in several folders."""
    files = sorted(CORPUS.iterdir())
    changed = src / files[0].name
    changed.write_text(
        changed.read_text(encoding="utf-8") + '\n\n"This is new," the editor said.\n',
        encoding="utf-8",
    )
    (src / "a" / files[1].name).unlink()
    shutil.copy(files[1], src / "a" / "zz_added.txt")
    (src / "b").mkdir()
    (src / "b" / "new.txt").write_text(
        'Officials met on Tuesday.\n\n"It went well," a spokesman told Reuters.\n',
        encoding="utf-8",
    )
    feed = src / "feed.jsonl"
    feed.write_text(
        feed.read_text(encoding="utf-8").replace("No quote", "Still no quote"), encoding="utf-8"
    )


def test_incremental_run_matches_a_fresh_full_run(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = runner.run(corpus, out)
    assert first.mode == "full"
    _change(corpus)
    before = nlp_mod.PARSE_COUNT
    again = runner.run(corpus, out)
    parsed = nlp_mod.PARSE_COUNT - before
    assert again.mode == "incremental"
    # Changed: the first article and the feed; added: two files; one deleted.
    assert (again.processed, again.reused) == (4, first.processed - 3)
    assert parsed == 2 + 2 + 1  # two feed articles, two added, one modified
    fresh = tmp_path / "fresh"
    runner.run(corpus, fresh, incremental=False)
    assert _bytes(out) == _bytes(fresh)
    assert _inputs(out) == _inputs(fresh)
    assert again.counts == runner.run(corpus, tmp_path / "fresh2", incremental=False).counts


def test_unchanged_rerun_parses_nothing(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.run(corpus, out)
    full = _bytes(out)
    before = nlp_mod.PARSE_COUNT
    again = runner.run(corpus, out, jobs=2)
    assert nlp_mod.PARSE_COUNT == before
    assert again.mode == "incremental" and again.processed == 0
    assert _bytes(out) == full


@pytest.mark.parametrize(
    "edit",
    ["versions", "stages", "follow_symlinks", "format", "garbage"],
)
def test_anything_else_changed_means_a_full_run(corpus: Path, tmp_path: Path, edit: str) -> None:
    out = tmp_path / "out"
    runner.run(corpus, out)
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if edit == "versions":
        manifest["versions"]["model_version"] = "0.0.0"
    elif edit == "stages":
        manifest["stages"] = ["strip"]
    elif edit == "follow_symlinks":
        manifest["options"]["follow_symlinks"] = True
    elif edit == "format":
        manifest["manifest_format"] = 1
    path.write_text(json.dumps(manifest) if edit != "garbage" else "{", encoding="utf-8")
    again = runner.run(corpus, out)
    assert again.mode == "full" and again.reused == 0


def test_a_code_or_data_edit_changes_the_code_hash(tmp_path: Path) -> None:
    code = tmp_path / "code"
    for package in ("pipeline", "schemas"):
        shutil.copytree(runner._PACKAGE_ROOT / package, code / package)
    first = REAL_CODE_HASH(code)
    assert REAL_CODE_HASH(code) == first
    (code / "pipeline" / "stages" / "tag.py").write_text("# edited\n", encoding="utf-8")
    second = REAL_CODE_HASH(code)
    (code / "pipeline" / "data" / "titles.txt").write_text("x\n", encoding="utf-8")
    assert len({first, second, REAL_CODE_HASH(code)}) == 3
