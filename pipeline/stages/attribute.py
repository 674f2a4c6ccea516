"""Stage attribute: sentences -> attributions.jsonl (who said it).

CONTRACT (used by pipeline.runner):
    attribute(document: Document, sentences: list[Sentence], doc: spacy.tokens.Doc)
        -> list[Attribution]
        Quotes sorted by start offset, quote_id "q1", "q2", ... in that order.

How it works, on the one parse of the article (``doc``), in time linear in its length:
1. Quotation marks are paired paragraph by paragraph (``pipeline.quotemarks``).
2. Cues are tokens whose lemma is in ``pipeline/data/cues.tsv`` (reporting verbs, "according
   to", "quoted as saying"), outside quotations and not negated.
3. Each quotation is linked to the cue of its sentence that governs it in the parse or stands
   next to it ("“...,” he said", "said X", "X said: “...”", a colon-ending sentence before it).
   A quotation that is the whole complement of its cue is ``direct``. A quotation embedded in
   a reported clause ("Xi told Putin that China would uphold its “objective and fair stance”")
   is ``partial``, and its content is the reported clause (what the speaker is reported to
   have said, quoted words included), not the fragment alone.
4. A quotation with no cue that opens a sentence right after an attributed quote continues
   that speaker (resolved_by "continuation"). Other cue-less quotations are dropped when they
   look like scare quotes or terms (a few words, no verb), else kept with no speaker.
5. Every unused cue with a complement clause ("Xi said Beijing should ...", "..., a Kremlin
   official said", "according to X, ...") gives an ``indirect`` attribution.
6. The speaker is the subject of the cue (or "according to"'s object, or the person a
   statement "quoted as saying"), cut to the mention nearest the cue; ``EntityResolver``
   names it, and its kind is refined here for outlets and anonymous descriptors.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token

from pipeline.quotemarks import QuoteSpan, find_quotes
from pipeline.resolve import EntityResolver, Resolution
from schemas.models import Attribution, Cue, Document, QuoteKind, Sentence, Speaker, SpeakerKind

log = logging.getLogger(__name__)

# Cue classes that attach a nearby quotation without a parse link; the others need one.
_SPEECH = frozenset({"speech", "write", "phrase"})
_CLAUSAL = frozenset({"ccomp"})
# Verbs whose infinitive complement is what was said or intended ("urged X to", "vowed to").
_XCOMP_CUES = frozenset(
    {"urge", "vow", "pledge", "promise", "threaten", "ask", "want", "plan", "hope", "seek",
     "call", "demand", "intend", "aim", "expect", "decline", "refuse", "agree", "offer",
     "encourage", "exhort", "implore", "instruct", "order", "beg", "plead"}
)
_TELL_CUES = frozenset(
    {"tell", "ask", "inform", "brief", "assure", "reassure", "remind", "warn", "urge",
     "quote as say", "notify", "advise", "promise", "thank", "congratulate", "encourage",
     "exhort", "implore", "instruct", "order", "beg"}
)
# Verbs of asking and telling whose reduced passive ("asked whether") hides the asker.
_ASKED = frozenset({"ask", "tell", "question", "press", "challenge", "quiz", "confront"})
# Verbs of sending a message to someone ("emailed supporters saying ...").
_SENDING = frozenset({"email", "text", "message", "write", "call", "phone", "tweet", "mail"})
_LISTENERS = frozenset(
    {"reporter", "journalist", "audience", "crowd", "supporter", "lawmaker", "viewer",
     "listener", "reader", "voter", "member", "colleague", "delegate", "student", "worker"}
)
# Children of a cue that set the scene (where, when, how) rather than say what was said.
_SETTING_DEPS = frozenset({"npadvmod", "advmod", "tmod"})
_SETTING_PREPS = frozenset(
    {"on", "in", "at", "during", "after", "before", "while", "from", "since", "via", "through",
     "by"}
)
# Speech verbs whose direct object is what was said ("announced his candidacy").
_OBJECT_CUES = frozenset(
    {"announce", "criticize", "criticise", "praise", "deny", "reject", "defend", "propose",
     "discuss", "mention", "express", "voice", "accuse", "blame", "dismiss", "mock", "call",
     "describe", "hail", "condemn", "denounce", "welcome", "question", "attack", "slam",
     "blast", "thank", "applaud", "tout", "promise", "pledge", "vow", "reiterate", "repeat",
     "acknowledge", "admit", "confirm", "predict", "recommend", "demand", "urge", "warn",
     "highlight", "stress", "emphasize", "emphasise", "decry", "lament"}
)
# Verbs that give something a name: a Title Case quotation after them is the name given.
_NAMING_CUES = frozenset(
    {"call", "dub", "label", "brand", "name", "nickname", "term", "describe", "characterize",
     "characterise", "refer", "deride", "mock", "christen", "tag"}
)
_TOPIC_PREPS = frozenset({"about", "to", "for", "on", "of", "against", "over", "with"})
_SMALL_WORDS = frozenset({"of", "on", "in", "at", "for", "to", "as", "by", "with", "from", "co"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_PRONOUN_PERSON = frozenset({"he", "she", "him", "her", "i", "me"})
_NEGATORS = frozenset({"not", "n't", "never", "no"})
# Heads of descriptions that name no one ("a senior U.S. official", "sources").
_ANONYMOUS_HEADS = frozenset(
    {"official", "source", "aide", "diplomat", "spokesperson", "spokesman", "spokeswoman",
     "person", "people", "insider", "staffer", "adviser", "advisor", "officer", "analyst",
     "expert", "observer", "critic", "resident", "witness", "lawmaker", "legislator",
     "member", "employee", "executive", "someone", "one", "representative",
     "negotiator", "investigator", "prosecutor", "strategist", "operative", "donor",
     "supporter", "opponent", "voter", "economist", "scientist", "researcher", "doctor",
     "officials", "sources", "aides", "diplomats", "others", "some", "many", "several"}
)
_ORG_HEADS = frozenset(
    {"ministry", "government", "administration", "department", "office", "agency",
     "committee", "commission", "council", "campaign", "party", "court", "company", "firm",
     "group", "organization", "organisation", "union", "embassy", "kremlin", "pentagon",
     "police", "military", "army", "bank", "university", "institute", "foundation",
     "association", "coalition", "bureau", "parliament", "congress", "senate", "cabinet",
     "white house", "house", "state", "authorities", "authority", "regime", "team", "board",
     "federation", "alliance", "nato", "un", "eu", "who", "fbi", "cia"}
)
# A last resort for outlets while the gazetteer is absent: words that mark a news outlet.
_OUTLET_WORDS = re.compile(
    r"\b(Times|Post|News|Journal|Tribune|Guardian|Herald|Gazette|Telegraph|Reuters|Bloomberg"
    r"|Associated Press|AP|AFP|TASS|Xinhua|CCTV|CNN|BBC|NBC|CBS|ABC|Fox|MSNBC|NPR|Politico"
    r"|Breitbart|Axios|Agence France-Presse|Kyodo|Yonhap|Interfax|RIA Novosti|Sputnik"
    r"|Al Jazeera|newspaper|broadcaster|news agency|magazine|tabloid|daily|outlet"
    r"|television|TV|radio)\b"
)


@dataclass(frozen=True)
class _Hit:
    """A cue occurrence: its main token, its span of tokens, lemma and class."""

    token: Token
    first: int
    last: int
    lemma: str
    cls: str
    #: Character range of the cue when it is narrower than its tokens (a dash glued to a
    #: closing quotation mark, "”―").
    chars: tuple[int, int] | None = None


@dataclass
class _Draft:
    """An attribution before ids, resolution and validation."""

    kind: QuoteKind
    start: int
    end: int
    speaker: tuple[int, int] | None
    cue: _Hit | None
    confidence: float
    paragraph: int
    continuation: bool = False
    quote: QuoteSpan | None = None
    standalone: bool = False
    weak: bool = False
    keys: set[int] = field(default_factory=set)


@lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, str]:
    """The cue lexicon, lemma or lemma phrase -> class, from pipeline/data/cues.tsv."""
    out: dict[str, str] = {}
    text = resources.files("pipeline").joinpath("data/cues.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cue, cls = line.split("\t")
        out[cue.strip().lower()] = cls.strip()
    return out


@lru_cache(maxsize=1)
def _phrasal_heads() -> frozenset[str]:
    """First words of the lexicon's phrasal cues ("shoot" of "shoot back", "put" of "put
    it"): a verb outside the lexicon is worth a look for its particle only when it is one."""
    return frozenset(cue.split()[0] for cue in cue_lexicon() if " " in cue)


@lru_cache(maxsize=1)
def _outlet_lookup() -> Callable[[str], bool] | None:
    """``pipeline.outlets.gazetteer()`` when it exists; None selects the word-list fallback."""
    try:
        from pipeline import outlets
    except ImportError:
        return None
    factory = getattr(outlets, "gazetteer", None)
    if factory is None:
        return None
    try:
        gaz = factory()
    except (OSError, ValueError) as exc:
        log.warning("outlet gazetteer unavailable (%s): falling back to outlet words", exc)
        return None

    def lookup(text: str) -> bool:
        if gaz.by_name(text) is not None:
            return True
        return bool(gaz.find(text))

    return lookup


def _is_outlet(text: str) -> bool:
    lookup = _outlet_lookup()
    if lookup is not None:
        return lookup(text)
    return _OUTLET_WORDS.search(text) is not None


def _negated(tok: Token, inside: list[int]) -> bool:
    """True for "did not refer to", "never said": a negated cue attributes nothing. A negator
    inside a quotation is the speaker's word, not the cue's ("“Probably not,” she said")."""
    return any(
        c.dep_ == "neg" or c.lower_ in _NEGATORS
        for c in tok.children if c.i < tok.i and inside[c.i] < 0
    )


