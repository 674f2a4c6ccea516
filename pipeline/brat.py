"""Import brat standoff attribution annotations (PolNeAR's format) as quotetrail gold JSONL.

``quotetrail import-brat ANN_DIR TXT_DIR -o gold.jsonl``. Each ``.ann`` file annotates the
``.txt`` of the same name (a trailing ``_<annotator>`` in the ``.ann`` name is allowed, as in
PolNeAR's ``<article>_4b22.ann``). The lines read are

    T<n>\\t<Role> <start> <end>[;<start> <end>...]\\t<text>      (Role: Source, Cue, Content)
    E<n>\\t<Type>:T<a> Source:T<s> Content:T<c> Cue:T<u>         (one attribution)

and every other line (notes, attributes, continuation lines) is ignored. Each E line with a
Content becomes one gold quote (see ``pipeline.evaluate``): the quote span runs from the
first to the last fragment of the Content; the speaker mention is the Source's span, or null
when the attribution has no Source ("Attribution-no-source"). A doc_id is the ``.txt`` path
relative to TXT_DIR without its extension, as ``quotetrail run TXT_DIR`` names it. An article
with several annotators' files takes the first file in name order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate import GoldQuote

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_E_LINE = re.compile(r"^(E\d+)\t(.+)$")
_ANNOTATOR = re.compile(r"_[^_]+$")


@dataclass(frozen=True)
class TextBound:
    """A brat text-bound annotation: its role and its fragments."""

    tid: str
    role: str
    fragments: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        """Where the first fragment starts."""
        return min(s for s, _ in self.fragments)

    @property
    def end(self) -> int:
        """Where the last fragment ends."""
        return max(e for _, e in self.fragments)


@dataclass(frozen=True)
class Event:
    """A brat event: its type and its arguments (role -> text-bound id)."""

    eid: str
    kind: str
    args: dict[str, str]


def read_ann(path: Path) -> tuple[dict[str, TextBound], list[Event]]:
    """The text-bound annotations and events of one ``.ann`` file."""
    bounds: dict[str, TextBound] = {}
    events: list[Event] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _T_LINE.match(line)
        if m:
            frags = tuple(
                (int(a), int(b)) for a, b in (part.split(" ") for part in m.group(3).split(";"))
            )
            bounds[m.group(1)] = TextBound(m.group(1), m.group(2), frags, m.group(4))
            continue
        m = _E_LINE.match(line)
        if m:
            parts = m.group(2).split()
            kind = parts[0].split(":", 1)[0]
            args: dict[str, str] = {}
            for part in parts[1:]:
                role, _, tid = part.partition(":")
                # brat numbers repeated roles (Content2); the first of each role is kept.
                args.setdefault(role.rstrip("0123456789"), tid)
            events.append(Event(m.group(1), kind, args))
    return bounds, events


def find_text(ann: Path, ann_dir: Path, txt_dir: Path) -> Path | None:
    """The ``.txt`` an ``.ann`` file annotates: same name, or the name without ``_<annotator>``."""
    rel = ann.relative_to(ann_dir).parent
    for stem in (ann.stem, _ANNOTATOR.sub("", ann.stem)):
        candidate = txt_dir / rel / f"{stem}.txt"
        if candidate.is_file():
            return candidate
    return None


def _check(tb: TextBound, text: str, where: str, problems: list[str]) -> bool:
    if tb.end > len(text):
        problems.append(f"{where}: {tb.tid} ends at {tb.end}, past the text's {len(text)} chars")
        return False
    # brat joins the fragments of a discontinuous annotation with a space.
    found = " ".join(text[s:e] for s, e in tb.fragments)
    if found.split() != tb.text.split():
        problems.append(f"{where}: {tb.tid} text {tb.text[:40]!r} is not the text at its offsets")
    return True


def gold_from_ann(doc_id: str, ann: Path, text: str, problems: list[str]) -> list[GoldQuote]:
    """The gold quotes of one annotated article."""
    bounds, events = read_ann(ann)
    quotes: list[GoldQuote] = []
    for ev in events:
        content = bounds.get(ev.args.get("Content", ""))
        if content is None:
            problems.append(f"{ann}: {ev.eid} has no Content; skipped")
            continue
        if not _check(content, text, str(ann), problems):
            continue
        source = bounds.get(ev.args.get("Source", ""))
        if source is not None and not _check(source, text, str(ann), problems):
            source = None
        quotes.append(
            GoldQuote(
                doc_id=doc_id,
                start=content.start,
                end=content.end,
                text=text[content.start : content.end],
                speaker_text=text[source.start : source.end] if source else None,
                speaker_start=source.start if source else None,
                speaker_end=source.end if source else None,
            )
        )
    quotes.sort(key=lambda g: (g.start, g.end))
    return quotes


def import_brat(ann_dir: Path, txt_dir: Path) -> tuple[list[GoldQuote], list[str]]:
    """Every gold quote under ``ann_dir`` (texts in ``txt_dir``), and the problems met."""
    problems: list[str] = []
    chosen: dict[str, tuple[Path, Path]] = {}
    for ann in sorted(ann_dir.rglob("*.ann")):
        txt = find_text(ann, ann_dir, txt_dir)
        if txt is None:
            problems.append(f"{ann}: no matching .txt under {txt_dir}; skipped")
            continue
        doc_id = txt.relative_to(txt_dir).with_suffix("").as_posix()
        if doc_id in chosen:
            problems.append(f"{ann}: another annotator's file of {doc_id}; using the first")
            continue
        chosen[doc_id] = (ann, txt)
    gold: list[GoldQuote] = []
    for doc_id, (ann, txt) in sorted(chosen.items()):
        # newline="" keeps \r\n as two characters, as brat counts them.
        with txt.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        gold += gold_from_ann(doc_id, ann, text, problems)
    return gold, problems
