"""One self-contained HTML page of a run's output: every quote highlighted in its article.

``quotetrail report out/ -o report.html`` reads ``documents.jsonl`` and ``quotes.jsonl`` (or
``attributions.jsonl`` when the tag stage has not run), in either layout, and writes a single
static page: no CDN, no network (a Content-Security-Policy forbids every fetch), inline CSS,
inline SVG charts drawn here in Python, and a few lines of inline JavaScript for the hover
card. Each quote is a ``<mark class="q">`` coloured by its canonical speaker (the colour is a
hash of the name, so it is the same in every report); its speaker, cue, kind, via and
publisher are in the mark's ``title`` and ``data-*`` attributes and in the side list beside
the article. The article text keeps its line breaks (``white-space: pre-wrap``), so the
page's text is the clean text of documents.jsonl, character for character.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.io import AtomicWriter, BadRecord, UsageError, read_stage, stage_files
from schemas.models import Attribution, Document, Quote

log = logging.getLogger(__name__)

#: Bars drawn per chart; the rest are summed into one "others" bar.
TOP_N = 15
NO_SPEAKER = "(no speaker)"
NO_VIA = "(none: told to the publisher)"
UNKNOWN_PUBLISHER = "(unknown publisher)"


@dataclass
class ReportData:
    """What the report shows: articles in input order, their quotes, and reading problems."""

    documents: list[Document]
    quotes: dict[str, list[Attribution]]
    problems: list[str] = field(default_factory=list)
    has_outlets: bool = False


def load(out_dir: Path) -> ReportData:
    """Read documents and quotes (or attributions) from a run's output in either layout."""
    if not stage_files(out_dir, "strip"):
        raise UsageError(f"{out_dir} holds no documents.jsonl (or documents/ shards) to report on")
    documents: list[Document] = []
    problems: list[str] = []
    for item in read_stage(out_dir, "strip"):
        if isinstance(item, BadRecord):
            problems.append(str(item))
        else:
            assert isinstance(item, Document)
            documents.append(item)
    stage = "tag" if stage_files(out_dir, "tag") else "attribute"
    quotes: dict[str, list[Attribution]] = {}
    for item in read_stage(out_dir, stage):
        if isinstance(item, BadRecord):
            problems.append(str(item))
        else:
            assert isinstance(item, Attribution)
            quotes.setdefault(item.doc_id, []).append(item)
    known = {d.doc_id for d in documents}
    for doc_id in sorted(set(quotes) - known):
        problems.append(
            f"{len(quotes[doc_id])} quote(s) of {doc_id!r}, an article not in documents"
        )
    for recs in quotes.values():
        recs.sort(key=lambda q: (q.start, q.end))
    return ReportData(documents, quotes, problems, has_outlets=stage == "tag")


# -- labels and colours ---------------------------------------------------------------------


def speaker_label(q: Attribution) -> str:
    """The name a reader sees for a quote's speaker: canonical name, else mention and kind."""
    s = q.speaker
    if s is None:
        return NO_SPEAKER
    if s.name:
        return s.name
    return f"{s.text} ({s.kind})"


def speaker_key(q: Attribution) -> str | None:
    """What the colour is keyed on: the canonical name, or None for no name."""
    return q.speaker.name if q.speaker is not None and q.speaker.name else None


def colour(name: str | None) -> tuple[str, str]:
    """(background, border) CSS colours for a speaker: stable across runs, grey for no name."""
    if not name:
        return "#e0e0e0", "#757575"
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") % 360
    light = 78 + digest[2] % 10
    return f"hsl({hue}, 85%, {light}%)", f"hsl({hue}, 65%, 35%)"


def publisher_of(q: Attribution) -> str | None:
    """The quote's publisher, when the tag stage has run."""
    return q.outlet.publisher if isinstance(q, Quote) else None


def via_of(q: Attribution) -> str | None:
    """The outlet or channel a quote was relayed through, when the tag stage has run."""
    if isinstance(q, Quote) and q.outlet.via is not None:
        return q.outlet.via.name
    return None


