"""Quotation-mark pairing: the top-level quotations of an article, paragraph by paragraph.

Marks are paired inside each paragraph, so an unbalanced mark costs one quotation at most,
never the rest of the article. A double quotation left open at the end of a paragraph
continues into the next paragraph when that one opens with a quotation mark (the
typographic convention for quotes of several paragraphs); otherwise it ends with its
paragraph. A single quotation (British style) does the same when its opening mark starts
the paragraph or follows a colon or comma; when the next paragraph does not open with a
single mark, it is dropped. Apostrophes ("don’t", "’90s", "rock ’n’ roll", the plural possessive
"leaders’") are told apart from single quotation marks by their context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Family = Literal["double", "single"]
Role = Literal["open", "close", "either", "apostrophe"]

OPEN_DOUBLE = "“„‟«"
CLOSE_DOUBLE = "”»"
STRAIGHT_DOUBLE = '"＂'
OPEN_SINGLE = "‘‛‹"
CLOSE_SINGLE = "’›"
STRAIGHT_SINGLE = "'"
ALL_MARKS = frozenset(
    OPEN_DOUBLE + CLOSE_DOUBLE + STRAIGHT_DOUBLE + OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT_SINGLE
)
# What may stand before an opening mark and after a closing one.
_BEFORE_OPEN = frozenset("([{—–-/:;…")
_AFTER_CLOSE = frozenset(".,;:!?)]}—–-…/")
#: double marks, and how an ellipsis is written
_DOUBLE_MARKS = OPEN_DOUBLE + CLOSE_DOUBLE + STRAIGHT_DOUBLE
_ELLIPSES = ("…", "...", ". . .")
# Words written with a leading apostrophe ('em, 'n', 'til): not the start of a quotation.
_ELISIONS = ("em ", "n ", "n'", "n’", "til ", "cause ", "tis ", "twas ", "bout ", "round ")


@dataclass(frozen=True)
class QuoteSpan:
    """One top-level quotation: its content [start, end) and its marks [open_start, close_end)."""

    start: int
    end: int
    open_start: int
    close_end: int
    family: Family
    closed: bool
    first_paragraph: int
    last_paragraph: int


@dataclass(frozen=True)
class _Mark:
    pos: int
    family: Family
    role: Role
    width: int = 1


@dataclass
class _Open:
    pos: int
    family: Family
    paragraph: int
    width: int = 1


def _classify(text: str, i: int, lo: int, hi: int) -> _Mark:
    """The family and role of the quotation mark at ``text[i]``, from its neighbours."""
    ch = text[i]
    prev = text[i - 1] if i > lo else None
    nxt = text[i + 1] if i + 1 < hi else None
    if ch in _DOUBLE_MARKS and nxt == " " and text.startswith(_ELLIPSES, i + 2) and (
        prev is None or prev.isspace() or prev in _BEFORE_OPEN
    ):
        # “ … if the vote were held”: a quotation that opens on an ellipsis, spaced off
        return _Mark(i, "double", "open")
    open_ctx = prev is None or prev.isspace() or prev in _BEFORE_OPEN or prev in ALL_MARKS
    close_ctx = nxt is None or nxt.isspace() or nxt in _AFTER_CLOSE or nxt in ALL_MARKS
    if ch in OPEN_DOUBLE:
        if nxt is None or nxt.isspace():
            # An opening mark before a space opens nothing: a typo or a misused closer.
            return _Mark(i, "double", "close" if prev is not None and not prev.isspace()
                         else "apostrophe")
        return _Mark(i, "double", "open")
    if ch in CLOSE_DOUBLE:
        # Some texts use the closing mark on both sides.
        if open_ctx and not close_ctx:
            return _Mark(i, "double", "open")
        return _Mark(i, "double", "close")
    if ch in STRAIGHT_DOUBLE:
        if open_ctx and not close_ctx:
            return _Mark(i, "double", "open")
        if close_ctx and not open_ctx:
            return _Mark(i, "double", "close")
        return _Mark(i, "double", "either")
    prev_word = prev is not None and prev.isalnum()
    next_word = nxt is not None and nxt.isalnum()
    if prev_word and next_word:
        return _Mark(i, "single", "apostrophe")  # don’t, rock’n’roll, O’Brien
    if nxt is not None and nxt.isdigit() and not prev_word:
        return _Mark(i, "single", "apostrophe")  # ’90s
    if ch in OPEN_SINGLE:
        return _Mark(i, "single", "open")
    if open_ctx and next_word:
        if text.startswith(_ELISIONS, i + 1):
            return _Mark(i, "single", "apostrophe")
        # A right single mark after a space is an elision ('em) as often as a misused opener.
        return _Mark(i, "single", "open" if ch in STRAIGHT_SINGLE or not prev else "apostrophe")
    if i - 2 >= lo and text[i - 1] in "nN" and text[i - 2] in "’'" and (
        i - 3 < lo or text[i - 3].isspace()
    ):
        return _Mark(i, "single", "apostrophe")  # the second mark of rock ’n’ roll
    if close_ctx and prev is not None and not prev.isspace():
        return _Mark(i, "single", "close")
    return _Mark(i, "single", "apostrophe")


# Attribute values of markup left in the text (tweet_id="...", <a href='...'>): not quotations.
_MARKUP_VALUE = re.compile(r"""=\s*("[^"\n]*"|'[^'\n]*')""")


