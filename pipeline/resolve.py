"""Speaker resolution: a speaker mention -> canonical name, kind, and how it was resolved.

CONTRACT (used by the attribute stage):
    resolver = EntityResolver(document, doc)   # built once per article (doc: the spaCy parse)
    resolver.resolve(start, end) -> Resolution  # the mention at document.text[start:end]

This first version only names what the mention says; the real resolver (salience, recency,
gender and number agreement, appositions, titles, "the X" descriptions) replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from schemas.models import Document, ResolvedBy, SpeakerKind


@dataclass(frozen=True)
class Resolution:
    """The canonical name of a speaker mention, its kind, and how it was found."""

    name: str | None
    kind: SpeakerKind
    resolved_by: ResolvedBy


class EntityResolver:
    """Resolve speaker mentions of one article to canonical names."""

    def __init__(self, document: Document, doc: Doc) -> None:
        self.document = document
        self.doc = doc

    def resolve(self, start: int, end: int) -> Resolution:
        """Resolve the mention at ``document.text[start:end]``."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is not None and span.root.pos_ == "PRON":
            return Resolution(None, "unknown", "coreference")
        if span is not None and any(t.ent_type_ == "PERSON" for t in span):
            return Resolution(self.document.text[start:end], "person", "mention")
        return Resolution(self.document.text[start:end], "unknown", "mention")
