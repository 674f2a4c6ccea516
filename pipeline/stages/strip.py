"""Stage strip: input dir -> documents.jsonl (decode, extract HTML, drop boilerplate).

CONTRACT (used by pipeline.runner):
    iter_documents(input_dir: Path, follow_symlinks: bool = False)
        -> Iterator[Document | InputError]
        Walk input_dir recursively in sorted order; yield one Document per article, or an
        InputError (path relative to input_dir, message a person can act on) per bad input.
    walk_inputs(input_dir, follow_symlinks) -> Iterator[(path, relative path) | InputError]
    read_input(path, input_dir) -> list[Document | InputError]
        The same, one input file at a time (the runner's incremental re-runs).
    document_from_source(source, doc_id, html, metadata) -> Document
        One already-decoded text or HTML string (tests, the API, scripts/bench_strip.py).
The clean text joins paragraphs with "\n\n"; each paragraph has a role.

Inputs: .txt, .html, .htm and .jsonl, each optionally .gz. A JSONL line carries ``text``
or ``html`` and optional metadata (``id``, ``url``, ``outlet``, ``published``, ``title``...);
its source is "path:LINE" and its sha256 that of the line's UTF-8 bytes. HTML goes through
trafilatura (precision mode, default mode when that keeps too little); plain text is split
into lines (or blank-line blocks when hard-wrapped). Source offsets are into the decoded
source before any normalisation: exact for text, best effort (else None) for HTML.

How it works: every input becomes a list of *units* (lines or blank-line blocks of plain
text, or the paragraphs trafilatura extracts from HTML), each with its offsets in the
decoded source. A classifier then labels every unit from general features (position,
length, terminal punctuation, title-case ratio, stopword density, call-to-action verbs,
word classes from ``pipeline/data/boilerplate_lexicon.txt``, the site's own name and the
unit's neighbours) as title, standfirst, heading, body or a removed block with a rule and
a reason. Removed blocks are kept in ``Document.removed`` so that later stages can read
credits, print-edition notes and the site's self-references.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import os
import re
import unicodedata
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.io import InputError, render_validation_error
from schemas.models import Document, Paragraph, Removed

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LEXICON_PATH = DATA_DIR / "boilerplate_lexicon.txt"

TEXT_EXTS = (".txt",)
HTML_EXTS = (".html", ".htm")
JSONL_EXTS = (".jsonl",)
MAX_BYTES = 50_000_000
MAX_INLINE_LINKS = 4  # more sentence-case headline lines than this in a body are subheads
SHORT_EXTRACT = 1500  # characters: below this, HTML extraction retries without favor_precision

# ---------------------------------------------------------------------------------------
# Lexicons and stoplists
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, frozenset[str]]:
    """The word classes of the boilerplate classifier, by section name."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), set())
            continue
        if current is None:
            raise ValueError(f"{path}: entry {line!r} before any [section]")
        current.add(line.lower())
    return {k: frozenset(v) for k, v in sections.items()}


@lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    import justext

    return {lang: frozenset(justext.get_stoplist(lang)) for lang in justext.get_stoplists()}


def _stoplist_for(words: Sequence[str]) -> frozenset[str]:
    """English, unless another of jusText's stoplists covers the words much better."""
    lists = _stoplists()
    english = lists.get("English", frozenset())
    if not words:
        return english
    sample = [w.lower() for w in words[:2000]]
    en = sum(w in english for w in sample) / len(sample)
    if en >= 0.25:
        return english
    best, best_score = english, en
    for stoplist in lists.values():
        score = sum(w in stoplist for w in sample) / len(sample)
        if score > best_score:
            best, best_score = stoplist, score
    return best


# ---------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub file)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip data (name it .gz)"),
    (b"\xd0\xcf\x11\xe0", "an MS Office document"),
    (b"{\\rtf", "an RTF document"),
)


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode ``raw`` to text (BOM, then UTF-8, then charset-normalizer); (text, encoding).

    Raises ValueError with a message a person can act on for binary or undecodable data.
    """
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(enc), enc
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"starts with a {enc} byte-order mark but is not {enc}: {exc}"
                ) from exc
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise ValueError(f"this is {what}, not text; convert it to .txt or .html first")
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        _reject_broken_utf8(raw, exc)
        text, encoding = _detect(raw)
    if "\x00" in text:
        raise ValueError(
            "contains NUL bytes: binary data, or UTF-16 without a byte-order mark; "
            "re-save it as UTF-8"
        )
    return text, encoding


def _reject_broken_utf8(raw: bytes, exc: UnicodeDecodeError) -> None:
    """Raise ValueError when ``raw`` is UTF-8 text with a few invalid bytes in it.

    Such a file is UTF-8 (most of its non-ASCII bytes form valid UTF-8 characters) damaged
    in places; guessing another encoding would turn every one of those characters into
    mojibake. Legacy-encoded text (Latin-1, Windows-1252, GB18030, Shift-JIS…) rarely forms
    a valid UTF-8 sequence by chance, and then far less often than it breaks one, so it is
    left to charset-normalizer. A lone high byte in ASCII text is a legacy character too.
    """
    decoded = raw.decode("utf-8", "surrogateescape")
    invalid = sum(1 for c in decoded if "\udc80" <= c <= "\udcff")
    valid = sum(1 for c in decoded if c >= "\x80" and not "\udc80" <= c <= "\udcff")
    if valid < 2 * invalid:
        return
    line = raw.count(b"\n", 0, exc.start) + 1
    raise ValueError(
        f"invalid UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start} (line {line}) "
        f"({invalid} bad byte{'s' if invalid != 1 else ''} in all) in text that is otherwise "
        "UTF-8; fix or remove the bad bytes, or re-save the file as UTF-8"
    )


def _detect(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise ValueError("not text in any encoding charset-normalizer knows (binary data?)")
    text, encoding = str(best), best.encoding
    # On short Western text charset-normalizer may name a neighbouring code page (cp1250,
    # or even cp1006): prefer cp1252, the commonest legacy encoding, unless the other
    # decoding reads cleaner (fewer symbols stuck inside words) or is a non-Latin script
    # that cp1252 would turn into accented mush.
    if encoding in ("cp1252", "ascii", "utf_8"):
        return text, encoding
    try:
        alt = raw.decode("cp1252")
    except UnicodeDecodeError:
        return text, encoding
    letters = [c for c in alt if c.isalpha()]
    high = sum(1 for c in letters if ord(c) >= 0x80)
    if letters and high / len(letters) > 0.4:
        return text, encoding
    if _inword_symbols(alt) <= _inword_symbols(text):
        return alt, "cp1252"
    return text, encoding


_INWORD_SYMBOL = re.compile(r"(?<=[^\W\d_])[^\w\s'’\-.,:;!?/&]+(?=[^\W\d_])")


def _inword_symbols(text: str) -> int:
    return len(_INWORD_SYMBOL.findall(text)) + sum(
        1 for c in text if unicodedata.category(c) in ("Co", "Cn", "So") and ord(c) > 0x7F
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_line(text: str) -> str:
    """One unit's clean text: control characters dropped, runs of spaces collapsed, NFC."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SPACES.sub(" ", text)
    text = "\n".join(part.strip() for part in text.split("\n"))
    text = re.sub(r"\n+", " ", text)
    return unicodedata.normalize("NFC", text).strip()


