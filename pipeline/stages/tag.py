"""Stage tag: attributions -> quotes.jsonl (publisher, wire and via for every quote).

CONTRACT (used by pipeline.runner):
    tag(document: Document, attributions: list[Attribution], doc: spacy.tokens.Doc | None)
        -> list[Quote]

Publisher: input metadata first ("outlet", mapped through the gazetteer to its canonical
name when it knows it, else kept as given; then the "url" domain through
``Gazetteer.by_domain``), else the article's own self-references (tag_publisher.txt) in
strip's removed blocks, the byline and the text, else null. Outlets merely cited in the
article ("according to Reuters") never make the publisher. A news agency's self-reference
("© 2016 The Associated Press", "Reuters staff") is a wire credit, never the publisher.

Wire: the agency credit of the article (tag_wire.txt: datelines "WASHINGTON (Reuters) -",
"Reuters with additional editing by", "Reporting by ...; Editing by ...", "The Associated
Press contributed to this report", "Copyright ... Associated Press", "Source: AFP",
"— AFP"), resolved through the gazetteer and kept only when it names a news agency. Photo
credits are never wires: removed blocks with the rules ``photo_credit`` and ``caption``
are ignored, and a credit on a line with a photo marker (tag_photo_markers.txt) is dropped.
"via AP" is not taken as a wire credit: in news copy it nearly always credits a picture.

Via, per quote: the outlet or official channel the words were relayed through, with the
span of its mention (the outlet's name, e.g. "CCTV"; or the channel's noun phrase, e.g. "a
Chinese foreign ministry statement", "Russian television", "Twitter"). A mention counts only
inside a relaying construction (tag_via.txt): "according to X", "as related by X", "was
quoted ... by X", "X quoted/wrote/reported/said ...", "told X", "in an interview with X",
"said on X", "wrote on X", and for official channels also "in/at a statement/briefing".
Outlet names come from the gazetteer (weak forms such as "the Post" for outlets the article
supports) and from the article itself when it names one as such ("state broadcaster CCTV").
An official channel is named after its issuing body ("a Chinese foreign ministry statement"
-> "Chinese Foreign Ministry", "the Chinese summary" -> "Chinese government"), else after
the speaker ("Husted said in a statement" -> "Husted"). Gazetteer entries of official
bodies (the Kremlin) are bodies, not channels: "according to the Kremlin" is a speaker.
Which quotes a via applies to -- only where the text says so:

1. Same sentence: a construction applies to the quotes whose sentences (from the first
   sentence of quote, cue and speaker to the last, never past the paragraphs of quote and
   cue) contain it, outside the quoted words themselves and outside other quotes' words;
   when several quotes share the sentence it goes to the one whose cue is nearest (ties:
   all of them, e.g. two quotes of one cue), and to the other quotes of the same speaker
   there that have no channel of their own.
2. Continuation: a quote with no cue of its own (a quote paragraph continuing the previous
   quote) inherits the via of the quote right before it.
3. Explicit chain: a construction that names the event it reports ("CCTV said in its report
   on a call between the two men", "according to a readout of the meeting") carries over
   to later quotes whose own clause places them in that event, near the cue ("was quoted
   as saying in the video call", "told Putin during the call"; not "the CCTV report of the
   call"), and whose sentence names no channel of its own.

An outlet that is itself the speaker (speaker.kind == "outlet") is decided by the cue. With
a cue of its own ("Bloomberg characterized ...", "The Post reported", "TASS wrote that") it
speaks in its own voice: nothing relays its words, so its own mention is not its via (via
stays null unless the sentence names another channel). With a relaying cue ("according to
state broadcaster CCTV", "as reported by TASS") the cue says the outlet passes on someone
else's words, so the outlet is also the via, even when the attribute stage could name no
other speaker. An outlet is also the via of a quote that its reported words contain ("Xi
said ..., CCTV said in its report" gives Xi's quote via CCTV).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, cast

from spacy.tokens import Doc

from pipeline.prefilter import may_match, needles
from schemas.models import Attribution, Document, OutletKind, Quote, Via

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "data"

#: Removed blocks under these rules credit pictures, not the article.
PHOTO_RULES = frozenset({"photo_credit", "caption"})

#: Gazetteer kinds of official bodies: they issue channels but are not channels by themselves
#: ("according to the Kremlin" makes the Kremlin the speaker, not a via).
OFFICIAL_KINDS = frozenset({"official_statement", "official", "government", "official_channel"})

_OUTLET_KINDS: frozenset[str] = frozenset(
    {"news_agency", "broadcaster", "newspaper", "magazine", "online", "official_statement", "other"}
)

# A capitalised outlet name: "South China Morning Post", "The Moscow Times", "AF", "U.S. News".
# Words stop at a full stop so that "Asia Financial. He has ..." ends at "Financial".
_WORD = r"(?:[A-Z]\.){2,}|[A-Z][\w&'’-]*"
NAME = (
    rf"(?P<name>(?:[Tt]he\s+)?(?:{_WORD})"
    rf"(?:(?:[ \t]+(?:of|&|for|de|du|la|the))*[ \t]+(?:{_WORD})){{0,6}})"
)

# Capitalised words that follow "told the newspaper" without being its name.
_NOT_NAMES = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|The|A|An|I|It|He|"
    r"She|They|We|In|On|At|After|Before|But|And|Last|This|That|Mr|Mrs|Ms|Dr)"
)

# Nationality adjectives: a channel issued by "the Chinese" side is the Chinese government's.
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:ese|ian|an|ish|ch|i|ic)$")


class OutletEntryLike(Protocol):
    """What the tag stage reads of a gazetteer entry (pipeline.outlets.OutletEntry)."""

    @property
    def name(self) -> str:
        """Canonical name."""
        ...

    @property
    def kind(self) -> str:
        """Outlet kind: news_agency, broadcaster, newspaper, ..."""
        ...


class GazetteerLike(Protocol):
    """What the tag stage reads of the gazetteer (pipeline.outlets.Gazetteer)."""

    def by_domain(self, url_or_host: str) -> OutletEntryLike | None:
        """The outlet of a URL or host name."""
        ...

    def by_name(self, name: str) -> OutletEntryLike | None:
        """The outlet of a canonical name, alias or abbreviation."""
        ...

    def find(
        self, text: str, include_weak: bool = False, context: Iterable[Any] = ()
    ) -> Sequence[tuple[int, int, OutletEntryLike]]:
        """Non-overlapping outlet mentions in ``text`` (weak forms for supported outlets)."""
        ...


def default_gazetteer() -> GazetteerLike:
    """The project's outlet gazetteer (pipeline.outlets), loaded once per process."""
    from pipeline import outlets

    return cast(GazetteerLike, outlets.gazetteer())


