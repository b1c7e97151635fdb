# ruff: noqa: RUF003  (Japanese messages use full-width punctuation on purpose)
"""The JP-JURYO checks on hand-written invoices (UBL and CII)."""

from __future__ import annotations

import pytest

from parsers.findings import Finding, Severity
from parsers.profiles import Profile, Syntax
from parsers.validation import validate
from parsers.validation.japan import validate_japan
from tests.parsers.validation_samples import (
    PEPPOL_ID,
    Line,
    cii_invoice,
    parse,
    ubl_invoice,
)


def _japan(
    data: bytes, syntax: Syntax = Syntax.UBL, profile: Profile = Profile.JP_PINT
) -> list[Finding]:
    return validate_japan(parse(data), syntax, profile)


def _ids(findings: list[Finding]) -> set[str]:
    return {f.rule_id for f in findings}


def test_a_correct_jp_pint_invoice_passes_every_layer() -> None:
    root = parse(ubl_invoice())
    assert validate(root, Syntax.UBL, Profile.JP_PINT) == []


def test_wrong_check_digit_is_a_warning_not_fatal() -> None:
    findings = _japan(ubl_invoice(seller_tax_id="T1234567890123"))
    assert [(f.rule_id, f.severity) for f in findings] == [("JP-JURYO-01", Severity.WARNING)]
    assert "T1234567890123" in findings[0].message_ja


def test_tax_rounded_per_line_is_a_warning() -> None:
    # three lines of 105 yen at 10 %: once per rate 315 × 10 % = 31.5 → 31 or 32, per line 3 × 10
    lines = (Line("105"), Line("105"), Line("105"))
    findings = _japan(ubl_invoice(lines=lines, taxes={("S", "10"): "30"}))
    assert _ids(findings) == {"JP-JURYO-02"}
    assert all(f.severity is Severity.WARNING for f in findings)


@pytest.mark.parametrize("tax", ["31", "32"])
def test_either_rounding_direction_is_accepted(tax: str) -> None:
    lines = (Line("105"), Line("105"), Line("105"))
    assert _japan(ubl_invoice(lines=lines, taxes={("S", "10"): tax})) == []


@pytest.mark.parametrize(
    ("category", "percent"), [("S", "5"), ("AA", "10"), ("Z", "0"), ("K", "0"), ("E", "8")]
)
def test_tax_categories_japan_does_not_have(category: str, percent: str) -> None:
    lines = (Line("1000", category, percent),)
    findings = _japan(ubl_invoice(lines=lines, taxes={(category, percent): "0"}))
    assert "JP-JURYO-03" in _ids(findings)
    assert all(f.severity is Severity.WARNING for f in findings)


@pytest.mark.parametrize(("category", "percent"), [("E", "0"), ("G", "0"), ("O", None)])
def test_exempt_export_and_out_of_scope_are_allowed(category: str, percent: str | None) -> None:
    lines = (Line("1000", category, percent),)
    assert _japan(ubl_invoice(lines=lines, taxes={(category, percent): "0"})) == []


def test_yen_amount_with_decimals_is_a_warning() -> None:
    findings = _japan(ubl_invoice(lines=(Line("1000.50"),), taxes={("S", "10"): "100"}))
    assert "JP-JURYO-04" in _ids(findings)
    assert all(f.severity is Severity.WARNING for f in findings if f.rule_id == "JP-JURYO-04")


def test_trailing_zero_decimals_are_whole_yen() -> None:
    assert _japan(ubl_invoice(lines=(Line("1000.00"),), taxes={("S", "10"): "100"})) == []


def test_any_jpy_invoice_is_checked_even_outside_jp_pint() -> None:
    data = ubl_invoice(customization=PEPPOL_ID, lines=(Line("99.5"),), taxes={("S", "10"): "9"})
    assert "JP-JURYO-04" in _ids(_japan(data, profile=Profile.PEPPOL_BIS3))


def test_non_jpy_invoices_outside_jp_pint_are_not_checked() -> None:
    data = ubl_invoice(customization=PEPPOL_ID, currency="EUR", lines=(Line("99.5", "Z", "0"),))
    assert _japan(data, profile=Profile.PEPPOL_BIS3) == []


def test_cii_jpy_invoice() -> None:
    assert _ids(_japan(cii_invoice(), Syntax.CII, Profile.EN16931)) == {"JP-JURYO-01"}
    broken = cii_invoice(amount="1000.5", tax="50")
    assert _ids(_japan(broken, Syntax.CII, Profile.EN16931)) == {
        "JP-JURYO-01",
        "JP-JURYO-02",
        "JP-JURYO-04",
    }


def test_non_tax_registered_sellers_state_no_tax() -> None:
    data = ubl_invoice(taxes={("S", "10"): "0", ("AA", "8"): "0"})
    assert _japan(data, profile=Profile.JP_PINT_NON_TAX_REGISTERED) == []
    assert "JP-JURYO-02" in _ids(_japan(data, profile=Profile.JP_PINT))


def test_every_finding_speaks_both_languages() -> None:
    data = ubl_invoice(lines=(Line("10.5", "Z", "3"),), seller_tax_id="T1234567890123")
    findings = validate(parse(data), Syntax.UBL, Profile.JP_PINT)
    assert findings
    for finding in findings:
        assert finding.message_en
        assert finding.message_ja
        assert finding.message_ja != finding.message_en
