"""Quotation-mark pairing: apostrophes, nesting, unbalanced marks, quotes over paragraphs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.quotemarks import find_quotes


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Blank-line paragraphs, as document_from_text makes them."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)]


def quoted(text: str) -> list[str]:
    """The contents of the top-level quotations of ``text``."""
    return [text[q.start : q.end] for q in find_quotes(text, paragraphs(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("“We are ready,” he said.", ["We are ready"]),
        ('"We are ready," he said.', ["We are ready"]),
        ("“A,” he said, “B.”", ["A", "B."]),
        ("The two leaders’ call was “warm,” he said.", ["warm"]),
        ("He loves rock ’n’ roll and the ’90s, “truly.”", ["truly."]),
        ("He loves rock 'n' roll and the '90s, \"truly.\"", ["truly."]),
        ("Don’t say “never” again.", ["never"]),
        (
            "U.S. Expresses 'Deep Concerns' on Russia-China 'Alignment'",
            ["Deep Concerns", "Alignment"],
        ),
        ("Caddell: It’s ‘in Their Heads.’", ["in Their Heads."]),
        ("‘The voters’ mood is sour,’ she said.", ["The voters’ mood is sour"]),
        # Nested quotations belong to the outer one, whatever the mark style.
        ('"The question: “Do you agree?” Most said no." he said', [
            "The question: “Do you agree?” Most said no."
        ]),
        ("“He told me, ‘Go home,’ and left,” she said.", ["He told me, ‘Go home,’ and left"]),
        # An unclosed mark costs its own quotation (to the paragraph end), nothing more.
        ("He said “unclosed and more.\n\nThen “x” here.", ["unclosed and more.", "x"]),
        # A stray closing mark costs nothing.
        ("It ended.” Then “y” came.", ["y"]),
    ],
)
def test_pairing(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def test_quote_over_paragraphs_is_one() -> None:
    text = "“First paragraph.\n\n“Second paragraph.\n\n“Third.”\n\nAfter “x” here."
    quotes = find_quotes(text, paragraphs(text))
    assert [text[q.start : q.end] for q in quotes] == [
        "First paragraph.\n\n“Second paragraph.\n\n“Third.",
        "x",
    ]
    assert (quotes[0].first_paragraph, quotes[0].last_paragraph) == (0, 2)
    assert quotes[0].closed


def test_unclosed_paragraph_not_followed_by_a_quote_ends_there() -> None:
    text = "“No closing mark here.\n\nA plain paragraph with “a quote” in it."
    quotes = find_quotes(text, paragraphs(text))
    assert [text[q.start : q.end] for q in quotes] == ["No closing mark here.", "a quote"]
    assert not quotes[0].closed


def test_stray_mark_does_not_break_the_article() -> None:
    body = "“One,” he said.\n\nThe leaders’ call ended.\n\n“Two,” she said.\n\n"
    for stray in ("A stray “ mark.", "A stray “mark here.", "A stray ” mark.", "Stray ’em."):
        assert quoted(stray + "\n\n" + body)[-2:] == ["One", "Two"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab “”‘’\"'\n.,", max_size=60))
def test_spans_are_inside_the_text_and_sorted(text: str) -> None:
    quotes = find_quotes(text, paragraphs(text))
    starts = [q.start for q in quotes]
    assert starts == sorted(starts)
    for q in quotes:
        assert 0 <= q.open_start < q.start <= q.end <= q.close_end <= len(text)


def test_doubled_single_marks_are_double_marks() -> None:
    text = "''I was too young; I didn't realize,'' he said. ``Fine,'' she said."
    assert quoted(text) == ["I was too young; I didn't realize", "Fine"]
