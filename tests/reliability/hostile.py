"""Hostile documents, each made by a few lines of code rather than stored as a file.

XML ones start from a valid JP PINT invoice (``tests.documents.jp_invoice``) where that makes
the attack realistic; PDFs are written byte by byte (``raw_pdf``) so that the structure is
exactly the hostile one, with a correct cross-reference table so readers take the fast path.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, StreamObject

from tests.documents import jp_invoice, plain_pdf
from tests.parsers.pdf_factory import make_pdf

SELLER = "T7123456789012"
"""Any well-formed registration number; hostile documents are judged, never matched."""

_UBL_OPEN = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'


def valid_invoice(seller: str = SELLER) -> bytes:
    """The good document the hostile ones are derived from."""
    return jp_invoice(seller=seller)


def _with_doctype(doctype: str, body: str = "<Invoice>&x;</Invoice>") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n{body}'.encode()


# --- XML -------------------------------------------------------------------------------------


def xxe_file(path: str) -> bytes:
    """An external entity reading a local file."""
    return _with_doctype(f'<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file://{path}">]>')


def xxe_url(url: str) -> bytes:
    """An external entity fetching a URL."""
    return _with_doctype(f'<!DOCTYPE Invoice [<!ENTITY x SYSTEM "{url}">]>')


def xxe_parameter_entity(url: str) -> bytes:
    """A parameter entity pulling an external DTD (the out-of-band exfiltration trick)."""
    return _with_doctype(f'<!DOCTYPE Invoice [<!ENTITY % ext SYSTEM "{url}"> %ext;]>', "<Invoice/>")


def external_dtd(url: str) -> bytes:
    """A DOCTYPE naming an external DTD and no entities."""
    return _with_doctype(f'<!DOCTYPE Invoice SYSTEM "{url}">', "<Invoice/>")


def internal_dtd() -> bytes:
    """A harmless-looking internal DTD subset (attribute defaults only)."""
    return _with_doctype('<!DOCTYPE Invoice [<!ATTLIST Invoice version CDATA "1">]>', "<Invoice/>")


def billion_laughs(levels: int = 10) -> bytes:
    """10 entities each ten times the previous: 10^9 ``lol`` from under 1 KB."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, levels):
        refs = f"&lol{level - 1};" * 10
        entities.append(f'<!ENTITY lol{level} "{refs}">')
    doctype = "<!DOCTYPE Invoice [" + "".join(entities) + "]>"
    return _with_doctype(doctype, f"<Invoice>&lol{levels - 1};</Invoice>")


def quadratic_blowup(size: int = 100_000, refs: int = 20_000) -> bytes:
    """One 100 KB entity referenced 20,000 times: 2 GB if expanded, no nesting to detect."""
    doctype = f'<!DOCTYPE Invoice [<!ENTITY x "{"a" * size}">]>'
    return _with_doctype(doctype, "<Invoice>" + "&x;" * refs + "</Invoice>")


def schema_location(url: str) -> bytes:
    """A valid invoice whose ``xsi:schemaLocation`` points at a server of the attacker's."""
    return valid_invoice().replace(
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xsi:schemaLocation="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2 '
        + url.encode()
        + b'"',
        1,
    )


def xinclude(href: str) -> bytes:
    """A valid invoice whose note is an XInclude of ``href`` (a file or a URL)."""
    return valid_invoice().replace(
        b"<cbc:Note>",
        b'<cbc:Note><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="'
        + href.encode()
        + b'" parse="text"/>',
        1,
    )


def deep_nesting(depth: int = 100_000) -> bytes:
    """An invoice root with elements nested ``depth`` deep (~1 MB)."""
    return _UBL_OPEN + b"<a>" * depth + b"</a>" * depth + b"</Invoice>"


def huge_attribute(size: int = 12_000_000) -> bytes:
    """One attribute value of ``size`` bytes (libxml2's default cap is 10 MB)."""
    return (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" a="'
        + (b"x" * size)
        + b'"/>'
    )