# ---------------------------------------------------------------------------------------
# Units and features
# ---------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,:]\d+)*")
_ALPHA_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_TERMINAL = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)\s*$|[\"”»](?:\s*)$")
_BULLET = re.compile(r"^\s*(?:[•·▪◦●■►▶‣⁃*]|[-–—](?=\s)|\d{1,2}[.)](?=\s))\s*")
_QUOTED = re.compile(r"[\"“”„«][^\"“”„«»]*(?:[\"“”„»]|$)")
_SMALL_WORDS = frozenset(
    "a an the and or but of in on at to for from by with as vs via is are was be de la le "
    "du des y e el van von der".split()
)


@dataclass
class Unit:
    """One candidate paragraph: clean text, offsets in the decoded source, and its label."""

    text: str
    source_start: int | None
    source_end: int | None
    role: str | None = None
    rule: str | None = None
    reason: str = ""
    words: list[str] = field(default_factory=list)
    lower: list[str] = field(default_factory=list)
    stop_density: float = 0.0
    terminal: bool = False
    title_ratio: float = 0.0
    bullet: bool = False
    unquoted: list[str] = field(default_factory=list)

    @property
    def removed(self) -> bool:
        """Whether a rule dropped this unit."""
        return self.rule is not None

    @property
    def n(self) -> int:
        """Number of words."""
        return len(self.words)


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _split_cjk(words: list[str]) -> list[str]:
    """Chinese and Japanese write without spaces: count a run as one word per two characters."""
    out: list[str] = []
    for w in words:
        if len(w) > 2 and _CJK.search(w):
            out.extend(w[i : i + 2] for i in range(0, len(w), 2))
        else:
            out.append(w)
    return out


def _features(units: list[Unit]) -> None:
    all_words: list[str] = []
    for u in units:
        u.words = _split_cjk(_WORD.findall(u.text))
        u.lower = [w.lower() for w in u.words]
        all_words.extend(u.words)
    stoplist = _stoplist_for(all_words)
    for u in units:
        alpha = [w for w in u.words if w[0].isalpha()]
        u.stop_density = sum(w in stoplist for w in u.lower) / len(u.lower) if u.lower else 0.0
        u.terminal = bool(_TERMINAL.search(u.text))
        content = [w for w in alpha if w.lower() not in _SMALL_WORDS]
        if content:
            u.title_ratio = sum(1 for w in content if w[0].isupper()) / len(content)
        u.bullet = bool(_BULLET.match(u.text))
        u.unquoted = [w.lower() for w in _WORD.findall(_QUOTED.sub(" ", u.text))]


def _headline_like(u: Unit) -> bool:
    """A line shaped like a headline: a few words, no sentence-final full stop."""
    if not 2 <= u.n <= 30 or u.bullet:
        return False
    stripped = u.text.rstrip("\"'”’»)] ")
    return not stripped.endswith((".", ",", ";", "、", "，", "；", "。")) and not u.text.endswith(
        (":", "：")
    )


def _body_like(u: Unit) -> bool:
    """A line shaped like article prose: a sentence, or a long run of stopword-rich words."""
    if u.n >= 4 and (u.terminal or u.text.rstrip().endswith(":")):
        return True
    return u.n >= 15 and u.stop_density >= 0.25


def _good(u: Unit) -> bool:
    """A unit that is certainly article body (jusText's 'good' class, roughly)."""
    chars = len(u.text)
    if u.terminal and u.n >= 10 and u.stop_density >= 0.2:
        return True
    return chars >= 200 and u.stop_density >= 0.25


# ---------------------------------------------------------------------------------------
# Unit rules: each returns (rule, reason) or None
# ---------------------------------------------------------------------------------------

