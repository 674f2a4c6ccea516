"""Property tests of every stage over hostile text: no exception, every offset in range, every
span's text the article's text at its offsets, and each input within a time bound.

Text is drawn rich in quotation marks (“ ” ‘ ’ " ' « » „ and more), apostrophes, cue words,
names and outlets, unicode, control characters and very long tokens. strip gets it as files
(raw bytes and encoded text, as .txt, .html and .jsonl); segment, attribute and tag get it as
an article's clean text with its one parse. The hypothesis deadline bounds each example, so a
regular expression that backtracks catastrophically fails the test; the adversarial strings
below aim at exactly that. The default run draws a few hundred examples; the tests marked slow
draw 10,000 (``pytest -m slow tests/test_fuzz.py``).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from pipeline import nlp as nlp_mod
from pipeline.api import document_from_text
from pipeline.io import InputError
from pipeline.stages import attribute, segment, strip, tag
from schemas.models import Attribution, Document, Quote, Sentence

from .conftest import CORPUS

QUOTES = "“”‘’\"'«»„‚‹›「」『』″′`´"
PUNCT = ".,;:!?…—–-()[]/&%$#@*"
UNICODE = "éñüßçøåÆœ中文字日本語한국어Ωλπ😀👍🏽\u0301\u0308ـعربيةעברית"
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x1c\x1d\x1e\x1f\x7f\x85\u2028\u2029\u200b\u200e\u202e\ufeff"
SPACES = "  \t\n\n\r\n\u00a0\u3000"
WORDS = (
    "said told says according to added asked quoted as saying wrote tweeted reported by "
    "he she they it we I Mr. Mrs. Dr. Sen. Gov. Xi Jinping Ned Price the White House a "
    "senior U.S. official Reuters AP CCTV TASS Bloomberg state broadcaster in a statement "
    "spokesman ministry The New York Times told reporters on Monday via Twitter X Xinhua "
    "don't it's '90s rock 'n' roll O'Brien Jones' children's ’em"
).split()

_chars = st.sampled_from(QUOTES + PUNCT + UNICODE + CONTROL + SPACES + "abcXYZ019")
_token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(QUOTES),
    st.text(_chars, min_size=1, max_size=12),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8),
    # Very long tokens: one character or a short pattern, repeated.
    st.builds(lambda c, n: c * n, st.sampled_from(list(QUOTES + ".- aA")), st.integers(50, 400)),
)
_sep = st.sampled_from([" ", " ", " ", "", "\n", "\n\n", ", ", ". ", "\t", "\r\n"])
texts = st.lists(st.tuples(_token, _sep), max_size=80).map(
    lambda parts: "".join(t + s for t, s in parts)
)

#: Strings that make careless regular expressions backtrack for ever (runs of quotes, spaces,
#: dots, capitals, cue-like words), each several thousand characters long.
ADVERSARIAL = [
    "“" * 3000,
    "”" * 3000,
    '"' * 3000,
    "'" * 3000,
    "„" * 3000,
    "«" * 1500 + "»" * 1500,
    "“a " * 1500,
    "“" * 1500 + "x" + "”" * 1500,
    " " * 5000,
    "\n" * 3000,
    "\n \n" * 1000,
    "." * 5000,
    ". " * 2500,
    "…" * 3000,
    "A" * 5000,
    "A " * 2500,
    "A. " * 1500,
    "Mr. " * 1200,
    "U.S. " * 1000,
    "THE SENIOR OFFICIAL " * 250,
    "Reuters Reuters " * 300,
    "said " * 1000,
    "according to " * 400,
    "“X,” said Y. " * 400,
    "“" + "word " * 1000,
    "He said “" + "a, " * 1500,
    "-" * 5000,
    "—" * 3000,
    "’s " * 1500,
    "a" * 5000,
    "(" * 2000 + ")" * 2000,
    "Photo: " * 600,
    "Reporting by " * 400,
    "https://" + "a/" * 2000,
    "@" * 3000,
    "#" * 3000,
    "\x00" * 100 + "text",
    # Found by these tests: spaCy's tokenizer splits a long run affix by affix (quadratic) ...
    "?!" * 2500,
    "’s" * 2500,
    "“”" * 2500,
    # ... and credit patterns rescanned runs of blank lines and spaces (quadratic to cubic).
    "\n" * 5000,
    " \n" * 2500,
    "\t" * 5000,
    "With Reuters" + " " * 5000 + "x",
    "(\n" + " " * 5000 + "With",
    "By Reuters Staff" + " \n" * 2500 + ".",
    "according to Reuters /" + "-" * 5000 + " poll",
    "Reporting by" + "\n" * 5000,
]

#: The deadline bounds each example: the slowest honest ones (a parse of ~30,000 characters)
#: take well under a second, a regular expression that backtracks takes minutes. Loose enough
#: not to flake on a loaded 2-core machine.
FUZZ = settings(
    max_examples=120,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
SLOW = settings(FUZZ, max_examples=10_000, derandomize=False)
#: Seconds for every stage over one adversarial string (a few thousand characters; about a
#: second on a loaded 2-core machine; a quadratic blow-up takes tens).
ADVERSARIAL_SECONDS = 8.0


# -- checks ----------------------------------------------------------------------------------------


def check_document(doc: Document, source: str | None) -> None:
    """Paragraphs in order and in the text, source offsets in the source, the record valid."""
    Document.model_validate(doc.model_dump(mode="json"))
    for p in doc.paragraphs:
        assert 0 <= p.start <= p.end <= len(doc.text)
        if source is not None and p.source_end is not None:
            assert p.source_start is not None and p.source_end <= len(source)
    for r in doc.removed:
        if source is not None and r.source_end is not None:
            assert r.source_start is not None and 0 <= r.source_start <= r.source_end
            assert r.source_end <= len(source)
    json.dumps(doc.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")


def check_span(text: str, start: int, end: int, span_text: str) -> None:
    """A span's offsets lie in the article and its text is the article's text there."""
    assert 0 <= start <= end <= len(text), (start, end, len(text))
    assert text[start:end] == span_text, (start, end, span_text[:40])


def run_parsed_stages(nlp: Language, text: str) -> None:
    """segment, attribute and tag (with and without the parse) over one article's text."""
    document = document_from_text("fuzz", text)
    parsed = next(nlp_mod.parse(nlp, [text], 1))  # as the runner parses: one parse per article
    assert parsed.text == text
    context = {"text": document.text}
    sentences = segment.segment(document, parsed)
    for s in sentences:
        Sentence.model_validate(s.model_dump(mode="json"), context=context)
        check_span(text, s.start, s.end, s.text)
        paragraph = document.paragraphs[s.paragraph]
        assert paragraph.start <= s.start <= s.end <= paragraph.end
    assert [s.index for s in sentences] == list(range(len(sentences)))
    attributions = attribute.attribute(document, sentences, parsed)
    for a in attributions:
        Attribution.model_validate(a.model_dump(mode="json"), context=context)
        check_attribution(text, a)
        assert all(0 <= i < len(sentences) for i in a.sentences)
    for doc in (parsed, None):  # the runner passes the parse; `quotetrail tag` has none
        quotes = tag.tag(document, attributions, doc)
        assert len(quotes) == len(attributions)
        for q in quotes:
            Quote.model_validate(q.model_dump(mode="json"), context=context)
            check_attribution(text, q)
            if q.outlet.via is not None:
                check_span(text, q.outlet.via.start, q.outlet.via.end, q.outlet.via.text)


