"""The outlet gazetteer: news outlets and official channels, loaded from pipeline/data/.

CONTRACT (used by the attribute and tag stages):
    gazetteer() -> Gazetteer                      (cached; loads pipeline/data/outlets.jsonl)
    Gazetteer.by_domain(url_or_host) -> OutletEntry | None
    Gazetteer.by_name(name) -> OutletEntry | None  (canonical name, alias or abbreviation)
    Gazetteer.find(text) -> list[tuple[int, int, OutletEntry]]  (non-overlapping mentions)

Matching rules (why they are what they are: precision in news prose):
- Strong forms (the canonical name unless it is also listed as weak, and ``aliases``) match
  in prose with their own capitalisation, in ALL CAPS, with a leading "The" in any case,
  and with short lower-case particles ("of", "de") capitalised as in headlines. A form
  "The X Y" also matches "X Y" when what follows "The" is two words or more. Lower-case
  prose ("ap", "the hill", "reuters") never matches.
- A one-word strong form (after any "The") right after a capitalised word or an initial,
  or right before one, is part of a longer name ("Michael Bloomberg", "Steve Forbes",
  "the Independent National Electoral Commission", "Pentagon Papers") and does not
  match (weekdays, months and pronouns are not names: "told Reuters Tuesday"); an entry's
  ``not_before`` words veto a strong match they follow ("CCTV footage", "AP classes").
- Weak forms (``weak_aliases``: "the Times", "the Post", "Time") are ambiguous or common
  words; ``find(text, include_weak=True)`` matches them only for an outlet the article
  supports: one mentioned by a strong form in the same text or passed in ``context``.
  When several supported outlets share a weak form, the nearest strong mention before it
  wins. Weak forms may be shared by several entries; strong forms may not.
- ``by_name`` is for names that are already known to be names (metadata, a speaker span):
  case-insensitive for multiword names and ordinary words, case-sensitive for
  abbreviations ("AP", "FT", "AF"), a leading "the" ignored. Weak aliases never answer
  (they are ambiguous by definition); a canonical name that is also weak ("Time") answers
  only as written; lower-case metadata spellings answer as a last resort: a domain stem
  ("nytimes", "foxnews") or an abbreviation of three letters or more ("nyt", "cnn").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import get_args
from urllib.parse import urlsplit

from schemas.models import OutletKind

__all__ = ["GazetteerError", "OutletEntry", "Gazetteer", "gazetteer", "KINDS"]

KINDS: tuple[OutletKind, ...] = get_args(OutletKind)
DATA_FILE = "outlets.jsonl"

_TOKEN = re.compile(r"\w+|[^\w\s]")
#: How many by_name answers a gazetteer keeps (the memo starts over when full).
_MEMO_SIZE = 100_000
_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"}
)
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_FIELDS = {"name", "kind", "country", "aliases", "weak_aliases", "domains", "source", "not_before"}
_REQUIRED = _FIELDS - {"weak_aliases", "not_before"}
# Capitalised words that commonly precede an outlet name without being a first name.
_NOT_A_FIRST_NAME = frozenset(
    """the a an according as at by for from in of on to told and but or said says
    with via per when while after before if so this that these those his her their its
    our my your writes wrote reports reported cited citing quoted""".split()
)

# Capitalised words that follow an outlet's name without extending it: "told Reuters Tuesday".
_NOT_PART_OF_A_NAME = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december i in on at and but or the
    this that as he she it they we you if when while after before so""".split()
)

# Lower-case words that by_name must not read as upper-case abbreviations ("who" is not WHO).
_SLUG_WORDS = frozenset({"who", "cope", "now", "was", "are", "sun", "nos", "mia", "sme", "ria"})


class GazetteerError(ValueError):
    """The outlet data is invalid; the message names the file and line."""


@dataclass(frozen=True)
class OutletEntry:
    """One outlet or official channel."""

    name: str
    kind: OutletKind
    country: str | None
    aliases: tuple[str, ...]
    weak_aliases: tuple[str, ...]
    domains: tuple[str, ...]
    source: str
    not_before: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Form:
    tokens: tuple[str, ...]  # as written, apostrophes normalised
    entry: OutletEntry
    weak: bool
    strict_the: bool = False


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.translate(_APOSTROPHES))


def _fold(token: str) -> str:
    return token.casefold()


