"""Exceptions for "cannot process this at all"; everything else is a ``Finding``.

Bad, hostile or unreadable *content* never raises: ``read()`` turns it into fatal findings.
These exceptions are for the cases where there is no content to judge::

    ParserError                  base of everything raised by ``parsers``
    └── UnreadableDocument       the bytes could not be obtained (missing file, permission, I/O)
        └── DocumentTooLarge     larger than the caller's cap, refused before reading it all
"""

from __future__ import annotations

from pathlib import Path


class ParserError(Exception):
    """Base class of every exception raised by ``parsers``."""


class UnreadableDocument(ParserError):
    """The document's bytes could not be obtained."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class DocumentTooLarge(UnreadableDocument):
    """The file is larger than the cap; reading it would already be the attack."""

    def __init__(self, path: Path | str, size: int, max_bytes: int) -> None:
        super().__init__(path, f"{size} bytes exceeds the limit of {max_bytes} bytes")
        self.size = size
        self.max_bytes = max_bytes
