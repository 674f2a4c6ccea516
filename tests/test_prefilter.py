"""pipeline.prefilter: the needles of a pattern are in every match, so skipping is exact."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.prefilter import may_match, needles
from pipeline.stages import tag


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"\bTwitter\b", ("Twitter",)),
        (r"(?<=\bon )X\b(?![-\w])", ("X",)),
        (r"\b(?:VKontakte|VK)\b", ("VK",)),
        (r"(?P<a>\bFacebook\b)|(?P<b>\bthe\s+tweets?\b)", ("Facebook", "tweet")),
        (r"^\s*By\s+(?:[Tt]he\s+)?Reuters\s*$", ("Reuters",)),
        (r"\b(?i:contributed)\b", None),  # case-insensitive: no needle
        (r"\bfoo|\w+", None),  # one alternative needs no literal text
        (r"[A-Z][a-z]+", None),
    ],
)
def test_needles(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert needles(re.compile(pattern)) == expected


def test_case_insensitive_pattern_has_no_needles() -> None:
    assert needles(re.compile(r"\bTwitter\b", re.IGNORECASE)) is None


def _tag_patterns() -> list[re.Pattern[str]]:
    rules = tag.via_rules()
    credits = [p.regex for p in (*tag.wire_patterns(), *tag.publisher_patterns())]
    return [rules.platforms, rules.media, rules.appositive, *credits]


WORDS = ["Twitter", "on X", "Reuters", "AP", "contributed to this report", "By", "the", "TV",
         "state broadcaster CCTV", "Staff", "(", ")", "-", "\n", " ", "said", "print edition"]


@given(st.lists(st.sampled_from(WORDS), max_size=12))
def test_a_text_without_needles_has_no_match(words: list[str]) -> None:
    text = " ".join(words)
    for pattern in _tag_patterns():
        if not may_match(needles(pattern), text):
            assert pattern.search(text) is None