# ---------------------------------------------------------------------------- data files


def _data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of pipeline/data/<name>."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [ln.rstrip("\n") for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@dataclass(frozen=True)
class CreditPattern:
    """A self-reference or agency credit pattern from tag_publisher.txt / tag_wire.txt."""

    regex: re.Pattern[str]
    fixed: str | None
    strength: int
    #: Strings one of which every match contains (pipeline.prefilter), to skip hopeless scans.
    needles: tuple[str, ...] | None = None


def _credit_patterns(name: str, with_strength: bool) -> tuple[CreditPattern, ...]:
    out = []
    for line in _data_lines(name):
        parts = line.split("\t")
        strength = int(parts.pop(0)) if with_strength else 2
        fixed, source = parts[0], "\t".join(parts[1:])
        regex = re.compile(source.replace("{NAME}", NAME), re.MULTILINE)
        out.append(CreditPattern(regex, None if fixed == "-" else fixed, strength, needles(regex)))
    return tuple(out)


@lru_cache(maxsize=1)
def publisher_patterns() -> tuple[CreditPattern, ...]:
    """Self-reference patterns, strongest first (pipeline/data/tag_publisher.txt)."""
    return _credit_patterns("tag_publisher.txt", with_strength=True)


@lru_cache(maxsize=1)
def wire_patterns() -> tuple[CreditPattern, ...]:
    """Agency credit patterns (pipeline/data/tag_wire.txt)."""
    return _credit_patterns("tag_wire.txt", with_strength=False)


@lru_cache(maxsize=1)
def photo_markers() -> tuple[re.Pattern[str], ...]:
    """Markers of photo and video credits (pipeline/data/tag_photo_markers.txt)."""
    return tuple(re.compile(p) for p in _data_lines("tag_photo_markers.txt"))


