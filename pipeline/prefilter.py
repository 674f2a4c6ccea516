"""Skip regex scans that cannot match: the literal text every match of a pattern contains.

Python's ``re`` scans a pattern that starts with ``\\b``, ``^`` or an alternation of words by
trying it at every position of the text; over a whole article that is most of the tag stage's
time. Most articles contain none of the words such a pattern needs ("contributed", "Twitter",
"print edition"), and ``str.__contains__`` finds that out many times faster. ``needles`` reads
those words off the compiled pattern itself, so the data files stay plain regular expressions
and the scan's result is the same: a text without any needle has no match.
"""

from __future__ import annotations

import importlib
import logging
import re
from typing import Any

log = logging.getLogger(__name__)

try:  # the standard library's own parser of patterns (private, so used with care)
    _PARSER: Any = importlib.import_module("re._parser")
    _CONST: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - another Python: no needles, every text is scanned
    _PARSER = _CONST = None


def _alternatives(items: Any) -> set[str] | None:
    """Strings one of which occurs in every match of the parsed sequence ``items``, or None."""
    choices: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _CONST.LITERAL:
            run.append(chr(arg))  # consecutive literals of a sequence match consecutive text
            continue
        if run:
            choices.append({"".join(run)})
            run = []
        if op is _CONST.SUBPATTERN and not arg[1] & _CONST.SRE_FLAG_IGNORECASE:
            inner = _alternatives(arg[3])
            if inner:
                choices.append(inner)
        elif op is _CONST.BRANCH:
            branches = [_alternatives(b) for b in arg[1]]
            if all(branches):
                choices.append(set().union(*branches))  # type: ignore[arg-type]
    if run:
        choices.append({"".join(run)})
    if not choices:
        return None
    # The most selective choice: the one whose shortest string is longest.
    return max(choices, key=lambda c: (min(len(s) for s in c), -len(c)))


def needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` contains, or None when unknown."""
    if _PARSER is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        found = _alternatives(_PARSER.parse(pattern.pattern, pattern.flags))
    except (AttributeError, TypeError, ValueError, re.error) as exc:  # another Python's parser
        log.debug("no needles for %r: %s", pattern.pattern, exc)
        return None
    return tuple(sorted(found)) if found else None


def may_match(found: tuple[str, ...] | None, text: str) -> bool:
    """False when ``text`` holds none of a pattern's ``needles``, so it cannot match."""
    return found is None or any(n in text for n in found)