_CREDIT = re.compile(
    r"(?i)(?:^|[\s;,(|/–—-])(?:additional\s+)?(?:reporting|writing|editing|edited|written|"
    r"compiled|produced|translated|translation|research|graphics|fact-checking|"
    r"contributed reporting)\s+by\b"
)
_CREDIT_LABEL = re.compile(
    r"(?i)^\W*(?:(?:additional\s+)?reporting|contributing|contributors?|with\s+(?:\w+\s+){0,3}wires?|"
    r"wire\s+services?|(?:content\s+)?provided\s+by|compiled\s+by|courtesy\s+of)\b"
)
_WIRE_CREDIT = re.compile(
    r"(?i)^\W*[A-Z][\w.&' -]{1,40}?\s+(?:with|and)\s+(?:additional\s+)?(?:reporting|editing|"
    r"writing|input)\b"
)
_PRINT = re.compile(
    r"(?i)\b(?:print|printed)\s+(?:edition|version|issue)\b|"
    r"\bappeared\s+(?:in|on)\s+(?:print|page\s+\w+)\b|"
    r"\b(?:a\s+)?version\s+of\s+this\s+(?:article|story)\s+(?:first\s+)?appeared\b"
)
_ORIGINAL = re.compile(
    r"(?i)\b(?:original(?:ly)?|first)\s+(?:article|story|post|version|published|appeared)\b|"
    r"\b(?:republished|reproduced|reprinted|syndicated)\b"
)
_PHOTO_LABEL = re.compile(
    r"(?i)(?:^|[\s(\[|.])(?:photo(?:graph)?s?|images?|pictures?|credits?|illustrations?|"
    r"graphics?|file\s+photo|video|footage|screenshot|screengrab|handout)"
    r"(?:\s+(?:by|credit|courtesy(?:\s+of)?))?\s*[:/|©]\s*\S"
)
_PHOTO_COURTESY = re.compile(r"(?i)\b(?:courtesy\s+of|©|\(c\)|copyright)\s")
_NAME_SLASH_AGENCY = re.compile(
    r"(?:[A-Z][\w’'.-]*[a-z]\s*/\s*(?:[A-Z][\w.-]*)(?:\s+[A-Z][\w.-]*)*)\s*[.)]?\s*$"
)
_VIA_AGENCY = re.compile(r"\bvia\s+[A-Z][A-Z&.]{1,}(?:\b|$)")
_PROMO = re.compile(
    r"(?i)^\W*(?:also|more|read\s+also|see\s+also|related|recommended|trending|popular|latest|"
    r"further\s+reading|most\s+read|editor'?s'?\s+picks?|watch|listen|read|see)"
    r"\b[^:.!?]{0,50}:\s*\S"
)
_RELATED_HEADER = re.compile(
    r"(?i)^\W*(?:(?:read|see|view|show|load|find)\s+(?:more|also|next|all)|more\s+(?:from|on|in|"
    r"stories|news|articles|coverage|about|like\s+this)|related(?:\s+\w+){0,2}|"
    r"recommended(?:\s+\w+){0,2}|you\s+(?:may|might)\s+also\s+(?:like|enjoy)|further\s+reading|"
    r"most\s+(?:read|popular|viewed|shared)(?:\s+\w+){0,3}|trending(?:\s+\w+){0,2}|"
    r"latest(?:\s+\w+){0,2}|don['’]?t\s+miss|editors?['’]?s?\s+picks?|"
    r"top\s+stories|what\s+to\s+read\s+next|in\s+case\s+you\s+missed\s+it)\W*$"
)
_COPYRIGHT = re.compile(
    r"(?i)^\W*(?:copyright|©|\(c\))|all\s+rights\s+reserved|\bnon-commercial\s+use\b|"
    r"\bmay\s+not\s+be\s+(?:published|reproduced|redistributed|rewritten)\b"
)
# An address starts where a run of its characters starts: a long run is scanned once.
_EMAIL_PATTERN = r"(?<![\w.+-])[\w.+-]++@[\w-]+\.[\w.]+"
_CONTACT = re.compile(
    _EMAIL_PATTERN + r"|(?<![\w@])@\w{2,}|https?://\S+|www\.\S+|\b\w+\.com/\S+"
)
_EMAIL = re.compile(_EMAIL_PATTERN)
_TWEET_SIGNATURE = re.compile(r"\(@\w+\)\s+\w+\.?\s+\d{1,2},\s+\d{4}")
_CONTACT_WORDS = frozenset(
    "email e-mail reach reached contact tip tips follow twitter facebook instagram write".split()
)
_SIGNUP_WORDS = frozenset(
    "subscription subscribing signing signup sign-up subscribed unsubscribe".split()
)
_AFFILIATE_WORDS = frozenset("affiliate affiliates commission commissions".split())
_SOCIAL = frozenset(
    "twitter facebook instagram youtube linkedin tiktok threads mastodon bluesky telegram "
    "whatsapp podcast podcasts rss itunes spotify".split()
)
_CONTRIBUTED = re.compile(
    r"(?i)\bcontributed\s+(?:reporting|research|to\s+this\s+(?:report|story|article))\b"
)
_CLICK_HERE = re.compile(r"(?i)\b(?:click|tap)\s+(?:here|the\s+link|below)\b")
_BRACKET_LABEL = re.compile(r"\[[A-Z][A-Z ]{2,}\]\W*$")
_SEARCH_PROMPT = re.compile(r"(?i)^\W*(?:type|enter|press|hit)\b.{0,30}\b(?:search|enter)\b")
_BIO = re.compile(
    r"^(?P<name>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){1,3})\s+(?:is|was|serves\s+as|works\s+as)\s+"
    r"(?:an?|the|our|\w+['’]s)\s+(?P<rest>(?:[\w-]+\s+){0,4}[\w-]+)"
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?")
_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
    "july|august|september|october|november|december"
)
_MDY = re.compile(rf"(?i)\b({_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_DMY = re.compile(rf"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS})\.?,?\s+(\d{{4}})\b")
_TIME = re.compile(
    r"(?i)\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*[A-Z]{2,4})?\b"
)
_BYLINE_LEAD = re.compile(
    r"(?i)^\W*(?:by|source|sources|author|authors|written\s+by|posted\s+by|published(?:\s+by)?|"
    r"updated|last\s+updated|words\s+by|reporter)\b\s*[:\-–—|]?"
)
_NAME = re.compile(r"^[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|and|de|van|von|al|bin|da|&))*$")


def _parse_date(text: str) -> str | None:
    """An ISO 8601 date (with time when present) found in ``text``, or None."""
    m = _ISO_DATE.search(text)
    if m:
        y, mo, d, hh, mm, ss = m.groups()
        try:
            if hh is not None:
                return datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0)).isoformat()
            return datetime(int(y), int(mo), int(d)).date().isoformat()
        except ValueError:
            return None
    for regex, order in ((_MDY, "mdy"), (_DMY, "dmy")):
        m = regex.search(text)
        if m:
            if order == "mdy":
                mon, day, year = m.group(1), m.group(2), m.group(3)
            else:
                day, mon, year = m.group(1), m.group(2), m.group(3)
            try:
                month = datetime.strptime(mon[:3].title(), "%b").month
                return datetime(int(year), month, int(day)).date().isoformat()
            except ValueError:
                return None
    return None


def parse_byline(text: str) -> tuple[str | None, str | None] | None:
    """(byline, published) from a dateline/byline line, or None when it is not one."""
    words = _WORD.findall(text)
    if not words or len(words) > 16 or text.rstrip().endswith(("?", "!")):
        return None
    lead = _BYLINE_LEAD.match(text)
    date = _parse_date(text)
    if lead is None and date is None:
        return None
    rest = text[lead.end() :] if lead else text
    rest = _ISO_DATE.sub(" ", rest)
    rest = _MDY.sub(" ", rest)
    rest = _DMY.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    rest = re.sub(
        r"(?i)\b(?:published|updated|posted|last|on|at|by|source|author|date|time|gmt|utc)\b",
        " ", rest,
    )
    pieces = [p.strip(" ,.") for p in re.split(r"[|:•·,;/–—]|\s-\s", rest)]
    names = [p for p in (re.sub(r"\s+", " ", x) for x in pieces) if p and _NAME.match(p)]
    names = [p for p in names if len(p.split()) <= 6]
    if lead is None and not names and len(words) > 8:
        return None
    if lead is None and date is not None:
        # A bare date line is a dateline only when little else is on it.
        leftover = [w for w in _WORD.findall(rest) if w[0].isalpha()]
        if len(leftover) > 6 and not names:
            return None
    byline = ", ".join(names) if names else None
    if lead is not None and byline is None and date is None:
        return None
    return byline, date


@dataclass
class Context:
    """What the classifier knows about the whole document."""

    lex: dict[str, frozenset[str]]
    site_names: set[str]
    n_units: int


def _count(words: Sequence[str], cls: frozenset[str]) -> int:
    return sum(1 for w in words if w in cls)


_SECOND = frozenset({"you", "your", "yours", "yourself", "you're", "you’re", "you've", "you’ve"})
_FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "we're", "we’re", "we've", "we’ve"})


def _appeal_score(u: Unit, lex: dict[str, frozenset[str]]) -> float:
    """How much a paragraph reads like an appeal to the reader (0 for quoted speech)."""
    words = u.unquoted
    core = len({w for w in words if w in lex["appeal_core"]})
    weak = len({w for w in words if w in lex["appeal"]})
    score = min(core, 3) + 0.5 * min(weak, 2)
    if any(w in _SECOND for w in words):
        score += 1
    if any(w in _FIRST_PLURAL for w in words):
        score += 1
    return score