@dataclass(frozen=True)
class ViaRules:
    """The compiled via constructions and channel lexicons."""

    left: tuple[re.Pattern[str], ...]
    official_left: tuple[re.Pattern[str], ...]
    right: tuple[re.Pattern[str], ...]
    reject: tuple[re.Pattern[str], ...]
    media_reject: tuple[re.Pattern[str], ...]
    official: re.Pattern[str]
    official_noun: re.Pattern[str]
    media: re.Pattern[str]
    media_kinds: dict[str, str]
    platforms: re.Pattern[str]
    platform_kinds: dict[str, tuple[str, str]]
    appositive: re.Pattern[str]
    needs_body: frozenset[str]
    appositive_kinds: dict[str, str]
    event: re.Pattern[str]
    #: Strings one of which every match of platforms / media / appositive contains.
    platform_needles: tuple[str, ...] | None = None
    media_needles: tuple[str, ...] | None = None
    appositive_needles: tuple[str, ...] | None = None


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def via_rules() -> ViaRules:
    """Load the via constructions and lexicons from pipeline/data/tag_*.txt."""
    descr_words = _alternation(w.strip() for w in _data_lines("tag_descriptors.txt"))
    # Descriptors: "state broadcaster", "the Russian news agency"; capitalised words are
    # nationalities and must be followed by more words, so the outlet itself is not eaten;
    # a show's opening quotation mark may come last ('said on “Meet the Press”').
    descr = rf"(?:(?:(?i:{descr_words})|(?-i:[A-Z][a-z]+))[\s-]+){{0,5}}(?:[“\"‘']\s*)?"
    sides: dict[str, list[re.Pattern[str]]] = {
        "left": [],
        "official": [],
        "right": [],
        "reject": [],
        "reject-media": [],
    }
    for line in _data_lines("tag_via.txt"):
        side, source = line.split("\t", 1)
        sides[side].append(re.compile(source.replace("{DESCR}", descr), re.IGNORECASE))
    channel_lines = [ln.split("\t") for ln in _data_lines("tag_channels.txt")]
    channels = _alternation(parts[0].strip() for parts in channel_lines)
    needs_body = frozenset(p[0].strip().lower() for p in channel_lines if p[1:] == ["body"])
    bodies = _alternation(w.strip() for w in _data_lines("tag_official_bodies.txt"))
    body_word = rf"(?:(?i:{bodies})|(?:[A-Z]\.){{2,}}|[A-Z][\w&-]*(?:['’]s)?)"
    official = re.compile(
        rf"\b(?:(?i:the|a|an|its|their|his|her|this|that)\s+)?"
        rf"(?P<body>(?:{body_word}\s+){{0,6}})"
        rf"(?P<noun>(?i:{channels}))(?:s|es)?\b"
        rf"(?:\s+(?:from|by|issued\s+by|released\s+by)\s+(?:the\s+)?"
        rf"(?P<after>(?:{_WORD})(?:\s+(?:{_WORD})){{0,4}}"
        rf"(?:\s+(?:campaign|office|ministry|administration|government|committee|department|"
        rf"embassy|party|team))?))?"
    )
    media_kinds = dict(line.split("\t") for line in _data_lines("tag_media.txt"))
    # Nationalities ("Russian television") and the state words; not "On television".
    adjectives = rf"(?:(?:(?!{_NOT_NAMES}\b)[A-Z][a-z]+|state|state-run|state-owned|"
    adjectives += r"state-controlled|public|national|local|official|pro-[\w-]+|"
    adjectives += r"Kremlin-backed|Kremlin-controlled)\s+){0,3}"
    media = re.compile(rf"\b{adjectives}(?P<noun>{_alternation(media_kinds)})\b")
    # One pass for all platforms: group p<i> is line i of tag_platforms.txt.
    platforms = [tuple(line.split("\t")) for line in _data_lines("tag_platforms.txt")]
    platform_rx = re.compile("|".join(f"(?P<p{i}>{p[2]})" for i, p in enumerate(platforms)))
    nouns = dict(line.split("\t") for line in _data_lines("tag_outlet_nouns.txt"))
    # "state broadcaster CCTV", "the daily Kommersant": the noun says the name is an outlet.
    appositive = re.compile(rf"\b(?P<noun>{_alternation(nouns)})\s+(?!{_NOT_NAMES}\b){NAME}")
    event = re.compile(
        rf"\b(?:report|reports|readout|read-out|summary|account|statement|transcript|"
        rf"communiqu[eé]|{channels})\s+(?:on|of|about|from)\s+(?:the\s+|a\s+|an\s+|their\s+|"
        rf"its\s+|his\s+|her\s+)?(?:[\w-]+\s+){{0,4}}?"
        rf"(?P<event>call|calls|meeting|meetings|talks|summit|conversation|interview|session|"
        rf"visit|conference|phone\s+call|video\s+call|exchange|discussion|discussions)\b",
        re.IGNORECASE,
    )
    return ViaRules(
        left=tuple(sides["left"]),
        official_left=tuple(sides["official"]),
        right=tuple(sides["right"]),
        reject=tuple(sides["reject"]),
        media_reject=tuple(sides["reject-media"]),
        official=official,
        official_noun=re.compile(rf"\b(?i:{channels})(?:s|es)?\b"),
        media=media,
        media_kinds=media_kinds,
        platforms=platform_rx,
        platform_kinds={f"p{i}": (p[0], p[1]) for i, p in enumerate(platforms)},
        appositive=appositive,
        needs_body=needs_body,
        appositive_kinds={k.lower(): v for k, v in nouns.items()},
        event=event,
        platform_needles=needles(platform_rx),
        media_needles=needles(media),
        appositive_needles=needles(appositive),
    )