def _in_words_of(doc: Doc, tok: Token) -> int | None:
    """Last token of "in the words of" or "in X's (own) words" opening at ``tok`` ("in"),
    whose object (after "of") or possessor is who is quoted; None when it is no such phrase."""
    words = next((c for c in tok.children if c.dep_ == "pobj" and c.lower_ == "words"), None)
    if words is None or words.i > tok.i + 5:
        return None
    if words.i == tok.i + 2 and doc[tok.i + 1].lower_ == "the":
        of = next((c for c in words.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if of is not None and of.i == words.i + 1 and any(c.dep_ == "pobj" for c in of.children):
            return of.i
        return None
    if any(c.dep_ == "poss" for c in words.children) and not any(
        c.dep_ == "amod" and c.lower_ not in ("own",) for c in words.children
    ):
        return words.i
    return None


def _find_hits(doc: Doc, inside: list[int], toks: list[Token] | None = None) -> list[_Hit]:
    """Every cue occurrence outside quotations (``toks``: the doc's tokens, when at hand)."""
    lex = cue_lexicon()
    phrasal = _phrasal_heads()
    hits: list[_Hit] = []
    n = len(doc)
    for tok in doc if toks is None else toks:
        if inside[tok.i] >= 0:
            continue
        low = tok.lower_
        if low == "according" and tok.i + 1 < n and doc[tok.i + 1].lower_ == "to":
            hits.append(_Hit(tok, tok.i, tok.i + 1, "according to", "phrase"))
            continue
        if low == "in" and (words := _in_words_of(doc, tok)) is not None:
            # "in the words of X", "in her words": "according to X" with the words quoted
            hits.append(_Hit(tok, tok.i, words, "according to", "phrase"))
            continue
        if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            lemma = tok.lemma_.lower()
        elif _beside_mark(doc, tok, inside) and tok.is_lower and not any(
            c.dep_ in ("det", "poss") or inside[c.i] >= 0 and c.i < tok.i for c in tok.children
        ):
            # "writing “...”" tagged as a noun: a verb form next to a quotation mark (not "with
            # a smile: “...”", not "“missing” emails": nouns).
            lemma = _stem(low, lex)
        else:
            continue
        if lemma not in lex and (lemma not in phrasal or _negated(tok, inside)):
            continue
        if lemma not in lex:
            # Phrasal cues: "as X put it", "“...,” Trump went on" (not "went on to say": the
            # cue there is "say"), "Rubio fired back:".
            part = next((c for c in tok.children if inside[c.i] < 0 and (
                lemma == "put" and c.dep_ == "dobj" and c.lower_ == "it" or c.dep_ == "prt"
                or c.dep_ == "advmod" and c.i == tok.i + 1  # "fired back" read as an adverb
            )), None)
            if part is None or f"{lemma} {part.lower_}" not in lex:
                continue
            subj = _subject(tok, inside)
            if not any(c.dep_ == "xcomp" for c in tok.children) and (
                lemma != "go" or subj is not None and _can_speak(subj)
            ):
                # (Talks "going on for months" say nothing.)
                hits.append(_Hit(tok, tok.i, part.i, f"{lemma} {part.lower_}", "phrase"))
            continue
        if lemma not in lex or (lemma == "be" or _negated(tok, inside)):
            continue
        cls = lex[lemma]
        if cls == "noun":
            continue  # a noun of saying cues only the quotation it owns (``_noun_cue``)
        if lemma == "say" and tok.head.lower_ == "as" and tok.head.head.lemma_ == "quote":
            continue  # part of "quoted as saying", found from "quoted"
        if lemma == "quote":
            as_say = [
                c for c in tok.children
                if c.lower_ == "as" and any(g.lemma_ == "say" for g in c.children)
            ]
            if as_say:
                say = next(g for g in as_say[0].children if g.lemma_ == "say")
                hits.append(_Hit(tok, tok.i, say.i, "quote as say", "phrase"))
                continue
        if lemma == "point" and not any(c.lower_ in ("out", "to") for c in tok.children):
            continue
        if lemma == "go":
            continue  # "went on to say": the cue is "say"
        if lemma == "rule" and any(c.dep_ == "auxpass" for c in tok.children):
            continue  # "when troops are ruled out": a ruling, not the subject's words
        if lemma == "continue" and any(
            c.dep_ in ("xcomp", "dobj", "ccomp") and inside[c.i] < 0 for c in tok.children
        ):
            continue  # "continued to uphold" is aspect; "Caddell continued:" introduces a quote
        hits.append(_Hit(tok, tok.i, tok.i, lemma, cls))
    return hits


def _beside_mark(doc: Doc, tok: Token, inside: list[int]) -> bool:
    """True when ``tok`` stands right before an opening mark or right after a closing one."""
    i, n = tok.i, len(inside)
    if not (i + 1 < n and inside[i + 1] >= 0 or i + 2 < n and inside[i + 2] >= 0 or (
        i > 0 and inside[i - 1] >= 0
    )):
        return False  # (no quotation within reach: no Token built for the look)
    nxt = tok.i + 1
    if nxt < len(doc) and doc[nxt].text in (":", ","):
        nxt += 1
    if nxt < len(doc) and inside[nxt] >= 0 and doc[nxt].is_quote:
        return True
    prv = tok.i - 1
    return prv >= 0 and inside[prv] >= 0 and doc[prv].is_quote


def _stem(word: str, lex: dict[str, str]) -> str:
    """The lexicon lemma of an inflected verb form the tagger took for something else."""
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix):
            base = word[: -len(suffix)]
            for cand in (base, base + "e", base[:-1] if len(base) > 2 else base):
                if cand in lex:
                    return cand
    return word


def _expletive_it(verb: Token) -> bool:
    """ "It" that stands for nothing: "it seems", "it is said", "it appears that", "when it
    comes to trade", "it came to light"."""
    return verb.lemma_ in ("seem", "appear", "be", "emerge", "turn", "remain") or any(
        c.dep_ in ("auxpass", "expl") for c in verb.children
    ) or verb.lemma_ == "come" and any(
        c.dep_ == "prep" and c.lower_ == "to" and c.i > verb.i for c in verb.children
    )


def _subject(verb: Token, inside: list[int] | None = None) -> Token | None:
    """The subject of ``verb`` outside quotations (a quotation's words never speak it); of
    two (a misparse of "in Berea, OH, ... Gov. John Kasich said"), the nearest."""
    found = None
    for c in verb.children:
        if c.tag_ == "MD" and c.i < verb.i and c.is_title and not c.is_sent_start and (
            c.i > 0 and c.doc[c.i - 1].is_punct and c.doc[c.i - 1].text not in "(["
        ) and not any(g.dep_ in ("nsubj", "nsubjpass") for g in verb.children):
            found = c  # "“...,” Will wrote": a name tagged as a modal
            continue
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "there" and not (
            c.lower_ == "it" and (c.dep_ == "nsubjpass" or _expletive_it(verb))
        ):
            if inside is not None and inside[c.i] >= 0:
                continue
            if found is None or abs(c.i - verb.i) < abs(found.i - verb.i):
                found = c
    return found


def _speaker_head(
    hit: _Hit, inside: list[int] | None = None, relative: bool = False
) -> Token | None:
    """The head token of the speaker of a cue, following the parse up coordinated verbs
    (never into a quotation: its subject is not the speaker). A relative pronoun subject
    ("Price, who said") stands for the noun it hangs on, or, with ``relative``, for itself."""
    tok = hit.token
    if hit.cls == "noun":
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        if owner is None and tok.dep_ == "dobj" and tok.head.lemma_ in _LIGHT_VERBS:
            # "Gorka made the point that ...": the one who makes it
            verb = tok.head
            return _speaker_head(_Hit(verb, verb.i, verb.i, verb.lemma_, "speech"), inside)
        return owner
    if hit.lemma == "according to":
        to = tok.doc[hit.last]
        for c in list(to.children) + list(tok.children):
            if c.dep_ == "pobj" or c.dep_ == "poss" and to.lower_ == "words":
                return c
        return None
    if hit.lemma == "quote as say":
        for c in tok.children:
            if c.dep_ == "nsubjpass":
                return c
        for c in tok.children:
            if c.dep_ == "dobj":
                return c
        return _subject(tok, inside)
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    if _unstated_asker(tok):
        return None
    if inside is not None:
        stranded = _stranded_subject(tok, inside)
        if stranded is not None:
            return stranded
    verb = tok
    subjectless = _subject(tok, inside) is None
    if subjectless and tok.dep_ == "conj" and tok.head.dep_ == "ccomp" and (
        tok.head.head.lemma_ == tok.lemma_
    ):
        # "De Blasio said the move was made by X and said, “...”": the second "said"
        # misattached to the first one's complement is the first one's coordinate (not
        # one with a subject of its own: "X said A and the unions say B").
        verb = tok.head.head
    elif subjectless and tok.dep_ == "conj":
        verb = _misplaced_conjunct(tok)
    if subjectless:
        for m in tok.children:
            if m.dep_ == "mark" and m.lower_ == "as" and m.i < tok.i:
                # "As X, a professor, put it, “...”" with X parsed as the object of "As"
                obj = next((c for c in m.children if c.dep_ == "pobj"), None)
                if obj is not None and (inside is None or inside[obj.i] < 0) and _can_speak(obj):
                    return obj
    via_xcomp = False
    for _ in range(6):
        subj = _subject(verb, inside)
        if subj is not None:
            if subj.dep_ == "nsubjpass" and not via_xcomp and not (
                verb is tok and tok.lemma_.lower() in _PERCEIVED
                and any(c.tag_ == "VBG" and c.i > tok.i for c in tok.children)
            ):
                # "was asked", "is quoted": the subject is not the source (but one "shown
                # lecturing" or "heard shouting" is)
                return None
            # ("Mr. Trump was prompted to say": the one prompted says it.)
            if subj.lower_ in _RELATIVE and verb.dep_ == "relcl":
                owner = _relative_owner(verb)
                speaker = _setting_owner(owner, inside)
                # (the pronoun itself is the mention when it stands for the speaker)
                return subj if relative and speaker is owner else speaker
            if subj.pos_ == "ADP":
                # "Of Carson, Levine, who ..., said" parsed with "Of" as the subject
                return next((c for c in subj.children if c.dep_ == "pobj"), None)
            if verb is not tok and tok.tag_ == "VBG" and inside is not None:
                # "when protesters interrupted the event, shouting ...", misparsed onto "the
                # first incident came": an event does not shout; the nearest one who can does.
                return _speaking_subject(subj, tok, inside)
            return subj
        if verb.dep_ == "xcomp" and verb.head.lemma_ in _CAUSE_VERBS and hit.cls in _SPEECH:
            # "a win that led her to declare", "prompted him to say": the one led or prompted
            # declares or says (one urged to say something has not said it yet).
            obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
            if obj is not None and obj.lower_ != "it" and _can_speak(obj) and (
                inside is None or inside[obj.i] < 0
            ):
                return obj
        comma_before = verb.i > 0 and verb.doc[verb.i - 1].text == ","
        if verb.dep_ == "relcl" or verb.dep_ == "acl" and (
            verb.tag_ in ("VBD", "VBZ", "VBG") or comma_before
        ):
            # (A participle after a comma, "Mitt Romney, the nominee, tweeted", is no
            # reduced passive.)
            # "Price, who said", "a man yelled" read as a clause on "man", "officials
            # speaking on condition of anonymity": the noun is the speaker.
            noun = verb.head
            if noun.pos_ not in ("NOUN", "PROPN", "PRON"):
                return None
            if verb.dep_ == "relcl":
                return _relative_owner(verb)
            if verb.dep_ == "acl" and verb.tag_ == "VBG" and not _can_speak(noun):
                # "she said at a news conference announcing ...": the conference announces
                # nothing; the clause's speaker does.
                return _preceding_subject(tok, inside) if inside is not None else None
            if verb.dep_ == "acl" and verb.tag_ == "VBG" and _addressed(noun):
                # "The senator emailed supporters saying: “...”": the sender says it
                verb = noun.head
                continue
            return noun
        nxt = verb.head
        adjunct = verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.lower_ in (
            "by", "in", "while", "after", "before", "without", "despite", "upon"
        )
        if adjunct:
            nxt = verb.head.head  # "responded by affirming that": the responder affirms
        elif verb.dep_ not in ("conj", "advcl", "xcomp") or verb.head is verb:
            break
        # "Mr. Trump was prompted to say", "Silverman was joined on stage and joked": the
        # subject of the verb climbed to speaks, passive or not ("After saying ..., she was
        # taken to hospital": she said it)
        via_xcomp = verb.dep_ in ("xcomp", "conj") or adjunct
        if adjunct and inside is not None and inside[nxt.i] >= 0:
            # "After saying ..., she was “whisked off”": the clause the adjunct hangs on is
            # partly quoted, but its subject outside the quotation said the adjunct's words.
            # (Of two subjects, "Ryan, despite admitting ..., the victims “need”", the one
            # the adjunct interrupts.)
            subj = next((
                c for c in nxt.children
                if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.head.i and inside[c.i] < 0
            ), None) or _subject(nxt, inside)
            if subj is not None and _can_speak(subj) and subj.lower_ not in _RELATIVE:
                return subj
        if inside is not None and inside[nxt.i] >= 0:
            # A participle ("telling the crowd, “...") mis-attached into the quotation:
            # the subject of the clause before it speaks.
            if tok.lower_.endswith("ing"):
                return _preceding_subject(tok, inside)
            # "“...,” she said, but added that ...": "added" coordinated with the quotation's
            # verb shares the subject of the cue beside it.
            for c in nxt.children:
                if c.dep_ in ("parataxis", "conj") and c.i < verb.i and inside[c.i] < 0:
                    subj = _subject(c, inside)
                    if subj is not None and c.lemma_.lower() in cue_lexicon():
                        return subj
            if tok.tag_ in ("VBD", "VBZ", "VBP") and hit.cls in _SPEECH:
                # "“...,” Ramos, 58, told AFP" with the cue coordinated to the quotation's
                # verb: the name before the cue
                return _left_phrase(tok, inside)
            return None
        verb = nxt
    if inside is not None and tok.lower_.endswith("ing") and tok.dep_ not in ("ROOT",):
        return _preceding_subject(tok, inside)
    if inside is not None and tok.tag_ in ("VBD", "VBZ", "VBP") and hit.cls in _SPEECH:
        return _left_phrase(tok, inside) or _inverted_object(tok, inside) or _opening_name(
            tok, inside
        )
    return None


def _stranded_subject(tok: Token, inside: list[int]) -> Token | None:
    """The real subject of a subjectless present-tense cue that the parse hung, with the
    "and" before it, as the last conjunct or object of the clause before the cue ("China has
    sent mixed signals on the war and officials say the jury is out", "officials" parsed as
    a conjunct of "war" and "say" as a coordinate or the governor of that clause): the noun
    right before the cue, right after an "and" or "but", agreeing with the cue in number (a
    plural before "say", a singular before "says"), able to speak, and closing a clause with
    a subject of its own; the cue must have a complement after it. None otherwise."""
    if tok.tag_ not in ("VBP", "VBZ") or tok.i == 0 or _subject(tok, inside) is not None:
        return None
    doc = tok.doc
    noun = doc[tok.i - 1]
    if inside[noun.i] >= 0 or noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ not in (
        "conj", "dobj", "pobj"
    ):
        return None
    if (noun.tag_ in ("NNS", "NNPS")) != (tok.tag_ == "VBP") or not _can_speak(noun):
        return None
    if not any(c.dep_ in _CLAUSAL and c.i > tok.i for c in tok.children):
        return None
    i = noun.i - 1
    while i > noun.i - 6 and i >= 0 and (
        doc[i].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PART") or doc[i].tag_ == "PRP$"
    ):
        i -= 1
    if i < 0 or doc[i].pos_ != "CCONJ" or doc[i].head.i == tok.i:
        return None  # "and" must open the noun phrase, not join the cue to its clause
    above = {a.i for a in tok.ancestors}
    verb = noun
    for _ in range(8):
        verb = verb.head
        if verb.i == tok.i:
            return None  # within the cue's own phrase ("sources close to the talks say")
        if verb.pos_ in ("VERB", "AUX") or verb.i in above:
            break
    else:
        return None
    if verb.i in above:
        # the clause before is the one the cue is coordinated with ("... sent signals on the
        # budget and officials say", "say" a conjunct of "sent"), not one it hangs on
        ok = tok.dep_ == "conj" and verb.i == tok.head.i
    else:
        # the clause before hangs beside the cue or on it, not inside a noun phrase
        # ("officials who met reporters say" leaves the reporters alone)
        ok = verb.right_edge.i == noun.i and (verb.head.i == tok.i or verb.head.i in above)
    if not ok or verb.pos_ not in ("VERB", "AUX") or _subject(verb, inside) is None:
        return None
    return noun


def _misplaced_conjunct(tok: Token) -> Token:
    """For a subjectless verb coordinated with a verb of another form inside a reported
    clause ("Kasich says he'd sit Putin down and tell him ... and tells the crowd", "telling
    CNN that Trump is a faker and questioning how"), the verb it really coordinates with:
    the nearest ancestor of its own form above that clause; else ``tok``."""
    head = tok.head
    if head.tag_ == tok.tag_ or not tok.tag_.startswith("VB"):
        return tok
    anc, crossed = head, False
    for _ in range(6):
        if anc.head is anc:
            break
        crossed = crossed or anc.dep_ in ("ccomp", "xcomp")
        anc = anc.head
        if crossed and anc.tag_ == tok.tag_ and anc.pos_ in ("VERB", "AUX"):
            return anc
    return tok


def _addressed(noun: Token) -> bool:
    """True for the people a message goes to ("emailed supporters", "told reporters")."""
    verb = noun.head
    return noun.dep_ in ("dobj", "dative") and verb.pos_ == "VERB" and (
        verb.lemma_.lower() in _TELL_CUES or verb.lemma_.lower() in _SENDING
    ) and (noun.lemma_.lower() in _LISTENERS or noun.pos_ in ("PRON", "PROPN") and (
        noun.ent_type_ in ("PERSON", "") or noun.lower_ in ("them", "him", "her", "us")
    ))


def _unstated_asker(tok: Token) -> bool:
    """True for a reduced passive of asking or telling ("Asked whether he would run, Smith
    said ...", "she said when told that ..."): the one asked is the clause's subject; who
    asked is not stated."""
    return (
        tok.tag_ == "VBN" and tok.dep_ == "advcl" and tok.lemma_.lower() in _ASKED
        and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "agent") for c in tok.children
        )
    )


def _inverted_object(tok: Token, inside: list[int]) -> Token | None:
    """The speaker after a cue that follows its quotation ("“...,” wrote a man calling
    himself Paul"), parsed as the cue's object."""
    doc = tok.doc
    prev = tok.i - 1
    while prev >= 0 and (doc[prev].text == "," or doc[prev].is_space):
        prev -= 1
    if prev < 0 or inside[prev] < 0 or not doc[prev].is_quote:
        return None
    for c in tok.children:
        if c.dep_ == "dobj" and c.i > tok.i and inside[c.i] < 0 and _can_speak(c):
            return c
    return None


def _opening_name(tok: Token, inside: list[int]) -> Token | None:
    """The name that opens the sentence of a subjectless cue, or follows its opening
    quotation ("“...,” Trump, the front-runner, who won ..., said"; "Sanders, meanwhile, who
    sits at zero endorsements, said"): the parse lost the subject in the apposition."""
    doc = tok.doc
    i = tok.sent.start
    if inside[i] >= 0:
        q = inside[i]
        while i < tok.i and (inside[i] == q or doc[i].is_punct or doc[i].is_space):
            i += 1
    elif doc[i].pos_ == "CCONJ":
        i += 1  # "But Sen. Richard J. Durbin (D-Ill.), noting ..., said"
    last = None
    while i < tok.i and inside[i] < 0:
        t = doc[i]
        if t.text == "(" and last is not None:
            while i < tok.i and doc[i].text != ")":
                i += 1
            i += 1
            continue
        if t.pos_ in ("PROPN", "NOUN"):
            last = t
        elif not (t.pos_ in ("DET", "ADJ", "NUM") or t.text in (".", "-") and last is not None):
            break
        i += 1
    if last is None or i >= tok.i or doc[i].text != "," or last.ent_type_ in (
        "GPE", "LOC", "DATE", "TIME", "FAC"
    ) or not (last.pos_ == "PROPN" or last.is_title or _can_speak(last)):
        return None
    return last


#: Verbs of perceiving: their passive subject, "shown lecturing", is who speaks.
_PERCEIVED = frozenset("show see hear film record catch overhear videotape tape".split())
#: Verbs that bring their object to do what their infinitive says ("led her to declare").
_CAUSE_VERBS = frozenset(
    "lead prompt cause force compel drive inspire spur provoke move allow permit enable get"
    .split()
)
#: Occasions and events: they speak for no one ("In an address that spoke to ...", "the
#: first incident came when protesters interrupted, shouting"), unlike texts ("the ad says").
_EVENT_HEADS = frozenset(
    """incident event meeting rally speech address remarks debate interview conference hearing
    session confrontation exchange turmoil vote win victory defeat loss moment day night week
    weekend morning evening time visit appearance trip tour race contest primary caucus
    election attack crisis controversy dispute fight battle clash protest ceremony celebration
    dinner breakfast lunch forum summit convention gathering surge timing""".split()
)


#: Verbs that say what something is evidence of when their subject is a thing or an event
#: ("the data show", "the call indicates"), but report a saying when someone is their subject.
#: This is a reading that depends on the subject, not a cue class: cues.tsv says how a verb
#: links to a quotation (most of these are "speech", as they are with a person for subject;
#: "show" and "demonstrate" are "evidence", which links only through the parse), and that
#: holds for both readings.
_EVIDENCE_VERBS = frozenset(
    "indicate show suggest signal demonstrate reveal prove mean reflect underscore highlight"
    " illustrate imply confirm point hint".split()
)


def _inferred_by_reporter(hit: _Hit, spk: Token) -> bool:
    """True when an evidence verb with a thing or an event for its subject says what someone
    else reports it shows ("Xi says the call indicates their ties will endure"): the
    inference is the reporting speaker's, and the thing speaks for no one."""
    if hit.lemma not in _EVIDENCE_VERBS or _can_speak(spk):
        return False
    tok = hit.token
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head  # "says the call shows X and indicates Y"
    if tok.dep_ != "ccomp":
        return False
    outer = tok.head
    lo, hi = sorted((outer.i, tok.i))
    if any(t.text in (":", ";") for t in tok.doc[lo:hi]):
        return False  # (a clause parsed onto a verb across a colon is no report of it)
    lemma = outer.lemma_.lower()
    cls = cue_lexicon().get(lemma)
    if cls not in _SPEECH:
        return False
    subj = _subject(outer)
    return subj is not None and _can_speak(subj)


def _setting_owner(noun: Token, inside: list[int] | None) -> Token:
    """The speaker for a relative clause on ``noun``: the noun itself, unless it is an
    occasion the sentence's subject spoke at ("In an address that spoke to the “fear”, Mrs.
    Diaz struck ...": Mrs. Diaz spoke, not the address)."""
    if noun.lemma_.lower() not in _EVENT_HEADS or noun.dep_ != "pobj" or (
        noun.head.lower_ not in ("in", "during", "at", "with", "through")
    ):
        return noun
    verb = noun.head.head
    for _ in range(3):
        if verb.pos_ not in ("VERB", "AUX"):
            return noun
        subj = _subject(verb, inside)
        if subj is not None and _can_speak(subj) and subj.lower_ not in _RELATIVE:
            return subj
        if verb.head is verb:
            break
        verb = verb.head  # the occasion hung on a clause of the sentence the speaker governs
    return noun


def _speaking_subject(subj: Token, tok: Token, inside: list[int]) -> Token:
    """``subj``, or when it is an event or occasion, the nearest subject before ``tok`` in
    its sentence that can speak."""
    if subj.lemma_.lower() not in _EVENT_HEADS or subj.ent_type_:
        return subj
    for i in range(tok.i - 1, tok.sent.start - 1, -1):
        t = tok.doc[i]
        if t.dep_ == "nsubj" and inside[i] < 0 and _can_speak(t) and t.lower_ not in _RELATIVE:
            return t
    return subj