def _is_abbreviation(token: str) -> bool:
    """True for "AP", "FT", "U.N.", "dpa": forms that must match case-sensitively."""
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return True
    if all(c.isupper() for c in letters):
        return True
    return all(c.islower() for c in letters) and len(letters) <= 4


def _strip_the(tokens: list[str]) -> list[str]:
    if len(tokens) > 1 and tokens[0].casefold() == "the":
        return tokens[1:]
    return tokens


def _key(form: str) -> tuple[str, ...]:
    """The identity of a form: case-folded tokens without a leading "the"."""
    return tuple(_fold(t) for t in _strip_the(_tokens(form)))


def _name_keys(name: str) -> list[str]:
    """Lookup keys for ``by_name``: case-sensitive for abbreviations, folded otherwise."""
    words = name.translate(_APOSTROPHES).split()
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
        if len(words) == 1 and not _is_abbreviation(words[0]):
            # "The Economist", "The Hill": the bare word answers only as written.
            return ["=" + words[0], "=" + words[0].upper()]
    if not words:
        return []
    if len(words) == 1 and _is_abbreviation(words[0]):
        word = words[0]
        keys = ["=" + word]
        if any(c.islower() for c in word):
            keys.append("=" + word.upper())  # "dpa" is also written "DPA"
        return keys
    return ["~" + " ".join(words).casefold()]


def _lookup_keys(name: str) -> list[str]:
    words = name.translate(_APOSTROPHES).split()
    if len(words) > 1 and words[0].casefold() == "the":
        words = words[1:]
    if not words:
        return []
    text = " ".join(words)
    return ["=" + text, "~" + text.casefold()]


def _host(url_or_host: str) -> str:
    """The lower-case host of a URL or host name, without port, "www." or trailing dot."""
    value = url_or_host.strip()
    if "//" not in value:
        value = "//" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".").lower()


def _domain_stem(domain: str) -> str:
    """ "nytimes" for "nytimes.com", "bbc" for "bbc.co.uk"."""
    labels = domain.split(".")
    if (
        len(labels) >= 3
        and len(labels[-1]) == 2
        and labels[-2]
        in {"co", "com", "org", "net", "gov", "go", "ac", "or", "ne", "news", "gob", "gouv"}
    ):
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def _case_ok(form: _Form, seen: list[str]) -> bool:
    """Whether the text's tokens ``seen`` carry an acceptable capitalisation of ``form``."""
    weak = form.weak
    for i, (want, got) in enumerate(zip(form.tokens, seen, strict=True)):
        if got == want:
            continue
        if i == 0 and want.casefold() == "the":
            if not form.strict_the or got == "THE":
                continue
            return False
        if weak:
            return False
        if got == want.upper() and got != got.lower():
            continue
        if i > 0 and want.islower() and got == want.capitalize():
            continue  # title case: "Time Magazine", "Times Of India"
        return False
    return True


class _Node:
    __slots__ = ("children", "forms")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.forms: list[_Form] = []


