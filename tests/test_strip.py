"""Tests of the strip stage: boilerplate rules, encodings, JSONL, bad inputs, seeds, AEB floor."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.io import InputError
from pipeline.stages.strip import (
    clean_line,
    decode_bytes,
    document_from_source,
    iter_documents,
    parse_byline,
)
from schemas.models import Document

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

# Pinned AEB F1 (raising it is a commit of its own).
AEB_F1_FLOOR = 0.972

TITLE = "Council Approves Transit Budget After Long Debate"
BODY = [
    "The city council approved the new transit budget on Tuesday after a lengthy debate "
    "over bus routes and fares.",
    "“We have listened to residents and this plan reflects what they asked for,” the council "
    "chair told reporters after the vote.",
    "Opponents argued that the plan would raise costs for commuters in the outer districts "
    "without improving service at all.",
    "The budget now goes to the mayor, who has said she expects to sign it before the end of "
    "the month.",
    "Transit officials said the first route changes would take effect in the spring, once new "
    "drivers have been hired.",
]


def article(extra: str, where: str) -> str:
    """The invented test article with ``extra`` inserted at ``where`` (head/mid/tail)."""
    lines = [TITLE, *BODY]
    pos = {"head": 0, "after_title": 1, "mid": 3, "tail": len(lines)}[where]
    lines.insert(pos, extra)
    return "\n\n".join(lines) + "\n"


def strip(text: str, **kw: object) -> Document:
    """Run the stage on one plain-text string."""
    return document_from_source(text, **kw)  # type: ignore[arg-type]


def assert_body_kept(doc: Document) -> None:
    """Every invented body paragraph survives, as a body paragraph."""
    kept = [doc.text[p.start : p.end] for p in doc.paragraphs]
    for para in BODY:
        assert para in kept, f"lost body paragraph: {para[:50]}"


@pytest.mark.parametrize(
    "extra, where, rule",
    [
        ("Type here to search", "head", "navigation"),
        ("Photo: Jane Doe/Metro Daily", "after_title", "photo_credit"),
        ("Commuters wait for a bus at the central station on Monday. Photo: AFP", "mid", "caption"),
        ("Protesters gather outside the city hall in the rain. John Smith/AP", "mid", "caption"),
        ("A tram crosses the river bridge at dusk. Pedro Ruiz via REUTERS", "mid", "caption"),
        ("Reporting by Ann Lee; Editing by Tom Park", "tail", "credit"),
        ("Additional reporting by Maria Gomez in Lima", "tail", "credit"),
        ("— Agence Wire with additional reporting by Kim Cho", "tail", "credit"),
        (
            "A version of this article appeared in print on page A12 of the Sunday edition.",
            "tail",
            "print_edition_note",
        ),
        (
            "This article appeared in the Valley Ledger print edition as: Budget passes",
            "tail",
            "print_edition_note",
        ),
        ("This story was originally published by The Valley Ledger.", "tail", "syndication_note"),
        ("Read the original story at the Valley Ledger", "tail", "syndication_note"),
        ("Sign up for our morning newsletter", "tail", "newsletter_promo"),
        (
            "Support independent local journalism. Donate today and help us keep our reporting "
            "free for everyone.",
            "tail",
            "donation_appeal",
        ),
        ("Become a supporter!", "head", "donation_appeal"),
        ("Leave a comment", "tail", "comment_form"),
        ("Your email will not be shown publicly. Required fields are marked *", "tail",
         "comment_form"),
        ("Also on Metro Daily: Bridge repairs to close main road for a week", "mid", "promo"),
        ("More from Metro Daily: Five things to know about the new fares", "tail", "promo"),
        ("Related stories", "tail", "related_links"),
        ("You might also like", "tail", "related_links"),
        ("Tags: transit, budget, city council", "tail", "topic_tags"),
        ("Jane Doe is a senior reporter at Metro Daily covering city hall.", "tail", "author_bio"),
        ("Download the app", "mid", "call_to_action"),
        ("Click here to see the full schedule of route changes", "tail", "call_to_action"),
        ("Follow Metro Daily on Facebook, Twitter and Instagram.", "tail", "social_promo"),
        ("Email the author at jane.doe@example.org", "tail", "author_contact"),
        ("Copyright 2024 Metro Daily. All rights reserved.", "tail", "copyright"),
        ("Kim Cho contributed reporting from the suburbs.", "tail", "credit"),
        ("Contributing: Tom Park", "tail", "credit"),
        ("Filed under: Transit, Budget", "tail", "topic_tags"),
        ("Most read in local news", "tail", "related_links"),
        ("Thanks for signing up!", "tail", "newsletter_promo"),
        ("Morning Commute Newsletter", "tail", "newsletter_promo"),
        (
            "If you buy something through our links, we may earn an affiliate commission.",
            "tail",
            "affiliate_disclosure",
        ),
        ("MAYOR UNVEILS HER PLAN FOR A NEW RIVERSIDE PARK", "mid", "related_links"),
        ("Share this article", "tail", "call_to_action"),
        ("Follow us on social media", "tail", "call_to_action"),
    ],
)
def test_boilerplate_kind_is_removed_with_its_rule(extra: str, where: str, rule: str) -> None:
    doc = strip(article(extra, where))
    hits = [r for r in doc.removed if r.text == clean_line(extra)]
    assert hits, f"not removed: {extra!r}; removed: {[(r.rule, r.text) for r in doc.removed]}"
    assert hits[0].rule == rule
    assert hits[0].reason
    assert extra not in doc.text
    assert_body_kept(doc)


@pytest.mark.parametrize(
    "sentence",
    [
        "The video, obtained via AP, shows the attack on the convoy near the border.",
        "The minister said the deal was done, according to a transcript released via TASS.",
        "Reporting by the newspaper showed that the minister had misled parliament.",
        "Editing by hand is slow, the archivist said, but it is the only way to be sure.",
        "A poll by AP/NORC found that most voters disapprove of the transit plan.",
        "Support for the measure has grown since the spring, recent polls show.",
        "He did not reply to an email requesting comment on the new fares.",
        "“We urge you to support this budget,” the mayor told our reporter on Monday.",
        "Officials said 12 people were killed and/or injured in the blast.",
        "Sign-ups for the new bus pass opened on Monday, the transit agency said.",
    ],
)
def test_body_sentences_that_look_like_boilerplate_are_kept(sentence: str) -> None:
    doc = strip(article(sentence, "mid"))
    assert sentence in doc.text, [(r.rule, r.text) for r in doc.removed]
    assert_body_kept(doc)


@pytest.mark.parametrize(
    "paragraphs",
    [
        [
            "市政府公布新的公交预算",
            "市议会周二批准了新的公交预算，此前就公交线路和票价进行了长时间辩论。",
            "议会主席对记者说：“我们听取了居民的意见，这个方案反映了他们的要求。”",
            "预算现在将提交市长，她表示预计在月底前签署。",
        ],
        [
            "Der Stadtrat billigt den neuen Haushalt für den Nahverkehr",
            "Der Stadtrat hat am Dienstag nach langer Debatte über Buslinien und Preise den "
            "neuen Haushalt für den Nahverkehr gebilligt.",
            "„Wir haben den Bürgern zugehört, und dieser Plan spiegelt ihre Wünsche wider“, "
            "sagte die Vorsitzende nach der Abstimmung.",
            "Der Haushalt geht nun an die Bürgermeisterin, die ihn bis Monatsende "
            "unterzeichnen will.",
        ],
    ],
)
def test_other_languages_lose_nothing(paragraphs: list[str]) -> None:
    doc = strip("\n\n".join(paragraphs) + "\n")
    assert doc.removed == []
    assert doc.title == paragraphs[0]
    assert doc.text == "\n\n".join(paragraphs)


def test_clean_article_loses_nothing() -> None:
    doc = strip(article("", "tail"))
    assert doc.removed == []
    assert doc.title == TITLE
    assert doc.paragraphs[0].role == "title"
    assert_body_kept(doc)


def test_hard_wrapped_paragraphs_are_joined_and_short_title_kept() -> None:
    import textwrap

    text = "Budget Passes\n\n" + "\n\n".join(textwrap.fill(p, 64) for p in BODY) + "\n"
    doc = strip(text)
    assert doc.title == "Budget Passes"
    assert doc.removed == []
    assert_body_kept(doc)
    for p in doc.paragraphs:
        assert p.source_start is not None and p.source_end is not None
        assert clean_line(text[p.source_start : p.source_end]) == doc.text[p.start : p.end]


def test_text_without_title_is_all_body() -> None:
    doc = strip("\n\n".join(BODY))
    assert doc.title is None
    assert [p.role for p in doc.paragraphs] == ["body"] * len(BODY)


@pytest.mark.parametrize("subhead", ["Fare Changes Ahead", "WHAT RIDERS NEED TO KNOW"])
def test_subhead_between_body_paragraphs_is_a_heading(subhead: str) -> None:
    doc = strip(article(subhead, "mid"))
    roles = {doc.text[p.start : p.end]: p.role for p in doc.paragraphs}
    assert roles[subhead] == "heading"


def test_bulleted_headlines_after_the_body_are_related_links() -> None:
    extra = "- New Ferry Line Opens To Island Commuters\n- Mayor Names Fresh Transit Chief"
    doc = strip(article(extra, "tail"))
    rules = {r.text: r.rule for r in doc.removed}
    assert rules["- New Ferry Line Opens To Island Commuters"] == "related_links"
    assert rules["- Mayor Names Fresh Transit Chief"] == "related_links"
    assert_body_kept(doc)


def test_embedded_tweet_signature_is_kept() -> None:
    extra = "— Metro Rider (@metrorider) March 3, 2024"
    doc = strip(article(extra, "mid"))
    assert extra in doc.text


def test_headline_between_boilerplate_is_removed() -> None:
    extra = "Read more:\n\nNew Ferry Line Opens To Island Commuters\n\nDownload the app"
    doc = strip(article(extra, "mid"))
    rules = {r.text: r.rule for r in doc.removed}
    assert rules["New Ferry Line Opens To Island Commuters"] == "related_links"
    assert_body_kept(doc)


def test_sentence_case_headline_inside_body_is_an_inline_link() -> None:
    doc = strip(article("Why the mayor wants to rethink the city's bus network now", "mid"))
    rules = {r.text: r.rule for r in doc.removed}
    assert rules["Why the mayor wants to rethink the city's bus network now"] == "related_links"


def test_standfirst_and_bullets_after_title() -> None:
    text = (
        f"{TITLE}\n\n"
        "• Council votes 7-2 for a plan that reshapes bus routes across the city\n"
        "• Mayor expected to sign the budget before the month ends\n\n" + "\n\n".join(BODY)
    )
    doc = strip(text)
    roles = [p.role for p in doc.paragraphs]
    assert roles[:3] == ["title", "standfirst", "standfirst"]
    assert_body_kept(doc)


@pytest.mark.parametrize(
    "line, byline, published",
    [
        ("By Jane Doe | March 3, 2024", "Jane Doe", "2024-03-03"),
        ("Source: : 2021-04-09 08:30:00 : Ann Lee", "Ann Lee", "2021-04-09T08:30:00"),
        ("Published 12 May 2023", None, "2023-05-12"),
        ("By Tom Park and Kim Cho", "Tom Park and Kim Cho", None),
    ],
)
def test_byline_lines_are_parsed(line: str, byline: str | None, published: str | None) -> None:
    assert parse_byline(line) == (byline, published)
    doc = strip(article(line, "after_title"))
    assert doc.byline == byline
    assert doc.published == published
    assert [r.rule for r in doc.removed] == ["byline"]


def test_body_sentence_with_date_is_not_a_byline() -> None:
    assert parse_byline(BODY[0]) is None


# --- files, encodings, offsets ------------------------------------------------------------


def run_dir(path: Path, **kw: bool) -> tuple[list[Document], list[InputError]]:
    """Documents and errors of one run over ``path``."""
    docs: list[Document] = []
    errs: list[InputError] = []
    for item in iter_documents(path, **kw):
        (errs if isinstance(item, InputError) else docs).append(item)  # type: ignore[arg-type]
    return docs, errs


ACCENTED = "Le maire a déclaré: « Nous irons à Zürich » — mais l’opposition refuse le projet."


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("utf-8", ACCENTED),
        ("utf-8-sig", ACCENTED),
        ("utf-16", ACCENTED),
        ("cp1252", "The mayor said “we will build it” and the café owner agreed – loudly."),
        ("latin-1", "Der Bürgermeister sagte, die Straße werde im Frühling für Fußgänger offen."),
        ("gb18030", "市长周二表示，新的公交预算将在春季开始实施，届时将招聘更多的司机。" * 3),
    ],
)
def test_encodings_decode_right(tmp_path: Path, encoding: str, text: str) -> None:
    body = "\n\n".join([text] * 4)
    (tmp_path / "a.txt").write_bytes(body.encode(encoding))
    docs, errs = run_dir(tmp_path)
    assert not errs
    assert text in docs[0].text


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Naïve résumé", "cp1252"),
        ("El niño pidió más años de paz.", "cp1252"),
        ("Grüße aus Köln, sagte er.", "latin-1"),
        ("Zażółć gęślą jaźń, powiedział minister.", "cp1250"),
        ("Привет, мир! Это новость.", "cp1251"),
        ("中文新闻报道，记者说。", "gb18030"),
    ],
)
def test_short_legacy_encodings(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding))[0] == text


def test_crlf_and_control_characters_keep_source_offsets(tmp_path: Path) -> None:
    raw = f"{TITLE}\r\n\r\n{BODY[0]}\x07\r\n\r\n{BODY[1]}\r\n\r\n{BODY[2]}\r\n"
    (tmp_path / "b.txt").write_bytes(raw.encode("utf-8"))
    docs, _ = run_dir(tmp_path)
    doc = docs[0]
    assert "\r" not in doc.text and "\x07" not in doc.text
    for p in doc.paragraphs:
        assert p.source_start is not None and p.source_end is not None
        assert clean_line(raw[p.source_start : p.source_end]) == doc.text[p.start : p.end]


def test_doc_ids_sources_and_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.txt").write_text(article("", "tail"), encoding="utf-8")
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(article("", "tail").encode()))
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    docs, errs = run_dir(tmp_path)
    assert not errs
    assert [d.doc_id for d in docs] == ["a", "sub/z"]
    assert [d.source for d in docs] == ["a.txt.gz", "sub/z.txt"]
    assert docs[0].format == "text"
    assert len(docs[0].sha256) == 64


def test_html_file(tmp_path: Path) -> None:
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    html = (
        "<html><head><title>Transit budget</title><meta name='author' content='Jane Doe'>"
        "<meta property='article:published_time' content='2024-03-03'></head><body>"
        "<nav><a href='/'>Home</a><a href='/news'>News</a></nav>"
        f"<article><h1>{TITLE}</h1>{paras}</article><footer>© Metro Daily</footer></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    docs, errs = run_dir(tmp_path)
    assert not errs
    doc = docs[0]
    assert doc.format == "html"
    assert doc.byline == "Jane Doe"
    assert doc.published == "2024-03-03"
    assert_body_kept(doc)
    located = [p for p in doc.paragraphs if p.source_start is not None]
    assert located, "paragraphs should be located in the HTML source"
    for p in located:
        assert p.source_end is not None
        assert doc.text[p.start : p.start + 10] in html[p.source_start : p.source_end]


def test_web_page_saved_as_txt_is_extracted_as_html(tmp_path: Path) -> None:
    paras = "".join(f"<p>{p}</p>" for p in BODY)
    page = (
        "<!DOCTYPE html><html><body><nav>Home | News</nav>"
        f"<article>{paras}</article></body></html>"
    )
    (tmp_path / "saved.txt").write_text(page, encoding="utf-8")
    docs, errs = run_dir(tmp_path)
    assert not errs
    assert docs[0].format == "html"
    assert "<p>" not in docs[0].text
    assert_body_kept(docs[0])


# --- JSONL ---------------------------------------------------------------------------------


def test_jsonl_records(tmp_path: Path) -> None:
    lines = [
        {"id": "x1", "text": article("", "tail"), "url": "https://example.org/a", "outlet": "Ex"},
        {"text": article("", "tail"), "published": "2024-01-02"},
        {"id": 7, "html": "<html><body><article>" + "".join(f"<p>{p}</p>" for p in BODY)
         + "</article></body></html>"},
    ]
    (tmp_path / "feed.jsonl").write_text(
        "\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8"
    )
    docs, errs = run_dir(tmp_path)
    assert not errs, [str(e) for e in errs]
    assert [d.doc_id for d in docs] == ["x1", "feed:2", "7"]
    assert [d.source for d in docs] == ["feed.jsonl:1", "feed.jsonl:2", "feed.jsonl:3"]
    assert all(d.format == "jsonl" for d in docs)
    assert docs[0].metadata == {"url": "https://example.org/a", "outlet": "Ex"}
    assert docs[1].published == "2024-01-02"
    assert_body_kept(docs[2])


@pytest.mark.parametrize(
    "line, expected",
    [
        ("{not json", "bad.jsonl:2: (line): not valid JSON"),
        ('["a list"]', "bad.jsonl:2: (line): expected a JSON object"),
        ('{"id": "q", "url": "u"}', "bad.jsonl:2: text: missing"),
        ('{"text": 42}', "bad.jsonl:2: text: expected a string"),
        ('{"text": "ok text", "url": 5}', "bad.jsonl:2: url: expected a string"),
        ('{"text": "   "}', "bad.jsonl:2: text: empty"),
    ],
)
def test_jsonl_bad_line_is_reported_and_the_rest_goes_on(
    tmp_path: Path, line: str, expected: str
) -> None:
    good = json.dumps({"text": article("", "tail")})
    (tmp_path / "bad.jsonl").write_text(f"{good}\n{line}\n{good}\n", encoding="utf-8")
    docs, errs = run_dir(tmp_path)
    assert len(docs) == 2
    assert len(errs) == 1
    assert str(errs[0]).startswith(expected), str(errs[0])


# --- bad inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("doc.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("blob.txt", bytes(range(256)) * 8, "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n\t\n", "empty"),
        ("cut.txt.gz", gzip.compress(b"hello world " * 100)[:40], "gzip"),
        ("nothing.html", b"<html><body><script>var a=1;</script></body></html>", "no article"),
    ],
)
def test_bad_input_yields_error_and_iteration_goes_on(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "zz_good.txt").write_text(article("", "tail"), encoding="utf-8")
    docs, errs = run_dir(tmp_path)
    assert [d.doc_id for d in docs] == ["zz_good"]
    assert len(errs) == 1 and errs[0].path == name
    assert words.lower() in errs[0].message.lower(), errs[0].message


def test_decode_bytes_rejects_bare_utf16_and_nul() -> None:
    with pytest.raises(ValueError, match="NUL"):
        decode_bytes("plain".encode("utf-16-le"))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlinks_outside_and_loops(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text(article("", "tail"), encoding="utf-8")
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(article("", "tail"), encoding="utf-8")
    (root / "ext.txt").symlink_to(outside / "o.txt")
    (root / "extdir").symlink_to(outside, target_is_directory=True)
    (root / "loop").symlink_to(root, target_is_directory=True)
    docs, errs = run_dir(root)
    assert [d.doc_id for d in docs] == ["a"]
    assert sorted(e.path for e in errs) == ["ext.txt", "extdir"]
    assert "follow" in errs[0].message
    docs, errs = run_dir(root, follow_symlinks=True)
    assert sorted(d.doc_id for d in docs) == ["a", "ext", "extdir/o"]
    assert not errs


# --- the seed articles -----------------------------------------------------------------------

# Lines of each seed that are boilerplate (by their opening words) and the rule expected.
SEED_BOILERPLATE: dict[str, dict[str, str]] = {
    "000_1555e0d70ecd6a1e": {
        "Type to search": "navigation",
        "Russian President Vladimir Putin attends": "caption",
        "China and Russia have said the aim": "caption",
        "Also on AF:": "promo",
        "• Reuters with additional editing": "credit",
        "Read more:": "related_links",
        "US Blacklists China Firms": "related_links",
        "China Carmakers Claim": "related_links",
        "China Exports to Russia Soar": "related_links",
        "Sean O'Meara": "author_bio",
        "Sean O'Meara is an Editor": "author_bio",
        "AF China Bond": "site_footer",
    },
    "001_32bfd051c8bb22e6": {"Read More": "related_links", "Leave a Reply": "comment_form"},
    "002_0126173ee6353fbf": {
        "Support The Moscow Times!": "donation_appeal",
        "Washington hopes Beijing can use its influence on Putin. Alexei": "caption",
        "… we have a small favor": "donation_appeal",
        "As you may have heard": "donation_appeal",
        "We, the journalists": "donation_appeal",
        "Your support, no matter": "donation_appeal",
        "Continue": "call_to_action",
        "Read more": "related_links",
    },
    "003_08baf35a85005fd2": {
        "Xi Jinping": "topic_tags",
        "Get more with myNEWS": "call_to_action",
        "A personalised news feed": "navigation",
        "Learn more": "call_to_action",
        "Russian President Vladimir Putin and Chinese": "caption",
        "Russia admits to world": "related_links",
        "Moscow expecting nothing good": "related_links",
        "Why China-Russia relations": "related_links",
        "This article appeared in the South China Morning Post": "print_edition_note",
    },
    "004_4e1df69c43bbffa6": {
        "Source: : 2022-06-15": "byline",
        "Read the original article": "syndication_note",
        "Leave a Reply": "comment_form",
        "Your email address will not be published": "comment_form",
    },
}


@pytest.mark.parametrize("doc_id", sorted(SEED_BOILERPLATE))
def test_seed_boilerplate_gone_and_no_sentence_lost(doc_id: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip("corpus/ is absent")
    docs = {d.doc_id: d for d in iter_documents(CORPUS) if isinstance(d, Document)}
    doc = docs[doc_id]
    expected = SEED_BOILERPLATE[doc_id]
    source = (CORPUS / doc.source).read_text(encoding="utf-8")
    kept = {doc.text[p.start : p.end] for p in doc.paragraphs}
    removed = {r.text: r.rule for r in doc.removed}
    for raw in source.splitlines():
        line = clean_line(raw)
        if not line:
            continue
        rules = [rule for lead, rule in expected.items() if line.startswith(lead)]
        if rules:
            assert line in removed, f"boilerplate kept: {line[:80]!r}"
            assert removed[line] in rules, f"{line[:60]!r}: rule {removed[line]}, want {rules}"
        else:
            assert line in kept, f"article text lost: {line[:80]!r} ({removed.get(line)})"


def test_seed_self_references_are_handed_on() -> None:
    if not CORPUS.is_dir():
        pytest.skip("corpus/ is absent")
    docs = {d.doc_id: d for d in iter_documents(CORPUS) if isinstance(d, Document)}
    assert docs["004_4e1df69c43bbffa6"].byline == "Chris Buckley"
    assert docs["004_4e1df69c43bbffa6"].published == "2022-06-15T13:16:31"
    assert docs["000_1555e0d70ecd6a1e"].title is not None
    for d in docs.values():
        for r in d.removed:
            assert r.source_start is not None and r.source_end is not None


# --- the article-extraction-benchmark floor ----------------------------------------------------


def test_aeb_f1_floor(aeb_dir: Path) -> None:
    script = ROOT / "scripts" / "bench_strip.py"
    spec = importlib.util.spec_from_file_location("bench_strip", script)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    truth = json.loads((aeb_dir / "ground-truth.json").read_text(encoding="utf-8"))
    rows = []
    for key, value in sorted(truth.items()):
        raw = gzip.decompress((aeb_dir / "html" / f"{key}.html.gz").read_bytes())
        html, _ = decode_bytes(raw)
        rows.append(bench.match(value.get("articleBody", ""), bench.ours(html)))
    m = bench.metrics(rows)
    assert len(rows) == 181
    assert m["f1"] >= AEB_F1_FLOOR, m


# --- fuzzing -------------------------------------------------------------------------------------


_LINES = st.lists(
    st.one_of(
        st.sampled_from(BODY + [TITLE, "Read more", "Photo: AP", "", "  ", "\r", "• Bullet point"]),
        st.text(min_size=0, max_size=80),
    ),
    min_size=0,
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(lines=_LINES, sep=st.sampled_from(["\n", "\n\n", "\r\n", "\r\n\r\n"]))
def test_any_text_gives_a_valid_document_or_a_clear_error(lines: list[str], sep: str) -> None:
    source = sep.join(lines)
    try:
        doc = strip(source)
    except ValueError as exc:
        assert str(exc)
        return
    for p in doc.paragraphs:
        assert p.source_start is not None and p.source_end is not None
        assert clean_line(source[p.source_start : p.source_end]) == doc.text[p.start : p.end]
    for r in doc.removed:
        assert r.source_start is not None and r.source_end is not None
        assert clean_line(source[r.source_start : r.source_end]) == r.text