def _doubled(text: str, i: int, lo: int, hi: int) -> _Mark:
    """Two straight single marks ('') or two backticks (``) used as one double mark, as in
    text converted from LaTeX or old wire formats."""
    if text[i] == "`":
        return _Mark(i, "double", "open", 2)
    prev = text[i - 1] if i > lo else None
    nxt = text[i + 2] if i + 2 < hi else None
    open_ctx = prev is None or prev.isspace() or prev in _BEFORE_OPEN or prev in ALL_MARKS
    close_ctx = nxt is None or nxt.isspace() or nxt in _AFTER_CLOSE or nxt in ALL_MARKS
    if open_ctx and not close_ctx:
        return _Mark(i, "double", "open", 2)
    if close_ctx and not open_ctx:
        return _Mark(i, "double", "close", 2)
    return _Mark(i, "double", "either", 2)


def _marks(text: str, lo: int, hi: int) -> list[_Mark]:
    skip: set[int] = set()
    if "=" in text[lo:hi]:
        for m in _MARKUP_VALUE.finditer(text, lo, hi):
            skip.update((m.start(1), m.end(1) - 1))
    out: list[_Mark] = []
    i = lo
    while i < hi:
        ch = text[i]
        if (ch == "'" or ch == "`") and text.startswith(ch * 2, i) and i + 1 < hi:
            out.append(_doubled(text, i, lo, hi))
            i += 2
            continue
        if ch in ALL_MARKS and i not in skip:
            out.append(_classify(text, i, lo, hi))
        i += 1
    return out


def _possessive(text: str, m: _Mark, later: list[_Mark]) -> bool:
    """True when a closing single mark reads as a plural possessive ("leaders’ call") and a
    later closing single mark can end the quotation instead."""
    if m.pos == 0 or text[m.pos - 1] not in "sS":
        return False
    after = text[m.pos + 1 : m.pos + 3]
    if len(after) < 2 or not after[0].isspace() or not after[1].isalnum():
        return False
    for n in later:
        if n.family == "single" and n.role == "open":
            return False
        if n.family == "single" and n.role == "close":
            return True
    return False


def _introduces(text: str, lo: int, pos: int) -> bool:
    """True when the mark at ``pos`` opens its paragraph or follows a colon or comma: where a
    quotation that runs on into the next paragraph starts. A mark elsewhere left open is
    more likely a typo, so its quotation ends with the paragraph."""
    k = pos - 1
    while k >= lo and text[k].isspace():
        k -= 1
    return k < lo or text[k] in ":,"


def _content(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    # "“A,” he said": the comma belongs to the sentence around the quotation, not to it.
    while b > a and (text[b - 1].isspace() or text[b - 1] == ","):
        b -= 1
    return a, b


def find_quotes(text: str, paragraphs: Iterable[tuple[int, int]]) -> list[QuoteSpan]:
    """Pair the quotation marks of ``text`` within and across ``paragraphs`` ([start, end) each)."""
    quotes: list[QuoteSpan] = []

    def emit(op: _Open, content_end: int, close_end: int, closed: bool, para: int) -> None:
        a, b = _content(text, op.pos + op.width, content_end)
        if b - a < 1:
            return
        # 'n' in rock 'n' roll, stray 's: a one or two letter "quotation" is an apostrophe pair.
        if op.family == "single" and b - a <= 2:
            return
        quotes.append(QuoteSpan(a, b, op.pos, close_end, op.family, closed, op.paragraph, para))

    carry: _Open | None = None
    carry_end = 0
    carry_para = 0
    for index, (lo, hi) in enumerate(paragraphs):
        marks = _marks(text, lo, hi)
        stack: list[_Open] = []
        first = lo
        while first < hi and text[first].isspace():
            first += 1
        if carry is not None:
            if marks and marks[0].pos == first and marks[0].role in ("open", "either"):
                if marks[0].family == carry.family:
                    stack.append(carry)
                    marks = marks[1:]
            if not stack and carry.family == "double":
                emit(carry, carry_end, carry_end, False, carry_para)
            carry = None
        for k, m in enumerate(marks):
            if m.role == "apostrophe":
                continue
            depth = [o for o in stack if o.family == m.family]
            role = m.role
            if role == "either":
                role = "close" if depth else "open"
            if role == "open":
                stack.append(_Open(m.pos, m.family, index, m.width))
                continue
            if not depth:
                continue  # a stray closing mark or an apostrophe: costs nothing
            if m.family == "single":
                # A single mark only closes the innermost open quotation when that is single.
                if stack[-1].family != "single" and any(
                    o.family == "double" for o in stack[stack.index(depth[-1]) :]
                ):
                    continue
                if _possessive(text, m, marks[k + 1 :]):
                    continue
            target = depth[-1]
            while stack and stack[-1] is not target:
                stack.pop()
            stack.pop()
            if not stack:
                emit(target, m.pos, m.pos + m.width, True, index)
        if stack:
            bottom = stack[0]
            end = hi
            while end > lo and text[end - 1].isspace():
                end -= 1
            if _introduces(text, lo, bottom.pos) and (
                bottom.family == "double" or text[bottom.pos] in OPEN_SINGLE and len(stack) == 1
            ):
                # a quotation of several paragraphs (British style repeats the opening
                # single mark on each): an opening ‘ left open that starts its paragraph
                # or follows "said:" runs on when the next paragraph opens with one too
                carry, carry_end, carry_para = bottom, end, index
            elif bottom.family == "double":
                emit(bottom, end, end, False, index)
            # An unclosed single mark is more likely an apostrophe than a quotation: drop it.
    if carry is not None and carry.family == "double":
        emit(carry, carry_end, carry_end, False, carry_para)
    quotes.sort(key=lambda q: q.start)
    return quotes