def details(q: Attribution) -> list[tuple[str, str]]:
    """The (field, value) pairs shown in the tooltip and the side list."""
    s = q.speaker
    rows = [
        ("speaker", speaker_label(q)),
        ("mention", f"“{s.text}” ({s.kind}, by {s.resolved_by})" if s is not None else "—"),
        ("cue", q.cue.text if q.cue is not None else "—"),
        ("kind", q.kind),
    ]
    if isinstance(q, Quote):
        via = q.outlet.via
        rows.append(("via", f"{via.name} ({via.kind})" if via is not None else "—"))
        rows.append(("publisher", q.outlet.publisher or "—"))
        if q.outlet.wire:
            rows.append(("wire", q.outlet.wire))
    rows.append(("confidence", f"{q.confidence:.2f}"))
    return rows


# -- article text with nested highlights ----------------------------------------------------


@dataclass(frozen=True)
class Span:
    """One highlighted stretch of an article: an element name, its attributes, its offsets."""

    start: int
    end: int
    rank: int  # among spans with the same offsets, the lower rank is the outer element
    tag: str
    attrs: tuple[tuple[str, str], ...]


def _open(span: Span, first: bool) -> str:
    attrs = "".join(
        f' {k}="{html.escape(v, quote=True)}"' for k, v in span.attrs if first or k != "id"
    )
    return f"<{span.tag}{attrs}>"


def render_spans(text: str, spans: Iterable[Span]) -> str:
    """HTML of ``text`` with every span as an element, escaped, nested properly.

    A span that crosses another is split into several elements with the same attributes (the
    ``id`` goes on the first piece only), so the concatenated text of a span's elements is
    always ``text[start:end]``.
    """
    ordered = sorted(
        (s for s in spans if 0 <= s.start < s.end <= len(text)),
        key=lambda s: (s.start, -s.end, s.rank),
    )
    bounds = sorted({0, len(text)} | {s.start for s in ordered} | {s.end for s in ordered})
    starts: dict[int, list[Span]] = {}
    for s in ordered:
        starts.setdefault(s.start, []).append(s)
    parts: list[str] = []
    stack: list[Span] = []
    opened: set[Span] = set()
    for i, pos in enumerate(bounds):
        # Close what ends here; anything above it on the stack is closed and reopened after.
        if any(s.end == pos for s in stack):
            reopen: list[Span] = []
            while stack:
                top = stack.pop()
                parts.append(f"</{top.tag}>")
                if top.end != pos:
                    reopen.append(top)
                if not any(s.end == pos for s in stack):
                    break
            for s in reversed(reopen):
                parts.append(_open(s, first=False))
                stack.append(s)
        for s in starts.get(pos, []):
            parts.append(_open(s, first=s not in opened))
            opened.add(s)
            stack.append(s)
        if i + 1 < len(bounds):
            parts.append(html.escape(text[pos : bounds[i + 1]], quote=False))
    return "".join(parts)


def _span_ok(text: str, start: int, end: int, expected: str) -> bool:
    return 0 <= start <= end <= len(text) and text[start:end] == expected


def quote_spans(
    document: Document, quotes: Sequence[Attribution], problems: list[str]
) -> list[Span]:
    """The spans to highlight in one article: quotes, and the speaker, cue and via mentions."""
    text = document.text
    spans: list[Span] = []
    for q in quotes:
        qid = f"{document.doc_id}#{q.quote_id}"
        if not _span_ok(text, q.start, q.end, q.text):
            problems.append(f"{qid}: quote offsets {q.start}..{q.end} do not match the article")
            continue
        bg, border = colour(speaker_key(q))
        tip = "\n".join(f"{k}: {v}" for k, v in details(q))
        attrs = [
            ("id", f"m-{_anchor(qid)}"),
            ("class", f"q q-{q.kind}"),
            ("data-qid", qid),
            ("data-speaker", speaker_label(q)),
            ("data-cue", q.cue.text if q.cue else ""),
            ("data-kind", q.kind),
            ("data-via", via_of(q) or ""),
            ("data-publisher", publisher_of(q) or ""),
            ("style", f"background:{bg};border-bottom-color:{border}"),
            ("title", tip),
        ]
        spans.append(Span(q.start, q.end, 0, "mark", tuple(attrs)))
        for label, part in (("speaker", q.speaker), ("cue", q.cue)):
            if part is None:
                continue
            if _span_ok(text, part.start, part.end, part.text):
                spans.append(
                    Span(
                        part.start,
                        part.end,
                        1,
                        "span",
                        (
                            ("class", f"m-{label}"),
                            ("data-for", qid),
                            ("title", f"{label} of {qid}"),
                        ),
                    )
                )
            else:
                problems.append(f"{qid}: {label} offsets do not match the article")
        if isinstance(q, Quote) and q.outlet.via is not None:
            v = q.outlet.via
            if _span_ok(text, v.start, v.end, v.text):
                spans.append(
                    Span(
                        v.start,
                        v.end,
                        1,
                        "span",
                        (("class", "m-via"), ("data-for", qid), ("title", f"via {v.name}")),
                    )
                )
            else:
                problems.append(f"{qid}: via offsets do not match the article")
    return spans