# ------------------------------------------------------------------ publisher and wire


def _credit_sources(document: Document) -> list[str]:
    """The texts that may carry the article's own credits, in the order they are trusted."""
    sources = [r.text for r in document.removed if r.rule not in PHOTO_RULES]
    if document.byline:
        sources.append(document.byline)
    sources.append(document.text)
    return sources


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" \t.,;:!?'’\"")
    # "Practical Horseman Editorial Staff": the desk is not part of the outlet's name.
    return re.sub(r"(?: (?:Editorial|Editors|Staff|Team|Desk|Newsroom))+$", "", name)


def _initials(name: str) -> str:
    words = [w for w in re.split(r"\s+", name) if w and w.lower() not in {"the", "of", "and", "&"}]
    return "".join(w[0] for w in words).upper()


def _is_agency(entry: OutletEntryLike | None) -> bool:
    return entry is not None and entry.kind == "news_agency"


def _on_photo_line(text: str, start: int, end: int) -> bool:
    """True when a credit at text[start:end] sits on a photo or video credit line."""
    line_start = text.rfind("\n", 0, start) + 1
    context = text[max(line_start, start - 40) : end]
    return any(m.search(context) for m in photo_markers())


def metadata_publisher(document: Document, gaz: GazetteerLike) -> str | None:
    """The publisher the input metadata gives: its outlet, else its URL's domain."""
    outlet = document.metadata.get("outlet")
    if isinstance(outlet, str) and outlet.strip():
        entry = gaz.by_name(outlet.strip())
        return entry.name if entry is not None else outlet.strip()
    url = document.metadata.get("url")
    if isinstance(url, str) and url.strip():
        entry = gaz.by_domain(url.strip())
        if entry is not None:
            return entry.name
    return None


def self_reference_publisher(document: Document, gaz: GazetteerLike) -> str | None:
    """The publisher the article names itself (print-edition notes, bios, promos), or None."""
    found: list[tuple[CreditPattern, str]] = []
    for pattern in publisher_patterns():
        for source in _credit_sources(document):
            if not may_match(pattern.needles, source):
                continue
            for m in pattern.regex.finditer(source):
                name = pattern.fixed or _clean_name(m.group("name"))
                if name:
                    found.append((pattern, name))
    strong = [name for pattern, name in found if pattern.strength >= 2]
    for pattern, name in found:
        entry = gaz.by_name(name)
        if _is_agency(entry):
            continue  # an agency's own credit is the wire, not the publisher
        if entry is not None:
            return entry.name
        if pattern.strength >= 2:
            return name
        # A weak self-reference ("Also on AF") stands when a strong one explains it.
        for other in strong:
            if name == other or name == _initials(other):
                other_entry = gaz.by_name(other)
                return other_entry.name if other_entry is not None else other
    return None


def find_publisher(document: Document, gaz: GazetteerLike) -> str | None:
    """The article's publisher: metadata, else self-references, else None."""
    return metadata_publisher(document, gaz) or self_reference_publisher(document, gaz)


def find_wire(document: Document, gaz: GazetteerLike) -> str | None:
    """The news agency credited for the article, or None (photo credits never count)."""
    for pattern in wire_patterns():
        for source in _credit_sources(document):
            if not may_match(pattern.needles, source):
                continue
            for m in pattern.regex.finditer(source):
                if _on_photo_line(source, m.start(), m.end()):
                    continue
                if pattern.fixed is not None:
                    entry = gaz.by_name(pattern.fixed)
                    return entry.name if entry is not None else pattern.fixed
                entry = gaz.by_name(_clean_name(m.group("name")))
                if entry is not None and _is_agency(entry):
                    return entry.name
    return None


_HAT_TIP = re.compile(
    rf"\b(?:[Hh]/[Tt]/?|[Hh]at [Tt]ip|HT\b|[Vv]ia)\s*:?\s*(?:to\s+)?{NAME}", re.MULTILINE
)


def find_credits(document: Document, gaz: GazetteerLike) -> list[str]:
    """Outlets credited with a hat tip ("h/t: The Hill"): sources of the story, not wires."""
    names: list[str] = []
    for source in _credit_sources(document):
        for m in _HAT_TIP.finditer(source):
            if m.group(0)[:1] in "Vv":
                continue  # "via X" credits pictures and embeds far more often than stories
            name = _clean_name(m.group("name"))
            entry = gaz.by_name(name)
            resolved = entry.name if entry is not None else name
            if resolved not in names:
                names.append(resolved)
    return names


# -------------------------------------------------------------------------------- via


