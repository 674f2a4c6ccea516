"""Print every quote of an output or golden folder as one readable line, for reading by hand.

    python scripts/show_quotes.py out/            # or golden/
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.io import BadRecord, read_stage, stage_files


def main(folder: str) -> int:
    """Print doc, kind, speaker (mention -> name), cue, via and the quote's first words."""
    root = Path(folder)
    stage = "tag" if stage_files(root, "tag") else "attribute"
    for rec in read_stage(root, stage):
        if isinstance(rec, BadRecord):
            print(f"BAD {rec}")
            continue
        d = rec.model_dump()
        sp = d["speaker"]
        who = (
            f"{sp['text']!r} -> {sp['name']!r} ({sp['kind']}, {sp['resolved_by']})"
            if sp
            else "no speaker"
        )
        cue = d["cue"]["lemma"] if d["cue"] else "-"
        outlet = d.get("outlet") or {}
        via = (outlet.get("via") or {}).get("name", "-") if outlet else "-"
        pub = f" pub={outlet.get('publisher')} wire={outlet.get('wire')}" if outlet else ""
        text = d["text"].replace("\n", " ")
        print(
            f"{d['doc_id'][:12]} {d['quote_id']:>4} {d['kind']:<8} {who} cue={cue} via={via}{pub}"
            f"\n      “{text[:110]}{'…' if len(text) > 110 else ''}”"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "out"))
