"""Stage segment: documents -> sentences.jsonl (quote-aware sentences and paragraphs).

CONTRACT (used by pipeline.nlp and pipeline.runner):
    add_sentence_rules(nlp: Language) -> None
        Add quotetrail's sentence-boundary component to a loaded pipeline (before the parser).
    segment(document: Document, doc: spacy.tokens.Doc) -> list[Sentence]
        Sentences of one parsed article; never across paragraph boundaries.

The component ``quotetrail_sentences`` runs after the tagger and before the parser. It sets
``Token.is_sent_start`` to True or False on every token, and the parser's transition system
never breaks where a token says False nor joins where it says True, so the parse and
``Doc.sents`` follow these rules. The rules are one left-to-right scan over the tokens with
a bounded look-ahead: sentence-final punctuation and the closing quotation marks and
brackets after it, abbreviations (``pipeline/data/abbreviations.txt``), initials, numbers,
ellipses, enumerated lists, and short attributions after a quote ("...?" she asked).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

from schemas.models import Document, Sentence

COMPONENT = "quotetrail_sentences"

# Characters that end a sentence, alone or in runs ("?!", "....", "…").
_TERMINAL_CHARS = frozenset(".?!…‽。！？")
_CLOSERS = frozenset({"”", "’", "»", "›", ")", "]", "}", "」", "』"})
_OPENERS = frozenset({"“", "‘", "«", "‹", "(", "[", "{", "„", "‚", "‟", "‛", "「", "『", "``", "`"})
# Straight marks open or close depending on the spacing around them.
_STRAIGHT = frozenset("\"'＂")
_BULLETS = frozenset("•⁃▪●◦‣∙▸►■□")
# Capitalised words with these tags continue a name after an abbreviation or an initial
# ("U.S. Government", "U.S. Republican candidate", "Gonzalo P. Curiel", "S.&P. 500").
_NAME_TAGS = frozenset({"NNP", "NNPS", "NN", "JJ", "CD"})
# A line ending in one of these goes on in the next line.
_JOINERS = frozenset({",", ";", "&", "-", "–", "—", "/", "(", "“", "‘", "«"})

# Words that begin sentences and are never part of a name: after an ambiguous
# abbreviation ("in the U.S. How ...") they tell a boundary from "U.S. Government".
_STARTERS = frozenset(
    """a an the this that these those there it its he she they we i you his her their our
    my your what when where who whom whose why how which however but and yet so still also
    if while although though because since after before in on at for as by with from to
    meanwhile moreover instead then now today yesterday tomorrow some many most more
    several all both each every no not nor one two three""".split()
)

# The commonest reporting verbs: enough to keep "...?" she asked / "...!" said Smith in one
# sentence. The full cue lexicon belongs to the attribute stage.
_CUES = frozenset(
    """said says say asked asks added adds told tells wrote writes replied replies
    responded responds continued continues explained explains noted notes stated states
    insisted insists declared declares answered answers recalled recalls argued argues
    warned warns stressed stresses remarked remarks observed exclaimed shouted shouts
    cried whispered whispers concluded concludes acknowledged admitted admits countered
    counters quipped joked tweeted posted urged urges laughed sighed snapped
    demanded demands wondered wonders""".split()
)

# How far the attribution check looks past a closing quote ("Senate Majority Leader
# Mitch McConnell said" is six words); bounded so the scan stays linear.
_MAX_ATTRIBUTION_WORDS = 6
# How many attached tokens form the word before a period ("N" "°" "." -> "N°").
_MAX_WORD_PARTS = 4


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Known abbreviations (lowercase, without the final period) mapped to their kind."""
    table: dict[str, str] = {}
    text = resources.files("pipeline").joinpath("data/abbreviations.txt").read_text("utf-8")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, kind = line.partition("\t")
        # The first entry wins, so the file reads top to bottom like a priority list.
        table.setdefault(key.strip().lower(), kind.strip())
    return table


def _is_terminal(text: str) -> bool:
    return bool(text) and all(c in _TERMINAL_CHARS for c in text)


def _dots(text: str) -> int:
    return sum(3 if c == "…" else 1 for c in text if c in ".…")


