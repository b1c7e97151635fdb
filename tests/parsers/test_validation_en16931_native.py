"""The native EN 16931 UBL rules: the official verdicts, without Saxon in the request path.

Each case is also judged by the official XSLT (Saxon, test-only) and must agree with it; the
corpus-wide and mutation comparison is ``test_validation_en16931_native_diff.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from parsers.findings import Finding, Severity
from parsers.validation.en16931_ubl import RULE_IDS, validate_en16931_ubl
from parsers.validation.en16931_ubl_messages import for_rule
from tests.parsers import oracle
from tests.parsers.validation_samples import PEPPOL_ID, Line, parse, ubl_invoice

REPO = Path(__file__).resolve().parents[2]


def _ids(findings: list[Finding]) -> Counter[tuple[str, str, str | None]]:
    return Counter((f.rule_id, f.severity.value, f.location) for f in findings)


def _agree(data: bytes) -> list[Finding]:
    """Native findings, after checking they are the official ones."""
    root = parse(data)
    native = validate_en16931_ubl(root)
    official = oracle.findings(oracle.official_ubl().svrl(root))
    assert _ids(native) == _ids(official)
    return native


def _with_period(start: str, end: str) -> bytes:
    data = ubl_invoice(customization=PEPPOL_ID, currency="EUR")
    return data.replace(b"2024-03-01", start.encode()).replace(b"2024-03-31", end.encode())


def test_every_official_assertion_is_a_native_rule_with_both_messages() -> None:
    assert len(RULE_IDS) == 979
    assert len(set(RULE_IDS)) == 979
    for rule_id in RULE_IDS:
        en, ja = for_rule(rule_id, None)
        assert en.isascii()
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", ja), rule_id


def test_exact_decimals_where_doubles_would_reject() -> None:
    """0.1 + 0.2 is 0.3 in xs:decimal; as doubles BR-Z-08's exact equality would fail."""
    data = ubl_invoice(
        customization=PEPPOL_ID,
        currency="EUR",
        lines=(Line("0.1", "Z", "0"), Line("0.2", "Z", "0")),
    )
    assert "BR-Z-08" not in {f.rule_id for f in _agree(data)}


def test_wrong_vat_amount_is_fatal_as_officially() -> None:
    data = ubl_invoice(
        customization=PEPPOL_ID, currency="EUR", taxes={("S", "10"): "1"}, lines=(Line("50"),)
    )
    fatal = {f.rule_id for f in _agree(data) if f.severity is Severity.FATAL}
    assert {"BR-CO-17", "BR-S-09"} <= fatal


@pytest.mark.parametrize(
    ("start", "end", "fires"),
    [
        ("2016-01-01+01:00", "2016-12-31+01:00", False),
        ("2016-01-02+01:00", "2016-01-01+01:00", True),
        ("2016-01-01", "2016-01-01", False),
        # XSD 1.1 years: 0000 (a leap year), negative and five-digit years are dates
        ("0000-01-01", "2024-01-01", False),
        ("-0001-12-31", "0000-01-01", False),
        ("0000-02-29", "0000-03-01", False),
        ("12024-01-01", "2024-01-01", True),
    ],
)
def test_dates_with_timezones_are_compared_as_xs_date(start: str, end: str, fires: bool) -> None:
    assert ("BR-29" in {f.rule_id for f in _agree(_with_period(start, end))}) is fires


@pytest.mark.parametrize(
    ("price", "fires"), [("-0.00", True), ("-0", False), ("+5", False), ("INF", False)]
)
def test_untyped_amounts_compare_as_saxonc_reads_them(price: str, fires: bool) -> None:
    """BR-27 compares the untyped price with 0: a negative zero written with decimals is
    below zero to SaxonC (written as an integer it is 0), and ``+5`` and ``INF`` are numbers."""
    data = ubl_invoice(customization=PEPPOL_ID, currency="EUR").replace(
        b'<cbc:PriceAmount currencyID="EUR">3000<',
        f'<cbc:PriceAmount currencyID="EUR">{price}<'.encode(),
    )
    assert ("BR-27" in {f.rule_id for f in _agree(data)}) is fires


@pytest.mark.parametrize("rate", ["+10", "+0", "-0.0"])
def test_decimal_casts_read_a_sign_as_xs_decimal_does(rate: str) -> None:
    """BR-S-05 and BR-Z-05 read the rate as the official tests do (untyped, or xs:decimal)."""
    data = ubl_invoice(customization=PEPPOL_ID, currency="EUR").replace(
        b"<cbc:Percent>10</cbc:Percent>", f"<cbc:Percent>{rate}</cbc:Percent>".encode()
    )
    _agree(data)


def test_no_document_loads_saxon() -> None:
    """The request path is native for UBL and CII alike: reading either, and warming up a
    validating process, never loads SaxonC (the official stylesheets are the tests' oracle)."""
    script = (
        "import sys, parsers\n"
        "from parsers import warm_up\n"
        "from tests.parsers.validation_samples import PEPPOL_ID, cii_invoice, ubl_invoice\n"
        "warm_up()\n"
        "ubl = parsers.read(ubl_invoice(customization=PEPPOL_ID, currency='EUR'))\n"
        "cii = parsers.read(cii_invoice())\n"
        "assert ubl.invoice is not None and cii.invoice is not None\n"
        "print('saxonche' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "False"


def test_taxable_amount_tolerance_is_computed_in_doubles_as_officially() -> None:
    """BR-S-08 adds one to the untyped taxable amount as a double: 64.4 + 1 exceeds 65.4."""
    data = ubl_invoice(
        customization=PEPPOL_ID,
        currency="EUR",
        lines=(Line("10", "S", "19"), Line("55.4", "S", "19")),
    ).replace(b">65.4</cbc:TaxableAmount>", b">64.4</cbc:TaxableAmount>")
    assert b">64.4</cbc:TaxableAmount>" in data
    assert "BR-S-08" not in {f.rule_id for f in _agree(data)}
