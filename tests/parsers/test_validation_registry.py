"""Which rule sets judge which documents."""

from __future__ import annotations

import pytest

from parsers.profiles import Profile, Syntax
from parsers.validation import NOT_IMPLEMENTED, RULE_SETS, rule_sets_for, validate
from tests.parsers.validation_samples import PEPPOL_ID, cii_invoice, parse, ubl_invoice

EN16931_ID = "urn:cen.eu:en16931:2017"


@pytest.mark.parametrize(
    ("customization", "profile", "currency", "expected"),
    [
        (PEPPOL_ID, Profile.JP_PINT, "JPY", ["xsd", "pint-jp", "japan"]),
        (PEPPOL_ID, Profile.PEPPOL_BIS3, "EUR", ["xsd", "en16931", "peppol-bis-3"]),
        (PEPPOL_ID, Profile.PEPPOL_BIS3, "JPY", ["xsd", "en16931", "peppol-bis-3", "japan"]),
        (PEPPOL_ID, Profile.XRECHNUNG, "EUR", ["xsd", "en16931"]),
        (EN16931_ID, Profile.EN16931, "EUR", ["xsd", "en16931"]),
    ],
)
def test_rule_sets_per_profile(
    customization: str, profile: Profile, currency: str, expected: list[str]
) -> None:
    root = parse(ubl_invoice(customization=customization, currency=currency))
    assert rule_sets_for(root, Syntax.UBL, profile) == expected


def test_cii_below_en16931_gets_only_the_schema() -> None:
    root = parse(cii_invoice(currency="EUR"))
    assert rule_sets_for(root, Syntax.CII, Profile.FACTURX_MINIMUM) == ["xsd"]
    assert rule_sets_for(root, Syntax.CII, Profile.XRECHNUNG) == ["xsd", "en16931"]


def test_rule_sets_not_run_are_named_as_not_implemented() -> None:
    for prefix in ("DE- (XRechnung", "FR-"):
        assert any(entry.startswith(prefix) for entry in NOT_IMPLEMENTED)
    assert not any(
        entry.startswith(("NO-", "SE-", "DK-", "GR-", "IT-", "NL-", "IS-"))
        for entry in NOT_IMPLEMENTED
    )
    assert len({spec.name for spec in RULE_SETS}) == len(RULE_SETS)


def test_schema_can_be_skipped_for_fragments() -> None:
    root = parse(ubl_invoice(order="currency-last"))
    assert {f.rule_id for f in validate(root, Syntax.UBL, Profile.JP_PINT)} == {"XSD"}
    assert validate(root, Syntax.UBL, Profile.JP_PINT, None, schema=False) == []
