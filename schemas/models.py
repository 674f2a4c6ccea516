"""The record contract (schema_version "1"): one Pydantic model per JSONL record type.

Offsets are character offsets into the article's clean ``text`` (documents.jsonl). Records
that carry spans but not the article text check their spans against it when validated with
``context={"text": article_text}`` (see ``pipeline.io``); without that context they check
that each span's length equals its offsets' width.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

SCHEMA_VERSION: Literal["1"] = "1"

ParagraphRole = Literal["title", "standfirst", "heading", "body"]
DocFormat = Literal["text", "html", "jsonl"]
QuoteKind = Literal["direct", "partial", "indirect"]
SpeakerKind = Literal["person", "organization", "outlet", "anonymous", "unknown"]
ResolvedBy = Literal["mention", "coreference", "continuation"]
OutletKind = Literal[
    "news_agency", "broadcaster", "newspaper", "magazine", "online", "official_statement", "other"
]


class Record(BaseModel):
    """Base of every model: unknown fields are bugs, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _article_text(info: ValidationInfo) -> str | None:
    ctx = info.context
    if isinstance(ctx, dict):
        text = ctx.get("text")
        if isinstance(text, str):
            return text
    return None


def check_span(label: str, start: int, end: int, text: str, article: str | None) -> None:
    """Raise ValueError unless ``text`` is what ``start``/``end`` point at."""
    if start < 0 or end < start:
        raise ValueError(f"{label}: bad offsets {start}..{end}")
    if article is None:
        if end - start != len(text):
            raise ValueError(
                f"{label}: text has {len(text)} characters but offsets {start}..{end} span "
                f"{end - start}"
            )
        return
    if end > len(article):
        raise ValueError(f"{label}: end {end} is past the article's {len(article)} characters")
    if article[start:end] != text:
        raise ValueError(
            f"{label}: text {text[:40]!r} is not the article's text at {start}..{end} "
            f"({article[start:end][:40]!r})"
        )


class Paragraph(Record):
    """A block of the clean text, with its role and where it came from in the source."""

    index: int = Field(ge=0)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    source_start: int | None = Field(ge=0)
    source_end: int | None = Field(ge=0)
    role: ParagraphRole


class Removed(Record):
    """A block of the source dropped as boilerplate, with the rule that dropped it and why."""

    source_start: int | None = Field(ge=0)
    source_end: int | None = Field(ge=0)
    text: str
    rule: str
    reason: str


class Document(Record):
    """documents.jsonl: one clean article."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    doc_id: str = Field(min_length=1)
    source: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    format: DocFormat
    title: str | None
    byline: str | None
    published: str | None
    text: str
    paragraphs: list[Paragraph]
    removed: list[Removed]
    metadata: dict[str, Any]

    @model_validator(mode="after")
    def _paragraphs_fit(self) -> Document:
        prev_end = 0
        for i, p in enumerate(self.paragraphs):
            if p.index != i:
                raise ValueError(f"paragraphs[{i}].index is {p.index}, expected {i}")
            if not (prev_end <= p.start <= p.end <= len(self.text)):
                raise ValueError(
                    f"paragraphs[{i}]: offsets {p.start}..{p.end} out of order or past the "
                    f"text's {len(self.text)} characters"
                )
            if (p.source_start is None) != (p.source_end is None):
                raise ValueError(f"paragraphs[{i}]: source_start and source_end go together")
            if p.source_start is not None and p.source_end is not None:
                if p.source_end < p.source_start:
                    raise ValueError(f"paragraphs[{i}]: source_end before source_start")
            prev_end = p.end
        return self


class Sentence(Record):
    """sentences.jsonl: one sentence of an article."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    doc_id: str = Field(min_length=1)
    index: int = Field(ge=0)
    paragraph: int = Field(ge=0)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _span(self, info: ValidationInfo) -> Sentence:
        check_span("sentence", self.start, self.end, self.text, _article_text(info))
        return self


class Speaker(Record):
    """Who said it: the mention nearest the cue, and the canonical name it resolves to."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    name: str | None
    kind: SpeakerKind
    resolved_by: ResolvedBy


class Cue(Record):
    """The reporting verb or phrase ("said", "according to")."""

    text: str
    lemma: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Attribution(Record):
    """attributions.jsonl: one quote, its speaker and cue."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    doc_id: str = Field(min_length=1)
    quote_id: str = Field(pattern=r"^q[0-9]+$")
    kind: QuoteKind
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    sentences: list[int]
    speaker: Speaker | None
    cue: Cue | None
    confidence: float = Field(ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _spans(self, info: ValidationInfo) -> Attribution:
        article = _article_text(info)
        check_span("quote", self.start, self.end, self.text, article)
        if self.speaker is not None:
            s = self.speaker
            check_span("speaker", s.start, s.end, s.text, article)
        if self.cue is not None:
            check_span("cue", self.cue.start, self.cue.end, self.cue.text, article)
        if self.sentences != sorted(set(self.sentences)):
            raise ValueError("sentences must be sorted and unique")
        return self


class Via(Record):
    """The outlet or official channel a quote was relayed through, with its span."""

    name: str
    kind: OutletKind
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Outlet(Record):
    """Who published the article, which agency it came from, and the quote's channel."""

    publisher: str | None
    wire: str | None
    via: Via | None


class Quote(Attribution):
    """quotes.jsonl: an attribution plus its outlet."""

    outlet: Outlet

    @model_validator(mode="after")
    def _via_span(self, info: ValidationInfo) -> Quote:
        if self.outlet.via is not None:
            v = self.outlet.via
            check_span("via", v.start, v.end, v.text, _article_text(info))
        return self


class ErrorRecord(Record):
    """errors.jsonl: one input that could not be processed, and why."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    path: str
    stage: str
    error: str
    message: str


RECORD_TYPES: dict[str, type[Record]] = {
    "document": Document,
    "sentence": Sentence,
    "attribution": Attribution,
    "quote": Quote,
    "error": ErrorRecord,
}

STAGE_FILES: dict[str, tuple[str, type[Record]]] = {
    "strip": ("documents", Document),
    "segment": ("sentences", Sentence),
    "attribute": ("attributions", Attribution),
    "tag": ("quotes", Quote),
}
