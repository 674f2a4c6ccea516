"""Generate schemas/<type>.schema.json from the Pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.models import RECORD_TYPES

SCHEMA_DIR = Path(__file__).resolve().parent


def render_schemas() -> dict[str, str]:
    """Return {file name: JSON text} for every record type, byte-stable."""
    out: dict[str, str] = {}
    for name, model in RECORD_TYPES.items():
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://quotetrail.invalid/schemas/{name}.schema.json"
        out[f"{name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    return out


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema file into ``directory`` and return their paths."""
    written = []
    for fname, text in render_schemas().items():
        path = directory / fname
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