def check_attribution(text: str, a: Attribution) -> None:
    """The quote's, speaker's and cue's spans are the article's text at their offsets."""
    check_span(text, a.start, a.end, a.text)
    if a.speaker is not None:
        check_span(text, a.speaker.start, a.speaker.end, a.speaker.text)
    if a.cue is not None:
        check_span(text, a.cue.start, a.cue.end, a.cue.text)


def run_strip_file(name: str, raw: bytes) -> None:
    """strip.read_input over one file: documents or clear errors, never an exception."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / name
        path.write_bytes(raw)
        items = strip.read_input(path, root)
    assert items, "an input gives at least one document or error"
    for item in items:
        if isinstance(item, InputError):
            assert item.message.strip() and item.path.startswith(name)
        else:
            assert isinstance(item, Document)
            check_document(item, _source(item, raw))


def _source(doc: Document, raw: bytes) -> str | None:
    """The decoded source text a document's source offsets point into."""
    if doc.format == "jsonl":
        return None  # offsets are into the line's text or html field, checked by strip
    return strip.decode_bytes(raw)[0]


def _as_file(text: str, kind: str) -> tuple[str, bytes]:
    if kind == "html":
        body = "".join(f"<p>{para}</p>" for para in text.split("\n\n"))
        return "page.html", f"<html><body><article>{body}</article></body></html>".encode()
    if kind == "jsonl":
        return "feed.jsonl", (json.dumps({"id": "x", "text": text}) + "\n").encode()
    return "article.txt", text.encode("utf-8")


