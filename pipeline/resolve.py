"""Speaker resolution: a speaker mention -> canonical name, kind, and how it was resolved.

CONTRACT (used by the attribute stage):
    resolver = EntityResolver(document, doc)   # built once per article (doc: the spaCy parse)
    resolver.resolve(start, end) -> Resolution  # the mention at document.text[start:end]

How it works: one left-to-right pass over the parse builds the article's entity table
(people from NER, cleaned of titles and possessives; organisations; outlets; anonymous
descriptors such as "a senior U.S. official"), attaching each person's roles and
nationality from titles ("Russian ambassador to China Andrey Denisov") and appositions
("Li Lifan, senior fellow at ...", "China's president, Xi Jinping,"). Pronouns and definite
descriptions met on the way are resolved against what came before them (salience with
recency decay, subjects and quote speakers weigh more, gender and number agreement,
role and nationality agreement) and become mentions of their antecedent, so that later
pronouns see the whole chain. ``resolve`` then looks the mention up (by its head token), or
resolves it on demand with the same rules when the table has no mention there.

After the pass, descriptions that found no antecedent while reading are matched once more
against the complete table, in text order ("the Russian president" before any "President
Putin" states the role; a headline's "Chinese leader says" before the name).

Decisions (documented here because they shape the output):
- A person's canonical name is the fullest form the article uses (most name tokens, first
  seen on a tie): "Vladimir V. Putin" when the article writes it so anywhere, middle
  initials and "Jr." kept. A form that only puts words before a first-name-and-surname form
  ("Crooked Hillary Clinton") is an epithet and is passed over. Titles and honorifics
  ("President", "Mr.", "State Department spokesman") are never part of the name; they become
  the person's roles (honorifics only tell gender).
- A bare surname ("Li") goes to the person of that name introduced (full name) last before
  the mention; a surname never introduced gets its own entity, upgraded when the full name
  appears later. A stated gender keeps same-surname people apart ("Mrs. Clinton").
- Coordinated named people ("both Xi and Putin") resolve to their names joined by "and" in
  order of first mention, kind "person"; so do "the two leaders" / "both men" (the two most
  salient people whose stated roles and gender fit) and a "they" that means such a pair.
- An unnamed person ("a senior U.S. official", "officials", "those close to him", "the
  State Department spokesperson" with no antecedent) is kind "anonymous" with the
  descriptor as its name, determiners dropped. An unnamed spokesperson is a person, not
  their organisation, so it is anonymous rather than "organization". A later definite
  description with the same head noun ("the official") corefers with it; a different role
  noun does not. A description with another number than two, or "counterpart" starts
  someone new; so does one with "former", "incoming", "next" ... (another time than the
  present office), unless the article states a person in that same time, before or after:
  "President-elect X", "former President X", "X, the incoming premier", "the incoming
  administration of X" (pipeline/data/resolve_tenure.txt). "The incoming president" is
  then that person, never the one in office.
- A first-person "I" outside quotation marks is the author: the document's byline when it
  has one, else unknown. A quoted "I"/"we" is left to the quote's speaker (not known here).
- Organisations (ORG/GPE/NORP entities and descriptions headed by "ministry", "campaign"
  ...) are named as written without a leading "the": "Kremlin", "China's Foreign Ministry";
  "it"/"they" can refer to them.
- An outlet known to the gazetteer (pipeline.outlets, asked only for proper names) is kind
  "outlet" with its canonical name; a name built like one ("the Dallas Morning News") or
  given with an outlet noun ("state broadcaster CCTV") is an outlet too. A gazetteer entry
  of kind "official_statement" speaks as an organisation.
- resolved_by is "mention" when the mention itself names (or describes, for new anonymous
  speakers) the speaker, "coreference" for pronouns, relative pronouns and descriptions
  resolved to an antecedent (and for a descriptor named by an apposition outside the span).
  Nothing found: name None, kind "unknown".
"""

from __future__ import annotations

import importlib
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from spacy.tokens import Doc, Span, Token

from schemas.models import Document, ResolvedBy, SpeakerKind

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"

# Reporting verbs: the subject of one is a quote speaker, who stays salient for the
# pronouns that follow ("... ," he said). A boost only, so a short list is enough.
SPEECH_VERBS = frozenset(
    """say tell add state note stress explain claim announce declare insist argue warn write
    report describe comment respond reply ask urge acknowledge admit confirm deny emphasise
    emphasize remark suggest continue told quote cite recall predict affirm hail vow pledge
    reiterate assert maintain contend observe concede signal accuse criticise criticize
    praise""".split()
)

# Determiners and quantifiers dropped from anonymous descriptors ("a senior U.S. official").
_DROP_LEFT = frozenset(
    """a an the one some several many few his her their its our my your this that these those
    another any each every other more most such""".split()
)
_GROUP_PRONOUNS = frozenset(
    """those everyone everybody someone somebody anyone anybody others""".split()
)
_INDEFINITE = frozenset("a an one some any another several many few".split())
_QUANTITIES = frozenset(
    "one some many several few most all each none number two three four five".split()
)

# "the incoming president", "a former official": another person than the one in office.
_OTHER_TIME = frozenset(
    """incoming outgoing former ex late new next future previous then onetime erstwhile
    predecessor successor""".split()
)

