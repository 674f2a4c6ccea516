"""The command line: exit codes, outputs, diff, validate, schema, usage errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

from .conftest import CORPUS

runner = CliRunner()


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two bundled articles run through all four stages once for this module."""
    src = tmp_path_factory.mktemp("in")
    for p in sorted(CORPUS.iterdir())[:2]:
        shutil.copy(p, src / p.name)
    out = tmp_path_factory.mktemp("run") / "out"
    res = runner.invoke(app, ["run", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_run_writes_every_stage(small_run: Path) -> None:
    for name in ("documents", "sentences", "attributions", "quotes"):
        assert (small_run / f"{name}.jsonl").stat().st_size > 0, name
    assert (small_run / "errors.jsonl").read_text() == ""
    manifest = json.loads((small_run / "manifest.json").read_text())
    assert manifest["counts"]["documents"] == 2
    assert len(manifest["inputs"]) == 2
    assert manifest["versions"]["model"]


def test_validate_clean_output(small_run: Path) -> None:
    res = runner.invoke(app, ["validate", str(small_run)])
    assert res.exit_code == 0, res.output


def test_validate_names_file_line_and_field(small_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    lines = (out / "quotes.jsonl").read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[0])
    rec["end"] += 3
    lines[0] = json.dumps(rec, ensure_ascii=False)
    (out / "quotes.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["validate", str(out)])
    assert res.exit_code == 1
    assert f"{out / 'quotes.jsonl'}:1:" in res.output


def test_diff_clean_then_changed(small_run: Path, tmp_path: Path) -> None:
    golden = tmp_path / "golden"
    res = runner.invoke(app, ["diff", str(small_run), str(golden), "--update"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in golden.iterdir()) == ["attribute", "segment", "strip", "tag"]
    assert runner.invoke(app, ["diff", str(small_run), str(golden)]).exit_code == 0
    # Change one speaker name in a golden file: the diff names the article, quote and field.
    path = sorted((golden / "tag").iterdir())[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    rec = json.loads(lines[0])
    assert rec["speaker"] is not None
    rec["speaker"]["name"] = "Somebody Else"
    lines[0] = json.dumps(rec, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["diff", str(small_run), str(golden)])
    assert res.exit_code == 1
    assert f"tag {path.stem} q1" in res.output
    assert "speaker.name: Somebody Else →" in res.output


def test_stages_option_stops_after_segment(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(sorted(CORPUS.iterdir())[0], src)
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(src), "-o", str(out), "--stages", "strip,segment"])
    assert res.exit_code == 0, res.output
    assert (out / "sentences.jsonl").exists() and not (out / "attributions.jsonl").exists()


def test_single_stage_commands_chain(small_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    shutil.copytree(small_run, out)
    files = {"segment": "sentences", "attribute": "attributions", "tag": "quotes"}
    for stage, name in files.items():
        (out / f"{name}.jsonl").unlink()
        res = runner.invoke(app, [stage, str(out), str(out)])
        assert res.exit_code == 0, res.output
    assert runner.invoke(app, ["diff", str(out), str(small_run)]).exit_code == 0


def test_bad_input_is_reported_and_others_go_on(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(sorted(CORPUS.iterdir())[0], src)
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    res = runner.invoke(app, ["run", str(src), "-o", str(out)])
    assert res.exit_code == 1
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert [e["path"] for e in errors] == ["empty.txt"]
    assert errors[0]["stage"] == "strip" and errors[0]["message"]
    docs = (out / "documents.jsonl").read_text().splitlines()
    assert len(docs) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["run", "/nonexistent/dir", "-o", "/tmp/qt-x"],
        ["run", str(CORPUS), "-o", "/tmp/qt-x", "--stages", "strip,bogus"],
        ["run", str(CORPUS), "-o", "/tmp/qt-x", "--model", "no_such_model_xyz"],
        ["diff", "/nonexistent/a", "/nonexistent/b"],
        ["validate", "/nonexistent/a"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output


def test_schema_check_passes() -> None:
    assert runner.invoke(app, ["schema", "--check"]).exit_code == 0


def test_every_command_has_help_with_example() -> None:
    for cmd in ("run", "strip", "segment", "attribute", "tag", "diff", "validate", "schema"):
        res = runner.invoke(app, [cmd, "--help"])
        assert res.exit_code == 0 and "Example" in res.output, cmd