@dataclass(frozen=True)
class Channel:
    """A mention of an outlet or official channel in the article text."""

    start: int
    end: int
    name: str
    kind: OutletKind
    official: bool
    bodiless: bool = False  # an official channel that names no issuing body ("a statement")


@dataclass(frozen=True)
class Candidate:
    """A channel mention inside a relaying construction: a possible via."""

    channel: Channel
    event: str | None  # the event the relayed report is about ("call"), for chains


def _kind(raw: str) -> OutletKind:
    return cast(OutletKind, raw) if raw in _OUTLET_KINDS else "other"


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _title(words: str) -> str:
    """'chinese foreign ministry' -> 'Chinese Foreign Ministry' (capitals kept)."""
    return " ".join(w if w[:1].isupper() else w[:1].upper() + w[1:] for w in words.split())


_GENERIC_BODY = frozenset(
    {
        "joint", "official", "written", "brief", "formal", "separate", "later", "earlier", "new",
        "latest", "final", "full", "initial", "lengthy", "short", "terse", "two-page",
        "one-page", "the", "a", "an", "its", "their", "his", "her", "this", "that",
    }
)  # fmt: skip


def _official_name(body: str, after: str | None, noun: str, gaz: GazetteerLike) -> str:
    """The issuing body of an official channel: 'Chinese Foreign Ministry', 'White House'."""
    words = [w for w in body.split() if w.lower() not in _GENERIC_BODY]
    if words:
        words[-1] = re.sub(r"['’]s$", "", words[-1])
        phrase = " ".join(words)
        entry = gaz.by_name(phrase)
        if entry is not None:
            return entry.name
        if len(words) == 1 and _NATIONALITY.match(words[0]):
            return f"{words[0]} government"
        return _title(phrase)
    if after:
        entry = gaz.by_name(after)
        return entry.name if entry is not None else _clean_name(after)
    return noun.lower()


_REST = re.compile(r"[\s,]*(?:the\s+)?")


def _official_matches(text: str, rules: ViaRules) -> list[re.Match[str]]:
    """Official channel phrases, found from their nouns (the full pattern is slow to scan)."""
    out: list[re.Match[str]] = []
    for n in rules.official_noun.finditer(text):
        if out and out[-1].end() > n.start():
            continue  # already inside the previous phrase ("statement from the ... statement")
        for m in rules.official.finditer(text, max(0, n.start() - 120), n.end() + 80):
            if m.start("noun") == n.start():
                out.append(m)
                break
    return out


def find_channels(text: str, gaz: GazetteerLike, publisher: str | None = None) -> list[Channel]:
    """Every outlet, platform, generic medium and official channel mentioned in ``text``."""
    rules = via_rules()
    official: list[Channel] = []
    for m in _official_matches(text, rules):
        body, after = m.group("body"), m.group("after")
        named = bool(after) or any(w.lower() not in _GENERIC_BODY for w in body.split())
        if not named and m.group("noun").lower() in rules.needs_body:
            continue  # "at a briefing" is any briefing; "a White House briefing" is a channel
        name = _official_name(body, after, m.group("noun"), gaz)
        official.append(
            Channel(m.start(), m.end(), name, "official_statement", True, bodiless=not named)
        )
    outlets: list[Channel] = []
    # Weak forms ("the Post", "the Times") count for outlets the article supports: those it
    # names in full, and its own publisher ("he told the Post" in a Post article).
    own = gaz.by_name(publisher) if publisher else None
    for start, end, entry in gaz.find(text, include_weak=True, context=[own] if own else []):
        if entry.kind in OFFICIAL_KINDS:
            continue  # a body, not a channel: it only counts inside an official channel
        outlets.append(Channel(start, end, entry.name, _kind(entry.kind), False))
    platforms = []
    scan_platforms = may_match(rules.platform_needles, text)
    for m in rules.platforms.finditer(text) if scan_platforms else ():
        pname, kind = rules.platform_kinds[m.lastgroup or ""]
        platforms.append(Channel(m.start(), m.end(), pname, _kind(kind), False))
    # Outlets the gazetteer does not know, named as such ("state broadcaster CCTV"), and then
    # every other mention of the same name in the article ("... by CCTV").
    known = {(c.start, c.end) for c in outlets}
    described: dict[str, OutletKind] = {}
    scan_appositive = may_match(rules.appositive_needles, text)
    for m in rules.appositive.finditer(text) if scan_appositive else ():
        name = _clean_name(m.group("name"))
        if gaz.by_name(name) is None and name:
            kind = rules.appositive_kinds.get(m.group("noun").lower(), "other")
            described.setdefault(name, _kind(kind))
    for name, kind in described.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if (m.start(), m.end()) not in known:
                outlets.append(Channel(m.start(), m.end(), name, kind, False))
    media: list[Channel] = []
    named_starts = {c.start for c in outlets}
    for m in rules.media.finditer(text) if may_match(rules.media_needles, text) else ():
        kind = rules.media_kinds[m.group("noun")]
        # "state broadcaster CCTV": the generic words only describe the named outlet.
        rest = _REST.match(text, m.end())
        if rest is not None and rest.end() in named_starts:
            continue
        mention = re.sub(r"^(?i:the|a|an)\s+", "", m.group(0))
        # A bare "TV" or "radio" is a medium only when spoken "on" ("said on TV"), not
        # "said to the TV"; nor when it qualifies a noun ("talk radio host").
        start = m.end() - len(mention)
        if " " not in mention and not re.search(r"\b[Oo]n\s+$", text[max(0, start - 8) : start]):
            continue
        if any(reject.match(text, m.end()) for reject in rules.media_reject):
            continue
        media.append(Channel(start, m.end(), mention, _kind(kind), False))
    # Earlier groups win overlaps: an official channel's own words are not separate outlets.
    chosen: list[Channel] = []
    # Platforms before the gazetteer so that "Twitter" is always the same online channel.
    for group in (official, platforms, outlets, media):
        for ch in sorted(group, key=lambda c: (c.start, -c.end)):
            if not any(_overlaps(ch.start, ch.end, o.start, o.end) for o in chosen):
                chosen.append(ch)
    return sorted(chosen, key=lambda c: (c.start, c.end))


