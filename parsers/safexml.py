"""The one way ``parsers`` turns bytes into an XML tree: hardened, capped, never following a DTD.

Invoices have no business carrying a DOCTYPE, so any DOCTYPE or ENTITY declaration is refused
before libxml2 sees it (XXE by file or URL, billion laughs, quadratic blowup), and the parser is
configured not to load, resolve or fetch anything even if the pre-scan were fooled.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from lxml import etree

from parsers import juryo_rules as rules
from parsers.findings import Finding

DEFAULT_MAX_BYTES = 25 * 1024 * 1024

_local = threading.local()


def make_parser() -> etree.XMLParser:
    """A fresh hardened parser; lxml parsers are not thread-safe, so never share one."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=False,
        collect_ids=False,
    )


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = make_parser()
        _local.parser = parser
    return parser


@dataclass(frozen=True, slots=True)
class ParsedXml:
    """A root element, or the fatal findings explaining why there is none."""

    root: etree._Element | None
    findings: tuple[Finding, ...] = ()


# What may precede the root element: whitespace, the XML declaration, PIs and comments.
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)


def _markup_view(data: bytes) -> str:
    """Enough of a decoding to see ASCII markup, whatever the declared encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("latin-1")
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if head.startswith(b"<\x00"):
        return data.decode("utf-16-le", errors="replace")
    if head.startswith(b"\x00<"):
        return data.decode("utf-16-be", errors="replace")
    # UTF-8, Shift_JIS, EUC-JP and the ISO-8859 family all keep ASCII markup as ASCII.
    return data.decode("latin-1")


def _prolog_declaration(data: bytes) -> Finding | None:
    """A refusal if a DOCTYPE (with or without entities) precedes the root element."""
    text = _markup_view(data).lstrip("\ufeff")
    pos = 0
    while (match := _PROLOG_ITEM.match(text, pos)) is not None and match.end() > pos:
        pos = match.end()
    if text[pos : pos + 9].upper() != "<!DOCTYPE":
        return None
    root_start = re.compile(r"<[A-Za-z_]").search(text, pos + 9)
    doctype = text[pos : root_start.start() if root_start else len(text)]
    if _ENTITY_DECL.search(doctype):
        return rules.XML_ENTITY.finding(location="prolog")
    return rules.XML_DTD.finding(location="prolog")


def _tree_declaration(root: etree._Element) -> Finding | None:
    """Belt and braces: what libxml2 itself saw, should the pre-scan have been fooled."""
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None and docinfo.internalDTD.entities():
        return rules.XML_ENTITY.finding(location="prolog")
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        return rules.XML_DTD.finding(location="prolog")
    for _ in root.iter(etree.Entity):
        return rules.XML_ENTITY.finding()
    return None


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedXml:
    """Parse ``data`` safely; BOMs, UTF-16 and encoding declarations are honoured by libxml2."""
    if len(data) > max_bytes:
        return ParsedXml(None, (rules.XML_TOO_LARGE.finding(size=len(data), limit=max_bytes),))
    if refusal := _prolog_declaration(data):
        return ParsedXml(None, (refusal,))
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        detail = f"line {line}, column {column}: {exc.msg}"
        if "encoding" in exc.msg.lower():
            detail += _encoding_hint(data)
        finding = rules.XML_SYNTAX.finding(location=f"{line}:{column}", detail=detail)
        return ParsedXml(None, (finding,))
    except (ValueError, LookupError) as exc:
        # e.g. an unknown encoding name in the declaration
        finding = rules.XML_SYNTAX.finding(location="1:1", detail=str(exc) or type(exc).__name__)
        return ParsedXml(None, (finding,))
    if root is None:
        finding = rules.XML_SYNTAX.finding(location="1:1", detail="no root element")
        return ParsedXml(None, (finding,))
    if refusal := _tree_declaration(root):
        return ParsedXml(None, (refusal,))
    return ParsedXml(root)


_DECLARED_ENCODING = re.compile(r"""<\?xml\s[^>]*?encoding\s*=\s*["']([^"']{1,40})["']""")


def _encoding_hint(data: bytes) -> str:
    """Which encoding the bytes had to be in: the mismatch is the usual cause, so say it."""
    declared = _DECLARED_ENCODING.match(_markup_view(data[:400]).lstrip("\ufeff"))
    if declared is None:
        return " (no encoding is declared, so the bytes must be UTF-8 or UTF-16)"
    return (
        f' (the XML declaration says encoding="{declared[1]}"; the bytes must be in that encoding)'
    )


def looks_like_xml(data: bytes) -> bool:
    """Cheap sniff: the first non-blank character is ``<`` (in UTF-8 or UTF-16)."""
    text = _markup_view(data[:4096]).lstrip("\ufeff \t\r\n")
    return text.startswith("<")
