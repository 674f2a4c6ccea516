"""quotetrail: who said what, and through which outlet."""

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pipeline.api import extract as extract


def __getattr__(name: str) -> object:
    """``pipeline.extract``, imported on first use so that ``import pipeline`` stays cheap."""
    if name == "extract":
        from pipeline.api import extract

        return extract
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


__all__ = ["__version__", "extract"]
