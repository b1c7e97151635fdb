"""The whole pipeline: bytes in, ``Result`` out, never an exception for bad content."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from parsers import Format, Profile, Result, Severity, Syntax, read, read_path
from parsers.errors import DocumentTooLarge, UnreadableDocument
from parsers.findings import Finding
from tests.parsers.pdf_factory import make_pdf

CII_NS = b"urn:cen.eu:en16931:2017"


def rule_ids(result: Result) -> set[str]:
    return {f.rule_id for f in result.findings}


def fatal_ids(result: Result) -> set[str]:
    return {f.rule_id for f in result.findings if f.severity is Severity.FATAL}


def test_jp_pint_invoice(jp_pint_xml: bytes) -> None:
    result = read(jp_pint_xml)
    assert (result.format, result.syntax, result.profile) == (
        Format.UBL_INVOICE,
        Syntax.UBL,
        Profile.JP_PINT,
    )
    assert result.invoice is not None
    assert result.invoice.number == "JRY-2026-0001"
    assert result.acceptable, result.findings
    assert result.guesses is None
    assert result.embedded_xml_name is None
    assert not any(
        f.rule_id.startswith("JURYO-") and f.severity is Severity.FATAL for f in result.findings
    )


def test_credit_note_profile(credit_note_xml: bytes) -> None:
    result = read(credit_note_xml)
    assert (result.format, result.profile) == (Format.UBL_CREDIT_NOTE, Profile.PEPPOL_BIS3)
    assert result.acceptable, result.findings


def test_cii(cii_xml: bytes) -> None:
    result = read(cii_xml)
    assert (result.format, result.syntax, result.profile) == (
        Format.CII,
        Syntax.CII,
        Profile.EN16931,
    )
    assert result.invoice is not None
    assert result.acceptable, result.findings


def test_facturx_pdf(cii_xml: bytes) -> None:
    result = read(make_pdf(["Facture"], attachments={"factur-x.xml": cii_xml}))
    assert result.format is Format.FACTURX_PDF
    assert result.syntax is Syntax.CII
    assert result.embedded_xml_name == "factur-x.xml"
    assert result.invoice is not None
    assert result.invoice.number == "FX-2026-42"


@pytest.mark.parametrize(
    ("guideline", "profile"),
    [
        ("urn:factur-x.eu:1p0:minimum", Profile.FACTURX_MINIMUM),
        ("urn:factur-x.eu:1p0:basicwl", Profile.FACTURX_BASIC_WL),
    ],
)
def test_facturx_without_content_needs_data_entry_prefilled_from_its_xml(
    cii_xml: bytes, guideline: str, profile: Profile
) -> None:
    data = cii_xml.replace(CII_NS, guideline.encode())
    result = read(make_pdf(["x"], attachments={"factur-x.xml": data}))
    assert result.profile is profile
    assert result.needs_data_entry
    assert result.invoice is None
    assert result.guesses is not None
    assert result.guesses.invoice_number == "FX-2026-42"
    (note,) = [f for f in result.findings if f.rule_id == "JURYO-PROFILE-NO-CONTENT"]
    assert note.severity is Severity.INFORMATION
    assert profile.value in note.message_en


def test_plain_pdf_needs_data_entry() -> None:
    result = read(make_pdf(["Invoice No. INV-9", "Invoice Date 2026-11-26", "Total 1,100 JPY"]))
    assert result.format is Format.PDF
    assert result.acceptable
    assert result.needs_data_entry
    assert result.invoice is None
    assert "JURYO-PDF-PLAIN" in rule_ids(result)
    (plain,) = [f for f in result.findings if f.rule_id == "JURYO-PDF-PLAIN"]
    assert plain.severity is Severity.INFORMATION
    assert result.guesses is not None
    assert (result.guesses.invoice_number, result.guesses.total) == ("INV-9", 1100)


def test_blank_pdf_has_no_text() -> None:
    result = read(make_pdf([]))
    assert result.acceptable
    assert {"JURYO-PDF-PLAIN", "JURYO-PDF-NO-TEXT"} <= rule_ids(result)


def test_pdf_with_non_xml_attachment_is_plain() -> None:
    result = read(make_pdf(["x"], attachments={"photo.jpg": b"\xff\xd8\xff"}))
    assert result.format is Format.PDF
    assert result.acceptable


def test_pdf_whose_invoice_attachment_is_not_xml() -> None:
    result = read(make_pdf(["x"], attachments={"factur-x.xml": b"\x89PNG\r\n"}))
    assert result.format is Format.FACTURX_PDF
    assert fatal_ids(result) == {"JURYO-PDF-ATTACHMENT-NOT-XML"}


def test_pdf_whose_invoice_attachment_is_empty() -> None:
    result = read(make_pdf(["x"], attachments={"factur-x.xml": b""}))
    assert fatal_ids(result) == {"JURYO-PDF-ATTACHMENT-EMPTY"}
    assert result.embedded_xml_name == "factur-x.xml"


def test_pdf_whose_invoice_attachment_is_other_xml() -> None:
    result = read(make_pdf(["x"], attachments={"factur-x.xml": b"<Order/>"}))
    assert fatal_ids(result) == {"JURYO-PDF-ATTACHMENT-NOT-INVOICE"}


def test_pdf_whose_invoice_attachment_is_hostile() -> None:
    xxe = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    result = read(make_pdf(["x"], attachments={"factur-x.xml": xxe}))
    assert fatal_ids(result) == {"JURYO-XML-ENTITY"}


def test_pdf_with_unrelated_lone_xml_is_plain_with_warning() -> None:
    result = read(make_pdf(["x"], attachments={"timesheet.xml": b"<sheet/>"}))
    assert result.format is Format.PDF
    assert result.acceptable
    assert "JURYO-PDF-ATTACHMENT-NOT-INVOICE" in rule_ids(result)


def test_encrypted_pdf() -> None:
    result = read(make_pdf(["x"], password="secret"))
    assert fatal_ids(result) == {"JURYO-PDF-ENCRYPTED"}


def test_truncated_pdf(cii_xml: bytes) -> None:
    data = make_pdf(["x"], attachments={"factur-x.xml": cii_xml})
    result = read(data[: len(data) // 2])
    assert result.format in (Format.PDF, Format.FACTURX_PDF)
    assert result.invoice is None


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (b"", "JURYO-INPUT-EMPTY"),
        (b"hello world", "JURYO-FORMAT-UNKNOWN"),
        (bytes(range(256)) * 4, "JURYO-FORMAT-UNKNOWN"),
        (b"<html><body/></html>", "JURYO-FORMAT-UNKNOWN"),
        (b"<Invoice><ID>1</ID>", "JURYO-XML-SYNTAX"),
        (b"%PDF-1.7\n%%EOF", "JURYO-PDF-CORRUPT"),
        (b'<!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>', "JURYO-XML-DTD"),
    ],
    ids=["empty", "text", "random", "html", "truncated-xml", "truncated-pdf", "external-dtd"],
)
def test_unreadable_inputs_are_fatal_findings(data: bytes, rule: str) -> None:
    result = read(data)
    assert not result.acceptable
    assert rule in fatal_ids(result)
    assert result.invoice is None
    for finding in result.findings:
        assert finding.message_en
        assert finding.message_ja


def test_truncated_invoice_reports_position(jp_pint_xml: bytes) -> None:
    result = read(jp_pint_xml[:700])
    (finding,) = result.findings
    assert finding.rule_id == "JURYO-XML-SYNTAX"
    assert finding.location is not None
    assert ":" in finding.location


def test_size_cap(jp_pint_xml: bytes) -> None:
    result = read(jp_pint_xml, max_bytes=100)
    assert fatal_ids(result) == {"JURYO-INPUT-SIZE"}


def test_result_is_frozen(jp_pint_xml: bytes) -> None:
    result = read(jp_pint_xml)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.format = Format.CII  # type: ignore[misc]
    assert isinstance(result.findings, tuple)


def test_validation_layer_is_called(jp_pint_xml: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import parsers.validation

    calls = []
    marker = Finding("TEST-1", Severity.FATAL, "marker", "マーカー")

    def fake_validate(
        root: object, syntax: Syntax, profile: Profile, invoice: object
    ) -> list[Finding]:
        calls.append((syntax, profile, invoice is not None))
        return [marker]

    monkeypatch.setattr(parsers.validation, "validate", fake_validate)
    result = read(jp_pint_xml)
    assert calls == [(Syntax.UBL, Profile.JP_PINT, True)]
    assert marker in result.findings
    assert not result.acceptable


def test_validation_crash_fails_closed(jp_pint_xml: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import parsers.validation

    def broken(*args: object) -> list[Finding]:
        raise RuntimeError("boom")

    monkeypatch.setattr(parsers.validation, "validate", broken)
    result = read(jp_pint_xml)
    assert fatal_ids(result) == {"JURYO-VALIDATION-ERROR"}


def test_read_path(tmp_path: Path, jp_pint_xml: bytes) -> None:
    path = tmp_path / "invoice.xml"
    path.write_bytes(jp_pint_xml)
    assert read_path(path).format is Format.UBL_INVOICE
    with pytest.raises(UnreadableDocument):
        read_path(tmp_path / "missing.xml")
    with pytest.raises(DocumentTooLarge):
        read_path(path, max_bytes=10)