def find_candidates(text: str, channels: Iterable[Channel]) -> list[Candidate]:
    """The channel mentions that a relaying construction makes a possible via."""
    rules = via_rules()
    out: list[Candidate] = []
    for ch in channels:
        before = text[max(0, ch.start - 160) : ch.start]
        after = text[ch.end : ch.end + 160]
        if any(rx.match(after) for rx in rules.reject):
            continue
        in_channel = ch.official or ch.kind == "online"  # "in a statement", "in a tweet"
        lefts = rules.left + (rules.official_left if in_channel else ())
        relayed = any(rx.search(before) for rx in lefts) or any(
            rx.match(after) for rx in rules.right
        )
        if not relayed:
            continue
        # The reported event must be the mention's own ("CCTV said in its report on a
        # call", "a readout of the meeting"), not one named later in the sentence.
        tail = text[ch.start : ch.end + 60]
        ev = rules.event.search(tail)
        own = ev is not None and ev.start() <= ch.end - ch.start + 30
        event = re.sub(r"^.*\s", "", ev.group("event").lower()) if ev and own else None
        out.append(Candidate(ch, event))
    return out


# -------------------------------------------------------------------------- sentences

_ABBREV = frozenset(
    {
        "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "jr",
        "sr", "prof", "no", "vs", "v", "rev", "capt", "cmdr", "adm", "maj", "pres", "sec",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "inc", "co", "corp", "ltd", "u.s", "u.k", "u.n", "e.g", "i.e", "mich", "calif", "fla",
        "n.y", "d.c", "mass", "wash", "ariz", "nev", "ore", "pa", "va", "ga", "ill", "tex",
    }
)  # fmt: skip
# Starts only where a run of end marks starts, and never gives characters back: a long run of
# dots is scanned once, not once per dot.
_SPLIT = re.compile(r"(?<![.!?…])[.!?…]++[”\"’')\]]*+\s++(?=[“\"‘'(\[]?[A-Z0-9])")


def _last_word(text: str, end: int) -> str:
    r"""The word before the end marks that end ``text[:end]`` ("U.S" of "the U.S."), or "".

    What ``re.search(r"([\w.]+)[.!?…]*$", text[:end])`` finds, without its trailing dots, in
    time proportional to the word (the search scanned and copied the whole line each time).
    """
    i = end
    while i > 0 and text[i - 1] in ".!?…":
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "._"):
        j -= 1
    return text[j:i].rstrip(".")


def _text_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by punctuation and line breaks, for when no parse is at hand."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _SPLIT.finditer(line.group(0)):
            word = _last_word(line.group(0), m.start() + 1)
            if word.lower() in _ABBREV or len(word) == 1:
                continue
            spans.append((start, line.start() + m.end()))
            start = line.start() + m.end()
        if start < line.end():
            spans.append((start, line.end()))
    return spans


def sentence_spans(text: str, doc: Doc | None) -> list[tuple[int, int]]:
    """Sentence spans from the parse when there is one, else from punctuation."""
    if doc is not None and doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    return _text_sentences(text)


def _window(spans: Sequence[tuple[int, int]], lo: int, hi: int) -> tuple[int, int]:
    """From the start of the sentence holding ``lo`` to the end of the one holding ``hi``."""
    start, end = lo, hi
    for s0, s1 in spans:
        if s0 <= lo < s1 or (s0 <= lo and lo == s1):
            start = min(start, s0)
        if s0 <= max(hi - 1, lo) < s1:
            end = max(end, s1)
    return start, end