def many_attributes(count: int = 50_000) -> bytes:
    """An element with ``count`` distinct attributes (hash-table stress)."""
    attributes = b" ".join(b'a%d="1"' % i for i in range(count))
    return _UBL_OPEN.replace(b">", b" " + attributes + b">", 1) + b"</Invoice>"


def utf16_with_bom() -> bytes:
    """The valid invoice re-encoded as UTF-16 LE with a BOM and a matching declaration."""
    text = valid_invoice().decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    return text.encode("utf-16")  # Python writes the BOM


def utf8_with_bom() -> bytes:
    """The valid invoice with a UTF-8 byte-order mark."""
    return b"\xef\xbb\xbf" + valid_invoice()


def shift_jis_declared_utf8() -> bytes:
    """Declared Shift_JIS, actually UTF-8 (Japanese text present): mojibake or an error."""
    return valid_invoice().replace(b'encoding="UTF-8"', b'encoding="Shift_JIS"', 1)


def utf8_declared_shift_jis() -> bytes:
    """Declared UTF-8, actually Shift_JIS: the Japanese bytes are not valid UTF-8."""
    return valid_invoice().decode("utf-8").encode("shift_jis")


def utf16_declared_utf8_no_bom() -> bytes:
    """UTF-16 LE bytes without a BOM but saying UTF-8 in the declaration."""
    return valid_invoice().decode("utf-8").encode("utf-16-le")


def unknown_encoding() -> bytes:
    """An encoding name libxml2 has never heard of."""
    return valid_invoice().replace(b'encoding="UTF-8"', b'encoding="X-JURYO-NOPE"', 1)


# --- PDF -------------------------------------------------------------------------------------