def _relative_owner(verb: Token) -> Token:
    """The noun a relative clause's "who" stands for: the one it hangs on, or, for people
    placed somewhere ("Democrats on Capitol Hill, who have argued"), the people."""
    noun = verb.head
    owner = noun.head.head
    if noun.dep_ == "pobj" and (
        noun.head.lower_ in ("on", "in", "at", "from", "across")
        and owner.pos_ in ("NOUN", "PROPN") and _can_speak(owner)
        and any(c.lower_ == "who" for c in verb.children)
        and (noun.ent_type_ in ("GPE", "LOC", "FAC") or not _can_speak(noun)
             or noun.pos_ == "PROPN" and noun.ent_type_ != "PERSON")
    ):
        return owner
    return noun


def _can_speak(noun: Token) -> bool:
    """Whether a noun may name a speaker: a pronoun, a name, a person, group or body."""
    if noun.pos_ in ("PRON", "PROPN") or noun.ent_type_:
        return True
    from pipeline.resolve import lexicon

    lemma = noun.lemma_.lower()
    return lexicon().person_noun(lemma) or lemma in (_ANONYMOUS_HEADS | _ORG_HEADS) or (
        noun.lower_ in (_ANONYMOUS_HEADS | _ORG_HEADS)
    )


def _left_phrase(tok: Token, inside: list[int]) -> Token | None:
    """The noun phrase that ends right before a subjectless finite cue, climbed to the name
    an apposition describes: "On Dec. 2, Col. Steven Warren, a spokesman in Baghdad, said"
    with the name misparsed as an apposition of the date."""
    doc = tok.doc
    i = tok.i - 1
    start = tok.sent.start
    while i >= start and doc[i].text == ",":
        i -= 1
    if i - 2 >= start and doc[i].like_num and doc[i - 1].text == ",":
        i -= 2  # "Ramos, 58, said": past the age
    if i >= start and doc[i].text == ")":
        # "Rep. Paul Ryan (R-WI) said": past the parenthesis.
        while i >= start and doc[i].text != "(":
            i -= 1
        i -= 1
    if i < start or inside[i] >= 0 or doc[i].pos_ not in ("NOUN", "PROPN"):
        return None
    t = doc[i]
    for _ in range(8):
        if t.dep_ == "appos" and t.head.i < t.i and t.head.pos_ in ("NOUN", "PROPN"):
            # A description in apposition to a name speaks as the name; a name in
            # apposition to something else is the speaker itself.
            return t if t.pos_ == "PROPN" else t.head
        if t.dep_ in ("pobj", "prep", "compound", "amod", "nmod", "poss") and t.head.i < tok.i:
            t = t.head
            continue
        if t.dep_ == "conj" and t.pos_ == "NOUN" and t.head.pos_ == "NOUN" and t.head.i < t.i:
            t = t.head  # "X, the club's president and general manager, suggested"
            continue
        break
    if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("appos", "npadvmod", "dep", "nsubj", "ROOT"):
        return t
    if t.pos_ == "PROPN" and t.dep_ == "conj" and inside[t.head.i] >= 0:
        return t  # a name misparsed as coordinated with the quotation's verb
    return None


def _preceding_subject(tok: Token, inside: list[int]) -> Token | None:
    """The nearest subject before ``tok`` in its sentence, outside quotations."""
    start = tok.sent.start
    for i in range(tok.i - 1, start - 1, -1):
        t = tok.doc[i]
        if t.dep_ == "nsubj" and inside[i] < 0 and inside[t.head.i] < 0:
            if t.lower_ == "it" and _expletive_it(t.head) and (
                t.head.left_edge.i <= tok.i <= t.head.right_edge.i
            ):
                return None  # "when it came to opposing ...": nobody stated opposes
            return t
    return None


def _mention(head: Token) -> tuple[int, int]:
    """Token range [first, last] of the mention headed by ``head``, without appositions,
    relative clauses or anything after a comma."""
    first = head.left_edge.i
    for i in range(head.i - 1, first - 1, -1):
        if head.doc[i].is_punct and head.doc[i].text not in (".", "'", "’", "-"):
            first = i + 1
            break
    last = head.i
    for c in head.rights:
        if c.dep_ in ("compound", "flat", "nummod", "case") or (
            c.dep_ == "prep" and c.lower_ in ("of", "for", "at")
        ):
            if any(t.is_punct and t.text not in (".", "-") for t in head.doc[last + 1 : c.i]):
                break
            last = c.right_edge.i
        elif c.dep_ in ("cc", "conj") and c.i == last + 1 or c.dep_ == "conj" and (
            head.doc[c.i - 1].dep_ == "cc"
        ):
            last = c.right_edge.i if c.dep_ == "conj" else last
        else:
            break
    for i in range(head.i + 1, last + 1):
        if head.doc[i].text == "(":
            last = i - 1  # "Rep. Paul Ryan (R-WI)": the party and state are no part of it
            break
    while last > first and head.doc[last].is_punct:
        last -= 1
    return first, last


#: A dateline opening a paragraph: "LONDON (Reuters) - ", "WASHINGTON, Aug. 24 (UPI) — ",
#: "NEW YORK -- ": a place in capitals, maybe a date and an agency, then a dash.
_DATELINE = re.compile(
    r"[A-Z][A-Z.'’-]{2,}(?:[ ]+[A-Z][A-Z.'’-]+){0,3}(?:,[ ]+[A-Z][a-z]+\.?)?"
    r"(?:,?[ ]+[A-Z][a-z]{2,}\.?[ ]+\d{1,2})?[ ]*(?:\([^)\n]{1,40}\))?[ ]*(?:—|–|--?)[ ]*"
)


class _Article:
    """The per-article working state shared by the passes below."""

    def __init__(self, document: Document, sentences: list[Sentence], doc: Doc) -> None:
        self.document = document
        self.text = document.text
        self.doc = doc
        self.sentences = sentences
        self.sent_starts = [s.start for s in sentences]
        paras = [(p.start, p.end) for p in document.paragraphs] or [(0, len(document.text))]
        self.paragraphs = paras
        self.para_starts = [p[0] for p in paras]
        self.quotes = find_quotes(self.text, paras)
        # spaCy builds a new Token on every doc[i] and every pass over the doc: one list,
        # shared with the resolver
        self.toks: list[Token] = list(doc)
        self.tok_starts: list[int] = doc.to_array("IDX").tolist()
        # inside[i]: the quotation whose marks enclose token i, else -1.
        self.inside = [-1] * len(doc)
        for qi, q in enumerate(self.quotes):
            for i in self._tokens(q.open_start, q.close_end):
                self.inside[i] = qi
        # words the article tags as proper nouns somewhere ("Trump" in a headline "Trump:"
        # tagged a common noun is a name all the same)
        # head_of[i]: the index of token i's head (walks over it build no Token objects)
        rel = doc.to_array("HEAD").astype("int64")
        self.head_of: list[int] = (rel + numpy.arange(len(doc), dtype="int64")).tolist()
        pos, orth = doc.to_array("POS"), doc.to_array("ORTH")
        strings = doc.vocab.strings
        self.propn_texts = {strings[int(o)] for o in set(orth[pos == PROPN].tolist())}
        self.hits = _find_hits(doc, self.inside, self.toks)
        # A relative pronoun speaker ("who") -> the mention it stands for, which names it.
        self.antecedent: dict[tuple[int, int], tuple[int, int]] = {}
        #: The outer cue whose speaker a gerund cue's quotation takes ("X said, Y calling it
        #: “...”"), by the gerund's token; the gerund keeps the quotation's own record.
        self.lead: dict[int, _Hit] = {}
        #: The phrase before a cue the tagger took for a noun or participle, after a
        #: quotation ("“...,” the ad states."), by the cue's token.
        self.trailing: dict[int, Token] = {}
        #: Quotations that a relative clause on them names ("the “...” which X described as
        #: ..."): quoted words whose source the sentence does not state.
        self.named: set[int] = set()
        self.hit_at = {h.token.i: h for h in self.hits}
        # dateline_end[i]: for a token of a dateline ("LONDON (Reuters) -"), the index of
        # the first token after it; the parse often makes the city the subject.
        self.dateline_end: dict[int, int] = {}
        for lo, hi in paras:
            m = _DATELINE.match(self.text, lo, hi)
            if m is not None:
                toks = self._tokens(lo, m.end())
                for i in toks:
                    self.dateline_end[i] = toks.stop

    def speaker_head(self, hit: _Hit) -> Token | None:
        """``_speaker_head``, moved out of a dateline: in "WASHINGTON (AP) — A spokesman
        for X said" the speaker is the first phrase after the dateline, not the city."""
        head = _speaker_head(hit, self.inside)
        if head is None:
            head = self.trailing.get(hit.token.i)
        if head is not None:
            head = _out_of_parentheses(head)
        if head is None or head.i not in self.dateline_end:
            return head
        start = self.dateline_end[head.i]
        span = range(start, hit.first)
        for i in span:
            t = self.doc[i]
            if t.head.i not in span and t.pos_ in ("NOUN", "PROPN", "PRON"):
                return t
        return None

    def mention(self, hit: _Hit, head: Token) -> tuple[int, int]:
        """Token range of the speaker mention of ``hit`` whose head is ``head``: the mention
        nearest the cue, so a relative pronoun subject ("Price, who said") rather than the
        noun it stands for (the resolver names it after that noun)."""
        rel = _speaker_head(hit, self.inside, relative=True)
        if rel is not None and rel.i != head.i and rel.lower_ in _RELATIVE and (
            rel.tag_ in ("WP", "WDT")
        ):
            issuer = _issuer(head)
            if issuer is not None and self.inside[issuer.i] < 0:
                # "He released a letter that says ...": the letter's issuer speaks
                return _mention(issuer)
            self.antecedent[(rel.i, rel.i)] = _mention(head)
            return rel.i, rel.i
        first, last = _mention(head)
        stranded = _stranded_subject(hit.token, self.inside)
        if stranded is not None and stranded.i == head.i:
            # "sent signals on the mayor's budget and city officials say", "officials" parsed
            # as the head of the whole coordination: the mention starts after the "and".
            for i in range(head.i - 1, first - 1, -1):
                if self.doc[i].dep_ == "cc":
                    first = i + 1
                    break
        return first, last

    def _tokens(self, start: int, end: int) -> range:
        """Indices of the tokens that overlap [start, end)."""
        a = bisect.bisect_right(self.tok_starts, start) - 1
        a = max(a, 0)
        if a < len(self.doc) and self.doc[a].idx + len(self.doc[a]) <= start:
            a += 1
        b = bisect.bisect_left(self.tok_starts, end)
        return range(a, b)

    def sentence_of(self, char: int) -> int:
        """Index (in ``sentences``) of the sentence holding ``char``."""
        return max(bisect.bisect_right(self.sent_starts, char) - 1, 0)

    def paragraph_of(self, char: int) -> int:
        """Index of the paragraph holding ``char``."""
        return max(bisect.bisect_right(self.para_starts, char) - 1, 0)

    def frame(self, start: int, end: int) -> range:
        """Tokens of the sentences overlapping [start, end)."""
        if not self.sentences:
            return self._tokens(start, end)
        a = self.sentence_of(start)
        b = self.sentence_of(max(end - 1, start))
        return self._tokens(self.sentences[a].start, self.sentences[b].end)


