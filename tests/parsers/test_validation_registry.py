"""Which rule sets judge which documents."""

from __future__ import annotations

import pytest

from parsers.profiles import Profile, Syntax
from parsers.validation import NOT_IMPLEMENTED, RULE_SETS, rule_sets_for, validate
from tests.parsers.validation_samples import PEPPOL_ID, cii_invoice, parse, ubl_invoice


@pytest.mark.parametrize(
    ("profile", "currency", "expected"),
    [
        (Profile.JP_PINT, "JPY", ["xsd", "pint-jp", "japan"]),
        (Profile.PEPPOL_BIS3, "EUR", ["xsd", "en16931", "peppol-bis-3"]),
        (Profile.PEPPOL_BIS3, "JPY", ["xsd", "en16931", "peppol-bis-3", "japan"]),
        (Profile.XRECHNUNG, "EUR", ["xsd", "en16931"]),
        (Profile.EN16931, "EUR", ["xsd", "en16931"]),
    ],
)
def test_rule_sets_per_profile(profile: Profile, currency: str, expected: list[str]) -> None:
    root = parse(ubl_invoice(customization=PEPPOL_ID, currency=currency))
    assert rule_sets_for(root, Syntax.UBL, profile) == expected


def test_cii_below_en16931_gets_only_the_schema() -> None:
    root = parse(cii_invoice(currency="EUR"))
    assert rule_sets_for(root, Syntax.CII, Profile.FACTURX_MINIMUM) == ["xsd"]
    assert rule_sets_for(root, Syntax.CII, Profile.XRECHNUNG) == ["xsd", "en16931"]


def test_national_rule_sets_are_named_as_not_implemented() -> None:
    for prefix in ("DE-", "NO-", "SE-", "DK-", "GR-", "IT-", "NL-"):
        assert any(entry.startswith(prefix) for entry in NOT_IMPLEMENTED)
    assert len({spec.name for spec in RULE_SETS}) == len(RULE_SETS)


def test_schema_can_be_skipped_for_fragments() -> None:
    root = parse(ubl_invoice(order="currency-last"))
    assert {f.rule_id for f in validate(root, Syntax.UBL, Profile.JP_PINT)} == {"XSD"}
    assert validate(root, Syntax.UBL, Profile.JP_PINT, None, schema=False) == []
