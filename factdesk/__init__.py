"""factdesk: check the numbers in tech news against a local database of sourced facts (no Qt here)."""

__version__ = "0.1.0"
