"""Stage attribute: sentences -> attributions.jsonl (who said it).

CONTRACT (used by pipeline.runner):
    attribute(document: Document, sentences: list[Sentence], doc: spacy.tokens.Doc)
        -> list[Attribution]
        Quotes sorted by start offset, quote_id "q1", "q2", ... in that order.
"""

from __future__ import annotations

from spacy.tokens import Doc

from schemas.models import Attribution, Document, Sentence


def attribute(document: Document, sentences: list[Sentence], doc: Doc) -> list[Attribution]:
    """Return the attributed quotes of one article."""
    raise NotImplementedError("attribute stage: being built")