@pytest.fixture(scope="module")
def warm(nlp: Language) -> Language:
    """The pipeline, warmed up so the first example's deadline is not spent loading."""
    run_parsed_stages(nlp, "“We are ready,” she said, according to Reuters.")
    strip.document_from_source("Title\n\nBody text of a short article, “quoted”, she said.")
    return nlp


# -- strip -----------------------------------------------------------------------------------------


@FUZZ
@given(text=texts, kind=st.sampled_from(["txt", "html", "jsonl"]))
def test_strip_any_text_file(warm: Language, text: str, kind: str) -> None:
    run_strip_file(*_as_file(text, kind))


_raw_bytes = st.one_of(
    st.binary(max_size=2000),
    texts.map(lambda t: t.encode("utf-8", "replace")),
    texts.map(lambda t: t.encode("utf-16")),
    texts.map(lambda t: t.encode("cp1252", "replace")),
    texts.map(lambda t: t.encode("gb18030", "replace")),
)


@FUZZ
@given(raw=_raw_bytes, name=st.sampled_from(["a.txt", "a.html", "a.jsonl"]))
def test_strip_any_bytes_file(warm: Language, raw: bytes, name: str) -> None:
    run_strip_file(name, raw)


# -- segment, attribute, tag -----------------------------------------------------------------------


@FUZZ
@given(text=texts)
def test_parsed_stages_any_text(warm: Language, text: str) -> None:
    run_parsed_stages(warm, text)


# -- adversarial strings ---------------------------------------------------------------------------


def _adversarial_id(base: str) -> str:
    head = base[:10].encode("unicode_escape").decode("ascii")
    return f"{head}...x{len(base)}"


@pytest.mark.parametrize("wrap", [False, True], ids=["bare", "in-article"])
@pytest.mark.parametrize("base", ADVERSARIAL, ids=[_adversarial_id(b) for b in ADVERSARIAL])
def test_adversarial_strings_every_stage(warm: Language, base: str, wrap: bool) -> None:
    text = f"Title\n\n“{base}” said Ana Ruiz.\n\n{base}" if wrap else base
    started = time.perf_counter()
    for kind in ("txt", "html", "jsonl"):
        run_strip_file(*_as_file(text, kind))
    run_parsed_stages(warm, text)
    elapsed = time.perf_counter() - started
    assert elapsed < ADVERSARIAL_SECONDS, f"{elapsed:.1f} s for {len(text)} characters"


# -- the long runs ---------------------------------------------------------------------------------


@pytest.mark.slow
@SLOW
@given(text=texts)
def test_parsed_stages_any_text_slow(warm: Language, text: str) -> None:
    run_parsed_stages(warm, text)


@pytest.mark.slow
@SLOW
@given(text=texts, kind=st.sampled_from(["txt", "html", "jsonl"]))
def test_strip_any_text_file_slow(warm: Language, text: str, kind: str) -> None:
    run_strip_file(*_as_file(text, kind))


@pytest.mark.slow
@SLOW
@given(raw=_raw_bytes, name=st.sampled_from(["a.txt", "a.html", "a.jsonl"]))
def test_strip_any_bytes_file_slow(warm: Language, raw: bytes, name: str) -> None:
    run_strip_file(name, raw)


# -- the tokenizer guard and the regular expressions, one by one ---------------------------------

