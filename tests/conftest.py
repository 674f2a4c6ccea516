"""Shared fixtures: the spaCy pipeline (loaded once), paths to the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
CORPUS = ROOT / "corpus"
GOLDEN = ROOT / "golden"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The spaCy pipeline with quotetrail's sentence rules, loaded once per session."""
    from pipeline import nlp as nlp_mod

    return nlp_mod.load(None)


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a clear message when it is absent."""
    path = DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test needs ../shared/data beside the checkout")
    return path


@pytest.fixture(scope="session")
def polnear_dir() -> Path:
    """../shared/data/polnear (licence forbids copying it here); skip when absent."""
    return shared_data("polnear")


@pytest.fixture(scope="session")
def aeb_dir() -> Path:
    """../shared/data/article-extraction-benchmark; skip when absent."""
    return shared_data("article-extraction-benchmark")