def _unit_rule(u: Unit, i: int, ctx: Context) -> tuple[str, str] | None:
    """The strong, local rules: a unit that matches one is boilerplate wherever it is."""
    lex = ctx.lex
    text = u.text
    n = u.n
    first = u.lower[0] if u.lower else ""
    tail = i >= ctx.n_units * 0.6
    if n == 0:
        return "empty", "no words (punctuation or symbols only)"
    if n <= 40 and (
        (_CREDIT.search(text) and _credit_shaped(u, lex))
        or (n <= 14 and _WIRE_CREDIT.match(text) and _credit_shaped(u, lex))
        or (n <= 10 and not u.terminal and _CREDIT_LABEL.match(text))
        or (n <= 10 and _CREDIT_LABEL.match(text) and tail)
    ):
        return "credit", "wire or staff credit ('... by <name>') naming who reported or edited"
    if n <= 60 and _PRINT.search(text):
        return "print_edition_note", "note on the article's print edition"
    if n <= 30 and _ORIGINAL.search(text) and (first in lex["cta_verbs"] or tail):
        return "syndication_note", "link or note pointing to where the article was first published"
    if n <= 60 and not u.text.startswith(("“", '"')):
        if _PHOTO_LABEL.search(text) and not _good_sentence_before_label(text):
            return _caption_or_credit(u)
        if _credit_fragment_via(text) or _NAME_SLASH_AGENCY.search(text):
            if not text.rstrip().endswith(("?",)) and (n <= 6 or _has_photo_shape(u)):
                return _caption_or_credit(u)
        if n <= 8 and _PHOTO_COURTESY.search(text) and not _COPYRIGHT.search(text):
            return "photo_credit", "image credit (courtesy/copyright line)"
    if n <= 40 and _COPYRIGHT.search(text):
        return "copyright", "copyright or reuse notice"
    if n <= 40 and _CONTRIBUTED.search(text):
        return "credit", "note naming who contributed reporting"
    if tail and n <= 8 and re.match(r"(?i)^\W*sources?\s*:", text):
        return "credit", "source credit at the end of the article"
    if n <= 30 and not _TWEET_SIGNATURE.search(text) and "pic.twitter" not in text:
        email = _EMAIL.search(text)
        contact_words = any(w in _CONTACT_WORDS for w in u.lower)
        if (email and tail) or (
            _CONTACT.search(text) and contact_words and (first in lex["cta_verbs"] or tail)
        ):
            return "author_contact", "contact details or social-media handles"
    if n <= 30 and first in lex["cta_verbs"] and any(w in _SOCIAL for w in u.lower):
        return "social_promo", "invitation to follow the site on social media"
    if n <= 30 and _CLICK_HERE.search(text):
        return "call_to_action", "'click here' link text"
    if n <= 12 and _BRACKET_LABEL.search(text) and _headline_like(u):
        return "related_links", "headline with a bracketed section label (link to another story)"
    if n <= 10 and text.rstrip().endswith(("!", "?")) and any(
        w in lex["cta_verbs"] for w in u.lower
    ) and (any(w in _SECOND for w in u.lower) or "story" in u.lower or "article" in u.lower):
        return "call_to_action", "short exclamation asking the reader to act"
    if n <= 6 and _SEARCH_PROMPT.match(text):
        return "navigation", "search box prompt"
    if n <= 25 and _PROMO.match(text):
        return "promo", "promotion of other content ('<label>: <headline>')"
    if n <= 8 and _RELATED_HEADER.match(text):
        return "related_links", "header of a list of links to other stories"
    low_tags = text.lower()
    lead_m = re.match(r"^\W*([a-z]+(?:\s+[a-z]+)?)(?:\s+(?:under|in))?\s*:", low_tags)
    if n <= 40 and lead_m and (
        lead_m.group(1) in lex["tag_leads"] or lead_m.group(1).split()[0] in lex["tag_leads"]
    ):
        return "topic_tags", "list of topic tags"
    comment_hits = _count(u.lower, lex["comment_form"])
    if n <= 25 and comment_hits >= 2 and (comment_hits / n >= 0.4 or (tail and not u.terminal)):
        return "comment_form", "comment form text (reply, email, required fields)"
    if n <= 25 and comment_hits >= 3 and tail and "*" in text:
        return "comment_form", "comment form text (required fields)"
    if n <= 4 and first in lex["cta_verbs"] and comment_hits >= 1:
        return "comment_form", "comment form button"
    news_hits = _count(u.lower, lex["newsletter"])
    if n <= 40 and news_hits >= 1 and (
        "newsletter" in u.lower or "newsletters" in u.lower or "inbox" in u.lower
    ) and (first in lex["cta_verbs"] or any(w in _SECOND for w in u.unquoted)):
        return "newsletter_promo", "newsletter sign-up promotion"
    if n <= 10 and (
        ("newsletter" in u.lower and u.title_ratio >= 0.99)
        or (
            any(w in _SIGNUP_WORDS for w in u.lower)
            and any(w in _SECOND or w in ("thanks", "thank", "error") for w in u.lower)
        )
    ):
        return "newsletter_promo", "newsletter sign-up widget text"
    if n <= 40 and any(w in _AFFILIATE_WORDS for w in u.lower) and any(
        w in ("buy", "purchase", "purchases", "bought", "sale", "sales") for w in u.lower
    ):
        return "affiliate_disclosure", "affiliate-link or commission disclosure"
    appeal = _appeal_score(u, lex) if n <= 120 else 0.0
    edge = i < ctx.n_units * 0.2 or tail
    cta = first in lex["cta_verbs"]
    if (edge and appeal >= 4) or appeal >= 5.5 or (edge and appeal >= 3 and cta):
        return "donation_appeal", "appeal to readers for support, donations or subscriptions"
    if n <= 6 and first in lex["cta_verbs"] and _count(u.lower, lex["appeal_core"]) >= 1:
        return "donation_appeal", "short call to support or subscribe"
    if n <= 6 and first in lex["cta_verbs"] and not u.terminal:
        return "call_to_action", "short imperative line (button or link text)"
    if n <= 6 and first in lex["cta_verbs"] and text.rstrip().endswith("!"):
        return "call_to_action", "short imperative exclamation (button or banner)"
    return None


_CREDIT_GLUE = frozenset(
    "by and with from in of for the a an at on to via plus also staff writers writer wire "
    "wires services agencies agency contributed this report story".split()
)


def _credit_shaped(u: Unit, lex: dict[str, frozenset[str]]) -> bool:
    """A credit is names joined by credit words; a sentence has other lowercase words."""
    other = [
        w for w in u.words
        if w[:1].islower() and w not in _CREDIT_GLUE and w not in lex["credit_verbs"]
    ]
    return len(other) <= 2 and bool(re.search(r"\bby\s+[A-Z]", u.text) or u.n <= 14)