@lru_cache(maxsize=1)
def _issued_nouns() -> frozenset[str]:
    """pipeline/data/attribute_issued.txt: nouns of a text someone issues."""
    text = resources.files("pipeline").joinpath("data/attribute_issued.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _issuer(noun: Token) -> Token | None:
    """Who issues the text ``noun`` names when it is the object of their verb: "He released
    a letter", "the council passed a resolution", "prompted her to make a comment" (the
    object of the verb a to-infinitive hangs on), "plans to reprint an editorial" (else its
    subject); None for any other noun or when nobody is named."""
    if noun.pos_ != "NOUN" or noun.dep_ != "dobj" or noun.lemma_.lower() not in _issued_nouns():
        return None
    verb = noun.head
    if verb.pos_ != "VERB":
        return None
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None and verb.dep_ == "xcomp":
        up = verb.head
        subj = next((c for c in up.children if c.dep_ == "dobj"), None) or next(
            (c for c in up.children if c.dep_ == "nsubj"), None
        )
    if subj is None or subj.lower_ in _RELATIVE or not _can_speak(subj):
        return None
    return subj


def _out_of_parentheses(tok: Token) -> Token:
    """The name before a parenthesis that holds ``tok``: "Gov. John Kasich (R-OH), said"
    parsed with "OH" as the subject is Kasich speaking."""
    doc = tok.doc
    lo = max(tok.sent.start, tok.i - 6)
    for i in range(tok.i - 1, lo - 1, -1):
        if doc[i].text == ")":
            return tok
        if doc[i].text == "(":
            hi = min(tok.sent.end, tok.i + 6)
            closes = any(doc[j].text == ")" for j in range(tok.i + 1, hi))
            if closes and i > 0 and doc[i - 1].pos_ == "PROPN":
                return doc[i - 1]
            return tok
    return tok


def _cue_frame(hit: _Hit, content: set[int], inside: list[int]) -> set[int]:
    """Tokens that belong to the cue itself: the cue, its speaker, listener and modifiers, but
    not what it reports (its clausal complement, or whichever child holds ``content``)."""
    tok = hit.token
    keep: set[int] = set(range(hit.first, hit.last + 1))
    head = _speaker_head(hit, inside)
    if head is not None:
        keep.update(t.i for t in head.subtree if inside[t.i] < 0)
    if hit.lemma == "according to":
        keep.update(t.i for t in tok.subtree)
        return keep
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp", "parataxis", "conj", "cc", "advcl", "csubj", "oprd"):
            continue
        sub = {t.i for t in c.subtree}
        if sub & content:
            continue
        if c.dep_ == "dobj" and not _listener(c, hit):
            continue  # "stressed China's leverage": the object is what was said
        keep |= sub
    keep.add(tok.i)
    return keep


def _listener(obj: Token, hit: _Hit) -> bool:
    """True when a direct object is who was spoken to ("told reporters") or quoted."""
    if hit.lemma in _TELL_CUES:
        return True
    return obj.pos_ in ("PRON", "PROPN") or obj.ent_type_ in ("PERSON", "ORG", "NORP") or (
        obj.lemma_.lower() in _LISTENERS
    )


def _has_verb(doc: Doc, rng: Iterable[int]) -> bool:
    return any(doc[i].pos_ in ("VERB", "AUX") for i in rng)


def _content_words(doc: Doc, rng: range) -> int:
    return sum(1 for i in rng if not doc[i].is_punct and not doc[i].is_space)


#: Subordinators of reason and concession: a clause they open is not a verb's report.
_REASON_MARKS = frozenset({"because", "although", "though", "whereas", "unless"})


def _link(art: _Article, qi: int, q: QuoteSpan) -> tuple[_Hit, bool, int] | None:
    """The cue of quotation ``q``: (hit, linked in the parse, gap in words), or None."""
    doc = art.doc
    qtoks = set(art._tokens(q.start, q.end))
    if not qtoks:
        return None
    lo, hi = min(qtoks), max(qtoks)
    frame = art.frame(q.open_start, q.close_end)
    cands = [art.hit_at[i] for i in frame if i in art.hit_at]
    if frame.stop < len(doc) and art.paragraph_of(doc[frame.stop].idx) == art.paragraph_of(
        q.open_start
    ) and art.text[q.close_end - 2 : q.close_end].strip("”’\"'") in ("?", "!"):
        # "“You know, it happens, right?” Trump went on, as if ...": the sentence split after
        # the question mark; a short "Name cue" right after it still introduces it.
        nxt = range(frame.stop, min(frame.stop + 5, len(doc)))
        for i in nxt:
            hit = art.hit_at.get(i)
            subj = _subject(doc[i], art.inside) if hit is not None else None
            if hit is not None and subj is not None and frame.stop <= subj.i < i and (
                hit.cls in _SPEECH and doc[i].sent.start == frame.stop
            ):
                cands.append(hit)
                break
    # A colon before the opening mark: the cue may sit in the sentence (or paragraph) before.
    k = q.open_start - 1
    while k >= 0 and art.text[k].isspace():
        k -= 1
    colon: set[int] = set()
    if k >= 0 and art.text[k] == ":":
        prev = art.frame(k, k + 1)
        # ("Asked whether ..., she shot back: “...”": not the unnamed asker's cue)
        colon = {
            i for i in prev
            if i in art.hit_at and art.inside[i] < 0 and not _unstated_asker(doc[i])
        }
        cands += [art.hit_at[i] for i in sorted(colon) if art.hit_at[i] not in cands]
        if not colon:
            # "17-year-old Jared Potts echoed:": the verb of a colon-ending sentence
            # introduces the quotation even when the lexicon lacks it.
            root = doc[prev.stop - 1].sent.root if prev.stop > prev.start else None
            if root is not None and art.inside[root.i] >= 0:
                # "Trump went even further: “If he loses, it’s over.”", parsed with the root
                # inside the quotation: the verb the colon hangs on introduces it.
                # (Not across a dash: "POLLS GOT IT RIGHT - Carl Bialik: “...”" is a label.)
                mark = art._tokens(k, k + 1)
                root = doc[mark.start].head if mark else None
                if root is not None and art.inside[root.i] >= 0 and mark.start > 0:
                    # "Sanders delivered a retort: “No one is ...”", parsed with the colon
                    # and the clause before it both on the quoted verb: that clause's verb
                    top, steps = doc[mark.start - 1], 0
                    while top.head is not top and art.inside[top.head.i] < 0 and steps < 8:
                        top, steps = top.head, steps + 1
                    if top.head is not top and top.i < mark.start and art.inside[top.i] < 0:
                        root = top
                if root is not None and (
                    art.inside[root.i] >= 0
                    or any(t.text in ("-", *_ASIDE_DASHES) for t in doc[root.i : mark.start])
                ):
                    root = None
            if root is not None and root.pos_ == "VERB" and _subject(root, art.inside):
                hit = _Hit(root, root.i, root.i, root.lemma_.lower(), "speech")
                colon.add(root.i)
                cands.append(hit)
    elif k >= 0 and art.text[k] == ",":
        # "Hillary Clinton cracked, ''...''", "As Akhil Amar put it, ''...''": a verb with a
        # subject right before ", “" introduces the quotation even when the lexicon lacks it.
        before = art._tokens(k, k + 1)
        j = before.start - 1 if before else -1
        verb = doc[j] if j >= 0 and art.inside[j] < 0 else None
        if verb is not None and verb.lower_ == "it" and verb.dep_ == "dobj":
            verb = verb.head
        if verb is not None and verb.dep_ in ("prt", "advmod") and verb.head.i == verb.i - 1:
            verb = verb.head  # "she shot back, “...”": the verb of the particle
        if (
            verb is not None and verb.pos_ == "VERB" and verb.i not in art.hit_at
            and verb.tag_ in ("VBD", "VBZ", "VBP") and _subject(verb, art.inside) is not None
        ):
            cands.append(_Hit(verb, verb.i, verb.i, verb.lemma_.lower(), "speech"))
            colon.add(verb.i)
    tail = _tail_after_closing(art, q)
    trailing = _trailing_verb(art, *tail) if tail is not None else None
    if trailing is not None and not any(h.token.i == trailing.i for h in cands):
        cands.append(_Hit(trailing, trailing.i, trailing.i, trailing.lemma_.lower(), "speech"))
        colon.add(trailing.i)
    elif tail is not None and trailing is None:
        found = _trailing_noun_cue(art, *tail)
        if found is not None:
            cue, speaker = found
            art.trailing[cue.i] = speaker
            if not any(h.token.i == cue.i for h in cands):
                cands.append(_Hit(cue, cue.i, cue.i, _cue_lemma(cue), "speech"))
            colon.add(cue.i)
    # The cues that govern the quotation in the parse, nearest first.
    depth: dict[int, int] = {}
    holders: set[int] = set()  # the quotation's tokens and the words that govern them
    head_of, hit_at = art.head_of, art.hit_at
    toks = art.toks
    by_mark: dict[int, int] = {}  # the cues reached only from the quotation's punctuation
    for t in qtoks:
        a, d = t, 0
        holders.add(t)
        into = by_mark if toks[t].is_punct else depth
        while head_of[a] != a and d < 8:
            if a < head_of[a] in hit_at and toks[a].dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in _REASON_MARKS for c in toks[a].children
            ):
                # "Because X is “not a journalist,” he feels free to ...": a clause of
                # reason or concession opening the cue's sentence is the writer's, not what
                # the cue reports (after the cue, or inside a report, it is reported: "said
                # she does because “...”", "urged that it end because “...”").
                break
            a, d = head_of[a], d + 1
            if a in qtoks:
                continue
            holders.add(a)
            if a in hit_at and (a not in into or into[a] > d):
                into[a] = d
    for a, d in by_mark.items():
        # A closing period hung on the sentence's root does not link the root's cue when the
        # words link a cue coordinated with it ("was defending X but admitted Y may have
        # “slipped through the cracks.”"): the coordinated cue reports the quotation.
        if (a not in depth or depth[a] > d) and not any(
            toks[c].dep_ == "conj" and head_of[c] == a for c in depth
        ):
            depth[a] = d
    verb = _as_naming(doc, qtoks)
    if verb is None:
        verb = _word_naming(doc, qtoks)
    if verb is not None and verb.i not in art.hit_at and art.inside[verb.i] < 0:
        # "Merkel heralded the deal as a “breakthrough”", "he went after Trump as a “...”":
        # what someone calls a thing "as" is their word, whatever the verb.
        hit = _Hit(verb, verb.i, verb.i, verb.lemma_.lower(), "naming")
        namer = art.speaker_head(hit)
        if namer is not None and (_can_speak(namer) or namer.is_title):
            # (a capitalised subject is a name the tagger missed: "Lopez/ADJ has gone")
            cands.append(hit)
            depth[verb.i] = 2
    owned = _noun_cue(art, qtoks)
    if owned is not None:
        # "Trump's claim that there were “thousands of shootings”": the owner said it.
        cands.append(owned[0])
        depth[owned[0].token.i] = owned[1]
    best: tuple[tuple[int, int, int, int, int], _Hit, bool, int] | None = None
    for hit in cands:
        tok = hit.token
        link_depth = depth.get(tok.i, 99)
        near = hit.first - hi <= 3 if tok.i > hi else lo - hit.last <= 3
        if tok.head.i in qtoks and _names_antecedent(hit, qtoks):
            # "the “...” which Xi described as a threat": Xi names the quoted thing; the
            # quotation is not his words.
            art.named.add(qi)
            continue
        if tok.head.i in qtoks and near:
            # A cue hanging off the quotation ("“...,” he said" parsed as parataxis) must
            # stand next to it and bring its own speaker.
            own_subject = _subject(tok, art.inside) is not None
            if own_subject or hit.lemma in ("according to", "quote as say"):
                link_depth = min(link_depth, 1)
        if link_depth == 99 and hit.lemma == "according to" and tok.head.i in holders and (
            tok.head is not tok
        ):
            # "Over the long term, according to the budget office, the rise in debt “is
            # mainly ...”": "according to" sets the source of the clause that holds the quote.
            link_depth = 2
        if link_depth == 99 and hit.lemma == "according to" and tok.lower_ == "in" and (
            tok.right_edge.i < lo and all(doc[i].is_punct for i in range(tok.right_edge.i + 1, lo))
        ):
            # "X was, in the words of an aide, “the torchbearer”": the phrase introduces the
            # quotation right after it, however the parse hangs the two.
            link_depth = 2
        if link_depth == 99 and hit.cls in _SPEECH and _parenthetical(hit, art.inside):
            # "African-Americans, he said, can ''rock like Jimi''": a cue set off by commas
            # reports its whole sentence, the quoted words in it included.
            if doc[lo].sent.start == tok.sent.start:
                link_depth = 3
        linked = link_depth < 99
        if tok.i < lo:
            between = range(hit.last + 1, lo)
        else:
            between = range(hi + 1, hit.first)
        # The cheap refusals first: in a long run-on sentence every cue is a candidate of
        # every quotation, and the gap below costs a walk over the tokens between them.
        if art.inside[tok.i] >= 0 or (hit.cls not in _SPEECH and not linked):
            continue
        other_quote = any(art.inside[i] >= 0 and art.inside[i] != qi for i in between)
        if (other_quote and not linked) or _in_setting(hit, qtoks):
            continue
        own = _cue_frame(hit, qtoks, art.inside)
        gap = sum(
            1 for i in between
            if i not in own and art.inside[i] < 0 and not doc[i].is_punct and not doc[i].is_space
        )
        if tok.i in colon:
            gap = 0  # the colon ties the cue to the quotation, however long the sentence
        if not linked and gap > 3:
            continue
        if art.speaker_head(hit) is None and not linked:
            if gap > 0 or _surface_speaker(art, hit, lo, hi) is None:
                continue
        dist = lo - hit.last if tok.i < lo else hit.first - hi
        # A verb of saying over a verb of thinking: "X says he feels “great”" is X's quote.
        # "He said ... “...,” according to CCTV": the verb's subject speaks; the outlet after
        # "according to" only relays it (a via, found by the tag stage).
        relay = hit.lemma == "according to"
        key = (
            0 if linked else 1, 0 if hit.cls in _SPEECH and not relay else 1, link_depth, gap,
            dist,
        )
        if best is None or key < best[0]:
            best = (key, hit, linked, gap)
    if best is None:
        return None
    hit = best[1]
    if best[2] and _weak_inner(art, hit):
        # "Obama said he expected Americans will say “no”", "she said her campaign would
        # continue “to break barriers”": an inner cue that is only predicted or planned
        # reports nothing; the quoted words are the outer speaker's.
        for outer, _anc in _outer_reports(art, hit.token):
            if not _weak_inner(art, outer):
                return outer, True, 0
    gerund = hit.token.dep_ in ("acl", "advcl", "pcomp") and hit.token.tag_ == "VBG"
    inner = art.speaker_head(hit) if gerund else None
    if best[2] and hit.last < lo and (_free_relative(hit.token) or gerund):
        # "Murphy said voters are in what he called a “revolutionary mood”": a pronoun's
        # naming inside what another cue reports is that report's quotation
        for outer, anc in _outer_reports(art, hit.token):
            if art.inside[anc.i] < 0:
                if gerund:
                    # "X said it was like Y calling it “...”": the outer speaker's words, but
                    # the gerund's own record and clause (not merged into the outer report)
                    source = art.speaker_head(outer)
                    if inner is None or source is None or inner.i == source.i:
                        break  # (the same speaker's gerund: "telling CNN ... and questioning")
                    art.lead[hit.token.i] = outer
                    return best[1], best[2], best[3]
                return outer, True, 0
    if best[2] and hit.last < lo:
        # (a cue after its quotation, "“...,” she said", is the quotation's own tag)
        tag = _reporting_cue(art, hit)
        if tag is not None:
            return tag, True, 0
    return best[1], best[2], best[3]


def _outer_reports(art: _Article, tok: Token) -> Iterator[tuple[_Hit, Token]]:
    """The verbs of saying with a speaker above ``tok`` in the parse, nearest first, each
    with the ancestor that is its cue (at most 8 steps up; "according to" is no report)."""
    anc, steps = tok, 0
    while anc.head is not anc and steps < 8:
        outer = art.hit_at.get(anc.head.i)
        anc, steps = anc.head, steps + 1
        if (
            outer is not None and outer.cls in _SPEECH and outer.lemma != "according to"
            and art.speaker_head(outer) is not None
        ):
            yield outer, anc


def _free_relative(tok: Token) -> bool:
    """Whether ``tok`` is the verb of a free relative "what he calls" / "what they
    described as" whose subject is a personal pronoun."""
    return any(c.lower_ == "what" and c.i < tok.i for c in tok.children) and any(
        c.dep_ == "nsubj" and c.lower_ in ("he", "she", "they", "it") for c in tok.children
    )


def _reporting_cue(art: _Article, hit: _Hit) -> _Hit | None:
    """The outer cue that reports the clause of cue ``hit``, when one speaks: "Trump said
    Clinton had called the deal “the gold standard”" and "The network, he said, called it
    “significant”" are the reporter's quotation of what another said (the outer speaker
    vouches for the words; the one named inside is only their reported source)."""
    tok = hit.token
    outers: list[Token] = [c for c in tok.children if c.i != tok.i]
    if tok.dep_ == "ccomp" and not any(
        c.dep_ == "ccomp" and c.i != tok.i for c in tok.head.children
    ):
        # (a second clause hung on the same verb is a misparsed coordination: "X stressed
        # that ... and Y acknowledged that ...")
        outers.insert(0, tok.head)
    for cand in outers:
        outer = art.hit_at.get(cand.i)
        if outer is None or outer.cls not in _SPEECH or art.inside[cand.i] >= 0:
            continue
        source = art.speaker_head(outer)
        if source is None:
            continue
        if outer.lemma == "according to":
            # "According to her letters, the senator had called him “a fraud”": a record
            # named by a common noun (letters, a readout, a poll) vouches for the words; an
            # outlet or a named source only relays them (a via, found by the tag stage)
            if cand.i == tok.head.i or source.pos_ != "NOUN" or _is_outlet(source.text):
                continue
            return outer
        if cand.i == tok.head.i or _parenthetical(outer, art.inside):
            return outer
    return None


def _tail_after_closing(art: _Article, q: QuoteSpan) -> tuple[range, str] | None:
    """For a closed quotation whose words end on ",", "!" or "?" inside the marks ("“...,”"),
    the tokens of up to 80 characters after it in its paragraph and that punctuation; None
    otherwise. Where a short clause there may name the speaker ("“...,” she said")."""
    tail = art.text[q.start:q.close_end].rstrip("”\"'’»")
    if not q.closed or not tail or tail[-1] not in ",!?":
        return None
    after = art._tokens(q.close_end, q.close_end + 80)
    if not after or art.paragraph_of(art.doc[after.start].idx) != art.paragraph_of(
        q.close_end - 1
    ):
        return None
    return after, tail[-1]


def _trailing_verb(art: _Article, after: range, closing: str) -> Token | None:
    """The verb of a short clause that closes a quotation's sentence after ",”" ("“...,” an
    angry Hollande retaliated.", "“...,” she smiled."): it introduces the quotation even
    when the lexicon lacks it, the way "X said" does. (``after``, ``closing``: from
    ``_tail_after_closing``.)"""
    doc = art.doc
    first = next((doc[i] for i in after if not doc[i].is_space), doc[after.start])
    if closing in "!?" and first.is_title and first.pos_ != "PROPN":
        return None  # “Lock her up!” But ...: a new sentence
    for i in range(after.start, min(after.start + 7, len(doc))):
        t = doc[i]
        if art.inside[i] >= 0 or t.is_punct and t.text not in ("-",):
            return None
        if t.pos_ != "VERB" or t.tag_ not in ("VBD", "VBZ") or i in art.hit_at:
            continue
        subj = _subject(t, art.inside)
        end = i + 1
        if subj is None or not (after.start <= subj.i < i) or subj.pos_ not in (
            "PROPN", "PRON", "NOUN"
        ) or subj.lower_ in _RELATIVE:
            return None
        # nothing but the end of the sentence (or where and when) after the verb
        if end < len(doc) and not (doc[end].text in (".", "!", "?") or any(
            c.dep_ in ("prep", "advmod", "npadvmod") and c.i == end for c in t.children
        )):
            return None
        if any(
            c.dep_ in ("dobj", "ccomp", "xcomp", "acomp", "attr") and art.inside[c.i] < 0
            for c in t.children
        ):
            return None
        return t
    return None


def _cue_lemma(tok: Token) -> str:
    """The lexicon lemma of a cue word whatever its tag ("states" read as a plural noun)."""
    lex = cue_lexicon()
    lemma = tok.lemma_.lower()
    return lemma if lemma in lex else _stem(tok.lower_, lex)


def _trailing_noun_cue(
    art: _Article, after: range, closing: str
) -> tuple[Token, Token] | None:
    """(cue, speaker) of a short clause closing a quotation's sentence after ",”", "?”" or
    "!”" whose verb of saying the tagger read as a plural noun or a participle ("“...,” a
    voice-over in the ad states.", "“...?” the 43-year-old asked in a caption."): the
    phrase before the verb says it. (``after``, ``closing``: from ``_tail_after_closing``.)"""
    doc = art.doc
    lex = cue_lexicon()
    for i in range(after.start, min(after.start + 8, len(doc) - 1)):
        t = doc[i]
        if art.inside[i] >= 0 or t.is_space or t.is_punct and t.text != "-":
            return None
        if t.pos_ in ("VERB", "AUX") and t.tag_ != "VBN":
            return None  # a verb the tagger saw: _trailing_verb's case
        if i == after.start or not (
            t.tag_ == "VBN" or t.tag_ == "NNS" and t.lower_.endswith("s")
        ) or lex.get(_cue_lemma(t)) not in _SPEECH:
            continue
        nxt = doc[i + 1]
        if not (nxt.text in (".", "!", "?") or nxt.pos_ == "ADP" and nxt.dep_ == "prep"):
            return None
        phrase = range(after.start, i)
        # (the phrase's words hung on the cue read as a noun, "the ad states", leave its last)
        tops = [
            doc[j] for j in phrase
            if doc[j].head.i not in phrase and doc[j].head.i != i or doc[j].head.i == j
        ] or [doc[i - 1]]
        if len(tops) != 1 or tops[0].pos_ not in ("NOUN", "PROPN", "PRON", "ADJ"):
            return None
        if closing in "!?" and doc[after.start].is_title and doc[after.start].pos_ != "PROPN":
            return None  # “Lock her up!” But ...: a new sentence
        return t, tops[0]
    return None


def _parenthetical(hit: _Hit, inside: list[int]) -> bool:
    """True for a cue with its subject set off by commas inside its sentence ("Acts of
    protest, Mr. Obama said, are acts of patriotism"): it reports the sentence around it."""
    tok = hit.token
    doc = tok.doc
    subj = _subject(tok, inside)
    if subj is None or inside[tok.i] >= 0:
        return False
    first = min(subj.left_edge.i, tok.i)
    last = hit.last
    return (
        first > tok.sent.start and doc[first - 1].text == ","
        and last + 1 < tok.sent.end and doc[last + 1].text == ","
    )