# ------------------------------------------------------------------------ assignment


def _anchor(a: Attribution) -> tuple[int, int]:
    if a.cue is not None:
        return a.cue.start, a.cue.end
    if a.speaker is not None:
        return a.speaker.start, a.speaker.end
    return a.start, a.end


def _distance(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, b0 - a1, a0 - b1)


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


_RELAYING_CUE = re.compile(
    r"^(?:according\s+to|as\s+(?:reported|related|relayed|quoted|cited|carried)\s+by|"
    r"(?:reported|quoted|cited|carried|relayed)\s+by|per)$",
    re.IGNORECASE,
)


def _relaying_cue(a: Attribution) -> bool:
    """Does the cue itself say its speaker relays the words ("according to CCTV")?"""
    return a.cue is not None and _RELAYING_CUE.match(a.cue.text.strip()) is not None


def _eligible(c: Channel, a: Attribution, attributions: Sequence[Attribution]) -> bool:
    """May ``c`` be the via of ``a`` (the sentence test aside)?"""
    if _overlaps(c.start, c.end, a.start, a.end):
        return False  # part of the quoted words, not of their relaying
    sp = a.speaker
    if not c.official and sp is not None and not _relaying_cue(a):
        if _overlaps(c.start, c.end, sp.start, sp.end):
            return False  # the speaker's own mention ("Bloomberg reports", "Twitter announced")
        if sp.kind == "outlet" and c.name == sp.name:
            return False  # an outlet speaking in its own voice is not relayed by itself
    for b in attributions:
        if b is a:
            continue
        inside_b = _within((a.start, a.end), (b.start, b.end))
        if _within((c.start, c.end), (b.start, b.end)) and not inside_b:
            return False  # the construction belongs to someone else's quoted words
        bs = b.speaker
        if (
            not c.official
            and bs is not None
            and bs.kind == "outlet"
            and _overlaps(c.start, c.end, bs.start, bs.end)
            and not inside_b
            and not _relaying_cue(b)
        ):
            # Another quote's outlet speaker, whose own words do not contain ours ("The Times,
            # citing officials, said ..."); "according to Reuters" relays the whole sentence.
            return False
    return True


def _via(c: Channel, a: Attribution, text: str) -> Via:
    name = c.name
    if c.bodiless and a.speaker is not None and a.speaker.kind in ("person", "organization"):
        # "Husted said in a statement": the statement is the speaker's own.
        name = a.speaker.name or a.speaker.text
    return Via(name=name, kind=c.kind, text=text[c.start : c.end], start=c.start, end=c.end)


def _paragraph(paragraphs: Sequence[tuple[int, int]], pos: int, end: int) -> tuple[int, int]:
    for p0, p1 in paragraphs:
        if p0 <= pos <= p1:
            return p0, p1
    return 0, end


def quote_window(
    a: Attribution,
    spans: Sequence[tuple[int, int]],
    paragraphs: Sequence[tuple[int, int]],
    text_len: int,
) -> tuple[int, int]:
    """The sentences of a quote and its cue (and its speaker when in the same paragraphs)."""
    core = [(a.start, a.end)] + ([(a.cue.start, a.cue.end)] if a.cue is not None else [])
    lo, hi = min(p[0] for p in core), max(p[1] for p in core)
    p0 = _paragraph(paragraphs, lo, text_len)[0]
    p1 = _paragraph(paragraphs, max(hi - 1, lo), text_len)[1]
    # A speaker resolved from an earlier paragraph ("Xi" of a continuation) does not pull
    # that paragraph's constructions in.
    sp = a.speaker
    if sp is not None and p0 <= sp.start and sp.end <= p1:
        lo, hi = min(lo, sp.start), max(hi, sp.end)
    w0, w1 = _window(spans, lo, hi)
    return max(w0, p0), min(w1, p1)


_REPORT_OF = re.compile(
    r"\b(?:report|reports|readout|read-out|summary|account|statement|transcript)\s+(?:of|on)\s+$",
    re.IGNORECASE,
)


def _refers_to_event(
    text: str,
    a: Attribution,
    window: tuple[int, int],
    event: str,
    candidates: Sequence[Candidate],
) -> bool:
    """Does the quote's own clause place it in ``event`` ("quoted as saying in the call")?"""
    w0, w1 = window
    if any(w0 <= c.channel.start and c.channel.end <= w1 for c in candidates):
        return False  # the sentence names a channel of its own
    refers = re.compile(
        rf"\b(?:the|that|this|their|its|same)\s+(?:[\w-]+\s+){{0,2}}{event}s?\b", re.IGNORECASE
    )
    a0, a1 = _anchor(a)
    for m in refers.finditer(text, w0, w1):
        if _overlaps(m.start(), m.end(), a.start, a.end):
            continue  # inside the quoted words
        if _REPORT_OF.search(text[max(w0, m.start() - 30) : m.start()]):
            continue  # "the CCTV report of the call" mentions the report, not the quote's setting
        if _distance(m.start(), m.end(), a0, a1) <= 80:
            return True
    return False


