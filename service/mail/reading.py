"""Reading a received e-mail into what intake needs: who sent it, the body as context, and
each attachment with what kind of file it is.

Bounded work whatever arrives: the size is capped at DATA (``service.mail.smtp``); before the
full parse a linear scan counts the lines that can open a MIME part (boundary lines, forwarded
``message/*`` headers), so a MIME bomb (thousands of parts, nesting deeper than Python's
recursion) is refused unparsed; the walk after it is bounded by depth as well. A refusal is
data (a catalogue key), never an exception: it is recorded against the mail.
"""

from __future__ import annotations

import email
import enum
import re
from dataclasses import dataclass
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from parsers.pdf import is_pdf
from parsers.safexml import looks_like_xml
from service.mail.japanese import decode_bytes, header_text

BODY_CHARACTERS = 20_000
_PART_OPENERS = re.compile(rb"^--", re.MULTILINE)
_MESSAGE_OPENERS = re.compile(rb"^content-type:[ \t]*message/", re.MULTILINE | re.IGNORECASE)
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")
_EXECUTABLE_NAMES = re.compile(
    r"\.(exe|com|bat|cmd|scr|pif|msi|js|jse|vbs|vbe|wsf|ps1|jar|lnk|hta|cpl|dll|sh|app)$", re.I
)
_DOCUMENT_TYPES = re.compile(r"^(application/pdf|application/xml|text/xml|application/.+\+xml)$")
_ARCHIVE_NAMES = re.compile(r"\.(zip|rar|7z|gz|tgz|tar|bz2|xz|lzh|lha|cab|iso)$", re.I)


class PartKind(enum.StrEnum):
    """What an attachment is, as far as intake cares."""

    DOCUMENT = "document"
    """XML or PDF: one submission."""
    EXECUTABLE = "executable"
    ARCHIVE = "archive"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attached file, decoded, in the order the mail carries it."""

    filename: str | None
    media_type: str
    data: bytes
    kind: PartKind


@dataclass(frozen=True, slots=True)
class ReadMail:
    """A mail as intake sees it; ``refusal`` (a catalogue key) when it must not be processed."""

    message_id: str | None
    from_address: str | None
    subject: str | None
    body: str | None
    attachments: tuple[Attachment, ...] = ()
    refusal: str | None = None


def address_key(address: str) -> str:
    """One form per address, as ``SupplierMailSender.address`` stores it."""
    return address.strip().lower()


def read_mail(raw: bytes, *, max_parts: int, max_depth: int) -> ReadMail:
    """The mail's sender, subject, body and attachments, or a refusal for a MIME bomb."""
    envelope = _headers(BytesHeaderParser(policy=policy.default).parsebytes(raw))
    too_many = len(_PART_OPENERS.findall(raw)) > 2 * max_parts + 2
    if too_many or len(_MESSAGE_OPENERS.findall(raw)) > max_depth:
        return ReadMail(*envelope, body=None, refusal="mail.refused.bomb")
    try:
        message = email.message_from_bytes(raw, policy=policy.default)
    except RecursionError:  # pragma: no cover - the scan above refuses what could recurse
        return ReadMail(*envelope, body=None, refusal="mail.refused.bomb")
    leaves: list[Message] = []
    if not _collect(message, leaves, max_parts=max_parts, depth=max_depth):
        return ReadMail(*envelope, body=None, refusal="mail.refused.bomb")
    body, attachments = _split(leaves)
    return ReadMail(*envelope, body=body, attachments=tuple(attachments))


def _headers(message: Message) -> tuple[str | None, str | None, str | None]:
    """Message-ID, the From address and the subject, from the raw header source."""
    raw = {name.lower(): value for name, value in reversed(list(message.raw_items()))}
    message_id = raw.get("message-id", "").strip()[:500] or None
    sender = getaddresses([header_text(raw.get("from", ""))])
    from_address = sender[0][1][:320] if sender and "@" in sender[0][1] else None
    subject = header_text(raw["subject"])[:500] if "subject" in raw else None
    return message_id, from_address, subject


def _collect(part: Message, leaves: list[Message], *, max_parts: int, depth: int) -> bool:
    """Gather the leaf parts, descending into multiparts and forwarded messages; False when
    the mail nests deeper than allowed or has too many parts."""
    if depth < 0 or len(leaves) > max_parts:
        return False
    if part.is_multipart():
        children = part.get_payload()
        assert isinstance(children, list)
        return all(
            isinstance(child, Message)
            and _collect(child, leaves, max_parts=max_parts, depth=depth - 1)
            for child in children
        )
    leaves.append(part)
    return len(leaves) <= max_parts


def _split(leaves: list[Message]) -> tuple[str | None, list[Attachment]]:
    """Every plain text that is not an attachment is the body (a forwarded message's too, in
    order); every named part, and every part typed XML or PDF, is an attachment; other inline
    parts (an HTML alternative, a signature) are neither."""
    texts: list[str] = []
    attachments: list[Attachment] = []
    for leaf in leaves:
        filename = _filename(leaf)
        media_type = leaf.get_content_type()
        if filename is None and media_type == "text/plain":
            texts.append(decode_bytes(_payload(leaf), leaf.get_content_charset()).strip())
        elif filename is not None or _DOCUMENT_TYPES.search(media_type):
            data = _payload(leaf)
            attachments.append(Attachment(filename, media_type[:100], data, _kind(filename, data)))
    body = "\n\n".join(text for text in texts if text)[:BODY_CHARACTERS]
    return body or None, attachments


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _filename(part: Message) -> str | None:
    """The attachment's name: RFC 2231 (any charset, continuations) or RFC 2047 inside the
    quotes, which Japanese mailers still write; read from the raw header, not Python's guess."""
    raw = {name.lower(): value for name, value in part.raw_items()}
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        if header not in raw:
            continue
        view = Message()
        view[header] = raw[header]
        value = view.get_param(param, header=header)
        if isinstance(value, tuple):
            charset, _language, text = value
            return decode_bytes(text.encode("raw-unicode-escape"), charset)[-255:] or None
        if isinstance(value, str) and value.strip():
            return header_text(value)[-255:]
    return None


def _kind(filename: str | None, data: bytes) -> PartKind:
    """By the bytes first (a renamed file is what it is), then by the name."""
    head = data[:8]
    if is_pdf(data) or looks_like_xml(data):
        return PartKind.DOCUMENT
    name = filename or ""
    if head.startswith(_EXECUTABLE_MAGIC) or _EXECUTABLE_NAMES.search(name):
        return PartKind.EXECUTABLE
    if head.startswith(_ARCHIVE_MAGIC) or _ARCHIVE_NAMES.search(name):
        return PartKind.ARCHIVE
    return PartKind.OTHER