def _weak_inner(art: _Article, hit: _Hit) -> bool:
    """True for a cue that, inside another speaker's report, does not make a speaker of its
    own: predicted or planned ("will say"), a belief or finding rather than speech ("the
    advertisement suggests"), or said of a thing that cannot speak ("a letter that says",
    "softer language calling for")."""
    if _irrealis(hit.token) or hit.cls not in _SPEECH:
        return True
    head = art.speaker_head(hit)
    if head is None or head.pos_ != "NOUN" or head.ent_type_:
        return False
    from pipeline.resolve import lexicon

    return not lexicon().person_noun(head.lemma_.lower()) and head.lemma_.lower() not in (
        _ANONYMOUS_HEADS | _ORG_HEADS
    )


_MODALS = frozenset("will would could should may might must can shall 'll 'd ’ll ’d".split())


def _irrealis(tok: Token) -> bool:
    """True for a verb that is predicted, wished or planned rather than done: a modal or
    infinitival "to" among its auxiliaries ("will say", "would continue", "to call")."""
    return any(c.dep_ == "aux" and (c.lower_ in _MODALS or c.lower_ == "to") for c in tok.children)


def _surface_speaker(art: _Article, hit: _Hit, lo: int, hi: int) -> tuple[int, int] | None:
    """Speaker by position when the parse gives the cue no subject ("“...,” Trump barked"):
    the short noun phrase between the quotation and the cue, or right after the cue."""
    doc = art.doc

    def phrase(rng: range) -> tuple[int, int] | None:
        toks = [i for i in rng if not doc[i].is_punct and not doc[i].is_space]
        if not toks or len(toks) > 6 or any(art.inside[i] >= 0 for i in toks):
            return None
        if len(toks) == 1 and rng.start > hi and doc[toks[0]].is_title and not (
            doc[toks[0]].is_sent_start or doc[toks[0]].lower_ in _SMALL_WORDS
        ) and hit.token.tag_ not in ("VB", "VBG"):
            return toks[0], toks[0]  # "“...,” Will wrote": a name tagged as a modal
        if any(
            doc[i].pos_ in ("VERB", "AUX") and doc[i].dep_ not in ("amod", "compound")
            or doc[i].pos_ in ("ADP", "SCONJ") or doc[i].lower_ in _SMALL_WORDS for i in toks
        ):
            return None  # "Of Carson, “...”": a capitalised preposition is no speaker
        if not any(
            doc[i].pos_ in ("PROPN", "PRON", "NOUN")
            # "said Skelly" with the name mistagged as an adverb
            or (doc[i].is_title and not doc[i].is_sent_start and doc[i].pos_ in ("ADV", "ADJ"))
            for i in toks
        ):
            return None
        return toks[0], toks[-1]

    if hit.first > hi:
        found = phrase(range(hi + 1, hit.first))
        if found is not None:
            return found
        if hit.token.tag_ != "VBG" and not any(
            not doc[i].is_punct and not doc[i].is_space for i in range(hi + 1, hit.first)
        ):
            # ("“...,” referencing the immigrants": a participle's object is no speaker)
            end = hit.last + 1
            while end < len(doc) and end - hit.last <= 7 and not doc[end].is_punct:
                end += 1
            return phrase(range(hit.last + 1, end))
        return None
    start = hit.first - 1
    sent_start = doc[hit.first].sent.start
    while start >= sent_start and hit.first - start <= 7 and not doc[start].is_punct:
        start -= 1
    return phrase(range(start + 1, hit.first))


def _embedded(art: _Article, q: QuoteSpan, hit: _Hit) -> bool:
    """True when words of a reported clause stand right beside the quotation (partial)."""
    doc = art.doc
    qset = set(art._tokens(q.start, q.end))
    for i in qset:
        t = doc[i]
        if t.head.i == hit.token.i and t.i > t.head.i and (
            t.dep_ == "oprd" or _second_object(hit, t)
        ):
            return True  # "calling Smith “a failed actor”": what Smith is called
    own = _cue_frame(hit, qset, art.inside)
    sent = art.frame(q.open_start, q.close_end)
    qt = art._tokens(q.open_start, q.close_end)
    if not qt:
        return False
    for step, start in ((-1, qt.start - 1), (1, qt.stop)):
        i = start
        while sent.start <= i < sent.stop and (doc[i].is_punct or doc[i].is_space):
            if doc[i].text in (":",) and step < 0:
                return False
            i += step
        if sent.start <= i < sent.stop and i not in own and art.inside[i] < 0:
            if step < 0 and doc[i].lower_ in ("that", "as", "and", "but", "because"):
                continue
            if step < 0 and i in art.dateline_end:
                continue  # "LONDON (Reuters) - “...”": a dateline is no part of a clause
            return True
    return False


def _clause_of(hit: _Hit, q: QuoteSpan, art: _Article) -> tuple[int, int] | None:
    """Char range of the cue's complement that contains the quotation."""
    qtoks = set(art._tokens(q.start, q.end))
    for c in hit.token.children:
        if c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "neg", "punct"):
            continue
        sub = range(c.left_edge.i, c.right_edge.i + 1)
        if qtoks & set(sub):
            first = sub.start
            last = sub.stop - 1
            for t in c.subtree:
                if t.lower_ == "according" and t.i > first and t.right_edge.i >= last and (
                    t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"
                ):
                    last = t.i - 1  # "..., according to CCTV" relays; it is not content
                    break
            last = _before_own_cue(art, c, max(qtoks), last)
            if c.dep_ == "agent":
                # "an option seen by organizers as a “lifeboat”": the parse hangs the "as"
                # on the agent, who is the speaker; what is called is from the "as" on
                named = next((
                    a for g in c.children if g.dep_ == "pobj" for a in g.children
                    if a.dep_ == "prep" and a.lower_ == "as" and qtoks & {t.i for t in a.subtree}
                ), None)
                if named is not None:
                    first, last = named.i, _name_end(art, q, named.right_edge.i)
            if c.dep_ == "prep" and hit.cls == "noun":
                # "his rejection of “...”": what is rejected, not what is said of it
                first, last = c.i + 1, _name_end(art, q, last)
            if c.dep_ == "prep":
                # "says in a statement that “...”": the that-clause, not the setting
                mark = _that_clause(c, qtoks)
                if mark is not None:
                    first = mark + 1
            if c.dep_ in ("oprd", "xcomp", "prep", "ccomp", "dobj") and c.i > hit.token.i:
                # "called Trump a “con artist”", "described the talks as “candid”": what
                # is named belongs with what it is called (a second object, "calling Smith
                # “a clown”", is what the first is called).
                naming = c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as" or (
                    _second_object(hit, c)
                )
                obj = _named_object(hit.token, c.i) if naming else None
                objs = [o for o in hit.token.children if o.dep_ == "dobj" and o.i < c.i]
                if obj is not None:
                    first = obj.left_edge.i
                elif objs and not _listener(objs[0], hit):
                    first = objs[0].left_edge.i
                if naming:
                    last = _name_end(art, q, last)
            return _trim(art, first, _before_next_report(art, first, last))
    return None


def _second_object(hit: _Hit, t: Token) -> bool:
    """True for a second object of the cue's verb ("calling Smith “a clown”"): what the first
    object is called. (Verbs of telling take a listener and a message: "told Smith “...”"
    is no naming.)"""
    return t.dep_ == "dobj" and hit.lemma not in _TELL_CUES and any(
        o.dep_ == "dobj" and o.i < t.i for o in hit.token.rights
    )


def _before_own_cue(art: _Article, c: Token, after: int, last: int) -> int:
    """Last token of the reported clause ``c`` (up to ``last``) before a coordinated cue of
    saying with a subject of its own after the quotation ("pledged to fix the “broken” system
    and he, once again, pledged a ..."): that cue opens a report of its own."""
    doc = art.doc
    for t in c.subtree:
        hit = art.hit_at.get(t.i)
        if (
            hit is None or t.dep_ != "conj" or hit.cls not in _SPEECH or t.left_edge.i <= after
            or t.i > last or not any(k.dep_ in ("nsubj", "nsubjpass") for k in t.children)
        ):
            continue
        cut = t.left_edge.i - 1
        while cut > after and (
            doc[cut].dep_ == "cc" or doc[cut].is_punct and art.inside[cut] < 0
        ):
            cut -= 1
        return min(last, cut)
    return last


#: Links from a quotation's head up to the "as" of a naming verb: "as a “mere” moan",
#: "as having “minimal” impact".
_AS_PATH = frozenset({"amod", "compound", "nmod", "conj", "dobj", "appos"})


def _as_naming(doc: Doc, qtoks: set[int]) -> Token | None:
    """The verb of "VERB X as (a) “...”" when the quotation is what X is called: the
    verb has an object before its "as" ("described the deal as a “breakthrough”") or the
    "as" hangs on that object ("portray his run as a “working-class” revolt"); or the
    verb of naming whose predicate the quotation is, when it is no cue ("named him the
    “...”"). Not "such as", "as well as", nor a passive ("was described as"), whose speaker
    is not named."""
    for t in qtoks:
        cur = doc[t]
        if cur.head.i in qtoks or cur.head.i == cur.i:
            continue
        for _ in range(4):
            head = cur.head
            if head.lower_ == "as" and head.dep_ == "prep":
                return _naming_verb(head)
            if cur.dep_ == "oprd" and head.lemma_.lower() in _NAMING_CUES and head.pos_ == "VERB":
                # "named him the “...” of the race": the predicate of a verb of naming
                # that is no cue of its own ("name", "nickname", "christen")
                obj = _named_object(head, cur.left_edge.i)
                passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in head.children)
                return head if obj is not None and not passive else None
            if cur.dep_ not in _AS_PATH or head.i == cur.i:
                break
            cur = head
    return None


#: Nouns that name a form of words: "the phrase “...”", "the “...” moniker".
_WORD_NOUNS = frozenset(
    "phrase word term line moniker nickname label slogan catchphrase mantra refrain motto"
    " expression epithet sobriquet tagline".split()
)


def _word_naming(doc: Doc, qtoks: set[int]) -> Token | None:
    """The verb of "VERB the phrase “...”", "VERB on the “...” moniker" when the quotation
    is a form of words its subject uses or takes up ("doubled down on the “king of debt”
    moniker", "didn't like the phrase “self-deportation”"): the verb that has the noun
    for its object, or for the object of its preposition. Not a passive, whose speaker is
    not named, nor the noun as subject ("the phrase “...” appears in the bill"), nor a name
    ("their common slogan, “Stronger Together”", "the nickname “Honest Abe”"): a slogan or
    a nickname written as a name is cited, not said."""
    if qtoks and _name_case(doc, range(min(qtoks), max(qtoks) + 1)):
        return None
    for t in qtoks:
        cur = doc[t]
        if cur.head.i in qtoks or cur.head.i == cur.i or cur.is_punct:
            continue
        noun = cur.head
        if cur.dep_ not in ("appos", "nmod", "compound", "amod") or (
            noun.lemma_.lower() not in _WORD_NOUNS or noun.pos_ != "NOUN"
        ):
            return None
        if cur.dep_ == "appos" and cur.i < noun.i:
            return None
        verb = noun.head
        if noun.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head
        elif noun.dep_ != "dobj":
            return None
        if verb.pos_ != "VERB" or verb.i > noun.i or any(
            c.dep_ in ("auxpass", "nsubjpass") for c in verb.children
        ):
            return None
        return verb
    return None


def _naming_verb(as_tok: Token) -> Token | None:
    """The verb that names something "as" ``as_tok`` says, or None."""
    doc = as_tok.doc
    if as_tok.i > 0 and doc[as_tok.i - 1].lower_ in ("such", "well", "same", "much", "so"):
        return None
    head = as_tok.head
    verb = None
    if head.pos_ == "VERB" and _named_object(head, as_tok.i) is not None:
        verb = head
    elif head.dep_ == "dobj" and head.head.pos_ == "VERB" and head.head.i < head.i:
        verb = head.head
    elif head.dep_ == "pobj" and head.head.dep_ in ("prep", "prt") and (
        head.head.head.pos_ == "VERB"
        and getattr(_named_object(head.head.head, as_tok.i), "i", -1) == head.i
        and head.head.head.i < head.head.i
    ):
        verb = head.head.head
    elif head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.lower_ in _SETTING_PREPS:
        # "described the group during an interview as “...”": the "as" hung on the setting
        # between the object and it
        prep = head.head
        if prep.head.pos_ == "VERB" and _named_object(prep.head, prep.i) is not None:
            verb = prep.head
    if verb is None or any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return None
    return verb


#: Verbs that make a noun of saying their subject's act: "made the point that", "offered
#: assurances that", "issued a warning that".
_LIGHT_VERBS = frozenset({"make", "offer", "give", "issue", "deliver", "voice", "repeat"})
#: Prepositions that open what a noun of saying says: "her rejection of “...”".
_NOUN_COMPLEMENT_PREPS = frozenset({"of", "about", "against", "over"})
_NOUN_CUE_CLASSES = frozenset({"noun", "speech", "write"})


def _noun_cue(art: _Article, qtoks: set[int]) -> tuple[_Hit, int] | None:
    """(cue, depth) for a quotation in the complement of a noun of saying that a speaker
    owns: "his claim that “...”", "Obama's rejection of “a politics of fear”"."""
    doc = art.doc
    lex = cue_lexicon()
    for t in qtoks:
        cur = doc[t]
        if cur.head.i in qtoks or cur.head.i == cur.i:
            continue
        for d in range(1, 7):
            head = cur.head
            if head.i == cur.i or art.inside[head.i] >= 0:
                break
            if head.pos_ == "NOUN" and head.i < cur.i and (
                lex.get(head.lemma_.lower()) in _NOUN_CUE_CLASSES
            ) and (
                cur.dep_ in ("acl", "ccomp")
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in cur.children)
                or cur.dep_ == "prep" and cur.lower_ in _NOUN_COMPLEMENT_PREPS
            ):
                hit = _Hit(head, head.i, head.i, head.lemma_.lower(), "noun")
                owner = _speaker_head(hit, art.inside)
                if owner is None or art.inside[owner.i] >= 0 or not _can_speak(owner):
                    return None
                return hit, d
            cur = head
    return None


def _named_by(hit: _Hit, qtoks: range) -> bool:
    """True when the quotation is what the cue's verb calls its object: "called X “...”"
    (a predicate or second object), "described X as “...”"."""
    verb = hit.token
    if hit.lemma not in _NAMING_CUES or _named_object(verb, qtoks.start) is None:
        return False
    for i in qtoks:
        t = verb.doc[i]
        if t.head.i == verb.i and t.dep_ in ("oprd", "dobj"):
            return True
        if t.dep_ in ("appos", "conj") and t.head.dep_ == "dobj" and t.head.head.i == verb.i:
            return True  # "called the winner “Miss Piggy”" with the name in apposition
        if t.head.head.i == verb.i and t.head.lower_ == "as" and t.head.dep_ == "prep":
            return True
    return False


def _names_antecedent(hit: _Hit, qtoks: set[int]) -> bool:
    """True when a verb of naming is a relative clause on a word of the quotation and its
    relative pronoun is what it names: "the “...” which X described as a threat", "“...,”
    that she dubbed ...", "“...,” which he referred to as ...". The quotation is the thing
    named, not words of the namer ("“...,” which he said on Monday" is another matter)."""
    verb = hit.token
    if verb.dep_ != "relcl" or verb.head.i not in qtoks or hit.lemma not in _NAMING_CUES:
        return False
    for c in verb.children:
        if c.lower_ in _RELATIVE and c.dep_ in ("dobj", "nsubjpass"):
            return True
        if c.dep_ in ("prep", "prt") and any(
            g.dep_ == "pobj" and g.lower_ in _RELATIVE for g in c.children
        ):
            return True  # "which he referred to as"
    return False


def _named_object(verb: Token, before: int) -> Token | None:
    """What a verb of naming names, before its "as" or its predicate (``before``): its
    object ("called Trump a “fraud”", "described the plan as “reckless”"), or the object of a
    particle or preposition ("waved off the delay as “minimal”", "went after him as a “...”")."""
    for c in verb.rights:
        if c.i >= before:
            break
        if c.dep_ == "dobj":
            return c
        if c.dep_ in ("prep", "prt") and (
            c.lower_ not in _SETTING_PREPS or c.i == verb.i + 1 and c.lower_ in ("after", "on")
        ):
            # ("went after him", "turned on her party": a phrasal verb's object)
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _name_end(art: _Article, q: QuoteSpan, last: int) -> int:
    """The last token of what something is called: the quotation and the words that finish
    its phrase ("a “global town square” open to all"), not a setting or clause after a comma
    ("as a “crazy system” during a stop in Flint", "as “Spanish,” which is ...")."""
    doc = art.doc
    close = art._tokens(q.close_end - 1, q.close_end)
    i = (close.stop if close else art._tokens(q.start, q.end).stop)
    if close and last < close.start and all(doc[j].is_punct for j in range(last + 1, close.stop)):
        last = close.start  # the closing mark, and the comma or stop inside it
    while i <= last:
        t = doc[i]
        if t.is_punct and art.inside[i] < 0 or (
            t.dep_ == "prep" and t.lower_ in _SETTING_PREPS
        ) or t.dep_ == "relcl" or t.lower_ in _RELATIVE:
            return i - 1
        i += 1
    return last


