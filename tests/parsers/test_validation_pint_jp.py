"""JP PINT native rules on hand-written documents."""

from __future__ import annotations

import pytest

from parsers.profiles import Profile
from parsers.validation.pint_jp import RULE_SETS, validate_pint_jp
from tests.parsers.validation_samples import Line, parse, ubl_invoice


def _ids(data: bytes, profile: Profile = Profile.JP_PINT) -> set[str]:
    return {f.rule_id for f in validate_pint_jp(parse(data), profile)}


def test_a_correct_invoice_passes() -> None:
    assert _ids(ubl_invoice()) == set()


def test_rule_tables_have_unique_ids_and_both_languages() -> None:
    for rule_set in RULE_SETS.values():
        ids = [rule.rule_id for rule in rule_set.rules]
        assert len(ids) == len(set(ids))
        assert all(rule.message_en and rule.message_ja for rule in rule_set.rules)


@pytest.mark.parametrize(("tax", "fires"), [("79", False), ("80", False), ("78", True)])
def test_tax_per_rate_allows_floor_to_ceiling(tax: str, fires: bool) -> None:
    data = ubl_invoice(lines=(Line("999", "AA", "8"),), taxes={("AA", "8"): tax})
    assert ("aligned-ibrp-051-jp" in _ids(data)) is fires


def test_registration_number_format_after_october_2023() -> None:
    assert "aligned-ibr-jp-01" in _ids(ubl_invoice(seller_tax_id="1234567890123"))


def test_tax_categories_must_be_japanese() -> None:
    data = ubl_invoice(lines=(Line("100", "Z", "0"),), taxes={("Z", "0"): "0"})
    assert "aligned-ibrp-cl-01-jp" in _ids(data)


def test_out_of_scope_lines_carry_no_rate() -> None:
    data = ubl_invoice(lines=(Line("100", "O", "0"),), taxes={("O", "0"): "0"})
    assert "aligned-ibrp-o-05" in _ids(data)


def test_self_billing_is_not_held_to_the_billing_specification_id() -> None:
    data = ubl_invoice(customization="urn:peppol:pint:selfbilling-1@jp-1")
    assert "aligned-ibrp-001-jp" in _ids(data)
    assert _ids(data, Profile.JP_PINT_SELF_BILLING) == set()
