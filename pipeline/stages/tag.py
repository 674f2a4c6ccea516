"""Stage tag: attributions -> quotes.jsonl (publisher, wire and via for every quote).

CONTRACT (used by pipeline.runner):
    tag(document: Document, attributions: list[Attribution], doc: spacy.tokens.Doc | None)
        -> list[Quote]
"""

from __future__ import annotations

from spacy.tokens import Doc

from schemas.models import Attribution, Document, Quote


def tag(document: Document, attributions: list[Attribution], doc: Doc | None) -> list[Quote]:
    """Return each attribution with its outlet fields."""
    raise NotImplementedError("tag stage: being built")
