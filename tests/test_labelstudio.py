"""Label Studio review loop: export predictions as tasks, import corrections as golden files."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.golden import diff_dirs
from pipeline.io import read_stage
from pipeline.labelstudio import Offsets, config_path, export_tasks, import_tasks
from schemas.models import Attribution, Quote
from tests.test_report import TEXT_A, write_sample


def _records(directory: Path, stage: str) -> list[Any]:
    """Records of a stage, by article and quote (golden files are read in file-name order)."""
    return sorted(read_stage(directory, stage), key=lambda r: (r.doc_id, int(r.quote_id[1:])))


@pytest.mark.parametrize("stage_file", ["quotes", "attributions"])
def test_round_trip_of_unchanged_predictions(tmp_path: Path, stage_file: str) -> None:
    out = tmp_path / "out"
    write_sample(out, stage_file)
    n, problems = export_tasks(out, tmp_path / "tasks.json")
    assert (n, problems) == (3, [])
    written, problems = import_tasks(tmp_path / "tasks.json", tmp_path / "golden")
    assert problems == []
    stages = ("attribute", "tag") if stage_file == "quotes" else ("attribute",)
    assert len(written) == 3 * len(stages)
    if stage_file == "quotes":
        # The golden quotes are the output's, record for record.
        assert _records(tmp_path / "golden", "tag") == _records(out, "tag")
        expected = [
            Attribution.model_validate({k: v for k, v in q.model_dump().items() if k != "outlet"})
            for q in _records(out, "tag")
        ]
    else:
        expected = _records(out, "attribute")
    assert _records(tmp_path / "golden", "attribute") == expected
    # An article without quotes gets an empty golden file.
    assert (tmp_path / "golden" / "attribute" / "b.jsonl").read_text(encoding="utf-8") == ""
    if stage_file == "attributions":
        assert not (tmp_path / "golden" / "tag").exists()


def test_tasks_and_config_are_label_studio_shaped(tmp_path: Path) -> None:
    write_sample(tmp_path / "out")
    export_tasks(tmp_path / "out", tmp_path / "tasks.json")
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    config = ET.fromstring(config_path(tmp_path / "tasks.json").read_text(encoding="utf-8"))
    names = {el.get("name") for el in config.iter() if el.get("name")}
    task = tasks[0]
    assert task["data"]["text"] == TEXT_A
    result = task["predictions"][0]["result"]
    for item in result:
        if item["type"] != "relation":
            assert item["from_name"] in names and item["to_name"] == "text"
    labels = [i["value"]["labels"][0] for i in result if i["type"] == "labels"]
    assert labels.count("Quote") == 5 and "Speaker" in labels and "Via" in labels
    relations = {(i["from_id"], i["labels"][0]) for i in result if i["type"] == "relation"}
    assert ("q1", "said by") in relations and ("q1", "via") in relations
    # Offsets in UTF-16 code units: q5 comes after the 🤝, one unit wider than a code point.
    q5 = next(i for i in result if i["id"] == "q5" and i["type"] == "labels")
    start = TEXT_A.index("It isn't")
    assert q5["value"]["start"] == start + 1
    assert (
        TEXT_A.encode("utf-16-le")[2 * (start + 1) : 2 * (start + 1) + 4].decode("utf-16-le")
        == "It"
    )


def test_offsets_convert_both_ways() -> None:
    text = "a🤝b😀c"
    off = Offsets(text)
    for i in range(len(text) + 1):
        j = off.to_js(i)
        assert len(text[:i].encode("utf-16-le")) // 2 == j
        assert off.from_js(j) == i


def _annotate(task: dict[str, Any], result: list[dict[str, Any]]) -> None:
    task["annotations"] = [
        {"id": 1, "result": result, "was_cancelled": False, "updated_at": "2026-01-01T10:00:00Z"},
        {"id": 2, "result": [], "was_cancelled": True, "updated_at": "2026-01-02T10:00:00Z"},
    ]


def test_corrections_become_golden(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_sample(out)
    export_tasks(out, tmp_path / "tasks.json")
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    task = tasks[0]
    result = copy.deepcopy(task["predictions"][0]["result"])
    off = Offsets(TEXT_A)
    # 1. q5's speaker: "he" becomes the mention "Putin" (a region the prediction already has).
    putin = next(i["id"] for i in result if i.get("value", {}).get("text") == "Putin")
    he = next(
        i["to_id"]
        for i in result
        if i["type"] == "relation" and i["from_id"] == "q5" and i["labels"] == ["said by"]
    )
    result = [i for i in result if i.get("id") != he]
    result = [i for i in result if not (i["type"] == "relation" and i["to_id"] == he)]
    result.append(
        {
            "from_id": "q5",
            "to_id": putin,
            "type": "relation",
            "direction": "right",
            "labels": ["said by"],
        }
    )
    # 2. q2 deleted (its region and everything hanging on it).
    result = [i for i in result if i.get("id") != "q2" and i.get("from_id") != "q2"]
    # 3. A new quote, no speaker, kind chosen by the reviewer.
    s = TEXT_A.index("Xi & Putin")
    e = s + len("Xi & Putin")
    result.append(
        {
            "id": "new1",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {
                "start": off.to_js(s),
                "end": off.to_js(e),
                "text": "Xi & Putin",
                "labels": ["Quote"],
            },
        }
    )
    result.append(
        {
            "id": "new1",
            "from_name": "quote_kind",
            "to_name": "text",
            "type": "choices",
            "value": {"start": off.to_js(s), "end": off.to_js(e), "choices": ["partial"]},
        }
    )
    # 4. q1's via renamed by the reviewer.
    for item in result:
        if item["type"] == "textarea" and item["from_name"] == "via_name":
            item["value"]["text"] = ["China Central Television"]
    _annotate(task, result)
    (tmp_path / "tasks.json").write_text(json.dumps(tasks), encoding="utf-8")
    _, problems = import_tasks(tmp_path / "tasks.json", tmp_path / "golden")
    assert problems == []
    golden = [q for q in _records(tmp_path / "golden", "tag") if q.doc_id == "world/a<&>"]
    predicted = [q for q in _records(out, "tag") if q.doc_id == "world/a<&>"]
    assert all(isinstance(q, Quote) for q in golden)
    assert [q.quote_id for q in golden] == ["q1", "q2", "q3", "q4", "q5"]
    new, q1 = golden[0], golden[1]
    assert (new.text, new.kind, new.speaker, new.confidence) == ("Xi & Putin", "partial", None, 1.0)
    assert new.outlet.publisher == "Asia Financial"
    assert q1.outlet.via is not None and q1.outlet.via.name == "China Central Television"
    assert q1.outlet.via.kind == "broadcaster" and q1.speaker == predicted[0].speaker
    assert all(q.text != predicted[1].text for q in golden)  # q2 gone
    last = golden[-1]
    assert last.speaker is not None
    assert (last.speaker.text, last.speaker.name) == ("Putin", "Vladimir Putin")
    assert last.cue == predicted[-1].cue and last.confidence == predicted[-1].confidence
    # The golden diff (golden value → output value) sees these changes.
    diffs = [str(d) for d in diff_dirs(out, tmp_path / "golden", ("tag",))]
    assert any("only in golden" in d and "Xi & Putin" in d for d in diffs)
    assert any("only in output" in d and "alert" in d for d in diffs)
    assert any("speaker.text: Putin → he" in d for d in diffs)


def test_import_refuses_paths_outside_golden(tmp_path: Path) -> None:
    tasks = [{"data": {"text": "x", "doc_id": "../../evil"}, "predictions": [{"result": []}]}]
    (tmp_path / "t.json").write_text(json.dumps(tasks), encoding="utf-8")
    written, problems = import_tasks(tmp_path / "t.json", tmp_path / "golden")
    assert written == [] and "outside" in problems[0]


def test_labelstudio_commands(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    write_sample(tmp_path / "out")
    runner = CliRunner()
    tasks = tmp_path / "review" / "tasks.json"
    res = runner.invoke(app, ["export-labelstudio", str(tmp_path / "out"), "-o", str(tasks)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "review" / "tasks.config.xml").is_file()
    res = runner.invoke(app, ["import-labelstudio", str(tasks), "-o", str(tmp_path / "g")])
    assert res.exit_code == 0, res.output
    assert diff_dirs(tmp_path / "out", tmp_path / "g", ("tag",)) == []
    res = runner.invoke(app, ["import-labelstudio", str(tmp_path / "none.json")])
    assert res.exit_code == 2


def test_predictions_validate_against_the_config(tmp_path: Path) -> None:
    """Label Studio's own validator accepts the config and every prediction (when installed)."""
    interface = pytest.importorskip(
        "label_studio_sdk.label_interface", reason="label-studio-sdk is not installed"
    )
    write_sample(tmp_path / "out")
    export_tasks(tmp_path / "out", tmp_path / "tasks.json")
    li = interface.LabelInterface(config_path(tmp_path / "tasks.json").read_text("utf-8"))
    for task in json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8")):
        assert li.validate_prediction(task["predictions"][0], return_errors=True) == []


@given(st.text(alphabet=st.sampled_from(list("ab\n🤝😀é𝕏")), max_size=30))
def test_offsets_property(text: str) -> None:
    off = Offsets(text)
    for i in range(len(text) + 1):
        j = off.to_js(i)
        assert j == len(text[:i].encode("utf-16-le")) // 2
        assert off.from_js(j) == i
