"""juryo's document library: detect a format, read it into a frozen ``Invoice``, judge it.

No web framework and no database in here, so the CLI and tests use it without the server::

    from parsers import read
    result = read(pathlib.Path("invoice.xml").read_bytes())
    result.acceptable, result.invoice, result.findings
"""

from parsers.detect import detect
from parsers.errors import DocumentTooLarge, ParserError, UnreadableDocument
from parsers.findings import Finding, Severity, is_acceptable
from parsers.model import DocumentKind, Guesses, Invoice
from parsers.profiles import Format, Profile, Syntax
from parsers.reader import Result, read, read_path
from parsers.serialize import to_data
from parsers.validation import warm_up

__all__ = [
    "DocumentKind",
    "DocumentTooLarge",
    "Finding",
    "Format",
    "Guesses",
    "Invoice",
    "ParserError",
    "Profile",
    "Result",
    "Severity",
    "Syntax",
    "UnreadableDocument",
    "detect",
    "is_acceptable",
    "read",
    "read_path",
    "to_data",
    "warm_up",
]