LONG_RUNS = ["?!" * 5000, "’s" * 5000, "“" * 10_000, "a" * 10_000, "(" * 5000 + ")" * 5000]


@pytest.mark.parametrize("run", LONG_RUNS, ids=[_adversarial_id(r) for r in LONG_RUNS])
def test_long_run_is_tokenized_fast_and_the_rest_as_spacy_does(warm: Language, run: str) -> None:
    before, after = "“We are ready,” she said. ", " He didn't stay.\n\nShe left."
    text = before + run + after
    started = time.perf_counter()
    doc = warm.make_doc(text)
    assert time.perf_counter() - started < 1.0
    assert doc.text == text
    plain = warm.tokenizer.tokenizer  # the tokenizer the guard wraps
    got_before = [t.text for t in doc if t.idx + len(t) <= len(before)]
    assert got_before == [t.text for t in plain(before)]
    got_after = [
        (t.idx - len(before) - len(run), t.text) for t in doc if t.idx >= len(text) - len(after)
    ]
    assert got_after == [(t.idx, t.text) for t in plain(after)][1:]  # [0] is the space
    assert not any(t.is_sent_start for t in doc[1:])  # no sentence boundary is forced


def test_text_without_long_runs_is_tokenized_exactly_as_spacy_does(warm: Language) -> None:
    plain = warm.tokenizer.tokenizer
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert nlp_mod.long_run_interiors(text) == []
        assert [(t.idx, t.text) for t in warm.make_doc(text)] == [
            (t.idx, t.text) for t in plain(text)
        ]


def _pipeline_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled regular expression of pipeline/: module globals and the data files'."""
    import pipeline.api
    import pipeline.outlets
    import pipeline.quotemarks
    import pipeline.resolve

    found: dict[str, re.Pattern[str]] = {}

    def add(where: str, value: object) -> None:
        if isinstance(value, re.Pattern):
            found[f"{where} {value.pattern[:60]!r}"] = value
        elif isinstance(value, (tuple, list, frozenset)):
            for item in value:
                add(where, item)
        elif isinstance(value, tag.CreditPattern):
            add(where, value.regex)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                add(f"{where}.{f.name}", getattr(value, f.name))

    modules = (strip, segment, attribute, tag, nlp_mod, pipeline.api, pipeline.outlets)
    for module in (*modules, pipeline.quotemarks, pipeline.resolve):
        for name, value in vars(module).items():
            add(f"{module.__name__}.{name}", value)
    add("tag.wire_patterns", tag.wire_patterns())
    add("tag.publisher_patterns", tag.publisher_patterns())
    add("tag.photo_markers", tag.photo_markers())
    add("tag.via_rules", tag.via_rules())
    add("outlets.gazetteer", list(vars(pipeline.outlets.gazetteer()).values()))
    return found


PATTERNS = _pipeline_patterns()
#: Runs that make a careless pattern backtrack, and what may come before and after them.
HOSTILE_RUNS = [" ", "\n", " \n", "\t", "-", "—", "(", ".", "A ", "A. ", "Aa ", "“", "'", "/", "a"]
HOSTILE_FRAMES = [
    ("", ""),
    ("With Reuters", "x"),
    ("By Reuters Staff", "."),
    ("Reporting by", ";"),
    ("according to Reuters /", " poll"),
    ("“", "”"),
]


def _finditer_seconds(pattern: re.Pattern[str], text: str) -> float:
    started = time.perf_counter()
    for _ in pattern.finditer(text):
        pass
    return time.perf_counter() - started


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_takes_linear_time(name: str) -> None:
    # Ten times the text, about ten times the time: a linear pattern takes milliseconds on
    # 20,000 characters, a quadratic one seconds (and a cubic one fails on the 2,000 already).
    pattern = PATTERNS[name]
    for unit in HOSTILE_RUNS:
        for head, tail in HOSTILE_FRAMES:
            for size, limit in ((2000, 0.1), (20_000, 0.5)):
                text = head + unit * (size // len(unit)) + tail
                elapsed = _finditer_seconds(pattern, text)
                where = f"{head!r} + {unit!r} * {size // len(unit)} + {tail!r}"
                assert elapsed < limit, f"{elapsed:.2f} s on {where}"