def _anchor(value: str) -> str:
    """A token safe in an id and a URL fragment, unique per value."""
    return base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii").rstrip("=")


# -- charts ---------------------------------------------------------------------------------


def _filter_attr(filter_by: str | None, label: str) -> str:
    if filter_by is None or _is_others(label):
        return ""
    return f' data-filter="{html.escape(filter_by)}" data-value="{html.escape(label)}"'


def _is_others(label: str) -> bool:
    return label.startswith("(") and label.endswith(" others)")


def top_counts(counter: Counter[str], n: int = TOP_N) -> list[tuple[str, int]]:
    """The ``n`` largest counts (ties by name), the rest summed into an "others" row."""
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(rows) > n:
        rest = sum(v for _, v in rows[n - 1 :])
        others = len(rows) - (n - 1)
        rows = rows[: n - 1] + [(f"({others} others)", rest)]
    return rows


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, int]],
    colours: Sequence[str] = (),
    filter_by: str | None = None,
) -> str:
    """A horizontal bar chart as inline SVG, with a <title> on every bar for hovering.

    With ``filter_by`` (a data attribute of the quote marks, e.g. "speaker"), clicking a bar
    shows only the quotes whose attribute is the bar's label.
    """
    esc = html.escape
    label_w, bar_w, row_h, pad = 230, 300, 22, 6
    width = label_w + bar_w + 60
    height = pad * 2 + 24 + row_h * max(len(rows), 1)
    # The "others" row would dwarf the named ones: scale on those, and clip it.
    named = [v for label, v in rows if not _is_others(label)]
    top = max(named or [v for _, v in rows] or [0]) or 1
    total = sum(v for _, v in rows) or 1
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(title)}">',
        f'<text x="0" y="16" class="chart-title">{esc(title)}</text>',
    ]
    if not rows:
        out.append(f'<text x="0" y="{24 + pad + 14}" class="chart-empty">no data</text>')
    for i, (label, value) in enumerate(rows):
        y = 24 + pad + i * row_h
        w = max(1, min(bar_w, round(bar_w * value / top)))
        fill = colours[i] if i < len(colours) else "#5c7cfa"
        if _is_others(label):
            fill = "#ced4da"
        short = label if len(label) <= 34 else label[:33] + "…"
        share = 100 * value / total
        out.append(
            f'<g class="bar"{_filter_attr(filter_by, label)}>'
            f"<title>{esc(label)}: {value} ({share:.1f}%)</title>"
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{esc(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" '
            f'fill="{esc(fill)}"/>'
            f'<text x="{label_w + w + 5}" y="{y + 15}">{value}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Summary:
    """The counts behind the summary charts."""

    total: int
    speakers: Counter[str]
    speaker_names: dict[str, str | None]
    publishers: Counter[str]
    vias: Counter[str]
    speaker_kinds: Counter[str]

    @property
    def anonymous(self) -> int:
        """How many quotes have an anonymous speaker."""
        return self.speaker_kinds.get("anonymous", 0)


def summarise(quotes: Iterable[Attribution]) -> Summary:
    """Count quotes by speaker, publisher, via and speaker kind."""
    speakers: Counter[str] = Counter()
    names: dict[str, str | None] = {}
    publishers: Counter[str] = Counter()
    vias: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    total = 0
    for q in quotes:
        total += 1
        label = speaker_label(q)
        speakers[label] += 1
        names[label] = speaker_key(q)
        publishers[publisher_of(q) or UNKNOWN_PUBLISHER] += 1
        vias[via_of(q) or NO_VIA] += 1
        kinds[q.speaker.kind if q.speaker is not None else "none"] += 1
    return Summary(total, speakers, names, publishers, vias, kinds)


def summary_html(summary: Summary, has_outlets: bool) -> str:
    """The summary section: headline figures and the bar charts."""
    n = summary.total
    anon = summary.anonymous
    share = f"{100 * anon / n:.1f}%" if n else "—"
    named = sum(v for k, v in summary.speaker_kinds.items() if k not in ("anonymous", "none"))
    speakers = top_counts(summary.speakers)
    speaker_colours = [colour(summary.speaker_names.get(label))[1] for label, _ in speakers]
    kind_rows = top_counts(summary.speaker_kinds)
    kind_colours = ["#e8590c" if k == "anonymous" else "#868e96" for k, _ in kind_rows]
    parts = [
        '<section id="summary"><h2>Summary</h2>',
        '<p class="figures">',
        f'<span><b id="n-quotes">{n}</b> quotes</span>',
        f"<span><b>{len(summary.speakers)}</b> speakers</span>",
        f'<span>anonymous sources: <b id="anon-share">{share}</b> ({anon} of {n})</span>',
        f"<span>with a speaker mention: <b>{named + anon}</b></span>",
        "</p>",
        '<div class="charts">',
        bar_chart(
            "Who is quoted most (click a bar to filter)", speakers, speaker_colours, "speaker"
        ),
        bar_chart("Speakers by kind (anonymous share)", kind_rows, kind_colours),
    ]
    if has_outlets:
        parts.append(bar_chart("Quotes by publisher", top_counts(summary.publishers)))
        relayed = Counter({k: v for k, v in summary.vias.items() if k != NO_VIA})
        title = f"Quotes by via (outlet or channel): {sum(relayed.values())} of {n} relayed"
        parts.append(bar_chart(title, top_counts(relayed)))
    else:
        parts.append(
            '<p class="note">No quotes.jsonl in this output (tag stage not run): '
            "publisher and via are not known.</p>"
        )
    parts.append("</div></section>")
    return "".join(parts)


# -- the page -------------------------------------------------------------------------------

CSS = """
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #212529; }
body { margin: 0; background: #f8f9fa; }
header.top { background: #343a40; color: #fff; padding: .8rem 1.5rem; }
header.top h1 { margin: 0; font-size: 1.3rem; }
main { padding: 0 1.5rem 3rem; }
section#summary, nav#toc, section.problems { background: #fff; border: 1px solid #dee2e6;
  border-radius: 6px; padding: .5rem 1rem 1rem; margin-top: 1rem; }
.figures span { margin-right: 1.5rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
svg.chart { font-size: 12px; }
svg.chart .chart-title { font-weight: 600; font-size: 13px; }
svg.chart g.bar:hover rect { opacity: .7; }
nav#toc ol { columns: 2; margin: 0; }
article { background: #fff; border: 1px solid #dee2e6; border-radius: 6px; margin-top: 1rem;
  padding: .5rem 1rem 1rem; }
article h2 { font-size: 1.1rem; margin: .4rem 0; }
article .meta { color: #6c757d; font-size: .85rem; margin-bottom: .5rem; }
.cols { display: grid; grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr); gap: 1.2rem; }
.text { white-space: pre-wrap; line-height: 1.6; font-family: Georgia, serif; font-size: 15px; }
mark.q { color: inherit; border-bottom: 3px solid; padding: 0 1px; border-radius: 2px;
  cursor: help; }
mark.q-indirect { background-image: repeating-linear-gradient(135deg, transparent 0 6px,
  rgba(255,255,255,.55) 6px 9px); }
mark.q:target, mark.q.hot { outline: 2px solid #212529; }
.m-speaker { font-weight: 700; text-decoration: underline dotted; }
.m-cue { font-style: italic; text-decoration: underline; }
.m-via { text-decoration: underline wavy #e8590c; }
ol.quotes { margin: 0; padding-left: 1.4rem; font-size: .85rem; }
ol.quotes li { margin-bottom: .6rem; }
ol.quotes li .sw { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px;
  border: 1px solid; vertical-align: middle; margin-right: .3rem; }
ol.quotes li .who { font-weight: 700; }
ol.quotes li button.only { margin-left: .4rem; font-size: .7rem; padding: 0 .3rem;
  cursor: pointer; }
svg.chart g.bar[data-filter] { cursor: pointer; }
body.filtered mark.q:not(.keep) { background: none !important; border-bottom-style: dotted; }
body.filtered ol.quotes li:not(.keep) { display: none; }
#filter { position: fixed; top: .5rem; right: 1rem; display: none; background: #fff3bf;
  border: 1px solid #e0a800; border-radius: 4px; padding: .3rem .6rem; z-index: 11;
  cursor: pointer; font-size: .85rem; }
body.filtered #filter { display: block; }
ol.quotes li .said { color: #495057; display: block; }
ol.quotes li dl { margin: .1rem 0 0; display: grid; grid-template-columns: max-content 1fr;
  gap: 0 .5rem; color: #495057; }
ol.quotes li dt { color: #868e96; }
ol.quotes li dd { margin: 0; }
ol.quotes li:hover, ol.quotes li.hot { background: #fff3bf; }
#tip { position: fixed; display: none; max-width: 26rem; background: #212529; color: #fff;
  padding: .4rem .6rem; border-radius: 4px; font-size: .8rem; pointer-events: none;
  white-space: pre-line; z-index: 10; }
.empty { color: #868e96; font-style: italic; }
"""

# The hover card: fills #tip from the mark's data-* attributes (textContent only, never
# innerHTML) and highlights the matching side-list entry.
SCRIPT = """
(function () {
  var tip = document.getElementById('tip');
  function rows(m) {
    var d = m.dataset, r = ['speaker: ' + d.speaker, 'kind: ' + d.kind];
    r.push('cue: ' + (d.cue || '\\u2014'));
    if (document.body.dataset.outlets === 'yes') {
      r.push('via: ' + (d.via || '\\u2014'));
      r.push('publisher: ' + (d.publisher || '\\u2014'));
    }
    return r.join('\\n');
  }
  function hot(qid, on) {
    document.querySelectorAll('[data-qid]').forEach(function (el) {
      if (el.dataset.qid === qid) { el.classList.toggle('hot', on); }
    });
  }
  document.addEventListener('mouseover', function (e) {
    var m = e.target.closest ? e.target.closest('mark.q, li[data-qid]') : null;
    if (!m) { return; }
    hot(m.dataset.qid, true);
    if (m.tagName === 'MARK') {
      tip.textContent = rows(m);
      tip.style.display = 'block';
    }
  });
  document.addEventListener('mouseout', function (e) {
    var m = e.target.closest ? e.target.closest('mark.q, li[data-qid]') : null;
    if (!m) { return; }
    hot(m.dataset.qid, false);
    tip.style.display = 'none';
  });
  var banner = document.getElementById('filter');
  function setFilter(attr, value) {
    var on = Boolean(attr) && document.body.dataset.filterValue !== value;
    document.body.classList.toggle('filtered', on);
    document.body.dataset.filterValue = on ? value : '';
    document.querySelectorAll('mark.q, ol.quotes li[data-qid]').forEach(function (el) {
      var v = el.tagName === 'MARK' ? el.dataset[attr] : el.dataset.speaker;
      el.classList.toggle('keep', on && v === value);
    });
    banner.textContent = on ? 'Only ' + attr + ': ' + value + ' \u2715' : '';
  }
  document.addEventListener('click', function (e) {
    var f = e.target.closest ? e.target.closest('[data-filter]') : null;
    if (f) { setFilter(f.dataset.filter, f.dataset.value); e.preventDefault(); return; }
    if (e.target === banner) { setFilter('', document.body.dataset.filterValue); }
  });
  document.addEventListener('mousemove', function (e) {
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - 320) + 'px';
    tip.style.top = (e.clientY + 16) + 'px';
  });
})();
"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    # Nothing may be fetched; only this page's own style and script run.
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def article_html(document: Document, quotes: Sequence[Attribution], problems: list[str]) -> str:
    """One article: header, the text with its highlighted quotes, and the side list."""
    esc = html.escape
    doc_id = document.doc_id
    title = document.title or doc_id
    publisher = next((p for p in (publisher_of(q) for q in quotes) if p), None)
    meta = [f"<code>{esc(doc_id)}</code>"]
    for label, value in (
        ("publisher", publisher or document.metadata.get("outlet")),
        ("url", document.metadata.get("url")),
        ("byline", document.byline),
        ("published", document.published),
    ):
        if value:
            meta.append(f"{label}: {esc(str(value))}")
    meta.append(f"{len(quotes)} quote(s)")
    body = render_spans(document.text, quote_spans(document, quotes, problems))
    items = []
    for q in quotes:
        qid = f"{doc_id}#{q.quote_id}"
        bg, border = colour(speaker_key(q))
        said = q.text if len(q.text) <= 160 else q.text[:159] + "…"
        dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in details(q)[1:])
        items.append(
            f'<li data-qid="{esc(qid)}" data-speaker="{esc(speaker_label(q))}">'
            f'<a href="#m-{_anchor(qid)}">'
            f'<span class="sw" style="background:{bg};border-color:{border}"></span>'
            f'<span class="who">{esc(speaker_label(q))}</span></a>'
            f'<button type="button" class="only" data-filter="speaker" '
            f'data-value="{esc(speaker_label(q))}" title="show only this speaker">only</button>'
            f'<span class="said">“{esc(said)}”</span><dl>{dl}</dl></li>'
        )
    side = (
        f'<ol class="quotes">{"".join(items)}</ol>'
        if items
        else '<p class="empty">No quotes found in this article.</p>'
    )
    return (
        f'<article id="a-{_anchor(doc_id)}" data-doc="{esc(doc_id)}">'
        f'<h2>{esc(title)}</h2><div class="meta">{" · ".join(meta)}</div>'
        f'<div class="cols"><div class="text">{body}</div><aside>{side}</aside></div>'
        "</article>"
    )


def render(
    data: ReportData,
    title: str = "quotetrail report",
    limit: int | None = None,
    on_article: Callable[[str], None] | None = None,
) -> str:
    """The whole page as one string; ``limit`` caps the articles shown (not the summary)."""
    esc = html.escape
    problems = data.problems  # span problems found while drawing are added to the data's
    all_quotes = [q for recs in data.quotes.values() for q in recs]
    shown = data.documents if limit is None else data.documents[:limit]
    articles = []
    for document in shown:
        articles.append(article_html(document, data.quotes.get(document.doc_id, []), problems))
        if on_article is not None:
            on_article(document.doc_id)
    toc = "".join(
        f'<li><a href="#a-{_anchor(d.doc_id)}">{esc(d.title or d.doc_id)}</a> '
        f"({len(data.quotes.get(d.doc_id, []))})</li>"
        for d in shown
    )
    more = ""
    if len(shown) < len(data.documents):
        more = (
            f'<p class="note">Showing {len(shown)} of {len(data.documents)} articles; the '
            "summary counts them all.</p>"
        )
    problem_html = ""
    if problems:
        lis = "".join(f"<li>{esc(p)}</li>" for p in problems[:200])
        problem_html = (
            f'<section class="problems"><h2>Problems ({len(problems)})</h2><ul>{lis}</ul></section>'
        )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_csp())}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f'<body data-outlets="{"yes" if data.has_outlets else "no"}">'
        f'<header class="top"><h1>{esc(title)}</h1>'
        f"{len(data.documents)} articles · {len(all_quotes)} quotes</header><main>"
        f"{summary_html(summarise(all_quotes), data.has_outlets)}"
        f'{problem_html}<nav id="toc"><h2>Articles</h2>{more}<ol>{toc}</ol></nav>'
        f"{''.join(articles)}</main>"
        f'<div id="tip" role="tooltip"></div><div id="filter" role="status"></div>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def write_report(
    out_dir: Path,
    target: Path,
    title: str = "quotetrail report",
    limit: int | None = None,
    on_article: Callable[[str], None] | None = None,
) -> ReportData:
    """Read ``out_dir`` and write the report page to ``target`` atomically."""
    data = load(out_dir)
    page = render(data, title, limit, on_article)
    with AtomicWriter(target) as w:
        w.write(page)
    return data
