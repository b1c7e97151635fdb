"""Japanese text as mail really carries it.

Mail software labels Microsoft's Shift_JIS (cp932, with ① and the IBM kanji) as ``Shift_JIS``,
``Windows-31J``, ``x-sjis`` or ``MS932``, and writes the same extensions inside ``ISO-2022-JP``
(Microsoft's CP50220). Python's strict codecs refuse those characters, and it does not know
``Windows-31J`` at all; so the labels are read as the superset that real senders mean, and an
``ISO-2022-JP`` text the strict codec refuses is read through cp932.

Headers are read from their raw source (RFC 2047 encoded words, or raw 8-bit bytes that old
Japanese mailers still send), never from the surrogate-escaped text a failed decode leaves.
"""

from __future__ import annotations

import codecs
import re
from email.header import decode_header

_CP932_LABELS = frozenset(
    {
        "shift_jis",
        "shift-jis",
        "sjis",
        "s_jis",
        "x-sjis",
        "x_sjis",
        "csshiftjis",
        "windows-31j",
        "windows_31j",
        "cp932",
        "ms932",
        "ms_kanji",
        "ms-kanji",
        "x-ms-cp932",
    }
)
_JIS_LABELS = frozenset({"iso-2022-jp", "iso2022_jp", "csiso2022jp", "cp50220", "cp50221"})
_ESCAPE = re.compile(rb"\x1b(\$B|\$@|\(B|\(J|\(I)")
_GUESSES = ("utf-8", "cp932", "euc_jp")


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text in the charset the sender meant; a wrong or missing label is guessed past, and
    what still cannot be read becomes U+FFFD, never a lone surrogate (PostgreSQL refuses it)."""
    label = (charset or "").strip().strip('"').lower()
    if label in _CP932_LABELS:
        return data.decode("cp932", errors="replace")
    if label in _JIS_LABELS or data.startswith(b"\x1b$"):
        return _iso2022jp(data)
    if label and _known(label):
        try:
            return data.decode(label)
        except UnicodeDecodeError:
            pass
    return _guessed(data)


def _known(label: str) -> bool:
    try:
        codecs.lookup(label)
    except LookupError:
        return False
    return True


def _guessed(data: bytes) -> str:
    """An unlabelled or mislabelled text: the first Japanese encoding that reads all of it."""
    if b"\x1b$" in data:
        return _iso2022jp(data)
    for encoding in _GUESSES:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _iso2022jp(data: bytes) -> str:
    """ISO-2022-JP, strictly if it can be; else as CP50220 (the JIS X 0208 segments moved to
    Shift_JIS and read as cp932, which has NEC's row 13 and the IBM extensions)."""
    try:
        return data.decode("iso2022_jp")
    except UnicodeDecodeError:
        return _as_cp932(data).decode("cp932", errors="replace")


def _as_cp932(data: bytes) -> bytes:
    out = bytearray()
    mode = b"(B"
    position = 0
    for match in _ESCAPE.finditer(data):
        out += _segment(data[position : match.start()], mode)
        mode, position = match.group(1), match.end()
    out += _segment(data[position:], mode)
    return bytes(out)


def _segment(chunk: bytes, mode: bytes) -> bytes:
    if mode in (b"$B", b"$@"):
        return b"".join(_jis_pair(chunk[i], chunk[i + 1]) for i in range(0, len(chunk) - 1, 2))
    if mode == b"(I":
        return bytes(byte | 0x80 for byte in chunk)
    return chunk


def _jis_pair(first: int, second: int) -> bytes:
    """One JIS X 0208 character as the Shift_JIS bytes of the same code point."""
    if first & 1:
        second += 0x1F if second < 0x60 else 0x20
    else:
        second += 0x7E
    lead = ((first + 1) >> 1) + 0x70
    if lead > 0x9F:
        lead += 0x40
    return bytes((lead, second))


def header_text(raw: str) -> str:
    """A raw header value as a person reads it: encoded words decoded, raw 8-bit guessed."""
    pieces = []
    for chunk, charset in decode_header(raw):
        if isinstance(chunk, str):
            chunk = chunk.encode("ascii", errors="surrogateescape")
        pieces.append(decode_bytes(chunk, charset))
    return " ".join("".join(pieces).split())
