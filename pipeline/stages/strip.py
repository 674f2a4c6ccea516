"""Stage strip: input dir -> documents.jsonl (decode, extract HTML, drop boilerplate).

CONTRACT (used by pipeline.runner):
    iter_documents(input_dir: Path, follow_symlinks: bool = False) -> Iterator[Document | InputError]
        Walk input_dir recursively in sorted order; yield one Document per article, or an
        InputError (path relative to input_dir, message a person can act on) per bad input.
The clean text joins paragraphs with "\n\n"; each paragraph has a role.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.io import InputError
from schemas.models import Document


def iter_documents(
    input_dir: Path, follow_symlinks: bool = False
) -> Iterator[Document | InputError]:
    """Yield a Document (or an InputError) for every article under ``input_dir``."""
    raise NotImplementedError("strip stage: being built")
