"""Faster drop-in equivalents of en_core_web_sm's attribute_ruler and lemmatizer.

Both components are pure functions of token attributes, and the stock ones spend most of their
time in generic machinery: the attribute ruler runs a Matcher that tries each of its ~180
patterns at every token (about 12% of the whole pipeline's time), and the rule lemmatizer
re-derives the lemma of every token in Python. These versions give the same annotations
(tests/test_fastpipes.py compares them with the stock components token by token):

- the attribute ruler's patterns are indexed by the exact LOWER / TAG / DEP value they
  require, so each token is checked against a handful of them, and the matches are applied
  with spaCy's own ``set_token_attrs`` in the stock component's order (rule index, then
  position), so a later rule overrides an earlier one exactly as before;
- the lemmatizer's answer is memoised by (ORTH, POS, MORPH), everything its rules read, and
  its word lists are looked up as sets.

A pipeline whose patterns use anything else (operators, other attributes, other predicates)
keeps its stock components.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

_ATTRS = {"LOWER": LOWER, "TAG": TAG, "DEP": DEP, "IS_SPACE": IS_SPACE}
_COLUMN = {LOWER: 0, TAG: 1, DEP: 2, IS_SPACE: 3}
#: The index key of patterns whose first token accepts no finite set of values.
_ANY = -1
#: A token test: (column of the token array, predicate over the value there).
_Test = tuple[int, Callable[[int], bool]]


class Unsupported(ValueError):
    """A pattern this module does not reproduce exactly; the stock component stays."""


def _hash(vocab: Any, value: str) -> int:
    # The Matcher compares string attributes by their hash; "" is 0 (an unset tag or dep).
    return int(vocab.strings.add(value)) if value else 0


def _test(vocab: Any, attr: str, value: Any) -> tuple[_Test, set[int] | None]:
    """One attribute test of a token pattern, and the values it accepts when finite."""
    if attr not in _ATTRS:
        raise Unsupported(f"attribute {attr}")
    col = _COLUMN[_ATTRS[attr]]
    if attr == "IS_SPACE":
        if not isinstance(value, bool):
            raise Unsupported(f"IS_SPACE {value!r}")
        flag = int(value)
        return (col, lambda v: v == flag), {flag}
    if isinstance(value, str):
        h = _hash(vocab, value)
        return (col, lambda v: v == h), {h}
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op == "IN" and isinstance(arg, list):
            hs = {_hash(vocab, a) for a in arg}
            return (col, lambda v: v in hs), hs
        if op == "NOT_IN" and isinstance(arg, list):
            hs = {_hash(vocab, a) for a in arg}
            return (col, lambda v: v not in hs), None
        if op == "REGEX" and isinstance(arg, str):
            rx = re.compile(arg)
            strings = vocab.strings
            return (col, lambda v: rx.search(strings[v] if v else "") is not None), None
    raise Unsupported(f"{attr} {value!r}")


class FastAttributeRuler:
    """The stock attribute ruler's patterns and attributes, matched through an index."""

    def __init__(self, ruler: Any) -> None:
        self.ruler = ruler
        vocab = ruler.vocab
        # key (column, value) -> [(rule, pattern tests, index of the token to set)]
        self.index: dict[tuple[int, int], list[tuple[int, list[list[_Test]], int]]] = {}
        # Rule i is the Matcher key str(i) and ruler.attrs[i] (AttributeRuler.add); the stock
        # component applies matches sorted by i, so a later rule overrides an earlier one.
        for rule in range(len(ruler.attrs)):
            for pattern in ruler.matcher.get(str(rule))[1]:
                tests: list[list[_Test]] = []
                key: tuple[int, set[int]] | None = None
                for k, token_spec in enumerate(pattern):
                    if not token_spec or set(token_spec) - set(_ATTRS):
                        raise Unsupported(f"token pattern {token_spec!r}")
                    row = []
                    for attr, value in token_spec.items():
                        test, accepted = _test(vocab, attr, value)
                        row.append(test)
                        if k == 0 and accepted is not None and (key is None or attr == "LOWER"):
                            key = (test[0], accepted)
                    tests.append(row)
                if key is None:  # no finite set of first values: tried at every token
                    key = (_ANY, {0})
                index = ruler.indices[rule]
                if not -len(pattern) <= index < len(pattern):
                    raise Unsupported(f"index {index} outside {pattern!r}")
                for value in key[1]:
                    self.index.setdefault((key[0], value), []).append(
                        (rule, tests, index % len(pattern))
                    )
        self.attrs = ruler.attrs

    def _matches(self, doc: Doc) -> Iterator[tuple[int, int]]:
        table = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).tolist()
        n = len(table)
        index = self.index
        anywhere = index.get((_ANY, 0), [])
        empty: list[tuple[int, list[list[_Test]], int]] = []
        for i, row in enumerate(table):
            for candidates in (
                index.get((0, row[0]), empty),
                index.get((1, row[1]), empty),
                index.get((2, row[2]), empty),
                index.get((3, row[3]), empty),
                anywhere,
            ):
                for rule, tests, target in candidates:
                    if i + len(tests) > n:
                        continue
                    # Plain loops, not all() over a generator: this runs ~10 times a token.
                    ok = True
                    for k, specs in enumerate(tests):
                        values = table[i + k]
                        for c, pred in specs:
                            if not pred(values[c]):
                                ok = False
                                break
                        if not ok:
                            break
                    if ok:
                        yield rule, i + target

    def __call__(self, doc: Doc) -> Doc:
        """Set the attributes of every matching rule, later rules overriding earlier ones."""
        # A token can be reached through several index keys: a set keeps each match once
        # (applying a rule twice to a token changes nothing either way).
        for rule, i in sorted(set(self._matches(doc))):
            set_token_attrs(doc[i], self.attrs[rule])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Process a stream of docs."""
        for doc in docs:
            yield self(doc)


class FastLemmatizer:
    """The stock rule lemmatizer, memoised by (ORTH, POS, MORPH)."""

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}
        # The rules test ``form in index`` against word lists of up to 57,000 entries: as
        # frozensets the same test answers the same, without a linear scan per candidate form.
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for pos, words in list(index.items()):
            if isinstance(words, list):
                index[pos] = frozenset(words)

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token that has none (or all, with ``overwrite``)."""
        lem = self.lemmatizer
        if not lem._validated:
            lem._validate_tables()
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        memo = self.memo
        strings = doc.vocab.strings
        lemmas = table[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma and not lem.overwrite:
                continue
            key = (orth, pos, morph)
            value = memo.get(key)
            if value is None:
                value = int(strings.add(lem.lemmatize(doc[i])[0]))
                memo[key] = value
            lemmas[i] = value
        # thinc types the array as Ints2d; a uint64 column is what from_array expects.
        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype="uint64"))  # type: ignore[arg-type]
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """Process a stream of docs."""
        for doc in docs:
            yield self(doc)


def speed_up(nlp: Language) -> list[str]:
    """Swap in the fast equivalents where the pipeline's components allow it; return which."""
    swapped = []
    if "attribute_ruler" in nlp.pipe_names:
        try:
            fast: Any = FastAttributeRuler(nlp.get_pipe("attribute_ruler"))
        except Unsupported as exc:
            log.info("keeping the stock attribute_ruler: %s", exc)
        else:
            _replace(nlp, "attribute_ruler", fast)
            swapped.append("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        lem = nlp.get_pipe("lemmatizer")
        if getattr(lem, "mode", None) == "rule":
            _replace(nlp, "lemmatizer", FastLemmatizer(lem))
            swapped.append("lemmatizer")
    return swapped


def _replace(nlp: Language, name: str, component: Any) -> None:
    # Language.pipeline is a list of (name, component); keeping the name keeps pipe_names,
    # select_pipes and the manifest's model description unchanged.
    components = nlp._components  # noqa: SLF001 - no public API swaps an instance in place
    for k, (pname, _) in enumerate(components):
        if pname == name:
            components[k] = (pname, component)
            return