def _credit_fragment_via(text: str) -> bool:
    """The text ends in a photo credit with 'via AGENCY': after the last full stop, only
    capitalised words (names, agencies, editors' notes) besides 'via'."""
    m = _VIA_AGENCY.search(text)
    if m is None:
        return False
    cut = max(text.rfind(". ", 0, m.start()), text.rfind(": ", 0, m.start()))
    fragment = text[cut + 1 :] if cut >= 0 else text
    words = [w for w in _ALPHA_WORD.findall(fragment) if w != "via"]
    return bool(words) and all(w[0].isupper() for w in words)


def _good_sentence_before_label(text: str) -> bool:
    """A long sentence that merely mentions 'photo:'-like words mid-sentence is prose."""
    m = _PHOTO_LABEL.search(text)
    if m is None:
        return False
    after = text[m.end() :]
    return len(_WORD.findall(after)) > 12


def _has_photo_shape(u: Unit) -> bool:
    # Captions are short descriptive sentences; the credit sits at their end.
    return u.n <= 60 and not _QUOTED.search(u.text[:-40] if len(u.text) > 40 else "")


def _caption_or_credit(u: Unit) -> tuple[str, str]:
    if u.n <= 6:
        return "photo_credit", "image credit (photographer or agency)"
    return "caption", "photo caption ending in an image credit"


# ---------------------------------------------------------------------------------------
# The classifier
# ---------------------------------------------------------------------------------------


