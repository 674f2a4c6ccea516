"""The record contract: field names, validators, and the committed JSON Schemas in sync."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas.generate import SCHEMA_DIR, render_schemas
from schemas.models import Attribution, Document, Quote, Sentence

ARTICLE = "Mr. Xi said “we are ready.”\n\nHe added more."


def test_committed_schemas_are_fresh() -> None:
    for name, text in render_schemas().items():
        path = SCHEMA_DIR / name
        assert path.is_file(), f"{path} missing: run `quotetrail schema`"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `quotetrail schema`"


@pytest.mark.parametrize(
    "model, fields",
    [
        (
            Document,
            "schema_version doc_id source sha256 format title byline published text "
            "paragraphs removed metadata",
        ),
        (Sentence, "schema_version doc_id index paragraph start end text"),
        (
            Attribution,
            "schema_version doc_id quote_id kind text start end sentences speaker cue confidence",
        ),
        (
            Quote,
            "schema_version doc_id quote_id kind text start end sentences speaker cue "
            "confidence outlet",
        ),
    ],
)
def test_field_names_are_the_contract(model: type, fields: str) -> None:
    assert list(model.model_fields) == fields.split()


def _attr(**over: object) -> dict[str, object]:
    rec: dict[str, object] = {
        "doc_id": "a",
        "quote_id": "q1",
        "kind": "direct",
        "text": "we are ready.",
        "start": 13,
        "end": 26,
        "sentences": [0],
        "speaker": {
            "text": "Mr. Xi",
            "start": 0,
            "end": 6,
            "name": "Xi",
            "kind": "person",
            "resolved_by": "mention",
        },
        "cue": {"text": "said", "lemma": "say", "start": 7, "end": 11},
        "confidence": 0.9,
    }
    rec.update(over)
    return rec


def test_spans_checked_against_article_text() -> None:
    ok = Attribution.model_validate(_attr(), context={"text": ARTICLE})
    assert ok.speaker is not None and ok.speaker.text == "Mr. Xi"
    with pytest.raises(ValidationError, match="not the article's text"):
        Attribution.model_validate(_attr(start=12, end=25), context={"text": ARTICLE})
    with pytest.raises(ValidationError, match="past the article"):
        Sentence.model_validate(
            {"doc_id": "a", "index": 0, "paragraph": 0, "start": 40, "end": 60, "text": "x" * 20},
            context={"text": ARTICLE},
        )


def test_span_length_checked_without_context() -> None:
    with pytest.raises(ValidationError, match="characters but offsets"):
        Attribution.model_validate(_attr(end=30))


def test_unknown_fields_and_missing_keys_are_errors() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Attribution.model_validate(_attr(mood="happy"))
    rec = _attr()
    del rec["cue"]
    with pytest.raises(ValidationError, match="cue"):
        Attribution.model_validate(rec)


def test_records_are_frozen() -> None:
    rec = Attribution.model_validate(_attr())
    with pytest.raises(ValidationError):
        rec.kind = "indirect"  # type: ignore[misc]


def test_document_paragraphs_must_fit() -> None:
    base = {
        "doc_id": "a",
        "source": "a.txt",
        "sha256": "0" * 64,
        "format": "text",
        "title": None,
        "byline": None,
        "published": None,
        "text": "abc",
        "removed": [],
        "metadata": {},
    }
    para = {"index": 0, "start": 0, "end": 3, "source_start": 0, "source_end": 3, "role": "body"}
    Document.model_validate({**base, "paragraphs": [para]})
    with pytest.raises(ValidationError, match="past the text"):
        Document.model_validate({**base, "paragraphs": [{**para, "end": 9}]})
    with pytest.raises(ValidationError, match="index"):
        Document.model_validate({**base, "paragraphs": [{**para, "index": 2}]})
