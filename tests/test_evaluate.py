"""Evaluation against gold JSONL, and the brat standoff import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.brat import import_brat, read_ann
from pipeline.evaluate import (
    GoldQuote,
    evaluate,
    match,
    overlaps,
    read_gold,
    relocate,
    write_gold,
)
from pipeline.io import UsageError
from schemas.models import Quote
from tests.test_report import sample_records, write_sample


def gold_of(q: Quote) -> GoldQuote:
    """A gold line that agrees with a predicted quote on every field."""
    return GoldQuote(
        doc_id=q.doc_id,
        start=q.start,
        end=q.end,
        text=q.text,
        speaker_name=q.speaker.name if q.speaker else None,
        speaker_text=q.speaker.text if q.speaker else None,
        speaker_start=q.speaker.start if q.speaker else None,
        speaker_end=q.speaker.end if q.speaker else None,
        via=q.outlet.via.name if q.outlet.via else None,
        publisher=q.outlet.publisher,
    )


def scores(ev: object) -> dict[str, tuple[int, int, int]]:
    """field -> (tp, predicted, gold)."""
    return {k: (s.tp, s.predicted, s.gold) for k, s in ev.scores.items()}  # type: ignore[attr-defined]


def test_perfect_output_scores_one(tmp_path: Path) -> None:
    _, quotes = write_sample(tmp_path)
    ev = evaluate(tmp_path, [gold_of(q) for q in quotes])
    assert ev.problems == [] and ev.moved == 0
    for s in ev.scores.values():
        assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0), s
    # Speaker names: the two anonymous quotes have no name on either side.
    assert scores(ev)["speaker_name"] == (5, 5, 5)
    assert ev.articles == 2


def test_missed_spurious_and_wrong_fields(tmp_path: Path) -> None:
    _, quotes = write_sample(tmp_path)
    gold = [gold_of(q) for q in quotes]
    gold[0] = gold[0].model_copy(update={"speaker_name": "Someone Else"})  # wrong name
    gold[1] = gold[1].model_copy(update={"via": "Xinhua"})  # predicted no via: missed
    del gold[-1]  # the last prediction becomes spurious
    ev = evaluate(tmp_path, gold)
    s = scores(ev)
    assert s["quote"] == (6, 7, 6)
    assert s["speaker_name"] == (3, 5, 4)
    assert s["via"] == (1, 1, 2)  # CCTV right, Xinhua missed
    assert ev.scores["quote"].precision == pytest.approx(6 / 7)
    errors = {(m["field"], m["error"]) for m in ev.mistakes}
    assert ("quote", "spurious") in errors and ("speaker_name", "wrong") in errors


def test_absent_fields_are_not_scored_null_fields_are(tmp_path: Path) -> None:
    _, quotes = write_sample(tmp_path)
    spans_only = [GoldQuote(doc_id=q.doc_id, start=q.start, end=q.end) for q in quotes]
    ev = evaluate(tmp_path, spans_only)
    assert list(ev.scores) == ["quote"]
    # "via": null on every quote: the one predicted via is a false positive.
    no_via = [
        GoldQuote.model_validate({**g.model_dump(exclude_unset=True), "via": None})
        for g in spans_only
    ]
    ev = evaluate(tmp_path, no_via)
    assert scores(ev)["via"] == (0, 1, 0)
    assert ev.scores["via"].recall is None and ev.scores["via"].precision == 0.0


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ((0, 10), (5, 15), True),  # overlap 5 = half of 10
        ((0, 10), (6, 16), False),  # overlap 4
        ((0, 100), (40, 50), True),  # contained: all of the shorter
        ((0, 4), (4, 8), False),  # touching
    ],
)
def test_overlap_rule(a: tuple[int, int], b: tuple[int, int], expected: bool) -> None:
    assert overlaps(a, b) is expected


def test_matching_is_one_to_one() -> None:
    _, quotes = sample_records()
    q = quotes[0]
    g = GoldQuote(doc_id=q.doc_id, start=q.start, end=q.end)
    twin = q.model_copy(update={"quote_id": "q9"})
    assert len(match([g], [q, twin])) == 1


def test_gold_moved_to_its_text(tmp_path: Path) -> None:
    _, quotes = write_sample(tmp_path)
    gold = [gold_of(q) for q in quotes]
    # As if annotated on a raw file with 7 more characters before the article.
    shifted = [
        g.model_copy(
            update={
                "start": g.start + 7,
                "end": g.end + 7,
                "speaker_start": None if g.speaker_start is None else g.speaker_start + 7,
                "speaker_end": None if g.speaker_end is None else g.speaker_end + 7,
            }
        )
        for g in gold
    ]
    ev = evaluate(tmp_path, shifted)
    assert ev.moved == 7
    assert ev.scores["quote"].f1 == 1.0 and ev.scores["speaker_mention"].f1 == 1.0


def test_gold_file_round_trip_and_bad_lines(tmp_path: Path) -> None:
    _, quotes = sample_records()
    gold = [gold_of(q) for q in quotes] + [GoldQuote(doc_id="x", start=1, end=5)]
    path = tmp_path / "gold.jsonl"
    assert write_gold(path, gold) == len(gold)
    assert read_gold(path) == gold
    last = json.loads(path.read_text(encoding="utf-8").splitlines()[-1])
    assert last == {"doc_id": "x", "start": 1, "end": 5}  # absent stays absent
    path.write_text('{"doc_id": "x", "start": 5, "end": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(UsageError, match="gold.jsonl:1: .*end 1 is not after start 5"):
        read_gold(path)


TXT = "Smith said taxes are, he added, up. It rained, they claimed."


def _at(sub: str) -> str:
    i = TXT.index(sub)
    return f"{i} {i + len(sub)}"


ANN = (
    f"T1\tSource {_at('Smith')}\tSmith\n"
    f"T2\tCue {_at('said')}\tsaid\n"
    f"T3\tContent {_at('taxes are')};{_at('up')}\ttaxes are up\n"
    f"T4\tAttribution {_at('said')}\tsaid\n"
    "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
    f"T5\tContent {_at('It rained')}\tit rained\n"
    f"T6\tCue {_at('claimed')}\tclaimed\n"
    f"T7\tAttribution-no-source {_at('claimed')}\tclaimed\n"
    "E2\tAttribution-no-source:T7 Content:T5 Cue:T6\n"
    "#1\tAnnotatorNotes T5\ta note\n"
    "E3\tAttribution:T4 Cue:T2\n"
)


def test_import_brat(tmp_path: Path) -> None:
    (tmp_path / "ann" / "sub").mkdir(parents=True)
    (tmp_path / "txt" / "sub").mkdir(parents=True)
    (tmp_path / "txt" / "sub" / "art.txt").write_text(TXT, encoding="utf-8")
    (tmp_path / "ann" / "sub" / "art_ab12.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "ann" / "sub" / "art_zz99.ann").write_text(ANN, encoding="utf-8")
    bounds, events = read_ann(tmp_path / "ann" / "sub" / "art_ab12.ann")
    up = TXT.index("up")
    assert bounds["T3"].fragments == ((11, 20), (up, up + 2)) and len(events) == 3
    gold, problems = import_brat(tmp_path / "ann", tmp_path / "txt")
    assert [g.model_dump(exclude_unset=True) for g in gold] == [
        {
            "doc_id": "sub/art",
            "start": 11,
            "end": up + 2,
            "text": "taxes are, he added, up",
            "speaker_text": "Smith",
            "speaker_start": 0,
            "speaker_end": 5,
        },
        {
            "doc_id": "sub/art",
            "start": TXT.index("It"),
            "end": TXT.index("It") + 9,
            "text": "It rained",
            "speaker_text": None,
            "speaker_start": None,
            "speaker_end": None,
        },
    ]
    assert any("no Content" in p for p in problems)
    assert any("another annotator" in p for p in problems)
    assert any("T5 text" in p for p in problems)  # the text says "It rained"


@pytest.mark.polnear
def test_import_polnear_dev(polnear_dir: Path) -> None:
    gold, problems = import_brat(polnear_dir / "dev" / "attributions", polnear_dir / "dev" / "text")
    assert len({g.doc_id for g in gold}) == 84
    assert len(gold) > 2000
    assert not [p for p in problems if "not the text" in p or "no matching" in p]
    assert sum(g.speaker_start is None for g in gold) > 50  # attributions with no source


def test_eval_and_import_brat_commands(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    _, quotes = write_sample(tmp_path / "out")
    write_gold(tmp_path / "gold.jsonl", [gold_of(q) for q in quotes[:-1]])
    runner = CliRunner()
    res = runner.invoke(
        app,
        [
            "eval",
            str(tmp_path / "out"),
            str(tmp_path / "gold.jsonl"),
            "--json",
            "--errors",
            str(tmp_path / "mistakes.jsonl"),
        ],
    )
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    quote = next(f for f in result["fields"] if f["field"] == "quote")
    assert (quote["tp"], quote["predicted"], quote["gold"], quote["recall"]) == (6, 7, 6, 1.0)
    assert "spurious" in (tmp_path / "mistakes.jsonl").read_text(encoding="utf-8")
    res = runner.invoke(app, ["eval", str(tmp_path / "out"), str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 2 and "not exist" in res.output

    (tmp_path / "ann").mkdir()
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "art.txt").write_text(TXT, encoding="utf-8")
    (tmp_path / "ann" / "art_ab12.ann").write_text(ANN, encoding="utf-8")
    res = runner.invoke(
        app,
        [
            "import-brat",
            str(tmp_path / "ann"),
            str(tmp_path / "txt"),
            "-o",
            str(tmp_path / "brat.jsonl"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert len(read_gold(tmp_path / "brat.jsonl")) == 2


def test_gold_moved_across_white_space_changes() -> None:
    g = GoldQuote(doc_id="d", start=4, end=20, text="peace\u00a0talks\n now")
    text = "The peace talks now."
    moved = relocate(g, text)
    assert moved is not None and (moved.start, moved.end) == (4, 19)
    assert moved.text == "peace talks now"
    assert relocate(GoldQuote(doc_id="d", start=0, end=3, text="war"), text) is None
