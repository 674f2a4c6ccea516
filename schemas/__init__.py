"""quotetrail's record models and their generated JSON Schemas."""

from schemas.models import (
    RECORD_TYPES,
    SCHEMA_VERSION,
    STAGE_FILES,
    Attribution,
    Cue,
    Document,
    ErrorRecord,
    Outlet,
    Paragraph,
    Quote,
    Record,
    Removed,
    Sentence,
    Speaker,
    Via,
)

__all__ = [
    "RECORD_TYPES",
    "SCHEMA_VERSION",
    "STAGE_FILES",
    "Attribution",
    "Cue",
    "Document",
    "ErrorRecord",
    "Outlet",
    "Paragraph",
    "Quote",
    "Record",
    "Removed",
    "Sentence",
    "Speaker",
    "Via",
]