def _initial(text: str) -> str:
    """'lower', 'upper', 'digit' or 'punct': how the first letter or digit of ``text`` looks."""
    for c in text:
        if c.isdigit():
            return "digit"
        if c.isalpha():
            # Letters without case (CJK, Arabic...) begin sentences like capitals do, and so
            # do names written in camel case ("iPhone", "eBay").
            if c.islower() and not any(x.isupper() for x in text[1:3]):
                return "lower"
            return "upper"
        if c not in "'’‘\"“”«»()[]-_#$€£@&¿¡":
            break
    return "punct"


def _attached(doc: Doc, i: int) -> bool:
    """True when token ``i`` follows the previous token with no space between them."""
    return i > 0 and not doc[i - 1].whitespace_ and not doc[i - 1].is_space


def _is_straight(text: str) -> bool:
    """Straight marks, alone or doubled as some newspapers write them ("''")."""
    return 0 < len(text) <= 3 and all(c in _STRAIGHT for c in text)


def _is_closer(doc: Doc, i: int) -> bool:
    text = doc[i].text
    if text in _CLOSERS:
        return True
    return _is_straight(text) and _attached(doc, i)


def _is_opener(tok: Token) -> bool:
    return tok.text in _OPENERS or _is_straight(tok.text)


def _is_bullet(text: str) -> bool:
    return len(text) == 1 and text in _BULLETS


def _bullet_led(text: str) -> bool:
    """A bullet glued to its item number ("⁃9"), as the tokenizer leaves it."""
    return len(text) > 1 and text[0] in _BULLETS and text[1:].isdigit()


def _paragraph_gap(doc: Doc, i: int) -> bool:
    """True when whitespace token ``i`` holds a paragraph break (a blank line)."""
    return doc[i].is_space and doc[i].text.count("\n") >= 2


def _word_before(doc: Doc, i: int) -> str:
    """The word a period token ``i`` ends: its own text, or the attached tokens before it."""
    text = doc[i].text
    if text != ".":
        return text[:-1] if text.endswith(".") else text
    parts: list[str] = []
    j = i
    while j > 0 and _attached(doc, j) and len(parts) < _MAX_WORD_PARTS:
        prev = doc[j - 1].text
        if prev in _OPENERS or _is_straight(prev) or _is_terminal(prev) or prev in _CLOSERS:
            break
        parts.append(prev)
        j -= 1
    return "".join(reversed(parts))


def _is_number(word: str) -> bool:
    return any(c.isdigit() for c in word) and not any(c.isalpha() for c in word)


def _is_acronym(word: str) -> bool:
    """True for dotted acronyms such as U.S, a.m, Ph.D, J.R.R (the final period removed)."""
    if "." not in word or len(word) > 16:
        return False
    return all(0 < len(p) <= 3 and p.replace("&", "").isalpha() for p in word.split("."))


def _marker_value(word: str) -> int | None:
    """The ordinal of a list marker word ("3", "•9", "b"), or None."""
    core = word.lstrip("".join(_BULLETS))
    if core.isdecimal() and len(core) <= 3:
        return int(core)
    if len(core) == 1 and "a" <= core <= "z":
        return ord(core) - ord("a") + 1
    return None


def _marker_style(doc: Doc, i: int) -> str | None:
    """The punctuation after a possible list marker at token ``i`` ("." ".)" ")"), or None."""
    n = len(doc)
    text = doc[i].text
    if text.endswith(".") and len(text) == 2 and text[0].isalpha():
        # spaCy keeps single letters with their period ("b.").
        return ".)" if i + 1 < n and doc[i + 1].text == ")" and _attached(doc, i + 1) else "."
    if i + 1 >= n or not _attached(doc, i + 1):
        return None
    nxt = doc[i + 1].text
    if nxt == ")":
        return ")"
    if nxt == ".":
        if i + 2 < n and doc[i + 2].text == ")" and _attached(doc, i + 2):
            return ".)"
        return "."
    return None


