"""``read()``: bytes in, a judged document out. Never raises on content; findings say what's wrong.

Pipeline: size cap → detect (PDF or XML) → safe parse → profile (BT-24) → canonical ``Invoice``
→ rule validation (``parsers.validation``) → ``Result``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

from parsers import cii, juryo_rules, pdf, plainpdf, ubl, validation
from parsers.detect import format_of_root, syntax_of
from parsers.errors import DocumentTooLarge, UnreadableDocument
from parsers.findings import Finding, Severity, is_acceptable
from parsers.model import Guesses, Invoice
from parsers.profiles import Format, Profile, Syntax, detect_profile
from parsers.safexml import looks_like_xml, parse_xml

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RuleSetRun:
    """A rule set that judged the document, and its release (``parsers.validation.RULE_SETS``)."""

    name: str
    version: str


@dataclass(frozen=True, slots=True)
class Result:
    """What juryo made of one document."""

    format: Format
    profile: Profile = Profile.UNKNOWN
    syntax: Syntax | None = None
    invoice: Invoice | None = None
    """The canonical invoice, whenever the XML could be read (even if rules fail)."""
    findings: tuple[Finding, ...] = ()
    guesses: Guesses | None = None
    """For a plain PDF or an incomplete invoice (Factur-X MINIMUM, BASIC WL): values a person
    must confirm by data entry."""
    embedded_xml_name: str | None = None
    """For a Factur-X PDF: the name of the attachment that was read."""
    rule_sets: tuple[RuleSetRun, ...] = ()
    """The rule sets that judged the XML, in the order they ran (none for a plain PDF)."""

    @property
    def acceptable(self) -> bool:
        """No fatal finding: the city may receive the document."""
        return is_acceptable(self.findings)

    @property
    def needs_data_entry(self) -> bool:
        """No complete invoice, only guesses: a person must type the invoice in."""
        return self.guesses is not None


def read(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Result:
    """Detect, parse, read and validate one document."""
    if not data:
        return Result(Format.UNKNOWN, findings=(juryo_rules.INPUT_EMPTY.finding(),))
    if len(data) > max_bytes:
        finding = juryo_rules.INPUT_TOO_LARGE.finding(size=len(data), limit=max_bytes)
        return Result(Format.UNKNOWN, findings=(finding,))
    if pdf.is_pdf(data):
        return _read_pdf(data, max_bytes=max_bytes)
    if looks_like_xml(data):
        return _read_xml(data, max_bytes=max_bytes)
    finding = juryo_rules.FORMAT_UNKNOWN.finding(
        detail_en="the first bytes are neither '<' nor '%PDF-'",
        detail_ja="先頭が「<」でも「%PDF-」でもありません",
    )
    return Result(Format.UNKNOWN, findings=(finding,))


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Result:
    """``read()`` a file; raises ``UnreadableDocument`` if its bytes cannot be had."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentTooLarge(path, size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(path, exc.strerror or type(exc).__name__) from exc
    return read(data, max_bytes=max_bytes)


def _read_xml(data: bytes, *, max_bytes: int, container: Format | None = None) -> Result:
    """Parse, read and validate XML; ``container`` is ``FACTURX_PDF`` when it came from a PDF."""
    parsed = parse_xml(data, max_bytes=max_bytes)
    if parsed.root is None:
        return Result(container or Format.UNKNOWN, findings=parsed.findings)
    root = parsed.root
    fmt = format_of_root(root)
    syntax = syntax_of(fmt)
    if syntax is None:
        finding = juryo_rules.FORMAT_UNKNOWN.finding(
            location="/",
            detail_en=f"root element {_root_name(root)}",
            detail_ja=f"ルート要素 {_root_name(root)}",
        )
        return Result(container or Format.UNKNOWN, findings=(finding,))
    profile = detect_profile(
        ubl.customization_id(root) if syntax is Syntax.UBL else cii.guideline_id(root)
    )
    findings: list[Finding] = []
    invoice: Invoice | None
    try:
        invoice = ubl.read_ubl(root) if syntax is Syntax.UBL else cii.read_cii(root)
    except Exception as exc:  # a reader bug must not become a 500 for the supplier
        invoice = None
        findings.append(juryo_rules.READ_FAILED.finding(detail=type(exc).__name__))
    findings.extend(_validate(root, syntax, profile, invoice))
    guesses = None
    if profile.lacks_invoice_content:
        findings.append(juryo_rules.PROFILE_WITHOUT_CONTENT.finding(profile=profile.value))
        guesses, invoice = (Guesses.of(invoice) if invoice else Guesses()), None
    return Result(
        container or fmt,
        profile=profile,
        syntax=syntax,
        invoice=invoice,
        findings=tuple(findings),
        guesses=guesses,
        rule_sets=_rule_sets(root, syntax, profile),
    )


