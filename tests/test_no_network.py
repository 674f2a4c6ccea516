"""No network at run time: the whole pipeline runs on the bundled corpus with sockets blocked."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import NoReturn

import pytest
from typer.testing import CliRunner

from pipeline import nlp as nlp_mod
from pipeline.cli import app
from pipeline.validate import validate_output

from .conftest import CORPUS

ATTEMPTS: list[str] = []


def _refuse(*args: object, **kwargs: object) -> NoReturn:
    ATTEMPTS.append(repr(args)[:200])
    raise OSError("network access attempted during a quotetrail run (blocked by the test)")


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way out of the machine raises, and is noted."""
    ATTEMPTS.clear()
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket.socket, "sendto", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    return ATTEMPTS


def test_the_pipeline_runs_with_sockets_blocked(no_network: list[str], tmp_path: Path) -> None:
    with pytest.raises(OSError, match="blocked by the test"):
        socket.create_connection(("example.com", 80))  # the block is in place
    no_network.clear()
    src = tmp_path / "in"
    shutil.copytree(CORPUS, src)
    # The model is loaded again under the block, not taken from an earlier test's cache.
    nlp_mod.load.cache_clear()
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["run", str(src), "-o", str(out), "--full"])
    assert res.exit_code == 0, res.output
    assert no_network == []
    counts, problems = validate_output(out)
    assert problems == []
    assert counts["strip"] == len(list(CORPUS.iterdir()))
    assert counts["tag"] > 0
    report = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["report", str(out), "-o", str(report)])
    assert res.exit_code == 0, res.output
    assert no_network == []
