"""Python API: build records from text without going through files.

>>> import pipeline
>>> for q in pipeline.extract(text, url="https://www.scmp.com/news/..."):
...     print(q.speaker.name if q.speaker else None, q.outlet.via, q.text)
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from schemas.models import Document, Paragraph, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

_BLOCK = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


def document_from_text(
    doc_id: str, text: str, metadata: dict[str, Any] | None = None, title: str | None = None
) -> Document:
    """A Document whose clean text is ``text`` exactly (no stripping): blank-line paragraphs.

    Used by the evaluation (offsets must stay those of the annotated text) and by tests.
    """
    paragraphs: list[Paragraph] = []
    for m in _BLOCK.finditer(text):
        block = m.group(0)
        lead = len(block) - len(block.lstrip())
        trail = len(block) - len(block.rstrip())
        start, end = m.start() + lead, m.end() - trail
        if start >= end:
            continue
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                start=start,
                end=end,
                source_start=start,
                source_end=end,
                role="body",
            )
        )
    return Document(
        doc_id=doc_id,
        source=doc_id,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format="text",
        title=title,
        byline=None,
        published=None,
        text=text,
        paragraphs=paragraphs,
        removed=[],
        metadata=dict(metadata or {}),
    )


def quotes_from_parsed(document: Document, doc: Doc) -> list[Quote]:
    """Run segment, attribute and tag over one article and its parse, as the runner does."""
    from pipeline.stages import attribute, segment, tag

    sentences = segment.segment(document, doc)
    attributions = attribute.attribute(document, sentences, doc)
    return tag.tag(document, attributions, doc)


def extract(
    text: str,
    url: str | None = None,
    *,
    doc_id: str = "text",
    metadata: dict[str, Any] | None = None,
    model: str | None = None,
) -> list[Quote]:
    """The quotes of one article's clean text: speaker, cue and outlet of each (one parse).

    ``text`` is taken as it is (no boilerplate stripping; offsets are into ``text``); ``url``
    and ``metadata`` (e.g. ``{"outlet": "Reuters"}``) help the tag stage name the publisher.
    The spaCy pipeline is loaded once per process.
    """
    from pipeline import nlp as nlp_mod

    meta = dict(metadata or {})
    if url is not None:
        meta["url"] = url
    document = document_from_text(doc_id, text, meta)
    doc = next(nlp_mod.parse(nlp_mod.load(model), [text], 1))
    return quotes_from_parsed(document, doc)