def _in_setting(hit: _Hit, qtoks: set[int]) -> bool:
    """True when the quotation sits in the cue's setting ("said on CNN’s “New Day”", "said
    Sunday"), not in what it reports: a title or a name, not a quotation of the speaker."""
    for c in hit.token.children:
        if c.i in qtoks:
            continue  # the quotation's own first word ("“Now that ...,” he told"), misparsed
        if c.dep_ in _SETTING_DEPS or c.dep_ == "prep" and c.lower_ in _SETTING_PREPS:
            if _that_clause(c, qtoks) is not None:
                continue  # "says in a statement that “...”": the clause misattached to it
            if hit.cls == "naming" and any(
                g.dep_ == "pobj" and g.lemma_.lower() in _WORD_NOUNS for g in c.children
            ):
                continue  # "doubled down on the “...” moniker": words, not a setting
            if any(t.i in qtoks for t in c.subtree) and (
                getattr(_as_naming(hit.token.doc, qtoks), "i", -1) == hit.token.i
            ):
                continue  # "described X during an interview as “...”", "as" misattached
            if any(t.i in qtoks for t in c.subtree):
                return True
    return False


def _that_clause(prep: Token, qtoks: Iterable[int]) -> int | None:
    """The "that" opening a clause under ``prep`` that holds the quotation ("said in a
    statement that the team would work with police “to keep ...”": the parse hangs the
    reported clause on the statement), or None."""
    wanted = set(qtoks)
    for t in prep.subtree:
        if t.dep_ == "mark" and t.lower_ == "that" and t.i < t.head.i:
            clause = t.head
            if clause.i in wanted or any(
                clause.left_edge.i <= i <= clause.right_edge.i for i in wanted
            ):
                return t.i
    return None


def _named_title(art: _Article, qtoks: range) -> bool:
    """True for a Title Case quotation after a possessive or a preposition ("on NBC’s “Meet
    the Press.”", "the author of “The Art of the Deal”"): the name of a work or a show."""
    doc = art.doc
    i = qtoks.start - 1
    while i >= 0 and doc[i].is_punct and doc[i].lower_ not in ("'s", "’s"):
        i -= 1
    if i < 0 or not (doc[i].lower_ in ("'s", "’s") or doc[i].pos_ == "ADP"):
        return False
    last = qtoks.stop - 1
    while last > qtoks.start and doc[last].is_punct:
        last -= 1
    rng = range(qtoks.start, last + 1)
    # one capitalised word is as often a name or an utterance ("referred to him as “Chris”",
    # "Perry's “Oops”") as a title
    return _name_case(doc, rng) and sum(1 for j in rng if doc[j].is_alpha) >= 2


@lru_cache(maxsize=1)
def _work_words() -> dict[str, frozenset[str]]:
    """pipeline/data/attribute_works.txt: where -> words that mark a quotation as a name."""
    out: dict[str, set[str]] = {"before": set(), "after": set(), "naming": set()}
    text = resources.files("pipeline").joinpath("data/attribute_works.txt").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            word, where = line.split("\t")
            out[where.strip()].add(word.strip().lower())
    return {k: frozenset(v) for k, v in out.items()}


def _names_work(art: _Article, q: QuoteSpan, qtoks: range) -> bool:
    """True for a quotation that names a work, a show or a nickname, by the word before or
    after its marks: "the film “Frozen”", "his book, ''Make Your Kid a Millionaire''", "the
    hacker known as “Guccifer”", "“Orange Is the New Black” star Dascha Polanco"."""
    doc = art.doc
    words = _work_words()
    before = art._tokens(q.open_start, q.open_start + 1).start - 1
    comma = before >= 0 and doc[before].text == ","
    if comma:
        before -= 1  # "his 2002 book, ''Make Your Kid a Millionaire''"
    if before >= 0 and art.inside[before] < 0 and _name_case(doc, qtoks):
        tok = doc[before]
        if tok.pos_ in ("NOUN", "PROPN") and tok.is_lower and tok.lower_ in words["before"]:
            return True
        pair = f"{doc[before - 1].lower_} {tok.lower_}" if before > 0 else ""
        if not comma and (tok.lower_ in words["naming"] or pair in words["naming"]):
            return True
    after = art._tokens(q.close_end + 1, q.close_end + 2)
    if q.closed and after and q.close_end < len(art.text) and art.text[q.close_end] == " ":
        tok = doc[after.start]
        return tok.pos_ in ("NOUN", "PROPN") and tok.lower_ in words["after"] and (
            tok.i + 1 < len(doc) and not doc[tok.i + 1].is_punct
        )
    return False


#: A headline credited to its author in a digest: “Title,” by The Times' Jane Roe. (A run of
#: closing marks is matched from its first mark only: linear on a long run.)
_BYLINE = re.compile(r"(?:,[”\"'’]+|(?<![”\"'’])[”\"'’]+,)[ ]+by[ ]+[A-Z]")


def _headline_credit(art: _Article, q: QuoteSpan) -> bool:
    """True for a quotation followed by "by" and a name ("“City Museum names a director,” by
    Times' Jane Roe"): the headline of a piece a digest links to, not anybody's words."""
    return q.closed and _BYLINE.match(art.text, q.end, q.close_end + 6) is not None


#: ", and" between two items of a list (the gap's spaces are stripped first: a pattern
#: that opens with ``\s*`` before a required word is quadratic on long runs of spaces).
_LIST_JOINT = re.compile(r",\s+(?:and|or|&)")


def _listed_after(art: _Article, prev: QuoteSpan, q: QuoteSpan, qtoks: range) -> bool:
    """True for a name listed after a quotation taken as a title ("starred in “Parks and
    Recreation” and “Guardians of the Galaxy”"): the next item of the same list."""
    gap = art.text[prev.close_end : q.open_start]
    core = gap.strip()
    joint = core == "," or (
        gap[:1].isspace() if core in ("and", "or", "&") else _LIST_JOINT.fullmatch(core) is not None
    )
    return joint and _name_case(art.doc, qtoks)


def _compound_modifier(art: _Article, q: QuoteSpan) -> bool:
    """True for a quotation joined by a hyphen to the word after it ("“moan”-worthy
    headlines", "a “Made in America”-style plan"): a term used as a modifier."""
    end = q.close_end
    return (
        q.closed and art.text[end : end + 1] in ("-", "‐") and art.text[end + 1 : end + 2].isalpha()
    )


def _name_case(doc: Doc, rng: range) -> bool:
    """True for a short span written as a name: its first word and every word but the small
    ones capitalised ("Frozen", "The Art of the Deal."), whatever its closing punctuation.
    Only tokens that begin a word count ("Gonna" is "Gon" + "na")."""
    words = [
        doc[i] for i in rng
        if doc[i].is_alpha and (i == rng.start or doc[i - 1].whitespace_ or doc[i - 1].is_punct)
    ]
    small = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "at", "with", "is", "or"}
    return 0 < len(words) <= 8 and words[0].text[0].isupper() and all(
        w.text[0].isupper() or w.lower_ in small for w in words
    )


def _title_case(doc: Doc, rng: range) -> bool:
    """True for a short Title Case span ("Meet the Press", "Fox & Friends"): a name."""
    words = [doc[i] for i in rng if doc[i].is_alpha]
    if len(words) < 2 or len(words) > 7 or doc[rng.stop - 1].text in (".", "!", "?"):
        return False
    small = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "at", "with", "is"}
    return all(w.text[0].isupper() or w.lower_ in small for w in words) and words[0].is_title


def _trim(art: _Article, first: int, last: int) -> tuple[int, int] | None:
    """Char range of tokens first..last without leading "that"/punctuation or trailing punctuation
    (quotation marks kept when they close a quotation inside the range)."""
    doc = art.doc
    while first <= last and (
        doc[first].is_punct and doc[first].text not in "“‘\"'" or doc[first].is_space
        or doc[first].dep_ == "mark" and doc[first].lower_ == "that"
    ):
        first += 1
    while last >= first and (
        doc[last].is_punct and doc[last].text not in "”’\"'" or doc[last].is_space
    ):
        last -= 1
    if first > last:
        return None
    return doc[first].idx, doc[last].idx + len(doc[last])


def _close_quote(art: _Article, start: int, end: int) -> tuple[int, int]:
    """A reported clause that stops inside a quotation before its closing punctuation and
    mark ('said the report “wasn’t good.”', parsed with '.”' on the main verb) runs to the
    closing mark: the quotation is part of what was reported. Not across a dash ("when he
    would not worry -- “what would you pick?”"): a quotation set off by one stands apart."""
    text = art.text
    for q in art.quotes:
        close = q.close_end if q.closed else q.end
        if (
            start <= q.start < end < q.end and not text[end:close].strip(_CLOSING)
            and not any(d in text[start:q.open_start] for d in _ASIDE_DASHES)
        ):
            return start, close
    return start, end


def _remainder(art: _Article, sent: range, drop: set[int]) -> tuple[int, int] | None:
    """Longest run of the sentence's tokens outside ``drop``, trimmed (for "according to")."""
    best: tuple[int, int] | None = None
    run: list[int] = []
    for i in list(sent) + [-1]:
        if i >= 0 and i not in drop:
            run.append(i)
            continue
        if run and (best is None or len(run) > best[1] - best[0] + 1):
            best = (run[0], run[-1])
        run = []
    if best is None:
        return None
    return _trim(art, best[0], best[1])


def _refine_kind(art: _Article, first: int, last: int, res: Resolution) -> Resolution:
    """Refine the resolver's kind: outlets, anonymous descriptors, organisations, pronouns."""
    doc = art.doc
    span: Span = doc[first : last + 1]
    text = span.text
    head = span.root
    low = head.lower_
    if res.kind != "unknown":
        return res  # the resolver knows better; this is only a fallback
    if _is_outlet(text):
        return Resolution(res.name, "outlet", res.resolved_by)
    if head.pos_ == "PRON":
        kind: SpeakerKind = "person" if low in _PRONOUN_PERSON else "unknown"
        return Resolution(res.name, kind, res.resolved_by)
    has_person = any(t.ent_type_ == "PERSON" for t in span)
    if not has_person and head.pos_ != "PROPN" and (
        low in _ANONYMOUS_HEADS or head.lemma_.lower() in _ANONYMOUS_HEADS
    ):
        return Resolution(None, "anonymous", res.resolved_by)
    if head.ent_type_ in ("ORG", "GPE", "NORP") or low in _ORG_HEADS or (
        text.lower().removeprefix("the ") in _ORG_HEADS
    ):
        return Resolution(res.name, "organization", res.resolved_by)
    if has_person or any(t.lower_ in ("mr.", "mrs.", "ms.", "dr.", "sen.") for t in span):
        return Resolution(res.name, "person", res.resolved_by)
    if head.pos_ == "PROPN" and not head.ent_type_:
        # A proper-noun subject of a reporting verb, not an organisation: a person's name.
        return Resolution(res.name, "person", res.resolved_by)
    return res


def _confidence(draft: _Draft) -> float:
    return round(min(max(draft.confidence, 0.0), 1.0), 3)


def attribute(document: Document, sentences: list[Sentence], doc: Doc) -> list[Attribution]:
    """Return the attributed quotes of one article."""
    art = _Article(document, sentences, doc)
    drafts: list[_Draft] = []
    used: set[int] = set()
    text = art.text

    # Pass 1: quotations.
    titles: set[int] = set()
    for qi, q in enumerate(art.quotes):
        para = art.paragraph_of(q.open_start)
        qtoks = art._tokens(q.start, q.end)
        if not qtoks:
            continue
        if (
            _named_title(art, qtoks) or _names_work(art, q, qtoks) or _headline_credit(art, q)
            or (qi - 1 in titles and _listed_after(art, art.quotes[qi - 1], q, qtoks))
            or _compound_modifier(art, q)
        ):
            titles.add(qi)
            continue
        found = _link(art, qi, q)
        words = _content_words(doc, qtoks)
        if found is not None:
            hit, linked, gap = found
            lead = art.lead.get(hit.token.i, hit)
            spk = art.speaker_head(lead)
            lo_q, hi_q = qtoks.start, qtoks.stop - 1
            speaker = (
                art.mention(lead, spk) if spk is not None
                else _surface_speaker(art, hit, lo_q, hi_q)
            )
            if speaker is not None and art.inside[speaker[0]] >= 0:
                speaker = None
            if spk is not None and _in_speaker_phrase(spk, hit, qtoks):
                # "Washington, star of television's “Scandal,” thanked ...": the quotation
                # is part of the phrase naming the speaker, not what the speaker says.
                continue
            embedded = _embedded(art, q, hit)
            if (embedded or gap > 0) and _title_case(doc, qtoks) and not (
                speaker is not None and _named_by(hit, qtoks)
            ):
                # a title inside a clause ("her role in “Orange Is the New Black”"), but not
                # a name someone gives ("he called his rival “Little Marco”")
                continue
            if embedded or gap > 0:
                clause = _clause_of(hit, q, art)
                if clause is None and hit.lemma == "according to":
                    clause = _indirect_content(art, hit)
                if words <= 4 and not _has_verb(doc, qtoks):
                    if clause is None and (not linked or hit.cls not in _SPEECH):
                        continue
                    if speaker is None:
                        continue
                start, end = clause if clause else (q.start, q.end)
                start, end = min(start, q.start), max(end, q.end)
                if speaker is not None and start <= doc[speaker[0]].idx < q.start and (
                    hit.lemma == "according to" and hit.token.lower_ == "in"
                ):
                    start = q.start  # "X was, in the words of an aide, “...” of Y": from the quote
                if speaker is not None and start <= doc[speaker[0]].idx < end:
                    continue  # "highlighted by a declaration of a “no-limits” ...": no speaker
                twin = _same_cue(drafts, hit, start, end)
                if twin is not None:
                    # Several quoted fragments of one reported clause: one attribution.
                    twin.kind = "partial"
                    twin.start, twin.end = min(twin.start, start), max(twin.end, end)
                    continue
                twin = _same_cue_sentence(art, drafts, hit, start, q.open_start)
                if twin is not None:
                    # ... also when they do not touch: "not to “A” but to “B”", its marks kept
                    first = twin.quote
                    if first is not None and twin.start == first.start:
                        twin.start = first.open_start
                    twin.end = q.close_end if end == q.end and q.closed else end
                    continue
                drafts.append(
                    _Draft("partial", start, end, speaker, hit, 0.8 if linked else 0.65, para,
                           quote=q)
                )
            else:
                if words <= 4 and not _has_verb(doc, qtoks) and (not linked or speaker is None):
                    continue
                drafts.append(
                    _Draft("direct", q.start, q.end, speaker, hit,
                           0.95 if linked else 0.85, para, quote=q)
                )
            used.add(hit.token.i)
            continue
        owned = _owned_saying(art, qtoks)
        if owned is not None:
            # "her remark that “there is a special place in hell ...”": the owner said it.
            noun, owner, (start, end) = owned
            drafts.append(
                _Draft("partial", min(start, q.start), max(end, q.end), _mention(owner),
                       _Hit(noun, noun.i, noun.i, noun.lemma_.lower(), "speech"), 0.6, para,
                       quote=q)
            )
            continue
        # A dash ties the quotation to its speaker: "“...” ― Adriana Rodarte" (signed with a
        # dash and a name), or "the former candidate Mitt Romney -- ''...'' -- and ...",
        # "When Trump wrapped up — “...” — the balloons fell" (set off after a name, or
        # after a verb whose subject says it).
        signed = _dash_signature(art, q)
        dashed, confidence = (signed, 0.75) if signed is not None else (_dashed_aside(art, q), 0.7)
        if dashed is not None:
            dash, chars, speaker = dashed
            drafts.append(
                _Draft("direct", q.start, q.end, speaker,
                       _Hit(doc[dash], dash, dash, "—", "phrase", chars), confidence, para,
                       quote=q)
            )
            continue
        named = _headline_speaker(art, q.open_start)
        if named is not None:
            # "Kasich: ‘We Are Going All the Way’": a headline names its speaker.
            colon, speaker = named
            drafts.append(
                _Draft("direct", q.start, q.end, speaker,
                       _Hit(doc[colon], colon, colon, ":", "phrase"), 0.75, para, quote=q)
            )
            continue
        standalone = _starts_sentence(art, q)
        if not standalone and (words <= 5 or not (_has_verb(doc, qtoks) or qi in art.named)):
            # a scare quote or a term: nobody is quoted (but a phrase that someone is said
            # to describe is quoted from a source left unstated: a record without speaker)
            continue
        if words <= 2 and not _has_verb(doc, qtoks):
            continue
        drafts.append(
            _Draft("direct", q.start, q.end, None, None, 0.3, para, quote=q, standalone=standalone)
        )

    # Pass 2: indirect speech from unused cues with a complement clause.
    quote_ranges = [(d.start, d.end) for d in drafts]
    for hit in art.hits:
        if hit.token.i in used:
            continue
        if hit.lemma == "according to" and _relays(art, hit):
            continue
        spk = art.speaker_head(hit)
        if spk is not None and art.inside[spk.i] >= 0:
            continue
        if spk is None and not _unstated_asker(hit.token):
            continue  # (what someone unnamed was asked is reported all the same)
        if spk is not None and _inferred_by_reporter(hit, spk):
            continue  # "the call indicates their ties will endure": evidence, not a report
        rng = _indirect_content(art, hit)
        if rng is None:
            continue
        start, end = _close_quote(art, *rng)
        if end - start < 8:
            continue
        if any(_overlap(start, end, a, b) > 0.5 * min(end - start, b - a) for a, b in quote_ranges):
            continue
        if titles and _rooted_in_title(art, start, end, titles):
            continue  # "In his book, ''Make Your Kid a Millionaire,'' he suggested": a title
        para = art.paragraph_of(start)
        holds_quote = any(start <= q.start and q.end <= end for q in art.quotes)
        conf = 0.7 if hit.cls in _SPEECH else 0.5
        draft = _Draft("partial" if holds_quote else "indirect", start, end,
                       art.mention(hit, spk) if spk is not None else None, hit, conf, para)
        # An object rather than a clause ("emphasised Russia's willingness"): weaker evidence.
        draft.weak = not any(c.dep_ in _CLAUSAL for c in hit.token.children)
        drafts.append(draft)

    # Headlines and summaries: "Pat Caddell: Democrat Voters Worried About ...".
    for lo, hi in art.paragraphs:
        colon = text.find(":", lo, min(hi, lo + 80))
        if colon < 0:
            continue
        named = _headline_speaker(art, colon + 1)
        if named is None:
            continue
        span = _trim(art, named[0] + 1, art._tokens(colon, hi).stop - 1)
        if span is None or _content_words(doc, art._tokens(span[0], span[1])) < 3:
            continue
        inner = [d for d in drafts if _overlap(span[0], span[1], d.start, d.end) > 0]
        if inner and not all(
            d.speaker is None and d.cue is None or d.speaker is not None
            and doc[d.speaker[0]].lower_ in _DIALOGUE_PRONOUNS
            and d.speaker[0] == d.speaker[1] for d in inner
        ):
            continue
        # "FALLIN: I think he is ...": the labelled speaker's "I think" is the label's words.
        drafts = [d for d in drafts if d not in inner]
        holds_quote = any(span[0] <= q.start and q.end <= span[1] for q in art.quotes)
        drafts.append(
            _Draft("partial" if holds_quote else "indirect", span[0], span[1], named[1],
                   _Hit(doc[named[0]], named[0], named[0], ":", "phrase"), 0.6,
                   art.paragraph_of(colon))
        )

    # A belief or finding inside what someone is reported to say ("X said she plans to")
    # is part of that report, not an attribution of its own.
    drafts = [
        d for d in drafts
        if d.kind == "direct" or d.cue is None or (d.cue.cls in _SPEECH and not d.weak) or not any(
            o is not d and o.start <= d.cue.token.idx < o.end for o in drafts
        )
    ]
    drafts = _drop_nested(art, drafts)
    drafts.sort(key=lambda d: (d.start, d.end))
    _continue_speakers(art, drafts)
    return _records(art, drafts, text)


