"""Python API: build records from text without going through files."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from schemas.models import Document, Paragraph

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
