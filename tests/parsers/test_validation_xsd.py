"""The XSD layer: official schemas found in the installed package, compiled once, no network."""

from __future__ import annotations

import pytest
from lxml import etree

import schemas
from parsers.findings import Severity
from parsers.profiles import Profile, Syntax
from parsers.validation import xsd
from schemas import Artefact, ArtefactMissingError, artefact_path, schematron_for, xsd_for
from tests.parsers.validation_samples import parse, ubl_invoice


@pytest.mark.parametrize("artefact", list(Artefact))
def test_every_artefact_is_installed(artefact: Artefact) -> None:
    assert artefact_path(artefact).is_file()


def test_profile_table() -> None:
    assert xsd_for(Syntax.UBL, Profile.JP_PINT) is Artefact.UBL_INVOICE_XSD
    assert (
        xsd_for(Syntax.UBL, Profile.PEPPOL_BIS3, credit_note=True) is Artefact.UBL_CREDIT_NOTE_XSD
    )
    assert xsd_for(Syntax.CII, Profile.XRECHNUNG) is Artefact.CII_EXTENDED_XSD
    assert xsd_for(Syntax.CII, Profile.FACTURX_BASIC) is Artefact.CII_BASIC_XSD
    assert schematron_for(Syntax.CII) is Artefact.EN16931_CII_XSLT


def test_the_schema_data_names_the_parsers_syntaxes_and_profiles() -> None:
    """schemas keys its tables by identifiers (it imports nothing from parsers): each one must
    be the value of a parsers enum, or a renamed profile would silently fall back."""
    assert set(schemas.CII_XSD_BY_PROFILE) <= {profile.value for profile in Profile}
    assert schemas.UBL == Syntax.UBL.value


def test_a_missing_artefact_is_a_deployment_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("schemas._ROOT", "not-there")
    with pytest.raises(ArtefactMissingError):
        artefact_path(Artefact.UBL_INVOICE_XSD)


def test_valid_document_has_no_schema_finding() -> None:
    assert xsd.validate_xsd(parse(ubl_invoice()), Syntax.UBL, Profile.JP_PINT) == []


def test_schema_violation_is_fatal_and_located() -> None:
    findings = xsd.validate_xsd(
        parse(ubl_invoice(order="currency-last")), Syntax.UBL, Profile.JP_PINT
    )
    assert findings
    first = findings[0]
    assert first.rule_id == "XSD"
    assert first.severity is Severity.FATAL
    assert first.location == "/*/cbc:DocumentCurrencyCode"
    assert "DocumentCurrencyCode" in first.message_en
    assert first.message_ja.startswith("XMLスキーマ")


def test_schemas_are_compiled_once() -> None:
    xsd.warm_up()
    before = dict(xsd._cache)
    xsd.validate_xsd(parse(ubl_invoice()), Syntax.UBL, Profile.JP_PINT)
    assert xsd._cache == before


def test_schema_loading_refuses_the_network() -> None:
    resolver = xsd._RefuseNetwork()
    with pytest.raises(etree.XMLSchemaParseError):
        resolver.resolve("http://www.w3.org/2001/xml.xsd", None, None)
    assert resolver.resolve("file:///tmp/local.xsd", None, None) is None


@pytest.mark.slow
def test_xmlschema_explains_a_failure_in_words() -> None:
    reasons = xsd.explain(parse(ubl_invoice(order="currency-last")), Syntax.UBL, Profile.JP_PINT)
    assert reasons