class Gazetteer:
    """Outlets with lookups by domain, by name, and in running text."""

    def __init__(
        self,
        entries: Iterable[OutletEntry],
        origin: str = "<entries>",
        lines: dict[str, int] | None = None,
    ) -> None:
        self._entries: tuple[OutletEntry, ...] = tuple(entries)
        self._origin = origin
        self._lines = lines or {}
        self._domains: dict[str, OutletEntry] = {}
        self._names: dict[str, OutletEntry] = {}
        self._exact_names: dict[str, OutletEntry] = {}
        self._abbreviations: dict[str, OutletEntry] = {}
        self._stems: dict[str, list[OutletEntry]] = {}
        self._root = _Node()
        self._build()
        # by_name answers, memoised: the tables never change once built, and the stages ask
        # about the same few names over and over (every mention of a speaker, every credit).
        self._by_name: dict[str, OutletEntry | None] = {}

    @classmethod
    def from_jsonl(cls, text: str, origin: str = DATA_FILE) -> Gazetteer:
        """Parse and validate JSONL outlet data; errors name ``origin:line``."""
        entries: list[OutletEntry] = []
        lines: dict[str, int] = {}
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            entry = _parse_line(line, f"{origin}:{number}")
            if entry.name in lines:
                raise GazetteerError(
                    f"{origin}:{number}: duplicate name {entry.name!r} "
                    f"(first on line {lines[entry.name]})"
                )
            lines[entry.name] = number
            entries.append(entry)
        return cls(entries, origin, lines)

    def _build(self) -> None:
        def loc(entry: OutletEntry) -> str:
            line = self._lines.get(entry.name)
            return f"{self._origin}:{line}" if line else f"{self._origin}: {entry.name!r}"

        strong_keys: dict[tuple[str, ...], OutletEntry] = {}
        for entry in self._entries:
            for domain in entry.domains:
                other = self._domains.get(domain)
                if other is not None and other is not entry:
                    raise GazetteerError(
                        f"{loc(entry)}: domain {domain!r} already belongs to {other.name!r} "
                        f"({loc(other)})"
                    )
                self._domains[domain] = entry
            strong = _strong_forms(entry)
            weak = list(entry.weak_aliases)
            for form in strong:
                key = _key(form)
                if not key:
                    raise GazetteerError(f"{loc(entry)}: empty name or alias {form!r}")
                other = strong_keys.get(key)
                if other is not None and other is not entry:
                    raise GazetteerError(
                        f"{loc(entry)}: name or alias {form!r} also names {other.name!r} "
                        f"({loc(other)}); make it a weak alias of both"
                    )
                strong_keys[key] = entry
                for nkey in _name_keys(form):
                    self._names.setdefault(nkey, entry)
                if form.isalpha() and form.isupper():
                    self._abbreviations.setdefault(form, entry)
                self._insert(form, entry, weak=False)
            if entry.name in entry.weak_aliases:
                # "Time", "Dawn (Pakistan)": the canonical name answers by_name only as written.
                self._exact_names[" ".join(_strip_the(entry.name.split()))] = entry
            for form in weak:
                if not _key(form):
                    raise GazetteerError(f"{loc(entry)}: empty weak alias {form!r}")
                self._insert(form, entry, weak=True)

        # Domain stems answer by_name for metadata such as "nytimes" or "foxnews", but never a
        # word that is (part of) some outlet's name: "economist", "people", "standard".
        words = {
            _fold(t)
            for e in self._entries
            for f in (e.name, *e.aliases, *e.weak_aliases)
            for t in _tokens(f)
        }
        for entry in self._entries:
            for domain in entry.domains:
                stem = _domain_stem(domain)
                if stem not in words:
                    self._stems.setdefault(stem, []).append(entry)

    def _insert(self, form: str, entry: OutletEntry, weak: bool) -> None:
        toks = _tokens(form)
        weak_forms = {tuple(_tokens(w)) for w in entry.weak_aliases}
        # "The Hill" is strong but "the Hill" (Capitol Hill) is weak: keep "The" capitalised.
        strict = not weak and toks[0] == "The" and ("the", *toks[1:]) in weak_forms
        variants = [toks]
        rest = _strip_the(toks)
        if rest is not toks and len(rest) >= 2 and not weak and tuple(rest) not in weak_forms:
            variants.append(rest)  # "The New York Times" -> "New York Times", not "New Yorker"
        for variant in variants:
            node = self._root
            for tok in variant:
                node = node.children.setdefault(_fold(tok), _Node())
            node.forms.append(_Form(tuple(variant), entry, weak, strict))

    # -- lookups ------------------------------------------------------------------------
    def by_domain(self, url_or_host: str) -> OutletEntry | None:
        """The outlet whose domain is the longest suffix of the URL's or host's host name."""
        host = _host(url_or_host)
        while host:
            entry = self._domains.get(host)
            if entry is not None:
                return entry
            _, _, host = host.partition(".")
        return None

    def by_name(self, name: str) -> OutletEntry | None:
        """The outlet called ``name`` (canonical name, alias, abbreviation), or None."""
        try:
            return self._by_name[name]
        except KeyError:
            pass
        if len(self._by_name) >= _MEMO_SIZE:
            self._by_name.clear()
        entry = self._by_name[name] = self._lookup_name(name)
        return entry

    def _lookup_name(self, name: str) -> OutletEntry | None:
        for candidate in (name, name.replace("-", " ").replace("_", " ")):
            for key in _lookup_keys(candidate):
                entry = self._names.get(key)
                if entry is not None:
                    return entry
            exact = self._exact_names.get(" ".join(_strip_the(candidate.split())))
            if exact is not None:
                return exact
        stem = name.strip()
        if stem != stem.lower():
            return None  # stems are how metadata spells outlets: "nytimes", "foxnews"
        if len(stem) >= 3 and stem.isalpha() and stem not in _SLUG_WORDS:
            entry = self._abbreviations.get(stem.upper())  # metadata slugs: "nyt", "cnn"
            if entry is not None:
                return entry
        # Short stems ("ap" from ap.org) would make prose words into outlets.
        bucket = self._stems.get(stem, []) if len(stem) >= 5 else []
        if len({id(e) for e in bucket}) == 1:
            return bucket[0]
        return None

    def find(
        self,
        text: str,
        include_weak: bool = False,
        context: Iterable[OutletEntry] = (),
    ) -> list[tuple[int, int, OutletEntry]]:
        """Non-overlapping, longest, left-to-right outlet mentions: (start, end, entry).

        With ``include_weak``, weak aliases ("the Post") count too, for outlets that the text
        mentions by a strong form or that ``context`` names (e.g. the article's publisher).
        """
        spans = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        toks = [t.translate(_APOSTROPHES) for _, _, t in spans]
        folded = [_fold(t) for t in toks]
        root = self._root.children
        # Where a name can begin: most tokens begin none, and are not looked at again.
        starts = [i for i, f in enumerate(folded) if f in root]
        strong = self._scan(spans, toks, folded, starts, None)
        if not include_weak:
            return strong
        supported: dict[int, OutletEntry] = {id(e): e for e in context}
        for _, _, entry in strong:
            supported.setdefault(id(entry), entry)
        if not supported:
            return strong
        return self._scan(spans, toks, folded, starts, (supported, strong, list(context)))

    def _scan(
        self,
        spans: list[tuple[int, int, str]],
        toks: list[str],
        folded: list[str],
        starts: list[int],
        weak: tuple[dict[int, OutletEntry], list[tuple[int, int, OutletEntry]], list[OutletEntry]]
        | None,
    ) -> list[tuple[int, int, OutletEntry]]:
        found: list[tuple[int, int, OutletEntry]] = []
        n = len(toks)
        resume = 0
        root = self._root.children
        for i in starts:
            if i < resume:
                continue  # inside the previous mention
            node = root.get(folded[i])
            best: tuple[int, OutletEntry, bool] | None = None
            j = i
            while node is not None:
                if node.forms:
                    hit = self._pick(node.forms, toks, i, j, spans, weak)
                    if hit is not None:
                        best = (j, *hit)
                j += 1
                if j >= n or spans[j][0] - spans[j - 1][1] > 2:
                    break
                node = node.children.get(folded[j])
            if best is None:
                continue
            end, entry, weak_hit = best
            # A span keeps its "the" when the name or the weak alias has one ("The New York
            # Times", "the Post"), not otherwise: "the Kremlin" -> "Kremlin".
            first = i
            if end > i and toks[i].casefold() == "the" and not weak_hit:
                first = i if entry.name.startswith("The ") else i + 1
            found.append((spans[first][0], spans[end][1], entry))
            resume = end + 1
        return found

    def _pick(
        self,
        forms: list[_Form],
        toks: list[str],
        i: int,
        j: int,
        spans: list[tuple[int, int, str]],
        weak: tuple[dict[int, OutletEntry], list[tuple[int, int, OutletEntry]], list[OutletEntry]]
        | None,
    ) -> tuple[OutletEntry, bool] | None:
        seen = toks[i : j + 1]
        for form in forms:
            if form.weak or not _case_ok(form, seen):
                continue
            core = form.tokens[1:] if form.tokens[0].casefold() == "the" else form.tokens
            if (
                len(core) == 1
                and not _is_abbreviation(core[0])
                and (
                    (len(seen) == 1 and _after_name(toks, spans, i)) or _before_name(toks, spans, j)
                )
            ):
                continue
            if (
                form.entry.not_before
                and j + 1 < len(toks)
                and (
                    toks[j + 1] in form.entry.not_before
                    or toks[j + 1].casefold() in form.entry.not_before
                )
            ):
                continue
            return form.entry, False
        if weak is None:
            return None
        supported, strong, context = weak
        candidates = [
            f.entry for f in forms if f.weak and id(f.entry) in supported and _case_ok(f, seen)
        ]
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0], True
        start = spans[i][0]
        ids = {id(e) for e in candidates}
        before = [e for s, _, e in strong if s < start and id(e) in ids]
        if before:
            return before[-1], True
        after = [e for s, _, e in strong if id(e) in ids]
        if after:
            return after[0], True
        for entry in context:
            if id(entry) in ids:
                return entry, True
        return candidates[0], True

    def kinds(self) -> dict[OutletKind, int]:
        """How many entries of each kind, in the order of ``KINDS`` (kinds with none omitted)."""
        counts: dict[OutletKind, int] = {k: 0 for k in KINDS}
        for entry in self._entries:
            counts[entry.kind] += 1
        return {k: v for k, v in counts.items() if v}

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[OutletEntry]:
        return iter(self._entries)

    def __contains__(self, item: object) -> bool:
        return item in self._entries


