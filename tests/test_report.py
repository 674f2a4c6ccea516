"""The HTML report: escaping, nesting, charts, and the page in a real headless browser."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.api import document_from_text
from pipeline.io import write_records
from pipeline.report import Span, colour, load, render, render_spans, write_report
from schemas.models import Attribution, Cue, Document, Outlet, Quote, Speaker, Via

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = Path("/tmp/quotetrail-report.png")

TEXT_A = (
    'Xi & Putin <talk> "peace"\n\n'
    "“The road to peace talks will not be smooth,” Xi said, according to state broadcaster "
    "CCTV.\n\n"
    "“We <script>alert(1)</script> & ‘friends’ agree,” Putin told reporters. "
    "A senior U.S. official said the call was “a show of unity” 🤝.\n\n"
    "“It isn't,” he added."
)
TEXT_B = "No quotes here, only <b>markup</b> & an ampersand.\n"
TEXT_C = "Acme Corp said it would appeal. “We disagree,” said Jane O'Neil, the firm's counsel."


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) of the ``nth`` occurrence of ``sub`` in ``text``."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(sub, pos + 1)
    return pos, pos + len(sub)


def nearest(text: str, sub: str, start: int, end: int) -> int:
    """The start of the occurrence of ``sub`` nearest to ``start..end``."""
    hits = [i for i in range(len(text)) if text.startswith(sub, i)]
    return min(hits, key=lambda i: min(abs(i - end), abs(i + len(sub) - start)))


def make_quote(
    doc: Document,
    qid: str,
    content: str,
    speaker: tuple[str, str | None, str] | None,
    cue: str | None,
    kind: str = "direct",
    via: tuple[str, str, str] | None = None,
    publisher: str | None = "Asia Financial",
    nth: int = 0,
) -> Quote:
    """A Quote on ``doc``: content, (mention, name, kind), cue and (text, name, kind) via."""
    text = doc.text
    s, e = at(text, content, nth)
    sp = None
    if speaker is not None:
        mention, name, skind = speaker
        ms = nearest(text, mention, s, e)
        me = ms + len(mention)
        sp = Speaker(
            text=mention,
            start=ms,
            end=me,
            name=name,
            kind=skind,
            resolved_by="mention",  # type: ignore[arg-type]
        )
    cu = None
    if cue is not None:
        cs = nearest(text, cue, s, e)
        ce = cs + len(cue)
        cu = Cue(text=cue, lemma=cue.split()[0].rstrip("sd") or cue, start=cs, end=ce)
    v = None
    if via is not None:
        vtext, vname, vkind = via
        vs, ve = at(text, vtext)
        v = Via(name=vname, kind=vkind, text=vtext, start=vs, end=ve)  # type: ignore[arg-type]
    q = Quote(
        doc_id=doc.doc_id,
        quote_id=qid,
        kind=kind,  # type: ignore[arg-type]
        text=content,
        start=s,
        end=e,
        sentences=[],
        speaker=sp,
        cue=cu,
        confidence=0.9,
        outlet=Outlet(publisher=publisher, wire=None, via=v),
    )
    # Every hand-made record must satisfy the contract against its article.
    Quote.model_validate(q.model_dump(), context={"text": text})
    return q


def sample_records() -> tuple[list[Document], list[Quote]]:
    """Three articles with tricky text (markup, ampersands, emoji) and their quotes."""
    a = document_from_text("world/a<&>", TEXT_A, {"url": "https://af.example/a"}, "Xi & Putin")
    b = document_from_text("b", TEXT_B)
    c = document_from_text("c", TEXT_C, title="Acme <appeal>")
    quotes = [
        make_quote(
            a,
            "q1",
            "The road to peace talks will not be smooth,",
            ("Xi", "Xi Jinping", "person"),
            "said",
            via=("state broadcaster CCTV", "CCTV", "broadcaster"),
        ),
        make_quote(
            a,
            "q2",
            "We <script>alert(1)</script> & ‘friends’ agree,",
            ("Putin", "Vladimir Putin", "person"),
            "told",
        ),
        make_quote(
            a,
            "q3",
            "the call was “a show of unity”",
            ("A senior U.S. official", None, "anonymous"),
            "said",
            kind="indirect",
        ),
        # A partial quote inside the indirect one: nested highlights.
        make_quote(
            a,
            "q4",
            "a show of unity",
            ("A senior U.S. official", None, "anonymous"),
            "said",
            kind="partial",
        ),
        make_quote(a, "q5", "It isn't,", ("he", "Vladimir Putin", "person"), "added"),
        make_quote(
            c,
            "q1",
            "it would appeal",
            ("Acme Corp", "Acme Corp", "organization"),
            "said",
            kind="indirect",
            publisher=None,
        ),
        make_quote(
            c, "q2", "We disagree,", ("Jane O'Neil", "Jane O'Neil", "person"), "said", nth=0
        ),
    ]
    return [a, b, c], quotes


def write_sample(out: Path, stage_file: str = "quotes") -> tuple[list[Document], list[Quote]]:
    """Write the sample as a run's output under ``out``."""
    docs, quotes = sample_records()
    write_records(out / "documents.jsonl", docs)
    if stage_file == "quotes":
        write_records(out / "quotes.jsonl", quotes)
    else:
        atts = [
            Attribution(**{k: v for k, v in q.model_dump().items() if k != "outlet"})
            for q in quotes
        ]
        write_records(out / "attributions.jsonl", atts)
    return docs, quotes


