"""A spaCy component: ``nlp.add_pipe("quotetrail")`` sets ``doc._.quotes`` (a list of Quote).

    import pipeline.component  # registers the "quotetrail" factory and Doc._.quotes
    from pipeline import nlp as qt_nlp

    nlp = qt_nlp.load()                # the pipeline with quotetrail's sentence rules
    nlp.add_pipe("quotetrail")         # last: it reads the tags, parse and entities
    doc = nlp(text)
    for q in doc._.quotes: ...

The component runs the segment, attribute and tag stages over the doc it is given, after the
pipeline's other components: it never parses again. With a pipeline of your own, call
``pipeline.component.add_to(nlp)``, which also adds the sentence rules before the parser
(without them, sentences and so quotes may differ from ``quotetrail run``'s). The records
are those of ``pipeline.extract(doc.text)``; their ``doc_id`` is ``doc.user_data["doc_id"]``
(default: the component's ``doc_id`` setting, "text") and a ``doc.user_data["url"]`` helps name
the publisher: ``doc = nlp.make_doc(text); doc.user_data["url"] = url; doc = nlp(doc)``.
"""

from __future__ import annotations

import logging
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.api import document_from_text, quotes_from_parsed

log = logging.getLogger(__name__)

NAME = "quotetrail"
SENTENCE_RULES = "quotetrail_sentences"

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


class QuotetrailComponent:
    """Sets ``doc._.quotes`` from the doc's own annotations (no second parse)."""

    def __init__(self, nlp: Language, name: str, doc_id: str) -> None:
        self.name = name
        self.doc_id = doc_id
        if SENTENCE_RULES not in nlp.pipe_names:
            log.warning(
                "the pipeline has no %s component: sentences may differ from quotetrail's; "
                "use pipeline.component.add_to(nlp) or pipeline.nlp.load()",
                SENTENCE_RULES,
            )

    def __call__(self, doc: Doc) -> Doc:
        """Attribute the quotes of one parsed doc."""
        metadata: dict[str, Any] = {}
        url = doc.user_data.get("url")
        if isinstance(url, str):
            metadata["url"] = url
        doc_id = doc.user_data.get("doc_id")
        document = document_from_text(
            doc_id if isinstance(doc_id, str) and doc_id else self.doc_id, doc.text, metadata
        )
        doc._.quotes = quotes_from_parsed(document, doc)
        return doc


@Language.factory(
    NAME,
    default_config={"doc_id": "text"},
    assigns=["doc._.quotes"],
    requires=["token.dep", "token.tag", "doc.ents"],
)
def make_quotetrail(nlp: Language, name: str, doc_id: str) -> QuotetrailComponent:
    """spaCy factory of the quotetrail component."""
    return QuotetrailComponent(nlp, name, doc_id)


def add_to(nlp: Language) -> QuotetrailComponent:
    """Add quotetrail's sentence rules (if missing) and the component (last) to ``nlp``."""
    if SENTENCE_RULES not in nlp.pipe_names:
        from pipeline.stages.segment import add_sentence_rules

        add_sentence_rules(nlp)
    component = nlp.add_pipe(NAME, last=True)
    assert isinstance(component, QuotetrailComponent)
    return component
