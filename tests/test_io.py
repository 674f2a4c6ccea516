"""JSONL io: both layouts read alike, bad lines named by file and line, writes atomic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.io import AtomicWriter, BadRecord, group_by_doc, read_stage, write_records
from schemas.models import Sentence


def _sent(doc: str, i: int, start: int = 0) -> Sentence:
    return Sentence(doc_id=doc, index=i, paragraph=0, start=start, end=start + 3, text="abc")


def test_single_file_and_shards_read_alike(tmp_path: Path) -> None:
    recs = [_sent("a", 0), _sent("a", 1, 4), _sent("b", 0)]
    write_records(tmp_path / "one" / "sentences.jsonl", recs)
    write_records(tmp_path / "sharded" / "segment" / "part-0000.jsonl", recs[:2])
    write_records(tmp_path / "sharded" / "segment" / "part-0001.jsonl", recs[2:])
    one = list(read_stage(tmp_path / "one", "segment"))
    sharded = list(read_stage(tmp_path / "sharded", "segment"))
    assert one == sharded == recs
    assert [d for d, _ in group_by_doc(one)] == ["a", "b"]


def test_bad_lines_are_named_by_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "sentences.jsonl"
    good = json.loads(_sent("a", 0).model_dump_json())
    path.write_text(
        json.dumps(good) + "\n{broken\n" + json.dumps({**good, "index": "x"}) + "\n",
        encoding="utf-8",
    )
    items = list(read_stage(tmp_path, "segment"))
    assert isinstance(items[0], Sentence)
    assert isinstance(items[1], BadRecord) and str(items[1]).startswith(f"{path}:2: not valid JSON")
    assert isinstance(items[2], BadRecord)
    assert str(items[2]).startswith(f"{path}:3: index:")
    assert items[2].doc_id == "a"


def test_atomic_writer_keeps_old_file_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with AtomicWriter(path) as w:
            w.write("half")
            raise RuntimeError("crash")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.jsonl"]


def test_output_is_byte_stable(tmp_path: Path) -> None:
    recs = [_sent("é", 0)]
    write_records(tmp_path / "a.jsonl", recs)
    write_records(tmp_path / "b.jsonl", recs)
    data = (tmp_path / "a.jsonl").read_bytes()
    assert data == (tmp_path / "b.jsonl").read_bytes()
    assert "é".encode() in data  # non-ASCII kept readable