PronounType = Literal["m", "f", "person", "plural", "thing"]
_PRONOUNS: dict[str, PronounType] = {
    "he": "m", "him": "m", "himself": "m", "his": "m",
    "she": "f", "her": "f", "herself": "f",
    "i": "person", "me": "person", "myself": "person",
    "they": "plural", "them": "plural", "we": "plural", "us": "plural",
    "it": "thing", "its": "thing", "their": "plural",
}
_GENDERED = {"man": "m", "men": "m", "woman": "f", "women": "f", "brother": "m", "sister": "f"}
_FIRST_PERSON = frozenset({"i", "me", "myself", "we", "us", "my", "our"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC"})
_NEWS_KINDS = frozenset({"news_agency", "broadcaster", "newspaper", "magazine", "online"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_WINDOW = 4  # sentences a pronoun looks back for its antecedent
_SPEAKER_WINDOW = 12  # further back, only for a quote speaker ("he said" paragraphs later)


# --------------------------------------------------------------------------------------
# Lexicons (pipeline/data), loaded once per process


@lru_cache(maxsize=65536)  # called for every token and phrase, on few distinct strings
def _norm(text: str) -> str:
    """Lower-case, without periods, curly apostrophes straightened, spaces collapsed."""
    text = text.lower().replace("’", "'").replace(".", "")
    return " ".join(text.split())


def _lines(name: str) -> Iterable[str]:
    for raw in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line


def _sections(name: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    current = ""
    for line in _lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            continue
        out.setdefault(current, set()).add(_norm(line))
    return out


def _head_word(term: str) -> str:
    """The head of a role term: "secretary of state" -> "secretary", "premier" -> "premier"."""
    words = term.split()
    if "of" in words[1:]:
        return words[words.index("of", 1) - 1]
    return words[-1]


@dataclass(frozen=True)
class Lexicon:
    """The resolver's word lists: titles, role synonyms, people/org/outlet nouns, demonyms."""

    titles: frozenset[str]
    honorifics: frozenset[str]
    title_gender: dict[str, str]
    max_title_words: int
    role_groups: dict[str, frozenset[int]]
    people: frozenset[str]
    orgs: frozenset[str]
    outlet_names: frozenset[str]
    outlet_heads: frozenset[str]
    nationality: dict[str, str]
    first_names: dict[str, str]
    time_marks: dict[str, str]  # "incoming" -> "incoming", "ex" -> "former"
    office_nouns: frozenset[str]  # "administration": its holder leads

    def is_title(self, term: str) -> bool:
        """Whether a normalised term is a title or honorific."""
        return term in self.titles

    def person_noun(self, lemma: str) -> bool:
        """Whether a (normalised) head noun denotes a person: a title, role or people noun."""
        return lemma in self.people or lemma in self.titles or lemma in self.role_groups

    def groups(self, terms: Iterable[str]) -> set[int]:
        """Synonym groups of role terms and of their head words."""
        out: set[int] = set()
        for term in terms:
            out |= self.role_groups.get(term, frozenset())
            out |= self.role_groups.get(_head_word(term), frozenset())
        return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load (once) the data files the resolver uses."""
    titles: set[str] = set()
    honorifics: set[str] = set()
    gender: dict[str, str] = {}
    for line in _lines("titles.txt"):
        term, _, tag = line.partition("|")
        key = _norm(term)
        titles.add(key)
        for g in ("m", "f"):
            if g in tag:
                gender[key] = g
        if "h" in tag:
            honorifics.add(key)
    groups: dict[str, set[int]] = {}
    for i, line in enumerate(_lines("roles.txt")):
        for term in line.split(","):
            if term.strip():
                groups.setdefault(_norm(term), set()).add(i)
    nationality: dict[str, str] = {}
    for line in _lines("resolve_demonyms.txt"):
        demonym, _, aliases = line.partition(":")
        key = demonym.strip()
        for alias in [demonym, *aliases.split(",")]:
            if alias.strip():
                nationality[_norm(alias)] = key
    outlets = _sections("resolve_outlet_words.txt")
    names = _sections("resolve_first_names.txt")
    first: dict[str, str] = {n: "m" for n in names.get("m", set())}
    first.update({n: "f" for n in names.get("f", set())})
    tenure = _sections("resolve_tenure.txt")
    marks = {w: time for time in ("incoming", "outgoing", "former") for w in tenure.get(time, ())}
    return Lexicon(
        titles=frozenset(titles),
        honorifics=frozenset(honorifics),
        title_gender=gender,
        max_title_words=max(len(t.split()) for t in titles),
        role_groups={k: frozenset(v) for k, v in groups.items()},
        people=frozenset(_norm(x) for x in _lines("resolve_people.txt")),
        orgs=frozenset(_norm(x) for x in _lines("resolve_organizations.txt")),
        outlet_names=frozenset(outlets.get("name", set())),
        outlet_heads=frozenset(outlets.get("head", set())),
        nationality=nationality,
        first_names=first,
        time_marks=marks,
        office_nouns=frozenset(tenure.get("office", set())),
    )


@lru_cache(maxsize=1)
def _gazetteer() -> Any:
    """The outlet gazetteer, or None while pipeline.outlets has none (or its data is bad)."""
    try:
        module = importlib.import_module("pipeline.outlets")
        factory = getattr(module, "gazetteer", None)
        return None if factory is None else factory()
    except (ImportError, OSError, ValueError) as exc:
        # A broken gazetteer must not stop attribution: outlets fall back to word cues.
        log.warning("outlet gazetteer unavailable, using word cues for outlets: %s", exc)
        return None


def outlet_entry(name: str) -> tuple[str, str] | None:
    """(canonical name, outlet kind) of a known outlet or official channel, else None."""
    gaz = _gazetteer()
    if gaz is None or not name.strip():
        return None
    entry = gaz.by_name(name)
    if entry is None:
        return None
    # by_name falls back to domain stems ("India" -> zeenews.india.com): a speaker must be
    # named by the outlet's own name or one of its aliases
    forms = {entry.name, *entry.aliases, *entry.weak_aliases}
    wanted = _strip_the(name)
    if not any(_strip_the(f) == wanted for f in forms):
        return None
    return str(entry.name), str(entry.kind)


def _strip_the(name: str) -> str:
    norm = _norm(name)
    return norm[4:] if norm.startswith("the ") else norm


# --------------------------------------------------------------------------------------
# The entity table


@dataclass
class _Mention:
    start: int  # token range of the mention (the name or the description)
    end: int
    head: int
    sent: int
    weight: float  # salience: subjects and quote speakers weigh more
    speaker: bool
    by: ResolvedBy


@dataclass
class _Entity:
    kind: SpeakerKind
    name: str | None
    words: tuple[str, ...] = ()  # normalised name tokens (people)
    size: int = 0  # name tokens of the fullest form seen
    gender: str | None = None
    plural: bool = False
    head: str = ""  # head noun of a descriptor (anonymous, organisations)
    roles: set[str] = field(default_factory=set)
    # roles stated with a time: ("incoming", "president") of "President-elect Jane Roe"
    tenures: set[tuple[str, str]] = field(default_factory=set)
    nations: set[str] = field(default_factory=set)  # demonym keys ("Chinese")
    affiliations: set[str] = field(default_factory=set)  # other organisations named
    mentions: list[_Mention] = field(default_factory=list)
    introduced: int = -1  # token index of the latest full-name mention
    forms: dict[tuple[str, ...], str] = field(default_factory=dict)  # name forms, in order
    members: list[_Entity] = field(default_factory=list)  # of a group ("Xi and Putin")

    def canonical(self, given_names: dict[str, str], common: set[str]) -> None:
        """Name a person by the fullest form the article uses ("Vladimir V. Putin").

        A form that only adds words in front of a first-name-and-surname form is an epithet
        or a headline fragment ("Crooked Hillary Clinton") and is passed over; one that adds
        a first name to a compound surname ("Douglas Holtz-Eakin") is not. So is a form with
        a word the article also writes in lower case ("Obama Speech": "speech"), unless the
        person has no other name form.
        """
        multi = [f for f in self.forms if len(f) > 1]
        if not multi:
            return
        keep = [
            f for f in multi
            if not any(
                len(g) < len(f) and f[-len(g):] == g and g[0] in given_names for g in multi
            )
        ] or multi
        bare = {f[0] for f in self.forms if len(f) == 1}
        if bare:
            # only the words added to the bare name count ("ban" of "Ban Ki-moon" is a name)
            plain = [
                f for f in keep
                if not any(w in common and w not in _PARTICLES and w not in bare for w in f)
            ]
            if plain:
                keep = plain
            else:  # every longer form is a headline fragment: the bare name
                self.name = next(t for f, t in self.forms.items() if len(f) == 1)
                return
        best = max(keep, key=lambda f: (len(f), -multi.index(f)))
        self.name = self.forms[best]


@dataclass(frozen=True)
class Resolution:
    """The canonical name of a speaker mention, its kind, and how it was found."""

    name: str | None
    kind: SpeakerKind
    resolved_by: ResolvedBy


_UNKNOWN = Resolution(None, "unknown", "mention")


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# lower-case name particles: "Bill de Blasio", "Ursula von der Leyen"
_PARTICLES = frozenset("de del della di da dos das du van von der den ter la le bin al".split())


def _core(words: tuple[str, ...]) -> tuple[str, ...]:
    """Name words without generational suffixes ("Harry F. Byrd Sr." ~ "Byrd")."""
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return words


def _clean_end(doc: Doc | list[Token], start: int, end: int) -> int:
    """End of a span without trailing punctuation, possessive 's, or spaces."""
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in _POSSESSIVE
    ):
        end -= 1
    return end


def _text(toks: list[Token], start: int, end: int) -> str:
    """``doc[start:end].text`` from a token list, without building a Span."""
    end = min(end, len(toks))
    if end <= start:
        return ""
    return "".join([t.text_with_ws for t in toks[start:end - 1]]) + toks[end - 1].text


class EntityResolver:
    """Resolve speaker mentions of one article to canonical names."""

    def __init__(
        self,
        document: Document,
        doc: Doc,
        toks: list[Token] | None = None,
        heads: list[int] | None = None,
    ) -> None:
        self.document = document
        self.doc = doc
        # spaCy makes a new Token object on every doc[i]; the hot loops index this list
        # (``toks``: the caller's list of the doc's tokens, when it has one) and ``heads``,
        # the index of each token's head
        self.toks: list[Token] = list(doc) if toks is None else toks
        self._heads: list[int] = [t.head.i for t in self.toks] if heads is None else heads
        self.lex = lexicon()
        self.entities: list[_Entity] = []
        self._by_head: dict[int, tuple[_Entity, _Mention]] = {}
        self._names: dict[str, list[_Entity]] = {}  # name token -> people with it
        self._anon: dict[str, _Entity] = {}
        self._orgs: dict[str, _Entity] = {}
        self._sent = [0] * len(doc)
        self._quoted = [False] * len(doc)
        self._label_votes: Counter[tuple[str, bool]] = Counter()
        self._late: dict[int, _Entity | None] = {}
        # the table learns (genders, nationalities) only while it is built, so that what
        # resolve() answers never depends on the order it is asked in
        self._building = True
        self._index_tokens()
        self._build()
        self._building = False

    # ---- per-token facts, one pass

    def _index_tokens(self) -> None:
        """Sentence index and inside-quotation flag of every token."""
        # a doc without a parse (an empty text) has no sentences: one sentence then
        if self.doc.has_annotation("SENT_START") or self.doc.has_annotation("DEP"):
            for i, sent in enumerate(self.doc.sents):
                for t in range(sent.start, sent.end):
                    self._sent[t] = i
        inside = False
        for tok in self.toks:
            text = tok.text
            if (tok.is_space and "\n" in text) or "\n" in tok.whitespace_:
                inside = False  # a quote never runs past a paragraph without a new mark
            if "“" in text:
                inside = True
            self._quoted[tok.i] = inside
            if "”" in text:
                inside = False
            elif '"' in text:
                inside = not inside
            # votes: is this token a person's name more often than a place? (ORG labels are
            # left out: the small model often calls a surname an ORG)
            if tok.ent_type_ in ("PERSON", "GPE", "NORP"):
                self._label_votes[(tok.text, tok.ent_type_ == "PERSON")] += 1

    # ---- small predicates

    def _title_at(self, i: int, limit: int) -> int:
        """End of the longest title starting at token i (before ``limit``), or i."""
        best = i
        stop = min(limit, len(self.toks), i + self.lex.max_title_words + 3)
        toks = self.toks
        text = ""  # doc[i:j].text, grown a token at a time
        for j in range(i + 1, stop + 1):
            text += toks[j - 1].text
            if self.lex.is_title(_norm(text)):
                best = j
            text += toks[j - 1].whitespace_
        return best

    def _nation(self, text: str) -> str | None:
        return self.lex.nationality.get(_norm(text))

    def _weight(self, tok: Token) -> tuple[float, bool]:
        """Salience weight of a mention headed by ``tok``, and whether it is a quote speaker."""
        weight = 1.0
        speaker = False
        if tok.dep_ in _SUBJECT_DEPS:
            weight += 0.8
            if tok.head.lemma_.lower() in SPEECH_VERBS:
                weight += 0.6
                speaker = True
        elif tok.dep_ == "pobj" and tok.head.lower_ in ("to", "by") and (
            tok.head.head.lemma_.lower() in ("accord", "quote")
        ):
            speaker = True  # "according to X", "quoted by X"
            weight += 0.4
        elif tok.dep_ in ("compound", "poss"):
            weight -= 0.4
        if self._quoted[tok.i]:
            weight *= 0.3  # names inside a quotation are rarely what a narrative "he" means
        return weight, speaker

    def _add(
        self, ent: _Entity, start: int, end: int, head: int, by: ResolvedBy, index: bool = True
    ) -> _Mention:
        tok = self.toks[head]
        weight, speaker = self._weight(tok)
        m = _Mention(start, end, head, self._sent[head], weight, speaker, by)
        ent.mentions.append(m)
        if index:  # a group's mention at a member's head is for salience only
            self._by_head[head] = (ent, m)
        return m

    def _group_entity(self, members: list[_Entity], role: str) -> _Entity:
        """The plural entity "A and B" for named people spoken of together ("they")."""
        members = sorted(members, key=lambda m: m.mentions[0].start)
        key = "group:" + ",".join(str(id(m)) for m in members)
        ent = self._orgs.get(key)
        if ent is None:
            # named once the members' canonical names are known (end of _build)
            ent = _Entity("person", None, plural=True, head=role, members=members)
            if role:
                ent.roles.add(role)
            self._orgs[key] = ent
            self.entities.append(ent)
        return ent

    # ---- building

    def _build(self) -> None:
        """One pass over the article: people, descriptions, organisations, pronouns."""
        candidates: list[tuple[int, int, int, str]] = []  # start, end, head, what
        person_tokens: set[int] = set()
        honorifics = self.lex.honorifics
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" and not (
                # "Ms Okafor" the NER took for a place (Ms, Mississippi): an honorific
                # opens a person's name
                len(ent) > 1 and _norm(ent[0].text) in honorifics and ent[1].text[:1].isupper()
            ):
                continue
            span = self._person_span(ent.start, ent.end)
            if span is None:
                continue
            start, end, head = span
            candidates.append((start, end, head, "name"))
            person_tokens.update(range(ent.start, ent.end))
        self._propn_people(candidates, person_tokens)
        chunks = self.doc.noun_chunks if self.doc.has_annotation("DEP") else ()
        for chunk in chunks:
            if chunk.root.i in person_tokens:
                continue  # the name itself; "Trump's campaign" is still a chunk of its own
            candidates.append((chunk.start, chunk.end, chunk.root.i, "chunk"))
        for tok in self.toks:
            # "his", "her", "its", "their" keep their antecedent salient and tell its gender
            if tok.tag_ == "PRP$" and tok.lower_ in _PRONOUNS:
                candidates.append((tok.i, tok.i + 1, tok.i, "chunk"))
        candidates.sort()
        self._walk(candidates)
        # words the article writes in lower case on their own (not "moon" of "Ki-moon")
        common: set[str] = set()
        after_space = True
        for t in self.toks:
            if after_space and t.is_lower and t.is_alpha:
                common.add(t.text)
            after_space = bool(t.whitespace_)
        for entity in self.entities:
            if entity.kind == "person":
                entity.canonical(self.lex.first_names, common)
        for entity in self.entities:
            if entity.members:
                entity.name = " and ".join(str(m.name) for m in entity.members)
        # descriptions read before the role they name was stated, in text order (so the
        # nationality one of them teaches a person serves the next: "the Russian president"
        # then "the Russian leader")
        for entity in sorted(self.entities, key=lambda e: e.mentions[0].start):
            if entity.kind == "anonymous":
                self._late_person(entity)

    def _walk(self, candidates: list[tuple[int, int, int, str]]) -> None:
        """Add the candidate mentions in text order (each sees only what came before)."""
        for start, end, head, what in candidates:
            if what == "name":
                self._add_person(start, end, head)
                continue
            root = self.toks[head]
            # the tagger sometimes calls a surname a NOUN ("Price said"): capitals decide
            if root.text[:1].isupper() and _norm(root.text) in self._names and (
                outlet_entry(root.text) is None
            ):
                # a known surname the NER labelled otherwise ("Denisov" as ORG)
                first = head
                while first > start and self.toks[first - 1].pos_ == "PROPN" and (
                    self.toks[first - 1].ent_type_ not in _ORG_LABELS
                ):
                    first -= 1
                self._add_person(first, head + 1, head)
                continue
            self._add_chunk(self.doc[start:end], root)

    def _person_span(self, start: int, end: int) -> tuple[int, int, int] | None:
        """A PERSON entity span without titles, possessive or punctuation: (start, end, head)."""
        doc = self.toks
        for i in range(start, end):
            # the NER's "Jim Jordan (R-Ohio)" or "Washington Post Trump": cut them off
            if doc[i].text in ("(", ",", ":", ";", "[", "|") and i > start:
                end = i
                break
            norm = _norm(doc[i].text)
            if i < end - 1 and (norm in self.lex.outlet_names or norm in self.lex.orgs):
                start = i + 1
        end = _clean_end(doc, start, end)
        while end - start > 1 and doc[end - 1].tag_.startswith("VB"):
            end -= 1  # a headline's "Obama Says"
        honorific = False
        while start < end - 1:
            tok = doc[start]
            stop = self._title_at(start, end - 1)
            if stop > start:
                honorific = honorific or _norm(_text(doc, start, stop)) in self.lex.honorifics
                start = stop
            elif (
                tok.ent_type_ in ("NORP", "GPE") and not honorific
                or tok.text in _POSSESSIVE
                or tok.is_punct
                or tok.pos_ == "DET"
                or self._nation(tok.text) is not None
            ):
                start += 1
            else:
                break
        if start >= end:
            return None
        words = [doc[i] for i in range(start, end)]
        if not any(w.text[:1].isupper() for w in words):
            return None
        # A headline fragment such as "Closer China": its last word is mostly a place here.
        last = words[-1].text
        # (not after an honorific: "Ms Okafor" is a person, whatever the NER said)
        votes = self._label_votes
        if not honorific and votes[(last, False)] > votes[(last, True)] and (
            len(words) == 1 or self._nation(last) is not None
        ):
            return None
        if len(words) == 1 and self.lex.is_title(_norm(last)) and not honorific:
            return None  # a bare "President" is no name
        if any(w.text in ("&", "/") or "\n" in w.text for w in words):
            return None
        if any(w.text == "-" and (w.whitespace_ or doc[w.i - 1].whitespace_) for w in words):
            return None  # "Xi-Putin Call" is a headline; "Ban Ki-moon" is a name
        return start, end, end - 1

    def _propn_people(self, out: list[tuple[int, int, int, str]], seen: set[int]) -> None:
        """Names the NER missed: a proper-noun run right after a title, or a known surname."""
        doc = self.toks
        known: set[str] = set()
        for _s, _e, head, _w in out:
            known.add(doc[head].text)
        i = 0
        n = len(doc)
        while i < n:
            tok = doc[i]
            # right after a title, the NER's ORG is a person: "Chancellor Olaf Scholz"
            titled = i > 0 and self.lex.is_title(_norm(doc[i - 1].text)) and (
                tok.ent_type_ in ("", "ORG", "PERSON")
            )
            if tok.pos_ != "PROPN" or i in seen or (
                tok.ent_type_ in _ORG_LABELS - {"NORP"} and not titled
            ):
                i += 1
                continue
            j = i
            while j < n and doc[j].pos_ == "PROPN" and j not in seen and (
                not doc[j].ent_type_ or titled and doc[j].ent_type_ == tok.ent_type_
            ):
                j += 1
            if j == i:
                i += 1
                continue
            end = _clean_end(doc, i, j)
            if end <= i:
                i = j
                continue
            # "Dr Okafor", "Prof Lee" (no full stop, so the tagger runs the title into the
            # name): the name starts after the title
            first = i
            while first < end - 1 and (stop := self._title_at(first, end - 1)) > first:
                first = stop
            if self._title_at(first, end) == end:
                first = i  # "Chief Minister": titles only, no name after them
            if self._looks_like_person(first, end, known):
                out.append((first, end, end - 1, "name"))
                seen.update(range(first, end))
            i = max(j, i + 1)

    def _looks_like_person(self, start: int, end: int, known: set[str]) -> bool:
        """Whether a proper-noun run the NER left unlabelled is a person's name."""
        doc = self.toks
        words = doc[start:end]
        if not all(w.text[:1].isupper() and w.is_alpha for w in words) or end - start > 4:
            return False
        if any(_norm(w.text) in self.lex.orgs or _norm(w.text) in self.lex.outlet_names
               for w in words):
            return False  # "Foreign Ministry", "Moscow Times": organisations, not people
        # "... ambassador to China Andrey Denisov": a title word just before the run
        if start > 0 and self.lex.is_title(_norm(doc[start - 1].text)):
            return True
        # a known name: "Li Yonghui" after "Li Lifan", "Denisov" after "Andrey Denisov"
        if any(w.text in known for w in words):
            return True
        root = doc[end - 1]
        for child in root.children:  # "Li Yonghui, senior research fellow at ..."
            if child.dep_ == "appos" and self.lex.person_noun(_norm(child.lemma_)):
                return True
        # "Jane Doe said": a two- or three-word name as the subject of a reporting verb
        return end - start >= 2 and root.dep_ == "nsubj" and (
            root.head.lemma_.lower() in SPEECH_VERBS
        )

    def _add_person(self, start: int, end: int, head: int) -> None:
        doc = self.toks
        text = _text(doc, start, end)
        entry = outlet_entry(text)
        if entry is not None:
            # the NER's "Bloomberg" PERSON: a news outlet, or an official channel
            kind: SpeakerKind = "outlet" if entry[1] in _NEWS_KINDS else "organization"
            self._add_org(entry[0], kind, start, end, head, "mention", head_word="")
            return
        words = tuple(_norm(doc[i].text) for i in range(start, end))
        # gender the mention itself states: "Mrs. Obama", "Michelle Obama"
        gender = self.lex.first_names.get(words[0]) if len(words) > 1 else None
        if start > 0 and _norm(doc[start - 1].text) in self.lex.honorifics:
            gender = self.lex.title_gender.get(_norm(doc[start - 1].text), gender)
        ent = self._match_name(words, head, gender=gender)
        if ent is None:
            ent = _Entity("person", text, words=words, size=len(words))
            self.entities.append(ent)
        elif len(words) > ent.size:
            ent.words, ent.size = words, len(words)
        ent.forms.setdefault(words, text)
        if len(words) > 1:
            ent.introduced = head
        for w in words:
            bucket = self._names.setdefault(w, [])
            if ent not in bucket:
                bucket.append(ent)
        self._add(ent, start, end, head, "mention")
        self._roles_of(ent, start, end)
        tok = doc[head]
        if tok.dep_ == "conj" and tok.head.i in self._by_head:
            # "Xi and Putin have said": the pair is what a later "they" means
            first = self._by_head[tok.head.i][0]
            if first.kind == "person" and first is not ent and not first.plural:
                pair = self._group_entity([first, ent], "")
                self._add(pair, tok.head.i, end, tok.head.i, "mention", index=False)
        if ent.gender is None:
            ent.gender = gender

    def _match_name(
        self, words: tuple[str, ...], pos: int, forward: bool = False, gender: str | None = None
    ) -> _Entity | None:
        """The person a name refers to at token ``pos`` (None: a new person).

        ``forward`` also accepts a person introduced only later (a headline's "Trump").
        """
        cands: list[_Entity] = []
        later: list[_Entity] = []
        for ent in self._names.get(words[-1], []) + self._names.get(words[0], []):
            if ent in cands or ent in later or not ent.mentions:
                continue
            if gender and ent.gender and gender != ent.gender:
                continue  # "Michelle Obama" is not the "Obama" called "he" so far
            if self._compatible(words, ent.words):
                (cands if ent.mentions[0].start < pos else later).append(ent)
        if not cands:
            if forward and later:
                return min(later, key=lambda e: e.mentions[0].start)
            return None
        # "Li" after "Li Lifan" ... "Li Yonghui": the one introduced last before it.
        return max(cands, key=lambda e: (e.introduced if e.introduced < pos else -1,
                                         e.mentions[-1].start))

    @staticmethod
    def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
        """Whether two name forms can be the same person ("Putin" ~ "Vladimir V. Putin")."""
        a, b = _core(a), _core(b)
        if not a or not b:
            return False
        short, long_ = (a, b) if len(a) <= len(b) else (b, a)
        if len(short) == 1:
            # "Xi" ~ "Xi Jinping" (family name first), "Guajardo" ~ "Ildefonso Guajardo Villarreal"
            return short[0] in long_ and not (len(short[0]) == 1 and short[0] != long_[-1])
        if long_[-len(short):] == short:
            return True  # "Holtz-Eakin" ~ "Douglas Holtz-Eakin"
        if a[-1] != b[-1]:
            return False
        return a[0] == b[0] or a[0][:1] == b[0][:1] and (len(a[0]) == 1 or len(b[0]) == 1)

    # ---- roles and nationality of a person, from the title before the name and appositions

    def _roles_of(self, ent: _Entity, start: int, end: int) -> None:
        doc = self.toks
        root = doc[end - 1]
        while root.head.i != root.i and start <= root.head.i < end:
            root = root.head
        left = max(root.left_edge.i, start - 10)
        if left < start:
            self._describe(ent, left, start, root)
        # titles the NER put inside the PERSON span were stripped before ``start``
        for child in root.children:
            if child.dep_ == "appos" and not (start <= child.i < end):
                if child.ent_type_ != "PERSON":
                    self._describe(ent, child.left_edge.i, child.i + 1, child)
        if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN"):
            h = root.head
            if h.ent_type_ != "PERSON":
                self._describe(ent, h.left_edge.i, h.i + 1, h)
        # "the incoming administration of X", "X's new government": X leads, in that time
        office = root.head
        if root.dep_ == "pobj" and office.lower_ == "of":
            office = office.head
        elif root.dep_ not in ("poss", "compound"):
            return
        if _norm(office.lemma_) in self.lex.office_nouns:
            for c in office.children:
                time = self.lex.time_marks.get(_norm(c.text))
                if time is not None and c.dep_ == "amod":
                    ent.tenures.add((time, "leader"))

    def _describe(self, ent: _Entity, start: int, end: int, anchor: Token) -> None:
        """Add roles (titles, role nouns) and nationalities found in ``doc[start:end]``."""
        doc = self.toks
        i = start
        while i < end:
            stop = self._title_at(i, end)
            if stop > i:
                term = _norm(_text(doc, i, stop))
                if term not in self.lex.honorifics:
                    ent.roles.add(term)
                    ent.roles.add(_head_word(term))
                    self._tenure(ent, term, i, stop, start)
                g = self.lex.title_gender.get(term)
                if g and ent.gender is None:
                    ent.gender = g
                i = stop
                continue
            tok = doc[i]
            lemma = _norm(tok.lemma_)
            if tok.pos_ == "NOUN" and self.lex.person_noun(lemma) and lemma != "counterpart":
                ent.roles.add(lemma)  # "his Russian counterpart" says nothing of the office
            i += 1
        self._origins(start, end, anchor, ent.nations, ent.affiliations)

    def _tenure(self, ent: _Entity, term: str, i: int, stop: int, start: int) -> None:
        """Note the time a title ``doc[i:stop]`` is stated in: "former U.S. President X",
        "X, the incoming premier", "President-elect X", "Governor-elect X"."""
        doc = self.toks
        words = term.split()
        time = self.lex.time_marks.get(words[0]) if len(words) > 1 else None
        if time is not None:
            term = " ".join(words[1:])  # the title "former president"
        elif term.endswith("-elect"):
            time, term = "incoming", term.removesuffix("-elect")
        elif stop + 1 < len(doc) and doc[stop].text == "-" and doc[stop + 1].lower_ == "elect":
            time = "incoming"
        else:
            j = i - 1
            while j >= start and self._nation(doc[j].text) is not None:
                j -= 1
            time = self.lex.time_marks.get(_norm(doc[j].text)) if j >= start else None
        if time is not None:
            ent.tenures.add((time, term))
            ent.tenures.add((time, _head_word(term)))

    def _origins(
        self, start: int, end: int, anchor: Token, nations: set[str], affiliations: set[str]
    ) -> None:
        """Nationalities and affiliations modifying ``anchor``, outside prepositional phrases."""
        doc = self.toks
        i = start
        while i < end:
            tok = doc[i]
            j = i + 1
            if tok.ent_iob_ == "B" and tok.ent_type_ in _ORG_LABELS:
                while j < end and doc[j].ent_iob_ == "I":
                    j += 1
            if self._under_prep(tok, anchor):
                i = j
                continue
            words = [doc[k] for k in range(i, j) if doc[k].lower_ != "the"]
            text = " ".join(w.text for w in words if w.text not in _POSSESSIVE)
            nation = self._nation(text)
            if nation is not None:
                nations.add(nation)
            elif tok.ent_type_ in _ORG_LABELS and j > i:
                affiliations.add(_norm(text))
                for w in words:  # "the Chinese Communist Party" is Chinese too
                    sub = self._nation(w.text)
                    if sub is not None:
                        nations.add(sub)
            i = j

    @staticmethod
    def _under_prep(tok: Token, anchor: Token) -> bool:
        """Whether ``tok`` hangs off ``anchor`` through a preposition ("ambassador to China")."""
        cur = tok
        for _ in range(12):
            if cur.i == anchor.i or cur.head.i == cur.i:
                return False
            if cur.head.pos_ == "ADP":
                return True
            cur = cur.head
        return False

    # ---- noun chunks: organisations, outlets, anonymous people, descriptions, pronouns

    def _add_chunk(self, chunk: Span, root: Token | None = None) -> None:
        """Add a noun phrase (``root``: its head, when the caller knows it)."""
        root = chunk.root if root is None else root
        low = root.lower_
        if root.pos_ == "PRON":
            if low in _FIRST_PERSON:
                return  # "I"/"we": a quote's speaker (not yet known here) or the author
            if low in _PRONOUNS:
                ant = self._pronoun(root)
                if ant is not None:
                    self._add(ant, chunk.start, chunk.end, root.i, "coreference")
            return
        if self._attached_to_person(root):
            return
        kind, name, head_word, plural = self._classify(chunk, root)
        if kind == "unknown":
            return
        if kind in ("organization", "outlet") and name is not None:
            proper = any(t.pos_ == "PROPN" for t in chunk)
            if not proper and self._definite(chunk):
                ant = self._description(chunk, head_word, want_orgs=True)
                if ant is not None:
                    self._add(ant, chunk.start, chunk.end, root.i, "coreference")
                    return
            self._add_org(name, kind, chunk.start, chunk.end, root.i, "mention", head_word,
                          plural)
            return
        if kind == "anonymous" and plural and (
            any(c.lower_ == "both" for c in root.children)
            or any(c.lower_ == "two" for c in root.children) and self._definite(chunk)
        ):
            pair = self._pair(root, head_word)
            if pair is not None:
                self._add(pair, chunk.start, chunk.end, root.i, "coreference")
                return
        if kind == "anonymous":
            if self._definite(chunk):
                ant = self._description(chunk, head_word, want_orgs=False)
                if ant is not None:
                    self._add(ant, chunk.start, chunk.end, root.i, "coreference")
                    return
            self._add_anonymous(chunk, head_word, plural)

    def _pair(self, root: Token, head_word: str) -> _Entity | None:
        """ "The two leaders", "both presidents": the two most salient people just before.

        People whose stated roles contradict the noun are left out ("the two leaders" are not
        a leader and a professor); people with no stated role may be in the pair.
        """
        groups = self.lex.groups({head_word})
        is_role = bool(groups) or self.lex.is_title(head_word)  # "leaders", not "men"
        scored: list[tuple[float, int, _Entity]] = []
        for i, ent in enumerate(self.entities):
            if ent.kind != "person" or ent.plural:
                continue
            if is_role and ent.roles and self._role_match({head_word}, groups, ent) <= 0:
                continue
            if ent.gender and head_word in _GENDERED and _GENDERED[head_word] != ent.gender:
                continue  # "the two men" are not Donald and Heidi
            score = self._salience(ent, root.i, _WINDOW)
            if score > 0:
                scored.append((score, -i, ent))
        if len(scored) < 2:
            return None
        scored.sort(key=lambda x: (x[0], x[1]), reverse=True)
        first, second = sorted(scored[:2], key=lambda x: x[2].mentions[0].start)
        return self._group_entity([first[2], second[2]], head_word)

    def _attached_to_person(self, root: Token) -> bool:
        """Whether a noun is an apposition of a named person ("China's president, Xi Jinping")."""
        if root.dep_ == "appos" and root.head.i in self._by_head:
            return self._by_head[root.head.i][0].kind == "person"
        for child in root.children:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                return True
        return root.dep_ == "compound" and root.head.ent_type_ == "PERSON"

    def _definite(self, chunk: Span) -> bool:
        """Whether a description points back: "the/this/his X", or a headline's bare "X"."""
        first = chunk[0].lower_
        if first in ("the", "this", "that", "these", "those") or chunk[0].tag_ == "PRP$":
            return True
        root = chunk.root
        # a singular count noun without any determiner is headline style ("Chinese leader
        # says ...") and refers like "the Chinese leader"
        return root.tag_ == "NN" and not any(
            c.dep_ in ("det", "poss", "nummod") for c in root.children
        )

    def _classify(
        self, span: Span, root: Token | None = None
    ) -> tuple[SpeakerKind, str | None, str, bool]:
        """(kind, name, head word, plural) of a non-pronoun noun phrase (``root``: its head)."""
        root = span.root if root is None else root
        lemma = _norm(root.lemma_)
        plural = root.tag_ in ("NNS", "NNPS")
        end = _clean_end(self.toks, span.start, root.i + 1)
        start = span.start
        toks = self.toks
        while start < end - 1 and toks[start].lower_ in _DROP_LEFT:
            start += 1
        text = _text(toks, start, end)
        # outlets: the gazetteer's name (asked for proper names only: "people" is not People
        # magazine), or "state broadcaster CCTV", or word cues
        entry = None
        capital = root.text[:1].isupper() and not (root.is_sent_start or root.i == span.start)
        if root.pos_ == "PROPN" or root.ent_type_ == "ORG" or capital or (
            any(c.isupper() for c in root.text[1:])
        ):
            entry = outlet_entry(text) or outlet_entry(_text(toks, span.start, end))
        if entry is not None:
            kind: SpeakerKind = "outlet" if entry[1] in _NEWS_KINDS else "organization"
            return kind, entry[0], lemma, plural
        words = toks[start:end]
        propn = [t for t in words if t.pos_ == "PROPN"]
        cue = [t for t in words if _norm(t.lemma_) in self.lex.outlet_heads]
        if cue and propn and propn[-1].i > cue[0].i:
            # "state broadcaster CCTV": the name after the descriptor
            first = max(cue[-1].i + 1, propn[0].i)
            name = _text(toks, first, propn[-1].i + 1)
            named = outlet_entry(name)
            return "outlet", named[0] if named else name, lemma, plural
        if root.pos_ == "PROPN" and _norm(root.text) in self.lex.outlet_names and (
            root.ent_type_ == "ORG" or len(propn) >= 2
        ):
            # not in the gazetteer, but named like an outlet: "the Dallas Morning News"
            return "outlet", self._org_name(span.start, end), lemma, plural
        if root.ent_type_ in _ORG_LABELS or lemma in self.lex.orgs or _norm(text) in self.lex.orgs:
            return "organization", self._org_name(span.start, end), lemma, plural
        if self.lex.person_noun(lemma) or self.lex.person_noun(_norm(root.text)):
            return "anonymous", self._descriptor(start, end), lemma, plural
        if lemma in self.lex.outlet_heads or _norm(root.text) in self.lex.outlet_heads:
            return "outlet", self._descriptor(start, end), lemma, plural
        return "unknown", None, lemma, plural

    def _org_name(self, start: int, end: int) -> str:
        """An organisation's name as written, without a leading "the" ("the Kremlin")."""
        doc = self.doc
        root = doc[start:end].root
        if root.ent_type_ in _ORG_LABELS and doc[end - 1].i == root.i:
            # the named entity, not what the chunk put before it ("in particular the US")
            first = root.i
            while first > start and doc[first].ent_iob_ == "I":
                first -= 1
            start = first
        while start < end - 1 and (
            doc[start].lower_ in _DROP_LEFT or not doc[start].text[:1].isalnum()
        ):
            start += 1
        return " ".join(doc[start:end].text.split())

    def _descriptor(self, start: int, end: int) -> str:
        """An anonymous speaker's descriptor: "The top aide" -> "top aide"."""
        doc = self.toks
        while start < end - 1 and (
            doc[start].lower_ in _DROP_LEFT
            or doc[start].tag_ == "PRP$"
            or not doc[start].text[:1].isalnum()
        ):
            start += 1
        first = doc[start]
        text = _text(doc, start, end)
        # "Officials said" at a sentence start: the capital is the sentence's, not the name's
        sentence_initial = first.is_sent_start or first.i == 0 or (
            not doc[first.i - 1].text[:1].isalnum()
            and (first.i < 2 or doc[first.i - 1].is_sent_start)
        )
        if sentence_initial and first.pos_ != "PROPN" and not first.ent_type_ and (
            not text[:2].isupper()
        ):
            text = text[:1].lower() + text[1:]
        return " ".join(text.split())

    def _add_org(
        self,
        name: str,
        kind: SpeakerKind,
        start: int,
        end: int,
        head: int,
        by: ResolvedBy,
        head_word: str,
        plural: bool = False,
    ) -> _Entity:
        key = kind + ":" + _norm(name)
        ent = self._orgs.get(key)
        if ent is None:
            ent = _Entity(kind, name, head=head_word, plural=plural)
            nation = self._nation(name)
            if nation:
                ent.nations.add(nation)
            self._orgs[key] = ent
            self.entities.append(ent)
        self._add(ent, start, end, head, by)
        return ent

    def _add_anonymous(self, chunk: Span, head_word: str, plural: bool) -> _Entity:
        end = _clean_end(self.toks, chunk.start, chunk.end)
        end = self._postmodifiers(chunk.root, end)
        name = self._descriptor(chunk.start, end)
        key = _norm(name)
        ent = self._anon.get(key)
        if ent is None:
            ent = _Entity("anonymous", name, head=head_word, plural=plural)
            ent.roles.add(head_word)
            self._origins(chunk.start, chunk.end, chunk.root, ent.nations, ent.affiliations)
            self._anon[key] = ent
            self.entities.append(ent)
            g = self.lex.title_gender.get(head_word)
            ent.gender = g
        self._add(ent, chunk.start, chunk.end, chunk.root.i, "mention")
        return ent

    def _postmodifiers(self, root: Token, end: int) -> int:
        """Extend a descriptor over "familiar with the matter", "at the ministry" (short ones)."""
        for child in root.rights:
            if child.i < end:
                continue
            if child.i != end or child.dep_ not in ("amod", "prep"):
                break
            right = child.right_edge.i + 1
            if right - child.i > 8:
                break
            end = _clean_end(self.toks, child.i, right)
        return end

    # ---- coreference

    def _salience(self, ent: _Entity, pos: int, window: int) -> float:
        """Decayed sum of the weights of an entity's mentions before token ``pos``."""
        sent = self._sent[pos]
        heads = self._heads
        head_of_pos = heads[pos]
        total = 0.0
        for m in reversed(ent.mentions):
            if m.start >= pos:
                continue
            d = sent - m.sent
            if d > window:
                break
            if d == 0 and heads[m.head] == head_of_pos:
                continue  # a co-argument of the same verb is not the pronoun's antecedent
            total += m.weight * 0.5**d
        return total

    def _pronoun(self, tok: Token) -> _Entity | None:
        """The antecedent of a pronoun (agreement filters, then salience)."""
        ptype = _PRONOUNS.get(tok.lower_)
        if ptype is None:
            return None
        pos = tok.i
        best: _Entity | None = None
        best_score = 0.0
        compatible: list[_Entity] = []
        for ent in self.entities:
            fit = self._agrees(ent, ptype)
            if fit <= 0:
                continue
            score = self._salience(ent, pos, _WINDOW) * fit
            if score > 0:
                compatible.append(ent)
            if score > best_score:
                best, best_score = ent, score
        if best is None and ptype in ("m", "f", "person"):
            best = self._last_speaker(pos, ptype)
            if best is not None:
                compatible = [best]
        if self._building and best is not None and best.gender is None and (
            ptype in ("m", "f") and len(compatible) == 1 and best.kind == "person"
        ):
            best.gender = ptype  # later "she"/"he" can rely on it
        return best

    def _agrees(self, ent: _Entity, ptype: PronounType) -> float:
        """How well an entity fits a pronoun: 0 excluded, <1 possible, 1 good."""
        if ptype in ("m", "f"):
            if ent.plural:
                return 0.0
            if ent.kind == "person":
                if ent.gender is None:
                    return 0.7
                return 1.0 if ent.gender == ptype else 0.0
            if ent.kind == "anonymous" and not ent.plural:
                return 0.5 if ent.gender in (None, ptype) else 0.0
            return 0.0
        if ptype == "person":
            if ent.plural:
                return 0.0
            return 1.0 if ent.kind == "person" else 0.5 if ent.kind == "anonymous" else 0.0
        if ptype == "plural":
            if ent.members:
                return 0.7  # people named together are a "they" less often than a group noun
            if ent.plural:
                return 1.0
            if ent.kind in ("organization", "outlet"):
                return 0.6
            return 0.2 if ent.kind == "anonymous" else 0.0
        # "it": a singular organisation or outlet
        if ent.kind in ("organization", "outlet") and not ent.plural:
            return 1.0
        return 0.0

    def _last_speaker(self, pos: int, ptype: PronounType) -> _Entity | None:
        """The latest quote speaker within a few paragraphs, for a distant "he said"."""
        best: _Entity | None = None
        best_at = -1
        for ent in self.entities:
            if self._agrees(ent, ptype) <= 0:
                continue
            for m in reversed(ent.mentions):
                if m.start < pos and m.speaker:
                    if self._sent[pos] - m.sent <= _SPEAKER_WINDOW and m.start > best_at:
                        best, best_at = ent, m.start
                    break
        return best

    def _description(self, chunk: Span, head_word: str, want_orgs: bool) -> _Entity | None:
        """The antecedent of a definite description ("the Chinese leader", "the ministry")."""
        nations: set[str] = set()
        affiliations: set[str] = set()
        root = chunk.root
        self._origins(chunk.start, chunk.end, root, nations, affiliations)
        terms = {head_word}
        for i in range(chunk.start, root.i + 1):
            stop = self._title_at(i, root.i + 1)
            if stop == root.i + 1:
                terms.add(_norm(_text(self.toks, i, stop)))
                break
        groups = self.lex.groups(terms)
        plural = root.tag_ in ("NNS", "NNPS")
        mods = [
            t for t in self.doc[chunk.start:root.i]
            if t.lower_ not in _DROP_LEFT and t.tag_ != "PRP$" and t.text[:1].isalnum()
        ]
        if any(t.lower_ in _OTHER_TIME or t.like_num for t in mods):
            return None  # "the incoming president", "the two leaders": not one seen before
        if root.lemma_.lower() == "counterpart":
            return None  # relational: "his Russian counterpart" is not "him"
        pos = chunk.start
        best: _Entity | None = None
        best_score = 0.0
        for ent in self.entities:
            if not ent.mentions or ent.mentions[0].start >= pos or ent.plural != plural:
                continue
            if want_orgs != (ent.kind in ("organization", "outlet")):
                continue
            if want_orgs:
                # "the ministry" -> "China's Foreign Ministry"; every modifier must agree
                words = set(_norm(ent.name or "").split())
                quality = 2.0 if (ent.head == head_word or head_word in words) and all(
                    _norm(t.text) in words or self._nation(t.text) in ent.nations for t in mods
                ) else 0.0
            elif ent.kind == "anonymous":
                quality = 2.0 if ent.head == head_word else 0.0
                if nations - ent.nations or affiliations - ent.affiliations:
                    continue  # "the GOP candidate" is not "the only candidate"
            else:
                quality = self._role_match(terms, groups, ent)
            if quality <= 0:
                continue
            if quality < 2 and not (nations & ent.nations or affiliations & ent.affiliations) \
                    and (nations or affiliations):
                continue  # "the FBI director" is not just any official: a synonym needs more
            if nations and ent.nations and not nations & ent.nations:
                continue  # "the Russian president" is not China's
            if affiliations and ent.affiliations and not affiliations & ent.affiliations:
                continue
            bonus = 0.5 * bool(nations & ent.nations) + 0.5 * bool(affiliations & ent.affiliations)
            last = max(m.start for m in ent.mentions if m.start < pos)
            recency = 0.8 ** (self._sent[pos] - self._sent[last])
            score = quality + bonus + recency
            if score > best_score:
                best, best_score = ent, score
        return best

    def _role_match(self, terms: set[str], groups: set[int], ent: _Entity) -> float:
        if terms & ent.roles or {_head_word(t) for t in terms} & ent.roles:
            return 2.0
        if groups & self.lex.groups(ent.roles):
            return 1.0
        return 0.0

    # ---- the contract

    def resolve(self, start: int, end: int) -> Resolution:
        """Resolve the mention at ``document.text[start:end]``."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return _UNKNOWN
        # a span cut out of a larger phrase ("the IMF" of "the IMF report") has several
        # tokens whose heads lie outside it; spaCy's root is then the first, maybe "the"
        s, e = span.start, span.end
        while e - s > 1 and (
            self.doc[s].pos_ in ("DET", "ADP", "PUNCT", "SPACE", "CCONJ")
            and not (s <= self.doc[s].head.i < e)
        ):
            s += 1
        while e - s > 1 and self.doc[e - 1].pos_ in ("PUNCT", "SPACE"):
            e -= 1
        return self._resolve_span(self.doc[s:e])

    def _resolve_span(self, span: Span) -> Resolution:
        """Resolve a non-empty span of the parse."""
        group = self._group(span)
        if group is not None:
            return group
        found = self._lookup(span)
        if found is not None:
            ent, by = found
            if span.root.pos_ == "PRON" and span.root.lower_ in _PRONOUNS:
                by = "coreference"
            if ent.kind == "anonymous":
                named = self._late_person(ent)
                if named is not None:
                    return Resolution(named.name, named.kind, "coreference")
            return Resolution(ent.name, ent.kind, by)
        return self._on_demand(span)

    def _late_person(self, ent: _Entity) -> _Entity | None:
        """The named person an unresolved description stands for, asked of the full table.

        While the article is read, "the Russian president" may come before any "Russian
        President Vladimir Putin" states the role, and a headline's "Chinese leader says"
        before the name. Asked once the table is complete: a singular, not indefinite
        description, matching the role (a synonym needs an agreeing nationality or
        affiliation) of a person named before it within a few sentences (nearest, best
        match first), else of one named just after it when a nationality agrees.
        """
        if id(ent) in self._late:
            return self._late[id(ent)]
        self._late[id(ent)] = None
        pos = ent.mentions[0].head
        tok = self.toks[pos]
        if ent.plural or tok.lemma_.lower() == "counterpart":
            return None
        time: str | None = None
        for c in tok.children:
            if c.lower_ in _INDEFINITE or c.like_num:
                return None  # "a Chinese diplomat": someone new
            if _norm(c.text) in _OTHER_TIME:
                time = self.lex.time_marks.get(_norm(c.text))
                if time is None or c.dep_ != "amod":
                    return None  # "the late president", "his predecessor"
        roles = set(ent.roles)
        words = _norm(ent.name or "").split()
        for k in range(len(words)):  # "incoming prime minister": the title "prime minister"
            if self.lex.is_title(" ".join(words[k:])):
                roles.add(" ".join(words[k:]))
        if any(r.endswith("-elect") for r in roles):
            time, roles = "incoming", {r.removesuffix("-elect") for r in roles}
        if time is not None:
            # "the incoming president": not the one in office, but whoever the article states
            # in that time ("President-elect X", "the incoming administration of X")
            stated = self._tenure_person(ent, time, roles, pos)
            self._late[id(ent)] = stated
            return stated
        groups = self.lex.groups(ent.roles)
        here = self._sent[pos]
        best: _Entity | None = None
        best_key: tuple[int, float, int] = (-1, 0.0, 0)
        for cand in self.entities:
            if cand.kind != "person":
                continue
            if ent.nations and cand.nations and not ent.nations & cand.nations:
                continue
            if ent.affiliations and cand.affiliations and not (
                ent.affiliations & cand.affiliations
            ):
                continue
            quality = self._role_match(set(ent.roles), groups, cand)
            agree = bool(ent.nations & cand.nations or ent.affiliations & cand.affiliations)
            if quality <= 0 or quality < 2 and (ent.nations or ent.affiliations) and not agree:
                continue
            before = [m for m in cand.mentions if m.start < pos]
            if before:
                d = here - before[-1].sent
                key = (1, quality + 0.5 * agree, -d)
            elif agree and ent.nations:
                d = cand.mentions[0].sent - here
                key = (0, quality + 0.5 * agree, -d)
            else:
                continue
            if d <= 10 and key > best_key:
                best, best_key = cand, key
        self._late[id(ent)] = best
        if self._building and best is not None and best_key[1] >= 2:
            best.nations |= ent.nations  # an exact role: its nationality is the person's
        return best

    def _tenure_person(
        self, ent: _Entity, time: str, roles: set[str], pos: int
    ) -> _Entity | None:
        """The person stated in ``time`` with a role of ``roles``, nearest either side.

        An exact role beats a synonym; a synonym ("the incoming president" for the leader of
        "the incoming administration of X") needs no nationality against it.
        """
        groups = self.lex.groups(roles)
        here = self._sent[pos]
        best: _Entity | None = None
        best_key: tuple[float, int] = (0.0, 0)
        for cand in self.entities:
            if cand.kind != "person" or cand.plural or not cand.tenures:
                continue
            if ent.nations and cand.nations and not ent.nations & cand.nations:
                continue
            stated = {r for t, r in cand.tenures if t == time}
            if not stated:
                continue
            if roles & stated:
                quality = 2.0
            elif groups & self.lex.groups(stated) and not ent.nations - cand.nations:
                quality = 1.0
            else:
                continue
            d = min(abs(m.sent - here) for m in cand.mentions)
            if d <= 10 and (quality, -d) > best_key:
                best, best_key = cand, (quality, -d)
        return best

    def _group(self, span: Span) -> Resolution | None:
        """Coordinated named people ("both Xi and Putin"): their names joined with "and"."""
        anchor = span.root
        if not self._is_person(anchor.i):
            # "Presidential candidates Hillary Clinton and Donald Trump": the apposition
            named = [c for c in anchor.children if c.dep_ == "appos" and self._is_person(c.i)]
            if not named:
                return None  # "lawyers for both Donald and Ivana Trump" are the lawyers
            anchor = named[0]
        people: list[_Entity] = []
        todo = [anchor]
        while todo:
            tok = todo.pop()
            hit = self._by_head.get(tok.i)
            if hit is None or hit[0].kind != "person" or hit[0].name is None:
                return None  # "Mr. Obama and his aides": not a group of named people
            if hit[0] not in people:
                people.append(hit[0])
            todo.extend(
                c for c in tok.children if c.dep_ == "conj" and span.start <= c.i < span.end
            )
        if len(people) < 2:
            return None
        # named as the pair is everywhere in the article: in order of first mention
        people.sort(key=lambda m: m.mentions[0].start)
        return Resolution(" and ".join(str(m.name) for m in people), "person", "mention")

    def _is_person(self, i: int) -> bool:
        hit = self._by_head.get(i)
        return hit is not None and hit[0].kind == "person"

    def _lookup(self, span: Span) -> tuple[_Entity, ResolvedBy] | None:
        """The table's entity for ``span``: its head, its apposition, or its last name."""
        root = span.root
        hit = self._by_head.get(root.i)
        for child in root.children:
            # "Another critic, Laurence H. Tribe," is Tribe (but "Clinton aides" are not Clinton)
            if child.dep_ == "appos":
                named = self._by_head.get(child.i)
                if named is not None and named[0].kind == "person":
                    inside = span.start <= child.i < span.end
                    # "China's president[, Xi Jinping,]": named by the apposition outside
                    return named[0], "mention" if inside else "coreference"
        if hit is None and root.dep_ == "appos" and root.pos_ != "PROPN":
            # "[Yang Jiechi,] the party's chief diplomat": the name it is in apposition to
            named = self._by_head.get(root.head.i)
            if named is not None and named[0].kind == "person":
                return named[0], "coreference"
        if hit is not None and hit[0].kind == "anonymous":
            # "Speaker of the House Rep. Paul Ryan": a title whose object is the name
            for tok in reversed(span):
                named = self._by_head.get(tok.i)
                if tok.i > root.i and named is not None and named[0].kind == "person":
                    return named[0], named[1].by
        if hit is not None or root.pos_ != "PROPN":
            return None if hit is None else (hit[0], hit[1].by)
        for tok in reversed(span):
            # a name inside a proper-noun span the table knows by another head
            hit = self._by_head.get(tok.i)
            if hit is not None and hit[0].kind == "person" and tok.pos_ == "PROPN":
                return hit[0], hit[1].by
        return None

    def _on_demand(self, span: Span) -> Resolution:
        """Resolve a mention the table has no entry for, with the same rules."""
        root = span.root
        if root.lower_ in _QUANTITIES or root.lemma_.lower() in _QUANTITIES:
            # "one of Mr. Obama's advisers", "a number of tax experts": the group named
            for prep in root.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    objs = [c for c in prep.children if c.dep_ == "pobj"]
                    if objs and span.start <= objs[0].left_edge.i and objs[0].i < span.end:
                        obj = objs[0]
                        sub = self.doc[obj.left_edge.i:min(obj.i + 1, span.end)]
                        res = self._on_demand(sub)
                        if res.kind == "anonymous" or (
                            res.kind != "unknown" and res.resolved_by == "coreference"
                        ):
                            return Resolution(res.name, "anonymous", "mention")
                        return res
        if root.tag_ in ("WP", "WDT") and root.head.dep_ == "relcl":
            # "officials, who said ...": the noun the relative clause hangs on
            noun = root.head.head
            if noun.i < root.i:
                res = self._resolve_span(self.doc[noun.left_edge.i:noun.i + 1])
                if res.kind != "unknown" and not (root.lower_ == "which" and res.kind == "person"):
                    return Resolution(res.name, res.kind, "coreference")
        if root.lower_ in _GROUP_PRONOUNS:
            # "those close to him", "everyone I interviewed": unnamed people
            text = " ".join(self.doc[root.i:_clean_end(self.toks, root.i, span.end)].text.split())
            return Resolution(text[:1].lower() + text[1:], "anonymous", "mention")
        if root.lower_ in _FIRST_PERSON and not self._quoted[root.i]:
            # a first-person narrator is the author: the byline when the article has one
            byline = (self.document.byline or "").strip() or None
            if byline and root.lower_ in ("i", "me", "myself"):
                return Resolution(byline, "person", "coreference")
            return Resolution(None, "unknown", "coreference")
        if root.pos_ == "PRON" or root.lower_ in _PRONOUNS:
            ant = self._pronoun(root)
            if ant is None:
                return Resolution(None, "unknown", "coreference")
            return Resolution(ant.name, ant.kind, "coreference")
        names = [t for t in span if t.pos_ == "PROPN" and t.ent_type_ not in _ORG_LABELS]
        if root.pos_ == "PROPN" or root.text[:1].isupper():
            # a known name, whatever the NER called it here ("Trump" as ORG in a headline)
            for tok in reversed(span):
                if _norm(tok.text) in self._names:
                    hit = self._match_name((_norm(tok.text),), tok.i + 1, forward=True)
                    if hit is not None:
                        return Resolution(hit.name, "person", "mention")
        kind, name, head_word, _plural = self._classify(span)
        if kind == "anonymous" and self._definite(span):
            ant = self._description(span, head_word, want_orgs=False)
            if ant is not None:
                return Resolution(ant.name, ant.kind, "coreference")
        if kind != "unknown":
            return Resolution(name, kind, "mention")
        if names and root.pos_ == "PROPN":
            s = self._person_span(names[0].i, names[-1].i + 1)
            if s is not None:
                return Resolution(self.doc[s[0]:s[1]].text, "person", "mention")
        return _UNKNOWN
