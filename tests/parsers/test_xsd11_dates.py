"""Dates as the official stylesheets read them: XSD 1.1 ``xs:date``, where year 0000 exists.

SaxonC (XSD 1.1) takes ``0000-01-01`` (1 BCE, a leap year) as a date, so the official JP PINT
and Peppol stylesheets accept it where Python's ``date`` refuses it; a day that does not exist
stays refused. The verdicts below are the official stylesheets' (checked against them on this
machine, JP PINT 1.1.3 and Peppol 2025.5).
"""

from __future__ import annotations

import pytest

from parsers.profiles import Profile
from parsers.validation.peppol import validate_peppol
from parsers.validation.pint_jp import validate_pint_jp
from tests.parsers.validation_samples import JP_PINT_ID, PEPPOL_ID, parse, ubl_invoice


def _fatal(customization: str, issue_date: str) -> set[str]:
    root = parse(
        ubl_invoice(customization=customization).replace(b"2024-04-01", issue_date.encode())
    )
    if customization == JP_PINT_ID:
        findings = validate_pint_jp(root, Profile.JP_PINT)
    else:
        findings = validate_peppol(root)
    return {f.rule_id for f in findings if f.severity.value == "fatal"}


@pytest.mark.parametrize(
    ("customization", "rule"), [(JP_PINT_ID, "ibr-073"), (PEPPOL_ID, "PEPPOL-EN16931-F001")]
)
@pytest.mark.parametrize(
    ("issue_date", "refused"),
    [("0000-01-01", False), ("0000-02-29", False), ("2024-02-30", True), ("0001-02-29", True)],
)
def test_year_0000_is_a_date_and_a_missing_day_is_not(
    customization: str, rule: str, issue_date: str, refused: bool
) -> None:
    assert (rule in _fatal(customization, issue_date)) is refused