def _site_names(units: list[Unit], metadata: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    outlet = metadata.get("outlet")
    if isinstance(outlet, str) and outlet.strip():
        names.add(outlet.strip().lower())
    for u in units:
        m = re.match(r"(?i)^\W*(?:also|more)\s+(?:on|from|at|in)\s+([^:]{2,40}):", u.text)
        if m:
            names.add(m.group(1).strip().lower())
        m = re.match(r"^\W*(?:Support|Subscribe to|Donate to)\s+(.{2,40}?)[!.]?$", u.text)
        if m:
            names.add(m.group(1).strip().lower())
    return {n for n in names if n}


def _mentions_site(u: Unit, names: set[str]) -> bool:
    low = u.text.lower()
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", low) for n in names)


_SANDWICH = "headline-like line between two boilerplate lines"
_ATTACHED_RULES = frozenset({"caption", "photo_credit", "byline", "credit"})


def classify(units: list[Unit], metadata: dict[str, Any] | None = None, html: bool = False) -> None:
    """Label every unit in place: a role, or a removal rule and reason."""
    metadata = metadata or {}
    _features(units)
    lex = load_lexicon()
    ctx = Context(lex=lex, site_names=_site_names(units, metadata), n_units=len(units))
    n_units = len(units)
    if not units:
        return

    # 1. Strong local rules.
    for i, u in enumerate(units):
        hit = _unit_rule(u, i, ctx)
        if hit:
            u.rule, u.reason = hit

    # 2. Bylines and datelines near the top, before the first good paragraph.
    for u in units[: min(n_units, 8)]:
        if _good(u):
            break
        if u.removed:
            continue
        parsed = parse_byline(u.text)
        if parsed is not None:
            u.rule, u.reason = "byline", "byline or dateline (kept as the document's byline/date)"

    # 3. Appeals spread to adjacent appeal-flavoured paragraphs (the block asks as a whole).
    # A forward then a backward sweep reaches every paragraph of a contiguous block.
    order = list(range(n_units))
    for sweep in (order, order[::-1]):
        for i in sweep:
            u = units[i]
            if u.removed:
                continue
            near = [units[j] for j in (i - 1, i + 1) if 0 <= j < n_units]
            edge = i < n_units * 0.2 or i >= n_units * 0.6
            if any(v.rule == "donation_appeal" for v in near) and (
                _appeal_score(u, lex) >= (1.5 if edge else 2.5)
                or (u.n <= 3 and not u.terminal and not html)
            ):
                u.rule, u.reason = "donation_appeal", "part of a block appealing to readers"

    # 4. Author bios in the last units: "<Name> is a/an <role> ...".
    for i in range(max(0, n_units - 4), n_units):
        u = units[i]
        if u.removed:
            continue
        m = _BIO.match(u.text)
        if m and u.n <= 120:
            rest = {w.lower() for w in _WORD.findall(m.group("rest"))}
            if rest & lex["bio_roles"]:
                u.rule, u.reason = "author_bio", "author biography at the end of the article"
                name = m.group("name").strip()
                prev = units[i - 1] if i > 0 else None
                if prev is not None and not prev.removed and prev.text.strip(" .") == name:
                    prev.rule, prev.reason = "author_bio", "author's name above the biography"

    # 5. Regions: head (before the first good paragraph), body, tail (after the last).
    kept = [i for i, u in enumerate(units) if not u.removed]
    goods = [i for i in kept if _good(units[i])]
    if not goods:
        goods = [i for i in kept if _body_like(units[i])] or kept
    if not goods:
        return
    first_good, last_good = goods[0], goods[-1]

    def is_bp(j: int) -> bool:
        return 0 <= j < n_units and units[j].removed

    def is_furniture(j: int) -> bool:
        # Captions, credits and bylines sit next to headlines; menus and promos do not.
        return is_bp(j) and units[j].rule not in _ATTACHED_RULES

    # Head: title, standfirst, the rest is page furniture.
    title_idx: int | None = None
    if not html:
        meta_title = metadata.get("title")
        for i in range(first_good):
            u = units[i]
            if u.removed:
                continue
            if isinstance(meta_title, str) and clean_line(meta_title) == u.text:
                title_idx = i
                break
        if title_idx is None:
            for i in range(first_good):
                u = units[i]
                if u.removed or not _headline_like(u) or u.n < 4:
                    continue
                if is_furniture(i - 1) and is_furniture(i + 1) and i + 1 < first_good:
                    u.rule, u.reason = "navigation", _SANDWICH
                    continue
                title_idx = i
                break
        if title_idx is None:
            # A short headline (two or three words) right above the body, said only once.
            before = [i for i in range(first_good) if not units[i].removed]
            if before:
                last = units[before[-1]]
                texts = [v.text for v in units]
                if _headline_like(last) and texts.count(last.text) == 1:
                    title_idx = before[-1]
        for i in range(first_good):
            u = units[i]
            if u.removed:
                continue
            if title_idx is not None and i == title_idx:
                u.role = "title"
            elif title_idx is not None and i > title_idx and (
                u.bullet or u.n >= 8 or _body_like(u)
            ):
                u.role = "standfirst"
            elif title_idx is None and u.n >= 8 and (u.bullet or not _headline_like(u)):
                u.role = "standfirst" if u.bullet else "body"
            elif u.n <= 4 and u.title_ratio >= 0.99:
                u.rule, u.reason = "topic_tags", "short title-case label before the article body"
            elif title_idx is None or i < title_idx:
                u.rule, u.reason = "navigation", "page furniture before the headline"
            else:
                u.rule, u.reason = "navigation", "short line between headline and body"
    else:
        for i in range(first_good):
            u = units[i]
            if u.removed:
                continue
            if u.role is None:
                u.role = "body" if not _headline_like(u) or u.n > 12 else "heading"

    # Body region. Many sentence-case headline lines in one body are the article's own
    # subheads (a structured piece), not inline links to other stories.
    inline_candidates = sum(
        1
        for i in range(first_good, last_good + 1)
        if not units[i].removed
        and not (_good(units[i]) or _body_like(units[i]))
        and _headline_like(units[i])
        and units[i].n > 7
        and units[i].title_ratio < 0.6
        and _link_shaped(units[i])
    )
    structured = inline_candidates > MAX_INLINE_LINKS
    for i in range(first_good, last_good + 1):
        u = units[i]
        if u.removed:
            continue
        if _good(u) or _body_like(u) or not _headline_like(u):
            u.role = "body"
            continue
        prev_bp = is_bp(i - 1)
        next_bp = is_bp(i + 1)
        letters = [c for c in u.text if c.isalpha()]
        shouting = u.n >= 7 and bool(letters) and all(c.isupper() for c in letters if c.isascii())
        if shouting and not html:
            u.rule, u.reason = "related_links", "all-capitals headline inside the body (a promo)"
        elif prev_bp and next_bp:
            u.rule, u.reason = "related_links", _SANDWICH
        elif ctx.site_names and _mentions_site(u, ctx.site_names) and u.n <= 8:
            u.rule, u.reason = "promo", "short line naming the site itself"
        elif u.n <= 7 or u.title_ratio >= 0.6 or html or structured or not _link_shaped(u):
            u.role = "heading"
        else:
            u.rule, u.reason = (
                "related_links",
                "sentence-case headline inside the body: an inline link to another story",
            )

    # Runs of bulleted title-case headlines after the body are lists of related stories.
    i = last_good + 1
    while i < n_units:
        j = i
        while j < n_units and not units[j].removed and _bullet_headline(units[j]):
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                units[k].rule = "related_links"
                units[k].reason = "bulleted list of headlines after the article"
        i = j + 1 if j > i else i + 1

    # Tail: prose after the last good paragraph stays until a rule has fired there (a
    # credit, a link list, a form...); after that, whatever is not caught is furniture.
    # prose_ahead[i]: a prose unit follows i before the next removed unit (one reverse pass).
    prose_ahead = [False] * (n_units + 1)
    for i in range(n_units - 1, -1, -1):
        nxt = units[i + 1] if i + 1 < n_units else None
        if nxt is None or nxt.removed:
            prose_ahead[i] = False
        else:
            prose_ahead[i] = _body_like(nxt) or prose_ahead[i + 1]
    seen_bp = False
    after_related = False
    for i in range(last_good + 1, n_units):
        u = units[i]
        if u.removed:
            seen_bp = True
            after_related = after_related or u.rule in ("related_links", "promo")
            continue
        if html:
            # trafilatura has already cut the page's furniture: trust it past the last
            # good paragraph (lists of dates, tables, short closing lines) unless a rule fired.
            u.role = "body"
            continue
        if _TWEET_SIGNATURE.search(u.text) or "pic.twitter" in u.text:
            u.role = "body"  # an embedded post and its attribution: a quote, not furniture
            continue
        if _body_like(u) and u.terminal and u.n >= 6 and u.stop_density >= 0.2:
            u.role = "body"
            continue
        if not seen_bp:
            later = _next_kept(units, i)
            if _body_like(u) and u.stop_density >= 0.15:
                u.role = "body"
                continue
            if later is not None and _body_like(later):
                u.role = "heading" if _headline_like(u) and u.n <= 12 else "body"
                continue
            if prose_ahead[i]:
                u.role = "body"
                continue
        if ctx.site_names and _mentions_site(u, ctx.site_names):
            u.rule, u.reason = "site_footer", "footer line naming the site itself"
        elif after_related and _headline_like(u):
            u.rule, u.reason = "related_links", "headline in a list of links to other stories"
        else:
            u.rule, u.reason = "footer", "page furniture after the article's last paragraph"


def _bullet_headline(u: Unit) -> bool:
    """A bulleted line shaped like a title-case headline."""
    if not (u.bullet and 3 <= u.n <= 20 and u.title_ratio >= 0.6 and not u.terminal):
        return False
    text = _BULLET.sub("", u.text)
    return ":" not in text and not re.search(r"[()\[\]@]|https?:", text) and text.count(",") <= 1


def _link_shaped(u: Unit) -> bool:
    """A plain headline: no quotes, handles, URLs or brackets (those are tweets or quotes)."""
    return (
        not re.search(r"[\"“”«»@()\[\]]|https?:|www\.|pic\.", u.text)
        and u.n <= 16
        and u.text[:1].isupper()
        and u.text.count(",") <= 1
    )


def _next_kept(units: list[Unit], i: int) -> Unit | None:
    for v in units[i + 1 :]:
        if v.removed:
            return None
        return v
    return None


# ---------------------------------------------------------------------------------------
# Splitting sources into units
# ---------------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def text_units(source: str) -> list[Unit]:
    """Split plain text into units: lines, or blank-line blocks when the text is hard-wrapped."""
    lines: list[tuple[int, int, str]] = []
    for m in _LINE.finditer(source):
        if m.start() == len(source) and m.end() == m.start():
            break
        body = m.group(0).rstrip("\r\n")
        lines.append((m.start(), m.start() + len(body), body))
    # Group into blank-line blocks.
    blocks: list[list[tuple[int, int, str]]] = []
    cur: list[tuple[int, int, str]] = []
    for ln in lines:
        if clean_line(ln[2]):
            cur.append(ln)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    units: list[Unit] = []
    for block in blocks:
        if _hard_wrapped(block):
            groups = [block]
        else:
            groups = [[ln] for ln in block]
        for g in groups:
            start, end = g[0][0], g[-1][1]
            raw = source[start:end]
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw) - len(raw.rstrip())
            text = clean_line(raw)
            if text:
                units.append(Unit(text, start + lead, end - trail))
    return units


def _hard_wrapped(block: list[tuple[int, int, str]]) -> bool:
    """Whether a block's lines are one paragraph wrapped at a fixed width."""
    if len(block) < 3:
        if len(block) == 2:
            a = block[0][2].rstrip()
            return 55 <= len(a) <= 100 and a[-1:].isalpha() and block[1][2][:1].islower()
        return False
    inner = [ln[2].rstrip() for ln in block[:-1]]
    wrapped = sum(1 for s in inner if 40 <= len(s) <= 100 and not _TERMINAL.search(s))
    lengths = [len(s) for s in inner]
    return wrapped / len(inner) >= 0.6 and max(lengths) <= 100