def _root_name(root: etree._Element) -> str:
    if not isinstance(root.tag, str):
        return "?"
    qname = etree.QName(root)
    return f"{{{qname.namespace}}}{qname.localname}" if qname.namespace else qname.localname


def _rule_sets(root: etree._Element, syntax: Syntax, profile: Profile) -> tuple[RuleSetRun, ...]:
    """The sets ``validation.validate`` selects, so a verdict says which releases made it."""
    return tuple(
        RuleSetRun(spec.name, spec.version)
        for spec in validation.RULE_SETS
        if spec.applies(root, syntax, profile)
    )


def _validate(
    root: etree._Element, syntax: Syntax, profile: Profile, invoice: Invoice | None
) -> list[Finding]:
    """Run the rule layer; a crash is a fatal finding (fail closed)."""
    try:
        return list(validation.validate(root, syntax, profile, invoice))
    except Exception as exc:
        return [juryo_rules.VALIDATION_FAILED.finding(detail=type(exc).__name__)]


def _demoted(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """Fatal findings as warnings: problems with an attachment that was only a candidate."""
    return tuple(
        dataclasses.replace(f, severity=Severity.WARNING) if f.severity is Severity.FATAL else f
        for f in findings
    )


def _read_pdf(data: bytes, *, max_bytes: int) -> Result:
    opened = pdf.open_pdf(data)
    if opened.reader is None:
        return Result(Format.PDF, findings=opened.findings)
    embedded = pdf.find_invoice_xml(
        opened.reader, max_bytes=min(max_bytes, pdf.MAX_ATTACHMENT_BYTES)
    )
    if embedded.data is not None:
        xml_result = _read_embedded_xml(embedded.name, embedded.data, max_bytes=max_bytes)
        if embedded.standard_name or xml_result.syntax is not None:
            return dataclasses.replace(
                xml_result,
                findings=opened.findings + embedded.findings + xml_result.findings,
                embedded_xml_name=embedded.name,
            )
        # A lone, oddly named *.xml that is not an invoice: the PDF is a plain one after all.
        extra = _demoted(xml_result.findings)
    elif embedded.standard_name:
        return Result(
            Format.FACTURX_PDF,
            findings=opened.findings + embedded.findings,
            embedded_xml_name=embedded.name,
        )
    else:
        extra = _demoted(embedded.findings)
    return _read_plain_pdf(opened.reader, opened.findings + extra)


def _read_embedded_xml(name: str | None, data: bytes, *, max_bytes: int) -> Result:
    if not looks_like_xml(data):
        finding = juryo_rules.PDF_ATTACHMENT_NOT_XML.finding(name=name)
        return Result(Format.FACTURX_PDF, findings=(finding,))
    result = _read_xml(data, max_bytes=max_bytes, container=Format.FACTURX_PDF)
    if result.syntax is None and not any(
        f.rule_id.startswith("JURYO-XML-") for f in result.findings
    ):
        finding = juryo_rules.PDF_ATTACHMENT_NOT_INVOICE.finding(name=name)
        return dataclasses.replace(result, findings=(finding,))
    return result


def _read_plain_pdf(reader: PdfReader, findings: tuple[Finding, ...]) -> Result:
    text = plainpdf.read_text(reader)
    guesses = plainpdf.guess(text.text)
    notes = [juryo_rules.PDF_PLAIN.finding()]
    if text.truncated:
        notes.append(juryo_rules.PDF_TEXT_LIMIT.finding(limit=plainpdf.MAX_CONTENT_BYTES))
    elif not guesses.text_found:
        notes.append(juryo_rules.PDF_NO_TEXT.finding())
    return Result(Format.PDF, findings=findings + tuple(notes), guesses=guesses)