#: What may close a quotation after the partial quote around it ends: “... “real solutions.”
_CLOSING = ".,;:!?”’\"' "
_SAME_SPEAKER_PRONOUNS = frozenset("he she they it we i who".split())


def _in_speaker_phrase(spk: Token, hit: _Hit, qtoks: range) -> bool:
    """Whether a quotation lies within the phrase of its speaker (an appositive or a
    modifier of the subject) that ends before the cue, the speaker's head outside it."""
    hi = spk.right_edge.i
    if not (hi < hit.first and spk.i < qtoks.start and qtoks.stop - 1 <= hi):
        return False
    # ... but not in a clause of its own ("Beck, who has called him “a sociopath,”")
    tok = spk.doc[qtoks.start]
    while tok.i in qtoks and tok.head.i != tok.i:
        tok = tok.head
    while tok.i != spk.i:
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return True


def _drop_nested(art: _Article, drafts: list[_Draft]) -> list[_Draft]:
    """Drafts without the quotations already reported inside a larger partial quote of the
    same speaker: in "Obama said “there is love” after the massacre, which he called “an evil
    act”" or "Dean said guns are “a crisis” and “stunt growth”" the later fragment is part of
    the report around it, not an attribution of its own."""
    doc = art.doc
    keep: list[_Draft] = []
    outer: _Draft | None = None
    for d in sorted(drafts, key=lambda d: (d.start, -d.end)):
        if (
            outer is not None and d.quote is not None and d.start >= outer.start
            and (d.end <= outer.end or not art.text[outer.end : d.end].strip(_CLOSING))
            and (d.start, d.end) != (outer.start, outer.end)
            and _same_speaker(doc, outer.speaker, d.speaker)
            and _folds_into(d, outer)
        ):
            continue
        keep.append(d)
        if d.kind == "partial" and (outer is None or d.end > outer.end):
            outer = d
    return keep


def _folds_into(inner: _Draft, outer: _Draft) -> bool:
    """Whether a quotation inside an outer partial quote belongs to it: it shares the
    outer cue, or has no speaker or cue of its own after the outer cue, or its cue stands
    before it inside the outer report ("..., which he called “an evil act”"). A cue after
    it ("“You winning?” she said") or coordinated into the outer clause ("found him
    “charming” and called his standing “unheard of”") makes a quotation of its own."""
    cue = inner.cue
    if inner.quote is None or cue is not None and cue is outer.cue:
        return inner.quote is not None
    if inner.speaker is None or cue is None:
        # nobody's words, unless the outer report only begins after them
        return outer.cue is not None and outer.cue.token.idx < inner.quote.open_start
    tok = cue.token
    if tok.i > 0 and tok.nbor(-1).dep_ == "cc" and tok.tag_ == "VBG":
        return False  # (a gerund after "and", "telling X “...” and questioning “...”")
    return tok.dep_ != "conj" and tok.idx < inner.quote.open_start


def _same_speaker(doc: Doc, outer: tuple[int, int] | None, inner: tuple[int, int] | None) -> bool:
    """Whether an inner quotation's speaker may be the outer report's: none, a pronoun, or
    the same words."""
    if inner is None:
        return True
    if outer is None:
        return False
    words = doc[inner[0] : inner[1] + 1]
    if len(words) == 1 and words[0].lower_ in _SAME_SPEAKER_PRONOUNS:
        return True
    return words.text.lower() == doc[outer[0] : outer[1] + 1].text.lower()


def _rooted_in_title(art: _Article, start: int, end: int, titles: set[int]) -> bool:
    """True when the clause [start, end) hangs on a word of a title and ends with it ("In his
    book, ''Make Your Kid a Millionaire,'' he suggested", the title parsed as what was
    suggested)."""
    toks = art._tokens(start, end)
    for i in toks:
        head = art.doc[i].head.i
        if head == i or head not in toks:
            # and ends with it: "said on ''Meet the Press'' that ..." still reports the clause
            qi = art.inside[i]
            return qi in titles and end <= art.quotes[qi].close_end
    return False


def _owned_saying(art: _Article, qtoks: range) -> tuple[Token, Token, tuple[int, int]] | None:
    """(noun, possessor, clause chars) for a quotation in the clause of a possessed noun of
    saying ("her remark that “...”", "his claim that “...”"), else None."""
    doc = art.doc
    lex = cue_lexicon()
    before, after = qtoks.start - 2, qtoks.stop + 1
    if before >= 0 and after < len(doc) and doc[before + 1].is_quote and doc[after - 1].is_quote:
        # "Obama's “if you like your plan, you can keep it” promise": the quotation names
        # the owner's words the noun stands for.
        said, mark = doc[after], doc[before]
        sayer = doc[before - 1] if mark.tag_ == "POS" and before > 0 else mark
        # (not a noun of writing: her “work-related” emails are no words of hers)
        if said.pos_ == "NOUN" and lex.get(said.lemma_.lower()) in ("noun", "speech") and (
            mark.tag_ in ("POS", "PRP$")
        ) and art.inside[sayer.i] < 0 and _can_speak(sayer):
            last = doc[qtoks.stop - 1]
            return said, sayer, (doc[qtoks.start].idx, last.idx + len(last))
    anc = doc[qtoks.start]
    for _ in range(6):
        if anc.head is anc:
            return None
        child, anc = anc, anc.head
        if anc.i in qtoks:
            continue
        if (
            anc.pos_ == "NOUN" and lex.get(anc.lemma_.lower()) in ("noun", "speech")
            and child.dep_ in ("compound", "amod", "nmod") and child.i < anc.i
        ):
            # "the governor’s “lazy farmers” comment": the quotation names what was said
            # (not so a written thing it describes: her “work-related” emails)
            owner = next((c for c in anc.children if c.dep_ == "poss"), None)
            if owner is None or owner.i > qtoks.start or art.inside[owner.i] >= 0 or (
                not _can_speak(owner)
            ):
                return None
            return anc, owner, (doc[qtoks.start].idx, doc[qtoks.start].idx)
        noun = anc
        if anc.lemma_ == "be" and child.dep_ == "ccomp" and child.i > anc.i:
            # "Her answer was that “...”": the subject is the noun of saying, the
            # predicate its content.
            noun = next((c for c in anc.children if c.dep_ == "nsubj" and c.i < anc.i), anc)
        elif child.dep_ not in ("acl", "ccomp", "appos") or child.i < anc.i:
            continue
        if noun.pos_ == "NOUN" and lex.get(noun.lemma_.lower()) in _NOUN_CUE_CLASSES:
            anc = noun
            owner = next((c for c in anc.children if c.dep_ == "poss"), None)
            if owner is None or art.inside[owner.i] >= 0 or not _can_speak(owner):
                return None
            span = _trim(art, child.left_edge.i, child.right_edge.i)
            return (anc, owner, span) if span is not None else None
    return None


def _relays(art: _Article, hit: _Hit) -> bool:
    """True when "according to X" relays what a speech verb of its sentence reports ("a
    Kremlin official said, according to Reuters"): X is the channel, not another speaker."""
    sent = hit.token.sent
    for other in art.hits:
        if other is hit or other.lemma == "according to" or other.cls not in _SPEECH:
            continue
        if sent.start <= other.token.i < sent.end and art.speaker_head(other) is not None:
            return True
    return False


def _headline_speaker(art: _Article, pos: int) -> tuple[int, tuple[int, int]] | None:
    """(colon token, speaker range) when the text before ``pos`` reads "Name:" or "Name on
    topic:" at the start of a paragraph, the way headlines and summaries name a speaker."""
    doc = art.doc
    k = pos - 1
    while k >= 0 and art.text[k].isspace():
        k -= 1
    if k < 0 or art.text[k] != ":":
        return None
    colon_toks = art._tokens(k, k + 1)
    if not colon_toks:
        return None
    colon = colon_toks.start
    lo = art.paragraphs[art.paragraph_of(k)][0]
    # "POLLS DID PREDICT IT - HuffPollster: “...”": a name after a spaced dash opens too
    dash = max(art.text.rfind(" - ", lo, k), art.text.rfind(" — ", lo, k),
               art.text.rfind(" – ", lo, k))
    if dash >= 0 and k - dash <= 60:
        lo = dash + 3
    toks = art._tokens(lo, k)
    if not toks or len(toks) > 14 or any(art.inside[i] >= 0 for i in toks):
        return None
    run_end = toks.start - 1
    for i in toks:
        t = doc[i]
        if t.pos_ == "PROPN" or (t.is_title and t.pos_ in ("NOUN", "ADJ")) or _caps_name(t) or (
            t.text in (".", "-", "’s", "'s") and i > toks.start
        ) or t.is_title and t.text in art.propn_texts:
            # (a name the article tags as one elsewhere, here read as a verb: "Lee on ...:")
            run_end = i
            continue
        break
    run = range(toks.start, run_end + 1)
    if run_end < toks.start or all(
        doc[i].pos_ != "PROPN" and not _caps_name(doc[i])
        and not (doc[i].is_title and doc[i].text in art.propn_texts) for i in run
    ):
        return None
    if all(doc[i].lower_ in _NOT_SPEAKER_LABELS for i in run if not doc[i].is_punct):
        return None
    rest = range(run_end + 1, colon)
    # Only a topic may follow the name ("Gillibrand on Hillary's speeches:"), not a clause.
    if rest and doc[rest.start].lower_ not in ("on", "to", "about", "in", "at", "of"):
        return None
    if any(doc[i].dep_ in ("nsubj", "nsubjpass") and doc[i].head.i in rest for i in rest):
        return None
    return colon, (toks.start, run_end)


#: A dash that signs a quotation with its author's name: em dash, horizontal bar, "--".
_SIGNATURE = re.compile(r"(?<![^\S\n])[^\S\n]*+(?:[—―]|--|–)[^\S\n]*+(?=\S)")


def _dash_signature(
    art: _Article, q: QuoteSpan
) -> tuple[int, tuple[int, int], tuple[int, int]] | None:
    """(dash token, dash characters, speaker range) when a quotation ends its line signed
    with a dash and a name ("“...” ― Christina Lastra", "“...” -- Sen. Ted Cruz, R-Texas."),
    the way epigraphs, pull quotes and reader comments name who said them."""
    if not q.closed:
        return None
    hi = art.paragraphs[art.paragraph_of(q.close_end - 1)][1]
    line_end = art.text.find("\n", q.close_end, hi)
    hi = hi if line_end < 0 else line_end
    m = _SIGNATURE.match(art.text, q.close_end, hi)
    if m is None:
        return None
    # The name runs to the paragraph's end, or to a comma that begins a title.
    tail = art.text[m.end():hi]
    cut = tail.find(",")
    name_end = m.end() + (cut if cut >= 0 else len(tail.rstrip().rstrip(".")))
    toks = art._tokens(m.end(), name_end)
    dash = m.group().strip()
    dash_start = art.text.index(dash, m.start())
    dash_toks = art._tokens(dash_start, dash_start + len(dash))
    if not toks or not dash_toks or len(toks) > 6 or len(art.text[m.end():hi]) > 120:
        return None
    doc = art.doc
    words = [doc[i] for i in toks if not doc[i].is_punct]
    # "― union leader Mary Odhiambo": a lower-case description before the name
    lead = 0
    while lead < min(len(words) - 1, 3) and words[lead].is_lower and (
        words[lead].pos_ in ("NOUN", "ADJ")
    ):
        lead += 1
    if lead and words[lead].pos_ != "PROPN":
        return None
    words = words[lead:]
    if not words or not all(t.is_title or t.is_upper or t.text.lower() in _SMALL_WORDS
                            or t.pos_ == "PROPN" for t in words):
        return None
    if not any(t.pos_ == "PROPN" or t.is_title for t in words[:1]):
        return None
    last = toks.stop - 1
    while last > toks.start and doc[last].is_punct:
        last -= 1
    return dash_toks.start, (dash_start, dash_start + len(dash)), (toks.start, last)


_ASIDE_DASHES = ("--", "—", "–")


def _dashed_aside(
    art: _Article, q: QuoteSpan
) -> tuple[int, tuple[int, int], tuple[int, int]] | None:
    """(dash token, dash characters, speaker range) for a quotation set off between dashes
    right after a person's name ("Mitt Romney -- ''...'' -- and ...") or after a verb whose
    subject is one ("When Trump wrapped up — “...” — the balloons ...")."""
    if not q.closed:
        return None
    text = art.text
    k = q.open_start
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    dash = next((d for d in _ASIDE_DASHES if text.endswith(d, 0, k)), None)
    after = text[q.close_end:q.close_end + 4].lstrip(" \t")
    if dash is None or not after.startswith(_ASIDE_DASHES):
        return None
    dash_toks = art._tokens(k - len(dash), k)
    if not dash_toks or dash_toks.start == 0:
        return None
    doc = art.doc
    j = dash_toks.start - 1
    if art.inside[j] >= 0 or doc[j].sent.start != doc[dash_toks.start].sent.start:
        return None
    t = doc[j]
    if t.dep_ in ("prt", "advmod") and t.head.i < t.i:
        t = t.head  # "wrapped up"
    if t.pos_ == "VERB":
        subj = _subject(t, art.inside)
        if subj is None or not (subj.pos_ in ("PROPN", "PRON") or subj.ent_type_ == "PERSON"):
            return None
        t = subj
    while t.dep_ == "compound" and t.head.i > t.i and t.head.i <= j:
        t = t.head
    if t.ent_type_ != "PERSON" and t.pos_ != "PRON" or t.lower_ in _RELATIVE:
        return None
    start = k - len(dash)
    return dash_toks.start, (start, k), _mention(t)