# ---------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------


def _html_extract(html: str, url: str | None) -> tuple[list[str], dict[str, Any]]:
    """Paragraph texts and metadata (title, author, date, url, sitename) via trafilatura."""
    import trafilatura

    def run(precision: bool) -> dict[str, Any] | None:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=precision,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
        )
        if result is None or isinstance(result, dict):
            return result
        as_dict: dict[str, Any] = result.as_dict()
        return as_dict

    # Precision mode cuts more furniture, but on some layouts it keeps only a fragment:
    # then the default mode's (much longer) text is the article.
    result = run(True)
    size = len((result or {}).get("text") or "")
    if size < SHORT_EXTRACT:
        fallback = run(False)
        if fallback is not None and len(fallback.get("text") or "") > 2 * size:
            result = fallback
    if result is None:
        return [], {}
    text = result.get("text") or ""
    paras = [clean_line(p) for p in text.split("\n")]
    meta = {
        k: result.get(k)
        for k in ("title", "author", "date", "url", "sitename", "description")
        if result.get(k)
    }
    return [p for p in paras if p], meta


def _locate(source: str, text: str, cursor: int) -> tuple[int | None, int | None, int]:
    """Best-effort offsets of a paragraph in the decoded HTML; (start, end, new cursor).

    The paragraph's opening and closing characters are searched as they are; text that
    the page spells with entities or inline tags is not found, and gets None offsets.
    """
    if len(text) <= 40:
        idx = source.find(text, cursor)
        if idx < 0:
            return None, None, cursor
        return idx, idx + len(text), idx + len(text)
    idx = source.find(text[:40], cursor)
    if idx < 0:
        return None, None, cursor
    tail = text[-20:]
    tail_idx = source.find(tail, idx + len(text) - len(tail))
    if tail_idx < 0 or tail_idx - idx > len(text) * 4 + 200:
        return None, None, cursor
    end = tail_idx + len(tail)
    return idx, end, end


def _body_start(html: str) -> int:
    """Where the page's <body> starts (0 when there is none), so <head> metadata is skipped."""
    m = re.search(r"<body[\s>]", html, re.IGNORECASE)
    return m.start() if m else 0


# ---------------------------------------------------------------------------------------
# Building documents
# ---------------------------------------------------------------------------------------


def build_document(
    doc_id: str,
    source_name: str,
    sha256: str,
    fmt: str,
    source: str,
    is_html: bool,
    metadata: dict[str, Any],
) -> Document:
    """Run extraction and the classifier over one decoded source and build its Document."""
    byline: str | None = None
    published: str | None = None
    title: str | None = None
    if is_html:
        paras, hmeta = _html_extract(source, metadata.get("url"))
        if not paras:
            raise ValueError("trafilatura found no article text in this HTML page")
        units: list[Unit] = []
        cursor = _body_start(source)
        for p in paras:
            s, e, cursor = _locate(source, p, cursor)
            units.append(Unit(p, s, e))
        title = hmeta.get("title")
        byline = hmeta.get("author")
        published = hmeta.get("date")
        for k in ("url", "sitename"):
            if hmeta.get(k) and k not in metadata:
                metadata[k] = hmeta[k]
        classify(units, metadata, html=True)
        if title:
            t = clean_line(title)
            ts, te, _ = _locate(source, t, 0)
            if units and units[0].text == t:
                units[0].role, units[0].rule = "title", None
            else:
                units.insert(0, Unit(t, ts, te, role="title"))
    else:
        units = text_units(source)
        if not units:
            raise ValueError("empty or whitespace-only: there is no text to read")
        classify(units, metadata)
        for u in units:
            if u.role == "title" and title is None:
                title = u.text
            if u.rule == "byline" and (byline is None or published is None):
                parsed = parse_byline(u.text)
                if parsed:
                    byline = byline or parsed[0]
                    published = published or parsed[1]
    if isinstance(metadata.get("title"), str) and metadata["title"].strip():
        title = metadata["title"].strip()
    if isinstance(metadata.get("published"), str) and metadata["published"].strip():
        published = metadata["published"].strip()  # what the input says beats a guess
    if isinstance(metadata.get("author"), str) and not byline:
        byline = metadata["author"].strip() or None

    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    removed: list[Removed] = []
    offset = 0
    for u in units:
        if u.removed:
            removed.append(
                Removed(
                    source_start=u.source_start,
                    source_end=u.source_end,
                    text=u.text,
                    rule=u.rule or "boilerplate",
                    reason=u.reason,
                )
            )
            continue
        if parts:
            offset += 2
        start = offset
        parts.append(u.text)
        offset += len(u.text)
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                start=start,
                end=offset,
                source_start=u.source_start,
                source_end=u.source_end,
                role=u.role if u.role in ("title", "standfirst", "heading", "body") else "body",  # type: ignore[arg-type]
            )
        )
    if not any(p.role != "title" for p in paragraphs):
        raise ValueError(
            f"no article text left after removing boilerplate ({len(removed)} blocks removed: "
            f"{', '.join(sorted({r.rule for r in removed})) or 'none'})"
        )
    return Document(
        doc_id=doc_id,
        source=source_name,
        sha256=sha256,
        format=fmt,  # type: ignore[arg-type]
        title=title,
        byline=byline,
        published=published,
        text="\n\n".join(parts),
        paragraphs=paragraphs,
        removed=removed,
        metadata=metadata,
    )


def document_from_source(
    source: str, doc_id: str = "doc", html: bool = False, metadata: dict[str, Any] | None = None
) -> Document:
    """A Document from an already-decoded text or HTML string (for tests and the API)."""
    fmt = "html" if html else "text"
    sha = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return build_document(doc_id, doc_id, sha, fmt, source, html, dict(metadata or {}))


# ---------------------------------------------------------------------------------------
# Walking the input directory
# ---------------------------------------------------------------------------------------


def _kind(name: str) -> tuple[str, str] | None:
    """(kind, extension including .gz) of a file name, or None when it is not an input."""
    low = name.lower()
    gz = low.endswith(".gz")
    base = low[:-3] if gz else low
    for kind, exts in (("text", TEXT_EXTS), ("html", HTML_EXTS), ("jsonl", JSONL_EXTS)):
        for ext in exts:
            if base.endswith(ext):
                return kind, name[-(len(ext) + (3 if gz else 0)) :]
    return None


