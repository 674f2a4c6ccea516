"""The fast attribute ruler and lemmatizer give the stock components' annotations exactly."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language

from pipeline import fastpipes
from pipeline.nlp import resolve_model

from .conftest import CORPUS

_ATTRS = [POS, TAG, MORPH, LEMMA, DEP, HEAD]
_SENTENCES = [
    "I ain't gonna say nothin', he said. It's what they're doing that I doubt.",
    "There were two of them, but it did not matter; she'd have done it anyway.",
    "“We have,” said Mr. Smith, who gets what he wants and got it.  \n\nYou didn't.",
    "Do you? He does. They had. Those were the days; that's all, y'all.",
]


@pytest.fixture(scope="module")
def pair() -> tuple[Language, Language]:
    """The stock pipeline and one with the fast components (both without NER, not read)."""
    name = resolve_model(None)
    stock = spacy.load(name, exclude=["ner", "senter"])
    fast = spacy.load(name, exclude=["ner", "senter"])
    assert fastpipes.speed_up(fast) == ["attribute_ruler", "lemmatizer"]
    return stock, fast


@pytest.mark.parametrize(
    "text", [*_SENTENCES, *(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))]
)
def test_same_annotations(pair: tuple[Language, Language], text: str) -> None:
    stock, fast = pair
    a, b = stock(text), fast(text)
    assert numpy.array_equal(a.to_array(_ATTRS), b.to_array(_ATTRS))
    assert [(t.lemma_, t.pos_, str(t.morph)) for t in a] == [
        (t.lemma_, t.pos_, str(t.morph)) for t in b
    ]


def test_unsupported_pattern_keeps_stock(pair: tuple[Language, Language]) -> None:
    stock, _ = pair
    ruler = stock.get_pipe("attribute_ruler")
    nlp = spacy.blank("en")
    other = nlp.add_pipe("attribute_ruler")
    other.add([[{"ORTH": "x", "OP": "+"}]], {"LEMMA": "y"})
    with pytest.raises(fastpipes.Unsupported):
        fastpipes.FastAttributeRuler(other)
    assert fastpipes.FastAttributeRuler(ruler).index