class _Scanner:
    """One left-to-right pass that decides, token by token, where sentences start."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.n = len(doc)
        self.starts = [False] * self.n
        if self.n:
            self.starts[0] = True
        self.tagged = doc.has_annotation("TAG")
        self.abbrev = abbreviations()
        self.sent_start = 0
        self.first_word = -1
        self.verb_seen = False
        self.last_marker: tuple[str, int] | None = None
        self.marker_at = -1
        self.same_line = True

    # -- helpers ---------------------------------------------------------------------------

    def next_content(self, k: int) -> int:
        """Index of the first non-space token at or after ``k``, or -1 at a paragraph break."""
        while k < self.n and self.doc[k].is_space:
            if _paragraph_gap(self.doc, k):
                return -1
            k += 1
        return k if k < self.n else -1

    def word_after(self, k: int) -> int:
        """Index of the first word at or after ``k``, past opening marks; -1 when none."""
        limit = min(self.n, k + 4)
        # An ellipsis may open a sentence ("He left. ... Then"): the word after it decides.
        while k < limit and (
            _is_opener(self.doc[k])
            or self.doc[k].is_space
            or (_dots(self.doc[k].text) >= 3 and _is_terminal(self.doc[k].text))
        ):
            if _paragraph_gap(self.doc, k):
                return -1
            k += 1
        return k if k < limit else -1

    def starter(self, w: int) -> bool:
        """True when word ``w`` begins sentences rather than continuing a name."""
        tok = self.doc[w]
        low = tok.text.lower()
        if low in _STARTERS or self.abbrev.get(low.rstrip(".")) == "prefix":
            return True
        if not self.tagged:
            return False
        return tok.tag_ not in _NAME_TAGS

    def attribution_follows(self, w: int, period: bool) -> bool:
        """True for a short attribution after a quote: "said Smith", "Smith said", "she asked"."""
        doc = self.doc
        if not self.same_line:
            return False
        # A capitalised cue opens a new sentence ("...fees.” Asked if he ..."); "said Smith"
        # in lowercase never gets here.
        j = w
        words = 0
        while j < self.n and words < _MAX_ATTRIBUTION_WORDS:
            tok = doc[j]
            low = tok.text.lower()
            if low in _CUES and j > w:
                if not period:
                    return True
                # After a period the attribution must end the sentence (".” Smith said."):
                # "She adds, “What ...” goes on to a new sentence.
                after = self.next_content(j + 1)
                return after == -1 or _is_terminal(doc[after].text)
            titled = len(tok.text) > 1 and tok.text.endswith(".") and tok.text[0].isalpha()
            if not (tok.is_alpha or titled or tok.text in {"'s", "’s", "-"}):
                return False
            j += 1
            words += 1
        return False

    # -- the scan --------------------------------------------------------------------------

    def mark(self, k: int) -> None:
        self.starts[k] = True
        self.sent_start = k
        self.first_word = -1
        self.verb_seen = False

    def run(self) -> list[bool]:
        doc = self.doc
        i = 0
        pending_paragraph = False
        pending_line = False
        last = -1
        while i < self.n:
            tok = doc[i]
            if tok.is_space:
                if _paragraph_gap(doc, i):
                    pending_paragraph = True
                elif "\n" in tok.text:
                    pending_line = True
                i += 1
                continue
            if pending_paragraph:
                # A sentence never spans a blank line.
                self.mark(i)
                self.last_marker = None
            elif pending_line and not self.starts[i] and self.line_ends_unit(last, i):
                self.mark(i)
            elif i != self.sent_start:
                self.check_list_item(i)
            pending_paragraph = pending_line = False
            last = i
            if self.first_word == -1 and not (_is_opener(tok) or _is_bullet(tok.text)):
                self.first_word = i
                self.check_marker(i)
            if self.tagged and (tok.tag_.startswith("VB") or tok.tag_ == "MD"):
                self.verb_seen = True
            text = tok.text
            if _is_terminal(text) or (text.endswith(".") and len(text) > 1):
                i = self.after_terminal(i)
            else:
                i += 1
        return self.starts

    def line_ends_unit(self, last: int, i: int) -> bool:
        """Whether a single line break before token ``i`` ends a heading or a list line.

        Scraped text keeps one line per block (a title, a bullet, a byline), so a line that
        ends without punctuation and a next line that starts like a sentence are two units;
        a line ending in a comma or a line going on in lowercase is a wrapped sentence.
        """
        doc = self.doc
        prev = doc[last].text if last >= 0 else ""
        if _is_terminal(prev) or prev.endswith(".") or prev in _JOINERS:
            return False  # the terminal rules decided already, or the sentence goes on
        text = doc[i].text
        if _is_bullet(text) or _bullet_led(text):
            return True
        w = self.word_after(i)
        return w != -1 and _initial(doc[w].text) in {"upper", "digit"}

    def check_list_item(self, i: int) -> None:
        """Start a sentence at a bullet or at the next item of an inline enumerated list."""
        text = self.doc[i].text
        if (_is_bullet(text) or _bullet_led(text)) and self.first_word != -1:
            self.mark(i)
            return
        if self.last_marker is None or self.first_word == -1:
            return
        value = _marker_value(text.rstrip("."))
        if value is None:
            return
        style = _marker_style(self.doc, i)
        if style is not None and (style, value) == (self.last_marker[0], self.last_marker[1] + 1):
            self.mark(i)
            self.last_marker = (style, value)

    def check_marker(self, i: int) -> None:
        """Remember a list marker ("1.", "2)", "b.") that opens the current sentence."""
        word = self.doc[i].text
        if word.isalpha() and not word.islower():
            return  # "A. Smith" is an initial, not an item
        value = _marker_value(word.rstrip("."))
        style = _marker_style(self.doc, i)
        if value is not None and style is not None:
            self.last_marker = (style, value)
            self.marker_at = i

    def after_terminal(self, i: int) -> int:
        """Decide whether a sentence starts after the terminal punctuation at ``i``.

        Returns the index where the scan goes on.
        """
        doc = self.doc
        # The cluster: the terminal and the punctuation that belongs with it (more terminals,
        # spaced ellipsis periods, closing quotation marks and brackets).
        j = i + 1
        closed = False
        spaced_dots_after_first = 0
        while j < self.n:
            t = doc[j].text
            if (
                doc[j].is_space
                and "\n" not in t
                and j + 1 < self.n
                and _dots(doc[j + 1].text) >= 3
                and _is_terminal(doc[j + 1].text)
            ):
                # "obsolete.  ...  NATO": extra spaces before an ellipsis keep it in the cluster.
                j += 1
                continue
            if _is_terminal(t):
                if not _attached(doc, j):
                    spaced_dots_after_first += _dots(t)
                j += 1
            elif _is_closer(doc, j):
                closed = closed or t not in {")", "]", "}"}
                j += 1
            else:
                break
        k = self.next_content(j)
        if k == -1:
            return j
        if _attached(doc, k) and len(doc[k].text) > 1 and doc[k].text[0] in "”’\"'":
            # The tokenizer glued the closing mark to what follows (".”“Your", '."--Kim'):
            # no token boundary falls after the mark, and it must stay with this sentence.
            return j
        w = self.word_after(k)
        if w == -1:
            return j
        # An attribution follows its quote on the same line; after a line break a capital
        # starts a new sentence ("...situation.”\nTrump campaign spokesman Jason Miller added,").
        self.same_line = all("\n" not in doc[x].text for x in range(j, k))
        if self.is_boundary(i, j, k, w, closed, spaced_dots_after_first):
            self.mark(k)
        return j

    def is_boundary(
        self, i: int, j: int, k: int, w: int, closed: bool, spaced_dots: int
    ) -> bool:
        """Whether a sentence starts at ``k`` after the cluster ``i``..``j`` (word ``w``)."""
        doc = self.doc
        first = doc[i].text
        cluster = "".join(doc[x].text for x in range(i, j) if _is_terminal(doc[x].text))
        if len(first) > 1 and not _is_terminal(first):
            cluster = "." + cluster
        case = _initial(doc[w].text)
        if case in {"lower", "punct"}:
            return False
        if "?" in cluster or "!" in cluster or "‽" in cluster:
            return not (closed and self.attribution_follows(w, period=False))
        dots = _dots(cluster)
        if dots >= 3:
            return self.after_ellipsis(i, k, w, dots, closed, spaced_dots)
        if closed:
            # A quotation closed after the period: the period ends the sentence unless a
            # short attribution follows (".” Smith said.").
            return not self.attribution_follows(w, period=True)
        return self.after_period(i, w, case)

    def after_ellipsis(
        self, i: int, k: int, w: int, dots: int, closed: bool, spaced: int
    ) -> bool:
        doc = self.doc
        if spaced == 3 and _attached(doc, i) and doc[i].text == ".":
            # "word. . . . Next": the period ends the sentence and the ellipsis opens the next.
            first_dot = i + 1
            while first_dot < self.n and doc[first_dot].is_space:
                first_dot += 1
            self.mark(first_dot)
            return False
        if dots >= 4:
            return True
        # A plain ellipsis marks an omission or a pause inside a sentence, unless a quotation
        # closes on it and a new sentence follows.
        return closed and w == k and not self.attribution_follows(w, period=True)

    def after_period(self, i: int, w: int, case: str) -> bool:
        doc = self.doc
        # Marks glued before the word are not part of it ("-Mrs.", "“Mr.").
        word = _word_core(_word_before(doc, i))
        word_index = i - 1 if doc[i].text == "." else i
        if len(word) == 1 and word.isalpha() and word.isupper():
            # An initial ("Vladimir V. Putin", "Joseph P. Kahn") unless a sentence plainly
            # starts after it ("you and I. Did").
            return case == "upper" and self.starter(w) and not _is_single_initial(doc[w].text)
        kind = self.abbrev.get(word.lower())
        if kind == "prefix":
            return False
        if kind == "number":
            return case != "digit"
        if word_index == self.marker_at:
            # "1. The first item": the marker starts a list item, it ends nothing.
            return False
        if _is_number(word):
            return True
        if kind == "other" or _is_acronym(word):
            return (
                case == "upper"
                and self.starter(w)
                and (self.verb_seen or not self.tagged)
            )
        return True


def _word_core(word: str) -> str:
    """The letters, digits and inner marks that end ``word`` ("PARTY“Mr" -> "Mr")."""
    n = len(word)
    while n > 0 and (word[n - 1].isalnum() or word[n - 1] in ".&°’'"):
        n -= 1
    return word[n:]


def _is_single_initial(text: str) -> bool:
    return len(text) == 2 and text[0].isupper() and text[1] == "."


def sentence_starts(doc: Doc) -> list[bool]:
    """Where sentences start in ``doc`` by quotetrail's rules: one flag per token."""
    return _Scanner(doc).run()