def raw_pdf(objects: Sequence[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from ``objects`` (numbered from 1, bodies without ``obj``/``endobj``) with xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_FONT = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>"


def encrypted_pdf() -> bytes:
    """A plain invoice PDF behind a user password."""
    return make_pdf(["INVOICE", "Total: 11,000 JPY"], password="secret")


def truncated_pdf() -> bytes:
    """A Factur-X-style PDF cut to a third: no xref, no trailer, half an attachment."""
    data = make_pdf(["INVOICE"], attachments={"factur-x.xml": valid_invoice()})
    return data[: len(data) // 3]


def flate_bomb_content(inflated: int = 50_000_000) -> bytes:
    """A one-page PDF whose content stream is ``inflated`` bytes of spaces as ~50 KB of Flate."""
    bomb = zlib.compress(b" " * inflated, 9)
    return raw_pdf([_CATALOG, _PAGES, _PAGE, _stream(bomb, b"/Filter /FlateDecode ")])


def flate_bomb_attachment(inflated: int = 50_000_000) -> bytes:
    """``factur-x.xml`` as ``inflated`` bytes of ``<`` compressed to ~50 KB, no declared size."""
    bomb = zlib.compress(b"<" * inflated, 9)
    return _pdf_with_attachments([("factur-x.xml", _stream(bomb, b"/Filter /FlateDecode "))])


def huge_embedded_file(size: int = 11 * 1024 * 1024) -> bytes:
    """``factur-x.xml`` stored uncompressed, over the 10 MB attachment cap."""
    data = b"<Invoice>" + b"x" * (size - 19) + b"</Invoice>"
    return _pdf_with_attachments([("factur-x.xml", _stream(data))])


def _pdf_with_attachments(files: Sequence[tuple[str, bytes]]) -> bytes:
    """Catalog, pages, one empty page, then per file a filespec and its stream object."""
    objects = [b"", _PAGES, _PAGE, _stream(b"")]
    names = []
    for name, stream in files:
        spec = len(objects) + 1
        objects.append(
            b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F %d 0 R >> >>"
            % (name.encode(), name.encode(), spec + 1)
        )
        objects.append(stream)
        names.append(b"(%s) %d 0 R" % (name.encode(), spec))
    objects[0] = (
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names ["
        + b" ".join(names)
        + b"] >> >> >>"
    )
    return raw_pdf(objects)


def many_attachments(count: int = 1_000) -> bytes:
    """``count`` tiny attachments, every one named ``*.xml`` and none a standard name."""
    files = [(f"part-{i:04d}.xml", _stream(b"<a/>")) for i in range(count)]
    return _pdf_with_attachments(files)


def javascript_pdf() -> bytes:
    """A plain PDF that runs JavaScript when opened (``/OpenAction``) and has a JS name tree."""
    js = (
        b"<< /Type /Action /S /JavaScript "
        b"/JS (app.alert\\('pwned'\\); this.submitForm\\('http://127.0.0.1:9/'\\);) >>"
    )
    content = _stream(b"BT /F1 12 Tf 10 50 Td (INVOICE Total: 11,000 JPY) Tj ET")
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
        b" /AA << /O 5 0 R >> >>"
    )
    catalog = (
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R "
        b"/Names << /JavaScript << /Names [(x) 5 0 R] >> >> >>"
    )
    return raw_pdf([catalog, _PAGES, page, content, js])


def deep_array_nesting(depth: int = 10_000) -> bytes:
    """A page whose /MediaBox is an array nested ``depth`` deep: recursion in the parser."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox " + b"[" * depth + b"]" * depth + b" >>"
    return raw_pdf([_CATALOG, _PAGES, page])


def deep_object_chain(depth: int = 10_000) -> bytes:
    """A page tree 10^4 levels deep: each /Pages node's only kid is the next one."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = level + 2
        objects.append(
            b"<< /Type /Pages /Kids [%d 0 R] /Count 1 /Parent %d 0 R >>" % (number + 1, number - 1)
        )
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 10 10] >>" % (depth + 1))
    return raw_pdf(objects)


def text_bomb(inflated: int = 5_000_000) -> bytes:
    """A page of ``inflated`` bytes of text operators in ~12 KB: slow to parse, not to inflate."""
    unit = b"BT /F1 12 Tf (A) Tj ET\n"
    bomb = zlib.compress(unit * (inflated // len(unit)), 9)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R %s >>" % _FONT
    return raw_pdf([_CATALOG, _PAGES, page, _stream(bomb, b"/Filter /FlateDecode ")])


def xobject_amplification(draws: int = 150_000) -> bytes:
    """One small form XObject drawn ``draws`` times: each draw re-parses it."""
    form = _stream(
        b"BT /F1 12 Tf (A) Tj ET\n" * 50, b"/Type /XObject /Subtype /Form /BBox [0 0 9 9] " + _FONT
    )
    content = _stream(zlib.compress(b"/X Do\n" * draws, 9), b"/Filter /FlateDecode ")
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R "
        b"/Resources << /XObject << /X 5 0 R >> /Font << /F1 6 0 R >> >> >>"
    )
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return raw_pdf([_CATALOG, _PAGES, page, content, form, font])


def reference_loop() -> bytes:
    """A page tree that contains itself."""
    return raw_pdf([_CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])


def many_pages(count: int = 2_000) -> bytes:
    """``count`` pages sharing one text content stream (text extraction must be bounded)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    content = _stream(b"BT /F1 12 Tf 10 50 Td (INVOICE) Tj ET")
    objects = [_CATALOG, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count), content]
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"] * count
    return raw_pdf(objects)


def writer_flate_bomb() -> bytes:
    """The same 50 MB Flate bomb, as a factur-x.xml written by pypdf with a lying /Size."""
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_attachment("factur-x.xml", b"placeholder")
    for obj in writer._objects:
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/EmbeddedFile":
            obj._data = zlib.compress(b"<" * 50_000_000, 9)
            obj[NameObject("/Filter")] = NameObject("/FlateDecode")
            obj[NameObject("/Params")] = DictionaryObject({NameObject("/Size"): NumberObject(10)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def plain_invoice_pdf(seller: str = SELLER) -> bytes:
    """A benign PDF, for the HTTP tests that need one."""
    return plain_pdf(registration_number=seller)