def _walk(
    input_dir: Path, follow_symlinks: bool
) -> Iterator[tuple[Path, str | None]]:
    """Yield (path, problem) for input files in sorted order; problem explains a skip."""
    root = input_dir.resolve()
    seen: set[str] = {str(root)}

    def inside(real: Path) -> bool:
        return real == root or root in real.parents

    def walk(directory: Path) -> Iterator[tuple[Path, str | None]]:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield directory, f"cannot list this directory: {exc.strerror or exc}"
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.name.startswith("."):
                # Hidden files and folders (.git, editor and sync droppings) are not articles.
                logger.info("skipping hidden entry %s", path)
                continue
            if entry.is_symlink():
                try:
                    real = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    if _kind(entry.name) is not None:
                        yield path, "broken or looping symlink; fix or remove it"
                    continue
                if not follow_symlinks and not inside(real):
                    if real.is_dir() or _kind(entry.name) is not None:
                        yield path, (
                            f"symlink to {real}, outside the input directory: not followed "
                            "(pass follow_symlinks / --follow-symlinks to read it)"
                        )
                    continue
                if real.is_dir():
                    if str(real) in seen:
                        logger.debug("skipping %s: directory already visited (symlink loop)", path)
                        continue
                    seen.add(str(real))
                    yield from walk(path)
                    continue
            elif entry.is_dir(follow_symlinks=False):
                real = path.resolve()
                if str(real) in seen:
                    continue
                seen.add(str(real))
                yield from walk(path)
                continue
            if _kind(entry.name) is not None and path.is_file():
                yield path, None

    yield from walk(input_dir)


def _read_raw(path: Path) -> bytes:
    """The file's bytes, gunzipped when it ends in .gz; raises ValueError with a clear reason."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(f"file is {size} bytes, over the {MAX_BYTES}-byte limit; split it")
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read: {exc.strerror or exc}") from exc
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                raw = gz.read(MAX_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(
                f"truncated or corrupt gzip file ({exc}); re-download or re-compress it"
            ) from exc
        if len(raw) > MAX_BYTES:
            raise ValueError(f"decompresses to over {MAX_BYTES} bytes; split it")
    return raw


# Used with .match; the lookbehind keeps it linear wherever it is searched for.
_LOOKS_HTML = re.compile(
    r"(?<!\s)\s*+(?:<!--.*?-->\s*+)?<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)


def iter_documents(
    input_dir: Path, follow_symlinks: bool = False
) -> Iterator[Document | InputError]:
    """Yield a Document (or an InputError) for every article under ``input_dir``."""
    input_dir = Path(input_dir)
    for item in walk_inputs(input_dir, follow_symlinks):
        if isinstance(item, InputError):
            yield item
            continue
        yield from read_input(item[0], input_dir)


def walk_inputs(
    input_dir: Path, follow_symlinks: bool = False
) -> Iterator[tuple[Path, str] | InputError]:
    """The input files under ``input_dir`` in walk order, as (path, relative path), or errors."""
    input_dir = Path(input_dir)
    for path, problem in _walk(input_dir, follow_symlinks):
        rel = path.relative_to(input_dir).as_posix()
        shown = printable_name(rel)
        if shown != rel and problem is None:
            # Records are UTF-8: such a name cannot be a doc_id (nor be written at all).
            problem = (
                "file name is not valid UTF-8 (shown with \\x escapes); "
                "rename it, e.g. with `convmv -f latin1 -t utf-8`"
            )
        yield InputError(shown, problem) if problem is not None else (path, rel)


def printable_name(name: str) -> str:
    """``name`` with the undecodable bytes of a non-UTF-8 file name as \\xNN escapes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def read_input(path: Path, input_dir: Path) -> list[Document | InputError]:
    """The documents (or errors) of one input file under ``input_dir``."""
    rel = path.relative_to(input_dir).as_posix()
    kind_ext = _kind(path.name)
    if kind_ext is None:
        return [InputError(rel, "not an input type (use .txt, .html, .htm, .jsonl, or .gz)")]
    kind, ext = kind_ext
    doc_id = rel[: -len(ext)] if rel.endswith(ext) else rel
    try:
        raw = _read_raw(path)
    except ValueError as exc:
        return [InputError(rel, str(exc))]
    if kind == "jsonl":
        return list(_jsonl_documents(rel, doc_id, raw))
    try:
        source, _enc = decode_bytes(raw)
        if kind == "text" and _LOOKS_HTML.match(source):
            logger.info("%s: a web page saved as text; extracting it as HTML", rel)
            kind = "html"
        return [
            build_document(
                doc_id, rel, hashlib.sha256(raw).hexdigest(), kind, source, kind == "html", {}
            )
        ]
    except ValueError as exc:
        return [InputError(rel, str(exc))]
    except ValidationError as exc:
        # A bug of ours, not of the input, but it must not stop the run.
        logger.error("%s: built an invalid Document: %s", rel, exc)
        return [InputError(rel, f"internal error: {render_validation_error(exc)}")]


_META_KEYS = ("url", "outlet", "published", "title", "author", "language", "source")


def _jsonl_documents(rel: str, stem: str, raw: bytes) -> Iterator[Document | InputError]:
    """One Document per line of a JSONL file (fields text or html, optional metadata)."""
    try:
        content, _enc = decode_bytes(raw)
    except ValueError as exc:
        yield InputError(rel, str(exc))
        return
    if not content.strip():
        yield InputError(rel, "empty or whitespace-only: there are no records to read")
        return
    for lineno, line in enumerate(content.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{rel}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"(line): not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield InputError(where, f"(line): expected a JSON object, got {type(obj).__name__}")
            continue
        text, html = obj.get("text"), obj.get("html")
        if text is None and html is None:
            yield InputError(where, "text: missing; each line needs a 'text' or 'html' string")
            continue
        body_field = "html" if html is not None and text is None else "text"
        body = obj.get(body_field)
        if not isinstance(body, str):
            yield InputError(where, f"{body_field}: expected a string, got {type(body).__name__}")
            continue
        raw_id = obj.get("id")
        if raw_id is not None and not isinstance(raw_id, (str, int)):
            kind = type(raw_id).__name__
            yield InputError(where, f"id: expected a string or integer, got {kind}")
            continue
        given = str(raw_id).strip() if raw_id is not None else ""
        doc_id = given or f"{stem}:{lineno}"
        metadata: dict[str, Any] = {}
        bad = False
        for key, value in obj.items():
            if key in ("text", "html", "id"):
                continue
            if key in _META_KEYS and value is not None and not isinstance(value, str):
                yield InputError(where, f"{key}: expected a string, got {type(value).__name__}")
                bad = True
                break
            metadata[key] = value
        if bad:
            continue
        if "\x00" in body:
            yield InputError(where, f"{body_field}: contains NUL characters (binary data?)")
            continue
        try:
            yield build_document(
                doc_id,
                where,
                hashlib.sha256(line.encode("utf-8")).hexdigest(),
                "jsonl",
                body,
                body_field == "html",
                metadata,
            )
        except ValueError as exc:
            yield InputError(where, f"{body_field}: {exc}")
        except ValidationError as exc:
            logger.error("%s: built an invalid Document: %s", where, exc)
            yield InputError(where, f"internal error: {render_validation_error(exc)}")
