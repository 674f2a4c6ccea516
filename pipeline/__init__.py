"""quotetrail: who said what, and through which outlet."""

__version__ = "0.1.0"
