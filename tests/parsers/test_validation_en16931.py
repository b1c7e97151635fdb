"""The EN 16931 layer: the official CEN Schematron run by Saxon, safely from many threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from parsers.findings import Finding, Severity
from parsers.profiles import Syntax
from parsers.validation.en16931 import parse_svrl, validate_en16931
from tests.parsers.validation_samples import PEPPOL_ID, Line, parse, ubl_invoice

_SVRL = b"""<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <svrl:failed-assert id="BR-01" flag="fatal" location="/*:Invoice[namespace-uri()='urn:x'][1]">
    <svrl:text>[BR-01]-An Invoice shall have a Specification identifier (BT-24).</svrl:text>
  </svrl:failed-assert>
  <svrl:failed-assert id="BR-CL-99" flag="warning" location="/x"><svrl:text>Hm.</svrl:text>
  </svrl:failed-assert>
  <svrl:successful-report location="/x"><svrl:text>no id: informational</svrl:text>
  </svrl:successful-report>
</svrl:schematron-output>"""


def test_svrl_becomes_findings() -> None:
    first, second = parse_svrl(_SVRL)
    assert first == Finding(
        rule_id="BR-01",
        severity=Severity.FATAL,
        message_en="An Invoice shall have a Specification identifier (BT-24).",
        message_ja="EN 16931 ビジネスルール違反（BR-01）: "
        "An Invoice shall have a Specification identifier (BT-24).",
        location="/Invoice[1]",
        business_term="BT-24",
    )
    assert second.severity is Severity.WARNING


def _samples() -> list[bytes]:
    return [
        ubl_invoice(customization=PEPPOL_ID, currency="EUR"),
        ubl_invoice(customization=PEPPOL_ID, currency="EUR", lines=(Line("10", "Z", "0"),)),
        ubl_invoice(
            customization=PEPPOL_ID, currency="EUR", taxes={("S", "10"): "1"}, lines=(Line("50"),)
        ),
        ubl_invoice(),
    ]


def _run(data: bytes) -> list[Finding]:
    return validate_en16931(parse(data), Syntax.UBL)


def test_rules_fire_on_a_broken_invoice() -> None:
    broken = ubl_invoice(
        customization=PEPPOL_ID, currency="EUR", taxes={("S", "10"): "1"}, lines=(Line("50"),)
    )
    assert "BR-CO-17" in {f.rule_id for f in _run(broken)}


def test_concurrent_validation_equals_sequential() -> None:
    samples = _samples()
    sequential = [_run(data) for data in samples]
    jobs = samples * 12
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(_run, jobs))
    assert concurrent == sequential * 12
