"""How code lists are written down: whitespace-separated values, kept as sets."""

from __future__ import annotations


def codes(words: str) -> frozenset[str]:
    """A code list written as whitespace-separated values."""
    return frozenset(words.split())
