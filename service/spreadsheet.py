"""CSV as Excel opens it cleanly and safely, for every download (search results, batches).

UTF-8 with a byte-order mark and CRLF line ends; cells that a spreadsheet would run as a formula
(starting ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"


def cell(value: Any) -> str:
    """A value as a cell's text: empty for None, never a formula."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class Rows:
    """Render rows to CSV text one chunk at a time."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")

    def render(self, rows: Iterable[Sequence[Any]]) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerows(rows)
        return self.buffer.getvalue()
