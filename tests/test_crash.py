"""Crashes lose nothing: a run killed with SIGKILL and run again gives, byte for byte, what an
uninterrupted run gives, and nothing half-written is ever left under an output's name.

The kill lands mid-run without any timing: the test waits until the run has started writing
(a temporary output file with data in it) and kills the whole process group then.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import io as io_mod
from pipeline import runner

OUTPUTS = ("documents", "sentences", "attributions", "quotes", "errors")
NAMES = ("Ana Ruiz", "Tom Park", "Maria Lopez", "Kim Cho", "Pedro Alves", "Sara Holm")
PLACES = ("harbour", "airport", "bridge", "library", "stadium", "tramway")


def _article(i: int) -> str:
    name, place = NAMES[i % len(NAMES)], PLACES[i // len(NAMES) % len(PLACES)]
    return (
        f"City Backs New {place.title()} Plan, Number {i}\n\n"
        f"The city council backed plan number {i} for the {place} on Monday after a long "
        "debate over its cost.\n\n"
        f"“This is the best chance we have had in a decade,” said {name}, who leads the "
        "project, according to a statement from the mayor's office.\n\n"
        f"{name.split()[0]} told reporters the work would start next year. “We are ready,” "
        "she said.\n"
    )


def _corpus(root: Path, n: int, first: int = 0) -> None:
    """``n`` short articles in a few folders, a JSONL feed, and one input that fails."""
    for i in range(first, first + n):
        sub = root / f"part{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"article-{i:03d}.txt").write_text(_article(i), encoding="utf-8")
    feed = "\n".join(json.dumps({"id": f"feed-{i}", "text": _article(1000 + i)}) for i in range(5))
    (root / "feed.jsonl").write_text(feed + "\n{broken\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")


def _command(src: Path, out: Path, jobs: int) -> list[str]:
    code = "from pipeline.cli import entry; entry()"
    return [sys.executable, "-c", code, "-q", "run", str(src), "-o", str(out), "-j", str(jobs)]


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.jsonl").read_bytes() for name in OUTPUTS}


def _manifest_inputs(out: Path) -> object:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest["inputs"], manifest["counts"]


def _temp_files(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def _run_and_kill(src: Path, out: Path, jobs: int) -> None:
    """Start ``quotetrail run`` and SIGKILL it once its first output has data in it."""
    proc = subprocess.Popen(
        _command(src, out, jobs),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches pool workers too
    )
    try:
        while proc.poll() is None:
            started = [p for p in _temp_files(out) if ".documents.jsonl." in p.name]
            if any(p.exists() and p.stat().st_size > 0 for p in started):
                break
            try:
                proc.wait(timeout=0.01)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            pytest.fail(f"the run ended (exit {proc.returncode}) before the kill: {err[-2000:]}")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def _run(src: Path, out: Path, jobs: int) -> None:
    res = subprocess.run(_command(src, out, jobs), capture_output=True, text=True, check=False)
    assert res.returncode == 1, res.stderr  # 1: the corpus holds inputs that fail on purpose


@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_killed_run_then_rerun_gives_the_same_bytes(tmp_path: Path, jobs: int) -> None:
    src = tmp_path / "in"
    _corpus(src, 90)
    clean = tmp_path / "clean"
    runner.run(src, clean, jobs=jobs)

    out = tmp_path / "out"
    _run_and_kill(src, out, jobs)
    # Killed mid-run: only temporary files, nothing under an output's name.
    assert _temp_files(out)
    assert not [p for p in out.iterdir() if not p.name.endswith(".tmp")]

    _run(src, out, jobs)
    assert _outputs(out) == _outputs(clean)
    assert _manifest_inputs(out) == _manifest_inputs(clean)
    assert _temp_files(out) == []  # the killed run's leftovers are cleaned up


def test_killed_incremental_run_then_rerun_gives_the_same_bytes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _corpus(src, 60)
    out = tmp_path / "out"
    runner.run(src, out)
    before = _outputs(out)
    # New, changed and deleted inputs, then a run that is killed.
    _corpus(src, 40, first=60)
    (src / "part0" / "article-000.txt").write_text(_article(500), encoding="utf-8")
    (src / "part1" / "article-001.txt").unlink()
    _run_and_kill(src, out, 1)
    # The previous run's outputs are intact until the new ones are complete.
    assert _outputs(out) == before

    _run(src, out, 1)
    clean = tmp_path / "clean"
    runner.run(src, clean)
    assert _outputs(out) == _outputs(clean)
    assert _temp_files(out) == []


@pytest.mark.parametrize("renames", [1, 3, 5])
def test_crash_between_renames_then_rerun_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renames: int
) -> None:
    # The outputs are renamed one by one at the end of a run: a crash between two renames
    # leaves some outputs new and the rest (and manifest.json) old. The next run must still
    # give a clean run's bytes. The crash is simulated in-process (an exception out of the
    # rename after ``renames`` of them); on disk it is what a SIGKILL at that moment leaves.
    src = tmp_path / "in"
    _corpus(src, 12)
    out = tmp_path / "out"
    runner.run(src, out)
    _corpus(src, 6, first=12)
    (src / "part0" / "article-000.txt").write_text(_article(700), encoding="utf-8")
    (src / "part1" / "article-001.txt").unlink()

    real_replace = os.replace
    renamed: list[str] = []

    def crashing_replace(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
        if len(renamed) == renames:
            raise KeyboardInterrupt("simulated crash between renames")
        renamed.append(str(b))
        real_replace(a, b)

    monkeypatch.setattr(os, "replace", crashing_replace)
    with pytest.raises(KeyboardInterrupt):
        runner.run(src, out)
    monkeypatch.setattr(os, "replace", real_replace)
    assert len(renamed) == renames and "manifest.json" not in [Path(p).name for p in renamed]

    runner.run(src, out)
    clean = tmp_path / "clean"
    runner.run(src, clean)
    assert _outputs(out) == _outputs(clean)
    assert _temp_files(out) == []


def test_stale_temp_files_are_never_read(tmp_path: Path) -> None:
    # A leftover temporary file beside the outputs (or among shards) is not an output.
    src = tmp_path / "in"
    _corpus(src, 3)
    out = tmp_path / "out"
    runner.run(src, out)
    (out / ".quotes.jsonl.abc123.tmp").write_text('{"half": ', encoding="utf-8")
    assert [p.name for p in io_mod.stage_files(out, "tag")] == ["quotes.jsonl"]
    sharded = tmp_path / "sharded"
    (sharded / "documents").mkdir(parents=True)
    (sharded / "documents" / "part-0.jsonl").write_bytes((out / "documents.jsonl").read_bytes())
    (sharded / "documents" / ".part-1.jsonl.xyz.tmp").write_text("{", encoding="utf-8")
    assert [p.name for p in io_mod.stage_files(sharded, "strip")] == ["part-0.jsonl"]