@Language.component(COMPONENT)
def quotetrail_sentences(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on every token by quotetrail's rules (before the parser)."""
    if len(doc) == 0 or doc.has_annotation("DEP"):
        # A parsed doc already carries these boundaries (spaCy forbids rewriting them).
        return doc
    # One array write: the Token.is_sent_start setter checks the whole doc for a parse on
    # every call, which made this component quadratic in the article's length.
    flags = numpy.array([1 if start else -1 for start in sentence_starts(doc)], dtype="int64")
    doc.from_array([SENT_START], flags.astype("uint64"))  # type: ignore[arg-type]  # Ints2d stub
    return doc


def add_sentence_rules(nlp: Language) -> None:
    """Add the quote-aware sentence-boundary component to ``nlp`` (once, before the parser)."""
    if COMPONENT in nlp.pipe_names:
        return
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
    else:
        nlp.add_pipe(COMPONENT)


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def segment(document: Document, doc: Doc) -> list[Sentence]:
    """Return the sentences of ``document`` (parsed as ``doc``), each inside one paragraph."""
    text = document.text
    if doc.text != text:
        raise ValueError(
            f"{document.doc_id}: the parsed text ({len(doc.text)} characters) is not the "
            f"document's text ({len(text)} characters)"
        )
    starts = [tok.idx for tok in doc if tok.is_sent_start]
    sentences: list[Sentence] = []
    s = 0
    for para in document.paragraphs:
        while s < len(starts) and starts[s] <= para.start:
            s += 1
        cuts = [para.start]
        while s < len(starts) and starts[s] < para.end:
            cuts.append(starts[s])
            s += 1
        cuts.append(para.end)
        for a, b in zip(cuts, cuts[1:], strict=False):
            start, end = _strip_span(text, a, b)
            if start >= end:
                continue
            sentences.append(
                Sentence(
                    doc_id=document.doc_id,
                    index=len(sentences),
                    paragraph=para.index,
                    start=start,
                    end=end,
                    text=text[start:end],
                )
            )
    return sentences