class _Marks(HTMLParser):
    """Collect the text inside each data-qid mark (nested and split marks included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.text: dict[str, list[str]] = defaultdict(list)
        self.elements: dict[str, int] = defaultdict(int)
        self.urls: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href"):
            if a.get(key):
                self.urls.append(str(a[key]))
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            qid = a.get("data-qid")
            self.stack.append(qid)
            if qid:
                self.elements[qid] += 1
        elif tag not in ("br", "meta"):
            self.stack.append(None)

    def handle_endtag(self, tag: str) -> None:
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for qid in {q for q in self.stack if q}:
            self.text[qid].append(data)


def test_render_spans_escapes_and_nests() -> None:
    text = "a <b> & “c” d"
    spans = [
        Span(0, 7, 0, "mark", (("data-qid", "x"),)),
        Span(4, 13, 0, "mark", (("data-qid", "y"),)),  # crosses x: split in two pieces
        Span(2, 5, 1, "span", (("class", "m-cue"),)),
    ]
    out = render_spans(text, spans)
    assert "<b>" not in out and "&lt;b" in out and "&amp;" in out
    p = _Marks()
    p.feed(out)
    assert "".join(p.text["x"]) == text[0:7]
    assert "".join(p.text["y"]) == text[4:13]
    assert p.elements["y"] == 3  # split where it crosses the cue and x
    plain = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert plain == text


def test_colour_is_stable_and_grey_without_name() -> None:
    assert colour("Xi Jinping") == colour("Xi Jinping")
    assert colour("Xi Jinping") != colour("Vladimir Putin")
    assert colour(None) == colour("")


@pytest.mark.parametrize("stage_file", ["quotes", "attributions"])
def test_report_highlights_every_quote(tmp_path: Path, stage_file: str) -> None:
    _, quotes = write_sample(tmp_path / "out", stage_file)
    data = write_report(tmp_path / "out", tmp_path / "report.html")
    assert data.problems == []
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    p = _Marks()
    p.feed(page)
    expected = {f"{q.doc_id}#{q.quote_id}": q.text for q in quotes}
    assert {k: "".join(v) for k, v in p.text.items()} == expected
    # Self-contained: the only links are in-page anchors, one inline script, no fetches.
    assert all(u.startswith("#") for u in p.urls), p.urls
    assert p.scripts == 1
    assert "<script>alert" not in page and "url(" not in page and "@import" not in page
    assert "Who is quoted most" in page
    assert ("Quotes by publisher" in page) == (stage_file == "quotes")


def test_report_reads_shards_and_reports_bad_spans(tmp_path: Path) -> None:
    docs, quotes = sample_records()
    write_records(tmp_path / "documents" / "part-0.jsonl", docs)
    bad = quotes[0].model_copy(update={"start": quotes[0].start + 1, "end": quotes[0].end + 1})
    write_records(tmp_path / "quotes" / "part-0.jsonl", [bad, *quotes[1:]])
    data = load(tmp_path)
    assert len(data.documents) == 3 and sum(len(v) for v in data.quotes.values()) == 7
    page = render(data)
    assert any("quote offsets" in p for p in data.problems)
    assert "Problems (1)" in page


# -- the page in a real browser -------------------------------------------------------------

CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1800",
)


def _chromium() -> tuple[str, str]:
    """Paths of chromium and chromedriver, installing them once; skip when impossible."""
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (os.access(browser, os.X_OK) and os.access(driver, os.X_OK)):
        script = ROOT / "scripts" / "install_browser.sh"
        subprocess.run(["sh", str(script)], check=False, timeout=900)
        browser = shutil.which("chromium") or "/usr/bin/chromium"
        driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (os.access(browser, os.X_OK) and os.access(driver, os.X_OK)):
        pytest.skip(
            "chromium and chromium-driver are not installed and scripts/install_browser.sh "
            "could not install them (needs root and the Debian package index)"
        )
    return browser, driver


@pytest.fixture(scope="module")
def browser() -> Any:
    """A headless chromium driven by selenium, with its console log kept; skip when absent."""
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed: pip install -e '.[dev]'"
    )
    from selenium.webdriver.chrome.service import Service

    chrome, chromedriver = _chromium()
    profile = tempfile.mkdtemp(prefix="quotetrail-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_report_in_browser(tmp_path: Path, browser: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    _, quotes = write_sample(tmp_path / "out")
    page = tmp_path / "report.html"
    write_report(tmp_path / "out", page, title="quotetrail <sample> & co")
    browser.get(page.as_uri())
    assert browser.title == "quotetrail <sample> & co"

    # Highlights: one (or more, when split) mark per quote, whose text is the quote.
    found = browser.execute_script(
        "var r = {}; document.querySelectorAll('mark.q').forEach(function (m) {"
        "  var q = m.dataset.qid; r[q] = r[q] || {n: 0, text: '', speaker: m.dataset.speaker};"
        "  r[q].n += 1; r[q].text += m.textContent; }); return r;"
    )
    expected = {f"{q.doc_id}#{q.quote_id}": q for q in quotes}
    assert set(found) == set(expected)
    for qid, q in expected.items():
        assert found[qid]["text"] == q.text, qid
        assert found[qid]["speaker"] == (q.speaker.name or f"{q.speaker.text} ({q.speaker.kind})")
    # The article text in the page is the clean text, markup shown as text, not run.
    texts = browser.execute_script(
        "return Array.from(document.querySelectorAll('article .text')).map(e => e.textContent)"
    )
    assert texts[0].replace("\r\n", "\n") == TEXT_A
    assert browser.execute_script("return typeof window.alert === 'function'")

    # Hovering a quote shows its speaker, cue and via in the hover card.
    mark = browser.find_element(By.CSS_SELECTOR, 'mark.q[data-qid="world/a<&>#q1"]')
    assert "speaker: Xi Jinping" in mark.get_attribute("title")
    assert "via: CCTV (broadcaster)" in mark.get_attribute("title")
    ActionChains(browser).move_to_element(mark).perform()
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed()
    assert "speaker: Xi Jinping" in tip.text and "via: CCTV" in tip.text
    side = browser.find_element(By.CSS_SELECTOR, 'li[data-qid="world/a<&>#q1"]')
    assert "hot" in side.get_attribute("class")

    # The side lists name every speaker.
    side_text = " ".join(e.text for e in browser.find_elements(By.CSS_SELECTOR, "ol.quotes li"))
    for name in (
        "Xi Jinping",
        "Vladimir Putin",
        "A senior U.S. official (anonymous)",
        "Jane O'Neil",
    ):
        assert name in side_text
    # Clicking a speaker's bar shows only that speaker's quotes; the banner clears it.
    bar = browser.find_element(By.CSS_SELECTOR, 'g.bar[data-value="Vladimir Putin"]')
    ActionChains(browser).move_to_element(bar).click().perform()
    kept = browser.execute_script(
        "return Array.from(document.querySelectorAll('mark.q.keep')).map(m => m.dataset.qid)"
    )
    assert sorted(kept) == ["world/a<&>#q2", "world/a<&>#q5"]
    visible = [
        li for li in browser.find_elements(By.CSS_SELECTOR, "ol.quotes li") if li.is_displayed()
    ]
    assert len(visible) == 2
    banner = browser.find_element(By.ID, "filter")
    assert banner.is_displayed() and "Vladimir Putin" in banner.text
    browser.save_screenshot(str(SCREENSHOT.with_name("quotetrail-report-filtered.png")))
    banner.click()
    assert not banner.is_displayed()
    assert browser.execute_script("return document.querySelectorAll('mark.q.keep').length") == 0
    # The side list's "only" button filters the same way.
    browser.find_element(By.CSS_SELECTOR, 'li[data-qid="c#q2"] button.only').click()
    assert browser.execute_script(
        "return Array.from(document.querySelectorAll('mark.q.keep')).map(m => m.dataset.qid)"
    ) == ["c#q2"]
    banner.click()

    # The summary: charts drawn, anonymous share shown.
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4
    assert browser.find_element(By.ID, "anon-share").text == "28.6%"

    # No console errors (a blocked fetch or a CSP violation would be one).
    logs = browser.get_log("browser")
    assert [e for e in logs if e["level"] == "SEVERE"] == []

    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(max(int(height) + 40, 900), 6000))
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    shutil.copyfile(shot, SCREENSHOT)
    assert shot.stat().st_size > 10_000


def test_report_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipeline.cli import app

    write_sample(tmp_path / "out")
    runner = CliRunner()
    res = runner.invoke(app, ["report", str(tmp_path / "out"), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    res = runner.invoke(app, ["report", str(tmp_path / "missing")])
    assert res.exit_code == 2
    for command in ("report", "eval", "import-brat", "export-labelstudio", "import-labelstudio"):
        res = runner.invoke(app, [command, "--help"])
        assert res.exit_code == 0 and "Example: quotetrail " + command in res.output, command


CORPUS_SHOT = Path("/tmp/quotetrail-report-corpus.png")


def test_report_of_the_corpus_in_browser(tmp_path: Path, browser: Any) -> None:
    from pipeline.runner import run

    result = run(ROOT / "corpus", tmp_path / "out")
    if result.errors:
        pytest.skip(f"the pipeline failed on the corpus: {result.errors[0].message[:200]}")
    data = write_report(tmp_path / "out", tmp_path / "report.html")
    assert data.problems == []
    browser.get((tmp_path / "report.html").as_uri())
    found = browser.execute_script(
        "var r = {}; document.querySelectorAll('mark.q').forEach(function (m) {"
        "  r[m.dataset.qid] = (r[m.dataset.qid] || '') + m.textContent; }); return r;"
    )
    expected = {f"{q.doc_id}#{q.quote_id}": q.text for recs in data.quotes.values() for q in recs}
    assert found == expected
    side = browser.execute_script("return document.querySelectorAll('ol.quotes li').length")
    assert side == len(expected)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    browser.set_window_size(1400, 1800)
    assert browser.save_screenshot(str(CORPUS_SHOT))


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab <>&\"'“”\n🤝é")), max_size=40),
    raw=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 1)), max_size=6),
)
def test_render_spans_property(text: str, raw: list[tuple[int, int, int]]) -> None:
    """Any spans, crossing or nested: each span's pieces spell its text, the page the text."""
    spans = [
        Span(min(a, b), max(a, b), rank, "mark", (("data-qid", f"s{i}"),))
        for i, (a, b, rank) in enumerate(raw)
        if min(a, b) < max(a, b) <= len(text)
    ]
    out = render_spans(text, spans)
    p = _Marks()
    p.feed(out)
    p.close()
    for s in spans:
        assert "".join(p.text[dict(s.attrs)["data-qid"]]) == text[s.start : s.end]
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert out.count("<mark") == out.count("</mark>")