def _same_speaker(a: Attribution, b: Attribution) -> bool:
    """Could ``a`` continue ``b``'s quote (same speaker, or a speaker not known)?"""
    if a.speaker is None or b.speaker is None:
        return True
    return (a.speaker.name or a.speaker.text) == (b.speaker.name or b.speaker.text)


def assign_vias(
    text: str,
    attributions: Sequence[Attribution],
    candidates: Sequence[Candidate],
    spans: Sequence[tuple[int, int]],
    paragraphs: Sequence[tuple[int, int]] = (),
) -> list[Channel | None]:
    """The via channel of each attribution, by the three rules of the module docstring."""
    windows = [quote_window(a, spans, paragraphs, len(text)) for a in attributions]
    # Rule 1: same sentence, nearest cue.
    owned: list[list[tuple[int, Candidate]]] = [[] for _ in attributions]
    for cand in candidates:
        c = cand.channel
        scored = []
        for i, a in enumerate(attributions):
            w0, w1 = windows[i]
            if not _within((c.start, c.end), (w0, w1)) or not _eligible(c, a, attributions):
                continue
            sp = a.speaker
            if sp is not None and _overlaps(c.start, c.end, sp.start, sp.end):
                # "..., according to Reuters" with Reuters as the speaker: its own via, which
                # does not take the channel from the quote it relays ("a Kremlin official said").
                owned[i].append((0, cand))
                continue
            scored.append((_distance(c.start, c.end, *_anchor(a)), i))
        if scored:
            best = min(d for d, _ in scored)
            for d, i in scored:
                if d == best:
                    owned[i].append((d, cand))
    chosen: list[Candidate | None] = [
        min(o, key=lambda x: (x[0], x[1].channel.start))[1] if o else None for o in owned
    ]
    # Quotes of one speaker in one sentence share its channel: "Citing “obligations,” the
    # spokeswoman told POLITICO that ..." relays both quotes.
    for i, a in enumerate(attributions):
        if chosen[i] is not None or a.speaker is None:
            continue
        for j, b in enumerate(attributions):
            shared = chosen[j]
            if shared is None or j == i or b.speaker is None or not _same_speaker(a, b):
                continue
            c = shared.channel
            w0, w1 = windows[i]
            if _within((c.start, c.end), (w0, w1)) and _eligible(c, a, attributions):
                chosen[i] = shared
                break
    result: list[Channel | None] = [c.channel if c else None for c in chosen]
    # Rules 2 and 3, in reading order.
    order = sorted(
        range(len(attributions)), key=lambda i: (attributions[i].start, attributions[i].end)
    )
    chain: Candidate | None = None
    prev: int | None = None
    for i in order:
        a = attributions[i]
        own = chosen[i]
        if own is not None:
            if own.event is not None:
                chain = own
        elif (
            prev is not None
            and a.cue is None
            and result[prev] is not None
            and _same_speaker(a, attributions[prev])
        ):
            result[i] = result[prev]  # rule 2: a cue-less continuation of the previous quote
        elif chain is not None and chain.event is not None and chain.channel.end <= a.start:
            if _refers_to_event(text, a, windows[i], chain.event, candidates):
                result[i] = chain.channel  # rule 3: the text names the reported event again
        prev = i
    return result


# ------------------------------------------------------------------------------- stage


def tag(
    document: Document,
    attributions: list[Attribution],
    doc: Doc | None,
    gaz: GazetteerLike | None = None,
) -> list[Quote]:
    """Return each attribution with its outlet fields (publisher, wire, via)."""
    g = gaz if gaz is not None else default_gazetteer()
    text = document.text
    publisher = find_publisher(document, g)
    wire = find_wire(document, g)
    candidates = find_candidates(text, find_channels(text, g, publisher))
    spans = sentence_spans(text, doc)
    paragraphs = [(p.start, p.end) for p in document.paragraphs]
    vias = assign_vias(text, attributions, candidates, spans, paragraphs)
    quotes = []
    for a, channel in zip(attributions, vias, strict=True):
        via = _via(channel, a, text) if channel is not None else None
        record = a.model_dump() | {
            "outlet": {
                "publisher": publisher,
                "wire": wire,
                "via": via.model_dump() if via is not None else None,
            }
        }
        quotes.append(Quote.model_validate(record, context={"text": text}))
    return quotes