def _after_name(toks: list[str], spans: list[tuple[int, int, str]], i: int) -> bool:
    """Whether token i directly follows a capitalised word that could be a first name."""
    if i == 0:
        return False
    prev = toks[i - 1]
    if spans[i][0] - spans[i - 1][1] != 1:
        return False
    if prev == "." and i >= 2 and len(toks[i - 2]) == 1 and toks[i - 2].isupper():
        return True  # an initial: "Michael R. Bloomberg"
    if not prev[:1].isupper():
        return False
    if prev.isupper() and len(prev) > 1:
        return False
    return prev.casefold() not in _NOT_A_FIRST_NAME


def _before_name(toks: list[str], spans: list[tuple[int, int, str]], j: int) -> bool:
    """Whether token j is followed by a capitalised word, as in a longer name ("the
    Independent National Electoral Commission", "Reuters Institute", "Pentagon Papers")."""
    if j + 1 >= len(toks) or spans[j + 1][0] - spans[j][1] != 1:
        return False
    nxt = toks[j + 1]
    if not nxt[:1].isupper() or nxt.isupper() or nxt.casefold() in _NOT_PART_OF_A_NAME:
        return False
    return nxt.isalpha()


def _strong_forms(entry: OutletEntry) -> list[str]:
    forms = [] if entry.name in entry.weak_aliases else [entry.name]
    forms.extend(a for a in entry.aliases if a not in forms)
    return forms