#: Capitalised labels before a colon that name no speaker ("BREAKING:", "UPDATE:", "Q:").
_NOT_SPEAKER_LABELS = frozenset(
    """breaking update updated watch exclusive video photos photo note correction editor
    editors editor's clarification advertisement related read more see also listen live
    opinion analysis explainer q a transcript source sources""".split()
)


_DIALOGUE_PRONOUNS = frozenset("i we you".split())


def _caps_name(tok: Token) -> bool:
    """A name in capitals, the way transcripts label their speakers ("TAPPER:")."""
    return tok.is_upper and tok.is_alpha and len(tok.text) > 1


def _same_cue(drafts: list[_Draft], hit: _Hit, start: int, end: int) -> _Draft | None:
    """The draft of the same cue that overlaps [start, end), if any."""
    for d in reversed(drafts[-4:]):
        # (by token: a cue made up for one quotation is made anew for the next)
        if d.cue is not None and d.cue.token.i == hit.token.i and d.start < end and start < d.end:
            return d
    return None


#: ", and" or ", or" between two quoted fragments, after a closing mark or not: a list.
_LIST_COMMA = re.compile(r",[”\"'’]*\s*(?:and|or)\b")


def _same_cue_sentence(
    art: _Article, drafts: list[_Draft], hit: _Hit, start: int, mark: int
) -> _Draft | None:
    """The partial quote of the same cue earlier in the sentence of ``start``: "the goal was
    not to “make America great again” but to “make America whole again”" is one report."""
    sent = art.sentence_of(start)
    for d in reversed(drafts[-4:]):
        if d.cue is hit and d.kind == "partial" and d.end <= start and (
            art.sentence_of(d.start) == sent
        ):
            # not past another cue or a verb of the speaker's ("... “overblown,” adding that
            # it had “upside”", "called the merger “a bad deal” and ranked her “the worst”");
            # a "that" or a verb inside the report goes on with it ("calling it “A” that X
            # “B”", "had “faith” that “B”", "X had been there “years” and passed “laws”")
            prev = d.quote.close_end if d.quote is not None else d.end
            between = art._tokens(prev, mark)
            if any(
                i in art.hit_at or _second_predicate(art.doc[i], hit)
                for i in between
            ) or _LIST_COMMA.search(art.text, d.quote.end if d.quote else prev, mark):
                return None
            if d.quote is not None and art.text[d.quote.start : d.quote.start + 1].isupper() and (
                art.text[mark + 1 : mark + 2].isupper()
            ):
                return None  # "chanted “Send them home” and “Build the wall”": two sayings
            return d
    return None


def _second_predicate(tok: Token, hit: _Hit) -> bool:
    """True for a verb coordinated with the cue itself ("called the merger “a bad deal” and
    ranked her “the worst”": a second thing the speaker did), not a verb inside the reported
    clause ("pledged that X “really is” for free trade but wants “tougher” deals", "said X
    had been there for “years” and passed “many bills”")."""
    return tok.pos_ == "VERB" and tok.dep_ == "conj" and tok.head.i == hit.token.i


def _overlap(a: int, b: int, c: int, d: int) -> int:
    return max(0, min(b, d) - max(a, c))


def _starts_sentence(art: _Article, q: QuoteSpan) -> bool:
    """True when the quotation opens its paragraph or follows a sentence end."""
    k = q.open_start - 1
    while k >= 0 and art.text[k].isspace():
        k -= 1
    # A connective opening the sentence: “...,” he said. But “...”
    m = _CONNECTIVE.search(art.text, max(0, k - 8), k + 1)
    if m is not None:
        k = m.start() - 1
        while k >= 0 and art.text[k].isspace():
            k -= 1
    # Past the closing mark of a quotation just before: “...,” he said. “Next ...
    while k >= 0 and art.text[k] in "”\"'’»":
        k -= 1
    return k < 0 or art.text[k] in "\n.!?:"


_CONNECTIVE = re.compile(r"(?<![\w-])(?:But|And|Yet|Still|So|Then|Or|Also|Plus),?$")


def _indirect_content(art: _Article, hit: _Hit) -> tuple[int, int] | None:
    """Char range of what a cue reports: its complement clause, or the clause around
    "according to X" or a parenthetical "he said"."""
    tok = hit.token
    doc = art.doc
    if hit.lemma == "according to":
        head = tok.head
        sent = art.frame(tok.idx, tok.idx + 1)
        drop = {t.i for t in tok.subtree}
        if head.i in sent and head.i not in drop:
            keep = set(range(head.left_edge.i, head.right_edge.i + 1))
            drop |= {i for i in sent if i not in keep}
        return _remainder(art, sent, drop)
    comps = [c for c in tok.children if c.dep_ in _CLAUSAL]
    if _stranded_subject(tok, art.inside) is not None:
        # "China has sent mixed signals on the war and officials say ...": the clause that
        # holds the cue's subject is the writer's, not what the subject says.
        comps = [c for c in comps if c.i > tok.i]
    elif comps[0:1] and comps[0].i < tok.i < comps[-1].i:
        # "The firm has sent mixed signals and its spokesman says the deal is on": a clause
        # before the cue joined to it by "and" or "but", with the cue's own complement
        # after it, is the writer's coordinate (two clauses before a parenthetical "the
        # group said" are both the group's).
        # (the "and" may hang on the clause's last word: "about the merger and")
        end = comps[0].right_edge.i
        if doc[end].pos_ == "CCONJ" or end + 1 < tok.i and doc[end + 1].pos_ == "CCONJ":
            comps = comps[1:]
    if not comps and hit.lemma in _XCOMP_CUES:
        comps = [c for c in tok.children if c.dep_ == "xcomp"]
    as_said = tok.dep_ == "advcl" and tok.i < tok.head.i and any(
        c.dep_ == "mark" and c.lower_ == "as" and c.i < tok.i for c in tok.children
    ) and hit.cls in ("speech", "write", "phrase")
    if not comps and (tok.dep_ == "parataxis" or as_said) and hit.cls in _SPEECH:
        # ("As Ms. Simonyan put it, RT is “...”", "As Breitbart News reported, ...": the
        # clause an opening "as" clause of saying hangs on is what was said.)
        head = tok.head
        left = tok.left_edge.i
        # "X was planned, officials say, but ...": what precedes the parenthetical is what
        # they say, when it is a clause of its own; else the clause it interrupts.
        if _content_words(doc, range(head.left_edge.i, left)) >= 4:
            return _trim(art, head.left_edge.i, left - 1)
        return _remainder(
            art, range(head.left_edge.i, head.right_edge.i + 1), {t.i for t in tok.subtree}
        )
    if not comps and (hit.cls == "stance" or hit.lemma in _OBJECT_CUES):
        return _object_content(art, hit)
    if not comps:
        return None
    c = comps[0]
    if any(art.inside[i] >= 0 for i in (c.left_edge.i, c.right_edge.i)) and not (
        _content_words(doc, range(c.left_edge.i, c.right_edge.i + 1)) > 0
    ):
        return None
    first = c.left_edge.i
    return _trim(art, first, _before_next_report(art, first, _opening_of_next(art, c)))


#: Subordinators of time that open a second report of the same speaker ("said ... before
#: claiming that ...").
_NEXT_REPORT_MARKS = frozenset({"before", "after", "while"})


def _before_next_report(art: _Article, first: int, last: int) -> int:
    """Last token of a reported clause first..last that stops before a second report tied
    on by a subordinator of time ("said the deadlock has “kept us safe” before claiming that
    open borders are ..."): a gerund cue of saying with a complement clause or a quotation
    of its own is what the speaker said next, not part of the first report."""
    doc = art.doc
    for i in range(first + 1, last):
        t = doc[i]
        if (
            t.tag_ == "VBG" and t.dep_ == "advcl" and art.inside[i] < 0
            and doc[i - 1].is_punct and t.i + 1 < len(doc) and doc[t.i + 1].text in (",", ":")
        ):
            # "she was thinking, “...,” adding, “...”": a gerund of saying set off by
            # commas with a quotation of its own is the next report, not part of this one
            hit = art.hit_at.get(i)
            if hit is not None and hit.cls in _SPEECH and any(
                art.inside[k] >= 0 for k in range(i + 2, min(i + 4, t.right_edge.i + 1))
            ):
                return i - 1
        if t.lower_ not in _NEXT_REPORT_MARKS or t.dep_ not in ("prep", "mark") or (
            art.inside[i] >= 0
        ):
            continue
        g = doc[i + 1]
        hit = art.hit_at.get(g.i)
        if hit is None or hit.cls not in _SPEECH or g.tag_ != "VBG" or g.head.i != t.i and (
            t.head.i != g.i
        ):
            continue
        if any(c.dep_ == "ccomp" for c in g.children) or any(
            art.inside[k] >= 0 for k in range(g.i + 1, g.right_edge.i + 1)
        ):
            return i - 1
    return last


def _time_phrase(t: Token) -> bool:
    """A date ("May", "last week") or a preposition of one ("in May")."""
    if t.pos_ == "ADP":
        return any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in t.children)
    return t.ent_type_ in ("DATE", "TIME")


def _opening_of_next(art: _Article, c: Token) -> int:
    """Last token of a reported clause ``c``, without a trailing coordinated adverbial that
    really opens the writer's next clause ("stressed that it is no party to the conflict and
    in May, after ..., the envoy conceded ...", "in May" parsed onto "to the conflict"): a
    verbless date conjunct ("in May", not one of two times or places) followed by a comma,
    then at most a subordinate clause of ``c`` ("after ..."), then a clause with its own
    subject outside ``c``."""
    doc = art.doc
    last = c.right_edge.i
    conj = next((
        t for t in doc[c.i + 1 : last + 1]
        if t.dep_ == "conj" and _time_phrase(t) and not _time_phrase(t.head)
        and t.right_edge.i + 1 <= last and doc[t.right_edge.i + 1].text == ","
    ), None)
    if conj is None or last + 2 >= len(doc):
        return last
    cc = doc[conj.left_edge.i - 1]
    if cc.dep_ != "cc" or cc.lower_ not in ("and", "but", "yet") or cc.head.i != conj.head.i:
        return last
    if any(t.pos_ in ("VERB", "AUX") for t in doc[conj.left_edge.i : conj.right_edge.i + 1]):
        return last
    for t in doc[conj.right_edge.i + 1 : last + 1]:
        # between the conjunct and the next clause: punctuation or an adverbial clause of c
        top = t
        while top.head.i != c.i and top.head is not top:
            top = top.head
        if not (t.is_punct or top.head.i == c.i and top.dep_ == "advcl"):
            return last
    verb = doc[last + 1] if doc[last + 1].text != "," else doc[last + 2]
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") and _subject(verb) is not None or verb.head is verb:
            break
        verb = verb.head
    subj = _subject(verb)
    if subj is None or not (last < subj.i and last < verb.i) or art.inside[verb.i] >= 0:
        return last
    return cc.i - 1


def _object_content(art: _Article, hit: _Hit) -> tuple[int, int] | None:
    """What a stance or a naming verb is about: its object and what is said of it
    ("endorsed Cruz", "criticized the plan as reckless", "talked about trade")."""
    tok = hit.token
    parts = [c for c in tok.children if c.dep_ in ("dobj", "oprd") and c.i > tok.i]
    if not parts:
        parts = [
            c for c in tok.children
            if c.dep_ == "prep" and c.i > tok.i and c.lower_ in _TOPIC_PREPS
        ]
    if not parts:
        return None
    first, last = parts[0].left_edge.i, parts[0].right_edge.i
    for c in tok.children:
        # "criticized X for Y", "described X as Y": the prepositional part goes with it.
        if c.i > last and c.dep_ in ("prep", "oprd") and c.lower_ in _TOPIC_PREPS | {"for", "as"}:
            if not any(art.doc[i].is_punct for i in range(last + 1, c.i)):
                last = c.right_edge.i
    if any(art.inside[i] >= 0 for i in range(first, last + 1)):
        return None  # what a quotation governs is handled with the quotation
    return _trim(art, first, last)


def _continue_speakers(art: _Article, drafts: list[_Draft]) -> None:
    """Give a cue-less quotation paragraph the speaker of the quote just before it."""
    prev: _Draft | None = None
    for d in drafts:
        if d.cue is None and d.speaker is None and prev is not None and prev.speaker is not None:
            # A quotation paragraph continues the speaker of the paragraph before; a cue-less
            # quotation inside a sentence ("Unless rivals quit, “it is hard to see ...”")
            # continues the speaker quoted just before it in the same paragraph.
            # (After a reported clause, only in the clause's own sentence: "As X explained,
            # taxes were postponed, “which sounds like a lot”.)
            near = d.paragraph - prev.paragraph <= 1 if d.standalone else (
                d.paragraph == prev.paragraph and (
                    prev.quote is not None
                    or art.sentence_of(d.start) == art.sentence_of(max(prev.end - 1, prev.start))
                )
            )
            if near:
                d.speaker = prev.speaker
                d.continuation = True
                d.confidence = 0.7
        if d.speaker is not None and d.quote is not None:
            prev = d
        elif (
            d.speaker is not None and d.kind != "direct" and not _in_description(d)
            and not _in_quote_frame(art, prev, d)
        ):
            prev = d


def _in_quote_frame(art: _Article, prev: _Draft | None, d: _Draft) -> bool:
    """True when a reported clause without quotation marks hangs in the sentence that
    frames the direct quotation just before it ("“A,” said X, who has said that B. “C.”",
    "“A,” X said, as he called for B. “C.”"): the writer's aside about the speaker, after
    which a cue-less quotation resumes the direct quotation, not the aside."""
    if prev is None or prev.kind != "direct" or prev.cue is None or d.cue is None:
        return False
    if d.cue.token.i == prev.cue.token.i:
        return False
    if art.sentence_of(d.cue.token.idx) != art.sentence_of(prev.cue.token.idx):
        return False
    tok = d.cue.token
    if (d.cue.cls in _SPEECH or d.cue.cls == "cognition") and (
        tok.dep_ == "relcl" or (tok.dep_ == "ccomp" and tok.head.i == prev.cue.token.i)
    ):
        # "said X, who said that B. “C.”": the speaker's own relative clause of saying or
        # remembering is a report that C goes on with
        return False
    return True


def _in_description(d: _Draft) -> bool:
    """True when a draft's cue, not a verb of saying, sits in a relative clause or an
    apposition that describes someone ("“...,” said X, who supports Y. “...”"): an aside,
    after which a cue-less quotation still continues the quotation before it."""
    if d.cue is None or d.cue.cls in _SPEECH:
        return False  # ("X, who said that ...": the relative clause is X's own report)
    tok = d.cue.token
    for _ in range(8):
        if tok.dep_ in ("relcl", "appos", "acl"):
            return True
        if tok.head is tok:
            return False
        tok = tok.head
    return False


def _records(art: _Article, drafts: list[_Draft], text: str) -> list[Attribution]:
    resolver = EntityResolver(art.document, art.doc, art.toks, art.head_of)
    out: list[Attribution] = []
    seen: set[tuple[int, int]] = set()
    cache: dict[tuple[int, int], Resolution] = {}
    for d in drafts:
        if (d.start, d.end) in seen or d.end <= d.start:
            continue
        seen.add((d.start, d.end))
        speaker = None
        if d.speaker is not None:
            first, last = d.speaker
            s_start = art.doc[first].idx
            s_end = art.doc[last].idx + len(art.doc[last])
            # a relative pronoun is named after the noun it stands for
            n_first, n_last = art.antecedent.get(d.speaker, d.speaker)
            key = (art.doc[n_first].idx, art.doc[n_last].idx + len(art.doc[n_last]))
            if key not in cache:
                cache[key] = _refine_kind(art, n_first, n_last, resolver.resolve(*key))
            res = cache[key]
            if d.speaker in art.antecedent and res.resolved_by == "mention":
                res = Resolution(res.name, res.kind, "coreference")
            speaker = Speaker(
                text=text[s_start:s_end],
                start=s_start,
                end=s_end,
                name=res.name,
                kind=res.kind,
                resolved_by="continuation" if d.continuation else res.resolved_by,
            )
        cue = None
        if d.cue is not None and not d.continuation:
            if d.cue.chars is not None:
                c_start, c_end = d.cue.chars
            else:
                c_start = art.doc[d.cue.first].idx
                last_tok = art.doc[d.cue.last]
                c_end = last_tok.idx + len(last_tok)
            cue = Cue(text=text[c_start:c_end], lemma=d.cue.lemma, start=c_start, end=c_end)
        sents = sorted(
            {s.index for s in art.sentences if s.start < d.end and d.start < s.end}
        )
        conf = d.confidence * (1.0 if d.quote is None or d.quote.closed else 0.8)
        d.confidence = conf
        record = {
            "doc_id": art.document.doc_id,
            "quote_id": f"q{len(out) + 1}",
            "kind": d.kind,
            "text": text[d.start : d.end],
            "start": d.start,
            "end": d.end,
            "sentences": sents,
            "speaker": speaker.model_dump() if speaker else None,
            "cue": cue.model_dump() if cue else None,
            "confidence": _confidence(d),
        }
        out.append(Attribution.model_validate(record, context={"text": text}))
    return out
