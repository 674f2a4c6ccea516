"""Stage segment: documents -> sentences.jsonl (quote-aware sentences and paragraphs).

CONTRACT (used by pipeline.nlp and pipeline.runner):
    add_sentence_rules(nlp: Language) -> None
        Add quotetrail's sentence-boundary component to a loaded pipeline (before the parser).
    segment(document: Document, doc: spacy.tokens.Doc) -> list[Sentence]
        Sentences of one parsed article; never across paragraph boundaries.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from schemas.models import Document, Sentence


def add_sentence_rules(nlp: Language) -> None:
    """Add the quote-aware sentence-boundary component to ``nlp``."""
    return None


def segment(document: Document, doc: Doc) -> list[Sentence]:
    """Return the sentences of ``document`` (parsed as ``doc``)."""
    raise NotImplementedError("segment stage: being built")