def _str_list(value: object, field: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: {field} must be a list of non-empty strings")
    if len(set(value)) != len(value):
        raise GazetteerError(f"{where}: {field} has duplicates")
    return tuple(value)


def _parse_line(line: str, where: str) -> OutletEntry:
    """One validated entry from one JSONL line."""
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{where}: not JSON: {exc.msg}") from exc
    if not isinstance(raw, dict):
        raise GazetteerError(f"{where}: expected a JSON object")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise GazetteerError(f"{where}: unknown field(s) {sorted(unknown)}")
    missing = _REQUIRED - set(raw)
    if missing:
        raise GazetteerError(f"{where}: missing field(s) {sorted(missing)}")
    name, kind, country, source = raw["name"], raw["kind"], raw["country"], raw["source"]
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        raise GazetteerError(f"{where}: name must be a non-empty trimmed string")
    if kind not in KINDS:
        raise GazetteerError(f"{where}: {name!r}: unknown kind {kind!r}; one of {list(KINDS)}")
    if country is not None and (not isinstance(country, str) or not _COUNTRY.match(country)):
        raise GazetteerError(f"{where}: {name!r}: country must be ISO 3166 alpha-2 or null")
    if not isinstance(source, str) or not source.strip():
        raise GazetteerError(f"{where}: {name!r}: source must be a non-empty string")
    aliases = _str_list(raw["aliases"], "aliases", where)
    weak = _str_list(raw.get("weak_aliases", []), "weak_aliases", where)
    domains = _str_list(raw["domains"], "domains", where)
    if not domains:
        raise GazetteerError(f"{where}: {name!r}: needs at least one domain")
    for domain in domains:
        if not _HOST.match(domain) or domain.startswith("www."):
            raise GazetteerError(
                f"{where}: {name!r}: domain {domain!r} must be a lower-case host name "
                "without scheme, path or 'www.'"
            )
    clash = set(aliases) & set(weak)
    if clash:
        raise GazetteerError(f"{where}: {name!r}: {sorted(clash)} both strong and weak")
    not_before = _str_list(raw.get("not_before", []), "not_before", where)
    return OutletEntry(name, kind, country, aliases, weak, domains, source, not_before)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The bundled gazetteer (pipeline/data/outlets.jsonl), loaded once."""
    data = resources.files("pipeline").joinpath("data", DATA_FILE)
    return Gazetteer.from_jsonl(data.read_text(encoding="utf-8"), origin=DATA_FILE)
